//! `embargo screen`: records in, one verdict per record out, in input order.

use std::io::{self, BufRead, BufReader, IsTerminal};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::args::{DecisionArgs, DiagnosticFormat, InputArgs, ListArgs, ListsFormat, ScreenFormat};
use super::exit::Exit;
use super::output::{Output, say};
use embargo::eval::{Evaluator, Verdict};
use embargo::model::{
    InputFormat, ReadOptions, RecordReader, RecordText, UnknownField, parse_record_with,
};
use embargo::provenance::Provenance;
use embargo::report::verdicts::{
    json_line, provenance_json, provenance_lines, suppressed_rows, table_header, table_rows,
    with_provenance, with_suppressed,
};
use embargo::screen::stream_judged;
use embargo::screening::Lists;
use embargo::screening::matching::ListMatcher;
use embargo::screening::suppress::{Applied, Decisions};

/// Compiles the rules (the embedded pack when `paths` is empty) or explains why not
pub fn program(paths: &[PathBuf]) -> Result<embargo::ir::Program> {
    Ok(compiled(paths)?.0)
}

/// As `program`, with the pack's hash (`sha256:<hex>`, `embargo::provenance::pack_sha256`)
pub fn compiled(paths: &[PathBuf]) -> Result<(embargo::ir::Program, String)> {
    let files = super::load::rule_files(paths, false)?;
    // The paths as given, then as the file system resolves them (should the loader name files by
    // their real paths): a file's pack path is relative to the first that holds it.
    let roots: Vec<PathBuf> = paths
        .iter()
        .cloned()
        .chain(paths.iter().filter_map(|p| p.canonicalize().ok()))
        .collect();
    let pack = embargo::provenance::pack_hash(&files, &roots);
    let (program, diagnostics) = embargo::compile::compile(&files);
    match program {
        Some(p) => Ok((p, pack)),
        None => {
            super::check::print_diagnostics(&diagnostics, &files, DiagnosticFormat::Short)?;
            bail!(
                "the rules have {} error(s); run `embargo check` on them",
                diagnostics.error_count()
            )
        }
    }
}

/// The records of `file` (`-`: JSON Lines on stdin) and the name to give the input in errors
pub fn records(file: &str, input: &InputArgs) -> Result<(RecordReader<Box<dyn BufRead>>, String)> {
    let max = input.max_record_size();
    if file == "-" {
        let input: Box<dyn BufRead> = Box::new(BufReader::new(io::stdin().lock()));
        return Ok((
            RecordReader::new(input, InputFormat::JsonLines).with_max_record_size(max),
            "<stdin>".into(),
        ));
    }
    let f = std::fs::File::open(file).with_context(|| format!("cannot open {file}"))?;
    let input: Box<dyn BufRead> = Box::new(BufReader::with_capacity(1 << 16, f));
    Ok((
        RecordReader::new(input, InputFormat::from_path(file)).with_max_record_size(max),
        file.to_string(),
    ))
}

/// Says on stderr which lists no rule of `program` reads (`p.listed`, `v.listed` of their list
/// types): their matches give only `list.NAME` findings
pub fn say_unread(lists: &Lists, program: &embargo::ir::Program) {
    for name in lists.unread_by(program) {
        // The same name as provenance gives the list (`embargo::provenance::list_name`).
        let label = embargo::provenance::list_name(name);
        say!(
            "embargo: {name}: no rule reads what its matches give (`p.listed`, `v.listed` \
of its list types), so each match gives a `list.{label}` finding (review unless \
--list-verdict {label}=VERDICT)"
        );
    }
}

/// Checks that each `--list-verdict NAME` names a list of `matcher`
pub fn check_list_verdicts(lists: &ListArgs, matcher: &ListMatcher<'_>) -> Result<()> {
    let names = matcher.names();
    for (name, _) in &lists.list_verdicts {
        if !names.contains(&name.as_str()) {
            let loaded = if names.is_empty() {
                "no list is loaded".to_string()
            } else {
                format!("the lists loaded are {}", names.join(", "))
            };
            bail!("--list-verdict {name}: no list of that name is screened against ({loaded})");
        }
    }
    Ok(())
}

