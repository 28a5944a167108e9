//! Setting up a command: its options turned into a compiled program, the records to read and
//! the lists to screen against, with what is said on stderr on the way. `screen`, `explain`,
//! `version` and `coverage` start here; what judges a record (the matcher, the analyst's
//! decisions, the evaluator) is built once, in [`Ready::judging`].

use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::args::{DecisionArgs, DiagnosticFormat, InputArgs, ListArgs, RuleArgs};
use super::output::say;
use embargo::internals::diagnostics::{Code, Diagnostics, Severity};
use embargo::internals::eval::Evaluator;
use embargo::internals::ir::Program;
use embargo::internals::model::{
    ColumnMap, CsvRecords, InputFormat, ReadError, RecordReader, RecordText, SheetRecords,
    UnknownField, check_content,
};
use embargo::internals::provenance::{ListVersion, Provenance};
use embargo::internals::screening::Lists;
use embargo::internals::screening::matching::ListMatcher;
use embargo::internals::screening::suppress::Decisions;
use embargo::internals::source::SourceFile;

/// A compiled program with its pack's hash, and the lists to screen against
pub struct Ready {
    /// The rules
    pub program: Program,
    /// The pack's hash (`sha256:<hex>`)
    pub pack: String,
    /// The lists of `--list`, else the cached UN list, else none
    pub lists: Lists,
}

impl Ready {
    /// The lists the options name, loaded (failing closed), for `program`; says on stderr which
    /// lists no rule reads
    pub fn new(program: Program, pack: String, lists: &ListArgs) -> Result<Ready> {
        let lists = super::lists::for_screening(lists)?;
        say_unread(&lists, &program);
        Ok(Ready {
            program,
            pack,
            lists,
        })
    }

    /// The versions of the lists loaded
    pub fn versions(&self) -> Vec<ListVersion> {
        self.lists.versions().to_vec()
    }

    /// What decided: the pack and the list versions
    pub fn provenance(&self) -> Provenance {
        Provenance::new(self.pack.clone(), self.versions())
    }

    /// Runs `f` with what judges a record: the lists' matcher, the analyst's decisions
    /// (`--min-score`, `--suppressions`, checked against the lists' names) and the evaluator
    /// (with `--list-verdict`, each naming a list loaded)
    pub fn judging<R>(
        &self,
        lists: &ListArgs,
        decisions: &DecisionArgs,
        f: impl for<'a> FnOnce(&ListMatcher<'a>, &Decisions, &Evaluator<'_>) -> Result<R>,
    ) -> Result<R> {
        self.lists.with_matcher(|matcher| {
            check_list_verdicts(lists, matcher)?;
            let decisions = super::suppress::decisions(decisions, matcher)?;
            let evaluator = Evaluator::new(&self.program).with_list_verdicts(&lists.list_verdicts);
            f(matcher, &decisions, &evaluator)
        })
    }
}

/// Compiles the rule files `paths` name alone (the embedded pack when there is none), or
/// explains why not
pub fn program(paths: &[PathBuf]) -> Result<embargo::internals::ir::Program> {
    Ok(compile_files(super::load::rule_files(paths, false)?, paths)?.0)
}

/// The program of `--rules` and `--no-default-rules` (the embedded pack with the files added, or
/// those files alone), with the pack's hash (`sha256:<hex>`,
/// `embargo::internals::provenance::pack_sha256`)
pub fn compiled(rules: &RuleArgs) -> Result<(embargo::internals::ir::Program, String)> {
    compile_files(super::load::pack_files(rules)?, &rules.rules)
}

/// Compiles `files` (named relative to `roots` in the hash), or explains why not: the errors
/// on stderr, and, when a name of an added file is one of the embedded pack's, how to resolve it
fn compile_files(
    files: Vec<SourceFile>,
    roots_of: &[PathBuf],
) -> Result<(embargo::internals::ir::Program, String)> {
    let pack = embargo::internals::provenance::pack_hash(&files, &roots(roots_of));
    let (program, diagnostics) = embargo::internals::compile::compile(&files);
    match program {
        Some(p) => Ok((p, pack)),
        None => {
            // The embedded pack's own warnings are its maintainers' business, not the reader's
            let mut shown = Diagnostics::default();
            for d in diagnostics.iter().filter(|d| {
                d.severity == Severity::Error
                    || files
                        .get(d.file)
                        .is_none_or(|f| !f.name.starts_with("<embedded>/"))
            }) {
                shown.push(d.clone());
            }
            super::check::print_diagnostics(&shown, &files, DiagnosticFormat::Short)?;
            let collisions = collisions(&diagnostics, &files);
            if !collisions.is_empty() {
                bail!(
                    "--rules adds to the embedded pack, which already defines {}: rename yours, \
or give --no-default-rules to judge by your rules alone",
                    collisions.join(", ")
                );
            }
            bail!(
                "the rules have {} error(s); run `embargo check` on them",
                diagnostics.error_count()
            )
        }
    }
}

