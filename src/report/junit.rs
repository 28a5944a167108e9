//! JUnit XML for `embargo test --junit`: one `<testsuite>` per rule file, one `<testcase>` per expectation.
//!
//! Written by hand rather than with an XML library: the shape is fixed and small, and `escape`
//! also replaces the characters XML 1.0 cannot carry at all (control characters), which a
//! general escaper leaves in place. The unit tests read the output back with `quick-xml`.

use std::fmt::Write as _;

use crate::source::SourceFile;
use crate::testing::TestOutcome;

use super::test_run;

/// The JUnit XML report of a run: `<testsuites>` with a `<testsuite>` per file of `files` (in
/// order, files without tests included) and a `<testcase>` per expectation named
/// `<test name> on <date>`, with the file as its classname and a `<failure>` when it failed.
/// Times are `0` (nothing is timed) so the same run gives the same bytes.
pub fn junit_xml(files: &[SourceFile], outcomes: &[TestOutcome]) -> String {
    let n_failed = outcomes.iter().filter(|o| !o.passed).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"embargo test\" tests=\"{}\" failures=\"{n_failed}\" errors=\"0\" time=\"0\">",
        outcomes.len()
    );
    for (file_idx, file) in files.iter().enumerate() {
        let cases: Vec<&TestOutcome> = outcomes.iter().filter(|o| o.file == file_idx).collect();
        let failures = cases.iter().filter(|o| !o.passed).count();
        let name = escape(&file.name);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">",
            cases.len()
        );
        for case in cases {
            let line = file.line_col(case.span.start).line;
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{name}\" file=\"{name}\" line=\"{line}\" time=\"0\"",
                escape(&format!("{} on {}", case.name, case.date)),
            );
            if case.passed {
                out.push_str("/>\n");
                continue;
            }
            let expected = test_run::expected(case);
            let actual = test_run::actual(case);
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"verdict\">{}</failure>\n    </testcase>",
                escape(&format!("expected {expected}, got {actual}")),
                escape_text(&format!(
                    "{}\n- expected: {expected}\n+ actual:   {actual}",
                    test_run::place(files, case.file, case.span)
                )),
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text made safe for XML content and attribute values: the five markup characters become
/// entities, tab, newline and carriage return become character references (so attribute
/// values keep them), and characters XML 1.0 does not allow become U+FFFD
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// Text made safe for XML element content: as `escape`, but newlines and tabs stay as they are
pub fn escape_text(text: &str) -> String {
    escape(text).replace("&#10;", "\n").replace("&#9;", "\t")
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
    fn escape_keeps_markup_out_and_drops_what_xml_cannot_carry() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\ty\nz\r"), "x&#9;y&#10;z&#13;");
        assert_eq!(escape("\u{1}\u{ffff}é"), "\u{fffd}\u{fffd}é");
        assert_eq!(escape_text("a\n\tb&#10;\r"), "a\n\tb&amp;#10;&#13;");
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
        let outcomes = crate::testing::run_tests(&program);
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
        assert_eq!(xml, junit_xml(&files, &outcomes), "deterministic");
    }
}
