//! Running the examples inside rule files: each expectation, its verdict and its rules.

use crate::eval::{Evaluator, Lifted, Outcome};
use crate::ir::{Level, Program, TestCase};
use std::time::{Duration, Instant};

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
    /// How long judging the record took, when timed ([`run_tests_timed`]; `test --junit`
    /// reports it; nothing decides by it), else zero
    pub took: Duration,
}

/// What a test run exercised: the rules no passing expectation showed firing, and the
/// exceptions no expectation showed lifting a finding
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// How many rules the program has
    pub n_rules: usize,
    /// How many exceptions it has
    pub n_exceptions: usize,
    /// Indexes into `Program::rules` of the rules never fired in a passing expectation, by id
    pub unfired_rules: Vec<usize>,
    /// Indexes into `Program::exceptions` of the exceptions that never lifted a finding, by id
    pub unused_exceptions: Vec<usize>,
}

impl Coverage {
    /// Whether every rule fired and every exception lifted a finding
    pub fn is_complete(&self) -> bool {
        self.unfired_rules.is_empty() && self.unused_exceptions.is_empty()
    }
}

/// Runs every test of the program
pub fn run_tests(program: &Program) -> Vec<TestOutcome> {
    run_tests_timed(program, None)
}

/// [`run_tests`], each expectation timed with `clock` when one is given (`test --junit`
/// reports the times; the library never reads the clock itself), else `took` is zero
pub fn run_tests_timed(program: &Program, clock: Option<&dyn Fn() -> Instant>) -> Vec<TestOutcome> {
    let evaluator = Evaluator::new(program);
    program
        .tests
        .iter()
        .flat_map(|case| run_case(&evaluator, case, clock))
        .collect()
}

/// What `outcomes` (a run of `program`'s tests) exercised. A rule counts when it fired in a
/// passing expectation (a failing one may show it firing by mistake); an exception counts when
/// it lifted a finding in any expectation.
pub fn coverage(program: &Program, outcomes: &[TestOutcome]) -> Coverage {
    let mut fired: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.passed)
        .flat_map(|o| o.actual.1.iter().map(String::as_str))
        .collect();
    fired.sort_unstable();
    fired.dedup();
    let mut lifted_by: Vec<&str> = outcomes
        .iter()
        .flat_map(|o| &o.lifted)
        .filter_map(|l| l.by.strip_prefix("exception "))
        .collect();
    lifted_by.sort_unstable();
    lifted_by.dedup();
    let mut unfired_rules: Vec<usize> = (0..program.rules.len())
        .filter(|&i| {
            program
                .rules
                .get(i)
                .is_some_and(|r| fired.binary_search(&r.id.as_str()).is_err())
        })
        .collect();
    unfired_rules.sort_by_key(|&i| program.rules.get(i).map(|r| r.id.as_str()));
    let mut unused_exceptions: Vec<usize> = (0..program.exceptions.len())
        .filter(|&i| {
            program
                .exceptions
                .get(i)
                .is_some_and(|e| lifted_by.binary_search(&e.id.as_str()).is_err())
        })
        .collect();
    unused_exceptions.sort_by_key(|&i| program.exceptions.get(i).map(|e| e.id.as_str()));
    Coverage {
        n_rules: program.rules.len(),
        n_exceptions: program.exceptions.len(),
        unfired_rules,
        unused_exceptions,
    }
}

fn run_case(
    evaluator: &Evaluator<'_>,
    case: &TestCase,
    clock: Option<&dyn Fn() -> Instant>,
) -> Vec<TestOutcome> {
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
            let started = clock.map(|now| now());
            let verdict = evaluator.evaluate(&on_day);
            let took = match (clock, started) {
                (Some(now), Some(started)) => now().saturating_duration_since(started),
                _ => Duration::ZERO,
            };
            let mut fired: Vec<String> =
                verdict.rule_ids().into_iter().map(str::to_string).collect();
            fired.sort();
            // A rule fires at most once; `list.NAME` once per match, but names the same finding.
            fired.dedup();
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
                took,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn coverage_names_rules_never_fired_in_a_passing_expectation_and_exceptions_never_used() {
        let text = r#"
resolution "S/RES/2270 (2016)" adopted 2016-03-02
regime T { list "T" }
rule t.coal {
  regime T
  cites "S/RES/2270 (2016)" 29
  in force from 2016-03-02
  when activity == trade and origin within LY
  then prohibited "coal"
}
rule t.iron {
  regime T
  cites "S/RES/2270 (2016)" 29
  in force from 2016-03-02
  when activity == trade and origin within EG
  then prohibited "iron"
}
exception t.transit {
  cites "S/RES/2270 (2016)" 29(a)
  in force from 2016-03-02
  overrides t.coal
  when any transit t: t == LY-BA
}
exception t.unused {
  cites "S/RES/2270 (2016)" 29(b)
  in force from 2016-03-02
  overrides t.coal
  when any parties p: p.tags has "livelihood"
}
test "coal" {
  record {date: 2018-01-01, activity: trade, origin: LY}
  expect prohibited by t.coal
}
test "iron, wrongly expected clear" {
  record {date: 2018-01-01, activity: trade, origin: EG}
  expect clear
}
test "coal in transit, wrongly expected prohibited" {
  record {date: 2018-01-01, activity: trade, origin: LY, transit: [LY-BA]}
  expect prohibited
}
"#;
        let (program, diagnostics) = crate::compile::compile(&[SourceFile::new("t.rules", text)]);
        let Some(program) = program else {
            panic!("{diagnostics:?}");
        };
        let outcomes = run_tests(&program);
        let coverage = coverage(&program, &outcomes);
        let ids = |idx: &[usize], names: &dyn Fn(usize) -> String| -> Vec<String> {
            idx.iter().map(|&i| names(i)).collect()
        };
        // t.iron fired only in a failing expectation; t.transit lifted in a failing one counts.
        assert_eq!(
            ids(&coverage.unfired_rules, &|i| program.rules[i].id.clone()),
            ["t.iron"]
        );
        assert_eq!(
            ids(&coverage.unused_exceptions, &|i| program.exceptions[i]
                .id
                .clone()),
            ["t.unused"]
        );
        assert_eq!((coverage.n_rules, coverage.n_exceptions), (2, 2));
        assert!(!coverage.is_complete());
    }
}
