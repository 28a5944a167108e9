//! Architecture invariants of docs/ARCHITECTURE.md that no other test guarded: each test here
//! names the invariant it keeps.

use crate::common;

use std::path::Path;

use embargo::internals::compile::compile;
use embargo::internals::diagnostics::codes::CODES;
use embargo::internals::source::SourceFile;

/// The codes of a rule file compiled alone
fn codes_of(text: &str) -> Vec<String> {
    let (_, diagnostics) = compile(&[SourceFile::new("t.rules", text)]);
    diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect()
}

/// Every code ever issued, with its name. A code retired stays here and in `CODES`; a new code
/// is added at the end.
const ISSUED: &[(&str, &str)] = &[
    ("E100", "syntax-error"),
    ("E101", "unterminated-string"),
    ("E102", "invalid-date"),
    ("E103", "nesting-too-deep"),
    ("E104", "invalid-paragraph"),
    ("E105", "invalid-record-literal"),
    ("E200", "unknown-field"),
    ("E201", "type-mismatch"),
    ("E202", "unknown-set"),
    ("E203", "unknown-regime"),
    ("E204", "unknown-resolution"),
    ("E205", "overrides-nothing"),
    ("E206", "duplicate-definition"),
    ("E207", "cites-non-adopted"),
    ("E208", "invalid-interval"),
    ("E209", "invalid-hs-code"),
    ("E210", "unknown-place"),
    ("E211", "unknown-value"),
    ("E212", "unbound-name"),
    ("E213", "missing-clause"),
    ("E214", "duplicate-clause"),
    ("E215", "free-text-field"),
    ("E216", "set-shadows-value"),
    ("E217", "unknown-rule"),
    ("W300", "never-fires"),
    ("W301", "exception-out-of-force"),
    ("W302", "rule-without-tests"),
    ("W303", "never-in-force"),
    ("W304", "duplicate-rule"),
    ("W305", "unused-declaration"),
    ("W306", "late-start"),
    ("W307", "unexplained-gap"),
    ("W308", "unconfirmed-citation"),
    ("W309", "place-of-today"),
    ("E400", "invalid-record"),
    ("E500", "evaluation-error"),
];

/// Codes are never reused; a retired code stays in the registry: every code issued is still in
/// `CODES` under its name, and every code of `CODES` has been recorded as issued.
#[test]
fn every_code_issued_stays_in_the_registry_with_its_name() {
    for (code, name) in ISSUED {
        let found = CODES.iter().find(|(c, _, _)| c.as_str() == *code);
        assert!(
            found.is_some_and(|(_, n, _)| n == name),
            "{code} {name} was issued: it stays in `CODES` under that name, retired if need be \
             (found {:?})",
            found.map(|(_, n, _)| n)
        );
    }
    for (code, name, _) in CODES {
        assert!(
            ISSUED.iter().any(|(c, _)| *c == code.as_str()),
            "{} {name} is new: add it at the end of ISSUED",
            code.as_str()
        );
    }
}

/// Nesting deeper than `syntax::MAX_DEPTH` is an error (E103), never a stack overflow: far
/// deeper than the limit, by parentheses, `not` and quantifiers alike.
#[test]
fn nesting_far_deeper_than_the_limit_is_e103_not_a_stack_overflow() {
    const N: usize = 100_000;
    for condition in [
        format!("{}destination within KP{}", "(".repeat(N), ")".repeat(N)),
        format!("{}destination within KP", "not ".repeat(N)),
        format!("{}g.hs within 24", "any goods g: ".repeat(N)),
    ] {
        let text = format!(
            "resolution \"S/RES/1\" adopted 2000-01-01\nregime T {{ list \"T\" }}\n\
             rule t.deep {{\n  regime T\n  cites \"S/RES/1\" 1\n  in force from 2000-01-01\n  \
             when {condition}\n  then prohibited \"x\"\n}}\n"
        );
        let codes = codes_of(&text);
        assert!(
            codes.iter().any(|c| c == "E103"),
            "{codes:?} for {}",
            &condition[..40]
        );
    }
}

/// No rule cites a vetoed or draft resolution (E207): a draft is refused as a vetoed text is
/// (tests/diagnostics/E207_cites_non_adopted.rules has the vetoed one).
#[test]
fn a_rule_citing_a_draft_resolution_is_e207() {
    let text = "resolution \"S/RES/1\" adopted 2000-01-01\n\
                resolution \"S/2001/1\" draft 2001-01-01\n\
                regime T { list \"T\" }\n\
                rule t.a {\n  regime T\n  cites \"S/2001/1\" 1\n  in force from 2001-01-01\n  \
                when destination within KP\n  then prohibited \"x\"\n}\n";
    assert!(codes_of(text).contains(&"E207".to_string()), "{text}");
}

/// Nothing reads the clock: no file of the library outside `cli` (whose `lists update` records
/// the download time) names the system clock.
#[test]
fn nothing_outside_the_cli_reads_the_clock() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for path in common::rust_files(&src) {
        if path.starts_with(src.join("cli")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for clock in ["SystemTime", "Instant::now", "Utc::now", "Local::now"] {
            assert!(!text.contains(clock), "{} uses {clock}", path.display());
        }
    }
}
