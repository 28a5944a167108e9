//! Running the examples inside rule files: each expectation, its verdict and its rules.

use crate::eval::{Evaluator, Lifted, Outcome};
use crate::ir::{Level, Program, TestCase};

/// The result of one expectation of one test
#[derive(Clone, Debug)]
pub struct TestOutcome {
    /// The test's name
    pub name: String,
    /// Which file it is in
    pub file: usize,
    /// Where the expectation is written
    pub span: crate::source::Span,
    /// The day judged on
    pub date: chrono::NaiveDate,
    /// What was expected
    pub expected: (Level, Option<Vec<String>>),
    /// What came out
    pub actual: (Outcome, Vec<String>),
    /// Whether they agree
    pub passed: bool,
    /// The rules that would have fired but were lifted, and by what (`exception ID`, or an
    /// authorization on the record)
    pub lifted: Vec<Lifted>,
}

/// Runs every test of the program
pub fn run_tests(program: &Program) -> Vec<TestOutcome> {
    let evaluator = Evaluator::new(program);
    program
        .tests
        .iter()
        .flat_map(|case| run_case(&evaluator, case))
        .collect()
}

fn run_case(evaluator: &Evaluator<'_>, case: &TestCase) -> Vec<TestOutcome> {
    let Some(record) = &case.record else {
        return Vec::new();
    };
    case.expects
        .iter()
        .map(|e| {
            let date = e.on.unwrap_or(record.date);
            // The record is judged as if it took place on that day: conditions on `date` too.
            let mut on_day = record.clone();
            on_day.date = date;
            let verdict = evaluator.evaluate(&on_day);
            let mut fired: Vec<String> =
                verdict.rule_ids().into_iter().map(str::to_string).collect();
            fired.sort();
            let rules_ok = match &e.rules {
                None => true,
                Some(expected) => {
                    let mut expected = expected.clone();
                    expected.sort();
                    expected.dedup();
                    expected == fired
                }
            };
            let passed = verdict.verdict == Outcome::Level(e.level) && rules_ok;
            TestOutcome {
                name: case.name.clone(),
                file: case.file,
                span: e.span,
                date,
                expected: (e.level, e.rules.clone()),
                actual: (verdict.verdict, fired),
                passed,
                lifted: verdict.lifted,
            }
        })
        .collect()
}
