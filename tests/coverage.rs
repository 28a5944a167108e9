//! docs/coverage.md is what `embargo coverage` makes of the embedded pack and docs/not-encoded.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test"
)]

use std::path::Path;

use embargo::report::coverage::{REGENERATE, coverage_markdown, parse_not_encoded};

#[test]
fn docs_coverage_md_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (program, diagnostics) = embargo::compile::compile(&embargo::rules::embedded());
    let program = program.unwrap_or_else(|| panic!("the embedded pack compiles: {diagnostics:?}"));
    let outcomes = embargo::testing::run_tests(&program);

    // As `embargo coverage` reads them: every docs/not-encoded/*.yaml, in name order.
    let dir = root.join("docs/not-encoded");
    let mut files: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    let mut omitted = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = format!(
            "docs/not-encoded/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        omitted.extend(parse_not_encoded(&name, &text).unwrap_or_else(|e| panic!("{e}")));
    }

    let expected = coverage_markdown(&program, &outcomes, &omitted);
    let current = std::fs::read_to_string(root.join("docs/coverage.md")).unwrap_or_default();
    if current != expected {
        panic!(
            "docs/coverage.md is out of date: run `{REGENERATE}`\n\n\
             --- docs/coverage.md\n{current}\n--- generated\n{expected}"
        );
    }
}
