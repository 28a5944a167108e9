//! Diagnostics: one file per code under tests/diagnostics/. Each file's first line names the codes
//! it must produce (`# expect: E200, E201`), exactly; the rendered output is snapshotted.

use std::collections::BTreeSet;

use embargo::internals::compile::compile;
use embargo::internals::report::diagnostics::{DiagnosticStyle, render_human};
use embargo::internals::source::SourceFile;

#[test]
fn each_fixture_produces_exactly_its_codes() {
    insta::glob!("diagnostics/*.rules", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let first = text.lines().next().unwrap_or("");
        let want: BTreeSet<String> = first
            .strip_prefix("# expect:")
            .unwrap_or_else(|| {
                panic!(
                    "{}: the first line must be `# expect: CODE, ...`",
                    path.display()
                )
            })
            .split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let name = format!(
            "tests/diagnostics/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let files = vec![SourceFile::new(name, text.clone())];
        let (_, diagnostics) = compile(&files);
        let got: BTreeSet<String> = diagnostics
            .iter()
            .map(|d| d.code.as_str().to_string())
            .collect();
        assert_eq!(got, want, "{}", path.display());
        let rendered: String = diagnostics
            .sorted()
            .into_iter()
            .map(|d| render_human(d, &files, DiagnosticStyle::Plain))
            .collect();
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn every_checker_code_has_a_fixture() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/diagnostics");
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // E500 is reported in verdicts, not by the checker (see tests/engine/conditions.rules).
    for (code, _, _) in embargo::internals::diagnostics::codes::CODES {
        if code.as_str() == "E500" {
            continue;
        }
        assert!(
            names.iter().any(|n| n.starts_with(code.as_str())),
            "no fixture for {code}"
        );
    }
}
