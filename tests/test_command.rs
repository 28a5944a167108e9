//! `embargo test`: JUnit XML (`--junit`), the coverage section and `--require-coverage`.

use crate::common;

use std::path::PathBuf;

use common::{code, embargo, err, out};
use quick_xml::events::Event;

/// An element of a JUnit report: its name and attributes (values unescaped)
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Element {
    fn attr(&self, key: &str) -> &str {
        &self
            .attrs
            .iter()
            .find(|(k, _)| k == key)
            .unwrap_or_else(|| panic!("<{}> has no {key}", self.name))
            .1
    }
}

/// Reads `xml` with quick-xml, which fails on a malformed document (end tags that do not
/// match, unknown entities, bad attributes), and returns its elements in order
fn elements(xml: &str) -> Vec<Element> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xml}"));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            a.key.into_inner().to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push(Element {
                    name: e.name().into_inner().to_string(),
                    attrs,
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Runs `embargo test --junit FILE args...` and returns the exit code, stdout and the XML
fn junit(args: &[&str]) -> (i32, String, String) {
    let path: PathBuf = std::env::temp_dir().join(format!(
        "embargo-junit-{}-{}.xml",
        std::process::id(),
        args.join("_").replace(['/', '.'], "-")
    ));
    let mut all = vec!["test", "--junit", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = embargo(&all, None);
    let xml = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("no JUnit file: {e}\n{}", err(&output)));
    std::fs::remove_file(&path).unwrap();
    (code(&output), out(&output), xml)
}

#[test]
fn junit_for_the_shipped_pack_is_well_formed_and_counts_no_failure() {
    let (exit, stdout, xml) = junit(&["rules"]);
    assert_eq!(exit, 0, "{stdout}");
    let elements = elements(&xml);
    let root = &elements[0];
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attr("failures"), "0");
    // Real times: each case's, summed into its suite's, summed into the run's
    let seconds = |e: &Element| e.attr("time").parse::<f64>().unwrap();
    let total = seconds(root);
    assert!(total > 0.0, "{}", root.attr("time"));
    let rule_files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "rules")
        })
        .count();
    let suites: Vec<&Element> = elements.iter().filter(|e| e.name == "testsuite").collect();
    assert_eq!(suites.len(), rule_files, "one testsuite per rule file");
    let cases: Vec<&Element> = elements.iter().filter(|e| e.name == "testcase").collect();
    assert_eq!(root.attr("tests"), cases.len().to_string());
    assert!(cases.len() >= 50);
    // As many cases as the run itself counted (`N tests in M files: N passed, 0 failed`): a
    // test dropped from the XML, or a file's suite lost, passed the checks above.
    let summary = stdout.lines().next().unwrap_or_default();
    assert_eq!(
        summary,
        format!(
            "{n} tests in {rule_files} files: {n} passed, 0 failed",
            n = cases.len()
        ),
        "{stdout}"
    );
    let in_suites: usize = suites
        .iter()
        .map(|s| s.attr("tests").parse::<usize>().unwrap())
        .sum();
    let suite_times: f64 = suites.iter().map(|s| seconds(s)).sum();
    assert!(
        (suite_times - total).abs() < 0.001 * suites.len() as f64,
        "{suite_times} {total}"
    );
    assert!(cases.iter().all(|c| seconds(c) >= 0.0));
    assert_eq!(in_suites, cases.len());
    assert!(suites.iter().all(|s| s.attr("failures") == "0"));
    assert!(elements.iter().all(|e| e.name != "failure"));
    for case in &cases {
        assert!(
            case.attr("classname").starts_with("rules/"),
            "{}",
            case.attr("classname")
        );
        // `<test name> on <date>`
        let name = case.attr("name");
        let date = name.rsplit(" on ").next().unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "{name}"
        );
    }
    let last = stdout.lines().last().unwrap();
    assert!(last.ends_with("passed, 0 failed"), "{last}");
}

