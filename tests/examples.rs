//! Every example a user is shown runs: the `Examples:` of every command's `--help`, and every
//! command line in the fenced blocks of `README.md` and `docs/*.md`, each run by `sh` in a
//! sandbox folder holding files of the names the examples use. An example that cannot run here
//! (it downloads, or serves until stopped) is named below with the test that runs it instead;
//! a path outside the sandbox is replaced by one inside it. And the counts the README gives are
//! the code's.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::markdown::{Piece, pieces};

/// Examples that cannot run in a test, by how they start, each with where it is tested instead
const NOT_RUN: &[(&str, &str)] = &[
    (
        "embargo lists update",
        "downloads from the network; tests/lists_update.rs runs it against a loopback server",
    ),
    (
        "embargo serve",
        "serves until stopped, on a fixed port; tests/serve.rs starts it with the same options on a free loopback port",
    ),
    (
        "curl ",
        "asks a running server; tests/serve.rs asks its own",
    ),
    (
        "embargo lsp",
        "speaks JSON-RPC with an editor on stdin and stdout; tests/lsp.rs speaks to it as an editor does",
    ),
    (
        "code --install-extension",
        "needs VS Code; tests/editors.rs packages the extension with npm",
    ),
];

/// Paths outside the sandbox (or a pager) in examples, and what they become in it
const REPLACED: &[(&str, &str)] = &[
    ("/etc/bash_completion.d/embargo", "completions/embargo.bash"),
    ("\"${fpath[1]}/_embargo\"", "completions/_embargo"),
    ("/var/cache/embargo", "cache"),
    ("man ./embargo.1", "test -s ./embargo.1"),
];

/// Examples that show a failure, and what they say on stderr
const FAILING: &[(&str, &str)] = &[
    (
        "embargo screen transactions.jsonl",
        "but it starts with a CSV header",
    ),
    (
        "embargo screen tests/tabular/header-unknown.csv",
        "unknown column",
    ),
    (
        "embargo screen --rules firm/ records.jsonl",
        "--rules adds to the embedded pack, which already defines `un.dprk.arms.from_dprk`",
    ),
];

