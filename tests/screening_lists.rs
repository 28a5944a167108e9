//! What was seen is never dropped (issue 11, item 7): a list match that no rule used is a
//! `list.NAME` finding (review unless `--list-verdict NAME=VERDICT`), and a finding lifted by an
//! authorization keeps the matches it rested on, in JSON, in the table and in `explain`.

use crate::common;

use common::{code, embargo, err, json_lines, out};

/// OFAC's SDN fixture: entry 1001 `ALPHA TEST TRADING` (program TESTPROG, which no rule reads)
const SDN: &str = "tests/lists/sdn.csv";
/// The UN fixture: KPe.901 `KOREA FICTIVE TRADING CORPORATION` (DPRK)
const UN: &str = "tests/screening/list.xml";

const OFAC_PARTY: &str = r#"{"id": "ofac", "date": "2024-03-01", "activity": "payment", "parties": [{"role": "payer", "name": "Nordbank AG", "country": "DE"}, {"role": "payee", "name": "Alpha Test Trading", "kind": "entity"}]}"#;
const OFAC_WEAK: &str = r#"{"id": "ofac-weak", "date": "2024-03-01", "activity": "payment", "parties": [{"role": "payee", "name": "Alpha Test Trading Holdings Group", "kind": "entity"}]}"#;
const LIFTED: &str = r#"{"id": "lifted", "date": "2024-03-01", "activity": "payment", "parties": [{"role": "payee", "name": "Korea Fictive Trading Corporation", "kind": "entity"}], "authorizations": [{"by": "1718 Committee", "reference": "1718/EX/1"}]}"#;

#[test]
fn an_ofac_match_no_rule_reads_is_a_review_finding_of_its_list() {
    let output = embargo(&["screen", "--list", SDN, "-"], Some(OFAC_PARTY));
    assert_eq!(code(&output), 1, "review: exit 1\n{}", err(&output));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "review", "{v}");
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{v}");
    let f = &findings[0];
    assert_eq!(f["rule"], "list.sdn.csv", "{v}");
    assert_eq!(f["regime"], "sdn.csv", "{v}");
    assert_eq!(f["verdict"], "review", "{v}");
    // The reason word for word: which party, which entry of which program, by what, how
    // strong, and that no rule decided (its parts were checked one by one, in any order).
    assert_eq!(
        f["reason"],
        "parties[1] `Alpha Test Trading` matches sdn.csv entry 1001 `ALPHA TEST TRADING` (TESTPROG) by name `ALPHA TEST TRADING`, exact match (score 1.00); no rule decided on this match",
        "{v}"
    );
    assert_eq!(f["citations"], serde_json::json!([]), "{v}");
    // The one match whole (a second match, or a wrong list type, score or why, passed).
    assert_eq!(
        f["matches"],
        serde_json::json!([{
            "of": "parties[1]",
            "list": "sdn.csv",
            "reference": "1001",
            "list_type": "TESTPROG",
            "listed_name": "ALPHA TEST TRADING",
            "matched_by": "name",
            "matched_value": "Alpha Test Trading",
            "matched": "ALPHA TEST TRADING",
            "score": 1.0,
            "strength": "exact",
            "why": ["name `Alpha Test Trading` against `ALPHA TEST TRADING`: 1.00"]
        }]),
        "{v}"
    );
    assert!(
        err(&output).contains("each match gives a `list.sdn.csv` finding"),
        "{}",
        err(&output)
    );
}

#[test]
fn the_verdict_of_a_list_is_configurable() {
    for (verdict, exit) in [
        ("prohibited", 1),
        ("authorization_required", 1),
        ("review", 1),
        ("notify", 0),
        ("clear", 0),
    ] {
        let setting = format!("sdn.csv={verdict}");
        let output = embargo(
            &["screen", "--list", SDN, "--list-verdict", &setting, "-"],
            Some(OFAC_PARTY),
        );
        assert_eq!(code(&output), exit, "{verdict}: {}", err(&output));
        let v = &json_lines(&out(&output))[0];
        assert_eq!(v["verdict"], verdict, "{v}");
        // Even `clear` keeps the finding: the match is seen.
        assert_eq!(v["findings"][0]["rule"], "list.sdn.csv", "{v}");
        assert_eq!(v["findings"][0]["verdict"], verdict, "{v}");
    }
}

