//! `embargo explain`: one record, every rule considered, each step of its judgement.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::args::{DecisionArgs, ExplainFormat, InputArgs, ListArgs};
use super::exit::Exit;
use super::output::Output;
use embargo::internals::model::{ReadError, ReadOptions, UnknownField, parse_record_with};
use embargo::internals::report::explain::{human, json, json_stamped};
use embargo::internals::report::verdicts::{provenance_lines, suppressed_line};

/// Runs `explain`: exit status as `screen` would give for that record
#[expect(
    clippy::too_many_arguments,
    reason = "the command's options as clap gives them, one argument each"
)]
pub fn run(
    rules: &[PathBuf],
    lists: &ListArgs,
    decisions: &DecisionArgs,
    input: &InputArgs,
    format: ExplainFormat,
    id: Option<&str>,
    provenance: bool,
    file: &str,
) -> Result<Exit> {
    let (program, pack) = super::setup::compiled(rules)?;
    let (reader, source) = super::setup::records(file, input)?;
    let ready = super::setup::Ready::new(program, pack, lists)?;
    let provenance = provenance.then(|| ready.provenance());
    ready.judging(lists, decisions, |matcher, decisions, evaluator| {
    let mut record = None;
    let unknown = super::setup::UnknownFields::new(&source);
    let tell = |f: &UnknownField| unknown.tell(f);
    let options = ReadOptions {
        allow_unknown_fields: input.allow_unknown_fields,
        on_unknown_field: Some(&tell),
    };
    // The lines of records that could not be read, which may hold the one asked for
    let mut unread: Vec<usize> = Vec::new();
    for text in reader {
        let text = match text {
            Ok(text) => text,
            Err(ReadError::Record(bad)) if id.is_none() || bad.id.as_deref() == id => {
                bail!("the record is invalid: {}", bad.describe(&source))
            }
            Err(ReadError::Record(bad)) => {
                if bad.id.is_none() {
                    unread.push(bad.line);
                }
                continue;
            }
            Err(e) => {
                return Err(e.into_io_error(&source))
                    .with_context(|| format!("cannot read {source}"));
            }
        };
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
    unknown.say();
    let Some(mut t) = record else {
        match id {
            Some(want) if !unread.is_empty() => bail!(
                "no record with id {want:?} in {source}; the records at line(s) {} could not be read",
                unread
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(want) => bail!("no record with id {want:?} in {source}"),
            None => bail!("no record in {source}"),
        }
    };
    matcher.annotate(&mut t);
    super::lists::after_screening(matcher)?;
    // The analyst's decisions, between screening and judging, as `screen` applies them.
    let applied = decisions.apply(&mut t);
    let mut explanation = evaluator.explain(&t);
    explanation.verdict.suppressed = applied.suppressed;
    let suppressed = &explanation.verdict.suppressed;
    let human_text = || {
        let mut text = human(&explanation);
        if !suppressed.is_empty() {
            text.push_str("\nsuppressed matches (shown, not judged):\n");
            for m in suppressed {
                text.push_str(&format!("  {}\n", suppressed_line(m)));
            }
        }
        text
    };
    let text = match (format, &provenance) {
        (ExplainFormat::Human, None) => human_text(),
        (ExplainFormat::Human, Some(p)) => human_text() + "\n" + &provenance_lines(p),
        (ExplainFormat::Json, None) => json(&explanation),
        (ExplainFormat::Json, Some(p)) => json_stamped(&explanation, Some(p)),
    };
    super::suppress::say_totals(applied.dropped, suppressed.len(), applied.expired);
    let mut out = Output::stdout();
    out.write_str(&text)?;
    out.finish()?;
    Ok(if explanation.verdict.verdict.is_flagged() {
        Exit::Found
    } else {
        Exit::Clean
    })
    })
}
