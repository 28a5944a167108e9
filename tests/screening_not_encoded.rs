//! Measures that are not encoded do not clear (issue 11, item 8): a record a measure binding the
//! parties can reach gets `review` naming it (rules/not-encoded.rules), while duties of States
//! alone (inspection, reporting) leave the verdict alone.

use crate::common;

use common::{code, embargo, err, json_lines, out};

/// Weapons training for a Liberian militia in 2005: a service record cannot show that the
/// training relates to arms (1521 2(b)), so the pack does not encode it as a prohibition
const LIBERIA_TRAINING: &str = r#"{"id": "liberia-training", "date": "2005-06-01", "activity": "service", "services": ["training"], "location": "LR", "parties": [{"role": "recipient", "name": "Militia", "country": "LR"}]}"#;
/// Wheat to Libya in 2020: only the inspection duty of States (2174 9) reaches it
const LIBYA_WHEAT: &str = r#"{"id": "libya-wheat", "date": "2020-06-01", "activity": "trade", "origin": "FR", "destination": "LY", "goods": [{"description": "wheat", "hs": "100199"}]}"#;

#[test]
fn a_measure_not_encoded_gives_review_naming_it() {
    let output = embargo(&["screen", "--no-lists", "-"], Some(LIBERIA_TRAINING));
    assert_eq!(code(&output), 1, "{}", err(&output));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "review", "{v}");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "un.not_encoded.liberia.arms_assistance", "{v}");
    assert_eq!(f["regime"], "Liberia", "{v}");
    assert_eq!(f["citations"][0]["resolution"], "S/RES/1521 (2003)", "{v}");
    // The verdict whole: that one finding only, its paragraph, the reason word for word (both
    // measures and their dates) and no notes.
    assert_eq!(
        *v,
        serde_json::json!({
            "id": "liberia-training",
            "verdict": "review",
            "findings": [{
                "rule": "un.not_encoded.liberia.arms_assistance",
                "verdict": "review",
                "regime": "Liberia",
                "citations": [{"resolution": "S/RES/1521 (2003)", "paragraph": "2(b)"}],
                "reason": "training for Liberia: technical training or assistance related to arms (1521 2(b)) and, from 2009-12-17, assistance or training related to military activities for non-governmental recipients (1903 4) are prohibited; a record cannot show that a service relates to them, so a person decides",
                "notes": []
            }]
        })
    );
}

#[test]
fn the_day_after_the_measure_ended_is_clear_again() {
    let record = LIBERIA_TRAINING.replace("2005-06-01", "2016-05-25");
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
    let file = dir.join("liberia.jsonl");
    std::fs::write(&file, LIBERIA_TRAINING).unwrap();
    let output = embargo(&["explain", "--no-lists", file.to_str().unwrap()], None);
    assert_eq!(code(&output), 1, "{}", err(&output));
    let text = out(&output);
    let rule = &text[text
        .find("✓ un.not_encoded.liberia.arms_assistance")
        .expect("the rule fired")..];
    let rule = &rule[..rule.find("\n\n").unwrap_or(rule.len())];
    insta::assert_snapshot!("explain_liberia_training_rule", rule);
    let verdict = &text[text.find("\nverdict:").expect("a verdict section")..];
    insta::assert_snapshot!("explain_liberia_training_verdict", verdict);
    std::fs::remove_dir_all(&dir).ok();
}
