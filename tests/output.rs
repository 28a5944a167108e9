//! Output that cannot lie: a closed or full output is exit 2 with one line naming it, a closed
//! stderr is no panic, text from input is escaped on terminals, nonsense counts are usage errors.

use crate::common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::{code, embargo, err, out};

/// Every command that writes to stdout, with what it needs to write something
const WRITERS: &[(&[&str], Option<&str>)] = &[
    (&["screen", "--no-lists", "examples/news-2022.jsonl"], None),
    (
        &[
            "screen",
            "--no-lists",
            "--format",
            "table",
            "examples/news-2022.jsonl",
        ],
        None,
    ),
    (
        &["screen", "--no-lists", "--threads", "2", "-"],
        Some("{\"id\": \"a\", \"date\": \"2022-01-01\", \"activity\": \"trade\"}\n"),
    ),
    (
        &[
            "screen",
            "--no-lists",
            "--format",
            "html",
            "examples/news-2022.jsonl",
        ],
        None,
    ),
    (&["explain", "--no-lists", "examples/news-2022.jsonl"], None),
    (
        &["check", "--format", "json", "tests/output/pack.rules"],
        None,
    ),
    (
        &["check", "--format", "sarif", "tests/output/pack.rules"],
        None,
    ),
    (
        &["check", "--format", "github", "tests/output/escapes.rules"],
        None,
    ),
    (&["test", "tests/output/pack.rules"], None),
    (&["fmt", "-"], Some("set a: place = [KP]\n")),
    (&["fmt", "--check", "-"], Some("set   a: place = [KP]\n")),
    (&["coverage", "tests/output/pack.rules"], None),
    (&["lists", "show", "tests/lists/vessels.csv"], None),
    (
        &[
            "lists",
            "search",
            "SAMPLE STAR",
            "--list",
            "tests/lists/vessels.csv",
        ],
        None,
    ),
    (
        &[
            "lists",
            "diff",
            "tests/lists/vessels.csv",
            "tests/output/escapes-vessels.csv",
        ],
        None,
    ),
    (&["names", "compare", "Kim Jong Un", "Kim Jong-un"], None),
    (&["completions", "bash"], None),
    (&["--help"], None),
    (&["screen", "--help"], None),
    (&["--version"], None),
    (&["man"], None),
];

/// Runs `embargo args` with the given stdout and stderr, writing `stdin` to it
fn run_with(args: &[&str], stdin: Option<&str>, stdout: Stdio, stderr: Stdio) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_embargo"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env(
            "EMBARGO_CACHE_DIR",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-list-cache"),
        )
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(stdout)
        .stderr(stderr);
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        // The child may fail before reading it all: a write error here is no failure.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    }
    child.wait_with_output().unwrap()
}

/// The write end of a pipe whose read end is already closed: every write to it fails with
/// EPIPE, whatever the timing (closing a reader after the start could lose the race)
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

