//! The reasons of findings: a template's fields and bound elements filled from the record, each
//! variable from its own slot.

use crate::common;

use embargo::internals::eval::Evaluator;

const RULES: &str = r#"resolution "S/RES/1" adopted 2000-01-01
regime T { list "T" }
rule t.transit_first {
  regime T
  cites "S/RES/1" 1
  in force from 2000-01-01
  when activity == trade and any transit t: t within CN and any services s: s == brokering
  then prohibited "via {t}, {s}, from {origin}"
}
rule t.transit_second {
  regime T
  cites "S/RES/1" 2
  in force from 2000-01-01
  when activity == payment
   and any parties p: p.role == payee and any services s: s == brokering and any transit t: t within CN
  then prohibited "{p.name}: {s} via {t}"
}
rule t.goods {
  regime T
  cites "S/RES/1" 3
  in force from 2000-01-01
  when activity == trade and origin within KP and any goods g: g.hs within 93
  then prohibited "{g} (hs {g.hs}, {g.categories}, {g.description})"
}
"#;

fn reasons(json: &str) -> Vec<(String, String)> {
    let program = common::program("t.rules", RULES);
    let verdict = Evaluator::new(&program).evaluate(&common::record(json));
    verdict
        .findings
        .unwrap_or_default()
        .into_iter()
        .map(|f| (f.rule, f.reason))
        .collect()
}

/// A place of transit and a service are shown as their values, whichever slot their variable has
/// (the elements bound are at other positions in each list, so a wrong slot shows another value)
#[test]
fn a_bound_transit_place_or_service_is_shown_as_its_value() {
    assert_eq!(
        reasons(
            r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "origin": "KP",
                "transit": ["RU", "CN-SH"], "services": ["insurance", "brokering"]}"#
        ),
        [(
            "t.transit_first".to_string(),
            "via CN-SH, brokering, from KP".to_string()
        )]
    );
    assert_eq!(
        reasons(
            r#"{"id": "b", "date": "2020-01-01", "activity": "payment",
                "parties": [{"role": "payee", "name": "B"}, {"role": "payer", "name": "A"}],
                "transit": ["RU", "CN-SH"], "services": ["brokering"]}"#
        ),
        [(
            "t.transit_second".to_string(),
            "B: brokering via CN-SH".to_string()
        )]
    );
}

/// An empty list and a missing value both show as `(none)`, never as nothing
#[test]
fn an_empty_list_shows_as_none() {
    let got = reasons(
        r#"{"id": "g", "date": "2022-09-05", "activity": "trade", "origin": "KP", "goods": [{"hs": "930690", "categories": []}, {"hs": "930690", "categories": ["arms"], "description": "shells"}]}"#,
    );
    assert_eq!(
        got,
        [(
            "t.goods".to_string(),
            "goods[0] (hs 930690, (none), (none))".to_string()
        )]
    );
}
