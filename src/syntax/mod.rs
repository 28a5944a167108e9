//! The `nom` front end: rule-file text to `ast::RuleFile`, with every syntax error found.

mod err;
mod expr;
mod format;
mod item;
mod lexical;

use nom::Err;
use nom_locate::LocatedSpan;

use crate::ast::RuleFile;
use crate::diagnostics::{Diagnostic, Diagnostics, FileId};
use crate::source::Span;

pub use expr::MAX_DEPTH;
pub use format::format_file;
pub use item::ITEM_KEYWORDS;

pub(crate) type In<'a> = LocatedSpan<&'a str>;
pub(crate) type PResult<'a, T> = nom::IResult<In<'a>, T, err::PError>;

/// Parses one rule file. Every syntax error is reported: after an error the parser resumes
/// at the next line that starts with an item keyword (`rule`, `set`, ...).
pub fn parse_file(text: &str, file: FileId) -> (RuleFile, Diagnostics) {
    let mut items = Vec::new();
    let mut diagnostics = Diagnostics::default();
    let mut input = In::new(text);
    while let Ok((rest, _)) = lexical::ws(input) {
        input = rest;
        if input.fragment().is_empty() {
            break;
        }
        match item::item(input) {
            Ok((rest, it)) => {
                items.push(it);
                input = rest;
            }
            Err(Err::Error(e) | Err::Failure(e)) => {
                diagnostics.push(to_diagnostic(text, file, &e));
                let resume = next_item_start(text, input.location_offset() + 1);
                input = advance(input, text, resume);
            }
            Err(Err::Incomplete(_)) => break,
        }
    }
    (RuleFile { items }, diagnostics)
}

/// `input` moved forward to the byte `offset` of `text`. The position's line is counted from
/// `input` on, not from the start of the text (as `at` does): resuming after each of many
/// errors, or at each of many records, stays linear in the text's size
pub(crate) fn advance<'a>(input: In<'a>, text: &'a str, offset: usize) -> In<'a> {
    match offset.checked_sub(input.location_offset()) {
        Some(ahead) if ahead <= input.fragment().len() => nom::Input::take_from(&input, ahead),
        _ => at(text, offset),
    }
}

/// The input at byte `offset` of `text`, its line counted from the start
pub(crate) fn at(text: &str, offset: usize) -> In<'_> {
    let offset = offset.min(text.len());
    let mut input = In::new(text);
    input = nom::Input::take_from(&input, offset);
    input
}

/// The offset of the next line at or after `from` that starts (in column 1) with an item keyword
fn next_item_start(text: &str, from: usize) -> usize {
    let mut offset = from.min(text.len());
    while let Some(rel) = text.get(offset..).and_then(|s| s.find('\n')) {
        offset += rel + 1;
        let line = text.get(offset..).unwrap_or("");
        let starts_item = ITEM_KEYWORDS.iter().any(|kw| {
            line.starts_with(kw)
                && !line
                    .get(kw.len()..)
                    .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        });
        if starts_item {
            return offset;
        }
    }
    text.len()
}

fn to_diagnostic(text: &str, file: FileId, e: &err::PError) -> Diagnostic {
    let rest = text.get(e.pos..).unwrap_or("");
    let found_len = found_token_len(rest);
    let found = if rest.is_empty() {
        "the end of the file".to_string()
    } else {
        format!("`{}`", rest.get(..found_len).unwrap_or(""))
    };
    let message = if e.code == crate::diagnostics::Code::E101 {
        "this string has no closing `\"`".to_string()
    } else {
        format!("expected {}, found {}", e.expected, found)
    };
    Diagnostic::new(
        e.code,
        file,
        Span::new(e.pos, e.pos + found_len.max(usize::from(!rest.is_empty()))),
        message,
    )
    .with_label("here")
    .with_help_opt(e.help.clone())
}

fn found_token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        None => 0,
        Some((_, c)) if c.is_alphanumeric() || c == '_' => rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.'))
            .map(|(i, _)| i)
            .unwrap_or(rest.len()),
        Some((_, c)) => c.len_utf8(),
    }
}