#[test]
fn a_weak_match_stays_review_whatever_its_list_says() {
    let output = embargo(
        &[
            "screen",
            "--list",
            SDN,
            "--list-verdict",
            "sdn.csv=prohibited",
            "-",
        ],
        Some(OFAC_WEAK),
    );
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "review", "{v}");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "list.sdn.csv", "{v}");
    assert_eq!(f["matches"][0]["strength"], "weak", "{v}");
    assert!(
        f["notes"][0]
            .as_str()
            .unwrap()
            .contains("a confirmed match makes this prohibited"),
        "{v}"
    );
    // The one finding's verdict review and the one note whole (the configured prohibited kept
    // by the finding itself, or a second note, passed before).
    assert_eq!(v["findings"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(f["verdict"], "review", "{v}");
    assert_eq!(
        f["notes"],
        serde_json::json!([
            "a weak match never gives more than review: confirm it; a confirmed match makes this prohibited"
        ]),
        "{v}"
    );
}

#[test]
fn list_verdict_is_checked() {
    let cases = [
        (
            "sdn.csv=maybe",
            "unknown verdict `maybe`: expected prohibited, authorization_required, review, notify or clear",
        ),
        ("sdn.csv", "expected NAME=VERDICT"),
        ("=review", "no list name before `=`"),
        (
            "sdn=review",
            "--list-verdict sdn: no list of that name is screened against (the lists loaded are sdn.csv)",
        ),
    ];
    for (setting, message) in cases {
        for command in ["screen", "explain"] {
            let output = embargo(
                &[command, "--list", SDN, "--list-verdict", setting, "-"],
                Some(OFAC_PARTY),
            );
            assert_eq!(code(&output), 2, "{command} {setting}: {}", err(&output));
            assert!(
                err(&output).contains(message),
                "{command} {setting}: {}",
                err(&output)
            );
            assert!(out(&output).is_empty(), "{}", out(&output));
        }
    }
    let output = embargo(
        &[
            "screen",
            "--no-lists",
            "--list-verdict",
            "sdn.csv=review",
            "-",
        ],
        Some(OFAC_PARTY),
    );
    assert_eq!(code(&output), 2, "{}", err(&output));
    assert!(
        err(&output).contains("no list is loaded"),
        "{}",
        err(&output)
    );
}

#[test]
fn a_lifted_finding_keeps_its_match_in_json() {
    let output = embargo(&["screen", "--list", UN, "-"], Some(LIFTED));
    assert_eq!(code(&output), 0, "{}", err(&output));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "clear", "{v}");
    assert_eq!(v["findings"], serde_json::json!([]), "{v}");
    let lifted = &v["lifted"][0];
    assert_eq!(lifted["rule"], "un.freeze.dprk", "{v}");
    assert_eq!(
        lifted["by"], "authorization by 1718 Committee (1718/EX/1)",
        "{v}"
    );
    assert_eq!(lifted["matches"][0]["of"], "parties[0]", "{v}");
    assert_eq!(lifted["matches"][0]["reference"], "KPe.901", "{v}");
    assert_eq!(lifted["matches"][0]["strength"], "exact", "{v}");
}

#[test]
fn a_lifted_finding_keeps_its_match_in_the_table() {
    let output = embargo(
        &["screen", "--format", "table", "--list", UN, "-"],
        Some(LIFTED),
    );
    insta::assert_snapshot!(out(&output));
}

#[test]
fn a_lifted_finding_keeps_its_match_in_explain() {
    let dir = std::env::temp_dir().join(format!("embargo-lifted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lifted.jsonl");
    std::fs::write(&file, LIFTED).unwrap();
    let output = embargo(&["explain", "--list", UN, file.to_str().unwrap()], None);
    let text = out(&output);
    let verdict = &text[text.find("\nverdict:").expect("a verdict section")..];
    insta::assert_snapshot!(verdict);
    assert!(
        text.contains("fired, lifted by authorization by 1718 Committee (1718/EX/1)"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn explain_shows_a_list_finding() {
    let dir = std::env::temp_dir().join(format!("embargo-listfinding-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ofac.jsonl");
    std::fs::write(&file, OFAC_PARTY).unwrap();
    let output = embargo(&["explain", "--list", SDN, file.to_str().unwrap()], None);
    assert_eq!(code(&output), 1, "{}", err(&output));
    let text = out(&output);
    let verdict = &text[text.find("\nverdict:").expect("a verdict section")..];
    insta::assert_snapshot!(verdict);
    std::fs::remove_dir_all(&dir).ok();
}
