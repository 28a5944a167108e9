//! Tidy checks: every source file opens with a `//!` line, and only the command line prints or
//! opens files. The layering of modules is checked on the module graph, in `tests/layers.rs`.

use crate::common;

use std::path::{Path, PathBuf};

fn src(sub: &str) -> Vec<(PathBuf, String)> {
    common::rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(sub))
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
