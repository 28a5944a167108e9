//! A weak name match never gives more than `review`, and says so only where that lowered the
//! verdict: a rule or list whose verdict is `review` anyway carries no such note.

use crate::common;
use embargo::internals::eval::{Evaluator, Finding};
use embargo::internals::ir::Level;
use embargo::internals::model::{Designation, Transaction};
use embargo::internals::screening::names::Strength;

const RULES: &str = r#"resolution "S/RES/1" adopted 2000-01-01
regime T { list "T" }
rule t.freeze {
  regime T
  cites "S/RES/1" 1
  in force from 2000-01-01
  when activity == payment and any parties p: p.ids.un_ref starts with "TTi."
  then prohibited "{p.name} ({p.ids.un_ref})"
}
rule t.look {
  regime T
  cites "S/RES/1" 2
  in force from 2000-01-01
  when activity == service and any parties p: p.ids.un_ref starts with "TTi."
  then review "{p.name} ({p.ids.un_ref})"
}
"#;

/// A record with one party, weakly matched to `TTi.003` of the list `test`
fn weakly_matched(activity: &str) -> Transaction {
    let text = format!(
        r#"{{"id": "w", "date": "2020-01-01", "activity": "{activity}", "parties": [{{"role": "payee", "name": "A"}}]}}"#
    );
    let mut t = common::record(&text);
    t.parties[0].designations.push(Designation {
        list: "test".into(),
        reference: "TTi.003".into(),
        list_type: "T".into(),
        listed_name: "AA".into(),
        matched_by: "name".into(),
        matched_value: "A".into(),
        matched: "AA".into(),
        score: 0.85,
        strength: Strength::Weak,
        why: vec![],
        un_ref: true,
        listed: vec!["T".into()],
    });
    t
}

fn findings(verdicts: &[(String, Level)], activity: &str) -> Vec<Finding> {
    let program = common::program("t.rules", RULES);
    let verdict = Evaluator::new(&program)
        .with_list_verdicts(verdicts)
        .evaluate(&weakly_matched(activity));
    verdict.findings.unwrap_or_default()
}

fn summary(findings: &[Finding]) -> Vec<(String, &'static str, usize)> {
    findings
        .iter()
        .map(|f| {
            let weak_notes = f.notes.iter().filter(|n| n.contains("weak match")).count();
            (f.rule.clone(), f.verdict.as_str(), weak_notes)
        })
        .collect()
}

#[test]
fn a_prohibition_resting_on_a_weak_match_is_review_and_says_why() {
    assert_eq!(
        summary(&findings(&[], "payment")),
        [("t.freeze".to_string(), "review", 1)]
    );
}

#[test]
fn a_review_rule_resting_on_a_weak_match_has_no_note_about_it() {
    assert_eq!(
        summary(&findings(&[], "service")),
        [("t.look".to_string(), "review", 0)]
    );
}

#[test]
fn a_weak_list_finding_says_why_only_when_its_list_verdict_was_lowered() {
    // No rule reads the designation on a trade: a finding of the list itself.
    let prohibited = [("test".to_string(), Level::Prohibited)];
    assert_eq!(
        summary(&findings(&prohibited, "trade")),
        [("list.test".to_string(), "review", 1)]
    );
    let review = [("test".to_string(), Level::Review)];
    assert_eq!(
        summary(&findings(&review, "trade")),
        [("list.test".to_string(), "review", 0)]
    );
}
