//! `embargo screen`: records in, one verdict per record out, in input order.

use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::args::{DiagnosticFormat, ListArgs, ScreenFormat};
use super::exit::Exit;
use embargo::eval::Evaluator;
use embargo::lists::ListCatalog;
use embargo::matching::ListMatcher;
use embargo::model::{InputFormat, RecordReader};
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

/// The matcher of `catalogs` (each with the name of its file)
pub fn matcher(catalogs: &[(String, ListCatalog)]) -> ListMatcher<'_> {
    let mut matcher = ListMatcher::new();
    for (name, catalog) in catalogs {
        let label = std::path::Path::new(name)
            .file_name()
            .map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());
        matcher.add(label, catalog);
    }
    matcher
}

/// Runs `screen`
pub fn run(
    rules: &[PathBuf],
    lists: &ListArgs,
    format: ScreenFormat,
    threads: Option<usize>,
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
    let matcher = matcher(&catalogs);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    if format == ScreenFormat::Table {
        out.write_all(table_header().as_bytes())?;
    }
    // Long runs show progress on a terminal and stay quiet when stderr is piped.
    let progress = io::stderr().is_terminal();
    let mut written: u64 = 0;
    let summary = screen_stream(
        &evaluator,
        &matcher,
        reader,
        &source,
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
