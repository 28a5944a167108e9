//! The `embargo` binary: formats, streaming input, bad input, exit statuses, help.

use crate::common;

use common::{code, embargo, err, json_lines, out};

#[test]
fn a_batch_with_broken_records_answers_for_every_record() {
    let output = embargo(&["screen", "examples/broken.jsonl"], None);
    assert_eq!(code(&output), 1);
    let verdicts = json_lines(&out(&output));
    let input_lines = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/broken.jsonl"
    ))
    .unwrap();
    assert_eq!(
        verdicts.len(),
        input_lines.lines().count(),
        "N records in, N verdicts out"
    );
    let by_id = |id: &str| verdicts.iter().find(|v| v["id"] == id).unwrap().clone();
    assert_eq!(by_id("ok-1")["verdict"], "prohibited");
    assert_eq!(by_id("ok-2")["verdict"], "clear");
    // Each record's one error whole: the field, its place, what was expected and what was found
    // (a fragment passed with a wrong found value, or a second error beside it).
    let cases = [
        (
            "bad-date",
            "field \"date\" at line 2, column 20: expected a date YYYY-MM-DD, found \"2022-13-05\"",
        ),
        (
            "bad-place",
            "field \"destination\" at line 3, column 64: expected a country code such as \"KP\" or a subdivision code such as \"UA-14\" (ISO 3166), found \"XX\"",
        ),
        (
            "bad-type",
            "field \"goods[0].hs\" at line 5, column 74: expected an HS code of 2 to 10 digits such as \"930690\", found the number 930690",
        ),
    ];
    for (id, needle) in cases {
        let v = by_id(id);
        assert_eq!(v["verdict"], "invalid", "{v}");
        assert!(
            v.get("findings").is_none(),
            "an invalid record has errors instead of findings"
        );
        let errors = v["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e.as_str().unwrap().contains(needle)),
            "{id}: {errors:?} lacks {needle}"
        );
        assert_eq!(v["errors"], serde_json::json!([needle]), "{id}");
    }
    let missing_id = &verdicts[3];
    assert_eq!(missing_id["verdict"], "invalid");
    assert_eq!(
        missing_id["errors"],
        serde_json::json!([
            "missing field \"id\" at line 4, column 1: expected your own key for the record, as text"
        ])
    );
    assert_eq!(missing_id["line"], 4);
    assert_eq!(verdicts[5]["verdict"], "invalid", "bad JSON on line 6");
    assert_eq!(
        verdicts[5]["errors"],
        serde_json::json!([
            "bad JSON at line 6, column 26: the record ends before it is complete (a `}`, `]` or `\"` missing?)"
        ])
    );
    assert_eq!(verdicts[5]["line"], 6);
}

#[test]
fn stdin_is_json_lines_and_order_is_kept() {
    let mut input = String::new();
    for i in 0..5000 {
        let origin = if i % 7 == 0 { "KP" } else { "FR" };
        input.push_str(&format!(
            "{{\"id\": \"r{i}\", \"date\": \"2022-01-01\", \"activity\": \"trade\", \"origin\": \"{origin}\", \"goods\": [{{\"hs\": \"930690\"}}]}}\n"
        ));
    }
    let output = embargo(&["screen", "-"], Some(&input));
    assert_eq!(code(&output), 1);
    let verdicts = json_lines(&out(&output));
    assert_eq!(verdicts.len(), 5000);
    for (i, v) in verdicts.iter().enumerate() {
        assert_eq!(v["id"], format!("r{i}"));
        let want = if i % 7 == 0 { "prohibited" } else { "clear" };
        assert_eq!(v["verdict"], want);
    }
    // The same bytes whatever the number of threads (the main thread reads, writes and judges
    // with the others; ten chunks of records)
    for threads in ["1", "2", "3"] {
        let other = embargo(&["screen", "--threads", threads, "-"], Some(&input));
        assert_eq!(code(&other), 1, "--threads {threads}");
        assert!(
            other.stdout == output.stdout,
            "--threads {threads} wrote other verdicts"
        );
    }
}

