//! The analyst decides what is enough (issue 13, item 6): `--min-score`, suppression files
//! (`screen --suppressions`, `explain --suppressions`) and `lists suppress`, on the binary.

use crate::common;

use common::{code, embargo, err, json_lines, out};

/// The UN fixture: KPe.901 `KOREA FICTIVE TRADING CORPORATION` (DPRK), frozen by the pack
const UN: &str = "tests/screening/list.xml";
/// OFAC's fixture: entry 1001 `ALPHA TEST TRADING` (TESTPROG, which no rule reads)
const SDN: &str = "tests/lists/sdn.csv";
const SUPPRESSIONS: &str = "tests/suppress/suppressions.yaml";

/// A payment to the fictive Korean company, on `date`
fn to_korea_fictive(id: &str, date: &str) -> String {
    format!(
        r#"{{"id": "{id}", "date": "{date}", "activity": "payment", "parties": [{{"role": "payer", "name": "Nordbank AG", "country": "DE"}}, {{"role": "payee", "name": "Korea  fictive trading corporation", "kind": "entity"}}]}}"#
    )
}

#[test]
fn a_suppressed_match_is_shown_and_no_longer_drives_the_verdict() {
    // Without the file: the freeze rule fires on the exact name match.
    let input = to_korea_fictive("tx-1", "2024-03-01");
    let output = embargo(&["screen", "--list", UN, "-"], Some(&input));
    assert_eq!(code(&output), 1, "{}", err(&output));
    assert_eq!(json_lines(&out(&output))[0]["verdict"], "prohibited");

    let output = embargo(
        &["screen", "--list", UN, "--suppressions", SUPPRESSIONS, "-"],
        Some(&input),
    );
    assert_eq!(code(&output), 0, "clear: exit 0\n{}", err(&output));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "clear", "{v}");
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(v["suppressed"].as_array().unwrap().len(), 1, "{v}");
    let s = &v["suppressed"][0];
    assert_eq!(s["of"], "parties[1]", "{v}");
    assert_eq!(s["reference"], "KPe.901", "{v}");
    assert_eq!(s["strength"], "exact", "{v}");
    assert_eq!(s["suppression"]["by"], "A. Analyst", "{v}");
    assert_eq!(
        s["suppression"]["reason"],
        "our customer in Busan since 1998, not the listed company"
    );
    assert_eq!(s["suppression"]["on"], "2024-01-02");
    assert_eq!(s["suppression"]["expires"], "2024-06-30");
    // The whole of stderr: "11 match(es)" or a second warning would have passed `contains`.
    assert_eq!(
        err(&output),
        "embargo: --suppressions: 1 match(es) suppressed (shown, not judged)\n"
    );

    // The table shows it under the verdict, with the reason.
    let output = embargo(
        &[
            "screen",
            "--format",
            "table",
            "--list",
            UN,
            "--suppressions",
            SUPPRESSIONS,
            "-",
        ],
        Some(&input),
    );
    let table = out(&output);
    // The table whole: the verdict `clear` on the record's own line, nothing in the rule
    // columns, and the suppression line with its list, strength, score, who, when and why.
    assert_eq!(
        table,
        "\
ID                           VERDICT                 RULE                                         CITATIONS
tx-1                         clear
                                                       suppressed: parties[1] is KPe.901 KOREA FICTIVE TRADING CORPORATION (list.xml (2026-05-08)): exact, score 1.00; cleared by A. Analyst on 2024-01-02 until 2024-06-30: our customer in Busan since 1998, not the listed company
"
    );
    assert!(
        table.contains("suppressed: parties[1] is KPe.901 KOREA FICTIVE TRADING CORPORATION"),
        "{table}"
    );
    assert!(
        table.contains(
            "cleared by A. Analyst on 2024-01-02 until 2024-06-30: our customer in Busan"
        ),
        "{table}"
    );

    // With provenance, provenance stays the last field.
    let output = embargo(
        &[
            "screen",
            "--provenance",
            "--list",
            UN,
            "--suppressions",
            SUPPRESSIONS,
            "-",
        ],
        Some(&input),
    );
    let line = out(&output);
    let suppressed = line.find("\"suppressed\":[").unwrap();
    let provenance = line.find("\"provenance\":").unwrap();
    assert!(suppressed < provenance, "{line}");
}

