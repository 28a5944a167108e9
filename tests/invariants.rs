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

/// The paths a `crate::` or `super::` path or use tree names, given the text after it and the
/// module it starts from: `a::{b, c::d as e}` from `x` gives `x::a::b` and `x::a::c::d`. A path
/// ends at anything but a name, `::`, braces or `as`.
fn tree(rest: &mut &str, prefix: &str, out: &mut Vec<String>) {
    *rest = rest.trim_start();
    if let Some(r) = rest.strip_prefix('{') {
        *rest = r;
        loop {
            tree(rest, prefix, out);
            *rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix(',') {
                *rest = r;
                continue;
            }
            if let Some(r) = rest.strip_prefix('}') {
                *rest = r;
            }
            return;
        }
    }
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, r) = rest.split_at(len);
    *rest = r;
    if name.is_empty() {
        if !prefix.is_empty() {
            out.push(prefix.to_string());
        }
        return;
    }
    let path = if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}::{name}")
    };
    if let Some(r) = rest.strip_prefix("::") {
        *rest = r;
        tree(rest, &path, out);
    } else {
        out.push(path);
        // `name as other`: the rest of the use tree goes on after `other`.
        if let Some(r) = rest.trim_start().strip_prefix("as ") {
            let r = r.trim_start();
            *rest = &r[r
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(r.len())..];
        }
    }
}

/// Every module path that the code (not the tests, not the comments) of the files of the module
/// `module` names through `crate::` or `super::`, resolved from the crate root, with its file
fn named_by(module: &[&str]) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(module.join("/"));
    let mut out = Vec::new();
    for file in common::rust_files(&dir) {
        assert_eq!(file.parent(), Some(dir.as_path()), "a folder in {module:?}");
        let text = std::fs::read_to_string(&file).unwrap();
        let code: Vec<&str> = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect();
        let code = code.join("\n");
        let mut own: Vec<&str> = module.to_vec();
        let stem = file.file_stem().unwrap().to_str().unwrap();
        if stem != "mod" {
            own.push(stem);
        }
        let mut paths = Vec::new();
        for (i, _) in code.match_indices("crate::") {
            if code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut rest = &code[i + "crate::".len()..];
            tree(&mut rest, "", &mut paths);
        }
        for (i, _) in code.match_indices("super::") {
            if code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut base = own.clone();
            let mut rest = &code[i..];
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            tree(&mut rest, &base.join("::"), &mut paths);
        }
        let name = file.display().to_string();
        out.extend(paths.into_iter().map(|p| (name.clone(), p)));
    }
    out
}

/// The paths of `named` outside the modules `allowed`
fn outside(named: &[(String, String)], allowed: &[&str]) -> Vec<String> {
    named
        .iter()
        .filter(|(_, p)| {
            !allowed
                .iter()
                .any(|m| p == m || p.starts_with(&format!("{m}::")))
        })
        .map(|(f, p)| format!("{f} names {p}"))
        .collect()
}

/// `syntax` knows only `ast`, `source` and `diagnostics`: `tests/layers.rs` forbids it a list of
/// modules; this allows it only those three.
#[test]
fn syntax_names_only_ast_source_and_diagnostics() {
    let named = named_by(&["syntax"]);
    assert!(
        named.iter().any(|(_, p)| p.starts_with("ast::")),
        "{named:?}"
    );
    let wrong = outside(&named, &["syntax", "ast", "source", "diagnostics"]);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// `screening::lists` depends on no other module: it names nothing outside itself.
#[test]
fn screening_lists_names_nothing_outside_itself() {
    let named = named_by(&["screening", "lists"]);
    assert!(
        named
            .iter()
            .any(|(_, p)| p.starts_with("screening::lists::")),
        "{named:?}"
    );
    let wrong = outside(&named, &["screening::lists"]);
    assert!(wrong.is_empty(), "{wrong:#?}");
}
