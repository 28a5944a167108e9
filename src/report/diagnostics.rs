//! Diagnostics for people (rustc-like, with the source line and a caret) and for machines (JSON).

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::report::escape::{for_terminal, for_terminal_lines};
use crate::source::SourceFile;

/// How diagnostics are printed
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagnosticStyle {
    /// The source line with the span underlined, in colour
    Color,
    /// The same without colour (for files, tests and pipes)
    Plain,
    /// One line each: `file:line:col: error[E200]: message`
    Short,
}

/// Renders one diagnostic for people; the file's name, its source line and the messages (which
/// quote the source) are escaped for the terminal, so that the only control characters in the
/// result are the colours of `DiagnosticStyle::Color`
pub fn render_human(
    diagnostic: &Diagnostic,
    files: &[SourceFile],
    style: DiagnosticStyle,
) -> String {
    let message = for_terminal(&diagnostic.message);
    let Some(file) = files.get(diagnostic.file) else {
        return format!("{}: {message}\n", diagnostic.code);
    };
    let name = for_terminal(&file.name);
    let at = file.line_col(diagnostic.span.start);
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    if style == DiagnosticStyle::Short {
        let help = diagnostic
            .help
            .as_ref()
            .map(|h| format!(" (help: {})", for_terminal(h)))
            .unwrap_or_default();
        return format!(
            "{name}:{}:{}: {severity}[{}]: {message}{help}\n",
            at.line, at.col, diagnostic.code
        );
    }
    let color = style == DiagnosticStyle::Color;
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let sev_color = if diagnostic.severity == Severity::Error {
        "1;31"
    } else {
        "1;33"
    };
    let mut out = format!(
        "{}{}\n",
        paint(sev_color, &format!("{severity}[{}]", diagnostic.code)),
        paint("1", &format!(": {message}"))
    );
    let end = file.line_col(diagnostic.span.end.max(diagnostic.span.start));
    let gutter = at.line.to_string().len();
    let pad = " ".repeat(gutter);
    out.push_str(&format!(
        "{pad}{} {name}:{}:{}\n",
        paint("1;34", "-->"),
        at.line,
        at.col
    ));
    out.push_str(&format!("{pad} {}\n", paint("1;34", "|")));
    // The line, or on a long line (a minified file) only the part around the problem: each
    // diagnostic then costs the same, whatever the length of its line.
    let line_text = file.line_text(at.line);
    let mut start = diagnostic
        .span
        .start
        .saturating_sub(file.line_start(at.line))
        .min(line_text.len());
    while !line_text.is_char_boundary(start) {
        start -= 1;
    }
    let (from, to) = window(line_text, start);
    let shown = line_text.get(from..to).unwrap_or("");
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < line_text.len() { "…" } else { "" };
    out.push_str(&format!(
        "{} {} {lead}{}{tail}\n",
        paint("1;34", &at.line.to_string()),
        paint("1;34", "|"),
        for_terminal_lines(shown)
    ));
    let rest = line_text.get(start..to).map_or(0, |r| r.chars().count());
    let width = if end.line == at.line {
        end.col.saturating_sub(at.col).min(rest)
    } else {
        rest
    }
    .max(1);
    // Under the escaped line: an escaped character takes the width of its escape.
    let before = line_text.get(from..start).unwrap_or("");
    let indent: String = lead
        .chars()
        .chain(for_terminal_lines(before).chars())
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let label = diagnostic
        .label
        .as_deref()
        .map(|l| format!(" {}", for_terminal(l)))
        .unwrap_or_default();
    out.push_str(&format!(
        "{pad} {} {indent}{}\n",
        paint("1;34", "|"),
        paint(sev_color, &format!("{}{label}", "^".repeat(width)))
    ));
    if let Some(help) = &diagnostic.help {
        out.push_str(&format!(
            "{pad} {} {}: {}\n",
            paint("1;34", "="),
            paint("1", "help"),
            for_terminal(help)
        ));
    }
    out.push('\n');
    out
}

/// Lines longer than this (in bytes) are shown only around the problem
const LONG_LINE: usize = 240;
/// How much of a long line is shown before the problem, in bytes (twice as much after it)
const CONTEXT: usize = 80;

/// The byte range of `line` shown for a problem at byte `at`: all of it, or on a long line a
/// window around `at` (on char boundaries)
fn window(line: &str, at: usize) -> (usize, usize) {
    if line.len() <= LONG_LINE {
        return (0, line.len());
    }
    let mut from = at.saturating_sub(CONTEXT);
    while !line.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = at.saturating_add(2 * CONTEXT).min(line.len());
    while !line.is_char_boundary(to) {
        to += 1;
    }
    (from, to)
}

