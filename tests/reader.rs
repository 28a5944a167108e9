//! N records in, N verdicts out, for every input: each malformed input under tests/reader/ is
//! screened through the command line; its verdicts are counted against the count stored beside
//! it in tests/reader/cases.tsv and snapshotted. Records larger than the limit are generated here,
//! and the reader is shown to skip them without holding them in memory.

use crate::common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use common::{code, embargo, err, json_lines, out};
use embargo::internals::model::{InputFormat, ReadError, RecordReader};

/// One line of tests/reader/cases.tsv
#[derive(Debug)]
struct Case {
    verdicts: usize,
    invalid: usize,
    exit: i32,
}

fn cases() -> BTreeMap<String, Case> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reader/cases.tsv"
    ))
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 4, "cases.tsv: {l:?}");
            (
                f[0].to_string(),
                Case {
                    verdicts: f[1].parse().unwrap(),
                    invalid: f[2].parse().unwrap(),
                    exit: f[3].parse().unwrap(),
                },
            )
        })
        .collect()
}

/// A verdict line without its findings (which the rules decide, not the reader)
fn summary(line: &serde_json::Value) -> String {
    let mut kept = serde_json::Map::new();
    for key in ["id", "verdict", "line", "errors"] {
        if let Some(v) = line.get(key) {
            kept.insert(key.to_string(), v.clone());
        }
    }
    serde_json::Value::Object(kept).to_string()
}

#[test]
fn every_malformed_input_gives_one_verdict_per_record() {
    let cases = cases();
    let mut seen = Vec::new();
    insta::glob!("reader/*.{json,jsonl,yaml}", |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let case = cases
            .get(&name)
            .unwrap_or_else(|| panic!("tests/reader/{name} is not in tests/reader/cases.tsv"));
        seen.push(name.clone());
        // Each file shows what it is named for.
        let bytes = std::fs::read(path).unwrap();
        if name.starts_with("bom.") {
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name}: no BOM");
        }
        if name.starts_with("crlf.") {
            assert!(bytes.windows(2).any(|w| w == b"\r\n"), "{name}: no CRLF");
        }
        if name.starts_with("bad_utf8.") {
            assert!(std::str::from_utf8(&bytes).is_err(), "{name}: valid UTF-8");
        }
        let file = format!("tests/reader/{name}");
        let output = embargo(&["screen", "--no-lists", &file], None);
        let verdicts = json_lines(&out(&output));
        let invalid = verdicts
            .iter()
            .filter(|v| v["verdict"] == "invalid")
            .count();
        assert_eq!(
            (verdicts.len(), invalid, code(&output)),
            (case.verdicts, case.invalid, case.exit),
            "{name}: (verdicts, invalid, exit)\n{}{}",
            out(&output),
            err(&output)
        );
        // Every verdict names its input line, in input order.
        let lines: Vec<u64> = verdicts.iter().filter_map(|v| v["line"].as_u64()).collect();
        assert!(lines.is_sorted(), "{name}: lines out of order: {lines:?}");
        let shown: Vec<String> = verdicts.iter().map(summary).collect();
        insta::assert_snapshot!(format!(
            "exit {}\n{}\nstderr: {}",
            code(&output),
            shown.join("\n"),
            err(&output)
        ));
    });
    let mut listed: Vec<&String> = cases.keys().collect();
    listed.sort();
    seen.sort();
    assert_eq!(
        listed,
        seen.iter().collect::<Vec<_>>(),
        "cases.tsv lists a missing file"
    );
}

/// Two records around one of `size` bytes (a description that long), as JSON Lines
fn with_long_line(size: usize) -> String {
    format!(
        "{{\"id\": \"before\", \"date\": \"2024-01-10\", \"activity\": \"trade\"}}\n\
{{\"id\": \"long\", \"date\": \"2024-01-10\", \"activity\": \"trade\", \"description\": \"{}\"}}\n\
{{\"id\": \"after\", \"date\": \"2024-01-10\", \"activity\": \"trade\"}}\n",
        "x".repeat(size)
    )
}

