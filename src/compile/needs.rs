//! What a record must contain for a rule's condition to hold, and the rules indexed by
//! activity: the evaluator skips a rule whose needs a record cannot meet.

use super::*;

/// What a record must contain for `cond` to hold (conservative: `None`/`false` when unsure)
pub(super) fn needs(cond: &Cond) -> ir::Needs {
    ir::Needs {
        countries: needed_countries(cond),
        un_ref: needs_un_ref(cond),
    }
}

/// The countries one of which some place of the record must lie in for `cond` to hold
pub(super) fn needed_countries(cond: &Cond) -> Option<Vec<[u8; 2]>> {
    let found = match cond {
        Cond::Cmp(_, ir::Test::PlaceIs(places)) => {
            Some(places.iter().map(Place::country_code).collect::<Vec<_>>())
        }
        // A place within one named on some day only counts too (`ZW` for `within RH`).
        Cond::Cmp(_, ir::Test::PlaceWithin(places)) => Some(
            places
                .iter()
                .flat_map(|p| std::iter::once(p.country_code()).chain(p.dated_countries()))
                .collect::<Vec<_>>(),
        ),
        // Any one conjunct's need is the whole conjunction's; take the narrowest.
        Cond::And(parts) => parts
            .iter()
            .filter_map(needed_countries)
            .min_by_key(Vec::len),
        Cond::Or(parts) => {
            let mut all = Vec::new();
            for p in parts {
                all.extend(needed_countries(p)?);
            }
            Some(all)
        }
        Cond::Quant {
            quantifier: ir::Quantifier::Any,
            body,
            ..
        } => needed_countries(body),
        _ => None,
    };
    found.map(|mut v| {
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Whether `cond` can hold only when some party has a `un_ref` identifier
pub(super) fn needs_un_ref(cond: &Cond) -> bool {
    match cond {
        Cond::Cmp(
            ir::Access::Party(_, ir::PartyField::Id(key)),
            ir::Test::StrIn(_) | ir::Test::StrPrefix(_),
        ) => key == "un_ref",
        Cond::Exists(ir::Access::Party(_, ir::PartyField::Id(key))) => key == "un_ref",
        Cond::And(parts) => parts.iter().any(needs_un_ref),
        Cond::Or(parts) => !parts.is_empty() && parts.iter().all(needs_un_ref),
        Cond::Quant {
            quantifier: ir::Quantifier::Any,
            body,
            ..
        } => needs_un_ref(body),
        _ => false,
    }
}

/// For each activity code, the rules whose condition does not exclude it
pub(super) fn index_by_activity(rules: &[ir::Rule]) -> Vec<Vec<usize>> {
    let n = Vocab::Activity.values().len();
    let mut index = vec![Vec::new(); n];
    for (i, rule) in rules.iter().enumerate() {
        let allowed = required_activities(&rule.cond);
        for (code, bucket) in index.iter_mut().enumerate() {
            let code = u8::try_from(code).unwrap_or(u8::MAX);
            if allowed.as_ref().is_none_or(|a| a.contains(&code)) {
                bucket.push(i);
            }
        }
    }
    index
}

/// The activities a condition requires, if it requires any
pub(super) fn required_activities(cond: &Cond) -> Option<Vec<u8>> {
    match cond {
        Cond::Cmp(ir::Access::Activity, ir::Test::SymIn(codes)) => Some(codes.clone()),
        Cond::And(parts) => parts.iter().find_map(required_activities),
        Cond::Or(parts) => {
            let mut all = Vec::new();
            for p in parts {
                all.extend(required_activities(p)?);
            }
            Some(all)
        }
        _ => None,
    }
}