/// A diagnostic as JSON
#[derive(Clone, Debug, Serialize)]
pub struct JsonDiagnostic {
    /// Stable code
    pub code: &'static str,
    /// Short name of the code
    pub name: &'static str,
    /// `error` or `warning`
    pub severity: Severity,
    /// The message
    pub message: String,
    /// File name
    pub file: String,
    /// Line, from 1
    pub line: usize,
    /// Column in characters, from 1
    pub column: usize,
    /// End line
    pub end_line: usize,
    /// End column (exclusive)
    pub end_column: usize,
    /// What the underline says
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A hint
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// A diagnostic in its JSON form
pub fn to_json(diagnostic: &Diagnostic, files: &[SourceFile]) -> JsonDiagnostic {
    let (name, start, end) = match files.get(diagnostic.file) {
        Some(f) => (
            f.name.clone(),
            f.line_col(diagnostic.span.start),
            f.line_col(diagnostic.span.end),
        ),
        None => {
            let zero = crate::source::LineCol { line: 0, col: 0 };
            (String::new(), zero, zero)
        }
    };
    JsonDiagnostic {
        code: diagnostic.code.as_str(),
        name: diagnostic.code.name(),
        severity: diagnostic.severity,
        message: diagnostic.message.clone(),
        file: name,
        line: start.line,
        column: start.col,
        end_line: end.line,
        end_column: end.col,
        label: diagnostic.label.clone(),
        help: diagnostic.help.clone(),
    }
}

/// Diagnostics as a SARIF 2.1.0 log, for code-scanning tools. Each rule descriptor carries its
/// code's meaning (`shortDescription`), what it means and how to fix it (`fullDescription`,
/// `help`), taken from `docs/diagnostics.md`, which is embedded; file paths are URI references
/// (absolute paths as `file://` URIs).
pub fn to_sarif(diagnostics: &[&Diagnostic], files: &[SourceFile]) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = crate::diagnostics::codes::CODES
        .iter()
        .map(|(code, name, meaning)| {
            let doc = code_doc(code.as_str());
            let full = doc.means.unwrap_or_else(|| format!("{meaning}."));
            let fix = doc.fix.unwrap_or_else(|| {
                "See the code's section in docs/diagnostics.md.".to_string()
            });
            serde_json::json!({
                "id": code.as_str(),
                "name": name,
                "shortDescription": {"text": meaning},
                "fullDescription": {"text": full},
                "help": {"text": fix, "markdown": doc.markdown},
                "defaultConfiguration": {"level": if code.is_warning() { "warning" } else { "error" }},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let j = to_json(d, files);
            let mut message = j.message.clone();
            if let Some(help) = &j.help {
                message.push_str(&format!(" (help: {help})"));
            }
            let rule_index = crate::diagnostics::codes::CODES
                .iter()
                .position(|(c, _, _)| *c == d.code);
            serde_json::json!({
                "ruleId": j.code,
                "ruleIndex": rule_index,
                "level": if d.severity == Severity::Error { "error" } else { "warning" },
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_reference(&j.file)},
                        "region": {
                            "startLine": j.line.max(1),
                            "startColumn": j.column.max(1),
                            "endLine": j.end_line.max(j.line).max(1),
                            "endColumn": j.end_column.max(1),
                        }
                    }
                }],
            })
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver(rules)},
            "results": results,
        }],
    })
}

/// One diagnostic as a GitHub Actions workflow command (`::error file=...::message`)
pub fn to_github(diagnostic: &Diagnostic, files: &[SourceFile]) -> String {
    fn data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let j = to_json(diagnostic, files);
    let level = if diagnostic.severity == Severity::Error {
        "error"
    } else {
        "warning"
    };
    let mut message = j.message.clone();
    if let Some(help) = &j.help {
        message.push_str(&format!(" (help: {help})"));
    }
    format!(
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        property(&j.file),
        j.line,
        j.column,
        j.end_line,
        j.end_column,
        property(&format!("{} {}", j.code, j.name)),
        data(&message)
    )
}

/// The tool's description: name, version, rules, and its home page when the package names one
/// (`homepage` in Cargo.toml; none yet, so SARIF validators ask for an `informationUri`)
fn driver(rules: Vec<serde_json::Value>) -> serde_json::Value {
    let mut driver = serde_json::Map::new();
    driver.insert("name".into(), "embargo".into());
    driver.insert("version".into(), env!("CARGO_PKG_VERSION").into());
    let homepage = env!("CARGO_PKG_HOMEPAGE");
    if !homepage.is_empty() {
        driver.insert("informationUri".into(), homepage.into());
    }
    driver.insert("rules".into(), rules.into());
    driver.into()
}

/// What `docs/diagnostics.md` says of a code: the paragraphs of *What it means* and of *Fix*
/// (plain text, one line each), and the whole section as Markdown
struct CodeDoc {
    means: Option<String>,
    fix: Option<String>,
    markdown: String,
}

