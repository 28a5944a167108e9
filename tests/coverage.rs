//! docs/coverage.md is what `embargo coverage` makes of the embedded pack and docs/not-encoded.

use std::path::Path;

use embargo::internals::coverage::{
    Binds, not_encoded_problems, parse_not_encoded, parse_regimes, regime_problems,
};
use embargo::internals::report::coverage::{REGENERATE, coverage_markdown};

#[test]
fn docs_coverage_md_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (program, diagnostics) =
        embargo::internals::compile::compile(&embargo::internals::rules::embedded());
    let program = program.unwrap_or_else(|| panic!("the embedded pack compiles: {diagnostics:?}"));
    let outcomes = embargo::internals::testing::run_tests(&program);

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

    let problems = not_encoded_problems(&program, &omitted);
    assert!(problems.is_empty(), "docs/not-encoded: {problems:#?}");
    let regimes = std::fs::read_to_string(root.join("docs/regimes.yaml")).unwrap();
    let council = parse_regimes("docs/regimes.yaml", &regimes).unwrap_or_else(|e| panic!("{e}"));
    let problems = regime_problems(&program, &council);
    assert!(problems.is_empty(), "docs/regimes.yaml: {problems:#?}");
    let expected = coverage_markdown(&program, &outcomes, &omitted, &council);
    let current = std::fs::read_to_string(root.join("docs/coverage.md")).unwrap_or_default();
    if current != expected {
        panic!(
            "docs/coverage.md is out of date: run `{REGENERATE}`\n\n\
             --- docs/coverage.md\n{current}\n--- generated\n{expected}"
        );
    }
}

/// Every `binds: parties` entry of docs/not-encoded names a review rule of the pack, and the rule
/// gives `review` on its first day in force: without the rule, its records would be `clear`.
#[test]
fn every_measure_binding_the_parties_has_its_review_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (program, _) = embargo::internals::compile::compile(&embargo::internals::rules::embedded());
    let program = program.unwrap();
    let mut entries = Vec::new();
    for file in ["africa-libya", "dprk", "iran", "other-regimes"] {
        let path = root.join(format!("docs/not-encoded/{file}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        entries.extend(parse_not_encoded(file, &text).unwrap());
    }
    let parties: Vec<_> = entries
        .iter()
        .filter(|e| e.binds == Binds::Parties)
        .collect();
    // Fewer as measures get encoded (issue 12 encoded the Iraq, Taliban, ISIL and CAR ones).
    assert!(
        parties.len() >= 10,
        "{} entries bind parties",
        parties.len()
    );
    let outcomes = embargo::internals::testing::run_tests(&program);
    for e in parties {
        let id = e.rule.as_deref().unwrap();
        let rule = program
            .rules
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{}: no rule {id}", e.measure));
        assert_eq!(rule.level.as_str(), "review", "{id}");
        // A passing test of the pack shows it firing.
        assert!(
            outcomes
                .iter()
                .any(|o| o.passed && o.actual.1.iter().any(|r| r == id)),
            "no passing test shows {id} firing"
        );
    }
    // The 2664 humanitarian carve-out is an exemption, not a measure.
    let carve_out = entries
        .iter()
        .find(|e| e.citation == "S/RES/2664 (2022) 1" && e.regime == "Iran")
        .unwrap();
    assert_eq!(carve_out.binds, Binds::Exemption);
    assert!(not_encoded_problems(&program, &entries).is_empty());
}
