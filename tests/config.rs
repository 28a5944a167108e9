//! A firm's own rules beside the embedded pack (`--rules`, `--no-default-rules`) and the settings
//! file `embargo.toml` (`--config`, found upward, `--no-config`), as docs/config.md describes
//! them: what is added, what collides, and which value wins.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::{code, err, json_lines, out};

/// A fresh folder for one test, under the target's temporary folder
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("config")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("work/deeper")).unwrap();
    dir
}

/// Runs `embargo args` in the folder `cwd`, with no list cached
fn embargo_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .current_dir(cwd)
        .env(
            "EMBARGO_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-list-cache"),
        )
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// A firm's rule on the embedded pack's DPRK regime and resolution: any payment to the DPRK is
/// for review, whatever the UN measures say
const FIRM_RULE: &str = "rule firm.dprk.payments {
  title \"Our policy: every payment to the DPRK is reviewed\"
  regime DPRK
  cites \"S/RES/1718 (2006)\" 8(d)
  in force from 2006-10-14
  when activity == payment and destination within KP
  then review \"a payment to the DPRK (our policy)\"
}
";

/// A payment to the DPRK, and shells from it (which the UN pack prohibits)
const RECORDS: &str = r#"{"id": "pay", "date": "2022-09-05", "activity": "payment", "destination": "KP", "amount": {"amount": 10, "currency": "USD"}}
{"id": "shells", "date": "2022-09-05", "activity": "trade", "origin": "KP", "destination": "RU", "goods": [{"hs": "9306.90", "categories": ["arms"]}]}
"#;

/// A folder with the firm's rules in `firm/` and the records in `records.jsonl`
fn firm(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("firm")).unwrap();
    std::fs::write(dir.join("firm/policy.rules"), FIRM_RULE).unwrap();
    std::fs::write(dir.join("records.jsonl"), RECORDS).unwrap();
    dir
}

/// The rule ids of each verdict of `o`, by record id
fn fired(o: &Output) -> Vec<(String, Vec<String>)> {
    json_lines(&out(o))
        .iter()
        .map(|v| {
            let rules = v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_string())
                .collect();
            (v["id"].as_str().unwrap().to_string(), rules)
        })
        .collect()
}

/// `screen` of the records in `dir` by the rules of `dir/firm` alone, with no list
fn screen_by_the_firms_rules_alone(dir: &Path) -> Output {
    embargo_in(
        dir,
        &[
            "screen",
            "--no-config",
            "--no-lists",
            "--no-default-rules",
            "--rules",
            "firm",
            "records.jsonl",
        ],
    )
}

#[test]
fn rules_are_added_to_the_embedded_pack() {
    let dir = firm("added");
    let o = embargo_in(
        &dir,
        &[
            "screen",
            "--no-config",
            "--no-lists",
            "--rules",
            "firm",
            "records.jsonl",
        ],
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    let fired = fired(&o);
    assert!(
        fired[0].1.contains(&"firm.dprk.payments".to_string()),
        "{fired:?}"
    );
    // The UN pack still judges: the shells are prohibited by its rule
    assert_eq!(fired[1].1, ["un.dprk.arms.from_dprk"], "{fired:?}");

    // Alone, the firm's rule names a regime and a resolution that only the pack declares
    let o = screen_by_the_firms_rules_alone(&dir);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("firm/policy.rules:3:10: error[E203]: unknown regime `DPRK`"),
        "{}",
        err(&o)
    );
}

#[test]
fn no_default_rules_judges_by_the_added_rules_alone() {
    let dir = firm("alone");
    let declared = format!(
        "resolution \"S/RES/1718 (2006)\" adopted 2006-10-14\nregime DPRK {{ list \"DPRK\" }}\n\n{FIRM_RULE}"
    );
    std::fs::write(dir.join("firm/policy.rules"), declared).unwrap();
    let o = screen_by_the_firms_rules_alone(&dir);
    assert_eq!(code(&o), 1, "{}", err(&o));
    let fired = fired(&o);
    assert_eq!(fired[0].1, ["firm.dprk.payments"], "{fired:?}");
    assert!(fired[1].1.is_empty(), "no UN rule: {fired:?}");

    let o = embargo_in(&dir, &["screen", "--no-default-rules", "records.jsonl"]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o)
            .contains("--no-default-rules leaves no rule to judge by: give the rules with --rules"),
        "{}",
        err(&o)
    );
}

#[test]
fn a_rule_id_of_the_embedded_pack_is_a_clear_error_naming_both_files() {
    let dir = firm("collision");
    std::fs::write(
        dir.join("firm/policy.rules"),
        FIRM_RULE.replace("firm.dprk.payments", "un.dprk.arms.from_dprk"),
    )
    .unwrap();
    let o = embargo_in(
        &dir,
        &["version", "--no-config", "--no-lists", "--rules", "firm"],
    );
    assert_eq!(code(&o), 2);
    let e = err(&o);
    assert!(e.contains("firm/policy.rules:1:"), "{e}");
    assert!(e.contains("error[E206]"), "{e}");
    // Only what the reader must fix: not the embedded pack's own warnings
    assert!(
        !e.contains("<embedded>/car.rules") && !e.contains("warning"),
        "{e}"
    );
    assert!(
        e.contains(
            "--rules adds to the embedded pack, which already defines `un.dprk.arms.from_dprk` \
(<embedded>/dprk.rules): rename yours, or give --no-default-rules to judge by your rules alone"
        ),
        "{e}"
    );
}