#[test]
fn json_arrays_and_yaml_documents_are_read() {
    let dir = std::env::temp_dir().join(format!("embargo-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("records.json");
    std::fs::write(&json, r#"[
  {"id": "a", "date": "2022-09-05", "activity": "trade", "origin": "KP", "goods": [{"hs": "930690"}]},
  {"id": "b", "date": "2022-09-05", "activity": "trade", "origin": "FR"}
]"#).unwrap();
    let output = embargo(&["screen", json.to_str().unwrap()], None);
    let v = json_lines(&out(&output));
    assert_eq!(
        (v[0]["verdict"].as_str(), v[1]["verdict"].as_str()),
        (Some("prohibited"), Some("clear"))
    );
    let yaml = dir.join("records.yaml");
    std::fs::write(&yaml, "id: a\ndate: 2022-09-05\nactivity: trade\norigin: kp\ngoods: [{hs: '930690'}]\n---\nid: b\ndate: 2022-09-05\nactivity: travel\n").unwrap();
    let output = embargo(&["screen", yaml.to_str().unwrap()], None);
    let v = json_lines(&out(&output));
    assert_eq!(v.len(), 2);
    assert_eq!(
        v[0]["verdict"], "prohibited",
        "place codes are case-insensitive on input"
    );
    assert_eq!(v[1]["verdict"], "clear");
}

#[test]
fn clear_batches_exit_zero() {
    let record = r#"{"id": "x", "date": "2022-01-01", "activity": "trade", "origin": "FR", "destination": "DE"}"#;
    let output = embargo(&["screen", "-"], Some(record));
    assert_eq!(code(&output), 0);
    assert_eq!(
        json_lines(&out(&output))[0]["findings"],
        serde_json::json!([])
    );
}

#[test]
fn notify_alone_exits_zero() {
    let record = r#"{"id": "x", "date": "2012-01-01", "activity": "trade", "destination": "KP", "goods": [{"categories": ["small_arms"]}]}"#;
    let output = embargo(&["screen", "-"], Some(record));
    assert_eq!(json_lines(&out(&output))[0]["verdict"], "notify");
    assert_eq!(code(&output), 0);
}

#[test]
fn what_cannot_run_exits_two_with_one_line() {
    let output = embargo(&["screen", "no/such/file.jsonl"], None);
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("no/such/file.jsonl"),
        "{}",
        err(&output)
    );
    assert_eq!(err(&output).lines().count(), 1);

    let output = embargo(&["screen", "--no-such-flag", "x"], None);
    assert_eq!(code(&output), 2);

    let output = embargo(
        &[
            "screen",
            "--no-default-rules",
            "--rules",
            "tests/diagnostics/E200_unknown_field.rules",
            "examples/news-2022.jsonl",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    // The diagnostic itself, placed and named, and the refusal that follows it.
    let stderr = err(&output);
    let lines: Vec<&str> = stderr.lines().take(2).collect();
    assert_eq!(
        lines,
        [
            "tests/diagnostics/E200_unknown_field.rules:9:8: error[E200]: unknown field `destinaton` (help: did you mean `destination`?)",
            "embargo: the rules have 1 error(s); run `embargo check` on them",
        ],
        "{stderr}"
    );
    assert!(
        out(&output).is_empty(),
        "no verdicts from rules that do not compile"
    );
}

#[test]
fn screen_uses_the_rules_given() {
    let output = embargo(
        &[
            "screen",
            "--no-default-rules",
            "--rules",
            "tests/engine/exceptions.rules",
            "examples/news-2022.jsonl",
        ],
        None,
    );
    assert_eq!(code(&output), 0, "{}", err(&output));
    for v in json_lines(&out(&output)) {
        assert_eq!(
            v["verdict"], "clear",
            "these rules say nothing about the news: {v}"
        );
    }
}

#[test]
fn the_table_names_rules_and_citations() {
    let output = embargo(
        &["screen", "--format", "table", "examples/news-2022.jsonl"],
        None,
    );
    assert_eq!(code(&output), 1);
    let text = out(&output);
    assert!(text.starts_with("ID"));
    // The whole table: every record's verdict, each rule on its own line with its citations
    // (unconfirmed paragraph numbers marked), its reason and its notes below it.
    insta::assert_snapshot!("news_2022_table", text);
}

#[test]
fn check_finds_every_problem_and_exits_one() {
    let output = embargo(&["check", "rules"], None);
    assert_eq!(code(&output), 0, "{}", err(&output));
    // Not just "0 errors" anywhere: "10 errors" contains that too.
    let summary = err(&output).lines().last().unwrap_or_default().to_string();
    assert!(
        summary.starts_with("checked ") && summary.contains(" files: 0 errors, "),
        "{summary}"
    );

    let output = embargo(
        &[
            "check",
            "--format",
            "short",
            "tests/diagnostics/E100_syntax_recovery.rules",
        ],
        None,
    );
    assert_eq!(code(&output), 1);
    let text = err(&output);
    let errors = text.lines().filter(|l| l.contains("error[")).count();
    assert_eq!(errors, 4, "every syntax error in one run: {text}");
    // Each error at its place, with its code and message, then the count.
    insta::assert_snapshot!("check_short_e100_syntax_recovery", text);

    let output = embargo(
        &[
            "check",
            "--format",
            "json",
            "tests/diagnostics/E200_unknown_field.rules",
        ],
        None,
    );
    assert_eq!(code(&output), 1);
    let json: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "code": "E200",
            "name": "unknown-field",
            "severity": "error",
            "message": "unknown field `destinaton`",
            "file": "tests/diagnostics/E200_unknown_field.rules",
            "line": 9,
            "column": 8,
            "end_line": 9,
            "end_column": 18,
            "label": "not a field of the record",
            "help": "did you mean `destination`?"
        }])
    );

    let output = embargo(&["check", "no/such/rules"], None);
    assert_eq!(code(&output), 2);
}

