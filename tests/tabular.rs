//! CSV and spreadsheets in (docs/tabular.md): the same records as a table give the same verdicts
//! as in JSON Lines; a wrong header stops the run once, with the closest known name; a bad cell
//! makes its row `invalid`, naming the cell (`C17`); `--columns` maps a firm's headers;
//! `--input-format` overrides the extension; content that cannot be its format is said once.
//!
//! The workbooks of tests/tabular/ are made by scripts/tabular-fixtures.py (pinned openpyxl,
//! xlwt and odfpy) from examples/news-2022.jsonl; the CSV tables here are made from JSON Lines
//! files by [`flatten`], the layout's own definition in code.

use std::path::{Path, PathBuf};

use crate::common;

use common::{code, embargo, err, json_lines, out};

const LIST: &str = "tests/screening/list.xml";
const VESSELS: &str = "tests/screening/vessels.csv";

/// The lists of words of a record: one cell of `;`-separated values
const LISTS_OF_WORDS: &[&str] = &["transit", "services", "categories", "tags", "covers"];

/// A record's cells as docs/tabular.md lays them out: column name and text
fn flatten(record: &serde_json::Value) -> Vec<(String, String)> {
    fn put(out: &mut Vec<(String, String)>, name: String, key: &str, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Object(map) if matches!(key, "amount" | "value" | "ids") => {
                for (k, v) in map {
                    put(out, format!("{name}.{k}"), k, v);
                }
            }
            Value::Object(map) if key == "meta" && name == "meta" => {
                for (k, v) in map {
                    let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    out.push((format!("meta.{k}"), text));
                }
            }
            Value::Array(items) if LISTS_OF_WORDS.contains(&key) => {
                let words: Vec<&str> = items.iter().map(|v| v.as_str().unwrap()).collect();
                out.push((name, words.join(";")));
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    for (k, v) in item.as_object().unwrap() {
                        put(out, format!("{name}.{}.{k}", i + 1), k, v);
                    }
                }
            }
            Value::String(s) => out.push((name, s.clone())),
            other => out.push((name, other.to_string())),
        }
    }
    let mut out = Vec::new();
    for (k, v) in record.as_object().unwrap() {
        put(&mut out, k.clone(), k, v);
    }
    out
}

