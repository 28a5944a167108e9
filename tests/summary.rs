//! What `screen` says about a run and how (issue 16, item 3): `--summary FILE`, the summary line
//! and the progress bar on a terminal (a pseudo-terminal made by `script`), and colour by
//! `--color`, `NO_COLOR` and `CLICOLOR_FORCE`.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

use crate::common::{code, embargo, embargo_env, err, json_lines, out};

const NEWS: &str = "examples/news-2022.jsonl";
const BROKEN: &str = "examples/broken.jsonl";

/// A fresh path under the target's temporary folder
fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("summary");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn the_summary_file_counts_what_the_verdicts_say() {
    for input in [NEWS, BROKEN] {
        let path = temp(&format!("{}.json", input.replace('/', "_")));
        let o = embargo(
            &["screen", "--summary", path.to_str().unwrap(), input],
            None,
        );
        assert!(code(&o) <= 1, "{}", err(&o));
        let verdicts = json_lines(&out(&o));
        let summary: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();

        // Counted again from the verdicts written
        let mut by_verdict: BTreeMap<String, u64> = [
            "prohibited",
            "authorization_required",
            "review",
            "notify",
            "clear",
            "invalid",
        ]
        .iter()
        .map(|v| (v.to_string(), 0))
        .collect();
        let mut by_regime: BTreeMap<String, u64> = BTreeMap::new();
        for v in &verdicts {
            *by_verdict.get_mut(v["verdict"].as_str().unwrap()).unwrap() += 1;
            let mut regimes: Vec<&str> = v["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| f["regime"].as_str().unwrap())
                .collect();
            regimes.sort_unstable();
            regimes.dedup();
            for r in regimes {
                *by_regime.entry(r.to_string()).or_insert(0) += 1;
            }
        }
        assert_eq!(summary["records"], verdicts.len(), "{input}: {summary}");
        assert_eq!(
            summary["by_verdict"],
            serde_json::to_value(&by_verdict).unwrap(),
            "{input}"
        );
        assert_eq!(
            summary["by_regime"],
            serde_json::to_value(&by_regime).unwrap(),
            "{input}"
        );
        assert!(summary["seconds"].as_f64().unwrap() >= 0.0, "{summary}");
        // The provenance of `screen --provenance`
        let stamped = embargo(&["screen", "--provenance", input], None);
        assert_eq!(
            summary["provenance"],
            json_lines(&out(&stamped))[0]["provenance"]
        );
    }
    // The broken file holds invalid records; the news story flagged ones: both counted
    let broken: Value =
        serde_json::from_str(&std::fs::read_to_string(temp_named(BROKEN)).unwrap()).unwrap();
    assert!(
        broken["by_verdict"]["invalid"].as_u64().unwrap() > 0,
        "{broken}"
    );
    let news: Value =
        serde_json::from_str(&std::fs::read_to_string(temp_named(NEWS)).unwrap()).unwrap();
    assert!(
        news["by_verdict"]["prohibited"].as_u64().unwrap() > 0,
        "{news}"
    );
    assert!(news["by_regime"]["DPRK"].as_u64().unwrap() > 0, "{news}");
}

/// The summary file of `input` written by the test above
fn temp_named(input: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("summary")
        .join(format!("{}.json", input.replace('/', "_")))
}

#[test]
fn a_summary_that_cannot_be_written_fails_the_run() {
    let o = embargo(&["screen", "--summary", "/dev/full", NEWS], None);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("cannot write to /dev/full"), "{}", err(&o));
}

#[test]
fn off_a_terminal_there_is_no_summary_line_no_bar_and_no_colour() {
    let o = embargo(&["screen", "--format", "table", NEWS], None);
    assert!(!out(&o).contains('\u{1b}'), "{}", out(&o));
    assert!(!err(&o).contains("screened"), "{}", err(&o));
    assert!(!err(&o).contains('\u{1b}'), "{}", err(&o));
}