/// The section of `docs/diagnostics.md` headed `## CODE name`
fn code_doc(code: &str) -> CodeDoc {
    const DOC: &str = include_str!("../../docs/diagnostics.md");
    let heading = format!("\n## {code} ");
    let Some(start) = DOC.find(&heading) else {
        return CodeDoc {
            means: None,
            fix: None,
            markdown: String::new(),
        };
    };
    let body = DOC.get(start + 1..).unwrap_or("");
    let end = body
        .get(3..)
        .and_then(|b| b.find("\n## "))
        .map_or(body.len(), |e| e + 3);
    let section = body.get(..end).unwrap_or(body).trim();
    CodeDoc {
        means: paragraphs_after(section, "*What it means*"),
        fix: paragraphs_after(section, "*Fix*"),
        markdown: section.to_string(),
    }
}

/// Whether a line is a section's marker (`*Example*`, `*Fix*`)
fn is_marker(line: &str) -> bool {
    line.len() > 2 && line.starts_with('*') && line.ends_with('*')
}

/// The prose after the line `marker` of a section, up to the next code block or marker, its
/// lines joined
fn paragraphs_after(section: &str, marker: &str) -> Option<String> {
    let at = section.find(&format!("\n{marker}\n"))?;
    let rest = section.get(at + marker.len() + 2..)?;
    let text: Vec<&str> = rest
        .lines()
        .take_while(|l| !l.starts_with("```") && !is_marker(l))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// A file path as a SARIF URI reference: `/` separators, characters outside a URI's
/// percent-encoded, an absolute path as a `file://` URI
fn uri_reference(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    if out.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_meaning_and_fix_from_the_docs() {
        for (code, _, _) in crate::diagnostics::codes::CODES {
            let doc = code_doc(code.as_str());
            assert!(doc.means.as_deref().is_some_and(|m| m.len() > 20), "{code}");
            assert!(doc.fix.as_deref().is_some_and(|f| f.len() > 10), "{code}");
            assert!(doc.markdown.starts_with(&format!("## {code} ")), "{code}");
        }
        let e101 = code_doc("E101");
        assert!(
            e101.means
                .unwrap_or_default()
                .starts_with("A string has no closing double quote")
        );
        assert!(code_doc("E999").means.is_none());
    }

    #[test]
    fn paths_are_uri_references() {
        assert_eq!(uri_reference("rules/dprk.rules"), "rules/dprk.rules");
        assert_eq!(
            uri_reference("my rules/a#1.rules"),
            "my%20rules/a%231.rules"
        );
        assert_eq!(
            uri_reference("/srv/pack/é.rules"),
            "file:///srv/pack/%C3%A9.rules"
        );
        assert_eq!(uri_reference("rules\\win.rules"), "rules/win.rules");
    }
    use crate::diagnostics::codes::Code;
    use crate::source::Span;

    fn rendered(text: &str, start: usize, end: usize) -> Vec<String> {
        let files = [SourceFile::new("f.rules", text)];
        let d = Diagnostic::new(Code::E100, 0, Span::new(start, end), "bad").with_label("here");
        render_human(&d, &files, DiagnosticStyle::Plain)
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The text above the carets, from the carets' line
    fn underlined(lines: &[String]) -> String {
        let source = lines.get(3).cloned().unwrap_or_default();
        let carets = lines.get(4).cloned().unwrap_or_default();
        let from = carets.find('^').unwrap_or(0);
        let n = carets.matches('^').count();
        source.chars().skip(from).take(n).collect()
    }

    #[test]
    fn a_long_line_is_shown_around_the_problem_only() {
        let long = format!("{}BAD{}\nnext", "é".repeat(5000), "x".repeat(5000));
        let start = "é".repeat(5000).len();
        let lines = rendered(&long, start, start + 3);
        assert_eq!(
            lines.get(1).map(String::as_str),
            Some(" --> f.rules:1:5001")
        );
        let source = lines.get(3).cloned().unwrap_or_default();
        assert!(source.chars().count() < 300, "{source}");
        assert!(
            source.starts_with("1 | …é") && source.ends_with("x…"),
            "{source}"
        );
        assert_eq!(underlined(&lines), "BAD");
    }

    #[test]
    fn a_short_line_is_shown_whole_with_escapes_under_their_width() {
        let text = "a \u{1b}[2J BAD b\n";
        let start = text.find("BAD").unwrap_or(0);
        let lines = rendered(text, start, start + 3);
        assert_eq!(
            lines.get(3).map(String::as_str),
            Some("1 | a \\u{1b}[2J BAD b")
        );
        assert_eq!(underlined(&lines), "BAD");
    }
}