/// A name defined in two files: the diagnostic at the second definition names the first, in
/// every format that has room for it
#[test]
fn a_duplicate_names_its_first_definition_in_every_format() {
    const FIRST: &str = "tests/diagnostics/two_files/first.rules";
    const SECOND: &str = "tests/diagnostics/two_files/second.rules";
    let run = |format: &str| {
        let output = embargo(&["check", "--format", format, FIRST, SECOND], None);
        assert_eq!(code(&output), 1);
        output
    };
    let human = err(&run("human"));
    assert!(
        human.contains(&format!(
            " ::: {FIRST}:5:5\n  |\n5 | set s: place = [KP]\n  |     - first defined here\n"
        )),
        "{human}"
    );
    let json: serde_json::Value = serde_json::from_str(&out(&run("json"))).unwrap();
    assert_eq!(
        json[0]["related"],
        serde_json::json!([{
            "file": FIRST,
            "line": 5,
            "column": 5,
            "end_line": 5,
            "end_column": 6,
            "label": "first defined here"
        }])
    );
    let sarif: serde_json::Value = serde_json::from_str(&out(&run("sarif"))).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["relatedLocations"],
        serde_json::json!([{
            "message": {"text": "first defined here"},
            "physicalLocation": {
                "artifactLocation": {"uri": FIRST},
                "region": {"startLine": 5, "startColumn": 5, "endLine": 5, "endColumn": 6}
            }
        }])
    );
    let github = out(&run("github"));
    assert!(
        github.contains(&format!("(first defined here: {FIRST}:5:5)")),
        "{github}"
    );
}

