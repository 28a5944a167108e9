//! The checker and compiler: parsed rule files to one `ir::Program`, with every problem found.

mod common;
mod decls;
mod files;
mod lints;
mod lower;
mod needs;
mod template;
mod tests_items;
pub mod types;
mod values;

use common::*;
use decls::*;
use files::*;
use needs::*;
use tests_items::*;

use std::collections::{BTreeSet, HashMap};

use chrono::{Months, NaiveDate};

use crate::ast::{self, Clause, Literal, ResolutionStatus, SetElem, Spanned};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId, did_you_mean};
use crate::ir::{self, Citation, Cond, HsPattern, Interval, Level, Program};
use crate::model::{Hs, Place, Vocab};
use crate::source::{SourceFile, Span};
use lower::{Lowerer, Scope, lit_desc};
use types::{SET_TYPES, Ty, set_type};

/// Parses and compiles rule files together (names are shared across files).
/// Returns the program when there is no error, and every diagnostic in any case.
pub fn compile(files: &[SourceFile]) -> (Option<Program>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut parsed = Vec::new();
    for (file_id, file) in files.iter().enumerate() {
        let (ast, diags) = crate::syntax::parse_file(&file.text, file_id);
        diagnostics.extend(diags);
        parsed.push(ast);
    }
    let trees: Vec<&ast::RuleFile> = parsed.iter().collect();
    lower_parsed(&trees, diagnostics)
}

/// Compiles rule files already parsed (`syntax::parse_file`), their syntax errors in
/// `diagnostics`: what `compile` does after parsing, for a caller that keeps each file's parse
/// while its text is unchanged (the language server re-checks a pack after each edit this way)
pub fn lower_parsed(
    parsed: &[&ast::RuleFile],
    mut diagnostics: Diagnostics,
) -> (Option<Program>, Diagnostics) {
    let program = lower_files(parsed, &mut diagnostics);
    if diagnostics.has_errors() {
        (None, diagnostics)
    } else {
        (Some(program), diagnostics)
    }
}

/// A set's typed values
#[derive(Clone, Debug)]
pub(crate) enum SetVal {
    Hs(Vec<HsPattern>),
    Place(Vec<Place>),
    Sym(Vocab, Vec<u8>),
    Str(Vec<String>),
}

impl SetVal {
    fn describe(&self) -> String {
        match self {
            SetVal::Hs(_) => "HS codes".into(),
            SetVal::Place(_) => "places".into(),
            SetVal::Sym(v, _) => format!("{} values", v.name()),
            SetVal::Str(_) => "strings".into(),
        }
    }
}

struct ResolutionInfo {
    status: ResolutionStatus,
    adopted: Option<NaiveDate>,
    symbol: String,
}

/// What the compiler knows while lowering one item
pub(crate) struct Ctx<'a> {
    file: FileId,
    diagnostics: &'a mut Diagnostics,
    sets: &'a HashMap<String, SetVal>,
    /// The names of the sets that conditions have used so far
    used_sets: &'a mut BTreeSet<String>,
}

impl Ctx<'_> {
    fn set_value(&mut self, name: &str) -> Option<SetVal> {
        let value = self.sets.get(name).cloned();
        if value.is_some() {
            self.used_sets.insert(name.to_string());
        }
        value
    }

    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn sym_literal(&mut self, vocab: Vocab, lit: &Spanned<Literal>) -> Option<u8> {
        let text = match &lit.node {
            Literal::Word(w) | Literal::Str(w) => w.as_str(),
            other => {
                let d = Diagnostic::new(
                    Code::E201,
                    self.file,
                    lit.span,
                    format!(
                        "expected a {} value, found {}",
                        vocab.name(),
                        lit_desc(other)
                    ),
                );
                self.push(d);
                return None;
            }
        };
        match vocab.code(text) {
            Some(code) => Some(code),
            None => {
                let candidates: Vec<&str> = vocab.values().to_vec();
                let help = match did_you_mean(text, candidates.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the {} values are {}", vocab.name(), candidates.join(", ")),
                };
                if did_you_mean(text, self.sets.keys().map(String::as_str)).is_some() {
                    self.unknown_set(text, lit.span, &format!("{} values", vocab.name()));
                    return None;
                }
                let d = Diagnostic::new(
                    Code::E211,
                    self.file,
                    lit.span,
                    format!("unknown {} `{text}`", vocab.name()),
                )
                .with_label("not in the vocabulary")
                .with_help(help);
                self.push(d);
                None
            }
        }
    }

    fn unknown_set(&mut self, name: &str, span: Span, of: &str) {
        let help = match did_you_mean(name, self.sets.keys().map(String::as_str)) {
            Some(s) => format!("did you mean the set `{s}`?"),
            None => format!(
                "declare it: `set {name}: TYPE = [...]`, or write the {of} in place: `[...]`"
            ),
        };
        let d = Diagnostic::new(Code::E202, self.file, span, format!("unknown set `{name}`"))
            .with_label("not a declared set")
            .with_help(help);
        self.push(d);
    }

    fn place_literal(&mut self, lit: &Spanned<Literal>) -> Option<Place> {
        let text = match &lit.node {
            Literal::Word(w) | Literal::Str(w) => w.as_str(),
            other => {
                let d = Diagnostic::new(
                    Code::E201,
                    self.file,
                    lit.span,
                    format!("expected a place code, found {}", lit_desc(other)),
                );
                self.push(d);
                return None;
            }
        };
        let place = Place::parse(text).filter(|_| text == text.to_ascii_uppercase());
        if place.is_none()
            && matches!(lit.node, Literal::Word(_))
            && text.chars().any(|c| c.is_ascii_lowercase())
        {
            self.unknown_set(text, lit.span, "places");
            return None;
        }
        if place.is_none() {
            let hint = if self.sets.contains_key(text) {
                format!("`{text}` is a set of another type")
            } else {
                "places are ISO 3166-1 alpha-2 codes (`KP`), withdrawn ISO 3166-3 codes (`RH`, `YU`) or ISO 3166-2 codes (`UA-14`), in capitals".to_string()
            };
            let d = Diagnostic::new(
                Code::E210,
                self.file,
                lit.span,
                format!("unknown place `{text}`"),
            )
            .with_label("not an ISO 3166 code")
            .with_help(hint);
            self.push(d);
        }
        place
    }

    fn hs_literal(&mut self, lit: &Spanned<Literal>) -> Option<Hs> {
        let text = match &lit.node {
            Literal::Number(n) | Literal::Str(n) => n.as_str(),
            Literal::Word(w) => {
                self.unknown_set(w, lit.span, "HS codes");
                return None;
            }
            other => {
                let d = Diagnostic::new(
                    Code::E209,
                    self.file,
                    lit.span,
                    format!("expected an HS code, found {}", lit_desc(other)),
                )
                .with_help("HS codes are written as digits: `93`, `9306`, `930690`");
                self.push(d);
                return None;
            }
        };
        let code = Hs::parse(text).filter(|h| h.len() % 2 == 0);
        if code.is_none() {
            let d = Diagnostic::new(
                Code::E209,
                self.file,
                lit.span,
                format!("`{text}` is not a well-formed HS code"),
            )
            .with_label("not 2, 4, 6, 8 or 10 digits")
            .with_help(
                "a chapter has 2 digits, a heading 4, a subheading 6 (national lines 8 or 10)",
            );
            self.push(d);
        }
        code
    }

    fn hs_elem(&mut self, elem: &SetElem) -> Option<HsPattern> {
        match elem {
            SetElem::One(l) => Some(HsPattern::One(self.hs_literal(l)?)),
            SetElem::Range(a, b) => {
                let lo = self.hs_literal(a)?;
                let hi = self.hs_literal(b)?;
                if lo.len() != hi.len() || lo > hi {
                    let d = Diagnostic::new(Code::E209, self.file, a.span.to(b.span), format!("`{lo}..{hi}` is not a range of HS codes"))
                        .with_help("both ends have the same number of digits and the first is not after the last");
                    self.push(d);
                    return None;
                }
                Some(HsPattern::Range(lo, hi))
            }
        }
    }
}

