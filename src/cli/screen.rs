//! `embargo screen`: records in, one verdict per record out, in input order.

use std::io::{self, IsTerminal};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use super::args::{DecisionArgs, InputArgs, ListArgs, ListsFormat, RuleArgs, ScreenFormat};
use super::exit::Exit;
use super::output::Output;
use super::setup::{Ready, UnknownFields, compiled, records_read};
use super::summary::{Counted, Tally};
use embargo::internals::eval::{Evaluator, Verdict};
use embargo::internals::model::{
    ReadOptions, RecordText, Transaction, UnknownField, parse_record_into,
};
use embargo::internals::report::html::{Entry, HtmlReport, RecordFacts, Run, listed};
use embargo::internals::report::verdicts::{
    json_line, provenance_json, provenance_lines, suppressed_rows, table_header, table_rows_styled,
    with_provenance,
};
use embargo::internals::screen::stream_judged;
use embargo::internals::screening::matching::ListMatcher;
use embargo::internals::screening::suppress::Decisions;

/// How `screen` shows what it decided
pub struct Show<'a> {
    /// JSON Lines or a table
    pub format: ScreenFormat,
    /// Each verdict with what it was decided with (the table: once, above the header)
    pub provenance: bool,
    /// Where to write the run's summary as JSON (`--summary FILE`)
    pub summary: Option<&'a Path>,
    /// Where to write the HTML report beside the output (`--report FILE`)
    pub report: Option<&'a Path>,
}

/// Runs `screen`
pub fn run(
    rules: &RuleArgs,
    lists: &ListArgs,
    decisions: &DecisionArgs,
    input: &InputArgs,
    show: Show<'_>,
    file: &str,
) -> Result<Exit> {
    let format = show.format;
    // The worker threads (`--threads`) were started once for the process, in `cli::run`.
    let (program, pack) = compiled(rules)?;
    // On a terminal, a bar of the file's bytes read; nothing when stderr is piped or the records
    // come from stdin (no length to measure against)
    let terminal = io::stderr().is_terminal();
    let progress = (terminal && file != "-")
        .then(|| progress_bar(file))
        .flatten();
    let (reader, source) = records_read(file, input, progress.as_ref())?;
    let ready = Ready::new(program, pack, lists)?;
    // The HTML report (`--format html`, `--report FILE`): when and how the run was made
    let html = (format == ScreenFormat::Html || show.report.is_some()).then(|| HtmlRun {
        when: super::lists::now(),
        command: std::iter::once("embargo".to_string())
            .chain(
                std::env::args_os()
                    .skip(1)
                    .map(|a| a.to_string_lossy().into_owned()),
            )
            .collect(),
    });
    // Computed and rendered once; each verdict line gets the same text.
    let provenance =
        (show.provenance || show.summary.is_some() || html.is_some()).then(|| ready.provenance());
    let stamp = provenance
        .as_ref()
        .filter(|_| show.provenance)
        .map(provenance_json);
    let colour = format == ScreenFormat::Table && super::output::colour_on(&io::stdout());
    ready.judging(lists, decisions, |matcher, decisions, evaluator| {
        let mut out = Output::stdout();
        if format == ScreenFormat::Table {
            if let Some(p) = provenance.as_ref().filter(|_| show.provenance) {
                out.write_str(&provenance_lines(p))?;
            }
            out.write_str(&table_header())?;
        }
        // The error of a failed write, kept apart from read errors: `screen_stream` returns one
        // `io::Error` for both, and a failed output must be reported as such (never as a read error).
        let mut write_error = None;
        let mut tally = Tally::default();
        let mut report = HtmlReport::default();
        let started = Instant::now();
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
            facts: html.is_some(),
        };
        let mut totals = Totals::default();
        let summary = stream_judged(
            reader,
            &source,
            |text| judge.judge(text),
            |v, (counts, facts): &Kept| {
                let rendered = match format {
                    ScreenFormat::Jsonl => {
                        let mut line = json_line(v);
                        if let Some(stamp) = &stamp {
                            with_provenance(&mut line, stamp);
                        }
                        line.push('\n');
                        line
                    }
                    ScreenFormat::Table => {
                        table_rows_styled(v, colour) + &suppressed_rows(&v.suppressed)
                    }
                    // Written whole at the end
                    ScreenFormat::Html => String::new(),
                };
                let entry = html.is_some().then(|| Entry::of(v, facts.as_ref()));
                (rendered, *counts, Counted::of(v), entry)
            },
            |(line, [dropped, suppressed, expired], counted, entry)| {
                totals.dropped = totals.dropped.saturating_add(dropped);
                totals.suppressed = totals.suppressed.saturating_add(suppressed);
                totals.expired = totals.expired.saturating_add(expired);
                tally.add(counted);
                if let Some(entry) = entry {
                    report.add(entry);
                }
                out.write_str(&line).map_err(|e| {
                    write_error = Some(e);
                    io::Error::other("the output failed")
                })
            },
        );
        let took = started.elapsed();
        if let Some(bar) = &progress {
            bar.finish_and_clear();
        }
        unknown.say();
        if let Some(e) = write_error {
            return Err(e.into());
        }
        let summary = summary.with_context(|| format!("cannot read {source}"))?;
        if let (Some(run), Some(p)) = (&html, &provenance) {
            let page = report.render(&Run {
                when: &run.when,
                command: &run.command,
                input: file,
                seconds: took.as_secs_f64(),
                provenance: p,
            });
            if format == ScreenFormat::Html {
                out.write_str(&page)?;
            }
            if let Some(path) = show.report {
                super::output::write_file(path, &page)?;
            }
        }
        out.finish()?;
        super::suppress::say_totals(totals.dropped, totals.suppressed, totals.expired);
        super::lists::after_screening(matcher)?;
        if let (Some(path), Some(p)) = (show.summary, &provenance) {
            super::output::write_file(path, &tally.json(p, took))?;
        }
        if terminal {
            // Our own text and colours: nothing from the input to escape
            let line = tally.line(took, super::output::colour_on(&io::stderr()));
            super::output::stderr_raw(&format!("{line}\n"));
        }
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
    /// Whether to keep what the HTML report shows of each record
    facts: bool,
}

impl Judge<'_, '_, '_> {
    /// One record's text judged: parsed, its parties and vessels screened, the decisions
    /// applied to what screening found, then the rules, the suppressed matches in the verdict;
    /// `invalid` when it cannot be read. With what the decisions changed, and what the HTML
    /// report shows of the record when it is wanted.
    fn judge(&self, record: &RecordText) -> (Verdict, Kept) {
        // Read into a record on this stack, as `screen::judge_with` does: a record is about 700
        // bytes, and returning one copied it
        let mut t = Transaction::default();
        match parse_record_into(self.source, record, self.options, &mut t) {
            Ok(()) => {
                self.matcher.annotate(&mut t);
                let applied = self.decisions.apply(&mut t);
                let counts = [applied.dropped, applied.suppressed.len(), applied.expired];
                let mut verdict = self.evaluator.evaluate_taking_id(&mut t);
                verdict.suppressed = applied.suppressed;
                // Only for the records the report lists: a clear one is counted, not shown
                let facts = (self.facts && listed(verdict.verdict)).then(|| RecordFacts::of(&t));
                (verdict, (counts, facts))
            }
            Err(bad) => (
                Verdict::invalid(bad.id, bad.line, bad.errors),
                ([0; 3], None),
            ),
        }
    }
}

