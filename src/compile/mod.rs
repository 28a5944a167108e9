//! The checker and compiler: parsed rule files to one `ir::Program`, with every problem found.

mod lints;
mod lower;
pub mod types;

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
    let program = lower_files(&parsed, &mut diagnostics);
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

struct Decls {
    resolutions: HashMap<String, ResolutionInfo>,
    regimes: HashMap<String, String>,
    sets: HashMap<String, SetVal>,
    /// The declarations that rules and exceptions are expected to use, in file order
    declared: Vec<lints::Declared>,
}

fn duplicate(
    diagnostics: &mut Diagnostics,
    file: FileId,
    span: Span,
    what: &str,
    name: &str,
    first: (FileId, Span),
) {
    let where_ = if first.0 == file {
        "earlier in this file".to_string()
    } else {
        "in another file".to_string()
    };
    diagnostics.push(
        Diagnostic::new(
            Code::E206,
            file,
            span,
            format!("{what} `{name}` is defined twice"),
        )
        .with_label("second definition")
        .with_help(format!(
            "the first definition is {where_}; rename or remove one"
        )),
    );
}

fn has_rules(f: &ast::RuleFile) -> bool {
    f.items
        .iter()
        .any(|i| matches!(i, ast::Item::Rule(_) | ast::Item::Exception(_)))
}