#[test]
fn an_expired_suppression_stops_applying_and_says_so() {
    // The expiry day itself is covered; the day after is not.
    let input = format!(
        "{}\n{}\n",
        to_korea_fictive("last-day", "2024-06-30"),
        to_korea_fictive("day-after", "2024-07-01")
    );
    let output = embargo(
        &["screen", "--list", UN, "--suppressions", SUPPRESSIONS, "-"],
        Some(&input),
    );
    assert_eq!(code(&output), 1, "{}", err(&output));
    let lines = json_lines(&out(&output));
    assert_eq!(lines[0]["verdict"], "clear", "{}", lines[0]);
    assert_eq!(lines[1]["verdict"], "prohibited", "{}", lines[1]);
    assert!(lines[1].get("suppressed").is_none(), "{}", lines[1]);
    let m = &lines[1]["findings"][0]["matches"][0];
    assert_eq!(m["reference"], "KPe.901");
    let why: Vec<&str> = m["why"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        why.iter().any(|w| w.starts_with(
            "suppression expired on 2024-06-30 (the record is of 2024-07-01), so it no longer applies: cleared by A. Analyst"
        )),
        "{why:?}"
    );
    // why whole: the name's score, then the expiry with the decision it undid (a starts_with
    // on any line passed with extra or wrong lines beside it).
    assert_eq!(
        why,
        [
            "name `Korea  fictive trading corporation` against `KOREA FICTIVE TRADING CORPORATION`: 1.00",
            "suppression expired on 2024-06-30 (the record is of 2024-07-01), so it no longer applies: cleared by A. Analyst on 2024-01-02: our customer in Busan since 1998, not the listed company"
        ]
    );
    assert!(
        err(&output).contains("1 match(es) judged again, their suppressions expired"),
        "{}",
        err(&output)
    );
    // stderr whole: one suppressed (the last day), one judged again (the day after).
    assert_eq!(
        err(&output),
        "\
embargo: --suppressions: 1 match(es) suppressed (shown, not judged)
embargo: --suppressions: 1 match(es) judged again, their suppressions expired before the record's date (each says so in its why)
"
    );
}

#[test]
fn a_party_is_suppressed_by_an_identifier_it_carries() {
    let input = r#"{"id": "by-id", "date": "2024-03-01", "activity": "payment", "parties": [{"role": "payee", "name": "Alpha Test Trading", "kind": "entity", "ids": {"vat": "DE927310455"}}]}"#;
    let output = embargo(&["screen", "--list", SDN, "-"], Some(input));
    assert_eq!(json_lines(&out(&output))[0]["verdict"], "review");
    let output = embargo(
        &["screen", "--list", SDN, "--suppressions", SUPPRESSIONS, "-"],
        Some(input),
    );
    assert_eq!(code(&output), 0, "{}", err(&output));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "clear", "{v}");
    assert_eq!(v["suppressed"][0]["reference"], "1001", "{v}");
    assert_eq!(
        v["suppressed"][0]["suppression"]["by"], "B. Reviewer",
        "{v}"
    );
    // Another identifier, or none, is another party.
    let other = input.replace("DE927310455", "DE927310456");
    let output = embargo(
        &["screen", "--list", SDN, "--suppressions", SUPPRESSIONS, "-"],
        Some(&other),
    );
    assert_eq!(json_lines(&out(&output))[0]["verdict"], "review");
}

#[test]
fn a_minimum_score_drops_a_weak_match_for_its_list() {
    let input = r#"{"id": "weak", "date": "2024-03-01", "activity": "payment", "parties": [{"role": "payee", "name": "Alpha Test Trading Holdings Group", "kind": "entity"}]}"#;
    let output = embargo(&["screen", "--list", SDN, "-"], Some(input));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "review", "{v}");
    let m = &v["findings"][0]["matches"][0];
    assert_eq!(m["strength"], "weak", "{v}");
    let score = m["score"].as_f64().unwrap();
    // Just above the match's score: dropped; at it: kept.
    let above = format!("{:.3}", (score + 0.001).min(1.0));
    let at = format!("{score}");
    for (setting, verdict) in [
        (format!("sdn.csv={above}"), "clear"),
        (above.clone(), "clear"),
        (format!("sdn.csv={at}"), "review"),
        // Another list's minimum leaves this one's matches alone.
        (format!("list.xml={above}"), "review"),
    ] {
        let output = embargo(
            &[
                "screen",
                "--list",
                SDN,
                "--list",
                UN,
                "--min-score",
                &setting,
                "-",
            ],
            Some(input),
        );
        let v = &json_lines(&out(&output))[0];
        assert_eq!(v["verdict"], verdict, "--min-score {setting}: {v}");
        if verdict == "clear" {
            assert!(
                err(&output).contains("1 match(es) below their list's minimum were dropped"),
                "{}",
                err(&output)
            );
        }
    }
}

