//! The examples of docs/language.md run: each ```embargo block is a rule file that compiles
//! with no diagnostic and whose tests pass; each ```embargo-error block produces the code that
//! its first line names (`# error: E201`).

use std::fmt::Write as _;

use embargo::compile::compile;
use embargo::diagnostics::{Diagnostics, codes::CODES};
use embargo::source::SourceFile;
use embargo::testing::run_tests;

const DOC: &str = "docs/language.md";

/// A fenced code block of the Markdown file
struct Block {
    /// The info string after the opening fence, such as `embargo`
    lang: String,
    /// The line of the opening fence, from 1
    fence_line: usize,
    /// The lines between the fences
    text: String,
}

impl Block {
    /// The line of the Markdown file where line `line` (from 1) of the block is
    fn doc_line(&self, line: usize) -> usize {
        self.fence_line + line
    }
}

/// Every fenced block, in order; a fence is a line starting with three backticks
fn blocks(markdown: &str) -> Result<Vec<Block>, String> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (idx, line) in markdown.lines().enumerate() {
        let trimmed = line.trim();
        match open.take() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some(Block {
                        lang: info.trim().to_string(),
                        fence_line: idx + 1,
                        text: String::new(),
                    });
                }
            }
            Some(mut block) => {
                if trimmed == "```" {
                    out.push(block);
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                    open = Some(block);
                }
            }
        }
    }
    match open {
        Some(block) => Err(format!(
            "{DOC}:{}: the block opened here is never closed",
            block.fence_line
        )),
        None => Ok(out),
    }
}

/// The diagnostics, one per line, with their lines in the Markdown file
fn describe(diagnostics: &Diagnostics, file: &SourceFile, block: &Block) -> String {
    let mut out = String::new();
    for d in diagnostics.sorted() {
        let at = file.line_col(d.span.start);
        let _ = writeln!(
            out,
            "    {DOC}:{}:{}: {}[{}]: {}",
            block.doc_line(at.line),
            at.col,
            if d.code.is_warning() {
                "warning"
            } else {
                "error"
            },
            d.code,
            d.message
        );
    }
    out
}

/// A block that must compile with no diagnostic and whose tests must pass
fn check_clean(block: &Block) -> Result<usize, String> {
    let file = SourceFile::new(format!("{DOC}:{}", block.fence_line), block.text.as_str());
    let (program, diagnostics) = compile(std::slice::from_ref(&file));
    if !diagnostics.is_empty() {
        return Err(format!(
            "the example must compile with no diagnostic, but:\n{}",
            describe(&diagnostics, &file, block)
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
            "    {DOC}:{}: test {:?} on {}: expected {expected}, got {} by [{}]",
            block.doc_line(at.line),
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

/// A block whose first line is `# error: CODE` and which must produce that code
fn check_error(block: &Block) -> Result<(), String> {
    let first = block.text.lines().next().unwrap_or("");
    let Some(code) = first.strip_prefix("# error:").map(str::trim) else {
        return Err(format!(
            "the first line must be `# error: CODE`, found `{first}`"
        ));
    };
    if !CODES.iter().any(|(c, _, _)| c.as_str() == code) {
        return Err(format!("`{code}` is not a code of CODES"));
    }
    let file = SourceFile::new(format!("{DOC}:{}", block.fence_line), block.text.as_str());
    let (_, diagnostics) = compile(std::slice::from_ref(&file));
    if diagnostics.is_empty() {
        return Err(format!(
            "the example must produce {code}, but it compiles cleanly"
        ));
    }
    if !diagnostics.iter().any(|d| d.code.as_str() == code) {
        return Err(format!(
            "the example must produce {code}, but it produces:\n{}",
            describe(&diagnostics, &file, block)
        ));
    }
    Ok(())
}

#[test]
fn language_reference_examples_compile_and_pass() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DOC);
    let markdown = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let all = blocks(&markdown).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let (mut n_clean, mut n_error, mut n_tests) = (0, 0, 0);
    for block in &all {
        let result = match block.lang.as_str() {
            "embargo" => {
                n_clean += 1;
                check_clean(block).map(|n| n_tests += n)
            }
            "embargo-error" => {
                n_error += 1;
                check_error(block)
            }
            other if other.starts_with("embargo") => Err(format!(
                "unknown block type `{other}`: write `embargo` or `embargo-error`"
            )),
            _ => Ok(()),
        };
        if let Err(message) = result {
            failures.push(format!(
                "{DOC}:{}: ```{} block: {message}",
                block.fence_line, block.lang
            ));
        }
    }
    eprintln!("{DOC}: {n_clean} examples ({n_tests} test expectations), {n_error} error examples");
    assert!(
        n_clean + n_error > 0,
        "{DOC} has no ```embargo or ```embargo-error block"
    );
    assert!(
        failures.is_empty(),
        "{} of {} examples fail:\n{}",
        failures.len(),
        n_clean + n_error,
        failures.join("\n")
    );
}