fn collect_decls(files: &[ast::RuleFile], diagnostics: &mut Diagnostics) -> Decls {
    let mut resolutions = HashMap::new();
    let mut regimes = HashMap::new();
    let mut seen: HashMap<(u8, String), (FileId, Span)> = HashMap::new();
    let mut set_decls = Vec::new();
    let mut declared = Vec::new();
    for (file, f) in files.iter().enumerate() {
        for item in &f.items {
            let (kind, name, span, what) = match item {
                ast::Item::Resolution(r) => (0, r.symbol.node.clone(), r.symbol.span, "resolution"),
                ast::Item::Regime(r) => (1, r.name.node.clone(), r.name.span, "regime"),
                ast::Item::Set(s) => (2, s.name.node.clone(), s.name.span, "set"),
                ast::Item::Rule(r) => (3, r.id.node.clone(), r.id.span, "rule"),
                ast::Item::Exception(e) => (3, e.id.node.clone(), e.id.span, "exception"),
                // Test names need only be unique within their file.
                ast::Item::Test(t) => (
                    4,
                    format!("{file}\u{0}{}", t.name.node),
                    t.name.span,
                    "test",
                ),
            };
            if let Some(first) = seen.get(&(kind, name.clone())) {
                let shown = name.rsplit('\u{0}').next().unwrap_or(&name);
                duplicate(diagnostics, file, span, what, shown, *first);
                continue;
            }
            seen.insert((kind, name.clone()), (file, span));
            let used_kind = match item {
                // A vetoed or draft resolution is a record of what did not become law, and a
                // file with no rule or exception is a register of the law: its resolutions may
                // be listed for the record.
                ast::Item::Resolution(r)
                    if r.status.node == ResolutionStatus::Adopted && has_rules(f) =>
                {
                    Some(lints::DeclKind::Resolution)
                }
                ast::Item::Regime(_) => Some(lints::DeclKind::Regime),
                ast::Item::Set(_) => Some(lints::DeclKind::Set),
                _ => None,
            };
            if let Some(kind) = used_kind {
                declared.push(lints::Declared {
                    kind,
                    name: name.clone(),
                    file,
                    span,
                });
            }
            match item {
                ast::Item::Resolution(r) => {
                    let adopted = r
                        .date
                        .as_ref()
                        .and_then(|d| parse_date(d, file, diagnostics));
                    resolutions.insert(
                        name,
                        ResolutionInfo {
                            status: r.status.node,
                            adopted,
                            symbol: r.symbol.node.clone(),
                        },
                    );
                }
                ast::Item::Regime(r) => {
                    regimes.insert(name.clone(), name);
                    let _ = r;
                }
                ast::Item::Set(s) => set_decls.push((file, s)),
                _ => {}
            }
        }
    }
    let mut sets = HashMap::new();
    for (file, s) in set_decls {
        let Some(ty) = set_type(&s.ty.node) else {
            diagnostics.push(
                Diagnostic::new(
                    Code::E201,
                    file,
                    s.ty.span,
                    format!("unknown set type `{}`", s.ty.node),
                )
                .with_help(format!("set types are {}", SET_TYPES.join(", "))),
            );
            continue;
        };
        if Vocab::ALL.iter().any(|v| v.code(&s.name.node).is_some()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::E216,
                    file,
                    s.name.span,
                    format!("the set name `{}` is also a vocabulary value", s.name.node),
                )
                .with_help(
                    "rename the set, for example with a plural or a suffix: `arms_hs`, `sellers`",
                ),
            );
        }
        let mut ctx = Ctx {
            file,
            diagnostics,
            sets: &HashMap::new(),
            used_sets: &mut BTreeSet::new(),
        };
        let val = match ty {
            Ty::Hs => SetVal::Hs(s.elems.iter().filter_map(|e| ctx.hs_elem(e)).collect()),
            Ty::Place => SetVal::Place(
                one_elems(&mut ctx, &s.elems)
                    .into_iter()
                    .filter_map(|l| ctx.place_literal(l))
                    .collect(),
            ),
            Ty::Sym(v) => {
                let mut codes: Vec<u8> = one_elems(&mut ctx, &s.elems)
                    .into_iter()
                    .filter_map(|l| ctx.sym_literal(v, l))
                    .collect();
                codes.sort_unstable();
                codes.dedup();
                SetVal::Sym(v, codes)
            }
            _ => SetVal::Str(
                one_elems(&mut ctx, &s.elems)
                    .into_iter()
                    .filter_map(|l| match &l.node {
                        Literal::Str(x) | Literal::Word(x) => Some(x.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
        };
        sets.insert(s.name.node.clone(), val);
    }
    Decls {
        resolutions,
        regimes,
        sets,
        declared,
    }
}

fn one_elems<'e>(ctx: &mut Ctx<'_>, elems: &'e [SetElem]) -> Vec<&'e Spanned<Literal>> {
    let mut out = Vec::new();
    for e in elems {
        match e {
            SetElem::One(l) => out.push(l),
            SetElem::Range(a, b) => ctx.push(Diagnostic::new(
                Code::E201,
                ctx.file,
                a.span.to(b.span),
                "ranges `a..b` are for HS codes only".to_string(),
            )),
        }
    }
    out
}

/// The common clauses of rules and exceptions, checked
struct Common {
    title: Option<String>,
    regime: Option<Spanned<String>>,
    citations: Vec<Citation>,
    intervals: Vec<Interval>,
    when: Option<Spanned<ast::Expr>>,
    then: Option<(Spanned<String>, Spanned<String>)>,
    authorized_by: Vec<String>,
    notes: Vec<ir::Note>,
    overrides: Vec<Spanned<String>>,
    has_in_force: bool,
    has_cites: bool,
    /// The span of each interval of `intervals`, in the same order
    interval_spans: Vec<Span>,
    /// Each citation's days: adoption, and the day it took effect (`from`, else adoption)
    cited: Vec<lints::Cited>,
}

fn common(
    clauses: &[Clause],
    file: FileId,
    decls: &Decls,
    diagnostics: &mut Diagnostics,
) -> Common {
    let mut c = Common {
        title: None,
        regime: None,
        citations: Vec::new(),
        intervals: Vec::new(),
        when: None,
        then: None,
        authorized_by: Vec::new(),
        notes: Vec::new(),
        overrides: Vec::new(),
        has_in_force: false,
        has_cites: false,
        interval_spans: Vec::new(),
        cited: Vec::new(),
    };
    let mut seen: HashMap<&'static str, Span> = HashMap::new();
    let mut once = |name: &'static str, span: Span, diagnostics: &mut Diagnostics| {
        if seen.insert(name, span).is_some() {
            diagnostics.push(
                Diagnostic::new(Code::E214, file, span, format!("`{name}` appears twice"))
                    .with_help(format!("write one `{name}` clause")),
            );
        }
    };
    let mut earliest_adoption: Option<NaiveDate> = None;
    // The span of each lowered interval, in the order of `c.intervals`.
    let mut interval_spans: Vec<Span> = Vec::new();
    for clause in clauses {
        match clause {
            Clause::Title(t) => {
                once("title", t.span, diagnostics);
                c.title = Some(t.node.clone());
            }
            Clause::Regime(r) => {
                once("regime", r.span, diagnostics);
                if !decls.regimes.contains_key(&r.node) {
                    let help = did_you_mean(&r.node, decls.regimes.keys().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| format!("declare it: `regime {} {{ ... }}`", r.node));
                    diagnostics.push(
                        Diagnostic::new(
                            Code::E203,
                            file,
                            r.span,
                            format!("unknown regime `{}`", r.node),
                        )
                        .with_label("not declared")
                        .with_help(help),
                    );
                }
                c.regime = Some(r.clone());
            }
            Clause::Cites(cites) => {
                c.has_cites = true;
                for cite in cites {
                    if !paragraph_is_well_formed(&cite.paragraph.node) {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::E104,
                                file,
                                cite.paragraph.span,
                                format!(
                                    "`{}` is not a paragraph as resolutions number them",
                                    cite.paragraph.node
                                ),
                            )
                            .with_help("write `8`, `8(b)`, `8(a)(iii)` or \"Annex B, 4\""),
                        );
                    }
                    match decls.resolutions.get(&cite.resolution.node) {
                        None => {
                            let help = did_you_mean(
                                &cite.resolution.node,
                                decls.resolutions.keys().map(String::as_str),
                            )
                            .map(|s| format!("did you mean \"{s}\"?"))
                            .unwrap_or_else(|| {
                                format!(
                                    "declare it: `resolution \"{}\" adopted YYYY-MM-DD`",
                                    cite.resolution.node
                                )
                            });
                            diagnostics.push(
                                Diagnostic::new(
                                    Code::E204,
                                    file,
                                    cite.resolution.span,
                                    format!("unknown resolution \"{}\"", cite.resolution.node),
                                )
                                .with_label("not declared")
                                .with_help(help),
                            );
                        }
                        Some(info) if info.status != ResolutionStatus::Adopted => {
                            let what = if info.status == ResolutionStatus::Vetoed {
                                "was vetoed"
                            } else {
                                "is a draft that was never adopted"
                            };
                            diagnostics.push(
                                Diagnostic::new(Code::E207, file, cite.resolution.span, format!("\"{}\" {what} and has no legal effect", info.symbol))
                                    .with_label("cannot be cited")
                                    .with_help("cite the adopted resolutions that impose the measure; a vetoed draft may be recorded, never enforced"),
                            );
                        }
                        Some(info) => {
                            let mut effective = info.adopted;
                            if let Some(d) = info.adopted {
                                earliest_adoption =
                                    Some(earliest_adoption.map_or(d, |e: NaiveDate| e.min(d)));
                                let from = cite
                                    .from
                                    .as_ref()
                                    .and_then(|f| date_expr(f, file, diagnostics));
                                if let (Some(f), Some(expr)) = (from, &cite.from)
                                    && f < d
                                {
                                    diagnostics.push(
                                        Diagnostic::new(Code::E208, file, expr.span, format!("the paragraph takes effect on {f}, before the resolution was adopted on {d}"))
                                            .with_label("before the law existed")
                                            .with_help("`from` names the day the cited paragraph took effect, on or after the adoption"),
                                    );
                                }
                                let took_effect = from.filter(|f| *f >= d).unwrap_or(d);
                                effective = Some(took_effect);
                                c.cited.push(lints::Cited {
                                    text: format!(
                                        "\"{}\" {}",
                                        cite.resolution.node, cite.paragraph.node
                                    ),
                                    adopted: d,
                                    effective: took_effect,
                                    unconfirmed: cite.unconfirmed,
                                    span: cite.resolution.span.to(cite.paragraph.span),
                                });
                            }
                            c.citations.push(Citation {
                                resolution: cite.resolution.node.clone(),
                                paragraph: cite.paragraph.node.clone(),
                                unconfirmed: cite.unconfirmed,
                                adopted: effective,
                            });
                        }
                    }
                }
            }
            Clause::InForce(intervals) => {
                c.has_in_force = true;
                for iv in intervals {
                    let start = date_expr(&iv.start, file, diagnostics);
                    let start = match (start, iv.start_kind) {
                        (Some(d), ast::Start::After) => d.succ_opt(),
                        (d, _) => d,
                    };
                    let until = iv
                        .until
                        .as_ref()
                        .and_then(|u| date_expr(u, file, diagnostics));
                    let Some(from) = start else { continue };
                    if let Some(u) = until
                        && u < from
                    {
                        diagnostics.push(
                            Diagnostic::new(Code::E208, file, iv.span, format!("the interval ends ({u}) before it starts ({from})"))
                                .with_label("inverted")
                                .with_help("`until` names the last day in force; it cannot come before the first"),
                        );
                        continue;
                    }
                    c.intervals.push(Interval { from, until });
                    interval_spans.push(iv.span);
                }
            }
            Clause::When(e) => {
                once("when", e.span, diagnostics);
                c.when = Some(e.clone());
            }
            Clause::Then(v, r) => {
                once("then", v.span, diagnostics);
                c.then = Some((v.clone(), r.clone()));
            }
            Clause::UnlessAuthorized(bodies) => {
                c.authorized_by
                    .extend(bodies.iter().map(|b| b.node.to_lowercase()));
            }
            Clause::Note(n, during) => {
                let during = during.as_ref().and_then(|iv| {
                    let from = date_expr(&iv.start, file, diagnostics)?;
                    let from = if iv.start_kind == ast::Start::After {
                        from.succ_opt()?
                    } else {
                        from
                    };
                    let until = iv
                        .until
                        .as_ref()
                        .and_then(|u| date_expr(u, file, diagnostics));
                    if let Some(u) = until
                        && u < from
                    {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::E208,
                                file,
                                iv.span,
                                format!("the note's interval ends ({u}) before it starts ({from})"),
                            )
                            .with_label("inverted")
                            .with_help("`until` names the last day the note applies"),
                        );
                        return None;
                    }
                    Some(Interval { from, until })
                });
                c.notes.push(ir::Note {
                    text: n.node.clone(),
                    during,
                });
            }
            Clause::Overrides(ids) => c.overrides.extend(ids.iter().cloned()),
        }
    }
    // INVARIANT: an interval never starts before the earliest resolution the rule cites.
    c.interval_spans = interval_spans;
    if let Some(adopted) = earliest_adoption {
        for (lowered, span) in c.intervals.iter().zip(&c.interval_spans) {
            if lowered.from < adopted {
                diagnostics.push(
                    Diagnostic::new(Code::E208, file, *span, format!("the interval starts on {} but the earliest resolution cited was adopted on {adopted}", lowered.from))
                        .with_label("before the law existed")
                        .with_help("a measure cannot be in force before the resolution that imposes it"),
                );
            }
        }
    }
    c
}

