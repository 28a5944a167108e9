//! `embargo test`: runs the examples in rule files and shows a diff for each failure.

use std::path::PathBuf;

use anyhow::Result;

use super::args::DiagnosticFormat;
use super::exit::Exit;
use embargo::testing::run_tests;

fn describe(level: &str, rules: Option<&[String]>) -> String {
    match rules {
        Some(r) => format!("{level} by [{}]", r.join(", ")),
        None => level.to_string(),
    }
}

/// Runs `test`
pub fn run(paths: &[PathBuf], verbose: bool) -> Result<Exit> {
    let files = super::load::rule_files(paths, true)?;
    let (program, diagnostics) = embargo::compile::compile(&files);
    let Some(program) = program else {
        super::check::print_diagnostics(&diagnostics, &files, DiagnosticFormat::Short);
        eprintln!(
            "the rules have {} error(s); fix them first (`embargo check`)",
            diagnostics.error_count()
        );
        return Ok(Exit::Failed);
    };
    let outcomes = run_tests(&program);
    let mut failed = 0;
    for o in &outcomes {
        let file = files.get(o.file);
        let at = file.map(|f| f.line_col(o.span.start));
        let place = match (file, at) {
            (Some(f), Some(a)) => format!("{}:{}:{}", f.name, a.line, a.col),
            _ => String::from("?"),
        };
        if o.passed {
            if verbose {
                println!("ok   {place} {:?} on {}", o.name, o.date);
            }
            continue;
        }
        failed += 1;
        println!("FAIL {place} {:?} on {}", o.name, o.date);
        let expected = describe(o.expected.0.as_str(), o.expected.1.as_deref());
        let shown_rules = if o.expected.1.is_some() {
            Some(o.actual.1.as_slice())
        } else {
            None
        };
        let actual = describe(
            o.actual.0.as_str(),
            shown_rules.or(Some(o.actual.1.as_slice())),
        );
        println!("  - expected: {expected}");
        println!("  + actual:   {actual}");
    }
    let passed = outcomes.len() - failed;
    println!(
        "{} tests in {} files: {passed} passed, {failed} failed",
        outcomes.len(),
        files.len()
    );
    println!("{passed} passed, {failed} failed");
    Ok(if failed > 0 { Exit::Found } else { Exit::Clean })
}
