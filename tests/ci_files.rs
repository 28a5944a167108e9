//! The CI files users copy (`docs/ci/`): the GitHub workflow installs embargo pinned and caches
//! it, runs the three commands, and each `embargo` command it runs works on this repository's
//! own pack. The workflow is parsed and its steps checked here; actionlint could not be
//! installed on the machines this runs on (its PyPI and npm wrappers download the binary from
//! GitHub, which they cannot reach).

use serde_yaml::Value;

use crate::common::{code, embargo, err, out};

const WORKFLOW: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci/github-workflow.yml");

/// The workflow's steps
fn steps() -> (Value, Vec<Value>) {
    let text = std::fs::read_to_string(WORKFLOW).unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    let steps = doc["jobs"]["rules"]["steps"].as_sequence().unwrap().clone();
    (doc, steps)
}

/// The `run` line of each step that has one
fn runs(steps: &[Value]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn the_workflow_installs_embargo_pinned_caches_it_and_runs_the_three_commands() {
    let (doc, steps) = steps();
    // Pinned, with the placeholder explained where it stands
    let env = &doc["env"];
    assert!(env["EMBARGO_GIT"].as_str().is_some(), "{env:?}");
    let rev = env["EMBARGO_REV"].as_str().unwrap();
    assert_eq!(rev.len(), 40, "a full commit id: {rev}");
    let text = std::fs::read_to_string(WORKFLOW).unwrap();
    assert!(
        text.contains("replace\n  # EMBARGO_GIT with"),
        "the placeholder is explained"
    );
    let runs = runs(&steps);
    let install = runs
        .iter()
        .find(|r| r.starts_with("cargo install"))
        .expect("an install step");
    for part in [
        "--locked",
        "--git \"$EMBARGO_GIT\"",
        "--rev \"$EMBARGO_REV\"",
    ] {
        assert!(install.contains(part), "{install}");
    }
    // The binary is cached, keyed on the pin, and only built when the cache misses
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    let key = cache["with"]["key"].as_str().unwrap();
    assert!(
        key.contains("env.EMBARGO_REV") && key.contains("env.EMBARGO_GIT"),
        "{key}"
    );
    let id = cache["id"].as_str().unwrap();
    let skipped_on_hit = steps
        .iter()
        .filter(|s| {
            s["if"]
                .as_str()
                .is_some_and(|c| c.contains(&format!("steps.{id}.outputs.cache-hit")))
        })
        .count();
    assert_eq!(
        skipped_on_hit, 2,
        "the toolchain and the build run only on a miss"
    );
    // The three commands
    for command in [
        "embargo check --deny warnings",
        "embargo test",
        "embargo fmt --check",
    ] {
        assert!(
            runs.iter().any(|r| r.starts_with(command)),
            "{command} in {runs:?}"
        );
    }
}

#[test]
fn each_embargo_command_of_the_workflow_runs_on_the_shipped_pack() {
    let (_, steps) = steps();
    let commands: Vec<String> = runs(&steps)
        .into_iter()
        .filter(|r| r.starts_with("embargo "))
        .collect();
    assert_eq!(commands.len(), 4, "{commands:?}");
    for command in commands {
        // The words of the command, up to a redirection or `||`
        let words: Vec<&str> = command
            .split_whitespace()
            .skip(1)
            .take_while(|w| !w.starts_with('>') && *w != "||")
            .collect();
        let o = embargo(&words, None);
        if words.first() == Some(&"check") {
            // The shipped pack carries warnings on purpose (citations still to confirm,
            // W308): `check --deny warnings` fails on them (exit 1), plain `check` does not,
            // and there is nothing worse.
            let expected = i32::from(words.contains(&"--deny"));
            assert_eq!(code(&o), expected, "`{command}`: {}{}", out(&o), err(&o));
            if words.contains(&"sarif") {
                let log: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
                assert_eq!(log["version"], "2.1.0");
                let results = log["runs"][0]["results"].as_array().unwrap();
                assert!(results.iter().all(|r| r["level"] == "warning"), "{log}");
            } else {
                assert!(
                    out(&o).lines().all(|l| l.starts_with("::warning ")),
                    "{}",
                    out(&o)
                );
            }
        } else {
            assert_eq!(code(&o), 0, "`{command}` failed: {}{}", out(&o), err(&o));
        }
    }
}
