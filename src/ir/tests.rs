//! Tests of `ir`.

use super::*;
use crate::source::SourceFile;

#[test]
fn hs_codes_and_places_are_walked_in_conditions_ranges_and_test_records() {
    let text = r#"
resolution "S/RES/1718 (2006)" adopted 2006-10-14
regime T { list "T" }
rule t.example {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when activity == trade and destination within [KP, UA-14]
   and any goods g: g.hs within [9306, 72..83]
  then prohibited "{g} supplied"
}
test "a record" {
  record {activity: trade, origin: CN, destination: KP, goods: [{hs: "2710.19"}]}
  on 2020-01-01 expect clear
}
"#;
    let file = SourceFile::new("t.rules", text);
    let (program, diagnostics) = crate::compile::compile(&[file]);
    let Some(program) = program else {
        panic!("{diagnostics:?}");
    };
    let hs: Vec<String> = program.hs_codes().iter().map(Hs::to_string).collect();
    assert_eq!(hs, ["271019", "72", "83", "9306"]);
    let places: Vec<String> = program.places().iter().map(Place::to_string).collect();
    assert_eq!(places, ["CN", "KP", "UA-14"]);
    let named = program.places_named();
    assert!(named.contains(&(Place::parse("UA-14").unwrap(), "rule t.example".to_string())));
    assert!(named.contains(&(Place::parse("KP").unwrap(), "test \"a record\"".to_string())));
    let named: Vec<String> = named.iter().map(|(p, by)| format!("{p} {by}")).collect();
    // Every place with what names it, each once (a place named by a rule but credited to a
    // test, or a place lost, passed the two `contains`).
    assert_eq!(
        named,
        [
            "CN test \"a record\"",
            "KP rule t.example",
            "KP test \"a record\"",
            "UA-14 rule t.example"
        ]
    );
}