fn missing(
    diagnostics: &mut Diagnostics,
    file: FileId,
    span: Span,
    what: &str,
    clause: &str,
    example: &str,
) {
    diagnostics.push(
        Diagnostic::new(
            Code::E213,
            file,
            span,
            format!("{what} has no `{clause}` clause"),
        )
        .with_label(format!("needs `{clause}`"))
        .with_help(format!("add it, for example: {example}")),
    );
}

fn lower_files(files: &[ast::RuleFile], diagnostics: &mut Diagnostics) -> Program {
    let decls = collect_decls(files, diagnostics);
    let mut used = lints::Used::default();
    let mut program = Program::default();
    let mut rule_spans: Vec<(FileId, Span)> = Vec::new();
    // Whether each rule compiled without error: an error leaves `false` in its condition.
    let mut rule_clean: Vec<bool> = Vec::new();
    // The citations marked `unconfirmed`, for W308 once every rule is known.
    let mut unconfirmed: Vec<lints::Unconfirmed> = Vec::new();
    // Each clean rule's days and citations, for W306 once every rule is known.
    let mut rule_days: Vec<lints::RuleDays> = Vec::new();

    for (file, f) in files.iter().enumerate() {
        for item in &f.items {
            let ast::Item::Rule(rule) = item else {
                continue;
            };
            let errors_before = diagnostics.error_count();
            let c = common(&rule.clauses, file, &decls, diagnostics);
            let head = rule.id.span;
            if c.regime.is_none() {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "regime",
                    "`regime DPRK`",
                );
            }
            if !c.has_cites {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "cites",
                    "`cites \"S/RES/1718 (2006)\" 8(b)`",
                );
            }
            if !c.has_in_force {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "in force",
                    "`in force from 2006-10-14`",
                );
            }
            if !c.overrides.is_empty() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E201,
                        file,
                        head,
                        "a rule cannot override other rules".to_string(),
                    )
                    .with_help("write an `exception` item with `overrides` instead"),
                );
            }
            if c.when.is_none() {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "when",
                    "`when origin within KP and ...`",
                );
            }
            if c.then.is_none() {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "then",
                    "`then prohibited \"{g.hs} procured from the DPRK\"`",
                );
            }
            let level = match &c.then {
                Some((v, _)) => match Level::parse(&v.node) {
                    Some(Level::Clear) | None => {
                        diagnostics.push(
                            Diagnostic::new(Code::E211, file, v.span, format!("`{}` is not a verdict a rule can give", v.node))
                                .with_help("a rule gives `prohibited`, `authorization_required`, `review` or `notify`"),
                        );
                        Level::Review
                    }
                    Some(l) => l,
                },
                None => Level::Review,
            };
            used.note(&c);
            let (cond, reason, vars, var_names) = lower_body(
                file,
                &decls,
                &mut used,
                diagnostics,
                c.when.as_ref(),
                Cond::Const(false),
                c.then.as_ref().map(|(_, r)| r),
            );
            let reason = reason.unwrap_or_default();
            // An error already replaced part of the condition with `false`: no lint on top.
            let had_errors = diagnostics.error_count() > errors_before;
            if !had_errors && let Some(never) = lints::never_fires(&cond, &c.intervals) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::W300,
                        file,
                        c.when.as_ref().map_or(head, |w| w.span),
                        "the rule can never fire".to_string(),
                    )
                    .with_label(never.reason)
                    .with_help(never.help),
                );
            }
            if !had_errors {
                lints::never_in_force(&c.intervals, file, head, diagnostics);
                let first = c
                    .intervals
                    .iter()
                    .zip(&c.interval_spans)
                    .min_by_key(|(iv, _)| iv.from)
                    .map(|(iv, span)| (iv.from, *span));
                rule_days.push(lints::RuleDays {
                    file,
                    cited: c.cited.clone(),
                    first,
                });
                lints::unexplained_gaps(
                    &c.cited,
                    &c.intervals,
                    &c.interval_spans,
                    file,
                    diagnostics,
                );
                lints::places_of_today(
                    &cond,
                    &c.intervals,
                    file,
                    c.when.as_ref().map_or(head, |w| w.span),
                    diagnostics,
                );
            }
            if let Some(regime) = &c.regime {
                unconfirmed.extend(c.cited.iter().filter(|x| x.unconfirmed).map(|x| {
                    lints::Unconfirmed {
                        regimes: vec![regime.node.clone()],
                        file,
                        cited: x.clone(),
                    }
                }));
            }
            rule_spans.push((file, rule.id.span));
            rule_clean.push(!had_errors);
            program.rules.push(ir::Rule {
                id: rule.id.node.clone(),
                title: c.title,
                regime: c.regime.map(|r| r.node).unwrap_or_default(),
                citations: c.citations,
                intervals: c.intervals,
                cond,
                level,
                reason,
                notes: c.notes,
                authorized_by: c.authorized_by,
                exceptions: Vec::new(),
                vars,
                var_names,
                file,
                span: rule.span,
            });
        }
    }

    for (file, f) in files.iter().enumerate() {
        for item in &f.items {
            let ast::Item::Exception(exc) = item else {
                continue;
            };
            let c = common(&exc.clauses, file, &decls, diagnostics);
            let head = exc.id.span;
            if c.overrides.is_empty() {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the exception",
                    "overrides",
                    "`overrides un.dprk.coal.*`",
                );
            }
            if !c.has_cites {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the exception",
                    "cites",
                    "`cites \"S/RES/2270 (2016)\" 29(b)`",
                );
            }
            if !c.has_in_force {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the exception",
                    "in force",
                    "`in force from 2016-03-02 until 2017-08-04`",
                );
            }
            if let Some((v, _)) = &c.then {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E201,
                        file,
                        v.span,
                        "an exception gives no verdict".to_string(),
                    )
                    .with_help(
                        "an exception lifts the findings of the rules it overrides; remove `then`",
                    ),
                );
            }
            if !c.authorized_by.is_empty() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E201,
                        file,
                        head,
                        "an exception cannot be lifted by an authorization".to_string(),
                    )
                    .with_help("put `unless authorized by` on the rules it overrides"),
                );
            }
            used.note(&c);
            let (cond, _, vars, var_names) = lower_body(
                file,
                &decls,
                &mut used,
                diagnostics,
                c.when.as_ref(),
                Cond::Const(true),
                None,
            );
            let exc_idx = program.exceptions.len();
            for pattern in &c.overrides {
                let matched: Vec<usize> = program
                    .rules
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| pattern_matches(&pattern.node, &r.id))
                    .map(|(i, _)| i)
                    .collect();
                if matched.is_empty() {
                    let help =
                        did_you_mean(&pattern.node, program.rules.iter().map(|r| r.id.as_str()))
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| {
                                "name a rule id, or a prefix ending in `.*`".to_string()
                            });
                    diagnostics.push(
                        Diagnostic::new(
                            Code::E205,
                            file,
                            pattern.span,
                            format!(
                                "`{}` matches no rule, so the exception overrides nothing",
                                pattern.node
                            ),
                        )
                        .with_label("no such rule")
                        .with_help(help),
                    );
                }
                for i in matched {
                    let Some(rule) = program.rules.get_mut(i) else {
                        continue;
                    };
                    if !rule.exceptions.contains(&exc_idx) {
                        rule.exceptions.push(exc_idx);
                    }
                    let overlaps = c.intervals.is_empty()
                        || rule
                            .intervals
                            .iter()
                            .any(|ri| c.intervals.iter().any(|ei| overlap(ri, ei)));
                    if !overlaps {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::W301,
                                file,
                                pattern.span,
                                format!("the exception is never in force while `{}` is", rule.id),
                            )
                            .with_help("check the dates of both"),
                        );
                    }
                }
            }
            // The exception's regimes: its own, else those of the rules it overrides; an
            // exception that has ended is no reason for W308.
            let mut regimes: Vec<String> = match &c.regime {
                Some(r) => vec![r.node.clone()],
                None => program
                    .rules
                    .iter()
                    .filter(|r| c.overrides.iter().any(|p| pattern_matches(&p.node, &r.id)))
                    .map(|r| r.regime.clone())
                    .collect(),
            };
            regimes.sort();
            regimes.dedup();
            if c.intervals.iter().any(|iv| iv.until.is_none()) {
                unconfirmed.extend(c.cited.iter().filter(|x| x.unconfirmed).map(|x| {
                    lints::Unconfirmed {
                        regimes: regimes.clone(),
                        file,
                        cited: x.clone(),
                    }
                }));
            }
            program.exceptions.push(ir::Exception {
                id: exc.id.node.clone(),
                title: c.title,
                citations: c.citations,
                intervals: c.intervals,
                cond,
                notes: c.notes,
                vars,
                var_names,
            });
        }
    }

    lints::unconfirmed_in_force(&unconfirmed, &program.rules, diagnostics);
    lints::late_start(&rule_days, diagnostics);

    let mut tested: BTreeSet<String> = BTreeSet::new();
    for (file, f) in files.iter().enumerate() {
        for item in &f.items {
            let ast::Item::Test(t) = item else { continue };
            let case = lower_test(t, file, &program, diagnostics);
            for e in &case.expects {
                tested.extend(e.rules.iter().flatten().cloned());
            }
            program.tests.push(case);
        }
    }
    let any_tests = !program.tests.is_empty();
    for (rule, (file, span)) in program.rules.iter().zip(&rule_spans) {
        if any_tests && !tested.contains(&rule.id) {
            diagnostics.push(
                Diagnostic::new(Code::W302, *file, *span, format!("no test expects `{}` to fire", rule.id))
                    .with_help("add a `test` whose `expect ... by` names the rule, on the days around its boundaries"),
            );
        }
    }
    lints::duplicate_rules(&program.rules, &rule_spans, &rule_clean, diagnostics);
    // An error can hide a use (an unknown name, a dropped item): no lint on top.
    if !diagnostics.has_errors() && !program.rules.is_empty() {
        lints::unused_declarations(&decls, &used, diagnostics);
    }
    program.by_activity = index_by_activity(&program.rules);
    program.needs = program.rules.iter().map(|r| needs(&r.cond)).collect();
    program
}

