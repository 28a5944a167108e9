//! The code paths the fuzz targets drive, shared with `tests/regression.rs` (which includes this
//! file with `#[path]`), so that a crash found by the fuzzer replays exactly in `cargo test`.

use std::sync::OnceLock;

use embargo::internals::eval::{Evaluator, Outcome};
use embargo::internals::ir::Program;
use embargo::internals::model::{InputFormat, RecordReader};
use embargo::internals::report::diagnostics::{DiagnosticStyle, render_human, to_json};
use embargo::internals::report::verdicts::{json_line, table_rows};
use embargo::internals::source::SourceFile;

/// What one rule-file input came to
#[derive(Debug, Default)]
pub struct RuleReport {
    /// Errors among the diagnostics
    pub errors: usize,
    /// Whether a program came back (and its tests were run)
    pub compiled: bool,
}

/// Parse, check and lower one rule file; run its tests; render every diagnostic both ways
pub fn rule_parser(data: &[u8]) -> Option<RuleReport> {
    let text = std::str::from_utf8(data).ok()?;
    let files = [SourceFile::new("fuzz.rules", text)];
    let (program, diagnostics) = embargo::internals::compile::compile(&files);
    for d in diagnostics.iter() {
        let human = render_human(d, &files, DiagnosticStyle::Plain);
        let short = render_human(d, &files, DiagnosticStyle::Short);
        let json = to_json(d, &files);
        std::hint::black_box((human, short, json));
    }
    let compiled = program.is_some();
    if let Some(program) = program {
        std::hint::black_box(embargo::internals::testing::run_tests(&program));
    }
    Some(RuleReport {
        errors: diagnostics.error_count(),
        compiled,
    })
}

/// The embedded rule pack, compiled once
pub fn embedded_program() -> Option<&'static Program> {
    static PROGRAM: OnceLock<Option<Program>> = OnceLock::new();
    PROGRAM
        .get_or_init(|| {
            embargo::internals::compile::compile(&embargo::internals::rules::embedded()).0
        })
        .as_ref()
}

/// What one record input came to, for each format
#[derive(Debug, Default)]
pub struct RecordReport {
    /// Records read, over the three formats
    pub records: usize,
    /// Records judged `invalid`
    pub invalid: usize,
    /// Inputs that cannot be read or split into records (the reader stops at the first of each
    /// format)
    pub io_errors: usize,
}

/// Split the input into records as JSON Lines, as a JSON array and as YAML documents; judge
/// every record against the embedded rule pack and render each verdict both ways
pub fn record_reader(data: &[u8]) -> RecordReport {
    let mut report = RecordReport::default();
    let Some(program) = embedded_program() else {
        return report;
    };
    let evaluator = Evaluator::new(program);
    for format in [
        InputFormat::JsonLines,
        InputFormat::JsonArray,
        InputFormat::Yaml,
    ] {
        for record in RecordReader::new(data, format) {
            let text = match record {
                Ok(text) => text,
                // A broken record (bad UTF-8, too large, text outside any record) is `invalid`.
                Err(embargo::internals::model::ReadError::Record(_)) => {
                    report.records += 1;
                    report.invalid += 1;
                    continue;
                }
                Err(_) => {
                    report.io_errors += 1;
                    continue;
                }
            };
            let verdict = embargo::internals::screen::judge(
                &evaluator,
                &embargo::internals::screening::matching::ListMatcher::new(),
                "fuzz",
                &text,
            );
            report.records += 1;
            if verdict.verdict == Outcome::Invalid {
                report.invalid += 1;
            }
            std::hint::black_box((json_line(&verdict), table_rows(&verdict)));
        }
    }
    report
}

/// What one list input came to
#[derive(Debug, Default)]
pub struct ListReport {
    /// Entries read, over the readers that accepted the input
    pub entries: usize,
    /// Entries skipped with a problem
    pub problems: usize,
    /// Readers that refused the input with an error
    pub errors: usize,
}