#[test]
fn a_minimum_score_is_checked_before_anything_runs() {
    for (setting, message) in [
        ("0.5", "below the shipped threshold"),
        ("1.5", "not a score"),
        ("sdn.csv=high", "not a score"),
        ("=0.9", "no list name"),
        ("nolist.csv=0.9", "no list of that name is screened against"),
    ] {
        let output = embargo(
            &["screen", "--list", SDN, "--min-score", setting, "-"],
            Some("{}"),
        );
        assert_eq!(code(&output), 2, "{setting}");
        assert!(out(&output).is_empty(), "{setting}: {}", out(&output));
        assert!(
            err(&output).contains(message),
            "{setting}: {}",
            err(&output)
        );
    }
}

#[test]
fn a_malformed_suppression_file_stops_the_run_naming_the_entry_and_field() {
    let input = to_korea_fictive("tx-1", "2024-03-01");
    for args in [vec!["screen", "--list", UN], vec!["explain", "--list", UN]] {
        let mut args = args.clone();
        args.extend(["--suppressions", "tests/suppress/malformed.yaml", "-"]);
        let output = embargo(&args, Some(&input));
        assert_eq!(code(&output), 2, "{args:?}: {}", err(&output));
        assert!(out(&output).is_empty(), "no verdict: {}", out(&output));
        let e = err(&output);
        assert!(
            e.contains(
                "tests/suppress/malformed.yaml: not a valid suppression file: entry 2 (party \"Alpha Test Trading\", entry 1001): field `expires`: `2024-13-01` is not a date"
            ),
            "{e}"
        );
    }
    let output = embargo(
        &[
            "screen",
            "--list",
            UN,
            "--suppressions",
            "tests/suppress/none.yaml",
            "-",
        ],
        Some(&input),
    );
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("cannot read the suppression file"),
        "{}",
        err(&output)
    );
}

#[test]
fn explain_shows_the_suppressed_match_and_the_verdict_without_it() {
    let input = to_korea_fictive("tx-1", "2024-03-01");
    let output = embargo(
        &[
            "explain",
            "--format",
            "json",
            "--list",
            UN,
            "--suppressions",
            SUPPRESSIONS,
            "-",
        ],
        Some(&input),
    );
    assert_eq!(code(&output), 0, "{}", err(&output));
    let doc: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
    assert_eq!(doc["verdict"]["verdict"], "clear");
    assert_eq!(doc["verdict"]["suppressed"][0]["reference"], "KPe.901");
    let output = embargo(
        &["explain", "--list", UN, "--suppressions", SUPPRESSIONS, "-"],
        Some(&input),
    );
    let text = out(&output);
    // The end of the explanation whole: the verdict, then the suppressed match under its
    // heading (the rules weighed before it are the subject of tests/explain.rs).
    let tail = text
        .rfind("\nverdict: ")
        .map(|i| &text[i + 1..])
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        tail,
        "\
verdict: clear

suppressed matches (shown, not judged):
  suppressed: parties[1] is KPe.901 KOREA FICTIVE TRADING CORPORATION (list.xml (2026-05-08)): exact, score 1.00; cleared by A. Analyst on 2024-01-02 until 2024-06-30: our customer in Busan since 1998, not the listed company
"
    );
}

