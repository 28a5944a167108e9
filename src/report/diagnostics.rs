//! Diagnostics for people (rustc-like, with the source line and a caret) and for machines (JSON).

use std::borrow::Cow;

use annotate_snippets::{Annotation, AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;
use serde_sarif::sarif;

use crate::diagnostics::{Diagnostic, FileId, Severity};
use crate::report::escape::{for_snippet, for_terminal};
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

/// Renders one diagnostic for people, through `annotate-snippets` (rustc's renderer): the
/// header, the source line with the span underlined (`^`) and its label, each related place
/// underlined (`-`) with its own label (under `:::` when it is in another file or far away),
/// and the help. The file's name and the messages (which quote the source) are escaped for the
/// terminal, and control characters of the source shown as visible characters
/// ([`for_snippet`]), so that the only control characters in the result are the colours of
/// `DiagnosticStyle::Color`.
///
/// Only the lines that are underlined are given to the renderer, so that rendering a diagnostic
/// does not cost the size of its file; a span is underlined on its first line only. On a long
/// line (a minified file) only a window of the line around the span is given: the renderer then
/// trims it further to its width, with `...` where it cut, and each diagnostic costs the same
/// whatever the length of its line.
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
    let primary = Place {
        file: diagnostic.file,
        span: diagnostic.span,
        label: diagnostic.label.as_deref().map(for_terminal),
        primary: true,
    };
    let related = diagnostic.related.iter().map(|r| Place {
        file: r.file,
        span: r.span,
        label: Some(for_terminal(&r.label)),
        primary: false,
    });
    let excerpts = excerpts(std::iter::once(primary).chain(related).collect(), files);
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = level
        .primary_title(message)
        .id(diagnostic.code.as_str())
        .elements(excerpts.iter().map(Excerpt::snippet));
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(for_terminal(help)));
    }
    let renderer = if style == DiagnosticStyle::Color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = renderer.render(&[group]);
    // The renderer counts a column from the start of the text it is given: on a window of a
    // long line, the header's column is put right (the header is the only place it shows).
    let mut from = 0;
    for e in &excerpts {
        let Some(shown) = e.shown_column else {
            continue;
        };
        let wrong = format!("{}:{}:{shown}", e.name, e.line);
        let Some(found) = out.get(from..).and_then(|rest| rest.find(&wrong)) else {
            continue;
        };
        let right = format!("{}:{}:{}", e.name, e.line, e.column);
        out.replace_range(from + found..from + found + wrong.len(), &right);
        from += found + right.len();
    }
    out.push_str("\n\n");
    out
}

/// A place to underline: the diagnostic's span, or a related one
struct Place<'a> {
    file: FileId,
    span: crate::source::Span,
    label: Option<Cow<'a, str>>,
    primary: bool,
}

/// A place with its line, and its start and end in the line's bytes (its end at the line's end
/// if it runs over several lines)
type Member<'a> = (usize, usize, usize, Place<'a>);

/// What one snippet shows: some lines of one file (their text as given to the renderer) and
/// the places underlined in them, as byte ranges of that text
struct Excerpt<'a> {
    name: Cow<'a, str>,
    /// The first line's number
    line: usize,
    text: String,
    marks: Vec<(std::ops::Range<usize>, Option<Cow<'a, str>>, bool)>,
    /// On a window of a long line, the column the renderer shows (counted in the window) and
    /// the true one
    shown_column: Option<usize>,
    column: usize,
}

impl Excerpt<'_> {
    fn snippet(&self) -> Snippet<'_, Annotation<'_>> {
        Snippet::source(self.text.as_str())
            .line_start(self.line)
            .path(self.name.as_ref())
            .annotations(self.marks.iter().map(|(range, label, primary)| {
                let kind = if *primary {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                kind.span(range.clone()).label(label.as_deref())
            }))
    }
}

/// Lines longer than this (in bytes) are given to the renderer only around the problem
const LONG_LINE: usize = 4096;
/// How much of a long line is given before the problem, in characters (twice as much after
/// it): more than the renderer shows of it in its width (140 columns), so that it is the
/// renderer that trims and marks the cut with `...`
const CONTEXT: usize = 160;
/// Places of one file at most this many lines apart are shown in one snippet, with the lines
/// between (the renderer elides those beyond a few); farther apart, each under its own `:::`
const NEAR: usize = 8;