/// The crate's folder
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` to `to`, recursively
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh sandbox holding files of the names the examples use: the pack, the bundled
/// examples, the docs that `coverage` reads and writes, the test fixtures (`tests/`), records,
/// lists, rule files, a column map, a suppression file, a list cache and a home folder
fn sandbox(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for folder in ["rules", "examples", "docs/not-encoded", "tests"] {
        copy_dir(&root().join(folder), &dir.join(folder));
    }
    for file in ["docs/coverage.md", "docs/regimes.yaml"] {
        std::fs::copy(root().join(file), dir.join(file)).unwrap();
    }
    let copies = [
        ("examples/news-2022.jsonl", "records.jsonl"),
        ("tests/screening/list.xml", "consolidated.xml"),
        ("tests/screening/list.xml", "consolidated-2026-05-08.xml"),
        (
            "tests/lists/snap-2026-01-10.xml",
            "consolidated-2026-02-27.xml",
        ),
        ("tests/screening/vessels.csv", "vessels.csv"),
        ("tests/lists/sdn.csv", "sdn.csv"),
        ("tests/lists/alt.csv", "alt.csv"),
        ("tests/lists/add.csv", "add.csv"),
        ("tests/lists/sdn.csv", "old/sdn.csv"),
        ("tests/lists/sdn.csv", "new/sdn.csv"),
        ("tests/tabular/quoted.csv", "transactions.csv"),
        ("tests/tabular/quoted.csv", "transactions.txt"),
        ("tests/tabular/quoted.csv", "transactions.jsonl"),
        ("tests/tabular/firm-columns.yaml", "our-export.yaml"),
        ("tests/tabular/firm.xlsx", "export-2024-06.xlsx"),
        ("tests/suppress/suppressions.yaml", "suppressions.yaml"),
        ("rules/dprk.rules", "my.rules"),
    ];
    for (from, to) in copies {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root().join(from), &to).unwrap_or_else(|e| panic!("{from}: {e}"));
    }
    let record = "id: tx-1\ndate: 2022-09-05\nactivity: trade\norigin: KP\ndestination: RU\n\
goods:\n  - hs: \"9306.90\"\n    categories: [arms]\n";
    std::fs::write(dir.join("records.yaml"), record).unwrap();
    std::fs::write(dir.join("record.yaml"), record).unwrap();
    std::fs::write(
        dir.join("pairs.csv"),
        "name1,name2,schema\nVladimir Putin,Путин Владимир,\nAcme Trading GmbH,ACME TRADING,company\n",
    )
    .unwrap();
    // A firm's rule beside the pack (my-rules/), and one whose id is the pack's (firm/)
    let firm_rule = "rule firm.dprk.payments {\n  title \"Every payment to the DPRK is reviewed\"\n  \
regime DPRK\n  cites \"S/RES/1718 (2006)\" 8(d)\n  in force from 2006-10-14\n  \
when activity == payment and destination within KP\n  then review \"a payment to the DPRK\"\n}\n";
    std::fs::create_dir_all(dir.join("my-rules")).unwrap();
    std::fs::write(dir.join("my-rules/policy.rules"), firm_rule).unwrap();
    std::fs::create_dir_all(dir.join("firm")).unwrap();
    std::fs::write(
        dir.join("firm/policy.rules"),
        firm_rule.replace("firm.dprk.payments", "un.dprk.arms.from_dprk"),
    )
    .unwrap();
    copy_dir(&root().join("tests/lists/cache/good"), &dir.join("cache"));
    for folder in ["completions", "home/.config/fish/completions"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    dir
}

/// Runs `line` with `sh` in `dir`, `embargo` the binary under test; its exit status and
/// stderr. No embargo.toml is above the sandbox, and the list cache is the sandbox's.
fn run(dir: &Path, line: &str) -> (i32, String) {
    let binary = Path::new(env!("CARGO_BIN_EXE_embargo"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut line = line.to_string();
    for (from, to) in REPLACED {
        line = line.replace(from, to);
    }
    let output = Command::new("sh")
        .arg("-c")
        .arg(&line)
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir.join("home"))
        .env("EMBARGO_CACHE_DIR", dir.join("cache"))
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs each example, in order, in one sandbox; the problems found, each naming where the
/// example is shown. `used` collects the entries of the tables above that served.
fn run_all(
    name: &str,
    examples: &[(String, String)],
    used: &mut BTreeSet<&'static str>,
) -> Vec<String> {
    let dir = sandbox(name);
    let mut problems = Vec::new();
    for (place, line) in examples {
        if let Some((start, _)) = NOT_RUN.iter().find(|(start, _)| line.starts_with(start)) {
            used.insert(start);
            continue;
        }
        for (from, _) in REPLACED {
            if line.contains(from) {
                used.insert(from);
            }
        }
        let (status, stderr) = run(&dir, line);
        let failing = FAILING.iter().find(|(start, _)| line.starts_with(start));
        match failing {
            Some((start, says)) => {
                used.insert(start);
                if status != 2 || !stderr.contains(says) {
                    problems.push(format!(
                        "{place}: `{line}` should fail (exit 2) saying `{says}`: exit {status}, stderr:\n{stderr}"
                    ));
                }
            }
            None if status != 0 && status != 1 => {
                problems.push(format!("{place}: `{line}` exited {status}:\n{stderr}"))
            }
            None => {}
        }
    }
    problems
}

/// The commands of `embargo` (`["screen"]`, `["lists", "show"]`, ...), from the `Commands:` of
/// each `--help`
fn commands(path: &[String]) -> Vec<Vec<String>> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let help = crate::common::out(&crate::common::embargo(&args, None));
    let mut found = vec![path.to_vec()];
    let Some((_, listed)) = help.split_once("Commands:\n") else {
        return found;
    };
    for line in listed.lines().take_while(|l| l.starts_with("  ")) {
        let name = line.split_whitespace().next().unwrap_or("");
        if !name.is_empty() && name != "help" {
            let mut sub = path.to_vec();
            sub.push(name.to_string());
            found.extend(commands(&sub));
        }
    }
    found
}

/// The `Examples:` lines of a help text, a line ending in `\` joined with the next
fn help_examples(help: &str) -> Vec<String> {
    let Some((_, after)) = help.split_once("\nExamples:\n") else {
        return Vec::new();
    };
    join_continued(after.lines().take_while(|l| l.starts_with("  ")))
}

/// Lines ending in `\` joined with the lines after them, each trimmed
fn join_continued<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in lines {
        let line = line.trim();
        match line.strip_suffix('\\') {
            Some(start) => {
                pending.push_str(start.trim_end());
                pending.push(' ');
            }
            None => {
                pending.push_str(line);
                out.push(std::mem::take(&mut pending));
            }
        }
    }
    out
}

/// The command lines of a document's fenced blocks: in a block that shows a prompt (`$ `),
/// the lines after it; in one that does not, the lines that start with `embargo `
fn doc_examples(doc: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join(doc)).unwrap();
    let mut out = Vec::new();
    for piece in pieces(doc, &text).unwrap() {
        let Piece::Fence(fence) = piece else { continue };
        if !matches!(fence.info.as_str(), "sh" | "text" | "console" | "bash" | "") {
            continue;
        }
        let prompted = fence.text.lines().any(|l| l.starts_with("$ "));
        let lines: Vec<(usize, &str)> = fence
            .text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| match prompted {
                true => l.strip_prefix("$ ").map(|l| (i, l)),
                false => Some((i, l)),
            })
            .collect();
        // A command continued over several lines keeps its first line's number
        let mut first = None;
        let mut pending = String::new();
        for (i, line) in fence.text.lines().enumerate() {
            let command = lines.iter().find(|(j, _)| *j == i).map(|(_, l)| *l);
            let line = match (command, pending.is_empty()) {
                (Some(l), _) => l,
                (None, false) => line,
                (None, true) => continue,
            };
            first.get_or_insert(i);
            match line.trim_end().strip_suffix('\\') {
                Some(start) => {
                    pending.push_str(start.trim_end());
                    pending.push(' ');
                }
                None => {
                    pending.push_str(line.trim_end());
                    let command = std::mem::take(&mut pending);
                    let at = first.take().unwrap_or(i);
                    if command.starts_with("embargo ") || command.starts_with("curl ") {
                        out.push((format!("{doc}:{}", fence.doc_line(at + 1)), command));
                    }
                }
            }
        }
    }
    out
}

/// The Markdown documents whose examples run: the README and every `docs/*.md` but the
/// generated reference (its examples are the help's, run below)
fn documents() -> Vec<String> {
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "cli-reference.md")
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    docs.insert(0, "README.md".to_string());
    docs
}

#[test]
fn every_example_in_help_and_the_docs_runs() {
    let mut examples = Vec::new();
    for command in commands(&[]) {
        let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
        args.push("--help");
        let help = crate::common::out(&crate::common::embargo(&args, None));
        let place = format!("embargo {} --help", command.join(" "));
        examples.extend(help_examples(&help).into_iter().map(|l| (place.clone(), l)));
    }
    let from_help = examples.len();
    for doc in documents() {
        examples.extend(doc_examples(&doc));
    }
    // Enough to mean something: every command has examples, and the docs show many
    assert!(from_help > 50, "{from_help} examples in --help");
    assert!(
        examples.len() - from_help > 30,
        "{} in the docs",
        examples.len() - from_help
    );

    let mut used = BTreeSet::new();
    let problems = run_all("examples-sandbox", &examples, &mut used);
    assert!(
        problems.is_empty(),
        "{} of {} examples did not run as shown:\n\n{}",
        problems.len(),
        examples.len(),
        problems.join("\n\n")
    );
    // No entry of the tables above is left over from an example that is gone
    let entries = NOT_RUN
        .iter()
        .map(|(s, _)| *s)
        .chain(REPLACED.iter().map(|(s, _)| *s))
        .chain(FAILING.iter().map(|(s, _)| *s));
    let unused: Vec<&str> = entries.filter(|e| !used.contains(e)).collect();
    assert!(unused.is_empty(), "no example uses {unused:?}: remove them");
}

#[test]
fn the_example_runner_sees_a_failing_example() {
    // The runner itself can fail: a command that does not run is reported with its place
    let mut used = BTreeSet::new();
    let problems = run_all(
        "examples-sandbox-failing",
        &[
            (
                "here:1".to_string(),
                "embargo screen no-such-file.jsonl".to_string(),
            ),
            (
                "here:2".to_string(),
                "embargo screen records.jsonl".to_string(),
            ),
        ],
        &mut used,
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("here:1: `embargo screen no-such-file.jsonl` exited 2"));
}

#[test]
fn continued_lines_are_one_command() {
    assert_eq!(
        join_continued(["  embargo lists suppress --file s.yaml \\", "    --by A"].into_iter()),
        ["embargo lists suppress --file s.yaml --by A"]
    );
}

/// The `#[ignore = ...]` attributes of the test code under `dir`: those needing ../shared, and
/// the others
fn ignored_tests(dir: &Path) -> (usize, usize) {
    let (mut shared, mut other) = (0, 0);
    for file in crate::common::rust_files(dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        // Attributes only (`#[cfg_attr(...)]` over several lines too), not their mentions in
        // comments
        for line in text.lines().map(str::trim).filter(|l| !l.starts_with("//")) {
            shared += usize::from(line.contains("ignore = \"needs ../shared"));
            other += usize::from(line.starts_with("#[ignore = \""));
        }
    }
    (shared, other)
}

#[test]
fn the_readme_counts_are_the_codes() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let (mut shared, mut other) = ignored_tests(&root().join("tests"));
    let (s, o) = ignored_tests(&root().join("src"));
    shared += s;
    other += o;
    let said = format!("without it those {shared} show as ignored, beside {other} that always do");
    assert!(readme.contains(&said), "README.md should say `{said}`");

    let regimes = std::fs::read_to_string(root().join("docs/regimes.yaml")).unwrap();
    let council =
        embargo::internals::coverage::parse_regimes("docs/regimes.yaml", &regimes).unwrap();
    let said = format!(
        "the Security Council's {} sanctions regimes since 1966",
        council.len()
    );
    assert!(readme.contains(&said), "README.md should say `{said}`");
}