/// The records of a JSON Lines file as CSV text: a header of every column met, then a row each
fn to_csv(jsonl: &str) -> String {
    let rows: Vec<Vec<(String, String)>> = jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| flatten(&serde_json::from_str(l).unwrap()))
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for row in &rows {
        for (c, _) in row {
            if !columns.contains(c) {
                columns.push(c.clone());
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&columns).unwrap();
    for row in &rows {
        let cells: Vec<&str> = columns
            .iter()
            .map(|c| {
                row.iter()
                    .find(|(name, _)| name == c)
                    .map_or("", |(_, v)| v.as_str())
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// A file of the tests' own temporary folder
fn temp(name: &str, content: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tabular");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The verdicts of `screen ARGS`, each without its `line` (a table's is its row); with the exit
/// status and stderr
fn verdicts(args: &[&str]) -> (Vec<serde_json::Value>, i32, String) {
    let output = embargo(args, None);
    let mut verdicts = json_lines(&out(&output));
    for v in &mut verdicts {
        v.as_object_mut().unwrap().remove("line");
    }
    (verdicts, code(&output), err(&output))
}

/// Valid records: the same verdict, whole; invalid ones: invalid too (their errors place the
/// problem in the text or in a cell)
fn assert_same(table: &[serde_json::Value], jsonl: &[serde_json::Value], what: &str) {
    assert_eq!(table.len(), jsonl.len(), "{what}");
    for (t, j) in table.iter().zip(jsonl) {
        if j["verdict"] == "invalid" {
            assert_eq!(
                (&t["id"], &t["verdict"]),
                (&j["id"], &j["verdict"]),
                "{what}"
            );
            for e in t["errors"].as_array().unwrap() {
                let e = e.as_str().unwrap();
                assert!(
                    e.contains(" (column \"") && !e.contains(" at line "),
                    "{what}: {e}"
                );
            }
        } else {
            assert_eq!(t, j, "{what}");
        }
    }
}

#[test]
fn a_table_of_the_examples_gives_their_verdicts() {
    let mut checked = 0;
    for (file, lists) in [
        ("examples/news-2022.jsonl", vec!["--no-lists"]),
        ("examples/broken.jsonl", vec!["--no-lists"]),
        (
            "tests/screening/records.jsonl",
            vec!["--list", LIST, "--list", VESSELS],
        ),
    ] {
        // The lines that are JSON (examples/broken.jsonl has one that is not, which no table
        // can hold), as JSON Lines and as CSV
        let text: String = std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
            // A cell has no type: `"hs": 930690`, a number that JSON refuses where text is
            // expected, is the text 930690 in a table, and valid
            .filter(|l| !l.contains("\"bad-type\""))
            .map(|l| format!("{l}\n"))
            .collect();
        let name = Path::new(file).file_stem().unwrap().to_string_lossy();
        let jsonl = temp(&format!("{name}.jsonl"), text.as_bytes());
        let file = jsonl.to_str().unwrap();
        let csv = temp(&format!("{name}.csv"), to_csv(&text).as_bytes());
        let csv = csv.to_str().unwrap();
        let args = |input: &str| {
            let mut a = vec!["screen"];
            a.extend(&lists);
            a.push(input);
            a.iter().map(|s| (*s).to_string()).collect::<Vec<_>>()
        };
        let run = |input: &str| {
            let a = args(input);
            verdicts(&a.iter().map(String::as_str).collect::<Vec<_>>())
        };
        let (from_jsonl, jsonl_code, _) = run(file);
        let (from_csv, csv_code, stderr) = run(csv);
        assert_eq!(jsonl_code, csv_code, "{file}: {stderr}");
        assert_same(&from_csv, &from_jsonl, file);
        checked += from_csv.len();
    }
    assert!(checked > 30, "only {checked} records");
}

#[test]
fn workbooks_give_the_verdicts_of_their_records() {
    let (expected, _, _) = verdicts(&["screen", "--no-lists", "examples/news-2022.jsonl"]);
    assert_eq!(expected.len(), 10);
    for book in ["xlsx", "xls", "ods"] {
        let file = format!("tests/tabular/news-2022.{book}");
        let (got, status, stderr) = verdicts(&["screen", "--no-lists", &file]);
        assert_eq!(status, 1, "{file}: {stderr}");
        assert_same(&got, &expected, &file);
    }
}

#[test]
fn a_table_row_keeps_its_number_as_the_verdicts_line() {
    let output = embargo(
        &["screen", "--no-lists", "tests/tabular/news-2022.xlsx"],
        None,
    );
    // Valid verdicts carry no line; the rows are 2 to 11, in order
    assert_eq!(json_lines(&out(&output)).len(), 10);
    let output = embargo(
        &["screen", "--no-lists", "tests/tabular/bad-cell.csv"],
        None,
    );
    let lines: Vec<u64> = json_lines(&out(&output))
        .iter()
        .filter_map(|v| v["line"].as_u64())
        .collect();
    assert_eq!(lines, [10, 17]);
}

#[test]
fn a_bad_cell_makes_its_row_invalid_naming_the_cell() {
    let output = embargo(
        &["screen", "--no-lists", "tests/tabular/bad-cell.csv"],
        None,
    );
    assert_eq!(code(&output), 1, "{}", err(&output));
    let verdicts = json_lines(&out(&output));
    // Nothing lost: 16 rows in, 16 verdicts out
    assert_eq!(verdicts.len(), 16);
    let invalid: Vec<&serde_json::Value> = verdicts
        .iter()
        .filter(|v| v["verdict"] == "invalid")
        .collect();
    assert_eq!(invalid.len(), 2);
    insta::assert_snapshot!(
        "bad_cells_csv",
        invalid
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn a_workbooks_cells_are_read_as_their_fields() {
    let output = embargo(
        &["screen", "--no-lists", "tests/tabular/bad-cells.xlsx"],
        None,
    );
    let verdicts = json_lines(&out(&output));
    assert_eq!(verdicts.len(), 2, "{}", err(&output));
    // A date with a time of day is its day, a number where an HS code goes its digits, a float
    // amount its shortest decimal
    assert_eq!(verdicts[0]["verdict"], "prohibited", "{}", verdicts[0]);
    assert!(
        verdicts[0].to_string().contains("hs 930690"),
        "{}",
        verdicts[0]
    );
    // A spreadsheet error is a bad cell; the header starts at B3, so its rows are 4 and 5
    assert_eq!(
        verdicts[1],
        serde_json::json!({"id": "na", "verdict": "invalid",
            "errors": ["cell F5 (column \"goods.1.hs\"): the spreadsheet error #N/A"], "line": 5})
    );
}

#[test]
fn a_wrong_header_stops_the_run_once_with_the_closest_names() {
    for name in ["header-unknown", "header-missing"] {
        let file = format!("tests/tabular/{name}.csv");
        let output = embargo(&["screen", "--no-lists", &file], None);
        assert_eq!(code(&output), 2, "{file}");
        assert_eq!(out(&output), "", "{file}: no verdict");
        insta::assert_snapshot!(name.replace('-', "_"), err(&output));
    }
}

#[test]
fn a_map_of_columns_reads_a_firms_own_headers() {
    let (from_jsonl, _, _) = verdicts(&["screen", "--no-lists", "tests/tabular/firm.jsonl"]);
    let (from_csv, status, stderr) = verdicts(&[
        "screen",
        "--no-lists",
        "--columns",
        "tests/tabular/firm-columns.yaml",
        "tests/tabular/firm.csv",
    ]);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(from_csv.len(), 2);
    assert_eq!(from_csv, from_jsonl);
    assert_eq!(from_csv[0]["verdict"], "prohibited");
    // Without the map, its headers are unknown columns
    let output = embargo(&["screen", "--no-lists", "tests/tabular/firm.csv"], None);
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("A1: unknown column \"Txn Ref\""),
        "{}",
        err(&output)
    );
    // A map names columns of the layout, and is for tables only
    let map = temp("bad-map.yaml", b"Txn Ref: idd\n");
    let output = embargo(
        &[
            "screen",
            "--no-lists",
            "--columns",
            map.to_str().unwrap(),
            "tests/tabular/firm.csv",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("\"Txn Ref\": unknown column \"idd\": did you mean \"id\"?"),
        "{}",
        err(&output)
    );
    let output = embargo(
        &[
            "screen",
            "--no-lists",
            "--columns",
            "tests/tabular/firm-columns.yaml",
            "tests/tabular/firm.jsonl",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("a map of columns is for CSV and spreadsheets"),
        "{}",
        err(&output)
    );
}

#[test]
fn content_that_is_not_its_format_is_said_once() {
    for (file, format, says) in [
        (
            "tests/tabular/csv-named.jsonl",
            None,
            "give `--input-format csv`",
        ),
        (
            "tests/tabular/json-named.csv",
            None,
            "give `--input-format jsonl`",
        ),
        // The xlsx as JSON Lines: named so by --input-format
        (
            "tests/tabular/news-2022.xlsx",
            Some("jsonl"),
            "give `--input-format xlsx`",
        ),
    ] {
        let mut args = vec!["screen", "--no-lists"];
        if let Some(f) = format {
            args.extend(["--input-format", f]);
        }
        args.push(file);
        let output = embargo(&args, None);
        assert_eq!(code(&output), 2, "{file}");
        assert_eq!(out(&output), "", "{file}: no verdict");
        let stderr = err(&output);
        let said: Vec<&str> = stderr.lines().filter(|l| l.contains(says)).collect();
        assert_eq!(said.len(), 1, "{file}: {stderr}");
        if file.ends_with(".jsonl") {
            insta::assert_snapshot!("csv_named_jsonl", stderr);
        }
    }
    let output = embargo(
        &[
            "screen",
            "--no-lists",
            "--input-format",
            "ods",
            "tests/tabular/firm.csv",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("read as an .ods spreadsheet (from its extension or --input-format), but it starts with a CSV header"),
        "{}",
        err(&output)
    );
}

#[test]
fn the_input_format_overrides_the_extension() {
    let (named, status, stderr) = verdicts(&[
        "screen",
        "--no-lists",
        "--input-format",
        "csv",
        "tests/tabular/csv-named.jsonl",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        named
            .iter()
            .map(|v| v["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["c-1", "c-2"]
    );
    let (txt, _, _) = verdicts(&[
        "screen",
        "--no-lists",
        "--input-format",
        "csv",
        "tests/tabular/records.txt",
    ]);
    assert_eq!(txt, named);
    // stdin: JSON Lines unless --input-format says otherwise
    let csv = std::fs::read_to_string("tests/tabular/records.txt").unwrap();
    let output = embargo(
        &["screen", "--no-lists", "--input-format", "csv", "-"],
        Some(&csv),
    );
    let mut stdin = json_lines(&out(&output));
    for v in &mut stdin {
        v.as_object_mut().unwrap().remove("line");
    }
    assert_eq!(stdin, named);
    let output = embargo(&["screen", "--no-lists", "-"], Some(&csv));
    assert_eq!(code(&output), 2);
    assert!(err(&output).contains("give `--input-format csv`"));
}

#[test]
fn a_workbook_is_read_from_stdin_too() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let bytes = std::fs::read("tests/tabular/news-2022.ods").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(["screen", "--no-lists", "--input-format", "ods", "-"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env(
            "EMBARGO_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-list-cache"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(json_lines(&out(&output)).len(), 10, "{}", err(&output));
}

#[test]
fn a_header_alone_or_nothing_gives_no_verdict() {
    let output = embargo(
        &["screen", "--no-lists", "tests/tabular/header-only.csv"],
        None,
    );
    assert_eq!(
        (code(&output), out(&output)),
        (0, String::new()),
        "{}",
        err(&output)
    );
    let empty = temp("empty.csv", b"");
    let output = embargo(&["screen", "--no-lists", empty.to_str().unwrap()], None);
    assert_eq!(
        (code(&output), out(&output)),
        (0, String::new()),
        "{}",
        err(&output)
    );
}

#[test]
fn quoted_cells_crlf_and_a_byte_order_mark() {
    let (from_csv, status, stderr) =
        verdicts(&["screen", "--no-lists", "tests/tabular/quoted.csv"]);
    let (from_jsonl, _, _) = verdicts(&["screen", "--no-lists", "tests/tabular/quoted.jsonl"]);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(from_csv.len(), 2);
    assert_eq!(from_csv, from_jsonl);
}

#[test]
fn explain_reads_a_table_too() {
    let output = embargo(
        &[
            "explain",
            "--no-lists",
            "--format",
            "json",
            "--id",
            "drones-2022",
            "tests/tabular/news-2022.xlsx",
        ],
        None,
    );
    let from_xlsx = out(&output);
    assert_eq!(code(&output), 1, "{}", err(&output));
    let output = embargo(
        &[
            "explain",
            "--no-lists",
            "--format",
            "json",
            "--id",
            "drones-2022",
            "examples/news-2022.jsonl",
        ],
        None,
    );
    assert_eq!(from_xlsx, out(&output));
    // An invalid row is named by its cells
    let output = embargo(
        &[
            "explain",
            "--no-lists",
            "--id",
            "r-17",
            "tests/tabular/bad-cell.csv",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("field \"date\" at C17 (column \"date\")"),
        "{}",
        err(&output)
    );
}