fn parse_date(
    s: &Spanned<String>,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(&s.node, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E102,
                    file,
                    s.span,
                    format!("`{}` is not a real day", s.node),
                )
                .with_label("no such day")
                .with_help("dates are YYYY-MM-DD"),
            );
            None
        }
    }
}

fn date_expr(e: &ast::DateExpr, file: FileId, diagnostics: &mut Diagnostics) -> Option<NaiveDate> {
    let date = parse_date(&e.date, file, diagnostics)?;
    let Some((n, unit)) = &e.offset else {
        return Some(date);
    };
    let result = match unit.node.as_str() {
        "days" => chrono::Duration::try_days(*n).and_then(|d| date.checked_add_signed(d)),
        "months" => u32::try_from(*n)
            .ok()
            .and_then(|m| date.checked_add_months(Months::new(m))),
        // A year is twelve months: 29 February plus one year is 28 February.
        _ => u32::try_from(*n)
            .ok()
            .and_then(|y| y.checked_mul(12))
            .and_then(|m| date.checked_add_months(Months::new(m))),
    };
    if result.is_none() {
        diagnostics.push(Diagnostic::new(
            Code::E208,
            file,
            e.span,
            "the date is out of range".to_string(),
        ));
    }
    result
}

/// The paragraph forms the resolutions use: `8`, `8(b)`, `8(a)(iii)`, `Annex B, 4`, `Annex B, 6(b)`,
/// and `Annex, 2(i)` for a resolution with a single annex, which has no letter (1636)
pub fn paragraph_is_well_formed(text: &str) -> bool {
    let body = match text.strip_prefix("Annex, ") {
        Some(para) => para,
        None => match text.strip_prefix("Annex ") {
            Some(rest) => {
                let Some((annex, para)) = rest.split_once(", ") else {
                    return false;
                };
                if annex.is_empty() || !annex.chars().all(|c| c.is_ascii_uppercase()) {
                    return false;
                }
                para
            }
            None => text,
        },
    };
    let digits_end = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    if digits_end == 0 {
        return false;
    }
    let mut rest = body.get(digits_end..).unwrap_or("");
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('(') else {
            return false;
        };
        let Some(close) = inner.find(')') else {
            return false;
        };
        let sub = inner.get(..close).unwrap_or("");
        if sub.is_empty() || !sub.chars().all(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        rest = inner.get(close + 1..).unwrap_or("");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::paragraph_is_well_formed;

    #[test]
    fn paragraphs_as_the_resolutions_number_them() {
        for good in [
            "8",
            "8(b)",
            "8(a)(iii)",
            "Annex B, 4",
            "Annex B, 6(b)",
            "Annex, 2(i)",
            "Annex II, 3",
        ] {
            assert!(paragraph_is_well_formed(good), "{good}");
        }
        for bad in [
            "",
            "Annex B 4",
            "Annex b, 4",
            "Annex, ",
            "Annex,2",
            "8()",
            "(b)",
            "annex B, 4",
        ] {
            assert!(!paragraph_is_well_formed(bad), "{bad}");
        }
    }
}
