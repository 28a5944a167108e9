//! `embargo fmt`: the canonical layout is idempotent and keeps the meaning of every rule file.

use crate::common;
use crate::common::markdown;

use std::path::{Path, PathBuf};

use embargo::internals::compile::compile;
use embargo::internals::source::SourceFile;
use embargo::internals::syntax::{format_file, parse_file};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files with `extension` directly in `dir`, sorted
fn files_in(dir: &str, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Debug text with every `Span { start: .., end: .. }` removed: the meaning without the places
fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('}').unwrap();
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What compiling the files means: the program without spans, and the diagnostic codes
fn meaning(files: &[SourceFile]) -> (String, Vec<String>) {
    let (program, diagnostics) = compile(files);
    let program = program
        .map(|p| without_spans(&format!("{:?}\n{:?}\n{:?}", p.rules, p.exceptions, p.tests)));
    let mut codes: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.severity, d.code))
        .collect();
    codes.sort();
    (program.unwrap_or_default(), codes)
}

/// Formats `text` and checks idempotence; returns the formatted text
fn formatted(name: &str, text: &str) -> String {
    let once = format_file(text).unwrap_or_else(|d| panic!("{name}: refused: {d:?}"));
    let twice = format_file(&once).unwrap_or_else(|d| panic!("{name}: refused its output: {d:?}"));
    assert_eq!(once, twice, "{name}: formatting is not idempotent");
    once
}

/// Each file formatted alone compiles to the same program, with the same diagnostic codes
fn check_each(paths: &[PathBuf]) -> usize {
    let mut n = 0;
    for path in paths {
        let name = path.display().to_string();
        let text = read(path);
        let (_, syntax) = parse_file(&text, 0);
        if syntax.has_errors() {
            assert!(
                format_file(&text).is_err(),
                "{name}: formatted despite syntax errors"
            );
            eprintln!("{name}: syntax errors, refused");
            continue;
        }
        eprintln!("{name}");
        let out = formatted(&name, &text);
        let before = meaning(&[SourceFile::new(name.clone(), text)]);
        let after = meaning(&[SourceFile::new(name.clone(), out)]);
        assert_eq!(before, after, "{name}: formatting changed its meaning");
        n += 1;
    }
    n
}

#[test]
fn the_shipped_pack_keeps_its_meaning_and_formatting_is_idempotent() {
    let paths = files_in("rules", "rules");
    assert!(paths.len() >= 20);
    let mut originals = Vec::new();
    let mut outputs = Vec::new();
    for path in &paths {
        let name = path.display().to_string();
        eprintln!("{name}");
        let text = read(path);
        outputs.push(SourceFile::new(name.clone(), formatted(&name, &text)));
        originals.push(SourceFile::new(name, text));
    }
    let before = meaning(&originals);
    assert!(!before.0.is_empty(), "the pack compiles");
    assert_eq!(
        before,
        meaning(&outputs),
        "formatting changed the pack's meaning"
    );
    // Each file alone too (names that other files define are then unknown: the same codes).
    assert_eq!(check_each(&paths), paths.len());
}

#[test]
fn fuzz_seeds_engine_and_diagnostics_files_keep_their_meaning() {
    let mut paths = files_in("fuzz/seeds/rule_parser", "rules");
    paths.extend(files_in("tests/engine", "rules"));
    paths.extend(files_in("tests/diagnostics", "rules"));
    paths.extend(files_in("tests/regression", "rules"));
    let n = check_each(&paths);
    eprintln!("{n} of {} files formatted and compared", paths.len());
    assert!(n >= 70, "most files have no syntax errors: {n}");
}

/// Each `embargo` and `embargo-error` example of docs/language.md keeps its meaning
#[test]
fn language_doc_examples_keep_their_meaning() {
    let doc = read(&root().join("docs/language.md"));
    let mut n = 0;
    let mut n_refused = 0;
    let blocks = markdown::fences("docs/language.md", &doc).unwrap_or_else(|e| panic!("{e}"));
    for block in blocks.iter().filter(|b| b.info.starts_with("embargo")) {
        let text = block.text.clone();
        let name = format!("docs/language.md example {}", n + n_refused + 1);
        if parse_file(&text, 0).1.has_errors() {
            assert!(format_file(&text).is_err());
            n_refused += 1;
            continue;
        }
        let out = formatted(&name, &text);
        let before = meaning(&[SourceFile::new(name.clone(), text)]);
        assert_eq!(
            before,
            meaning(&[SourceFile::new(name.clone(), out)]),
            "{name}"
        );
        n += 1;
    }
    eprintln!("{n} examples formatted and compared, {n_refused} with syntax errors refused");
    assert!(n >= 40);
}