/// Lowers a condition (`default` when there is none) and, with the same variables in scope, a
/// reason template; returns them with what each variable ranges over
fn lower_body(
    file: FileId,
    decls: &Decls,
    used: &mut lints::Used,
    diagnostics: &mut Diagnostics,
    when: Option<&Spanned<ast::Expr>>,
    default: Cond,
    reason: Option<&Spanned<String>>,
) -> (Cond, Option<ir::Template>, Vec<ir::ListRef>, Vec<String>) {
    let mut ctx = Ctx {
        file,
        diagnostics,
        sets: &decls.sets,
        used_sets: &mut used.sets,
    };
    let mut lowerer = Lowerer {
        ctx: &mut ctx,
        scope: Scope::default(),
    };
    let cond = match when {
        Some(w) => lowerer.cond(w),
        None => default,
    };
    let template = reason.map(|r| lowerer.template(r));
    let vars = lowerer.scope.vars.iter().map(|(_, l)| *l).collect();
    let var_names = lowerer.scope.vars.iter().map(|(n, _)| n.clone()).collect();
    (cond, template, vars, var_names)
}

fn overlap(a: &Interval, b: &Interval) -> bool {
    let a_end = a.until.unwrap_or(NaiveDate::MAX);
    let b_end = b.until.unwrap_or(NaiveDate::MAX);
    a.from <= b_end && b.from <= a_end
}