/// The unknown fields read past under `--allow-unknown-fields`, each name said once on stderr
/// at its first place in the input. Records are read by several threads in any order, so what
/// they meet is gathered and said when the run ends, in input order: the same input gives the
/// same lines.
pub struct UnknownFields {
    source: String,
    /// For each name, its first place in the input and what to say of it
    first: std::sync::Mutex<std::collections::BTreeMap<String, FirstPlace>>,
}

/// Where a name was first met (line, column) and what to say of it
type FirstPlace = ((usize, usize), String);

impl UnknownFields {
    /// None met yet, in the input named `source`
    pub fn new(source: &str) -> UnknownFields {
        UnknownFields {
            source: source.to_string(),
            first: std::sync::Mutex::new(std::collections::BTreeMap::new()),
        }
    }

    /// Notes one met; called from any thread
    pub fn tell(&self, field: &UnknownField) {
        let mut first = self
            .first
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let earlier = first
            .get(&field.name)
            .is_some_and(|(at, _)| *at <= field.at);
        if !earlier {
            first.insert(field.name.clone(), (field.at, field.message.clone()));
        }
    }

    /// Says each name once, at its first place, in input order
    pub fn say(&self) {
        let first = self
            .first
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut fields: Vec<&FirstPlace> = first.values().collect();
        fields.sort();
        for (_, message) in fields {
            say!(
                "embargo: {}: {message} (read as if absent, under --allow-unknown-fields; said once per field name)",
                self.source
            );
        }
    }
}

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
    let loaded = super::lists::for_screening(lists)?;
    say_unread(&loaded, &program);
    let versions = loaded.versions().to_vec();
    loaded.with_matcher(|matcher| -> Result<Exit> {
        // Computed and rendered once; each verdict line gets the same text.
        let provenance = provenance.then(|| Provenance::new(pack, versions));
        let stamp = provenance.as_ref().map(provenance_json);
        check_list_verdicts(lists, matcher)?;
        let decisions = super::suppress::decisions(decisions, matcher)?;
        let evaluator = Evaluator::new(&program).with_list_verdicts(&lists.list_verdicts);
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
            evaluator: &evaluator,
            matcher,
            decisions: &decisions,
            source: &source,
            options: &options,
        };
        let mut totals = Totals::default();
        let summary = stream_judged(
            reader,
            &source,
            |text| judge.judge(text),
            |v, applied| {
                let rendered = match format {
                    ScreenFormat::Jsonl => {
                        let mut line = json_line(v);
                        with_suppressed(&mut line, &applied.suppressed);
                        if let Some(stamp) = &stamp {
                            with_provenance(&mut line, stamp);
                        }
                        line.push('\n');
                        line
                    }
                    ScreenFormat::Table => table_rows(v) + &suppressed_rows(&applied.suppressed),
                };
                (
                    rendered,
                    [applied.dropped, applied.suppressed.len(), applied.expired],
                )
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
    /// applied to what screening found, then the rules; `invalid` when it cannot be read
    fn judge(&self, record: &RecordText) -> (Verdict, Applied) {
        match parse_record_with(self.source, record, self.options) {
            Ok(mut t) => {
                self.matcher.annotate(&mut t);
                let applied = self.decisions.apply(&mut t);
                (self.evaluator.evaluate(&t), applied)
            }
            Err(bad) => (
                Verdict::invalid(bad.id, bad.line, bad.errors),
                Applied::default(),
            ),
        }
    }
}

/// What the decisions changed over a run
#[derive(Default)]
struct Totals {
    dropped: usize,
    suppressed: usize,
    expired: usize,
}

/// Runs `version`: the provenance `screen --provenance` would give with these rules and lists
pub fn version(rules: &[PathBuf], lists: &ListArgs, format: ListsFormat) -> Result<Exit> {
    let (_, pack) = compiled(rules)?;
    let loaded = super::lists::for_screening(lists)?;
    let provenance = Provenance::new(pack, loaded.versions().to_vec());
    let text = match format {
        ListsFormat::Human => provenance_lines(&provenance),
        ListsFormat::Json => provenance_json(&provenance) + "\n",
    };
    super::output::print(&text)?;
    Ok(Exit::Clean)
}
