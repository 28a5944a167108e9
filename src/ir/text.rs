//! The text of a compiled condition, as a rule file writes it: each node of `explain`'s tree
//! (`and`, `any p in parties`, `p.role in [seller]`), with bound variables by their names.

use super::{
    Access, AuthField, Cond, HsPattern, ItemField, PartyField, Quantifier, Test, VesselField,
};
use crate::model::Vocab;

/// A node as written, without its parts: `and`, `any p in parties`, `p.role in [seller]`
pub(crate) fn head(cond: &Cond, names: &[String]) -> String {
    let var = |slot: usize| {
        names
            .get(slot)
            .cloned()
            .unwrap_or_else(|| format!("${slot}"))
    };
    match cond {
        Cond::Const(b) => b.to_string(),
        Cond::And(_) => "and".to_string(),
        Cond::Or(_) => "or".to_string(),
        Cond::Not(_) => "not".to_string(),
        Cond::Quant {
            quantifier,
            list,
            var: slot,
            ..
        } => {
            let q = match quantifier {
                Quantifier::Any => "any",
                Quantifier::All => "all",
                Quantifier::None => "none",
            };
            format!("{q} {} in {}", var(*slot), list.name())
        }
        Cond::Count {
            list,
            var: slot,
            op,
            n,
            ..
        } => format!(
            "count {} in {} {} {n}",
            var(*slot),
            list.name(),
            op.as_str()
        ),
        Cond::Exists(access) => format!("exists {}", access_text(access, names)),
        Cond::Cmp(access, Test::Field(op, other)) => format!(
            "{} {} {}",
            access_text(access, names),
            op.as_str(),
            access_text(other, names)
        ),
        Cond::Cmp(access, test) => {
            format!(
                "{} {}",
                access_text(access, names),
                test_text(test, vocab_of(access))
            )
        }
    }
}

/// A field path as written in a rule
fn access_text(access: &Access, names: &[String]) -> String {
    let var = |slot: &usize| {
        names
            .get(*slot)
            .cloned()
            .unwrap_or_else(|| format!("${slot}"))
    };
    match access {
        Access::Id => "id".into(),
        Access::Date => "date".into(),
        Access::Activity => "activity".into(),
        Access::Origin => "origin".into(),
        Access::Destination => "destination".into(),
        Access::Location => "location".into(),
        Access::Amount => "amount".into(),
        Access::Services => "services".into(),
        Access::Transit => "transit".into(),
        Access::List(list) => list.name().into(),
        Access::Party(slot, field) => {
            let f = match field {
                PartyField::Role => "role".to_string(),
                PartyField::Name => "name".to_string(),
                PartyField::Kind => "kind".to_string(),
                PartyField::Country => "country".to_string(),
                PartyField::Tags => "tags".to_string(),
                PartyField::Count => "count".to_string(),
                PartyField::Id(key) => format!("ids.{key}"),
                PartyField::Listed => "listed".to_string(),
            };
            format!("{}.{f}", var(slot))
        }
        Access::Item(slot, field) => {
            let f = match field {
                ItemField::Description => "description",
                ItemField::Hs => "hs",
                ItemField::Categories => "categories",
                ItemField::Quantity => "quantity",
                ItemField::Unit => "unit",
                ItemField::Value => "value",
            };
            format!("{}.{f}", var(slot))
        }
        Access::Vessel(slot, field) => {
            let f = match field {
                VesselField::Name => "name",
                VesselField::Imo => "imo",
                VesselField::Flag => "flag",
                VesselField::Role => "role",
                VesselField::Listed => "listed",
            };
            format!("{}.{f}", var(slot))
        }
        Access::Auth(slot, field) => {
            let f = match field {
                AuthField::By => "by",
                AuthField::Reference => "reference",
                AuthField::Date => "date",
                AuthField::Covers => "covers",
            };
            format!("{}.{f}", var(slot))
        }
        Access::TransitElem(slot) | Access::ServiceElem(slot) => var(slot),
    }
}

/// The vocabulary of a field holding codes
fn vocab_of(access: &Access) -> Option<Vocab> {
    Some(match access {
        Access::Activity => Vocab::Activity,
        Access::Services | Access::ServiceElem(_) => Vocab::Service,
        Access::Party(_, PartyField::Role) => Vocab::Role,
        Access::Party(_, PartyField::Kind) => Vocab::PartyKind,
        Access::Item(_, ItemField::Categories) => Vocab::Category,
        Access::Item(_, ItemField::Unit) => Vocab::Unit,
        Access::Vessel(_, VesselField::Role) => Vocab::VesselRole,
        _ => return None,
    })
}

/// The operator and values of a test, as written
fn test_text(test: &Test, vocab: Option<Vocab>) -> String {
    let list = |items: Vec<String>| format!("[{}]", items.join(", "));
    let syms = |codes: &[u8]| {
        list(
            codes
                .iter()
                .map(|c| vocab.map_or_else(|| c.to_string(), |v| v.value(*c).to_string()))
                .collect(),
        )
    };
    let strs = |values: &[String]| list(values.iter().map(|s| format!("{s:?}")).collect());
    match test {
        Test::SymIn(codes) => format!("in {}", syms(codes)),
        Test::SymHas(codes) => format!("has {}", syms(codes)),
        Test::StrIn(values) => format!("in {}", strs(values)),
        Test::StrHas(values) => format!("has {}", strs(values)),
        Test::StrPrefix(values) => format!("starts with {}", strs(values)),
        Test::PlaceIs(places) => format!(
            "in {}",
            list(places.iter().map(|p| p.to_string()).collect())
        ),
        Test::PlaceWithin(places) => format!(
            "within {}",
            list(places.iter().map(|p| p.to_string()).collect())
        ),
        Test::HsIs(codes) => format!("in {}", list(codes.iter().map(|h| h.to_string()).collect())),
        Test::HsWithin(patterns) => format!(
            "within {}",
            list(
                patterns
                    .iter()
                    .map(|p| match p {
                        HsPattern::One(h) => h.to_string(),
                        HsPattern::Range(lo, hi) => format!("{lo}..{hi}"),
                    })
                    .collect()
            )
        ),
        Test::Num(op, n) => format!("{} {n}", op.as_str()),
        Test::Date(op, d) => format!("{} {d}", op.as_str()),
        Test::Money(op, amount, currency) => format!(
            "{} {amount} {}",
            op.as_str(),
            String::from_utf8_lossy(currency)
        ),
        // Written with the other field's name by `head`.
        Test::Field(op, _) => op.as_str().to_string(),
    }
}
