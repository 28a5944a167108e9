//! The acceptance table written from the law (issue 12, item 6): each file of `tests/law/` holds
//! dated records written from the resolutions' texts, before and apart from the rules, each with
//! `meta.expect` (the verdict, and the rule expected among the findings when one is) and
//! `meta.source` (the resolution and paragraph the case was read from). Every record is screened
//! with the embedded pack and no list; one failure report names every case that disagrees.

use crate::common;

use common::{embargo, json_lines, out};
use serde_json::Value;

#[test]
fn every_case_of_the_law_gets_its_verdict_and_rule() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/law");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case file in tests/law/");
    let mut cases = 0;
    let mut wrong = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let records: Vec<Value> = json_lines(&text);
        let output = embargo(&["screen", "--no-lists", file.to_str().unwrap()], None);
        let verdicts = json_lines(&out(&output));
        assert_eq!(verdicts.len(), records.len(), "{}", file.display());
        for (record, verdict) in records.iter().zip(&verdicts) {
            cases += 1;
            // Verdicts are paired with records by position: each must be its own record's.
            assert_eq!(verdict["id"], record["id"], "{}", file.display());
            let expect = &record["meta"]["expect"];
            assert!(
                expect["verdict"].is_string(),
                "{}: {} has no meta.expect.verdict",
                file.display(),
                record["id"]
            );
            let rules: Vec<&str> = verdict["findings"]
                .as_array()
                .map(|f| f.iter().filter_map(|f| f["rule"].as_str()).collect())
                .unwrap_or_default();
            let verdict_ok = verdict["verdict"] == expect["verdict"];
            let rule_ok = expect["rule"]
                .as_str()
                .is_none_or(|want| rules.contains(&want));
            if !(verdict_ok && rule_ok) {
                wrong.push(format!(
                    "{} {} on {}: expected {} {}, got {} {:?} ({})",
                    file.file_name().unwrap().to_string_lossy(),
                    record["id"],
                    record["date"],
                    expect["verdict"],
                    expect["rule"],
                    verdict["verdict"],
                    rules,
                    record["meta"]["source"]
                ));
            }
        }
    }
    // The README says how many cases there are.
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    assert!(
        readme.contains(&format!("`tests/law/`, {cases} dated cases")),
        "README.md should say `tests/law/`, {cases} dated cases"
    );
    assert!(
        wrong.is_empty(),
        "{} of {cases} cases disagree with the law:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