#[test]
fn embargo_toml_is_found_upward_and_the_command_line_wins() {
    let dir = firm("upward");
    std::fs::write(
        dir.join("embargo.toml"),
        "# our settings\nrules = [\"firm\"]\nno_lists = true\n",
    )
    .unwrap();
    let records = dir.join("records.jsonl");
    let records = records.to_str().unwrap();
    let deeper = dir.join("work/deeper");

    let o = embargo_in(&deeper, &["screen", records]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(
        fired(&o)[0].1.contains(&"firm.dprk.payments".to_string()),
        "{}",
        out(&o)
    );
    // Nothing on the command line named it: stderr says which file was read
    let settings = dir.join("embargo.toml");
    assert!(
        err(&o).contains(&format!(
            "embargo: settings from {} (--no-config to read none)",
            settings.display()
        )),
        "{}",
        err(&o)
    );

    // --no-config reads none; --rules on the command line replaces the file's
    let o = embargo_in(&deeper, &["screen", "--no-config", "--no-lists", records]);
    assert!(
        !out(&o).contains("firm.dprk.payments") && err(&o).is_empty(),
        "{}",
        err(&o)
    );
    let empty = dir.join("work/none");
    std::fs::create_dir_all(&empty).unwrap();
    let o = embargo_in(&deeper, &["screen", "--rules", "../none", records]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("no .rules file found under ../none"),
        "{}",
        err(&o)
    );

    // --config names the file; paths in it are relative to it, not to the current folder
    let elsewhere = scratch("upward-elsewhere");
    let o = embargo_in(
        &elsewhere,
        &[
            "version",
            "--format",
            "json",
            "--config",
            settings.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let plain = embargo_in(&elsewhere, &["version", "--format", "json", "--no-lists"]);
    assert_ne!(
        out(&o),
        out(&plain),
        "the firm's rules change the pack hash"
    );
}

#[test]
fn a_bad_settings_file_stops_the_run_naming_the_key() {
    let dir = firm("bad");
    let settings = dir.join("embargo.toml");
    for (text, says) in [
        (
            "rule = [\"firm\"]\n",
            "unknown field `rule`, expected one of",
        ),
        ("min_scores = [\"0.5\"]\n", "min_scores: `0.5`"),
        ("list_verdicts = [\"un\"]\n", "list_verdicts: `un`"),
        ("threads = 0\n", "threads = 0: from 1 to 256"),
        (
            "lists = [\"a.xml\"]\nno_lists = true\n",
            "no_lists and lists are both given",
        ),
        ("rules = \"firm\"\n", "invalid type"),
    ] {
        std::fs::write(&settings, text).unwrap();
        let o = embargo_in(&dir, &["screen", "records.jsonl"]);
        assert_eq!(code(&o), 2, "{text}");
        assert!(err(&o).contains(says), "{text}: {}", err(&o));
        assert_eq!(out(&o), "", "nothing judged with a bad settings file");
    }
    let o = embargo_in(
        &dir,
        &["screen", "--config", "missing.toml", "records.jsonl"],
    );
    assert!(
        err(&o).contains("--config missing.toml: no such file"),
        "{}",
        err(&o)
    );
}

#[test]
fn the_settings_file_gives_thresholds_list_verdicts_and_suppressions() {
    let dir = firm("decisions");
    let settings = dir.join("embargo.toml");
    // Each key is read: one naming a list not loaded stops the run as its option would
    for (key, says) in [
        (
            "min_scores = [\"nosuch.xml=0.9\"]",
            "--min-score nosuch.xml=0.9: no list of that name is screened against",
        ),
        (
            "list_verdicts = [\"nosuch.xml=prohibited\"]",
            "--list-verdict nosuch.xml: no list of that name is screened against",
        ),
        ("suppressions = \"cleared.yaml\"", "cleared.yaml"),
    ] {
        std::fs::write(&settings, format!("no_lists = true\nthreads = 1\n{key}\n")).unwrap();
        let o = embargo_in(&dir, &["screen", "records.jsonl"]);
        assert_eq!(code(&o), 2, "{key}");
        assert!(err(&o).contains(says), "{key}: {}", err(&o));
        assert_eq!(out(&o), "", "{key}: nothing judged");
    }
    // The suppression file there, the run goes on
    std::fs::write(dir.join("cleared.yaml"), "").unwrap();
    let o = embargo_in(&dir, &["screen", "records.jsonl"]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert_eq!(json_lines(&out(&o)).len(), 2);
}
