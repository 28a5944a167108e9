//! `embargo screen`: records in, one verdict per record out, in input order.

use std::io::{self, IsTerminal};
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::args::{DecisionArgs, InputArgs, ListArgs, ListsFormat, ScreenFormat};
use super::exit::Exit;
use super::output::Output;
use super::setup::{Ready, UnknownFields, compiled, records};
use embargo::internals::eval::{Evaluator, Verdict};
use embargo::internals::model::{ReadOptions, RecordText, UnknownField, parse_record_with};
use embargo::internals::report::verdicts::{
    json_line, provenance_json, provenance_lines, suppressed_rows, table_header, table_rows,
    with_provenance,
};
use embargo::internals::screen::stream_judged;
use embargo::internals::screening::matching::ListMatcher;
use embargo::internals::screening::suppress::Decisions;

/// Runs `screen`; with `provenance`, each verdict carries what it was decided with
pub fn run(
    rules: &[PathBuf],
    lists: &ListArgs,
    decisions: &DecisionArgs,
    input: &InputArgs,
    format: ScreenFormat,
    provenance: bool,
    file: &str,
) -> Result<Exit> {
    // The worker threads (`--threads`) were started once for the process, in `cli::run`.
    let (program, pack) = compiled(rules)?;
    let (reader, source) = records(file, input)?;
    let ready = Ready::new(program, pack, lists)?;
    // Computed and rendered once; each verdict line gets the same text.
    let provenance = provenance.then(|| ready.provenance());
    let stamp = provenance.as_ref().map(provenance_json);
    ready.judging(lists, decisions, |matcher, decisions, evaluator| {
        let mut out = Output::stdout();
        if format == ScreenFormat::Table {
            if let Some(p) = &provenance {
                out.write_str(&provenance_lines(p))?;
            }
            out.write_str(&table_header())?;
        }
        // The error of a failed write, kept apart from read errors: `screen_stream` returns one
        // `io::Error` for both, and a failed output must be reported as such (never as a read error).
        let mut write_error = None;
        // Long runs show progress on a terminal and stay quiet when stderr is piped.
        let progress = io::stderr().is_terminal();
        let mut written: u64 = 0;
        let unknown = UnknownFields::new(&source);
        let tell = |f: &UnknownField| unknown.tell(f);
        let options = ReadOptions {
            allow_unknown_fields: input.allow_unknown_fields,
            on_unknown_field: Some(&tell),
        };
        let judge = Judge {
            evaluator,
            matcher,
            decisions,
            source: &source,
            options: &options,
        };
        let mut totals = Totals::default();
        let summary = stream_judged(
            reader,
            &source,
            |text| judge.judge(text),
            |v, counts: &Counts| {
                let rendered = match format {
                    ScreenFormat::Jsonl => {
                        let mut line = json_line(v);
                        if let Some(stamp) = &stamp {
                            with_provenance(&mut line, stamp);
                        }
                        line.push('\n');
                        line
                    }
                    ScreenFormat::Table => table_rows(v) + &suppressed_rows(&v.suppressed),
                };
                (rendered, *counts)
            },
            |(line, [dropped, suppressed, expired])| {
                totals.dropped = totals.dropped.saturating_add(dropped);
                totals.suppressed = totals.suppressed.saturating_add(suppressed);
                totals.expired = totals.expired.saturating_add(expired);
                written += 1;
                if progress && written.is_multiple_of(100_000) {
                    super::output::stderr_raw(&format!("\rscreened {written} records"));
                }
                out.write_str(&line).map_err(|e| {
                    write_error = Some(e);
                    io::Error::other("the output failed")
                })
            },
        );
        if progress && written >= 100_000 {
            super::output::stderr_raw(&format!("\rscreened {written} records\n"));
        }
        unknown.say();
        if let Some(e) = write_error {
            return Err(e.into());
        }
        let summary = summary.with_context(|| format!("cannot read {source}"))?;
        out.finish()?;
        super::suppress::say_totals(totals.dropped, totals.suppressed, totals.expired);
        super::lists::after_screening(matcher)?;
        Ok(if summary.any_flagged() {
            Exit::Found
        } else {
            Exit::Clean
        })
    })
}

/// What judges one record: screening, the analyst's decisions, the rules
struct Judge<'j, 'p, 'l> {
    evaluator: &'j Evaluator<'p>,
    matcher: &'j ListMatcher<'l>,
    decisions: &'j Decisions,
    source: &'j str,
    options: &'j ReadOptions<'j>,
}

impl Judge<'_, '_, '_> {
    /// One record's text judged: parsed, its parties and vessels screened, the decisions
    /// applied to what screening found, then the rules, the suppressed matches in the verdict;
    /// `invalid` when it cannot be read. With what the decisions changed.
    fn judge(&self, record: &RecordText) -> (Verdict, Counts) {
        match parse_record_with(self.source, record, self.options) {
            Ok(mut t) => {
                self.matcher.annotate(&mut t);
                let applied = self.decisions.apply(&mut t);
                let counts = [applied.dropped, applied.suppressed.len(), applied.expired];
                let mut verdict = self.evaluator.evaluate(&t);
                verdict.suppressed = applied.suppressed;
                (verdict, counts)
            }
            Err(bad) => (Verdict::invalid(bad.id, bad.line, bad.errors), [0; 3]),
        }
    }
}

/// What the decisions changed in one record: matches dropped, suppressed, judged again
type Counts = [usize; 3];

/// What the decisions changed over a run
#[derive(Default)]
struct Totals {
    dropped: usize,
    suppressed: usize,
    expired: usize,
}

/// Runs `version`: the provenance `screen --provenance` would give with these rules and lists
pub fn version(rules: &[PathBuf], lists: &ListArgs, format: ListsFormat) -> Result<Exit> {
    let (program, pack) = compiled(rules)?;
    let provenance = Ready::new(program, pack, lists)?.provenance();
    let text = match format {
        ListsFormat::Human => provenance_lines(&provenance),
        ListsFormat::Json => provenance_json(&provenance) + "\n",
    };
    super::output::print(&text)?;
    Ok(Exit::Clean)
}