/// The snippets that show `places` (the primary first): places in one file and a few lines
/// apart share one, a place on a long line has its own; a place in an unknown file is left out
fn excerpts<'a>(places: Vec<Place<'a>>, files: &'a [SourceFile]) -> Vec<Excerpt<'a>> {
    let mut groups: Vec<(FileId, Vec<Member<'a>>)> = Vec::new();
    for place in places {
        let Some(file) = files.get(place.file) else {
            continue;
        };
        let line = file.line_col(place.span.start).line;
        let text = file.line_text(line);
        let start = place
            .span
            .start
            .saturating_sub(file.line_start(line))
            .min(text.len());
        let end = place
            .span
            .end
            .saturating_sub(file.line_start(line))
            .clamp(start, text.len());
        let long = text.len() > LONG_LINE;
        // Joined to a snippet of the same file if all the lines it would then show, those
        // between too, are near and none is long.
        let joined = groups.iter_mut().find(|(f, members)| {
            let lines = members.iter().map(|m| m.0).chain([line]);
            let (Some(low), Some(high)) = (lines.clone().min(), lines.max()) else {
                return false;
            };
            *f == place.file
                && !long
                && high - low <= NEAR
                && (low..=high).all(|l| file.line_text(l).len() <= LONG_LINE)
        });
        match joined {
            Some((_, members)) => members.push((line, start, end, place)),
            None => groups.push((place.file, vec![(line, start, end, place)])),
        }
    }
    groups
        .into_iter()
        .filter_map(|(f, members)| {
            let file = files.get(f)?;
            let first = members.iter().map(|m| m.0).min()?;
            let last = members.iter().map(|m| m.0).max()?;
            Some(excerpt(file, first, last, members))
        })
        .collect()
}

/// The snippet of lines `first..=last` of `file` with `members` underlined
fn excerpt<'a>(
    file: &'a SourceFile,
    first: usize,
    last: usize,
    members: Vec<Member<'a>>,
) -> Excerpt<'a> {
    let mut text = String::new();
    let mut offsets = Vec::new();
    let mut window_from = 0;
    for line in first..=last {
        let line_text = file.line_text(line);
        let (from, to) = if first == last {
            let at = members.first().map_or(0, |m| m.1);
            window(line_text, at)
        } else {
            (0, line_text.len())
        };
        window_from = from;
        if line > first {
            text.push('\n');
        }
        offsets.push((line, text.len(), from));
        text.push_str(&for_snippet(line_text.get(from..to).unwrap_or("")));
    }
    let mut shown_column = None;
    let mut column = 0;
    let marks = members
        .into_iter()
        .map(|(line, start, end, place)| {
            let (base, from) = offsets
                .iter()
                .find(|(l, _, _)| *l == line)
                .map_or((0, 0), |&(_, base, from)| (base, from));
            let line_text = file.line_text(line);
            // Byte offsets in the text given, past the characters made visible.
            let to_given = |at: usize| {
                base + line_text
                    .get(from..at.max(from))
                    .map_or(0, |before| for_snippet(before).len())
            };
            if place.primary || column == 0 {
                column = file.line_col(place.span.start).col;
                if window_from > 0 {
                    let before = line_text.get(window_from..start).unwrap_or("");
                    shown_column = Some(before.chars().count() + 1);
                }
            }
            (to_given(start)..to_given(end), place.label, place.primary)
        })
        .collect();
    Excerpt {
        name: for_terminal(&file.name),
        line: first,
        text,
        marks,
        shown_column,
        column,
    }
}

/// The byte range of `line` given for a problem at byte `at`: all of it, or on a long line a
/// window of `CONTEXT` characters before `at` and twice as many after it
fn window(line: &str, at: usize) -> (usize, usize) {
    if line.len() <= LONG_LINE {
        return (0, line.len());
    }
    let before = line.get(..at).unwrap_or("");
    let from = before
        .char_indices()
        .rev()
        .nth(CONTEXT - 1)
        .map_or(0, |(i, _)| i);
    let after = line.get(at..).unwrap_or("");
    let to = after
        .char_indices()
        .nth(2 * CONTEXT)
        .map_or(line.len(), |(i, _)| at + i);
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
    /// Other places that explain this one (the first definition of a name defined twice), in
    /// the order given; absent when there are none
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonRelated>,
}

