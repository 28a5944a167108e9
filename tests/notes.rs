//! A note with an interval is carried only by findings on the days of its interval, written as
//! `in force` writes them: `from D` from that day, `after D` from the day after, `until E` through
//! that day.

use crate::common;
use embargo::internals::eval::Evaluator;

const RULES: &str = r#"resolution "S/RES/1" adopted 2000-01-01
regime T {}
rule t.a {
  regime T
  cites "S/RES/1" 1
  in force from 2000-01-01
  when destination within KP
  then prohibited "to the DPRK"
  note "always"
  note "from" from 2010-01-01
  note "after" after 2010-01-01
  note "one day" from 2011-01-01 until 2011-01-01
}
"#;

/// The notes of the one finding on `date`
fn notes_on(date: &str) -> Vec<String> {
    let program = common::program("t.rules", RULES);
    let record = common::record(
        r#"{"id": "n", "date": "2000-01-01", "activity": "trade", "destination": "KP"}"#,
    );
    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("a date");
    let verdict = Evaluator::new(&program).evaluate_on(&record, date);
    let findings = verdict.findings.unwrap_or_default();
    assert_eq!(findings.len(), 1, "{findings:?}");
    findings.into_iter().flat_map(|f| f.notes).collect()
}

#[test]
fn a_note_is_carried_on_the_days_of_its_interval_only() {
    for (date, expected) in [
        ("2009-12-31", &["always"][..]),
        ("2010-01-01", &["always", "from"]),
        ("2010-01-02", &["always", "from", "after"]),
        ("2010-12-31", &["always", "from", "after"]),
        ("2011-01-01", &["always", "from", "after", "one day"]),
        ("2011-01-02", &["always", "from", "after"]),
    ] {
        assert_eq!(notes_on(date), expected, "on {date}");
    }
}
