//! `embargo explain`: one record, every rule considered, each step of its judgement.

use anyhow::{Context, Result, bail};

use super::args::{DecisionArgs, ExplainFormat, InputArgs, ListArgs, RuleArgs};
use super::exit::Exit;
use super::output::Output;
use embargo::internals::diagnostics::did_you_mean;
use embargo::internals::eval::{RuleExplanation, RuleStatus};
use embargo::internals::ir::Program;
use embargo::internals::model::{ReadError, ReadOptions, UnknownField, parse_record_with};
use embargo::internals::report::explain::{human, json, json_stamped};
use embargo::internals::report::verdicts::{provenance_lines, suppressed_line};

/// What `explain` shows, and of which record
pub struct Show<'a> {
    /// An indented tree or JSON
    pub format: ExplainFormat,
    /// The record's id (default: the first record)
    pub id: Option<&'a str>,
    /// The rules shown
    pub only: Only<'a>,
    /// The verdict with what it was decided with
    pub provenance: bool,
}

/// Which rules `explain` shows (`--rule`, `--regime`, `--fired`); all when none is given. The
/// verdict is always the whole program's.
pub struct Only<'a> {
    /// These rules
    pub rules: &'a [String],
    /// The rules of these regimes
    pub regimes: &'a [String],
    /// The rules that fired, were lifted, or could not be evaluated
    pub fired: bool,
}

impl Only<'_> {
    /// Each rule and regime named is one of the program's, else an error with the closest
    fn check(&self, program: &Program) -> Result<()> {
        let ids: Vec<&str> = program.rules.iter().map(|r| r.id.as_str()).collect();
        let mut regimes: Vec<&str> = program.rules.iter().map(|r| r.regime.as_str()).collect();
        regimes.sort_unstable();
        regimes.dedup();
        for (option, given, known) in [
            ("--rule", self.rules, &ids),
            ("--regime", self.regimes, &regimes),
        ] {
            for name in given {
                if !known.contains(&name.as_str()) {
                    let hint = did_you_mean(name, known.iter().copied())
                        .map(|c| format!(": did you mean `{c}`?"))
                        .unwrap_or_default();
                    let what = if option == "--rule" { "rule" } else { "regime" };
                    bail!("{option} {name}: no {what} of that name in the program{hint}");
                }
            }
        }
        Ok(())
    }

    /// Whether `rule` is shown
    fn shows(&self, rule: &RuleExplanation) -> bool {
        (self.rules.is_empty() || self.rules.contains(&rule.id))
            && (self.regimes.is_empty() || self.regimes.contains(&rule.regime))
            && (!self.fired
                || matches!(
                    rule.status,
                    RuleStatus::Fired | RuleStatus::Lifted { .. } | RuleStatus::Error { .. }
                ))
    }

    /// Whether any is given
    fn narrows(&self) -> bool {
        !self.rules.is_empty() || !self.regimes.is_empty() || self.fired
    }
}

/// Runs `explain`: exit status as `screen` would give for that record
pub fn run(
    rules: &RuleArgs,
    lists: &ListArgs,
    decisions: &DecisionArgs,
    input: &InputArgs,
    show: Show<'_>,
    file: &str,
) -> Result<Exit> {
    let Show {
        format,
        id,
        only,
        provenance,
    } = show;
    let (program, pack) = super::setup::compiled(rules)?;
    only.check(&program)?;
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
    let considered = explanation.rules.len();
    explanation.rules.retain(|r| only.shows(r));
    let suppressed = &explanation.verdict.suppressed;
    let human_text = || {
        let mut text = human(&explanation);
        if only.narrows() {
            // The first line counts the rules shown: say of how many
            text = text.replacen(
                &format!("{} rule(s) in the program", explanation.rules.len()),
                &format!(
                    "{} of the program's {considered} rule(s) shown (--rule, --regime, --fired)",
                    explanation.rules.len()
                ),
                1,
            );
        }
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