#[test]
fn test_runs_the_examples_in_rule_files() {
    let output = embargo(&["test", "rules"], None);
    assert_eq!(code(&output), 0, "{}{}", out(&output), err(&output));
    let last = out(&output).lines().last().unwrap().to_string();
    assert!(last.ends_with("passed, 0 failed"), "{last}");

    let output = embargo(
        &["test", "rules", "tests/engine/failing_test.rules.txt"],
        None,
    );
    assert_eq!(code(&output), 1, "{}{}", out(&output), err(&output));
    let text = out(&output);
    // The failing test, placed and named, with what it expected and what it got, in that order.
    let failure: Vec<&str> = text.lines().take(3).collect();
    assert_eq!(
        failure,
        [
            "FAIL tests/engine/failing_test.rules.txt:5:3 \"shells from the DPRK are not clear\" on 2022-09-05",
            "  - expected: clear",
            "  + actual:   prohibited by [un.dprk.arms.from_dprk]",
        ],
        "{text}"
    );
    assert_eq!(text.matches("FAIL ").count(), 1, "one failure only: {text}");
}

#[test]
fn every_command_has_help_with_examples() {
    for cmd in [
        vec!["--help"],
        vec!["screen", "--help"],
        vec!["check", "--help"],
        vec!["test", "--help"],
    ] {
        let output = embargo(&cmd, None);
        assert_eq!(code(&output), 0, "{cmd:?}");
        assert!(
            out(&output).contains("Examples:"),
            "{cmd:?}: {}",
            out(&output)
        );
    }
}

#[test]
fn coverage_writes_markdown_and_check_exits_one_when_the_file_differs() {
    let output = embargo(&["coverage", "tests/engine/exceptions.rules"], None);
    assert_eq!(code(&output), 0, "{}", err(&output));
    let report = out(&output);
    assert!(
        report.starts_with("# Coverage of the rule pack\n"),
        "{report}"
    );
    // The regime's table, its timeline and the exceptions table, whole: in-force days, test
    // counts and lifted counts of each rule and exception.
    let rules_part = report
        .split_once("## T\n")
        .and_then(|(_, rest)| rest.split_once("## Deliberately not encoded"))
        .map(|(part, _)| part)
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(
        rules_part,
        "
| Measure | Citations | In force | Rule | Tests |
|---|---|---|---|---|
| (no title) | S/RES/2270 (2016) 29 | from 2016-03-02 | `t.coal.export` | 2 |
| (no title) | S/RES/2270 (2016) 29 | from 2016-03-02 | `t.iron.export` | 2 |

Timeline:

- 2016-03-02: `t.coal.export` begins (S/RES/2270 (2016) 29)
- 2016-03-02: `t.iron.export` begins (S/RES/2270 (2016) 29)

## Exceptions

*Lifted in tests* counts the test expectations in which the exception lifted a finding.

| Exception | Measure | Citations | Overrides | In force | Lifted in tests |
|---|---|---|---|---|---|
| `t.coal.livelihood` | Livelihood purposes (2270 29(b)), until 2371 ended it | S/RES/2270 (2016) 29(b) | `t.coal.export` | 2016-03-02 to 2017-08-04 | 2 |
| `t.transit` | (no title) | S/RES/2270 (2016) 29(a) | `t.coal.export`, `t.iron.export` | from 2016-03-02 | 1 |

",
        "{report}"
    );

    let stale = std::env::temp_dir().join(format!("embargo-coverage-{}.md", std::process::id()));
    std::fs::write(&stale, "old\n").unwrap();
    let stale_arg = stale.to_str().unwrap();
    let args = [
        "coverage",
        "--check",
        "--output",
        stale_arg,
        "tests/engine/exceptions.rules",
    ];
    let output = embargo(&args, None);
    assert_eq!(code(&output), 1);
    assert!(
        err(&output).contains("embargo coverage --output"),
        "{}",
        err(&output)
    );
    std::fs::write(&stale, &report).unwrap();
    assert_eq!(code(&embargo(&args, None)), 0);
    std::fs::remove_file(&stale).unwrap();

    assert_eq!(code(&embargo(&["coverage", "--check"], None)), 2);
}

