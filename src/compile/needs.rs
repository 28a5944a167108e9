//! What a record must contain for a rule's condition to hold, and the rules indexed by
//! activity: the evaluator skips a rule whose needs a record cannot meet.

use super::*;

/// What a record must contain for `cond` to hold (conservative: `None`/`false` when unsure)
pub(super) fn needs(cond: &Cond) -> ir::Needs {
    ir::Needs {
        countries: needed_countries(cond),
        carried: needed_carried(cond),
        goods: needed_goods(cond),
    }
}

/// The categories and HS chapters one of which some item of goods must have for `cond` to hold:
/// a test that an item's categories include one of some, or that its HS code is or lies within
/// some, under `and`, `or` (when every branch has one) and `any`. `None` when unsure: `all`
/// and `none` hold on a record without goods, `not` and counts are not read.
pub(super) fn needed_goods(cond: &Cond) -> Option<ir::GoodsNeed> {
    match cond {
        Cond::Cmp(ir::Access::Item(_, ir::ItemField::Categories), ir::Test::SymHas(codes)) => {
            let mut bits = 0u32;
            for &code in codes {
                bits |= 1u32.checked_shl(u32::from(code))?;
            }
            Some(ir::GoodsNeed {
                categories: bits,
                chapters: 0,
            })
        }
        Cond::Cmp(ir::Access::Item(_, ir::ItemField::Hs), ir::Test::HsIs(codes)) => {
            chapters(codes.iter().map(|h| (h, h)))
        }
        Cond::Cmp(ir::Access::Item(_, ir::ItemField::Hs), ir::Test::HsWithin(patterns)) => {
            // Within a code: starts with it, so in its chapter; in a range of codes of one length:
            // the first digits in the range, so the chapter in the range of their chapters.
            chapters(patterns.iter().map(|p| match p {
                ir::HsPattern::One(h) => (h, h),
                ir::HsPattern::Range(lo, hi) => (lo, hi),
            }))
        }
        Cond::And(parts) => parts
            .iter()
            .filter_map(needed_goods)
            .min_by_key(ir::GoodsNeed::width),
        Cond::Or(parts) => {
            let mut all = ir::GoodsNeed::default();
            for p in parts {
                all = all.or(needed_goods(p)?);
            }
            Some(all)
        }
        Cond::Quant {
            quantifier: ir::Quantifier::Any,
            body,
            ..
        } => needed_goods(body),
        _ => None,
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

/// The need of an item whose HS code lies in one of these ranges of codes (a code alone is the
/// range from itself to itself): the chapters from each range's first to its last; `None` for a
/// code without two digits
fn chapters<'h>(ranges: impl Iterator<Item = (&'h Hs, &'h Hs)>) -> Option<ir::GoodsNeed> {
    let mut bits = 0u128;
    for (lo, hi) in ranges {
        for chapter in ir::GoodsNeed::chapter(lo)?..=ir::GoodsNeed::chapter(hi)? {
            bits |= 1u128.checked_shl(chapter)?;
        }
    }
    Some(ir::GoodsNeed {
        categories: 0,
        chapters: bits,
    })
}

/// What some party or vessel must carry for `cond` to hold: a `un_ref` for a test of it
/// (`exists`, `in`, `starts with`), tags for a test of a party's (`has`, `exists`), a
/// designation for a test of what a party or vessel is listed on (`has`, `exists`); a missing
/// field and an empty list fail each of those tests. Under `and` what any conjunct needs, under
/// `or` what every branch needs, under `any` what its body needs; nothing under `all`, `none`,
/// `not` and counts, which hold on a record without it.
pub(super) fn needed_carried(cond: &Cond) -> ir::Carried {
    use ir::{Access, Carried, PartyField, Test, VesselField};
    match cond {
        Cond::Cmp(Access::Party(_, PartyField::Id(key)), Test::StrIn(_) | Test::StrPrefix(_))
        | Cond::Exists(Access::Party(_, PartyField::Id(key)))
            if key == "un_ref" =>
        {
            Carried::UN_REF
        }
        Cond::Cmp(Access::Party(_, PartyField::Tags), Test::StrHas(_))
        | Cond::Exists(Access::Party(_, PartyField::Tags)) => Carried::PARTY_TAGS,
        Cond::Cmp(Access::Party(_, PartyField::Listed), Test::StrHas(_))
        | Cond::Exists(Access::Party(_, PartyField::Listed)) => Carried::PARTY_LISTED,
        Cond::Cmp(Access::Vessel(_, VesselField::Listed), Test::StrHas(_))
        | Cond::Exists(Access::Vessel(_, VesselField::Listed)) => Carried::VESSEL_LISTED,
        Cond::And(parts) => parts
            .iter()
            .fold(Carried::NONE, |all, p| all.union(needed_carried(p))),
        Cond::Or(parts) => parts
            .iter()
            .map(needed_carried)
            .reduce(Carried::intersection)
            .unwrap_or_default(),
        Cond::Quant {
            quantifier: ir::Quantifier::Any,
            body,
            ..
        } => needed_carried(body),
        _ => Carried::NONE,
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

/// For each activity, its rules (`by_activity`) by the countries they need (`needs`)
pub(super) fn index_by_needs(
    by_activity: &[Vec<usize>],
    needs: &[ir::Needs],
) -> Vec<ir::Candidates> {
    by_activity
        .iter()
        .map(|rules| {
            let mut candidates = ir::Candidates::default();
            let mut by_country: std::collections::BTreeMap<[u8; 2], Vec<usize>> =
                std::collections::BTreeMap::new();
            for &rule in rules {
                let need = needs.get(rule);
                match need.and_then(|n| n.countries.as_ref()) {
                    None => {
                        // Under the first kind of what it must carry, if it must carry any
                        let carried = need.map(|n| n.carried).unwrap_or_default();
                        let under = ir::Carried::KINDS
                            .iter()
                            .zip(&mut candidates.carrying)
                            .find(|((kind, _), _)| carried.contains(*kind))
                            .map(|(_, rules)| rules);
                        under.unwrap_or(&mut candidates.anywhere).push(rule);
                    }
                    Some(countries) => {
                        for country in countries {
                            by_country.entry(*country).or_default().push(rule);
                        }
                    }
                }
            }
            candidates.by_country = by_country.into_iter().collect();
            candidates
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use crate::source::SourceFile;

    /// The needs and the activities indexed of a rule with condition `cond`
    fn of(cond: &str) -> (crate::ir::Needs, Vec<&'static str>) {
        let text = format!(
            "resolution \"S/RES/1718 (2006)\" adopted 2006-10-14\nregime DPRK {{ list \"DPRK\" }}\n\
rule x.a {{\n  regime DPRK\n  cites \"S/RES/1718 (2006)\" 8(a)\n  in force from 2006-10-14\n  \
when {cond}\n  then prohibited \"x\"\n}}\n"
        );
        let (program, diagnostics) = super::super::compile(&[SourceFile::new("t.rules", text)]);
        assert!(!diagnostics.has_errors(), "{cond}: {diagnostics:?}");
        let program = program.unwrap_or_default();
        let activities = crate::model::vocab::Vocab::Activity
            .values()
            .iter()
            .zip(&program.by_activity)
            .filter(|(_, rules)| !rules.is_empty())
            .map(|(a, _)| *a)
            .collect();
        (
            program.needs.first().cloned().unwrap_or_default(),
            activities,
        )
    }

    fn countries(codes: &[&str]) -> Option<Vec<[u8; 2]>> {
        Some(
            codes
                .iter()
                .map(|c| {
                    let b = c.as_bytes();
                    [
                        b.first().copied().unwrap_or(0),
                        b.get(1).copied().unwrap_or(0),
                    ]
                })
                .collect(),
        )
    }

    #[test]
    fn the_countries_a_record_needs() {
        let all = crate::model::vocab::Vocab::Activity.values().len();
        for (cond, want) in [
            (
                "destination within KP or origin within [IR, SY]",
                countries(&["IR", "KP", "SY"]),
            ),
            (
                "destination within KP and origin within [IR, SY]",
                countries(&["KP"]),
            ),
            ("activity == payment or destination within KP", None),
            ("any parties p: p.country within KP", countries(&["KP"])),
            ("all parties p: p.country within KP", None),
            ("destination == KP", countries(&["KP"])),
            // A place within the one named on some day only counts too
            ("destination within RH", countries(&["RH", "ZW"])),
        ] {
            assert_eq!(of(cond).0.countries, want, "{cond}");
        }
        assert_eq!(of("destination within KP").1.len(), all);
    }

    #[test]
    fn the_goods_a_record_needs() {
        use crate::ir::GoodsNeed;
        let categories = |codes: &[&str]| {
            codes.iter().fold(0u32, |bits, c| {
                bits | 1 << crate::model::vocab::Vocab::Category.code(c).unwrap_or(31)
            })
        };
        let chapters = |list: &[u32]| list.iter().fold(0u128, |bits, c| bits | 1 << c);
        let need = |c: &[&str], h: &[u32]| {
            Some(GoodsNeed {
                categories: categories(c),
                chapters: chapters(h),
            })
        };
        for (cond, want) in [
            ("any goods g: g.categories has arms", need(&["arms"], &[])),
            (
                "any goods g: g.categories has [luxury, nuclear]",
                need(&["luxury", "nuclear"], &[]),
            ),
            ("any goods g: g.hs within 93", need(&[], &[93])),
            (
                "any goods g: g.hs within [2701, 8906.10]",
                need(&[], &[27, 89]),
            ),
            ("any goods g: g.hs within 7208..7302", need(&[], &[72, 73])),
            ("any goods g: g.hs == 930690", need(&[], &[93])),
            // Either branch: the union; an item that meets one meets the condition
            (
                "any goods g: g.hs within 93 or g.categories has arms",
                need(&["arms"], &[93]),
            ),
            // Branches that share a chapter or a category keep it
            (
                "any goods g: g.hs within [93, 27] or g.hs within 9301 or g.categories has arms or g.categories has [arms, luxury]",
                need(&["arms", "luxury"], &[27, 93]),
            ),
            // Both: the narrower
            (
                "any goods g: g.hs within [93, 88] and g.categories has arms",
                need(&["arms"], &[]),
            ),
            (
                "destination within KP and any goods g: g.hs within 27",
                need(&[], &[27]),
            ),
            // Unsure: a branch without a need, all, none, not, a count
            ("any goods g: g.hs within 93 or destination within KP", None),
            ("all goods g: g.categories has arms", None),
            ("none goods g: g.categories has arms", None),
            ("not (any goods g: g.categories has arms)", None),
            ("any goods g: not (g.categories has arms)", None),
            ("count(goods g: g.categories has arms) >= 2", None),
            ("any goods g: exists g.hs", None),
        ] {
            assert_eq!(of(cond).0.goods, want, "{cond}");
        }
    }

    /// An `or` of no branch (the parser makes none) never holds, so it may need what no record
    /// has: no country, no goods; what must be carried is what all its branches need, nothing
    #[test]
    fn an_empty_or_needs_what_no_record_has() {
        let empty = crate::ir::Cond::Or(Vec::new());
        assert_eq!(
            super::needed_goods(&empty),
            Some(crate::ir::GoodsNeed::default())
        );
        assert_eq!(super::needed_countries(&empty), Some(Vec::new()));
        assert_eq!(super::needed_carried(&empty), crate::ir::Carried::NONE);
    }

    #[test]
    fn what_a_party_or_vessel_must_carry() {
        use crate::ir::Carried;
        let (un_ref, tags) = (Carried::UN_REF, Carried::PARTY_TAGS);
        let (party, vessel) = (Carried::PARTY_LISTED, Carried::VESSEL_LISTED);
        for (cond, want) in [
            ("any parties p: exists p.ids.un_ref", un_ref),
            ("any parties p: exists p.ids.imo", Carried::NONE),
            ("any parties p: p.ids.imo starts with \"9\"", Carried::NONE),
            ("any parties p: p.ids.un_ref starts with \"KPi.\"", un_ref),
            ("any parties p: p.ids.un_ref in [\"KPi.001\"]", un_ref),
            (
                "destination within KP and any parties p: exists p.ids.un_ref",
                un_ref,
            ),
            (
                "any parties p: exists p.ids.un_ref or destination within KP",
                Carried::NONE,
            ),
            (
                "any parties p: exists p.ids.un_ref or any parties q: q.ids.un_ref starts with \"X\"",
                un_ref,
            ),
            ("all parties p: exists p.ids.un_ref", Carried::NONE),
            ("any parties p: p.tags has unita", tags),
            ("any parties p: exists p.tags", tags),
            ("any parties p: not p.tags has unita", Carried::NONE),
            ("any parties p: p.listed has DPRK", party),
            ("any parties p: exists p.listed", party),
            ("any vessels v: v.listed has DPRK", vessel),
            ("any vessels v: exists v.listed", vessel),
            ("none vessels v: v.listed has DPRK", Carried::NONE),
            // Under `and`, every conjunct's; under `or`, what both branches need
            (
                "any parties p: p.tags has unita and any vessels v: v.listed has DPRK",
                tags.union(vessel),
            ),
            (
                "any parties p: p.tags has unita and p.listed has DPRK or any parties q: q.listed has DPRK",
                party,
            ),
            (
                "any parties p: p.tags has unita or any vessels v: v.listed has DPRK",
                Carried::NONE,
            ),
        ] {
            assert_eq!(of(cond).0.carried, want, "{cond}");
        }
    }

    #[test]
    fn rules_are_indexed_by_the_activities_they_allow() {
        assert_eq!(of("activity == payment").1, ["payment"]);
        assert_eq!(
            of("destination within KP and (activity == trade or activity == payment)").1,
            ["trade", "payment"]
        );
        assert_eq!(
            of("activity == trade or destination within KP").1.len(),
            crate::model::vocab::Vocab::Activity.values().len()
        );
    }

    #[test]
    fn candidates_are_the_rules_a_record_can_meet_in_rule_order() {
        use crate::ir::{Carried, Needs};
        let kp = [b'K', b'P'];
        let ir = [b'I', b'R'];
        let ru = [b'R', b'U'];
        let (un_ref, tags, vessel) = (Carried::UN_REF, Carried::PARTY_TAGS, Carried::VESSEL_LISTED);
        let need = |countries: Option<Vec<[u8; 2]>>, carried: Carried| Needs {
            countries,
            carried,
            goods: None,
        };
        let needs = [
            need(Some(vec![ir, kp]), Carried::NONE),
            Needs::default(),
            need(None, un_ref),
            need(Some(vec![kp]), un_ref),
            need(Some(vec![ru]), Carried::NONE),
            need(None, tags.union(un_ref)),
            need(None, tags.union(vessel)),
        ];
        // Rule 4 is not of this activity
        let index = super::index_by_needs(&[vec![0, 1, 2, 3, 5, 6]], &needs);
        let [candidates] = index.as_slice() else {
            panic!("one activity: {index:?}")
        };
        assert_eq!(candidates.anywhere, [1]);
        // Under the first kind of `Carried::KINDS` each needs: vessels, parties listed, tags, un_ref
        assert_eq!(
            candidates.carrying,
            [vec![6], vec![], vec![5], vec![2]],
            "{candidates:?}"
        );
        assert_eq!(candidates.by_country, [(ir, vec![0]), (kp, vec![0, 3])]);
        let of = |countries: &[[u8; 2]], carried: Carried| {
            let (mut marks, mut out) = (vec![u64::MAX; 3], vec![7]);
            candidates.of(countries, carried, &mut marks, &mut out);
            out
        };
        assert_eq!(of(&[], Carried::NONE), [1]);
        assert_eq!(of(&[ru], Carried::NONE), [1]);
        assert_eq!(of(&[], un_ref), [1, 2]);
        assert_eq!(of(&[], tags), [1, 5]);
        assert_eq!(of(&[], tags.union(vessel)), [1, 5, 6]);
        // Rule 0 is under both IR and KP: once, in rule order
        assert_eq!(of(&[ir, kp], Carried::NONE), [0, 1, 3]);
        assert_eq!(of(&[ir, kp, ru], un_ref), [0, 1, 2, 3]);
        // A rule needing a party with a `un_ref` as well as KP is still weighed by its needs
        assert_eq!(of(&[kp], Carried::NONE), [0, 1, 3]);
        // Rules past the first word of marks come out numbered as they went in
        let wide = crate::ir::Candidates {
            anywhere: vec![1, 70],
            carrying: Default::default(),
            by_country: vec![(kp, vec![3, 130])],
        };
        let (mut marks, mut out) = (Vec::new(), Vec::new());
        wide.of(&[kp], Carried::NONE, &mut marks, &mut out);
        assert_eq!(out, [1, 3, 70, 130]);
    }
}
