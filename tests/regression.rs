//! Inputs the fuzzers found (or that stress what they target), replayed through the fuzz targets'
//! own code paths: each must give errors, never a panic, a stack overflow or a hang.
//!
//! Files in `tests/regression/` are named `fuzz_<target>_<short-description>.<ext>`, where
//! `<target>` is `rule_parser`, `record_reader`, `list_reader` or `name_index` (see
//! `docs/fuzzing.md`).

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code, reason = "the fuzz harness, shared with the fuzz targets")]
mod harness;

use std::path::{Path, PathBuf};

/// What a regression input must come to, beyond not panicking
enum Expect {
    /// Only that it does not panic
    NoPanic,
    /// The rule file has at least one error and compiles to nothing
    RuleErrors,
    /// Every record read (in any of the three formats) is `invalid`, and at least one is read
    AllInvalid,
}

fn expectation(name: &str) -> Expect {
    match name {
        "fuzz_rule_parser_deep-not-chain.rules"
        | "fuzz_rule_parser_deep-parens.rules"
        | "fuzz_rule_parser_deep-test-record.rules"
        | "fuzz_rule_parser_huge-day-offset.rules" => Expect::RuleErrors,
        "fuzz_record_reader_deep-yaml-flow.yaml"
        | "fuzz_record_reader_deep-json.jsonl"
        | "fuzz_record_reader_bad-place-names.jsonl" => Expect::AllInvalid,
        _ => Expect::NoPanic,
    }
}

fn inputs() -> std::io::Result<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regression");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

fn run(path: &Path) -> Result<(), String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("bad file name {}", path.display()))?;
    let data = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
    if name.starts_with("fuzz_rule_parser_") {
        let report = harness::rule_parser(&data);
        if let Expect::RuleErrors = expectation(name) {
            let report = report.ok_or_else(|| format!("{name}: not UTF-8"))?;
            if report.errors == 0 || report.compiled {
                return Err(format!("{name}: expected errors, got {report:?}"));
            }
        }
    } else if name.starts_with("fuzz_record_reader_") {
        let report = harness::record_reader(&data);
        if let Expect::AllInvalid = expectation(name)
            && (report.records == 0 || report.invalid != report.records)
        {
            return Err(format!(
                "{name}: expected every record invalid, got {report:?}"
            ));
        }
    } else if name.starts_with("fuzz_list_reader_") {
        std::hint::black_box(harness::list_reader(&data));
    } else if name.starts_with("fuzz_name_index_") {
        // Panics if the index and the exhaustive comparison differ
        if harness::name_index(&data) == 0 {
            return Err(format!("{name}: no query to compare"));
        }
    } else {
        return Err(format!(
            "{name}: name it fuzz_rule_parser_*, fuzz_record_reader_*, fuzz_list_reader_* or fuzz_name_index_*"
        ));
    }
    Ok(())
}

#[test]
fn fuzz_regressions_give_errors_not_panics() {
    let files = inputs().expect("tests/regression/ can be read");
    assert!(!files.is_empty(), "no files in tests/regression/");
    let failures: Vec<String> = files.iter().filter_map(|p| run(p).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deep_records_are_refused_with_a_depth_error() {
    use embargo::internals::model::{InputFormat, RecordReader};
    let text = format!("id: deep\nz: {}{}\n", "[".repeat(200), "]".repeat(200));
    let records: Vec<_> = RecordReader::new(text.as_bytes(), InputFormat::Yaml)
        .filter_map(Result::ok)
        .collect();
    assert_eq!(records.len(), 1);
    for record in &records {
        let err = embargo::internals::model::parse_record("deep.yaml", record).err();
        let errors = err.map(|e| e.errors).unwrap_or_default();
        // That one error, whole (any error containing the words passed, with others beside it).
        assert_eq!(
            errors,
            ["the record at line 1, column 1: collections nested more than 128 deep"]
        );
    }
}
