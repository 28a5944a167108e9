//! `embargo test`: runs the examples in rule files and shows a diff for each failure.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::args::DiagnosticFormat;
use super::exit::Exit;
use super::output::{Output, say, write_file};
use embargo::internals::report::{junit, test_run};
use embargo::internals::testing::{coverage, run_tests_timed};

/// What `test` was asked for besides the paths
#[derive(Clone, Copy, Debug)]
pub struct TestOptions<'a> {
    /// Print every passing expectation too
    pub verbose: bool,
    /// Write a JUnit XML report there
    pub junit: Option<&'a Path>,
    /// Fail when a rule or exception is not exercised
    pub require_coverage: bool,
}

/// Runs `test`
pub fn run(paths: &[PathBuf], options: TestOptions<'_>) -> Result<Exit> {
    let files = super::load::rule_files(paths, true)?;
    let (program, diagnostics) = embargo::internals::compile::compile(&files);
    let Some(program) = program else {
        super::check::print_diagnostics(&diagnostics, &files, DiagnosticFormat::Short)?;
        say!(
            "the rules have {} error(s); fix them first (`embargo check`)",
            diagnostics.error_count()
        );
        return Ok(Exit::Failed);
    };
    // Timed only for the JUnit report, which gives each test's time
    let now: &dyn Fn() -> std::time::Instant = &std::time::Instant::now;
    let outcomes = run_tests_timed(&program, options.junit.is_some().then_some(now));
    let mut out = Output::stdout();
    let mut failed = 0;
    for o in &outcomes {
        if o.passed {
            if options.verbose {
                let place = test_run::place(&files, o.file, o.span);
                writeln!(out, "ok   {place} {:?} on {}", o.name, o.date)?;
            }
            continue;
        }
        failed += 1;
        out.write_str(&test_run::failure(&files, o))?;
    }
    if let Some(path) = options.junit {
        write_file(path, &junit::junit_xml(&files, &outcomes))?;
    }
    let passed = outcomes.len() - failed;
    writeln!(
        out,
        "{} tests in {} files: {passed} passed, {failed} failed",
        outcomes.len(),
        files.len()
    )?;
    let coverage = coverage(&program, &outcomes);
    writeln!(out)?;
    out.write_str(&test_run::coverage_section(&program, &files, &coverage))?;
    writeln!(out, "{passed} passed, {failed} failed")?;
    out.finish()?;
    if options.require_coverage && !coverage.is_complete() {
        say!(
            "embargo: --require-coverage: not exercised by any test: {}",
            test_run::uncovered_list(&program, &coverage)
        );
        return Ok(Exit::Found);
    }
    Ok(if failed > 0 { Exit::Found } else { Exit::Clean })
}