/// A related place of a diagnostic as JSON: where, as in the diagnostic, and its label
#[derive(Clone, Debug, Serialize)]
pub struct JsonRelated {
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
    /// What its underline says
    pub label: String,
}

/// The file name, start and end of a span (empty and zero when the file is unknown)
fn place(
    file: FileId,
    span: crate::source::Span,
    files: &[SourceFile],
) -> (String, crate::source::LineCol, crate::source::LineCol) {
    match files.get(file) {
        Some(f) => (f.name.clone(), f.line_col(span.start), f.line_col(span.end)),
        None => {
            let zero = crate::source::LineCol { line: 0, col: 0 };
            (String::new(), zero, zero)
        }
    }
}

/// A diagnostic in its JSON form
pub fn to_json(diagnostic: &Diagnostic, files: &[SourceFile]) -> JsonDiagnostic {
    let (name, start, end) = place(diagnostic.file, diagnostic.span, files);
    let related = diagnostic
        .related
        .iter()
        .map(|r| {
            let (file, start, end) = place(r.file, r.span, files);
            JsonRelated {
                file,
                line: start.line,
                column: start.col,
                end_line: end.line,
                end_column: end.col,
                label: r.label.clone(),
            }
        })
        .collect();
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
        related,
    }
}

/// Diagnostics as a SARIF 2.1.0 log, for code-scanning tools, built from `serde-sarif`'s
/// types. Each rule descriptor carries its code's meaning (`shortDescription`), what it means
/// and how to fix it (`fullDescription`, `help`), taken from `docs/diagnostics.md`, which is
/// embedded; file paths are URI references (absolute paths as `file://` URIs). A diagnostic's
/// related places are the result's `relatedLocations`, each with its label as its message.
pub fn to_sarif(diagnostics: &[&Diagnostic], files: &[SourceFile]) -> sarif::Sarif {
    let rules: Vec<sarif::ReportingDescriptor> = crate::diagnostics::codes::CODES
        .iter()
        .map(|(code, name, meaning)| {
            let doc = code_doc(code.as_str());
            let full = doc.means.unwrap_or_else(|| format!("{meaning}."));
            let fix = doc
                .fix
                .unwrap_or_else(|| "See the code's section in docs/diagnostics.md.".to_string());
            let level = if code.is_warning() {
                "warning"
            } else {
                "error"
            };
            sarif::ReportingDescriptor::builder()
                .id(code.as_str())
                .name(*name)
                .short_description(text(meaning))
                .full_description(text(&full))
                .help(
                    sarif::MultiformatMessageString::builder()
                        .text(fix)
                        .markdown(doc.markdown)
                        .build(),
                )
                .default_configuration(
                    sarif::ReportingConfiguration::builder()
                        .level(serde_json::Value::from(level))
                        .build(),
                )
                .build()
        })
        .collect();
    let results: Vec<sarif::Result> = diagnostics
        .iter()
        .map(|d| {
            let j = to_json(d, files);
            let mut message = j.message.clone();
            if let Some(help) = &j.help {
                message.push_str(&format!(" (help: {help})"));
            }
            let level = if d.severity == Severity::Error {
                sarif::ResultLevel::Error
            } else {
                sarif::ResultLevel::Warning
            };
            let location = sarif_location(&j.file, j.line, j.column, j.end_line, j.end_column);
            let related: Vec<sarif::Location> = j
                .related
                .iter()
                .map(|r| {
                    let mut location =
                        sarif_location(&r.file, r.line, r.column, r.end_line, r.end_column);
                    location.message = Some(sarif::Message::builder().text(&r.label).build());
                    location
                })
                .collect();
            let rule_index = crate::diagnostics::codes::CODES
                .iter()
                .position(|(c, _, _)| *c == d.code)
                .and_then(|i| i64::try_from(i).ok());
            let mut result = sarif::Result::builder()
                .rule_id(j.code)
                .level(level)
                .message(sarif::Message::builder().text(message).build())
                .locations(vec![location])
                .build();
            result.rule_index = rule_index;
            if !related.is_empty() {
                result.related_locations = Some(related);
            }
            result
        })
        .collect();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver(rules)).build())
        .results(results)
        .build();
    sarif::Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build()
}

/// A plain-text SARIF message string
fn text(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(text)
        .build()
}

