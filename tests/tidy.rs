//! Tidy checks: every source file opens with a `//!` line, and the layering of DESIGN.md holds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test"
)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src(sub: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(sub),
        &mut files,
    );
    files
        .into_iter()
        .map(|p| (p.clone(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    for (path, text) in src("") {
        assert!(
            text.starts_with("//!"),
            "{} must open with a `//!` line",
            path.display()
        );
    }
}

#[test]
fn eval_never_depends_on_the_front_end() {
    for (path, text) in src("eval") {
        for forbidden in [
            "crate::syntax",
            "crate::compile",
            "crate::ast::Expr",
            "crate::ast::Rule",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} mentions {forbidden}",
                path.display()
            );
        }
    }
}

#[test]
fn syntax_knows_nothing_of_records() {
    for (path, text) in src("syntax") {
        for forbidden in ["crate::model", "crate::eval", "crate::ir", "crate::compile"] {
            assert!(
                !text.contains(forbidden),
                "{} mentions {forbidden}",
                path.display()
            );
        }
    }
}

#[test]
fn only_the_cli_prints_or_opens_files() {
    for (path, text) in src("") {
        // `screening::Lists::load` reads the list files it is given: the library's one reader
        // of files, for programs that embed it.
        if path.components().any(|c| c.as_os_str() == "cli")
            || path.ends_with("main.rs")
            || path.ends_with("screening/load.rs")
        {
            continue;
        }
        for forbidden in [
            "println!",
            "eprintln!",
            "print!(",
            "eprint!(",
            "File::open",
            "fs::read",
            "fs::write",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}",
                path.display()
            );
        }
    }
}

#[test]
fn lists_and_names_depend_on_no_other_stage() {
    // The list formats and the name matcher are the bottom of screening: they know nothing of
    // records, rules or output, nor of each other.
    for (sub, also) in [
        ("screening/lists", "crate::screening::names"),
        ("screening/names", "crate::screening::lists"),
    ] {
        let files = src(sub);
        assert!(!files.is_empty(), "src/{sub} is checked");
        for (path, text) in files {
            for forbidden in [
                "crate::syntax",
                "crate::compile",
                "crate::eval",
                "crate::report",
                "crate::model",
                "crate::screening::index",
                "crate::screening::matching",
                also,
            ] {
                assert!(
                    !text.contains(forbidden),
                    "{} mentions {forbidden}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn screening_only_annotates_records() {
    // Screening finds designations; verdicts stay with the rules (docs/ARCHITECTURE.md). Only
    // `Lists::load` (src/screening/load.rs) opens files, and it reads the program (`ir`) only
    // to know which list types rules read.
    let files = src("screening");
    assert!(files.len() > 10, "src/screening is checked");
    for (path, text) in files {
        for forbidden in [
            "crate::syntax",
            "crate::compile",
            "crate::eval",
            "crate::report",
            "crate::cli",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} mentions {forbidden}",
                path.display()
            );
        }
    }
}