#[test]
fn a_closed_stdout_is_exit_2_and_one_line_naming_it() {
    for (args, stdin) in WRITERS {
        // Each command does write something when its output is open.
        let fine = embargo(args, *stdin);
        assert!(
            !fine.stdout.is_empty() && code(&fine) != 2,
            "{args:?} writes: {}",
            err(&fine)
        );
        let output = run_with(args, *stdin, closed_pipe(), Stdio::piped());
        let stderr = err(&output);
        assert_eq!(code(&output), 2, "{args:?}: {stderr}");
        assert_eq!(
            stderr.lines().last(),
            Some("error: cannot write to stdout: Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.matches("cannot write").count(), 1, "{args:?}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[cfg(target_os = "linux")]
fn dev_full() -> Stdio {
    Stdio::from(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_exit_2_and_one_line_naming_the_output() {
    for (args, stdin) in WRITERS {
        let output = run_with(args, *stdin, dev_full(), Stdio::piped());
        let stderr = err(&output);
        assert_eq!(code(&output), 2, "{args:?}: {stderr}");
        assert_eq!(
            stderr.lines().last(),
            Some("error: cannot write to stdout: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn files_named_by_options_are_outputs_too() {
    let cases: &[&[&str]] = &[
        &["test", "--junit", "/dev/full", "tests/output/pack.rules"],
        &[
            "screen",
            "--no-lists",
            "--report",
            "/dev/full",
            "examples/news-2022.jsonl",
        ],
        &[
            "coverage",
            "--output",
            "/dev/full",
            "tests/output/pack.rules",
        ],
    ];
    for args in cases {
        let output = embargo(args, None);
        assert_eq!(code(&output), 2, "{args:?}");
        assert_eq!(
            err(&output).lines().last(),
            Some("error: cannot write to /dev/full: No space left on device"),
            "{args:?}"
        );
    }
    // A file that cannot be created is named too.
    let output = embargo(
        &[
            "coverage",
            "--output",
            "tests/output/no-such-folder/coverage.md",
            "tests/output/pack.rules",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    assert_eq!(
        err(&output).trim_end(),
        "error: cannot write to tests/output/no-such-folder/coverage.md: No such file or directory"
    );
}

#[test]
fn a_closed_stderr_is_no_panic() {
    // `check` prints its diagnostics and summary on stderr, `screen` says on stderr that it
    // has no list: with stderr closed, each still ends with its own status.
    let cases: &[(&[&str], i32)] = &[
        (&["check", "tests/output/escapes.rules"], 1),
        (&["screen", "examples/news-2022.jsonl"], 1),
        (&["screen", "--threads", "0", "examples/news-2022.jsonl"], 2),
    ];
    for (args, want) in cases {
        let output = run_with(args, None, Stdio::piped(), closed_pipe());
        assert_eq!(code(&output), *want, "{args:?}");
    }
    // `fmt -` shows syntax errors on stderr.
    let cases: &[(&[&str], i32)] = &[(&["fmt", "-"], 2)];
    for (args, want) in cases {
        let output = run_with(args, Some("rule {\n"), Stdio::piped(), closed_pipe());
        assert_eq!(code(&output), *want, "{args:?}");
    }
}

/// The lines of `text` that show an escape, with the test's own marker for each line
fn escaped_lines(text: &str) -> String {
    text.lines()
        // `\u{1b}` in messages; `␛` (a control picture) or `�` in the source lines that
        // diagnostics show, as rustc's renderer shows them (one column each)
        .filter(|l| {
            l.contains("\\u{")
                || l.chars()
                    .any(|c| ('\u{2400}'..='\u{2421}').contains(&c) || c == '\u{FFFD}')
        })
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

/// No control character but line breaks (and the colours of diagnostics, off here)
fn assert_no_controls(args: &[&str], text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(bad.is_empty(), "{args:?} printed {bad:?}:\n{text}");
}

#[test]
fn human_outputs_escape_control_characters_from_input() {
    let cases: &[(&str, &[&str], bool)] = &[
        (
            "screen_table",
            &[
                "screen",
                "--no-lists",
                "--no-default-rules",
                "--rules",
                "tests/output/pack.rules",
                "--format",
                "table",
                "tests/output/escapes.jsonl",
            ],
            false,
        ),
        (
            "explain",
            &[
                "explain",
                "--no-lists",
                "--no-default-rules",
                "--rules",
                "tests/output/pack.rules",
                "tests/output/escapes.jsonl",
            ],
            false,
        ),
        (
            "lists_search",
            &[
                "lists",
                "search",
                "--schema",
                "vessel",
                "SAMPLE STAR",
                "--list",
                "tests/output/escapes-vessels.csv",
            ],
            false,
        ),
        (
            "lists_show",
            &["lists", "show", "tests/output/escapes-vessels.csv"],
            false,
        ),
        (
            "lists_diff",
            &[
                "lists",
                "diff",
                "tests/lists/vessels.csv",
                "tests/output/escapes-vessels.csv",
            ],
            false,
        ),
        ("check", &["check", "tests/output/escapes.rules"], true),
        (
            "check_short",
            &["check", "--format", "short", "tests/output/escapes.rules"],
            true,
        ),
    ];
    let mut all = String::new();
    for (name, args, on_stderr) in cases {
        let output = embargo(args, None);
        let text = if *on_stderr {
            err(&output)
        } else {
            out(&output)
        };
        assert_no_controls(args, &text);
        assert_no_controls(args, &err(&output));
        let lines = escaped_lines(&text);
        assert!(!lines.is_empty(), "{args:?} shows the escapes:\n{text}");
        all.push_str(&format!("## {name}\n{lines}\n"));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn json_outputs_keep_the_characters_as_json_escapes() {
    let output = embargo(
        &[
            "screen",
            "--no-lists",
            "--no-default-rules",
            "--rules",
            "tests/output/pack.rules",
            "tests/output/escapes.jsonl",
        ],
        None,
    );
    let text = out(&output);
    // serde_json escapes C0 controls (ESC, BEL, line breaks); C1 controls such as U+009B, valid
    // JSON as they are, are escaped too.
    assert_no_controls(&["screen"], &text);
    assert!(text.contains(r#""id":"bad-\u009b31m""#), "{text}");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["id"], "esc-\u{1b}[2J");
    assert_eq!(lines[1]["id"], "bad-\u{9b}31m");
    // The other JSON outputs, each with the escapes its input's characters must become (any
    // `\\u` passed before: a character dropped or escaped as another passed).
    let cases: &[(&[&str], &[&str])] = &[
        (
            &[
                "explain",
                "--no-lists",
                "--format",
                "json",
                "--no-default-rules",
                "--rules",
                "tests/output/pack.rules",
                "tests/output/escapes.jsonl",
            ],
            &[
                r#""id": "esc-\u001b[2J""#,
                r#""reason": "sold to Evil\u001b]0;owned\u0007 Corp\nshells-2022   clear""#,
            ],
        ),
        (
            &[
                "lists",
                "search",
                "--format",
                "json",
                "--schema",
                "vessel",
                "SAMPLE STAR",
                "--list",
                "tests/output/escapes-vessels.csv",
            ],
            &[
                r#""list_type":"Test\u001b]0;x\u0007land""#,
                r#""listed_name":"SAMPLE\u001b[2J STAR""#,
            ],
        ),
        (
            &["names", "compare", "A\u{9b}31m B", "A B"],
            &[r#""name1":"A\u009b31m B""#],
        ),
    ];
    for (args, escapes) in cases {
        let output = embargo(args, None);
        assert_no_controls(args, &out(&output));
        assert!(out(&output).contains("\\u"), "{args:?}");
        for escape in *escapes {
            assert!(
                out(&output).contains(escape),
                "{args:?}: {escape}\n{}",
                out(&output)
            );
        }
    }
}

#[test]
fn nonsense_counts_are_usage_errors() {
    let cases: &[&[&str]] = &[
        &["screen", "--threads", "0", "examples/news-2022.jsonl"],
        &["screen", "--threads", "20000", "examples/news-2022.jsonl"],
        &["screen", "--threads", "many", "examples/news-2022.jsonl"],
        &[
            "lists",
            "search",
            "--limit",
            "0",
            "x",
            "--list",
            "tests/lists/vessels.csv",
        ],
        &[
            "lists",
            "search",
            "--limit",
            "99999999999999999999",
            "x",
            "--list",
            "tests/lists/vessels.csv",
        ],
    ];
    let mut all = String::new();
    for args in cases {
        let output = embargo(args, None);
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let first = err(&output).lines().next().unwrap_or("").to_string();
        all.push_str(&format!("{}\n  {first}\n", args.join(" ")));
    }
    insta::assert_snapshot!(all);
    // The bounds themselves are accepted.
    for n in ["1", "256"] {
        let output = embargo(
            &[
                "screen",
                "--no-lists",
                "--threads",
                n,
                "examples/news-2022.jsonl",
            ],
            None,
        );
        assert_eq!(code(&output), 1, "--threads {n}: {}", err(&output));
    }
}

#[cfg(unix)]
#[test]
fn fmt_replaces_a_file_whole_keeping_its_link_and_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("output-fmt");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("x.rules");
    std::fs::write(&file, "set   a: place = [KP]\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("link.rules");
    std::os::unix::fs::symlink("x.rules", &link).unwrap();
    let output = embargo(&["fmt", link.to_str().unwrap()], None);
    assert_eq!(code(&output), 0, "{}", err(&output));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "set a: place = [KP]\n"
    );
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn fmt_leaves_a_file_whole_when_it_cannot_write_it_all() {
    use std::os::unix::process::CommandExt;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("output-fmt-full");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("x.rules");
    let before = "set   a: place = [KP]\n";
    std::fs::write(&file, before).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_embargo"));
    cmd.args(["fmt", file.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A disk that is full after 8 bytes: no file of the child may grow beyond them (EFBIG, with
    // SIGXFSZ ignored so that the write fails instead of killing the process).
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 8,
                rlim_max: 8,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = cmd.output().unwrap();
    assert_eq!(code(&output), 2, "{}", err(&output));
    assert_eq!(
        err(&output).trim_end(),
        format!("error: cannot write to {}: File too large", file.display())
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file is left"
    );
}