/// Whether an `overrides` pattern (an id, or a prefix ending in `.*`) matches a rule id
pub fn pattern_matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix(".*") {
        Some(prefix) => id
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.')),
        None => pattern == id,
    }
}

fn lower_test(
    t: &ast::Test,
    file: FileId,
    program: &Program,
    diagnostics: &mut Diagnostics,
) -> ir::TestCase {
    let mut expects = Vec::new();
    for e in &t.expects {
        let on = e.on.as_ref().and_then(|d| parse_date(d, file, diagnostics));
        let level = match Level::parse(&e.verdict.node) {
            Some(l) => l,
            None => {
                diagnostics.push(
                    Diagnostic::new(Code::E211, file, e.verdict.span, format!("unknown verdict `{}`", e.verdict.node))
                        .with_help("expect `prohibited`, `authorization_required`, `review`, `notify` or `clear`"),
                );
                continue;
            }
        };
        if let Some(ids) = &e.rules {
            for id in ids {
                // `list.NAME`: the finding of a list match no rule used (a test record's
                // designations come from the list `test`), not a rule of the pack.
                if !id.node.starts_with("list.") && !program.rules.iter().any(|r| r.id == id.node) {
                    let help = did_you_mean(&id.node, program.rules.iter().map(|r| r.id.as_str()))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "name the id of a rule in the loaded files".to_string());
                    diagnostics.push(
                        Diagnostic::new(
                            Code::E217,
                            file,
                            id.span,
                            format!("no rule has the id `{}`", id.node),
                        )
                        .with_label("unknown rule")
                        .with_help(help),
                    );
                }
            }
        }
        expects.push(ir::Expectation {
            on,
            level,
            rules: e
                .rules
                .as_ref()
                .map(|ids| ids.iter().map(|i| i.node.clone()).collect()),
            span: e.span,
        });
    }
    let record = match &t.record {
        None => {
            missing(
                diagnostics,
                file,
                t.name.span,
                "the test",
                "record",
                "`record {id: t1, date: 2022-09-05, activity: trade}`",
            );
            None
        }
        Some(text) => {
            let first_on = t
                .expects
                .iter()
                .find_map(|e| e.on.as_ref())
                .map(|d| d.node.clone());
            test_record(text, &t.name.node, first_on, file, diagnostics)
        }
    };
    if t.expects.is_empty() {
        missing(
            diagnostics,
            file,
            t.name.span,
            "the test",
            "expect",
            "`expect prohibited by un.dprk.arms.from_dprk`",
        );
    }
    if record.as_ref().is_some_and(|_| t.record.is_some())
        && t.expects.iter().any(|e| e.on.is_none())
    {
        // The record's own date is used for these; it must have one.
        if let Some(text) = &t.record
            && !text.node.contains("date")
        {
            diagnostics.push(
                Diagnostic::new(
                    Code::E213,
                    file,
                    text.span,
                    "an `expect` without `on DATE` needs the record's `date`".to_string(),
                )
                .with_help(
                    "add `date: YYYY-MM-DD` to the record or `on YYYY-MM-DD` to the expectation",
                ),
            );
        }
    }
    ir::TestCase {
        name: t.name.node.clone(),
        file,
        span: t.span,
        record,
        expects,
    }
}

