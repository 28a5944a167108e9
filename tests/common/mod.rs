//! Helpers shared by the integration tests.

pub mod markdown;

use std::path::PathBuf;
use std::process::{Command, Output};

/// A file of ../shared, from `EMBARGO_SHARED`; a panic when the file is missing. Every test that
/// calls it carries `#[cfg_attr(not(embargo_shared), ignore = "needs ../shared: ...")]`
/// (`build.rs` sets `embargo_shared` when `EMBARGO_SHARED` is set), so without the variable it
/// shows as ignored, never as passed; run with `--include-ignored` but without the variable, it
/// fails saying why.
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("EMBARGO_SHARED") else {
        panic!("needs ../shared: set EMBARGO_SHARED=../shared to read {relative}");
    };
    let path = PathBuf::from(dir).join(relative);
    assert!(
        path.exists(),
        "EMBARGO_SHARED is set but {} is missing",
        path.display()
    );
    Some(path)
}

/// Runs the `embargo` binary with `args` in the crate's folder, with `stdin` as input
pub fn embargo(args: &[&str], stdin: Option<&str>) -> Output {
    embargo_env(args, stdin, &[])
}

/// [`embargo`] with the environment variables `env` set
pub fn embargo_env(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_embargo"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    // Colour as the test asks, whatever the environment the tests run in says
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        cmd.env_remove(name);
    }
    cmd.envs(env.iter().copied());
    // No list is cached here, whatever the machine's own cache holds: verdicts do not depend on
    // what `lists update` once downloaded. Tests that want a cache pass --cache-dir.
    cmd.env(
        "EMBARGO_CACHE_DIR",
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-list-cache"),
    );
    cmd.stdin(if stdin.is_some() {
        std::process::Stdio::piped()
    } else {
        std::process::Stdio::null()
    });
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("the embargo binary runs");
    // Write stdin on another thread: the child writes its output while it reads its input.
    let writer = stdin.map(|input| {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_string();
        std::thread::spawn(move || {
            let _ = pipe.write_all(input.as_bytes());
        })
    });
    let output = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    output
}

/// stdout as text
pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr as text
pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Parses JSON lines
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

/// Every `.rs` file below `dir`, in no particular order
pub fn rust_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// The program of one rule file written in a test; a panic with its diagnostics when it does not
/// compile
pub fn program(name: &str, text: &str) -> embargo::internals::ir::Program {
    use embargo::internals::source::SourceFile;
    let (program, diagnostics) =
        embargo::internals::compile::compile(&[SourceFile::new(name, text)]);
    program.unwrap_or_else(|| panic!("{name} does not compile: {diagnostics:?}"))
}

/// A record written as one JSON object, read as `screen` reads it; a panic when it is invalid
pub fn record(json: &str) -> embargo::internals::model::Transaction {
    use embargo::internals::model::{RecordText, parse_record};
    let text = RecordText {
        line: 1,
        column: 1,
        text: json.into(),
        yaml: false,
        table: None,
    };
    parse_record("test", &text).unwrap_or_else(|e| panic!("an invalid record: {e:?}"))
}
