//! Unit tests of the analyst's decisions: reading the suppression file, minimum scores, expiry.

use super::*;

const GOOD: &str = r#"# cleared by compliance
- party: "Kim Chol"
  entry: KPi.901
  by: A. Analyst
  reason: born 1990 in Seoul, not the listed person
  on: 2026-03-01
  expires: 2027-02-28
- party_id: 927 310 455
  entry: 1001
  by: B. Reviewer
  reason: "our supplier: \"Alpha\" of Hamburg"
  on: 2026-01-10
  expires: 2026-01-31
"#;

fn field_error(text: &str) -> (usize, String, String) {
    match read(text) {
        Err(SuppressionError::Field {
            entry,
            field,
            problem,
            ..
        }) => (entry, field, problem),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn a_file_reads_into_its_entries() {
    let s = read(GOOD).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].party, PartyKey::Name("Kim Chol".into()));
    assert_eq!(s[0].entry, "KPi.901");
    assert_eq!(s[0].by, "A. Analyst");
    assert_eq!(s[0].on, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
    assert_eq!(s[0].expires, NaiveDate::from_ymd_opt(2027, 2, 28).unwrap());
    // A bare number is text: an OFAC ent_num, an identifier.
    assert_eq!(s[1].party, PartyKey::Id("927 310 455".into()));
    assert_eq!(s[1].entry, "1001");
    assert_eq!(s[1].reason, "our supplier: \"Alpha\" of Hamburg");
    assert_eq!(read("").unwrap(), vec![]);
    assert_eq!(read("# nothing yet\n").unwrap(), vec![]);
}

#[test]
fn a_bad_entry_is_named_with_its_field() {
    let bad_date = GOOD.replace("expires: 2026-01-31", "expires: 2026-02-30");
    let (entry, field, problem) = field_error(&bad_date);
    assert_eq!((entry, field.as_str()), (2, "expires"));
    assert_eq!(problem, "`2026-02-30` is not a date (YYYY-MM-DD)");
    let message = read(&bad_date).unwrap_err().to_string();
    assert!(
        message.starts_with("entry 2 (party_id \"927 310 455\", entry 1001): field `expires`"),
        "{message}"
    );

    let missing = GOOD.replace("  by: A. Analyst\n", "");
    assert_eq!(field_error(&missing).0, 1);
    assert_eq!(field_error(&missing).1, "by");
    assert_eq!(field_error(&missing).2, "missing");

    let unknown = GOOD.replace("expires: 2027-02-28", "expiry: 2027-02-28");
    let (_, field, problem) = field_error(&unknown);
    assert_eq!(field, "expiry");
    // The problem whole: that the field is unknown and which fields there are.
    assert_eq!(
        problem,
        "unknown field; the fields are party, party_id, entry, by, reason, on, expires"
    );

    let both = GOOD.replace("- party: \"Kim Chol\"", "- party: Kim Chol\n  party_id: X1");
    assert_eq!(field_error(&both).1, "party_id");
    let neither = GOOD.replace("- party: \"Kim Chol\"\n  entry", "- entry");
    assert_eq!(field_error(&neither).1, "party");
    let empty = GOOD.replace(
        "reason: born 1990 in Seoul, not the listed person",
        "reason: \"\"",
    );
    assert_eq!(field_error(&empty).1, "reason");
    assert_eq!(field_error(&empty).2, "empty");
    let backwards = GOOD.replace("on: 2026-03-01", "on: 2028-03-01");
    assert_eq!(field_error(&backwards).1, "expires");
    let list = GOOD.replace("by: A. Analyst", "by: [A, B]");
    assert_eq!(
        field_error(&list),
        (
            1,
            "by".to_string(),
            "expected text, found a list".to_string()
        )
    );

    assert_eq!(
        read("suppressions: 1\n"),
        Err(SuppressionError::NotAList("a mapping"))
    );
    assert_eq!(
        read("- just a name\n"),
        Err(SuppressionError::NotAMapping {
            entry: 1,
            found: "a string"
        })
    );
    assert!(matches!(
        read("- [unclosed\n"),
        Err(SuppressionError::Yaml(_))
    ));
}

#[test]
fn names_and_identifiers_are_compared_loosely_references_exactly_by_their_characters() {
    let s = &read(GOOD).unwrap();
    assert!(s[0].clears(Some("KIM  CHOL"), &[], "KPi.901"));
    // Full-width letters, as some systems write them (NFKC).
    assert!(s[0].clears(Some("ＫＩＭ ＣＨＯＬ"), &[], "kpi 901"));
    assert!(!s[0].clears(Some("Kim Chol Ho"), &[], "KPi.901"));
    assert!(!s[0].clears(Some("Kim Chol"), &[], "KPi.902"));
    assert!(s[1].clears(Some("Anyone"), &["X", "927-310-455"], "1001"));
    assert!(!s[1].clears(Some("Anyone"), &["927310456"], "1001"));
}

#[test]
fn a_vessel_is_named_by_its_imo_number_with_or_without_imo() {
    let s = Suppression::from_fields(&[
        ("party_id", "IMO 9074729"),
        ("entry", "9074729"),
        ("by", "C. Surveyor"),
        (
            "reason",
            "renamed and reflagged in 2019; the hull was inspected",
        ),
        ("on", "2026-01-01"),
        ("expires", "2026-12-31"),
    ])
    .unwrap();
    assert!(s.clears(Some("SAMPLE STAR"), &["9074729"], "IMO 9074729"));
    assert!(!s.clears(Some("SAMPLE STAR"), &["9074728"], "IMO 9074729"));
    // `imo` followed by anything but seven digits is kept as written.
    assert_eq!(id_key("IMO-A1"), "imoa1");
}

fn designation(reference: &str, list: &str, score: f64) -> Designation {
    Designation {
        list: list.to_string(),
        reference: reference.to_string(),
        list_type: "DPRK".to_string(),
        listed_name: "KIM CHOL".to_string(),
        matched_by: "name".to_string(),
        matched_value: "Kim Chol".to_string(),
        matched: "KIM CHOL".to_string(),
        score,
        strength: crate::screening::names::Strength::of(score),
        why: vec![],
        un_ref: false,
        listed: vec![],
    }
}

fn record(date: &str) -> Transaction {
    let line = format!(
        r#"{{"id": "t", "date": "{date}", "activity": "payment", "parties": [{{"role": "payee", "name": "Kim Chol"}}, {{"role": "payer", "name": "Alpha", "ids": {{"vat": "927310455"}}}}]}}"#
    );
    let text = crate::model::RecordText {
        line: 1,
        column: 1,
        text: line,
        yaml: false,
        table: None,
    };
    crate::model::parse_record("t", &text).unwrap()
}

#[test]
fn a_suppression_in_force_takes_the_match_out_an_expired_one_says_so() {
    let decisions = Decisions {
        min_scores: MinScores::default(),
        suppressions: read(GOOD).unwrap(),
    };
    let mut t = record("2026-01-15");
    t.parties[0].designations = vec![
        designation("KPi.901", "list.xml", 0.95),
        designation("KPi.902", "list.xml", 0.85),
    ];
    t.parties[1].designations = vec![designation("1001", "sdn.csv", 1.0)];
    let applied = decisions.apply(&mut t);
    assert_eq!(applied.suppressed.len(), 2);
    assert_eq!(applied.suppressed[0].of, "parties[0]");
    assert_eq!(applied.suppressed[0].designation.reference, "KPi.901");
    assert_eq!(applied.suppressed[0].suppression.by, "A. Analyst");
    assert_eq!(applied.suppressed[1].of, "parties[1]");
    let left: Vec<&str> = t.parties[0]
        .designations
        .iter()
        .map(|d| d.reference.as_str())
        .collect();
    assert_eq!(left, ["KPi.902"]);
    assert!(t.parties[1].designations.is_empty());

    // After the second one's expiry: it no longer applies, and the match says why.
    let mut t = record("2026-02-01");
    t.parties[1].designations = vec![designation("1001", "sdn.csv", 1.0)];
    let applied = decisions.apply(&mut t);
    assert!(applied.suppressed.is_empty());
    assert_eq!(applied.expired, 1);
    let why = &t.parties[1].designations[0].why;
    assert!(
        why[0].starts_with("suppression expired on 2026-01-31 (the record is of 2026-02-01)"),
        "{why:?}"
    );
    // The expiry day itself is still covered.
    let mut t = record("2026-01-31");
    t.parties[1].designations = vec![designation("1001", "sdn.csv", 1.0)];
    assert_eq!(decisions.apply(&mut t).suppressed.len(), 1);
}

#[test]
fn a_renewal_appended_later_keeps_the_match_suppressed() {
    let renewed = format!(
        "{GOOD}- party_id: \"927310455\"\n  entry: \"1001\"\n  by: C. Head\n  reason: renewed\n  on: 2026-01-30\n  expires: 2026-12-31\n"
    );
    let decisions = Decisions {
        min_scores: MinScores::default(),
        suppressions: read(&renewed).unwrap(),
    };
    let mut t = record("2026-06-01");
    t.parties[1].designations = vec![designation("1001", "sdn.csv", 1.0)];
    let applied = decisions.apply(&mut t);
    assert_eq!(applied.suppressed.len(), 1);
    assert_eq!(applied.suppressed[0].suppression.by, "C. Head");
}

#[test]
fn a_minimum_score_drops_matches_below_it_for_its_list_only() {
    let decisions = Decisions {
        min_scores: MinScores {
            all: Some(0.9),
            lists: vec![("sdn.csv".to_string(), 0.97)],
        },
        suppressions: vec![],
    };
    let mut t = record("2026-01-15");
    t.parties[0].designations = vec![
        designation("KPi.901", "list.xml (2026-05-08)", 0.95),
        designation("KPi.902", "list.xml (2026-05-08)", 0.85),
        designation("1002", "sdn.csv", 0.95),
        designation("1003", "sdn.csv", 1.0),
    ];
    let applied = decisions.apply(&mut t);
    assert_eq!(applied.dropped, 2);
    let left: Vec<&str> = t.parties[0]
        .designations
        .iter()
        .map(|d| d.reference.as_str())
        .collect();
    assert_eq!(left, ["KPi.901", "1003"]);
}

#[test]
fn an_appended_entry_reads_back_and_keeps_the_users_text() {
    let new = Suppression::from_fields(&[
        ("party", "Ri Sol-ju \"Jr\"\n"),
        ("entry", "KPi.077"),
        ("by", "D. Lee"),
        ("reason", "# not a comment: a reason"),
        ("on", "2026-04-01"),
        ("expires", "2026-10-01"),
    ])
    .unwrap();
    let text = append(GOOD, &new).unwrap();
    assert!(text.starts_with(GOOD));
    let back = read(&text).unwrap();
    assert_eq!(back.len(), 3);
    assert_eq!(back[2], new);
    // A new file starts with a comment, then the entry.
    let fresh = append("", &new).unwrap();
    assert!(fresh.starts_with('#'));
    assert_eq!(read(&fresh).unwrap(), vec![new.clone()]);
    // A file that does not read is not appended to.
    assert!(append("- party: [\n", &new).is_err());
    // Nor is one whose list is not at the end.
    assert!(append("? a\n: - party: x\n", &new).is_err());
    let bad = Suppression::from_fields(&[
        ("party", "X"),
        ("party_id", "1"),
        ("entry", "KPi.077"),
        ("by", "D"),
        ("reason", "r"),
        ("on", "2026-04-01"),
        ("expires", "2026-10-01"),
    ]);
    assert!(bad.is_err());
}
