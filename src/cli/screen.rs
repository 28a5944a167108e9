//! `embargo screen`: records in, one verdict per record out, in input order.

use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::args::{DiagnosticFormat, ListArgs, ScreenFormat};
use super::exit::Exit;
use embargo::eval::Evaluator;
use embargo::lists::ListCatalog;
use embargo::matching::ListMatcher;
use embargo::model::{InputFormat, ReadOptions, RecordReader, UnknownField};
use embargo::report::verdicts::{json_line, table_header, table_rows};
use embargo::screen::screen_stream;

/// Compiles the rules (the embedded pack when `paths` is empty) or explains why not
pub fn program(paths: &[PathBuf]) -> Result<embargo::ir::Program> {
    let files = super::load::rule_files(paths, false)?;
    let (program, diagnostics) = embargo::compile::compile(&files);
    match program {
        Some(p) => Ok(p),
        None => {
            super::check::print_diagnostics(&diagnostics, &files, DiagnosticFormat::Short);
            bail!(
                "the rules have {} error(s); run `embargo check` on them",
                diagnostics.error_count()
            )
        }
    }
}

/// The records of `file` (`-`: JSON Lines on stdin) and the name to give the input in errors
pub fn records(file: &str) -> Result<(RecordReader<Box<dyn BufRead>>, String)> {
    if file == "-" {
        let input: Box<dyn BufRead> = Box::new(BufReader::new(io::stdin().lock()));
        return Ok((
            RecordReader::new(input, InputFormat::JsonLines),
            "<stdin>".into(),
        ));
    }
    let f = std::fs::File::open(file).with_context(|| format!("cannot open {file}"))?;
    let input: Box<dyn BufRead> = Box::new(BufReader::with_capacity(1 << 16, f));
    Ok((
        RecordReader::new(input, InputFormat::from_path(file)),
        file.to_string(),
    ))
}

/// The matcher of `catalogs` (each with the name of its file); says on stderr when a list can
/// give no finding because no rule of `program` reads what its matches give
pub fn matcher<'a>(
    catalogs: &'a [(String, ListCatalog)],
    program: &embargo::ir::Program,
) -> ListMatcher<'a> {
    // The list types that rules look for in `p.listed` and `v.listed`.
    let mut wanted: Vec<&str> = Vec::new();
    for rule in &program.rules {
        collect_listed(&rule.cond, &mut wanted);
    }
    let mut matcher = ListMatcher::new();
    for (name, catalog) in catalogs {
        let un = catalog.format == Some(embargo::lists::Format::UnXml);
        let heard = un
            || catalog.entries.iter().any(|e| {
                embargo::matching::listed(catalog.format, e)
                    .iter()
                    .any(|l| wanted.contains(&l.as_str()))
            });
        if !heard {
            eprintln!(
                "embargo: {name}: no rule reads what its matches give (`p.listed`, `v.listed` \
of its list types), so they can give no finding"
            );
        }
        let label = std::path::Path::new(name)
            .file_name()
            .map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());
        matcher.add(label, catalog);
    }
    matcher
}

/// What says on stderr, once per field name, each unknown field read past under
/// `--allow-unknown-fields`
pub fn unknown_field_reporter(source: &str) -> impl Fn(&UnknownField) + Sync + use<> {
    let seen = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let source = source.to_string();
    move |field: &UnknownField| {
        let first = seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(field.name.clone());
        if first {
            eprintln!(
                "embargo: {source}: {} (read as if absent, under --allow-unknown-fields; said once per field name)",
                field.message
            );
        }
    }
}

/// Runs `screen`
pub fn run(
    rules: &[PathBuf],
    lists: &ListArgs,
    format: ScreenFormat,
    threads: Option<usize>,
    allow_unknown_fields: bool,
    file: &str,
) -> Result<Exit> {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot start the worker threads")?;
    }
    let program = program(rules)?;
    let evaluator = Evaluator::new(&program);
    let (reader, source) = records(file)?;
    let catalogs = super::lists::for_screening(lists)?;
    let matcher = matcher(&catalogs, &program);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    if format == ScreenFormat::Table {
        out.write_all(table_header().as_bytes())?;
    }
    // Long runs show progress on a terminal and stay quiet when stderr is piped.
    let progress = io::stderr().is_terminal();
    let mut written: u64 = 0;
    let tell = unknown_field_reporter(&source);
    let options = ReadOptions {
        allow_unknown_fields,
        on_unknown_field: Some(&tell),
    };
    let summary = screen_stream(
        &evaluator,
        &matcher,
        reader,
        &source,
        &options,
        |v| match format {
            ScreenFormat::Jsonl => {
                let mut line = json_line(v);
                line.push('\n');
                line
            }
            ScreenFormat::Table => table_rows(v),
        },
        |line| {
            written += 1;
            if progress && written.is_multiple_of(100_000) {
                eprint!("\rscreened {written} records");
            }
            out.write_all(line.as_bytes())
        },
    );
    if progress && written >= 100_000 {
        eprintln!("\rscreened {written} records");
    }
    let summary = match summary {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(Exit::Clean),
        Err(e) => return Err(e).with_context(|| format!("cannot read {source}")),
    };
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(Exit::Clean),
        other => other?,
    }
    Ok(if summary.any_flagged() {
        Exit::Found
    } else {
        Exit::Clean
    })
}

/// The values that `p.listed has ...` and `v.listed has ...` tests of `cond` look for
fn collect_listed<'p>(cond: &'p embargo::ir::Cond, out: &mut Vec<&'p str>) {
    use embargo::ir::{Access, Cond, PartyField, Test, VesselField};
    match cond {
        Cond::And(parts) | Cond::Or(parts) => parts.iter().for_each(|p| collect_listed(p, out)),
        Cond::Not(inner) => collect_listed(inner, out),
        Cond::Quant { body, .. } | Cond::Count { body, .. } => collect_listed(body, out),
        Cond::Cmp(
            Access::Party(_, PartyField::Listed) | Access::Vessel(_, VesselField::Listed),
            Test::StrHas(values),
        ) => out.extend(values.iter().map(String::as_str)),
        _ => {}
    }
}