/// The names defined twice (E206) once in the embedded pack and once in an added file, each as
/// `` `name` (<embedded>/FILE) ``
pub fn collisions(diagnostics: &Diagnostics, files: &[SourceFile]) -> Vec<String> {
    let embedded = |id: usize| {
        files
            .get(id)
            .filter(|f| f.name.starts_with("<embedded>/"))
            .map(|f| f.name.as_str())
    };
    diagnostics
        .iter()
        .filter(|d| d.code == Code::E206)
        .filter_map(|d| {
            let first = d.related.first()?;
            let here = embedded(d.file);
            let there = embedded(first.file);
            // One side embedded, the other added
            let pack_file = match (here, there) {
                (Some(f), None) | (None, Some(f)) => f,
                _ => return None,
            };
            // The name as written where the diagnostic points, not read back from its message
            let name = files.get(d.file)?.text.get(d.span.start..d.span.end)?;
            Some(format!("`{name}` ({pack_file})"))
        })
        .collect()
}

/// The folders or files a pack's files are named relative to in its hash: the paths as given,
/// then as the file system resolves them (should the loader name files by their real paths); a
/// file's pack path is relative to the first that holds it
pub fn roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .cloned()
        .chain(paths.iter().filter_map(|p| p.canonicalize().ok()))
        .collect()
}

/// The records of an input, one text a record, whatever its format
pub type Records = Box<dyn Iterator<Item = Result<RecordText, ReadError>>>;

/// The records of `file` (`-`: stdin, JSON Lines unless `--input-format` says otherwise) and the
/// name to give the input in errors
pub fn records(file: &str, input: &InputArgs) -> Result<(Records, String)> {
    records_read(file, input, None)
}

/// [`records`], the bytes read from a file counted on `progress`. The format is `--input-format`,
/// else the file's extension's; an input whose start cannot be that format, a table whose header
/// is wrong, or a workbook that cannot be opened is refused here, once, before any record.
pub fn records_read(
    file: &str,
    input: &InputArgs,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<(Records, String)> {
    let max = input.max_record_size();
    let format = match (input.input_format, file) {
        (Some(f), _) => f.format(),
        (None, "-") => InputFormat::JsonLines,
        (None, _) => InputFormat::from_path(file),
    };
    let map = match &input.columns {
        Some(path) if !format.is_table() => bail!(
            "--columns {}: a map of columns is for CSV and spreadsheets, and {file} is read as {}",
            path.display(),
            format.describe()
        ),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Some(ColumnMap::parse(&text).with_context(|| format!("--columns {}", path.display()))?)
        }
        None => None,
    };
    let (mut reader, source): (Box<dyn BufRead>, String) = if file == "-" {
        (
            Box::new(BufReader::new(io::stdin().lock())),
            "<stdin>".into(),
        )
    } else {
        let f = std::fs::File::open(file).with_context(|| format!("cannot open {file}"))?;
        let reader: Box<dyn BufRead> = match progress {
            Some(bar) => Box::new(BufReader::with_capacity(1 << 16, bar.wrap_read(f))),
            None => Box::new(BufReader::with_capacity(1 << 16, f)),
        };
        (reader, file.to_string())
    };
    let cannot = || format!("cannot read {source}");
    if format.is_workbook() {
        // A workbook is read whole: its parts are found from the end of the file.
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).with_context(cannot)?;
        let rows = SheetRecords::new(&bytes, format, map.as_ref(), max).with_context(cannot)?;
        return Ok((Box::new(rows), source));
    }
    let start = reader.fill_buf().with_context(cannot)?;
    check_content(start, format).with_context(cannot)?;
    if format == InputFormat::Csv {
        let rows = CsvRecords::new(reader, map.as_ref(), max).with_context(cannot)?;
        return Ok((Box::new(rows), source));
    }
    Ok((
        Box::new(RecordReader::new(reader, format).with_max_record_size(max)),
        source,
    ))
}

/// Says on stderr which lists no rule of `program` reads (`p.listed`, `v.listed` of their list
/// types): their matches give only `list.NAME` findings
pub fn say_unread(lists: &Lists, program: &embargo::internals::ir::Program) {
    for name in lists.unread_by(program) {
        // The same name as provenance gives the list (`embargo::internals::provenance::list_name`).
        let label = embargo::internals::provenance::list_name(name);
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
