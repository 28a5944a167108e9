//! The examples of docs/language.md run: each ```embargo block is a rule file that compiles
//! with no diagnostic and whose tests pass; each ```embargo-error block produces the code that
//! its first line names (`# error: E201`).

use crate::common::markdown;

use embargo::internals::diagnostics::codes::CODES;
use markdown::{Fence, check_clean, check_produces, fences, named_error, read_doc};

const DOC: &str = "docs/language.md";

/// A block whose first line is `# error: CODE` and which must produce that code
fn check_error(block: &Fence) -> Result<(), String> {
    let code = named_error(block)?;
    if !CODES.iter().any(|(c, _, _)| c.as_str() == code) {
        return Err(format!("`{code}` is not a code of CODES"));
    }
    check_produces(DOC, block, code)
}

#[test]
fn language_reference_examples_compile_and_pass() {
    let markdown = read_doc(DOC);
    let all = fences(DOC, &markdown).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let (mut n_clean, mut n_error, mut n_tests) = (0, 0, 0);
    for block in &all {
        let result = match block.info.as_str() {
            "embargo" => {
                n_clean += 1;
                check_clean(DOC, block).map(|n| n_tests += n)
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
                block.line, block.info
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