#[test]
fn a_line_over_the_limit_is_invalid_and_the_limit_can_be_raised() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("reader-huge_line.jsonl");
    std::fs::write(&file, with_long_line(2 << 20)).unwrap();
    let file = file.to_string_lossy().into_owned();

    let output = embargo(&["screen", "--no-lists", &file], None);
    assert_eq!(code(&output), 1, "{}", err(&output));
    let verdicts = json_lines(&out(&output));
    let got: Vec<(&str, &str)> = verdicts
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap_or("-"),
                v["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("before", "clear"), ("-", "invalid"), ("after", "clear")]
    );
    let error = verdicts[1]["errors"][0].as_str().unwrap();
    let error = error.strip_prefix(file.as_str()).unwrap();
    insta::assert_snapshot!(error, @":2:1: line longer than 1048576 bytes (the limit set by `--max-record-size`): not read");

    let output = embargo(
        &[
            "screen",
            "--no-lists",
            "--max-record-size",
            "4194304",
            &file,
        ],
        None,
    );
    assert_eq!(code(&output), 0, "{}", err(&output));
    let verdicts = json_lines(&out(&output));
    assert_eq!(verdicts.len(), 3);
    assert_eq!(verdicts[1]["id"], "long");

    // The same limit on stdin, and on `explain`.
    let small = with_long_line(100);
    let output = embargo(
        &["screen", "--no-lists", "--max-record-size", "99", "-"],
        Some(&small),
    );
    let verdicts = json_lines(&out(&output));
    assert_eq!(verdicts.len(), 3);
    assert_eq!(
        verdicts.iter().map(|v| &v["verdict"]).collect::<Vec<_>>(),
        ["clear", "invalid", "clear"],
    );
    let output = embargo(
        &["explain", "--no-lists", "--max-record-size", "50", "-"],
        Some(&small),
    );
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!(err(&output), @"embargo: the record is invalid: <stdin>:1:1: line longer than 50 bytes (the limit set by `--max-record-size`): not read");
    let output = embargo(
        &[
            "explain",
            "--no-lists",
            "--max-record-size",
            "99",
            "--id",
            "long",
            "-",
        ],
        Some(&small),
    );
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!(err(&output), @r#"embargo: no record with id "long" in <stdin>; the records at line(s) 2 could not be read"#);
}

#[test]
fn a_nonsense_limit_is_a_usage_error() {
    let mut shown = String::new();
    for value in ["0", "268435457", "-5", "1MiB"] {
        let output = embargo(
            &[
                "screen",
                "--max-record-size",
                value,
                "examples/broken.jsonl",
            ],
            None,
        );
        assert_eq!(code(&output), 2, "{value}");
        assert!(out(&output).is_empty(), "{value}");
        shown.push_str(err(&output).lines().next().unwrap_or(""));
        shown.push('\n');
    }
    let output = embargo(
        &["explain", "--max-record-size", "0", "examples/broken.jsonl"],
        None,
    );
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!(shown);
}

