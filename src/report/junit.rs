//! JUnit XML for `embargo test --junit`: one `<testsuite>` per rule file, one `<testcase>` per
//! expectation, each with the time its record took to judge.
//!
//! Written with `quick-junit` (nextest's writer of the format). Text from rule files goes through
//! [`xml_chars`] first: the characters XML 1.0 cannot carry at all (control characters) become
//! U+FFFD, visibly, where quick-junit would drop them. The unit tests read the output back with
//! `quick-xml`.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::source::SourceFile;
use crate::testing::TestOutcome;

use super::test_run;

/// The JUnit XML report of a run: `<testsuites>` with a `<testsuite>` per file of `files` (in
/// order, files without tests included) and a `<testcase>` per expectation named
/// `<test name> on <date>`, with the file as its classname, its `file` and `line`, the time its
/// record took to judge (a suite's time is its cases', the run's its suites'), and a
/// `<failure>` when it failed.
pub fn junit_xml(files: &[SourceFile], outcomes: &[TestOutcome]) -> String {
    let mut report = Report::new("embargo test");
    let mut total = Duration::ZERO;
    for (file_idx, file) in files.iter().enumerate() {
        let name = xml_chars(&file.name);
        let mut suite = TestSuite::new(name.as_str());
        let mut time = Duration::ZERO;
        for case in outcomes.iter().filter(|o| o.file == file_idx) {
            let status = if case.passed {
                TestCaseStatus::success()
            } else {
                let expected = test_run::expected(case);
                let actual = test_run::actual(case);
                let mut failure = TestCaseStatus::non_success(NonSuccessKind::Failure);
                failure
                    .set_message(xml_chars(&format!("expected {expected}, got {actual}")))
                    .set_type("verdict")
                    .set_description(xml_chars(&format!(
                        "{}\n- expected: {expected}\n+ actual:   {actual}",
                        test_run::place(files, case.file, case.span)
                    )));
                failure
            };
            let mut test_case = TestCase::new(
                xml_chars(&format!("{} on {}", case.name, case.date)),
                status,
            );
            let line = file.line_col(case.span.start).line;
            test_case.set_classname(name.as_str()).set_time(case.took);
            test_case.extra.insert("file".into(), name.as_str().into());
            test_case
                .extra
                .insert("line".into(), line.to_string().into());
            time += case.took;
            suite.add_test_case(test_case);
        }
        suite.set_time(time);
        total += time;
        report.add_test_suite(suite);
    }
    report.set_time(total);
    report.to_string().unwrap_or_else(|e| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"embargo test\"><!-- cannot write the report: {} --></testsuites>\n",
            xml_chars(&e.to_string()).replace("--", "- -")
        )
    })
}

/// `text` with the characters XML 1.0 cannot carry (control characters other than tab, newline
/// and carriage return; U+FFFE, U+FFFF) replaced by U+FFFD
pub fn xml_chars(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

    /// An element's name and its attributes, values unescaped
    type Element = (String, Vec<(String, String)>);

    /// Every element and attribute of `xml`, read with quick-xml (which checks that tags
    /// match and entities are known): (element, [(attribute, unescaped value)]), and the text
    fn parse(xml: &str) -> (Vec<Element>, String) {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut elements = Vec::new();
        let mut text = String::new();
        loop {
            match reader.read_event().unwrap() {
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
                    elements.push((e.name().into_inner().to_string(), attrs));
                }
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => {
                    let name = r.xml10_content();
                    let resolved = match r.resolve_char_ref().unwrap() {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_xml_entity(&name)
                            .unwrap()
                            .to_string(),
                    };
                    text.push_str(&resolved);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        (elements, text)
    }

    fn attr<'a>(element: &'a Element, name: &str) -> &'a str {
        &element.1.iter().find(|(k, _)| k == name).unwrap().1
    }

    #[test]
    fn characters_xml_cannot_carry_are_replaced_visibly() {
        assert_eq!(xml_chars("x\ty\nz\r"), "x\ty\nz\r");
        assert_eq!(
            xml_chars("\u{1}\u{1b}[31m\u{ffff}é"),
            "\u{fffd}\u{fffd}[31m\u{fffd}é"
        );
    }

    #[test]
    fn names_with_markup_survive_a_round_trip_and_failures_carry_both_verdicts() {
        let text = r#"
resolution "S/RES/1718 (2006)" adopted 2006-10-14
regime T { list "T" }
rule t.arms {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when activity == trade and origin within KP
  then prohibited "arms"
}
test "<arms> & \"shells\" from 'KP'" {
  record {activity: trade, origin: KP}
  on 2020-01-01 expect prohibited by t.arms
  on 2020-01-02 expect clear
}
"#;
        let files = [SourceFile::new("a&b.rules", text)];
        let (program, diagnostics) = crate::compile::compile(&files);
        let Some(program) = program else {
            panic!("{diagnostics:?}");
        };
        let mut outcomes = crate::testing::run_tests(&program);
        // Times as `test --junit` would measure them
        outcomes[0].took = std::time::Duration::from_millis(2);
        outcomes[1].took = std::time::Duration::from_millis(3);
        let xml = junit_xml(&files, &outcomes);
        let (elements, text) = parse(&xml);
        let names: Vec<&str> = elements.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            names,
            ["testsuites", "testsuite", "testcase", "testcase", "failure"],
            "{xml}"
        );
        assert_eq!(attr(&elements[0], "failures"), "1");
        assert_eq!(attr(&elements[1], "name"), "a&b.rules");
        assert_eq!(attr(&elements[1], "tests"), "2");
        assert_eq!(
            attr(&elements[2], "name"),
            "<arms> & \"shells\" from 'KP' on 2020-01-01"
        );
        assert_eq!(attr(&elements[3], "classname"), "a&b.rules");
        assert_eq!(
            attr(&elements[4], "message"),
            "expected clear, got prohibited by [t.arms]"
        );
        assert!(
            text.contains("a&b.rules:14:3\n- expected: clear\n+ actual:   prohibited by [t.arms]"),
            "{text}"
        );
        // Each case's time is the time its record took; a suite's the sum of its cases'
        let seconds = |e: &Element| attr(e, "time").parse::<f64>().unwrap();
        assert_eq!(
            (seconds(&elements[2]), seconds(&elements[3])),
            (0.002, 0.003),
            "{xml}"
        );
        assert_eq!(seconds(&elements[1]), 0.005, "{xml}");
        assert_eq!(seconds(&elements[0]), 0.005, "{xml}");
        assert_eq!(attr(&elements[2], "file"), "a&b.rules");
        assert_eq!(attr(&elements[3], "line"), "14");
        // A control character in a test's name comes out as U+FFFD
        let mut named = outcomes.clone();
        named[0].name = "bell\u{7}".to_string();
        let (elements, _) = parse(&junit_xml(&files, &named));
        assert_eq!(attr(&elements[2], "name"), "bell\u{fffd} on 2020-01-01");
    }
}
