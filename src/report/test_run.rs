//! The results of `embargo test` for people: a failing expectation, the summary, the coverage section.

use std::fmt::Write as _;

use crate::ir::Program;
use crate::source::{SourceFile, Span};
use crate::testing::{Coverage, TestOutcome};

/// Where an expectation (or a rule) is written: `file:line:col`, or `?`
pub fn place(files: &[SourceFile], file: usize, span: Span) -> String {
    match files.get(file) {
        Some(f) => {
            let at = f.line_col(span.start);
            let name = crate::report::escape::for_terminal(&f.name);
            format!("{name}:{}:{}", at.line, at.col)
        }
        None => String::from("?"),
    }
}

/// What an expectation expected: `clear`, or `prohibited by [a, b]` when it names the rules
pub fn expected(outcome: &TestOutcome) -> String {
    describe(outcome.expected.0.as_str(), outcome.expected.1.as_deref())
}

/// What came out: the verdict and the rules that fired, `prohibited by [a]` (`clear by []`)
pub fn actual(outcome: &TestOutcome) -> String {
    describe(outcome.actual.0.as_str(), Some(&outcome.actual.1))
}

/// A failing expectation, as lines: the place, the test, the day, expected and actual
pub fn failure(files: &[SourceFile], outcome: &TestOutcome) -> String {
    format!(
        "FAIL {} {:?} on {}\n  - expected: {}\n  + actual:   {}\n",
        place(files, outcome.file, outcome.span),
        outcome.name,
        outcome.date,
        expected(outcome),
        actual(outcome),
    )
}

/// The coverage section printed after the summary: one line of counts, then one line per rule
/// no passing expectation showed firing and per exception no expectation showed lifting a finding
pub fn coverage_section(program: &Program, files: &[SourceFile], coverage: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "coverage: {} of {} rules fired in a passing expectation, {} of {} exceptions lifted a finding",
        coverage.n_rules - coverage.unfired_rules.len().min(coverage.n_rules),
        coverage.n_rules,
        coverage.n_exceptions - coverage.unused_exceptions.len().min(coverage.n_exceptions),
        coverage.n_exceptions,
    );
    for rule in coverage
        .unfired_rules
        .iter()
        .filter_map(|&i| program.rules.get(i))
    {
        let _ = writeln!(
            out,
            "  rule never fired: {} ({})",
            rule.id,
            place(files, rule.file, rule.span)
        );
    }
    for exception in coverage
        .unused_exceptions
        .iter()
        .filter_map(|&i| program.exceptions.get(i))
    {
        let _ = writeln!(out, "  exception never lifted a finding: {}", exception.id);
    }
    out
}

/// The ids of what `--require-coverage` finds missing, one phrase: `rule a, exception b`
pub fn uncovered_list(program: &Program, coverage: &Coverage) -> String {
    let rules = coverage
        .unfired_rules
        .iter()
        .filter_map(|&i| program.rules.get(i))
        .map(|r| format!("rule {}", r.id));
    let exceptions = coverage
        .unused_exceptions
        .iter()
        .filter_map(|&i| program.exceptions.get(i))
        .map(|e| format!("exception {}", e.id));
    rules.chain(exceptions).collect::<Vec<_>>().join(", ")
}

fn describe(level: &str, rules: Option<&[String]>) -> String {
    match rules {
        Some(r) => format!("{level} by [{}]", r.join(", ")),
        None => level.to_string(),
    }
}
