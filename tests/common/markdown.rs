//! Markdown documents whose examples are tested (docs/language.md, docs/diagnostics.md): their
//! fenced code blocks and headings read one way, and an example compiled and its tests run.

use std::fmt::Write as _;

use embargo::internals::compile::compile;
use embargo::internals::diagnostics::Diagnostics;
use embargo::internals::ir::Program;
use embargo::internals::source::SourceFile;
use embargo::internals::testing::run_tests;

/// A fenced code block
pub struct Fence {
    /// The info string after the opening fence, such as `embargo`
    pub info: String,
    /// The line of the opening fence, from 1
    pub line: usize,
    /// The lines between the fences, each ending in a newline
    pub text: String,
}

impl Fence {
    /// The line of the document where line `line` (from 1) of the block is
    pub fn doc_line(&self, line: usize) -> usize {
        self.line + line
    }
}

/// A piece of a document, in order: a line outside code blocks (with its number, from 1), or a
/// whole fenced block
pub enum Piece<'a> {
    /// A line of prose or a heading
    Line(usize, &'a str),
    /// A fenced code block
    Fence(Fence),
}

/// The document's lines outside code blocks and its fenced blocks, in order. A fence is a line
/// starting (after white space) with three backticks; a block never closed is an error naming
/// `doc` and the line that opened it.
pub fn pieces<'a>(doc: &str, markdown: &'a str) -> Result<Vec<Piece<'a>>, String> {
    let mut out = Vec::new();
    let mut open: Option<Fence> = None;
    for (idx, line) in markdown.lines().enumerate() {
        let trimmed = line.trim();
        match open.take() {
            Some(fence) if trimmed == "```" => out.push(Piece::Fence(fence)),
            Some(mut fence) => {
                fence.text.push_str(line);
                fence.text.push('\n');
                open = Some(fence);
            }
            None => match trimmed.strip_prefix("```") {
                Some(info) => {
                    open = Some(Fence {
                        info: info.trim().to_string(),
                        line: idx + 1,
                        text: String::new(),
                    });
                }
                None => out.push(Piece::Line(idx + 1, line)),
            },
        }
    }
    match open {
        Some(fence) => Err(format!(
            "{doc}:{}: the block opened here is never closed",
            fence.line
        )),
        None => Ok(out),
    }
}

/// Every fenced block of the document, in order
pub fn fences(doc: &str, markdown: &str) -> Result<Vec<Fence>, String> {
    Ok(pieces(doc, markdown)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Fence(f) => Some(f),
            Piece::Line(..) => None,
        })
        .collect())
}

/// The text of a document of the repository
pub fn read_doc(doc: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(doc);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A block compiled as a rule file named after its place in the document
pub fn compile_fence(doc: &str, fence: &Fence) -> (SourceFile, Option<Program>, Diagnostics) {
    let file = SourceFile::new(format!("{doc}:{}", fence.line), fence.text.as_str());
    let (program, diagnostics) = compile(std::slice::from_ref(&file));
    (file, program, diagnostics)
}

/// The diagnostics, one per line, each at its line and column in the document
pub fn describe(doc: &str, diagnostics: &Diagnostics, file: &SourceFile, fence: &Fence) -> String {
    let mut out = String::new();
    for d in diagnostics.sorted() {
        let at = file.line_col(d.span.start);
        let severity = if d.code.is_warning() {
            "warning"
        } else {
            "error"
        };
        let _ = writeln!(
            out,
            "    {doc}:{}:{}: {severity}[{}]: {}",
            fence.doc_line(at.line),
            at.col,
            d.code,
            d.message
        );
    }
    out
}

/// A block that must compile with no diagnostic and whose tests must pass: the number of
/// expectations run, or what went wrong, each failing test at its line in the document
pub fn check_clean(doc: &str, fence: &Fence) -> Result<usize, String> {
    let (file, program, diagnostics) = compile_fence(doc, fence);
    if !diagnostics.is_empty() {
        return Err(format!(
            "the example must compile with no diagnostic, but:\n{}",
            describe(doc, &diagnostics, &file, fence)
        ));
    }
    let Some(program) = program else {
        return Err("the example did not compile".to_string());
    };
    let outcomes = run_tests(&program);
    let mut failures = String::new();
    for o in outcomes.iter().filter(|o| !o.passed) {
        let at = file.line_col(o.span.start);
        let expected = match &o.expected.1 {
            Some(rules) => format!("{} by [{}]", o.expected.0.as_str(), rules.join(", ")),
            None => o.expected.0.as_str().to_string(),
        };
        let _ = writeln!(
            failures,
            "    {doc}:{}: test {:?} on {}: expected {expected}, got {} by [{}]",
            fence.doc_line(at.line),
            o.name,
            o.date,
            o.actual.0.as_str(),
            o.actual.1.join(", ")
        );
    }
    if failures.is_empty() {
        Ok(outcomes.len())
    } else {
        Err(format!("tests of the example fail:\n{failures}"))
    }
}

/// A block that must produce the diagnostic `code` (among any others)
pub fn check_produces(doc: &str, fence: &Fence, code: &str) -> Result<(), String> {
    let (file, _, diagnostics) = compile_fence(doc, fence);
    if diagnostics.iter().any(|d| d.code.as_str() == code) {
        Ok(())
    } else if diagnostics.is_empty() {
        Err(format!(
            "the example must produce {code}, but it compiles cleanly"
        ))
    } else {
        Err(format!(
            "the example must produce {code}, but it produces:\n{}",
            describe(doc, &diagnostics, &file, fence)
        ))
    }
}

/// The code an `embargo-error` block names on its first line (`# error: E201`)
pub fn named_error(fence: &Fence) -> Result<&str, String> {
    let first = fence.text.lines().next().unwrap_or("");
    first
        .strip_prefix("# error:")
        .map(str::trim)
        .ok_or_else(|| format!("the first line must be `# error: CODE`, found `{first}`"))
}