/// Read the input as each list layout (UN XML, OFAC sdn.csv with the same bytes as its alt.csv
/// and add.csv, designated vessels); index what was read, screen the parties and vessels of a
/// few records built from the entries' own names and identifiers against it, and diff it with
/// itself
pub fn list_reader(data: &[u8]) -> ListReport {
    use embargo::internals::screening::lists::{
        ListCatalog, ListDiff, read_ofac_sdn, read_un_xml, read_vessels,
    };
    let mut report = ListReport::default();
    std::hint::black_box(embargo::internals::screening::lists::detect(data));
    let catalogs: Vec<Result<ListCatalog, _>> = vec![
        read_un_xml(data),
        read_vessels(data),
        read_ofac_sdn(
            data,
            Some(&mut &data[..] as &mut dyn std::io::Read),
            Some(&mut &data[..] as &mut dyn std::io::Read),
        ),
    ];
    for catalog in catalogs {
        let Ok(catalog) = catalog else {
            report.errors += 1;
            continue;
        };
        report.entries += catalog.entries.len();
        report.problems += catalog.problems.len();
        std::hint::black_box(ListDiff::new(&catalog, &catalog));
        let mut matcher = embargo::internals::screening::matching::ListMatcher::new();
        matcher.add("fuzz", &catalog);
        for entry in catalog.entries.iter().take(8) {
            let name = serde_json::to_string(&entry.name()).unwrap_or_default();
            let document = entry
                .documents
                .first()
                .map(|d| d.number.as_str())
                .unwrap_or("");
            let line = format!(
                r#"{{"id": "f", "date": "2024-01-01", "activity": "payment", "parties": [{{"role": "payee", "name": {name}, "ids": {{"un_ref": {r}, "passport": {p}}}}}], "vessels": [{{"name": {name}, "imo": "9074729"}}]}}"#,
                r = serde_json::to_string(&entry.reference).unwrap_or_default(),
                p = serde_json::to_string(document).unwrap_or_default(),
            );
            let text = embargo::internals::model::RecordText {
                line: 1,
                column: 1,
                text: line,
                yaml: false,
                table: None,
            };
            if let Ok(mut t) = embargo::internals::model::parse_record("fuzz", &text) {
                matcher.annotate(&mut t);
                if let Some(program) = embedded_program() {
                    std::hint::black_box(json_line(&Evaluator::new(program).evaluate(&t)));
                }
            }
        }
    }
    report
}

/// Builds a list from the input and checks that its name indexes find exactly what comparing
/// the query with every name finds (`NameIndex::search` against `search_exhaustive`): the
/// index's pruning must be a bound, never a guess. Lines up to the first empty line are list
/// entries (`name;alias;alias`, individuals and entities in turn); the lines after are queries
/// (at most 16). Panics on a difference; returns the number of queries compared.
pub fn name_index(data: &[u8]) -> usize {
    use embargo::internals::screening::lists::{Alias, EntryKind, ListCatalog, ListEntry};
    use embargo::internals::screening::names::Schema;
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let mut catalog = ListCatalog::default();
    for (i, line) in lines
        .by_ref()
        .take_while(|l| !l.is_empty())
        .take(64)
        .enumerate()
    {
        let kind = if i % 2 == 0 {
            EntryKind::Individual
        } else {
            EntryKind::Entity
        };
        let mut entry = ListEntry::new(kind);
        entry.reference = format!("FZ.{i}");
        let mut names = line.split(';');
        entry.name_parts = names.next().map(str::to_string).into_iter().collect();
        entry.aliases = names
            .map(|a| Alias {
                quality: "Good".into(),
                name: a.to_string(),
            })
            .collect();
        catalog.entries.push(entry);
    }
    let queries: Vec<&str> = lines.take(16).collect();
    for schema in [Schema::Person, Schema::Company] {
        let index = catalog.index(schema);
        for query in &queries {
            let fast = index.search(query, usize::MAX);
            let full = index.search_exhaustive(query, usize::MAX);
            assert_eq!(fast, full, "{schema:?} `{query}`");
        }
    }
    queries.len() * 2
}