/// Whether the table of the news story is coloured with `args` and `env`
fn coloured(args: &[&str], env: &[(&str, &str)]) -> bool {
    let mut all = vec!["screen", "--format", "table"];
    all.extend(args);
    all.push(NEWS);
    let o = embargo_env(&all, None, env);
    assert!(code(&o) <= 1, "{}", err(&o));
    let table = out(&o);
    let red = table.contains("\u{1b}[1m\u{1b}[31mprohibited\u{1b}[0m");
    // Coloured or not, the same text
    let plain = out(&embargo(&["screen", "--format", "table", NEWS], None));
    assert_eq!(strip_ansi(&table), plain);
    red
}

/// `text` without its ANSI colour sequences
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn colour_follows_the_flag_then_the_environment() {
    assert!(!coloured(&[], &[]), "not a terminal: no colour");
    assert!(coloured(&["--color", "always"], &[]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(
        &[],
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]
    ));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    let o = embargo(&["screen", "--color", "sometimes", NEWS], None);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("possible values: auto, always, never"),
        "{}",
        err(&o)
    );
}

/// Runs `embargo ARGS` on a pseudo-terminal (util-linux `script`), stdout to /dev/null, and
/// returns what the terminal showed (stderr); `None` where `script` is missing
fn on_a_terminal(args: &str, env: &[(&str, &str)]) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_embargo");
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &format!("{bin} {args} > /dev/null"), "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env(
            "EMBARGO_CACHE_DIR",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-list-cache"),
        )
        .env("TERM", "xterm-256color");
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        cmd.env_remove(name);
    }
    cmd.envs(env.iter().copied());
    let output = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn on_a_terminal_a_summary_line_ends_the_run() {
    let Some(shown) = on_a_terminal(&format!("screen {NEWS}"), &[]) else {
        panic!("util-linux `script` is needed for this test (Debian: bsdutils)");
    };
    let verdicts = json_lines(&out(&embargo(&["screen", NEWS], None)));
    let count = |v: &str| verdicts.iter().filter(|x| x["verdict"] == v).count();
    let line = shown
        .lines()
        .map(|l| l.rsplit('\r').next().unwrap_or(l))
        .map(|l| l.trim_start_matches("\u{1b}[2K"))
        .find(|l| l.starts_with("embargo: screened "))
        .unwrap_or_else(|| panic!("no summary line in {shown:?}"));
    let plain = strip_ansi(line);
    assert!(
        plain.starts_with(&format!("embargo: screened {} records in ", verdicts.len())),
        "{plain}"
    );
    assert!(plain.contains(" records/s): "), "{plain}");
    assert!(
        plain.contains(&format!("{} prohibited", count("prohibited"))),
        "{plain}"
    );
    assert!(
        plain.contains(&format!("{} clear", count("clear"))),
        "{plain}"
    );
    // A terminal gets colour; NO_COLOR takes it away
    assert!(line.contains("\u{1b}[31mprohibited"), "{line:?}");
    let shown = on_a_terminal(&format!("screen {NEWS}"), &[("NO_COLOR", "1")]).unwrap();
    assert!(!shown.contains("\u{1b}[31m"), "{shown:?}");
}

#[test]
fn on_a_terminal_a_file_gets_a_progress_bar_cleared_at_the_end() {
    // Large enough to be drawn: the bar is redrawn at most 20 times a second
    let path = temp("many.jsonl");
    let record = std::fs::read_to_string(NEWS).unwrap();
    std::fs::write(&path, record.repeat(3000)).unwrap();
    let shown = on_a_terminal(&format!("screen {}", path.display()), &[]).unwrap();
    assert!(shown.contains("screening"), "no bar in {shown:?}");
    assert!(shown.contains("KiB") || shown.contains("MiB"), "{shown:?}");
    // Cleared: the last thing on the screen is the summary line
    let last = shown.trim_end().rsplit(['\r', '\n']).next().unwrap_or("");
    assert!(
        strip_ansi(last.trim_start_matches("\u{1b}[2K"))
            .starts_with("embargo: screened 30,000 records"),
        "{last:?}"
    );
    // From stdin: no length to measure against, no bar
    let shown = on_a_terminal(&format!("screen - < {}", path.display()), &[]).unwrap();
    assert!(!shown.contains("screening"), "{shown:?}");
}
