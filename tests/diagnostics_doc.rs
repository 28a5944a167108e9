//! docs/diagnostics.md has one section per code of `CODES`, in order, each with what the code
//! means, an example and a fix; each example produces its code, and each corrected rule file
//! (an ```embargo block) compiles with no diagnostic and passes its tests.

use std::fmt::Write as _;

use embargo::compile::compile;
use embargo::diagnostics::{Diagnostics, codes::CODES};
use embargo::source::SourceFile;
use embargo::testing::run_tests;

const DOC: &str = "docs/diagnostics.md";

/// Codes that the checker cannot produce: evaluation errors show in verdicts, not diagnostics.
/// Their sections give a ```text example instead of an ```embargo-error block.
const NOT_FROM_CHECKER: &[&str] = &["E500"];

/// The parts of each section, in this order
const PARTS: &[&str] = &["*What it means*", "*Example*", "*Fix*"];

/// A fenced code block
struct Block {
    /// The info string after the opening fence
    lang: String,
    /// The line of the opening fence, from 1
    fence_line: usize,
    /// The lines between the fences
    text: String,
}

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
    blocks: Vec<Block>,
}

fn sections(markdown: &str) -> Result<Vec<Section>, String> {
    let mut out: Vec<Section> = Vec::new();
    let mut open: Option<Block> = None;
    for (idx, line) in markdown.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(mut block) = open.take() {
            if trimmed == "```" {
                if let Some(section) = out.last_mut() {
                    section.blocks.push(block);
                }
            } else {
                block.text.push_str(line);
                block.text.push('\n');
                open = Some(block);
            }
            continue;
        }
        if let Some(info) = trimmed.strip_prefix("```") {
            open = Some(Block {
                lang: info.trim().to_string(),
                fence_line: idx + 1,
                text: String::new(),
            });
        } else if let Some(heading) = line.strip_prefix("## ") {
            let mut words = heading.split_whitespace();
            out.push(Section {
                code: words.next().unwrap_or("").to_string(),
                name: words.collect::<Vec<_>>().join(" "),
                line: idx + 1,
                prose: Vec::new(),
                blocks: Vec::new(),
            });
        } else if let Some(section) = out.last_mut() {
            section.prose.push(trimmed.to_string());
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

fn describe(diagnostics: &Diagnostics, file: &SourceFile, block: &Block) -> String {
    let mut out = String::new();
    for d in diagnostics.sorted() {
        let at = file.line_col(d.span.start);
        let _ = writeln!(
            out,
            "    {DOC}:{}:{}: {}: {}",
            block.fence_line + at.line,
            at.col,
            d.code,
            d.message
        );
    }
    out
}

/// An ```embargo-error block: its first line names the section's code, which it must produce
fn check_error(section: &Section, block: &Block) -> Result<(), String> {
    let first = block.text.lines().next().unwrap_or("");
    let named = first.strip_prefix("# error:").map(str::trim);
    if named != Some(section.code.as_str()) {
        return Err(format!(
            "the first line must be `# error: {}`, found `{first}`",
            section.code
        ));
    }
    let file = SourceFile::new(format!("{DOC}:{}", block.fence_line), block.text.as_str());
    let (_, diagnostics) = compile(std::slice::from_ref(&file));
    if diagnostics.iter().any(|d| d.code.as_str() == section.code) {
        Ok(())
    } else if diagnostics.is_empty() {
        Err(format!(
            "the example must produce {}, but it compiles cleanly",
            section.code
        ))
    } else {
        Err(format!(
            "the example must produce {}, but it produces:\n{}",
            section.code,
            describe(&diagnostics, &file, block)
        ))
    }
}

/// An ```embargo block (a fix): no diagnostic, and its tests pass
fn check_clean(block: &Block) -> Result<(), String> {
    let file = SourceFile::new(format!("{DOC}:{}", block.fence_line), block.text.as_str());
    let (program, diagnostics) = compile(std::slice::from_ref(&file));
    if !diagnostics.is_empty() {
        return Err(format!(
            "the corrected file must compile with no diagnostic, but:\n{}",
            describe(&diagnostics, &file, block)
        ));
    }
    let Some(program) = program else {
        return Err("the corrected file did not compile".to_string());
    };
    let failed: Vec<String> = run_tests(&program)
        .into_iter()
        .filter(|o| !o.passed)
        .map(|o| format!("    test {:?} on {} fails", o.name, o.date))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("its tests fail:\n{}", failed.join("\n")))
    }
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
        .filter(|b| b.lang == "embargo-error")
        .count();
    if NOT_FROM_CHECKER.contains(&section.code.as_str()) {
        if n_error_blocks > 0 {
            problems.push(format!(
                "the checker cannot produce {}: its example is a ```text block, not ```embargo-error",
                section.code
            ));
        }
        if !section.blocks.iter().any(|b| b.lang == "text") {
            problems.push("the section needs a ```text example".to_string());
        }
    } else if n_error_blocks == 0 {
        problems.push("the section has no ```embargo-error example".to_string());
    }
    for block in &section.blocks {
        let result = match block.lang.as_str() {
            "embargo-error" => check_error(section, block),
            "embargo" => check_clean(block),
            other if other.starts_with("embargo") => Err(format!(
                "unknown block type `{other}`: write `embargo` or `embargo-error`"
            )),
            _ => Ok(()),
        };
        if let Err(message) = result {
            problems.push(format!(
                "{DOC}:{}: ```{} block: {message}",
                block.fence_line, block.lang
            ));
        }
    }
    problems
}

#[test]
fn every_code_is_documented_with_an_example_that_produces_it() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DOC);
    let markdown = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
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