/// A SARIF location: the file as a URI reference and the region (lines and columns from 1,
/// as SARIF requires, even for a diagnostic without a place)
fn sarif_location(
    file: &str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
) -> sarif::Location {
    let number = |n: usize| i64::try_from(n.max(1)).unwrap_or(i64::MAX);
    sarif::Location::builder()
        .physical_location(
            sarif::PhysicalLocation::builder()
                .artifact_location(
                    sarif::ArtifactLocation::builder()
                        .uri(uri_reference(file))
                        .build(),
                )
                .region(
                    sarif::Region::builder()
                        .start_line(number(line))
                        .start_column(number(column))
                        .end_line(number(end_line.max(line)))
                        .end_column(number(end_column))
                        .build(),
                )
                .build(),
        )
        .build()
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
    // An annotation has one place: the related ones are named in its message.
    let mut message = j.message.clone();
    for r in &j.related {
        message.push_str(&format!(
            " ({}: {}:{}:{})",
            r.label, r.file, r.line, r.column
        ));
    }
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
fn driver(rules: Vec<sarif::ReportingDescriptor>) -> sarif::ToolComponent {
    let mut driver = sarif::ToolComponent::builder()
        .name("embargo")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let homepage = env!("CARGO_PKG_HOMEPAGE");
    if !homepage.is_empty() {
        driver.information_uri = Some(homepage.to_string());
    }
    driver
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
            source.starts_with("1 | ...é") && source.ends_with("x..."),
            "{source}"
        );
        assert_eq!(underlined(&lines), "BAD");
    }

    #[test]
    fn a_short_line_is_shown_whole_with_escapes_under_their_width() {
        let text = "a \u{1b}[2J \u{9b}BAD b\n";
        let start = text.find("BAD").unwrap_or(0);
        let lines = rendered(text, start, start + 3);
        assert_eq!(
            lines.get(3).map(String::as_str),
            Some("1 | a ␛[2J \u{FFFD}BAD b")
        );
        assert_eq!(underlined(&lines), "BAD");
    }

    #[test]
    fn related_places_are_underlined_with_their_labels_in_their_files() {
        let files = [
            SourceFile::new("a.rules", "set s: place = [KP]\n"),
            SourceFile::new("b.rules", "# b\n\nset s: place = [IR]\n"),
        ];
        let d = Diagnostic::new(Code::E206, 1, Span::new(9, 10), "set `s` is defined twice")
            .with_label("second definition")
            .with_related(0, Span::new(4, 5), "first defined here")
            .with_help("rename or remove one");
        let text = render_human(&d, &files, DiagnosticStyle::Plain);
        assert_eq!(
            text,
            "error[E206]: set `s` is defined twice\n \
             --> b.rules:3:5\n  \
             |\n\
             3 | set s: place = [IR]\n  \
             |     ^ second definition\n  \
             |\n \
             ::: a.rules:1:5\n  \
             |\n\
             1 | set s: place = [KP]\n  \
             |     - first defined here\n  \
             |\n  \
             = help: rename or remove one\n\n"
        );
    }

    #[test]
    fn a_long_line_between_two_places_is_not_shown() {
        let text = format!("set s\n{}\nset s\n", "#".repeat(100_000));
        let second = text.rfind("s\n").unwrap_or(0);
        let files = [SourceFile::new("f.rules", text)];
        let d = Diagnostic::new(Code::E206, 0, Span::new(second, second + 1), "twice")
            .with_related(0, Span::new(4, 5), "first");
        let shown = render_human(&d, &files, DiagnosticStyle::Plain);
        assert!(shown.contains(" ::: f.rules:1:5\n"), "{shown}");
        assert!(shown.len() < 400, "{shown}");
    }

    #[test]
    fn on_a_long_line_each_place_has_its_true_column() {
        let long = format!(
            "{}A{}B{}\n",
            "x".repeat(6000),
            "y".repeat(6000),
            "z".repeat(100)
        );
        let files = [SourceFile::new("f.rules", long)];
        let d = Diagnostic::new(Code::E206, 0, Span::new(12001, 12002), "twice").with_related(
            0,
            Span::new(6000, 6001),
            "first",
        );
        let text = render_human(&d, &files, DiagnosticStyle::Plain);
        assert!(text.contains(" --> f.rules:1:12002\n"), "{text}");
        assert!(text.contains(" ::: f.rules:1:6001\n"), "{text}");
        assert!(text.len() < 1200, "{text}");
    }
}