/// What the decisions changed in one record: matches dropped, suppressed, judged again
type Counts = [usize; 3];

/// What is kept of a record beside its verdict: what the decisions changed, and what the HTML
/// report shows of it (when one is written)
type Kept = (Counts, Option<RecordFacts>);

/// When and how a run with an HTML report was made: the clock read as it starts, the command
/// line as given (the program named `embargo`)
struct HtmlRun {
    when: String,
    command: Vec<String>,
}

/// What the decisions changed over a run
#[derive(Default)]
struct Totals {
    dropped: usize,
    suppressed: usize,
    expired: usize,
}

/// Runs `version`: the provenance `screen --provenance` would give with these rules and lists
pub fn version(rules: &RuleArgs, lists: &ListArgs, format: ListsFormat) -> Result<Exit> {
    let (program, pack) = compiled(rules)?;
    let provenance = Ready::new(program, pack, lists)?.provenance();
    let text = match format {
        ListsFormat::Human => provenance_lines(&provenance),
        ListsFormat::Json => provenance_json(&provenance) + "\n",
    };
    super::output::print(&text)?;
    Ok(Exit::Clean)
}

/// The progress bar of screening `file`: its bytes read, the rate and the time left; none when
/// its length cannot be read
fn progress_bar(file: &str) -> Option<indicatif::ProgressBar> {
    let length = std::fs::metadata(file).ok()?.len();
    let bar = indicatif::ProgressBar::new(length);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} screening {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    )
    .ok()?;
    bar.set_style(style);
    Some(bar)
}
