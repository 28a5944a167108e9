//! Every rule of the shipped pack is tested on its boundaries (issue 12): for each interval in
//! force, one `test` of the rule files expects the rule on the first day and, on the day before,
//! does not; and where the interval ends, one expects it on the last day and not on the day
//! after. A boundary off by one day is the error these tests exist to catch.

use chrono::NaiveDate;
use embargo::internals::compile::compile;
use embargo::internals::ir::{Program, TestCase};

/// Whether `test` expects `rule` on `day` (`Some(true)`), expects something else on it
/// (`Some(false)`), or says nothing about that day (`None`)
fn expects(test: &TestCase, rule: &str, day: NaiveDate) -> Option<bool> {
    let e = test
        .expects
        .iter()
        .find(|e| e.on.or_else(|| test.record.as_ref().map(|r| r.date)) == Some(day))?;
    Some(
        e.rules
            .as_ref()
            .is_some_and(|r| r.iter().any(|x| x == rule)),
    )
}

/// Whether some test expects `rule` on `inside` and not on `outside`
fn crossed(program: &Program, rule: &str, inside: NaiveDate, outside: NaiveDate) -> bool {
    program
        .tests
        .iter()
        .any(|t| expects(t, rule, inside) == Some(true) && expects(t, rule, outside) == Some(false))
}

#[test]
fn every_rule_is_tested_on_both_sides_of_each_boundary() {
    let (program, diagnostics) = compile(&embargo::internals::rules::embedded());
    assert!(
        program.is_some(),
        "the embedded pack compiles: {diagnostics:?}"
    );
    let Some(program) = program else { return };
    let mut missing = Vec::new();
    for rule in &program.rules {
        for iv in &rule.intervals {
            let before = iv.from.pred_opt();
            if !before.is_some_and(|before| crossed(&program, &rule.id, iv.from, before)) {
                missing.push(format!(
                    "{}: first day {} (and the day before)",
                    rule.id, iv.from
                ));
            }
            if let Some(last) = iv.until {
                let after = last.succ_opt();
                if !after.is_some_and(|after| crossed(&program, &rule.id, last, after)) {
                    missing.push(format!("{}: last day {last} (and the day after)", rule.id));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} boundaries without a test on both sides:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