#[test]
fn check_speaks_sarif_and_github_and_denies_warnings() {
    let fixture = "tests/diagnostics/W302_rule_without_tests.rules";
    let output = embargo(&["check", "--format", "sarif", fixture], None);
    assert_eq!(code(&output), 0, "a warning alone is not an error");
    let log: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
    // The structure SARIF 2.1.0 requires: version, runs[].tool.driver.name, results with a
    // message text and, here, a physical location with a 1-based region.
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "embargo");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        embargo::internals::diagnostics::codes::CODES.len()
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "W302");
    assert_eq!(result["level"], "warning");
    assert_eq!(
        result["message"]["text"],
        "no test expects `x.b` to fire (help: add a `test` whose `expect ... by` names the rule, on the days around its boundaries)"
    );
    assert_eq!(run["results"].as_array().unwrap().len(), 1);
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "W302");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], fixture);
    assert_eq!(loc["region"]["startLine"], 13);
    assert_eq!(loc["region"]["startColumn"], 6);

    let output = embargo(
        &[
            "check",
            "--format",
            "github",
            "tests/diagnostics/E200_unknown_field.rules",
        ],
        None,
    );
    assert_eq!(code(&output), 1);
    let line = out(&output);
    assert!(
        line.starts_with("::error file=tests/diagnostics/E200_unknown_field.rules,line=9,col=8,endLine=9,endColumn=18,title=E200 unknown-field::unknown field `destinaton`"),
        "{line}"
    );

    for flag in [vec!["--deny", "warnings"], vec!["--deny-warnings"]] {
        let mut args = vec!["check"];
        args.extend(flag.iter().copied());
        args.push(fixture);
        assert_eq!(code(&embargo(&args, None)), 1, "{flag:?}");
    }
}

#[test]
fn completions_and_man_pages_come_from_the_command_line_definition() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = embargo(&["completions", shell], None);
        assert_eq!(code(&output), 0, "{shell}");
        let script = out(&output);
        for sub in ["screen", "check", "test", "coverage"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    let output = embargo(&["man"], None);
    assert_eq!(code(&output), 0);
    let page = out(&output);
    assert!(page.contains(".TH embargo 1"), "{page}");
    assert!(
        page.contains("embargo\\-screen"),
        "the main page lists the subcommands"
    );
    let output = embargo(&["man", "check"], None);
    assert!(out(&output).contains(".TH embargo-check 1"));
    assert!(out(&output).contains("\\-\\-deny"));
    assert_eq!(code(&embargo(&["man", "nope"], None)), 2);
}

#[test]
fn a_reason_says_a_goods_line_quantity_and_unit() {
    let records = concat!(
        r#"{"id": "with", "date": "2018-01-10", "activity": "trade", "destination": "KP", "goods": [{"hs": "271019"}, {"hs": "271019", "quantity": 1500.5, "unit": "bbl"}]}"#,
        "\n",
        r#"{"id": "without", "date": "2018-01-10", "activity": "trade", "destination": "KP", "goods": [{"hs": "271019", "quantity": 1500}]}"#,
        "\n"
    );
    let output = embargo(
        &[
            "screen",
            "--no-lists",
            "--no-default-rules",
            "--rules",
            "tests/engine/quantities.rules",
            "-",
        ],
        Some(records),
    );
    let verdicts = json_lines(&out(&output));
    let reason = |v: &serde_json::Value, rule: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("no finding of {rule}: {v}"))["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // The line without a quantity asks for review; the other is counted against the cap.
    assert_eq!(verdicts[0]["verdict"], "review", "{}", verdicts[0]);
    assert_eq!(
        reason(&verdicts[0], "t.cap.within"),
        "goods[1]: 1500.5 bbl of refined petroleum (hs 271019): count it against the cap"
    );
    assert_eq!(
        reason(&verdicts[0], "t.cap.unknown_quantity"),
        "goods[0]: refined petroleum (hs 271019) with no quantity or unit ((none) (none)): give them to count it against the cap"
    );
    assert_eq!(verdicts[1]["verdict"], "review", "{}", verdicts[1]);
    assert_eq!(
        reason(&verdicts[1], "t.cap.unknown_quantity"),
        "goods[0]: refined petroleum (hs 271019) with no quantity or unit (1500 (none)): give them to count it against the cap"
    );
}

