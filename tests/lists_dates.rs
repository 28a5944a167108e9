//! Screening against lists by date (an entry matches from its listing date, a vessel from its
//! designation date) and lists that cannot be read, which stop the run.

use crate::common;
use crate::lists::fixture;

use std::collections::BTreeMap;

use common::{code, embargo, err, out};
use embargo::internals::screening::lists::{read_un_xml, read_vessels};
use std::fs::File;
use std::io::BufReader;

/// A record with one party, as JSON Lines
fn record(id: &str, date: &str, name: &str, kind: &str) -> String {
    serde_json::json!({
        "id": id, "date": date, "activity": "payment",
        "parties": [{"role": "payee", "name": name, "kind": kind}]
    })
    .to_string()
        + "\n"
}

/// The references of the matches of each verdict, by record id
fn matched(stdout: &str) -> BTreeMap<String, Vec<String>> {
    common::json_lines(stdout)
        .iter()
        .map(|v| {
            let mut refs: Vec<String> = v["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|f| f["matches"].as_array().cloned().unwrap_or_default())
                .map(|m| m["reference"].as_str().unwrap().to_string())
                .collect();
            refs.dedup();
            (v["id"].as_str().unwrap().to_string(), refs)
        })
        .collect()
}

/// An entry matches only records dated on or after its listing date: the day before
/// `LISTED_ON` gets no match from it (not even weak), the day itself does; by name and by
/// `ids.un_ref` alike
#[test]
fn an_entry_matches_only_from_its_listing_date() {
    let input = [
        record("before", "2020-06-14", "RI FICTUS CHOL", "individual"),
        record("on", "2020-06-15", "RI FICTUS CHOL", "individual"),
        record("near-before", "2020-06-14", "RI FICTUS CHOLL", "individual"),
        record("near-on", "2020-06-15", "RI FICTUS CHOLL", "individual"),
    ]
    .concat();
    let output = embargo(
        &["screen", "--list", "tests/lists/snap-2026-01-10.xml", "-"],
        Some(&input),
    );
    let found = matched(&out(&output));
    assert_eq!(found["before"], Vec::<String>::new(), "{}", out(&output));
    assert_eq!(found["near-before"], Vec::<String>::new());
    assert_eq!(found["on"], ["KPi.953"]);
    assert_eq!(found["near-on"], ["KPi.953"]);
    let verdicts = common::json_lines(&out(&output));
    assert_eq!(verdicts[0]["verdict"], "clear");
    assert_eq!(verdicts[1]["verdict"], "prohibited");
    assert_eq!(code(&output), 1);

    // explain: the same record the day before, and on the day
    for (date, verdict) in [("2020-06-14", "clear"), ("2020-06-15", "prohibited")] {
        let one = record("x", date, "RI FICTUS CHOL", "individual");
        let output = embargo(
            &[
                "explain",
                "--format",
                "json",
                "--list",
                "tests/lists/snap-2026-01-10.xml",
                "-",
            ],
            Some(&one),
        );
        let json: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
        assert_eq!(json["verdict"]["verdict"], verdict, "{}", out(&output));
    }
}

/// The library's matcher: the listing date filters identifiers and names, and a matcher without
/// a date (`party`) finds every entry
#[test]
fn the_matcher_leaves_out_entries_listed_after_the_record() {
    let catalog = read_un_xml(BufReader::new(
        File::open(fixture("snap-2026-01-10.xml")).unwrap(),
    ))
    .unwrap();
    let mut matcher = embargo::internals::screening::matching::ListMatcher::new();
    matcher.add("snap.xml", &catalog);
    let text = |date: &str| embargo::internals::model::RecordText {
        line: 1,
        column: 1,
        text: serde_json::json!({
            "id": "a", "date": date, "activity": "payment",
            "parties": [{"role": "payee", "name": "Ri Fictus Chol", "kind": "individual",
                         "ids": {"un_ref": "KPi.953"}}]
        })
        .to_string(),
        yaml: false,
        table: None,
    };
    let mut t = embargo::internals::model::parse_record("t", &text("2020-06-14")).unwrap();
    matcher.annotate(&mut t);
    assert!(t.parties[0].designations.is_empty(), "{:?}", t.parties[0]);
    assert_eq!(matcher.party(&t.parties[0]).len(), 1);
    let mut t = embargo::internals::model::parse_record("t", &text("2020-06-15")).unwrap();
    matcher.annotate(&mut t);
    let by: Vec<&str> = t.parties[0]
        .designations
        .iter()
        .map(|d| d.matched_by.as_str())
        .collect();
    assert_eq!(by, ["un_ref"]);
}

/// A list that cannot be read stops `screen` and `explain` with exit 2 and the reason, unless
/// --no-lists: each broken cache kept under tests/lists/cache/, and list files given with --list
#[test]
fn lists_that_cannot_be_read_fail_closed() {
    let input = record("a", "2026-02-01", "NORTHERN STAR FICTIVE BANK", "entity");
    let mut report = String::new();
    for case in [
        "truncated",
        "sha-mismatch",
        "count-mismatch",
        "date-mismatch",
        "empty",
        "corrupt-meta",
        "no-meta",
        "no-list",
    ] {
        let dir = format!("tests/lists/cache/{case}");
        for command in ["screen", "explain"] {
            let output = embargo(&[command, "--cache-dir", &dir, "-"], Some(&input));
            assert_eq!(code(&output), 2, "{case} {command}: {}", err(&output));
            assert!(err(&output).contains(&dir), "{case}: {}", err(&output));
            assert!(out(&output).is_empty(), "{case}: {}", out(&output));
            if command == "screen" {
                let last = err(&output).lines().last().unwrap_or_default().to_string();
                report.push_str(&format!("{case}: {last}\n"));
            }
        }
        let output = embargo(
            &["screen", "--cache-dir", &dir, "--no-lists", "-"],
            Some(&input),
        );
        assert_eq!(code(&output), 0, "{case} --no-lists: {}", err(&output));
    }
    for file in [
        "truncated.xml",
        "empty.xml",
        "malformed.xml",
        "not-a-list.txt",
    ] {
        let path = format!("tests/lists/{file}");
        let output = embargo(&["screen", "--list", &path, "-"], Some(&input));
        assert_eq!(code(&output), 2, "{file}: {}", err(&output));
        assert!(out(&output).is_empty(), "{file}: {}", out(&output));
        let last = err(&output).lines().last().unwrap_or_default().to_string();
        report.push_str(&format!("--list {file}: {last}\n"));
    }
    insta::assert_snapshot!(report);

    // A list whose every entry is skipped: each reason is said before the list is refused
    let output = embargo(
        &["screen", "--list", "tests/lists/all_bad.xml", "-"],
        Some(&input),
    );
    assert_eq!(code(&output), 2, "{}", err(&output));
    let stderr = err(&output);
    let said: Vec<&str> = stderr.lines().collect();
    let problem = said
        .iter()
        .position(|l| l.contains("field `REFERENCE_NUMBER`: missing"));
    let refused = said
        .iter()
        .position(|l| l.contains("the list has no entries"));
    assert!(problem.is_some() && problem < refused, "{}", err(&output));
    // stderr whole: the one skipped entry with its line, then the refusal, and nothing else.
    assert_eq!(
        stderr,
        "\
embargo: tests/lists/all_bad.xml: line 4: field `REFERENCE_NUMBER`: missing
embargo: tests/lists/all_bad.xml: the list has no entries: refusing to screen against an empty list
"
    );
    assert_eq!(out(&output), "");

    // The good copy of the same list screens.
    let output = embargo(
        &["screen", "--cache-dir", "tests/lists/cache/good", "-"],
        Some(&input),
    );
    assert_eq!(code(&output), 1, "{}", err(&output));
    assert_eq!(matched(&out(&output))["a"], ["KPe.952"]);
    // stderr whole: which cached copy, of when and downloaded when, then the one snapshot used.
    assert_eq!(
        err(&output),
        "\
embargo: screening parties against the cached UN list of 2026-01-10T23:00:00.000Z (downloaded 2026-01-11T08:00:00Z)
embargo: un-consolidated.xml: snapshots used (generated): 2026-01-10T23:00:00.000Z
"
    );
}

/// A vessel of the designated-vessels CSV matches from its `designation_date` on, by IMO number
/// and by name; one without a designation date matches whatever the date
#[test]
fn a_vessel_matches_only_from_its_designation_date() {
    let catalog = read_vessels(File::open(fixture("vessels.csv")).unwrap()).unwrap();
    let sample = catalog.find("IMO 9074729").unwrap();
    assert_eq!(sample.listed_on.as_deref(), Some("2030-01-01"));
    let mut matcher = embargo::internals::screening::matching::ListMatcher::new();
    matcher.add("vessels.csv", &catalog);
    for (date, found) in [("2029-12-31", false), ("2030-01-01", true)] {
        let text = embargo::internals::model::RecordText {
            line: 1,
            column: 1,
            text: serde_json::json!({
                "id": "v", "date": date, "activity": "trade",
                "vessels": [{"name": "Sample Star", "imo": "9074729"}]
            })
            .to_string(),
            yaml: false,
            table: None,
        };
        let mut t = embargo::internals::model::parse_record("t", &text).unwrap();
        matcher.annotate(&mut t);
        // `QUOTED, NAME` has the same IMO number and no designation date: it matches always
        // (and, with the same reference, stands for the entry the day before).
        let names: Vec<&str> = t.vessels[0]
            .designations
            .iter()
            .map(|d| d.listed_name.as_str())
            .collect();
        assert_eq!(names.contains(&"SAMPLE STAR"), found, "{date}: {names:?}");
    }
}