fn test_record(
    text: &Spanned<String>,
    name: &str,
    first_on: Option<String>,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> Option<crate::model::Transaction> {
    let mut value: serde_yaml::Value = match serde_yaml::from_str(&text.node) {
        Ok(v) => v,
        Err(e) => {
            diagnostics.push(
                Diagnostic::new(Code::E105, file, text.span, format!("the record cannot be read: {e}"))
                    .with_help("write the record as a YAML flow mapping: `{id: t1, date: 2022-09-05, activity: trade}`"),
            );
            return None;
        }
    };
    let serde_yaml::Value::Mapping(map) = &mut value else {
        diagnostics.push(Diagnostic::new(
            Code::E105,
            file,
            text.span,
            "the record is not a mapping".to_string(),
        ));
        return None;
    };
    // What screening against a list would find, given by the test (docs/language.md#tests).
    let (designated, errors) = crate::model::designation::take_designations(map);
    // The record itself, read strictly as `screen` reads records: every problem, at its field.
    let mut defaults = vec![("id", name)];
    if let Some(d) = &first_on {
        defaults.push(("date", d.as_str()));
    }
    let read = crate::model::read::read_test_record(&text.node, &defaults);
    for message in &errors {
        diagnostics.push(Diagnostic::new(
            Code::E400,
            file,
            text.span,
            format!("the test record is invalid: {message}"),
        ));
    }
    match read {
        Ok(mut t) if errors.is_empty() => {
            crate::model::designation::give_designations(&mut t, designated);
            Some(t)
        }
        Ok(_) => None,
        Err(problems) => {
            for p in problems {
                let start = text.span.start.saturating_add(p.offset).min(text.span.end);
                let end = start.saturating_add(p.len).min(text.span.end);
                diagnostics.push(Diagnostic::new(
                    Code::E400,
                    file,
                    Span { start, end },
                    format!("the test record is invalid: {}", p.message),
                ));
            }
            None
        }
    }
}

/// What a record must contain for `cond` to hold (conservative: `None`/`false` when unsure)
fn needs(cond: &Cond) -> ir::Needs {
    ir::Needs {
        countries: needed_countries(cond),
        un_ref: needs_un_ref(cond),
    }
}

/// The countries one of which some place of the record must lie in for `cond` to hold
fn needed_countries(cond: &Cond) -> Option<Vec<[u8; 2]>> {
    let found = match cond {
        Cond::Cmp(_, ir::Test::PlaceIs(places)) => {
            Some(places.iter().map(Place::country_code).collect::<Vec<_>>())
        }
        // A place within one named on some day only counts too (`ZW` for `within RH`).
        Cond::Cmp(_, ir::Test::PlaceWithin(places)) => Some(
            places
                .iter()
                .flat_map(|p| std::iter::once(p.country_code()).chain(p.dated_countries()))
                .collect::<Vec<_>>(),
        ),
        // Any one conjunct's need is the whole conjunction's; take the narrowest.
        Cond::And(parts) => parts
            .iter()
            .filter_map(needed_countries)
            .min_by_key(Vec::len),
        Cond::Or(parts) => {
            let mut all = Vec::new();
            for p in parts {
                all.extend(needed_countries(p)?);
            }
            Some(all)
        }
        Cond::Quant {
            quantifier: ir::Quantifier::Any,
            body,
            ..
        } => needed_countries(body),
        _ => None,
    };
    found.map(|mut v| {
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Whether `cond` can hold only when some party has a `un_ref` identifier
fn needs_un_ref(cond: &Cond) -> bool {
    match cond {
        Cond::Cmp(
            ir::Access::Party(_, ir::PartyField::Id(key)),
            ir::Test::StrIn(_) | ir::Test::StrPrefix(_),
        ) => key == "un_ref",
        Cond::Exists(ir::Access::Party(_, ir::PartyField::Id(key))) => key == "un_ref",
        Cond::And(parts) => parts.iter().any(needs_un_ref),
        Cond::Or(parts) => !parts.is_empty() && parts.iter().all(needs_un_ref),
        Cond::Quant {
            quantifier: ir::Quantifier::Any,
            body,
            ..
        } => needs_un_ref(body),
        _ => false,
    }
}

/// For each activity code, the rules whose condition does not exclude it
fn index_by_activity(rules: &[ir::Rule]) -> Vec<Vec<usize>> {
    let n = Vocab::Activity.values().len();
    let mut index = vec![Vec::new(); n];
    for (i, rule) in rules.iter().enumerate() {
        let allowed = required_activities(&rule.cond);
        for (code, bucket) in index.iter_mut().enumerate() {
            let code = u8::try_from(code).unwrap_or(u8::MAX);
            if allowed.as_ref().is_none_or(|a| a.contains(&code)) {
                bucket.push(i);
            }
        }
    }
    index
}

/// The activities a condition requires, if it requires any
fn required_activities(cond: &Cond) -> Option<Vec<u8>> {
    match cond {
        Cond::Cmp(ir::Access::Activity, ir::Test::SymIn(codes)) => Some(codes.clone()),
        Cond::And(parts) => parts.iter().find_map(required_activities),
        Cond::Or(parts) => {
            let mut all = Vec::new();
            for p in parts {
                all.extend(required_activities(p)?);
            }
            Some(all)
        }
        _ => None,
    }
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
