//! `embargo coverage`: writes docs/coverage.md, or checks that it is up to date.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};

use super::exit::Exit;
use super::output::{Output, say, write_file};
use embargo::internals::coverage::{
    CouncilRegime, NOT_ENCODED_PREFIX, NotEncoded, not_encoded_problems, parse_not_encoded,
    parse_regimes, regime_problems,
};
use embargo::internals::report::coverage::coverage_markdown;

/// Where the measures deliberately not encoded are listed, relative to the current folder
const NOT_ENCODED_DIR: &str = "docs/not-encoded";

/// Where the Council's regimes are listed, relative to the current folder
const REGIMES_FILE: &str = "docs/regimes.yaml";

/// The Council's regimes of `file`; none when it is missing
pub fn council_regimes(file: &Path) -> Result<Vec<CouncilRegime>> {
    match std::fs::read_to_string(file) {
        Ok(text) => parse_regimes(&file.display().to_string(), &text).map_err(|e| anyhow!(e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", file.display())),
    }
}

/// Every entry of `dir/*.yaml`, files in name order; none when the folder is missing
pub fn not_encoded(dir: &Path) -> Result<Vec<NotEncoded>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    let mut entries = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        entries
            .extend(parse_not_encoded(&path.display().to_string(), &text).map_err(|e| anyhow!(e))?);
    }
    Ok(entries)
}

/// Runs `coverage`
pub fn run(paths: &[PathBuf], output: Option<&Path>, check: bool) -> Result<Exit> {
    let program = super::setup::program(paths)?;
    let outcomes = embargo::internals::testing::run_tests(&program);
    let omitted = not_encoded(Path::new(NOT_ENCODED_DIR))?;
    // A measure that binds the parties must have its review rule, or `clear` would be a lie.
    // docs/not-encoded describes the UN pack: checked against it (the embedded pack, or rule
    // files that include rules/not-encoded.rules), not against other rule files.
    let pack = paths.is_empty()
        || program
            .rules
            .iter()
            .any(|r| r.id.starts_with(NOT_ENCODED_PREFIX));
    let problems = not_encoded_problems(&program, &omitted);
    if pack && !problems.is_empty() && !omitted.is_empty() {
        for p in &problems {
            super::output::say!("{NOT_ENCODED_DIR}: {p}");
        }
        return Ok(Exit::Found);
    }
    // Likewise, docs/regimes.yaml maps the Council's regimes to the UN pack's.
    let council = if pack {
        council_regimes(Path::new(REGIMES_FILE))?
    } else {
        Vec::new()
    };
    let problems = regime_problems(&program, &council);
    if !council.is_empty() && !problems.is_empty() {
        for p in &problems {
            super::output::say!("{REGIMES_FILE}: {p}");
        }
        return Ok(Exit::Found);
    }
    let report = coverage_markdown(&program, &outcomes, &omitted, &council);
    match (output, check) {
        (Some(file), true) => {
            let current = match std::fs::read_to_string(file) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
            };
            if current.as_deref() == Some(report.as_str()) {
                return Ok(Exit::Clean);
            }
            let rules: String = paths.iter().map(|p| format!(" {}", p.display())).collect();
            say!(
                "{} is out of date; regenerate it with `embargo coverage --output {}{rules}`",
                file.display(),
                file.display()
            );
            Ok(Exit::Found)
        }
        (Some(file), false) => {
            write_file(file, &report)?;
            Ok(Exit::Clean)
        }
        (None, _) => {
            let mut out = Output::stdout();
            out.write_str(&report)?;
            out.finish()?;
            Ok(Exit::Clean)
        }
    }
}
