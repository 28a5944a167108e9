//! `embargo check`: every problem in the rule files, for people or machines.

use std::path::PathBuf;

use anyhow::Result;

use super::args::DiagnosticFormat;
use super::exit::Exit;
use super::output::{Output, OutputError, say, stderr_raw};
use embargo::internals::report::diagnostics::{
    DiagnosticStyle, render_human, to_github, to_json, to_sarif,
};
use embargo::internals::report::escape::json_controls;
use embargo::internals::source::SourceFile;

/// Prints the diagnostics in `format` (JSON, SARIF and GitHub to stdout, the others to stderr)
pub fn print_diagnostics(
    diagnostics: &embargo::internals::diagnostics::Diagnostics,
    files: &[SourceFile],
    format: DiagnosticFormat,
) -> Result<(), OutputError> {
    let sorted = diagnostics.sorted();
    match format {
        DiagnosticFormat::Json => {
            let all: Vec<_> = sorted.iter().map(|d| to_json(d, files)).collect();
            let mut out = Output::stdout();
            writeln!(
                out,
                "{}",
                json_controls(serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into()))
            )?;
            out.finish()?;
        }
        DiagnosticFormat::Sarif => {
            let log = to_sarif(&sorted, files);
            let mut out = Output::stdout();
            writeln!(
                out,
                "{}",
                json_controls(serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into()))
            )?;
            out.finish()?;
        }
        DiagnosticFormat::Github => {
            let mut out = Output::stdout();
            for d in sorted {
                out.write_str(&to_github(d, files))?;
            }
            out.finish()?;
        }
        DiagnosticFormat::Human | DiagnosticFormat::Short => {
            let style = match format {
                DiagnosticFormat::Short => DiagnosticStyle::Short,
                _ if super::output::colour_on(&std::io::stderr()) => DiagnosticStyle::Color,
                _ => DiagnosticStyle::Plain,
            };
            // Escaped in `render_human`: it adds colours of its own. Written 64 KiB at a time
            // (stderr is unbuffered: one write per diagnostic is slow on large files).
            let mut text = String::new();
            for d in sorted {
                text.push_str(&render_human(d, files, style));
                if text.len() >= 1 << 16 {
                    stderr_raw(&text);
                    text.clear();
                }
            }
            stderr_raw(&text);
        }
    }
    Ok(())
}

/// Runs `check`
pub fn run(paths: &[PathBuf], format: DiagnosticFormat, deny_warnings: bool) -> Result<Exit> {
    let files = super::load::rule_files(paths, true)?;
    let (_, diagnostics) = embargo::internals::compile::compile(&files);
    print_diagnostics(&diagnostics, &files, format)?;
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    if !matches!(format, DiagnosticFormat::Json | DiagnosticFormat::Sarif) {
        say!(
            "checked {} file{}: {errors} error{}, {warnings} warning{}",
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        );
    }
    Ok(if errors > 0 || (deny_warnings && warnings > 0) {
        Exit::Found
    } else {
        Exit::Clean
    })
}