#[test]
fn the_reference_in_the_docs_is_the_command_lines() {
    let o = embargo(&["man", "--markdown"], None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let doc = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli-reference.md");
    if std::env::var_os("EMBARGO_UPDATE_CLI").is_some() {
        std::fs::write(doc, out(&o)).unwrap();
    }
    let committed = std::fs::read_to_string(doc).unwrap_or_default();
    assert!(
        committed == out(&o),
        "docs/cli-reference.md is not `embargo man --markdown`: run EMBARGO_UPDATE_CLI=1 cargo test --test integration cli::the_reference"
    );
    // Every command and every long option is in it
    for needle in [
        "## `embargo screen`",
        "## `embargo lists suppress`",
        "`--summary <FILE>`",
        "`--fired`",
        "`--color <WHEN>`",
    ] {
        assert!(committed.contains(needle), "{needle}");
    }
    assert_eq!(code(&embargo(&["man", "screen", "--markdown"], None)), 2);
}

/// The SARIF multitool (`@microsoft/sarif-multitool`, installed by `.ci/run` with npm under
/// `target/tools/`), or `EMBARGO_SARIF_MULTITOOL`
fn sarif_multitool() -> std::path::PathBuf {
    std::env::var_os("EMBARGO_SARIF_MULTITOOL").map_or_else(
        || {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
                "target/tools/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool",
            )
        },
        std::path::PathBuf::from,
    )
}

#[test]
#[ignore = "needs the SARIF multitool: .ci/run installs it with npm (npm install @microsoft/sarif-multitool)"]
fn microsofts_sarif_multitool_finds_no_error_in_the_sarif_of_check() {
    let tool = sarif_multitool();
    assert!(tool.exists(), "no SARIF multitool at {}", tool.display());
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif");
    std::fs::create_dir_all(&dir).unwrap();
    let absolute = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/diagnostics");
    // Every diagnostic of the fixtures, with the paths as given: relative, then absolute
    for (name, path) in [("relative", "tests/diagnostics"), ("absolute", absolute)] {
        let o = embargo(&["check", "--format", "sarif", path], None);
        assert_eq!(code(&o), 1, "{}", err(&o));
        let log = dir.join(format!("{name}.sarif"));
        std::fs::write(&log, out(&o)).unwrap();
        let verdict = dir.join(format!("{name}-validation.sarif"));
        let _ = std::fs::remove_file(&verdict);
        let run = std::process::Command::new(&tool)
            .args(["validate", "--rule-kind", "Sarif;Gh", "-o"])
            .arg(&verdict)
            .arg(&log)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&verdict).unwrap()).unwrap();
        let found: Vec<String> = report["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{} {}", r["ruleId"], r["message"]["id"]))
            .collect();
        // GitHub's ingestion rules (Gh) and the SARIF rules find nothing, but that the tool has
        // no home page to name (`informationUri`): the package names none yet.
        let expected: Vec<String> = if env!("CARGO_PKG_HOMEPAGE").is_empty() {
            vec!["\"SARIF2005\" \"Warning_ProvideToolnformationUri\"".to_string()]
        } else {
            Vec::new()
        };
        assert_eq!(found, expected, "{name}");
    }
}
