//! Rule loading that ends: symbolic link loops, files reached twice, FIFOs and devices, for every
//! command that reads rule paths.
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A fresh folder for one test, under the target's temporary folder
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("load")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A folder `rules/` holding one valid rule file, `a.rules`
fn rules_folder(name: &str) -> PathBuf {
    let dir = scratch(name).join("rules");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/output/pack.rules");
    std::fs::copy(pack, dir.join("a.rules")).unwrap();
    dir
}

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path that outlives the call.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

/// Runs `embargo args`, killing it (and failing the test) if it has not ended within a minute:
/// a walk that does not end, or a FIFO opened for reading, would hang forever
fn run(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("embargo {args:?} did not end within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Every command that reads rule paths, with PATH standing for the path given
const COMMANDS: &[&[&str]] = &[
    &["check", "PATH"],
    &["test", "PATH"],
    &["fmt", "--check", "PATH"],
    &["coverage", "PATH"],
    &[
        "screen",
        "--no-lists",
        "--no-default-rules",
        "--rules",
        "PATH",
        "examples/news-2022.jsonl",
    ],
    &[
        "explain",
        "--no-lists",
        "--no-default-rules",
        "--rules",
        "PATH",
        "examples/news-2022.jsonl",
    ],
];

fn with_path<'a>(command: &[&'a str], path: &'a str) -> Vec<&'a str> {
    command
        .iter()
        .map(|a| if *a == "PATH" { path } else { a })
        .collect()
}

#[test]
fn a_symlink_loop_ends_and_each_file_is_read_once() {
    let dir = rules_folder("loop");
    // sub/up leads back to the folder itself; b.rules is a.rules again; sub/c.rules too.
    symlink("..", dir.join("sub/up")).unwrap();
    symlink("../a.rules", dir.join("sub/c.rules")).unwrap();
    symlink("a.rules", dir.join("b.rules")).unwrap();
    let d = dir.to_str().unwrap();
    let a = dir.join("a.rules");
    let a = a.to_str().unwrap();
    for args in [vec!["check", d], vec!["check", d, a, d]] {
        let output = run(&args);
        assert_eq!(code(&output), 0, "{args:?}: {}", err(&output));
        // The whole of stderr: the file once, nothing else said (a warning or a second
        // reading of the same file passed `contains`).
        assert_eq!(
            err(&output),
            "checked 1 file: 0 errors, 0 warnings\n",
            "{args:?}"
        );
    }
    for command in COMMANDS {
        let args = with_path(command, d);
        let output = run(&args);
        assert_ne!(code(&output), 2, "{args:?}: {}", err(&output));
    }
}

#[test]
fn a_link_to_itself_named_rules_is_an_error_naming_it() {
    let dir = rules_folder("self");
    symlink("self.rules", dir.join("self.rules")).unwrap();
    // A broken link with another name is no rule file: it is passed over.
    symlink("nowhere", dir.join("notes.txt")).unwrap();
    let output = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let text = err(&output);
    assert!(
        text.contains("self.rules") && text.contains("symbolic links"),
        "{text}"
    );
}

#[test]
fn fifos_and_devices_are_refused_without_being_opened() {
    let dir = rules_folder("fifo");
    mkfifo(&dir.join("sub/pipe.rules"));
    let alone = dir.parent().unwrap().join("alone.rules");
    mkfifo(&alone);
    let d = dir.to_str().unwrap().to_string();
    let alone = alone.to_str().unwrap().to_string();
    for path in [d.as_str(), alone.as_str(), "/dev/null"] {
        for command in COMMANDS {
            let args = with_path(command, path);
            let output = run(&args);
            let text = err(&output);
            assert_eq!(code(&output), 2, "{args:?}: {text}");
            let want = if path == "/dev/null" {
                "/dev/null: a device: rule files must be regular files"
            } else {
                "a FIFO (named pipe): rule files must be regular files"
            };
            assert!(text.contains(want), "{args:?}: {text}");
            assert!(
                text.contains(if path == d { "pipe.rules" } else { path }),
                "{args:?} names the path: {text}"
            );
        }
    }
}

#[test]
fn a_socket_is_refused_too() {
    let dir = rules_folder("socket");
    let _listener = std::os::unix::net::UnixListener::bind(dir.join("sub/s.rules")).unwrap();
    let output = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("s.rules: a socket: rule files must be regular files"),
        "{}",
        err(&output)
    );
}
