//! `embargo explain`: one record, every rule considered, each step of its judgement.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::args::{ExplainFormat, ListArgs};
use super::exit::Exit;
use embargo::eval::Evaluator;
use embargo::model::{ReadOptions, parse_record_with};
use embargo::report::explain::{human, json};

/// Runs `explain`: exit status as `screen` would give for that record
pub fn run(
    rules: &[PathBuf],
    lists: &ListArgs,
    format: ExplainFormat,
    id: Option<&str>,
    allow_unknown_fields: bool,
    file: &str,
) -> Result<Exit> {
    let program = super::screen::program(rules)?;
    let evaluator = Evaluator::new(&program);
    let (reader, source) = super::screen::records(file)?;
    let catalogs = super::lists::for_screening(lists)?;
    let matcher = super::screen::matcher(&catalogs, &program);
    let mut record = None;
    let tell = super::screen::unknown_field_reporter(&source);
    let options = ReadOptions {
        allow_unknown_fields,
        on_unknown_field: Some(&tell),
    };
    for text in reader {
        let text = text.with_context(|| format!("cannot read {source}"))?;
        match parse_record_with(&source, &text, &options) {
            Ok(t) if id.is_none_or(|want| t.id == want) => {
                record = Some(t);
                break;
            }
            Ok(_) => {}
            Err(bad) if id.is_none() || bad.id.as_deref() == id => {
                bail!("the record is invalid: {}", bad.errors.join("; "))
            }
            Err(_) => {}
        }
    }
    let Some(mut t) = record else {
        match id {
            Some(want) => bail!("no record with id {want:?} in {source}"),
            None => bail!("no record in {source}"),
        }
    };
    matcher.annotate(&mut t);
    let explanation = evaluator.explain(&t);
    let text = match format {
        ExplainFormat::Human => human(&explanation),
        ExplainFormat::Json => json(&explanation),
    };
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(Exit::Clean),
        other => other?,
    }
    Ok(if explanation.verdict.verdict.is_flagged() {
        Exit::Found
    } else {
        Exit::Clean
    })
}
