//! Measures that are not encoded do not clear (issue 11, item 8): a record a measure binding the
//! parties can reach gets `review` naming it (rules/not-encoded.rules), while duties of States
//! alone (inspection, reporting) leave the verdict alone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests: a failure should stop the test"
)]

mod common;

use common::{code, embargo, err, json_lines, out};

/// A sale of trucks to Iraq in 1995: the 661 embargo, which the pack does not encode
const IRAQ_1995: &str = r#"{"id": "iraq-1995", "date": "1995-06-01", "activity": "trade", "origin": "FR", "destination": "IQ", "goods": [{"description": "trucks", "hs": "870421"}]}"#;
/// Wheat to Libya in 2020: only the inspection duty of States (2174 9) reaches it
const LIBYA_WHEAT: &str = r#"{"id": "libya-wheat", "date": "2020-06-01", "activity": "trade", "origin": "FR", "destination": "LY", "goods": [{"description": "wheat", "hs": "100199"}]}"#;

#[test]
fn a_measure_not_encoded_gives_review_naming_it() {
    let output = embargo(&["screen", "--no-lists", "-"], Some(IRAQ_1995));
    assert_eq!(code(&output), 1, "{}", err(&output));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "review", "{v}");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "un.not_encoded.iraq.before_2003", "{v}");
    assert_eq!(f["regime"], "Iraq", "{v}");
    assert_eq!(f["citations"][0]["resolution"], "S/RES/661 (1990)", "{v}");
    let reason = f["reason"].as_str().unwrap();
    assert!(reason.contains("661 (1990)"), "{reason}");
    assert!(reason.contains("a person decides"), "{reason}");
}

#[test]
fn the_day_after_the_measure_ended_is_clear_again() {
    let record = IRAQ_1995.replace("1995-06-01", "2003-05-22");
    let output = embargo(&["screen", "--no-lists", "-"], Some(&record));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "clear", "{v}");
}

#[test]
fn a_duty_of_states_alone_leaves_the_record_clear() {
    let output = embargo(&["screen", "--no-lists", "-"], Some(LIBYA_WHEAT));
    assert_eq!(code(&output), 0, "{}", err(&output));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "clear", "{v}");
}

#[test]
fn explain_names_the_measure_not_encoded() {
    let dir = std::env::temp_dir().join(format!("embargo-not-encoded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("iraq.jsonl");
    std::fs::write(&file, IRAQ_1995).unwrap();
    let output = embargo(&["explain", "--no-lists", file.to_str().unwrap()], None);
    assert_eq!(code(&output), 1, "{}", err(&output));
    let text = out(&output);
    let rule = &text[text
        .find("✓ un.not_encoded.iraq.before_2003")
        .expect("the rule fired")..];
    let rule = &rule[..rule.find("\n\n").unwrap_or(rule.len())];
    insta::assert_snapshot!("explain_iraq_1995_rule", rule);
    let verdict = &text[text.find("\nverdict:").expect("a verdict section")..];
    insta::assert_snapshot!("explain_iraq_1995_verdict", verdict);
    std::fs::remove_dir_all(&dir).ok();
}