#[test]
fn explain_says_which_records_could_not_be_read() {
    let output = embargo(
        &[
            "explain",
            "--no-lists",
            "tests/reader/bad_utf8.jsonl",
            "--id",
            "r5",
        ],
        None,
    );
    assert_eq!(code(&output), 0, "{}", err(&output));
    let output = embargo(
        &[
            "explain",
            "--no-lists",
            "tests/reader/bad_utf8.jsonl",
            "--id",
            "bad",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!(err(&output), @"embargo: the record is invalid: tests/reader/bad_utf8.jsonl:2:77: not valid UTF-8 (byte 0xE9): the record was not read");
    let output = embargo(
        &[
            "explain",
            "--no-lists",
            "tests/reader/bad_utf8.jsonl",
            "--id",
            "missing",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!(err(&output), @r#"embargo: no record with id "missing" in tests/reader/bad_utf8.jsonl; the records at line(s) 4 could not be read"#);
    let output = embargo(
        &["explain", "--no-lists", "tests/reader/not_records.json"],
        None,
    );
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("tests/reader/not_records.json:1:1: not a JSON array or object"),
        "{}",
        err(&output)
    );
    // The whole message: the place, what a `.json` input holds, and the start of what was found.
    assert_eq!(
        err(&output),
        "embargo: cannot read tests/reader/not_records.json: tests/reader/not_records.json:1:1: not a JSON array or object (a `.json` input holds arrays of records, or records one after another): found `id: a\\ndate: 2024-01-10\\nactivit…`\n"
    );
    assert_eq!(out(&output), "");
}

/// Bytes that fail after `fail_after` bytes of `text`
struct FailingInput {
    text: Vec<u8>,
    pos: usize,
    fail_after: usize,
}

impl Read for FailingInput {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.fail_after {
            return Err(std::io::Error::other("the disk is gone"));
        }
        let end = self
            .fail_after
            .min(self.text.len())
            .min(self.pos + buf.len());
        let n = end - self.pos;
        buf[..n].copy_from_slice(&self.text[self.pos..end]);
        self.pos = end;
        Ok(n)
    }
}

#[test]
fn records_read_before_a_read_error_get_their_verdicts() {
    let program = embargo::internals::compile::compile(&embargo::internals::rules::embedded())
        .0
        .unwrap();
    let evaluator = embargo::internals::eval::Evaluator::new(&program);
    let text = with_long_line(10);
    // Fails in the middle of the third line.
    let fail_after = text.len() - 20;
    let reader = RecordReader::new(
        FailingInput {
            text: text.into_bytes(),
            pos: 0,
            fail_after,
        },
        InputFormat::JsonLines,
    );
    let mut written = Vec::new();
    let result = embargo::internals::screen::screen_stream(
        &evaluator,
        &embargo::internals::screening::matching::ListMatcher::new(),
        reader,
        "failing.jsonl",
        &embargo::internals::model::ReadOptions::default(),
        |v| v.id.clone(),
        |id| {
            written.push(id);
            Ok(())
        },
    );
    assert_eq!(
        result.map_err(|e| e.to_string()),
        Err("the disk is gone".to_string())
    );
    assert_eq!(
        written,
        [Some("before".to_string()), Some("long".to_string())]
    );
}

#[test]
fn three_bytes_then_a_read_error_still_give_the_record_they_hold() {
    // `{}` and its newline come in the first read, then the input fails: the byte-order-mark
    // check stops reading at three bytes, so the record is judged (invalid) before the error.
    let reader = RecordReader::new(
        FailingInput {
            text: b"{}\n".to_vec(),
            pos: 0,
            fail_after: 3,
        },
        InputFormat::JsonLines,
    );
    let items: Vec<Result<usize, String>> = reader
        .map(|r| match r {
            Ok(text) => Ok(text.line),
            Err(embargo::internals::model::ReadError::Record(bad)) => Ok(bad.line),
            Err(e) => Err(e.into_io_error("x").to_string()),
        })
        .collect();
    assert_eq!(items, [Ok(1), Err("the disk is gone".to_string())]);
}

#[test]
fn a_chunk_ends_when_its_text_passes_the_byte_budget() {
    // Three records of 5 MiB: the budget (8 MiB) closes the first chunk after two of them, so
    // the first verdict is written when two records have been judged, not three. On one
    // worker, the verdicts of a chunk are written before the next chunk is judged.
    let program = embargo::internals::compile::compile(&embargo::internals::rules::embedded())
        .0
        .unwrap();
    let evaluator = embargo::internals::eval::Evaluator::new(&program);
    let record = |id: &str| {
        format!(
            "{{\"id\": \"{id}\", \"date\": \"2024-01-10\", \"activity\": \"trade\", \"description\": \"{}\"}}\n",
            "x".repeat(5 << 20)
        )
    };
    let text = format!("{}{}{}", record("a"), record("b"), record("c"));
    let reader =
        RecordReader::new(text.as_bytes(), InputFormat::JsonLines).with_max_record_size(6 << 20);
    let judged = std::sync::atomic::AtomicUsize::new(0);
    let mut judged_at_write = Vec::new();
    let one_worker = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let summary = one_worker
        .install(|| {
            embargo::internals::screen::screen_stream(
                &evaluator,
                &embargo::internals::screening::matching::ListMatcher::new(),
                reader,
                "big.jsonl",
                &embargo::internals::model::ReadOptions::default(),
                |v| {
                    judged.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    v.verdict
                },
                |_| {
                    judged_at_write.push(judged.load(std::sync::atomic::Ordering::SeqCst));
                    Ok(())
                },
            )
        })
        .unwrap();
    assert_eq!(summary.records, 3);
    assert_eq!(judged_at_write, [2, 2, 3]);
}

// ---------------------------------------------------------------------------------------------
// Memory: a record over the limit is skipped without being held.

/// Counts the bytes allocated by the current thread, and the most held at once
struct Counting;

thread_local! {
    static HELD: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn count(grow: usize, shrink: usize) {
    let _ = HELD.try_with(|held| {
        let now = held.get().saturating_add(grow).saturating_sub(shrink);
        held.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 0);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(0, layout.size());
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size, layout.size());
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// `head`, then `size` bytes of `x`, then `tail`, made as they are read
struct Generated {
    head: &'static [u8],
    size: usize,
    tail: &'static [u8],
    pos: usize,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        for b in buf.iter_mut() {
            let i = self.pos + n;
            *b = if i < self.head.len() {
                self.head[i]
            } else if i < self.head.len() + self.size {
                b'x'
            } else if let Some(&t) = self.tail.get(i - self.head.len() - self.size) {
                t
            } else {
                break;
            };
            n += 1;
        }
        self.pos += n;
        Ok(n)
    }
}

#[test]
fn a_record_over_the_limit_is_skipped_in_bounded_memory() {
    const SIZE: usize = 32 << 20;
    for (format, head, tail) in [
        (
            InputFormat::JsonLines,
            b"{\"id\": \"".as_slice(),
            b"\"}\n{\"id\": \"after\"}\n".as_slice(),
        ),
        (
            InputFormat::JsonArray,
            b"[{\"id\": \"".as_slice(),
            b"\"}, {\"id\": \"after\"}]".as_slice(),
        ),
        (
            InputFormat::Yaml,
            b"id: ".as_slice(),
            b"\n---\nid: after\n".as_slice(),
        ),
    ] {
        let input = Generated {
            head,
            size: SIZE,
            tail,
            pos: 0,
        };
        let before = HELD.with(Cell::get);
        PEAK.with(|p| p.set(before));
        let got: Vec<Result<String, String>> = RecordReader::new(input, format)
            .map(|r| match r {
                Ok(text) => Ok(text.text),
                Err(ReadError::Record(b)) => Err(b.message),
                Err(e) => panic!("{e}"),
            })
            .collect();
        let peak = PEAK.with(Cell::get) - before;
        assert_eq!(got.len(), 2, "{format:?}");
        assert!(
            got[0]
                .as_ref()
                .is_err_and(|m| m.contains("longer than 1048576 bytes")),
            "{format:?}: {:?}",
            got[0]
        );
        assert!(
            got[1].as_ref().is_ok_and(|t| t.contains("after")),
            "{format:?}"
        );
        // The limit (1 MiB) and the read buffer, not the 32 MiB record.
        assert!(
            peak < 4 << 20,
            "{format:?}: {peak} bytes held to skip a {SIZE}-byte record"
        );
    }
}