#[test]
fn a_failing_expectation_gives_a_failure_with_both_verdicts() {
    let (exit, _, xml) = junit(&["rules", "tests/engine/failing_test.rules.txt"]);
    assert_eq!(exit, 1);
    let elements = elements(&xml);
    assert_eq!(elements[0].attr("failures"), "1");
    let at = elements
        .iter()
        .position(|e| e.name == "failure")
        .expect("a <failure>");
    let case = &elements[at - 1];
    assert_eq!(case.name, "testcase");
    assert_eq!(
        case.attr("name"),
        "shells from the DPRK are not clear on 2022-09-05"
    );
    assert_eq!(
        case.attr("classname"),
        "tests/engine/failing_test.rules.txt"
    );
    assert_eq!(
        elements[at].attr("message"),
        "expected clear, got prohibited by [un.dprk.arms.from_dprk]"
    );
    let suite = elements[..at]
        .iter()
        .rev()
        .find(|e| e.name == "testsuite")
        .unwrap();
    assert_eq!(suite.attr("name"), "tests/engine/failing_test.rules.txt");
    assert_eq!(suite.attr("tests"), "1");
    assert_eq!(suite.attr("failures"), "1");
}

#[test]
fn every_rule_and_exception_of_the_shipped_pack_is_exercised() {
    let output = embargo(&["test", "--require-coverage", "rules"], None);
    assert_eq!(code(&output), 0, "{}{}", out(&output), err(&output));
    let text = out(&output);
    let line = text
        .lines()
        .find(|l| l.starts_with("coverage: "))
        .unwrap_or_else(|| panic!("no coverage section: {text}"));
    // `coverage: N of N rules ..., M of M exceptions ...`: nothing is listed after it.
    let numbers: Vec<&str> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(numbers.len(), 4, "{line}");
    assert_eq!(numbers[0], numbers[1], "{line}");
    assert_eq!(numbers[2], numbers[3], "{line}");
    assert!(!text.contains("never"), "{text}");
}

#[test]
fn require_coverage_fails_on_an_untested_exception_and_names_it() {
    let fixture = "tests/engine/untested_exception.rules.txt";
    let output = embargo(&["test", fixture], None);
    assert_eq!(
        code(&output),
        0,
        "without the flag, coverage is only reported"
    );
    // The report whole: the count of tests, the coverage line (rules and exceptions), the one
    // exception never lifted, and the result.
    let report = "\
1 tests in 1 files: 1 passed, 0 failed

coverage: 1 of 1 rules fired in a passing expectation, 0 of 1 exceptions lifted a finding
  exception never lifted a finding: t.coal.livelihood
1 passed, 0 failed
";
    assert_eq!(out(&output), report);
    assert_eq!(err(&output), "");

    let output = embargo(&["test", "--require-coverage", fixture], None);
    assert_eq!(code(&output), 1, "{}{}", out(&output), err(&output));
    assert_eq!(out(&output), report);
    assert_eq!(
        err(&output),
        "embargo: --require-coverage: not exercised by any test: exception t.coal.livelihood\n"
    );
}

/// Each expectation is timed by the clock given, from just before its record is judged to just
/// after; without a clock every time is zero (the library never reads the clock itself)
#[test]
fn each_expectation_is_timed_by_the_clock_given() {
    use embargo::internals::testing::{run_tests, run_tests_timed};
    use std::time::{Duration, Instant};
    let program = common::program(
        "t.rules",
        r#"resolution "S/RES/1718 (2006)" adopted 2006-10-14
regime T { list "T" }
rule t.a {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when destination within KP
  then prohibited "to KP"
}
test "to KP" {
  record {date: 2020-01-01, activity: trade, destination: KP}
  expect prohibited by t.a
  on 2006-10-13 expect clear
}
"#,
    );
    let base = Instant::now();
    let ticks = std::cell::Cell::new(0u64);
    // Each reading 5 ms after the last
    let clock = || {
        ticks.set(ticks.get() + 1);
        base + Duration::from_millis(5 * ticks.get())
    };
    let timed = run_tests_timed(&program, Some(&clock));
    assert_eq!(timed.len(), 2);
    assert!(
        timed
            .iter()
            .all(|o| o.passed && o.took == Duration::from_millis(5))
    );
    assert_eq!(ticks.get(), 4);
    let untimed = run_tests(&program);
    assert!(untimed.iter().all(|o| o.passed && o.took == Duration::ZERO));
}
