//! The screening facade (issue 13, item 9): `screening::Lists::load` reads list files by their
//! content, fails closed, and `lists.screen(&party, date)` finds entries as of a date.

use std::path::PathBuf;

use chrono::NaiveDate;
use embargo::internals::model::Party;
use embargo::internals::screening::{Lists, LoadError};

fn files(names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|n| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/lists")
                .join(n)
        })
        .collect()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn a_party_is_found_from_the_day_its_entry_was_listed() {
    let lists = Lists::load(&files(&["snap-2026-03-10.xml"])).unwrap();
    // KPe.952, NORTHERN STAR FICTIVE BANK, listed on 2017-08-05
    let party = Party::named("Northern Star Fictive Bank").with_kind("entity");
    let found = lists.screen(&party, day("2020-01-01"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].reference, "KPe.952");
    assert_eq!(found[0].list, "snap-2026-03-10.xml (2026-03-10)");
    assert_eq!(found[0].strength.as_str(), "exact");
    assert!(lists.screen(&party, day("2017-08-04")).is_empty());
    assert_eq!(lists.screen(&party, day("2017-08-05")).len(), 1);
    // An unrelated name finds nothing.
    let other = Party::named("Bayerische Motoren Werke").with_kind("entity");
    assert!(lists.screen(&other, day("2020-01-01")).is_empty());
}

#[test]
fn every_file_read_has_its_version() {
    let lists = Lists::load(&files(&[
        "snap-2026-03-10.xml",
        "sdn.csv",
        "alt.csv",
        "add.csv",
    ]))
    .unwrap();
    assert_eq!(lists.names(), ["snap-2026-03-10.xml", "sdn.csv"]);
    let versions = lists.versions();
    let names: Vec<&str> = versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        ["snap-2026-03-10.xml", "sdn.csv", "alt.csv", "add.csv"]
    );
    for v in versions {
        assert_eq!(v.sha256.len(), 64, "{v:?}");
        assert!(v.sha256.bytes().all(|b| b.is_ascii_hexdigit()), "{v:?}");
        // The hash of the file's own bytes, not of another file or of what was parsed.
        use sha2::Digest;
        let bytes = std::fs::read(&files(&[v.name.as_str()])[0]).unwrap();
        let want: String = sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(v.sha256, want, "{v:?}");
    }
    let generated: Vec<Option<&str>> = versions.iter().map(|v| v.generated.as_deref()).collect();
    assert_eq!(
        generated,
        [Some("2026-03-10T23:00:00.000Z"), None, None, None],
        "the UN list's dateGenerated; OFAC's files say none"
    );
    // OFAC's sdn.csv entry 1001 has problems-free rows and an alias from alt.csv
    let sdn = &lists.catalogs()[1].1;
    let entry = sdn.find("1001").unwrap();
    assert_eq!(entry.name(), "ALPHA TEST TRADING");
    let aliases: Vec<(&str, &str)> = entry
        .aliases
        .iter()
        .map(|a| (a.quality.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(aliases, [("aka", "ATT")]);
}

#[test]
fn a_list_that_cannot_be_used_stops_loading() {
    let err = |names: &[&str]| Lists::load(&files(names)).unwrap_err();
    assert!(matches!(err(&["empty.xml"]), LoadError::Empty { .. }));
    assert!(matches!(
        err(&["not-a-list.txt"]),
        LoadError::NotAList { .. }
    ));
    assert!(matches!(err(&["malformed.xml"]), LoadError::List { .. }));
    assert!(matches!(err(&["alt.csv"]), LoadError::Companions(_)));
    assert!(matches!(
        err(&["sdn.csv", "alt.csv", "alt.csv"]),
        LoadError::Companions(_)
    ));
    assert!(matches!(err(&["no-such-file.xml"]), LoadError::Io { .. }));
    let message = err(&["empty.xml"]).to_string();
    assert!(
        message.contains("refusing to screen against an empty list"),
        "{message}"
    );
}

#[test]
fn lists_no_rule_reads_are_named() {
    let (program, diagnostics) =
        embargo::internals::compile::compile(&embargo::internals::rules::embedded());
    assert!(!diagnostics.has_errors());
    let program = program.unwrap();
    let lists = Lists::load(&files(&["snap-2026-03-10.xml", "sdn.csv", "vessels.csv"])).unwrap();
    let unread: Vec<String> = lists
        .unread_by(&program)
        .iter()
        .map(|n| embargo::internals::provenance::list_name(n))
        .collect();
    // The UN list is read through `p.ids.un_ref`; OFAC's TESTPROG by no rule
    // The vessels fixture's list type (Testland) is read by no rule either; nothing else.
    assert_eq!(unread, ["sdn.csv", "vessels.csv"]);
}

#[test]
fn no_list_finds_nothing() {
    let lists = Lists::default();
    assert!(lists.is_empty());
    assert!(
        lists
            .screen(&Party::named("Anyone"), day("2020-01-01"))
            .is_empty()
    );
}

/// The crate root's facade: a pack and lists in an `Engine`, the same verdict as `screen`
#[test]
fn the_engine_screens_records_against_the_lists() {
    use embargo::{Engine, Pack};
    let lists = Lists::load(&files(&["snap-2026-03-10.xml"])).unwrap();
    let engine = Engine::new(Pack::embedded().unwrap(), lists);
    let record = r#"{"id": "p1", "date": "2024-03-01", "activity": "payment", "parties": [{"role": "payee", "name": "Northern Star Fictive Bank", "kind": "entity"}]}"#;
    let verdict = engine.screen_json(record);
    assert_eq!(verdict.verdict.as_str(), "prohibited");
    assert_eq!(verdict.rule_ids(), ["un.freeze.dprk"]);
    // Before the entry was listed (2017-08-05): no match, clear
    let before = record.replace("2024-03-01", "2016-03-01");
    assert_eq!(engine.screen_json(&before).verdict.as_str(), "clear");

    // A stream: N records in, N verdicts out, in order, each with the provenance
    let input = format!("{record}\n{{\"id\": \"broken\"\n{before}\n");
    let mut out = Vec::new();
    let summary = engine
        .screen_stream(input.as_bytes(), &mut out, true)
        .unwrap();
    assert_eq!(
        (summary.records, summary.flagged, summary.invalid),
        (3, 1, 1)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let verdicts: Vec<&str> = lines
        .iter()
        .map(|v| v["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["prohibited", "invalid", "clear"]);
    for line in &lines {
        assert_eq!(line["provenance"]["pack"], engine.pack().hash(), "{line}");
        assert_eq!(
            line["provenance"]["lists"][0]["name"], "snap-2026-03-10.xml",
            "{line}"
        );
    }

    let explanation = engine.explain_json(record).unwrap();
    assert_eq!(explanation.verdict.verdict.as_str(), "prohibited");
    assert!(engine.explain_json("{").is_err());
}
