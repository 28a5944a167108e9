//! `embargo fmt`: rewrite rule files in the canonical layout, or check that they are.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::args::DiagnosticFormat;
use super::exit::Exit;
use super::output::{Output, replace_file, say};
use embargo::internals::source::SourceFile;
use embargo::internals::syntax::format_file;

/// Runs `fmt`
pub fn run(paths: &[PathBuf], check: bool) -> Result<Exit> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        if paths.len() > 1 {
            bail!("- (stdin) cannot be mixed with other paths");
        }
        return stdin(check);
    }
    let files = rule_paths(paths)?;
    let mut out = Output::stdout();
    let mut changed = 0usize;
    let mut failed = false;
    for path in &files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
        let formatted = match format_file(&text) {
            Ok(f) => f,
            Err(diagnostics) => {
                let sources = [SourceFile::new(name.clone(), text)];
                super::check::print_diagnostics(&diagnostics, &sources, DiagnosticFormat::Human)?;
                say!("embargo: {name} has syntax errors: not formatted");
                failed = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if check {
            writeln!(out, "{name}")?;
        } else {
            replace_file(path, &formatted)?;
            say!("formatted {name}");
        }
    }
    out.finish()?;
    if failed {
        return Ok(Exit::Failed);
    }
    if check && changed > 0 {
        say!(
            "{changed} of {} file{} would be reformatted: run `embargo fmt`",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
        return Ok(Exit::Found);
    }
    Ok(Exit::Clean)
}

fn stdin(check: bool) -> Result<Exit> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read stdin")?;
    match format_file(&text) {
        Ok(formatted) if check => {
            if formatted == text {
                Ok(Exit::Clean)
            } else {
                let mut out = Output::stdout();
                writeln!(out, "-")?;
                out.finish()?;
                Ok(Exit::Found)
            }
        }
        Ok(formatted) => {
            let mut out = Output::stdout();
            out.write_str(&formatted)?;
            out.finish()?;
            Ok(Exit::Clean)
        }
        Err(diagnostics) => {
            let sources = [SourceFile::new("-".to_string(), text)];
            super::check::print_diagnostics(&diagnostics, &sources, DiagnosticFormat::Human)?;
            say!("embargo: stdin has syntax errors: not formatted");
            Ok(Exit::Failed)
        }
    }
}

/// The rule files under `paths`, sorted; with no path, those under `./rules`
fn rule_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let local = [PathBuf::from("rules")];
    let paths = if paths.is_empty() {
        if !Path::new("rules").is_dir() {
            bail!("no PATH given and no ./rules folder here");
        }
        &local[..]
    } else {
        paths
    };
    super::load::expand(paths)
}
