//! docs/diagnostics.md has one section per code of `CODES`, in order, each with what the code
//! means, an example and a fix; each example produces its code, and each corrected rule file
//! (an ```embargo block) compiles with no diagnostic and passes its tests.

use crate::common::markdown;

use embargo::internals::diagnostics::codes::CODES;
use markdown::{Fence, Piece, check_clean, check_produces, named_error, pieces, read_doc};

const DOC: &str = "docs/diagnostics.md";

/// Codes that the checker cannot produce: evaluation errors show in verdicts, not diagnostics.
/// Their sections give a ```text example instead of an ```embargo-error block.
const NOT_FROM_CHECKER: &[&str] = &["E500"];

/// The parts of each section, in this order
const PARTS: &[&str] = &["*What it means*", "*Example*", "*Fix*"];

/// A `## CODE name` section
struct Section {
    /// The code in the heading
    code: String,
    /// The name in the heading
    name: String,
    /// The heading's line, from 1
    line: usize,
    /// The lines of the section outside code blocks
    prose: Vec<String>,
    /// Its code blocks
    blocks: Vec<Fence>,
}

/// The `## ` sections of the document, each with its prose lines and code blocks
fn sections(markdown: &str) -> Result<Vec<Section>, String> {
    let mut out: Vec<Section> = Vec::new();
    for piece in pieces(DOC, markdown)? {
        match piece {
            Piece::Line(line, text) => {
                if let Some(heading) = text.strip_prefix("## ") {
                    let mut words = heading.split_whitespace();
                    out.push(Section {
                        code: words.next().unwrap_or("").to_string(),
                        name: words.collect::<Vec<_>>().join(" "),
                        line,
                        prose: Vec::new(),
                        blocks: Vec::new(),
                    });
                } else if let Some(section) = out.last_mut() {
                    section.prose.push(text.trim().to_string());
                }
            }
            Piece::Fence(fence) => {
                if let Some(section) = out.last_mut() {
                    section.blocks.push(fence);
                }
            }
        }
    }
    Ok(out)
}

/// An ```embargo-error block: its first line names the section's code, which it must produce
fn check_error(section: &Section, block: &Fence) -> Result<(), String> {
    let named = named_error(block).ok();
    if named != Some(section.code.as_str()) {
        let first = block.text.lines().next().unwrap_or("");
        return Err(format!(
            "the first line must be `# error: {}`, found `{first}`",
            section.code
        ));
    }
    check_produces(DOC, block, &section.code)
}

fn check_section(section: &Section) -> Vec<String> {
    let mut problems = Vec::new();
    let Some((code, name, _)) = CODES.iter().find(|(c, _, _)| c.as_str() == section.code) else {
        return vec![format!(
            "`{}` is not a code of `CODES`: each section is headed `## CODE name`",
            section.code
        )];
    };
    if section.name != *name {
        problems.push(format!(
            "the heading must be `## {code} {name}`, found `## {} {}`",
            section.code, section.name
        ));
    }
    let positions: Vec<Option<usize>> = PARTS
        .iter()
        .map(|part| section.prose.iter().position(|l| l == part))
        .collect();
    for (part, position) in PARTS.iter().zip(&positions) {
        if position.is_none() {
            problems.push(format!("the section has no `{part}` paragraph"));
        }
    }
    let found: Vec<usize> = positions.iter().flatten().copied().collect();
    if !found.is_sorted() {
        problems.push(format!(
            "the parts must come in the order {}",
            PARTS.join(", ")
        ));
    }
    let n_error_blocks = section
        .blocks
        .iter()
        .filter(|b| b.info == "embargo-error")
        .count();
    if NOT_FROM_CHECKER.contains(&section.code.as_str()) {
        if n_error_blocks > 0 {
            problems.push(format!(
                "the checker cannot produce {}: its example is a ```text block, not ```embargo-error",
                section.code
            ));
        }
        if !section.blocks.iter().any(|b| b.info == "text") {
            problems.push("the section needs a ```text example".to_string());
        }
    } else if n_error_blocks == 0 {
        problems.push("the section has no ```embargo-error example".to_string());
    }
    for block in &section.blocks {
        let result = match block.info.as_str() {
            "embargo-error" => check_error(section, block),
            "embargo" => check_clean(DOC, block).map(|_| ()),
            other if other.starts_with("embargo") => Err(format!(
                "unknown block type `{other}`: write `embargo` or `embargo-error`"
            )),
            _ => Ok(()),
        };
        if let Err(message) = result {
            problems.push(format!(
                "{DOC}:{}: ```{} block: {message}",
                block.line, block.info
            ));
        }
    }
    problems
}

#[test]
fn every_code_is_documented_with_an_example_that_produces_it() {
    let markdown = read_doc(DOC);
    let all = sections(&markdown).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();

    for (code, name, _) in CODES {
        let n = all.iter().filter(|s| s.code == code.as_str()).count();
        if n != 1 {
            failures.push(format!(
                "{DOC}: {n} sections for {code}; write one, headed `## {code} {name}`"
            ));
        }
    }
    for code in NOT_FROM_CHECKER {
        assert!(
            CODES.iter().any(|(c, _, _)| c.as_str() == *code),
            "NOT_FROM_CHECKER names `{code}`, which is not in CODES"
        );
    }
    let order: Vec<&str> = all.iter().map(|s| s.code.as_str()).collect();
    let expected: Vec<&str> = CODES
        .iter()
        .map(|(c, _, _)| c.as_str())
        .filter(|c| order.contains(c))
        .collect();
    let known: Vec<&str> = order
        .iter()
        .copied()
        .filter(|c| expected.contains(c))
        .collect();
    if known != expected {
        failures.push(format!(
            "{DOC}: the sections must follow the order of CODES: {}",
            expected.join(", ")
        ));
    }
    for section in &all {
        for problem in check_section(section) {
            failures.push(format!(
                "{DOC}:{}: ## {}: {problem}",
                section.line, section.code
            ));
        }
    }
    eprintln!("{DOC}: {} sections, {} codes", all.len(), CODES.len());
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