#[test]
fn lists_suppress_appends_a_checked_entry_that_screen_then_applies() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("suppress-append");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("suppressions.yaml");
    let file = file.to_str().unwrap();
    let add = |extra: &[&str]| {
        let mut args = vec!["lists", "suppress", "--file", file];
        args.extend(extra);
        embargo(&args, None)
    };
    // Created when missing.
    let output = add(&[
        "--party",
        "Korea Fictive Trading Corporation",
        "--entry",
        "KPe.901",
        "--by",
        "A. Analyst",
        "--reason",
        "not them: \"Korea Fictive\" of Busan # a reason, not a comment",
        "--on",
        "2024-01-02",
        "--expires",
        "2024-12-31",
    ]);
    assert_eq!(code(&output), 0, "{}", err(&output));
    assert!(
        err(&output)
            .contains("added: party \"Korea Fictive Trading Corporation\" cleared of KPe.901"),
        "{}",
        err(&output)
    );
    // A user's comment is kept when the next entry is appended.
    let mut text = std::fs::read_to_string(file).unwrap();
    text.push_str("# reviewed by the MLRO\n");
    std::fs::write(file, &text).unwrap();
    let output = add(&[
        "--party-id",
        "DE927310455",
        "--entry",
        "1001",
        "--by",
        "B. Reviewer",
        "--reason",
        "our supplier",
        "--on",
        "2024-01-02",
        "--expires",
        "2024-12-31",
    ]);
    assert_eq!(code(&output), 0, "{}", err(&output));
    let after = std::fs::read_to_string(file).unwrap();
    assert!(after.starts_with(&text), "{after}");
    // Exactly the new entry appended, every field of it.
    assert_eq!(
        &after[text.len()..],
        "\
- party_id: \"DE927310455\"
  entry: \"1001\"
  by: \"B. Reviewer\"
  reason: \"our supplier\"
  on: 2024-01-02
  expires: 2024-12-31
"
    );

    // An invalid entry is refused, naming the option, and the file is left as it was.
    let output = add(&[
        "--party",
        "X",
        "--entry",
        "KPe.901",
        "--by",
        "C",
        "--reason",
        "r",
        "--on",
        "2024-05-01",
        "--expires",
        "2024-04-30",
    ]);
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("--expires: 2024-04-30 is before the day of the decision"),
        "{}",
        err(&output)
    );
    assert_eq!(std::fs::read_to_string(file).unwrap(), after);

    // Screening with the file: the suppressed match is shown, the verdict lifted.
    let input = to_korea_fictive("tx-1", "2024-03-01");
    let output = embargo(
        &["screen", "--list", UN, "--suppressions", file, "-"],
        Some(&input),
    );
    assert_eq!(code(&output), 0, "{}", err(&output));
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "clear", "{v}");
    assert_eq!(
        v["suppressed"][0]["suppression"]["reason"],
        "not them: \"Korea Fictive\" of Busan # a reason, not a comment"
    );

    // A file that does not read is not appended to.
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "- party: [\n").unwrap();
    let output = embargo(
        &[
            "lists",
            "suppress",
            "--file",
            broken.to_str().unwrap(),
            "--party",
            "X",
            "--entry",
            "1",
            "--by",
            "C",
            "--reason",
            "r",
            "--on",
            "2024-05-01",
            "--expires",
            "2024-06-30",
        ],
        None,
    );
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("not a valid suppression file; left as it was"),
        "{}",
        err(&output)
    );
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "- party: [\n");
}

#[test]
fn text_from_the_suppression_file_is_escaped_for_the_terminal() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("suppress-escape");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("suppressions.yaml");
    // YAML's `\e` is ESC: a reason that would clear the screen on a terminal.
    std::fs::write(
        &file,
        "- party: Korea Fictive Trading Corporation\n  entry: KPe.901\n  by: \"A. \\e[31mAnalyst\"\n  reason: \"cleared\\e[2J\"\n  on: 2024-01-02\n  expires: 2024-06-30\n",
    )
    .unwrap();
    let input = to_korea_fictive("tx-1", "2024-03-01");
    for format in ["table", "jsonl"] {
        let output = embargo(
            &[
                "screen",
                "--format",
                format,
                "--list",
                UN,
                "--suppressions",
                file.to_str().unwrap(),
                "-",
            ],
            Some(&input),
        );
        assert_eq!(code(&output), 0, "{}", err(&output));
        let text = out(&output);
        assert!(!text.contains('\u{1b}'), "{format}: {text:?}");
        assert!(
            text.contains(r"\u{1b}[2J") || text.contains(r"\u001b[2J"),
            "{format}: {text}"
        );
    }
}

#[test]
fn a_vessel_is_suppressed_by_its_imo_number() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("suppress-vessel");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("suppressions.yaml");
    std::fs::write(
        &file,
        "- party_id: IMO 9074729\n  entry: IMO 9074729\n  by: C. Surveyor\n  reason: another hull, inspected\n  on: 2030-01-01\n  expires: 2031-12-31\n",
    )
    .unwrap();
    let input = r#"{"id": "v", "date": "2031-03-01", "activity": "vessel_operation", "vessels": [{"name": "Sample Star", "imo": "9074729"}]}"#;
    let vessels = "tests/screening/vessels.csv";
    let output = embargo(&["screen", "--list", vessels, "-"], Some(input));
    assert_eq!(json_lines(&out(&output))[0]["verdict"], "prohibited");
    let output = embargo(
        &[
            "screen",
            "--list",
            vessels,
            "--suppressions",
            file.to_str().unwrap(),
            "-",
        ],
        Some(input),
    );
    let v = &json_lines(&out(&output))[0];
    assert_eq!(v["verdict"], "clear", "{v}");
    assert_eq!(v["suppressed"][0]["of"], "vessels[0]", "{v}");
    assert_eq!(v["suppressed"][0]["matched_by"], "imo", "{v}");
}