/// Indentation and trailing spaces do not matter: shifting every line of a shipped file to the
/// right gives the same layout
#[test]
fn the_layout_does_not_depend_on_indentation() {
    for path in files_in("rules", "rules") {
        let name = path.display().to_string();
        let text = read(&path);
        let shifted: String = text.lines().map(|l| format!("   {l}  \n")).collect();
        assert_eq!(
            formatted(&name, &shifted),
            formatted(&name, &text),
            "{name}"
        );
    }
}

/// `tests/fmt/NAME.in` formats to `tests/fmt/NAME.out`
#[test]
fn golden_layouts() {
    let inputs = files_in("tests/fmt", "in");
    assert!(inputs.len() >= 3);
    for input in inputs {
        let name = input.display().to_string();
        eprintln!("{name}");
        let expected = read(&input.with_extension("out"));
        let text = read(&input);
        let out = formatted(&name, &text);
        assert_eq!(
            out, expected,
            "{name}: formatted\n{out}\n-- expected --\n{expected}"
        );
        let before = meaning(&[SourceFile::new(name.clone(), text)]);
        assert_eq!(before, meaning(&[SourceFile::new(name, out)]));
    }
}

#[test]
fn cli_check_passes_on_the_shipped_pack() {
    let o = common::embargo(&["fmt", "--check", "rules/"], None);
    assert_eq!(
        common::code(&o),
        0,
        "{}{}",
        common::out(&o),
        common::err(&o)
    );
    assert_eq!(common::out(&o), "");
}

#[test]
fn cli_stdin_check_and_syntax_errors() {
    let messy = "rule a.b{regime R\nwhen x==1 then review \"r\"}";
    let o = common::embargo(&["fmt", "-"], Some(messy));
    assert_eq!(common::code(&o), 0, "{}", common::err(&o));
    assert_eq!(
        common::out(&o),
        "rule a.b {\n  regime R\n  when x == 1\n  then review \"r\"\n}\n"
    );
    let o = common::embargo(&["fmt", "--check", "-"], Some(messy));
    assert_eq!(common::code(&o), 1);
    let o = common::embargo(
        &["fmt", "--check", "-"],
        Some(&common::out(&common::embargo(&["fmt", "-"], Some(messy)))),
    );
    assert_eq!(common::code(&o), 0);
    let o = common::embargo(&["fmt", "-"], Some("rule {"));
    assert_eq!(common::code(&o), 2);
    // The diagnostic whole, placed on stdin's line and column, then the refusal; nothing on
    // stdout (any "E100" anywhere passed: a wrong place or a half-formatted output too).
    assert_eq!(
        common::err(&o),
        "\
error[E100]: expected a rule id such as `un.dprk.arms.to_dprk`, found `{`
 --> -:1:6
  |
1 | rule {
  |      ^ here

embargo: stdin has syntax errors: not formatted
"
    );
    assert_eq!(common::out(&o), "");
}

#[test]
fn cli_rewrites_files_in_place_only_when_they_change() {
    let dir = std::env::temp_dir().join(format!("embargo-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let messy = dir.join("messy.rules");
    let clean = dir.join("clean.rules");
    std::fs::write(&messy, "set  a : hs=[93]\n\n\n\nset b: hs = [94]").unwrap();
    std::fs::write(&clean, "set c: hs = [95]\n").unwrap();
    let dir_arg = dir.display().to_string();
    let o = common::embargo(&["fmt", "--check", &dir_arg], None);
    assert_eq!(common::code(&o), 1);
    assert_eq!(common::out(&o), format!("{}\n", messy.display()));
    let o = common::embargo(&["fmt", &dir_arg], None);
    assert_eq!(common::code(&o), 0, "{}", common::err(&o));
    assert_eq!(read(&messy), "set a: hs = [93]\n\nset b: hs = [94]\n");
    assert_eq!(read(&clean), "set c: hs = [95]\n");
    let o = common::embargo(&["fmt", "--check", &dir_arg], None);
    assert_eq!(common::code(&o), 0);
    std::fs::write(dir.join("broken.rules"), "rule {").unwrap();
    let o = common::embargo(&["fmt", "--check", &dir_arg], None);
    assert_eq!(common::code(&o), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
