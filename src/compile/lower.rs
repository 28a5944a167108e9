//! Lowering conditions and reason templates: names resolved, types checked, values typed.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

use super::types::{ROOT_FIELDS, Ty, elem_field, elem_fields, elem_self, root_field, root_list};
use super::{Ctx, SetVal};
use crate::ast::{self, CmpOp, Literal, Operand, SetElem, Spanned};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::ir::{Access, Cond, FieldOp, HsPattern, ListRef, Ord6, Template, TemplatePart, Test};
use crate::model::{Place, Vocab};
use crate::source::Span;

/// The variables in scope while lowering one rule's condition
#[derive(Default)]
pub(crate) struct Scope {
    /// Names bound by enclosing quantifiers, innermost last: (name, slot, list)
    stack: Vec<(String, usize, ListRef)>,
    /// Every variable the rule binds, by slot
    pub(crate) vars: Vec<(String, ListRef)>,
}

pub(crate) struct Lowerer<'c, 'a> {
    pub(crate) ctx: &'c mut Ctx<'a>,
    pub(crate) scope: Scope,
}

impl Lowerer<'_, '_> {
    fn error(&mut self, code: Code, span: Span, message: String) -> Diagnostic {
        Diagnostic::new(code, self.ctx.file, span, message)
    }

    fn push(&mut self, d: Diagnostic) {
        self.ctx.diagnostics.push(d);
    }

    pub(crate) fn cond(&mut self, expr: &Spanned<ast::Expr>) -> Cond {
        match &expr.node {
            ast::Expr::Bool(b) => Cond::Const(*b),
            ast::Expr::And(parts) => Cond::And(parts.iter().map(|p| self.cond(p)).collect()),
            ast::Expr::Or(parts) => Cond::Or(parts.iter().map(|p| self.cond(p)).collect()),
            ast::Expr::Not(inner) => Cond::Not(Box::new(self.cond(inner))),
            ast::Expr::Quant {
                quantifier,
                list,
                var,
                body,
            } => {
                let Some((list_ref, slot)) = self.bind(list, var) else {
                    return Cond::Const(false);
                };
                let body = self.cond(body);
                self.scope.stack.pop();
                Cond::Quant {
                    quantifier: match quantifier {
                        ast::Quantifier::Any => crate::ir::Quantifier::Any,
                        ast::Quantifier::All => crate::ir::Quantifier::All,
                        ast::Quantifier::None => crate::ir::Quantifier::None,
                    },
                    list: list_ref,
                    var: slot,
                    body: Box::new(body),
                }
            }
            ast::Expr::Count {
                list,
                var,
                body,
                op,
                n,
            } => {
                let Some((list_ref, slot)) = self.bind(list, var) else {
                    return Cond::Const(false);
                };
                let body = self.cond(body);
                self.scope.stack.pop();
                let Some(op6) = ord6(op.node) else {
                    let d = self
                        .error(
                            Code::E201,
                            op.span,
                            format!("`count(...)` is compared with `{}`", op.node.as_str()),
                        )
                        .with_help("compare a count with `==`, `!=`, `<`, `<=`, `>` or `>=`");
                    self.push(d);
                    return Cond::Const(false);
                };
                let Ok(count) = n.node.parse::<i64>() else {
                    let d = self.error(
                        Code::E201,
                        n.span,
                        format!("expected a whole number, found `{}`", n.node),
                    );
                    self.push(d);
                    return Cond::Const(false);
                };
                Cond::Count {
                    list: list_ref,
                    var: slot,
                    body: Box::new(body),
                    op: op6,
                    n: count,
                }
            }
            ast::Expr::Exists(path) => match self.path(path) {
                // Whether free text is there is still reading it.
                Some((_, Ty::FreeText)) => {
                    self.free_text(path);
                    Cond::Const(false)
                }
                Some((_, Ty::Elems(list))) => Cond::Exists(Access::List(list)),
                Some((access, _)) => Cond::Exists(access),
                None => Cond::Const(false),
            },
            ast::Expr::Cmp { lhs, op, rhs } => {
                let Some((access, ty)) = self.path(lhs) else {
                    return Cond::Const(false);
                };
                match self.test(ty, lhs, op, rhs) {
                    Some((test, negated)) => {
                        let c = Cond::Cmp(access, test);
                        if negated { Cond::Not(Box::new(c)) } else { c }
                    }
                    None => Cond::Const(false),
                }
            }
        }
    }

    fn bind(&mut self, list: &ast::Path, var: &Spanned<String>) -> Option<(ListRef, usize)> {
        let name = list.segments.first().map(|s| s.node.as_str()).unwrap_or("");
        let list_ref =
            match (list.segments.len(), root_list(name)) {
                (1, Some(l)) => l,
                _ => {
                    let lists = [
                        "parties",
                        "goods",
                        "vessels",
                        "transit",
                        "services",
                        "authorizations",
                    ];
                    let hint = did_you_mean(name, lists).map(|s| format!("did you mean `{s}`?"));
                    let d = self
                        .error(
                            Code::E200,
                            list.span,
                            format!("`{}` is not a list of the record", path_text(list)),
                        )
                        .with_label("not a list")
                        .with_help(hint.unwrap_or_else(|| {
                            format!("quantifiers range over {}", lists.join(", "))
                        }));
                    self.push(d);
                    return None;
                }
            };
        let slot = self.scope.vars.len();
        self.scope.vars.push((var.node.clone(), list_ref));
        self.scope.stack.push((var.node.clone(), slot, list_ref));
        Some((list_ref, slot))
    }

    /// Resolves a path in the current scope
    pub(crate) fn path(&mut self, path: &ast::Path) -> Option<(Access, Ty)> {
        let first = path.segments.first()?;
        let bound = self
            .scope
            .stack
            .iter()
            .rev()
            .find(|(n, _, _)| *n == first.node)
            .cloned();
        let (access, ty) = if let Some((_, slot, list)) = bound {
            match path.segments.get(1) {
                None => elem_self(list, slot),
                Some(seg) => match elem_field(list, slot, &seg.node) {
                    Some(found) => found,
                    None => {
                        let fields = elem_fields(list);
                        let d = self
                            .error(
                                Code::E200,
                                seg.span,
                                format!("unknown field `{}` of {}", seg.node, elem_desc(list)),
                            )
                            .with_label("unknown field")
                            .with_help(match did_you_mean(&seg.node, fields.iter().copied()) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None if fields.is_empty() => {
                                    format!("`{}` is a value and has no fields", first.node)
                                }
                                None => format!("its fields are {}", fields.join(", ")),
                            });
                        self.push(d);
                        return None;
                    }
                },
            }
        } else {
            match root_field(&first.node) {
                Some(found) => found,
                None if path.segments.len() > 1
                    || self.scope.vars.iter().any(|(n, _)| *n == first.node) =>
                {
                    // A name with fields, or one a quantifier binds elsewhere: a variable
                    // used where no quantifier binds it.
                    let bound_elsewhere = self.scope.vars.iter().any(|(n, _)| *n == first.node);
                    let (message, help) = if bound_elsewhere {
                        (
                            format!("`{}` is not bound here", first.node),
                            format!(
                                "`{}` names an element only inside the condition of its quantifier; move this test into that condition",
                                first.node
                            ),
                        )
                    } else {
                        (
                            format!("no quantifier binds `{}`", first.node),
                            "bind an element first, as in `any goods g: g.hs within 93`"
                                .to_string(),
                        )
                    };
                    let d = self
                        .error(Code::E212, first.span, message)
                        .with_label("unbound name")
                        .with_help(help);
                    self.push(d);
                    return None;
                }
                None => {
                    let mut candidates: Vec<&str> = ROOT_FIELDS.to_vec();
                    let names: Vec<String> =
                        self.scope.stack.iter().map(|(n, _, _)| n.clone()).collect();
                    candidates.extend(names.iter().map(String::as_str));
                    let d = self
                        .error(
                            Code::E200,
                            first.span,
                            format!("unknown field `{}`", first.node),
                        )
                        .with_label("not a field of the record")
                        .with_help(match did_you_mean(&first.node, candidates) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "see spec/records.md for the record's fields".to_string(),
                        });
                    self.push(d);
                    return None;
                }
            }
        };
        let used = if bound.is_some() { 2 } else { 1 };
        let (access, ty) = match (ty, path.segments.get(used)) {
            (Ty::Map, Some(key)) => {
                let Access::Party(slot, _) = access else {
                    return None;
                };
                (
                    Access::Party(slot, crate::ir::PartyField::Id(key.node.clone())),
                    Ty::Str,
                )
            }
            (Ty::Map, None) => {
                let d = self
                    .error(
                        Code::E201,
                        path.span,
                        "`ids` is a map; name one identifier".to_string(),
                    )
                    .with_help("write `p.ids.un_ref`, `p.ids.imo`, ...");
                self.push(d);
                return None;
            }
            (_, None) => (access, ty),
            (_, Some(extra)) => {
                let d = self.error(
                    Code::E200,
                    extra.span,
                    format!(
                        "`{}` has no field `{}`",
                        path_text_upto(path, used),
                        extra.node
                    ),
                );
                self.push(d);
                return None;
            }
        };
        if path.segments.len() > used + 1 && ty == Ty::Str {
            let d = self.error(
                Code::E200,
                path.span,
                format!("`{}` has too many parts", path_text(path)),
            );
            self.push(d);
            return None;
        }
        Some((access, ty))
    }

    fn free_text(&mut self, path: &ast::Path) {
        let d = self
            .error(Code::E215, path.span, format!("rules never read the free-text field `{}`", path_text(path)))
            .with_label("free text for people")
            .with_help("use structured fields such as `hs` or `categories`; an item's description may only appear in a reason template, as `{g.description}`");
        self.push(d);
    }

    fn test(
        &mut self,
        ty: Ty,
        lhs: &ast::Path,
        op: &Spanned<CmpOp>,
        rhs: &Operand,
    ) -> Option<(Test, bool)> {
        use CmpOp::*;
        let mismatch = |this: &mut Self, help: &str| {
            let d = this
                .error(
                    Code::E201,
                    op.span,
                    format!(
                        "`{}` does not apply to `{}`, which is {}",
                        op.node.as_str(),
                        path_text(lhs),
                        ty.describe()
                    ),
                )
                .with_label("operator")
                .with_help(help.to_string());
            this.push(d);
            None
        };
        let negated = matches!(op.node, Ne | NotIn | NotWithin);
        if let Operand::Field(rhs_path) = rhs {
            return self.field_test(ty, lhs, op, rhs_path).map(|t| (t, negated));
        }
        // A single word that names a field of the record (and no set) is that field: place codes
        // are in capitals, and no vocabulary value is the name of a field.
        if let Operand::One(lit) = rhs
            && let Literal::Word(w) = &lit.node
            && root_field(w).is_some()
            && !self.ctx.sets.contains_key(w.as_str())
        {
            let field = ast::Path {
                segments: vec![Spanned::new(w.clone(), lit.span)],
                span: lit.span,
            };
            return self.field_test(ty, lhs, op, &field).map(|t| (t, negated));
        }
        match ty {
            Ty::FreeText => {
                self.free_text(lhs);
                None
            }
            Ty::Sym(vocab) => match op.node {
                Eq | Ne | In | NotIn => {
                    let values = self.sym_values(vocab, rhs, !matches!(op.node, In | NotIn))?;
                    Some((Test::SymIn(values), negated))
                }
                _ => mismatch(
                    self,
                    "compare a vocabulary value with `==`, `!=`, `in` or `not in`",
                ),
            },
            Ty::SymList(vocab) => match op.node {
                Has => Some((Test::SymHas(self.sym_values(vocab, rhs, false)?), false)),
                _ => mismatch(
                    self,
                    "ask whether a list contains a value with `has`: `g.categories has arms`",
                ),
            },
            Ty::Str => match op.node {
                Eq | Ne | In | NotIn => Some((
                    Test::StrIn(self.str_values(rhs, !matches!(op.node, In | NotIn))?),
                    negated,
                )),
                StartsWith => Some((Test::StrPrefix(self.str_values(rhs, false)?), false)),
                _ => mismatch(
                    self,
                    "compare a string with `==`, `!=`, `in`, `not in` or `starts with`",
                ),
            },
            Ty::StrList => match op.node {
                Has => Some((Test::StrHas(self.str_values(rhs, false)?), false)),
                _ => mismatch(
                    self,
                    "ask whether a list contains a value with `has`: `p.tags has \"humanitarian\"`",
                ),
            },
            Ty::Place => match op.node {
                Eq | Ne => Some((Test::PlaceIs(self.place_values(rhs, true)?), negated)),
                Within | NotWithin => {
                    Some((Test::PlaceWithin(self.place_values(rhs, false)?), negated))
                }
                _ => mismatch(
                    self,
                    "places are compared with `within` (a subdivision lies within its country) or `==`",
                ),
            },
            Ty::Hs => match op.node {
                Eq | Ne => {
                    let pats = self.hs_values(rhs, true)?;
                    let codes = pats
                        .into_iter()
                        .filter_map(|p| {
                            if let HsPattern::One(h) = p {
                                Some(h)
                            } else {
                                None
                            }
                        })
                        .collect();
                    Some((Test::HsIs(codes), negated))
                }
                Within | NotWithin => Some((Test::HsWithin(self.hs_values(rhs, false)?), negated)),
                _ => mismatch(
                    self,
                    "HS codes are compared with `within` (a code lies within its heading and chapter) or `==`",
                ),
            },
            Ty::Num | Ty::Date | Ty::Money => {
                let Some(o) = ord6(op.node) else {
                    return mismatch(
                        self,
                        "compare numbers, dates and money with `==`, `!=`, `<`, `<=`, `>` or `>=`",
                    );
                };
                let Operand::One(lit) = rhs else {
                    return mismatch(self, "compare with one value, not a list");
                };
                // `!=` is the negation of `==`, so a missing field makes it true, as for other types.
                if o == Ord6::Ne {
                    return self.ordered(ty, Ord6::Eq, lit).map(|t| (t, true));
                }
                self.ordered(ty, o, lit).map(|t| (t, false))
            }
            Ty::PlaceList | Ty::Elems(_) | Ty::Map => {
                let help = match ty {
                    Ty::PlaceList => "use a quantifier: `any transit t: t within KP`",
                    _ => "use a quantifier such as `any goods g: ...` to reach the elements",
                };
                mismatch(self, help)
            }
        }
    }

    /// A field compared with another field: both of one type, with an operator of that type;
    /// `!=` and `not within` are lowered as the negation of `==` and `within`
    fn field_test(
        &mut self,
        ty: Ty,
        lhs: &ast::Path,
        op: &Spanned<CmpOp>,
        rhs: &ast::Path,
    ) -> Option<Test> {
        use CmpOp::*;
        let (access, rty) = self.path(rhs)?;
        if ty == Ty::FreeText || rty == Ty::FreeText {
            self.free_text(if ty == Ty::FreeText { lhs } else { rhs });
            return None;
        }
        if ty != rty {
            let d = self
                .error(
                    Code::E201,
                    lhs.span.to(rhs.span),
                    format!(
                        "`{}` is {} and `{}` is {}: they cannot be compared",
                        path_text(lhs),
                        ty.describe(),
                        path_text(rhs),
                        rty.describe()
                    ),
                )
                .with_label("fields of different types")
                .with_help(
                    "a field is compared only with a field of the same type: a place with a place, a date with a date, ...",
                );
            self.push(d);
            return None;
        }
        let field_op = match (ty, op.node) {
            (Ty::Place | Ty::Hs | Ty::Str | Ty::Sym(_), Eq | Ne) => FieldOp::Ord(Ord6::Eq),
            (Ty::Place | Ty::Hs, Within | NotWithin) => FieldOp::Within,
            (Ty::Num | Ty::Date | Ty::Money, _) if ord6(op.node).is_some() => match ord6(op.node) {
                Some(Ord6::Ne) | None => FieldOp::Ord(Ord6::Eq),
                Some(o) => FieldOp::Ord(o),
            },
            _ => {
                let help = match ty {
                    Ty::Place | Ty::Hs => "`==`, `!=`, `within` or `not within`",
                    Ty::Str | Ty::Sym(_) => "`==` or `!=`",
                    Ty::Num | Ty::Date | Ty::Money => "`==`, `!=`, `<`, `<=`, `>` or `>=`",
                    _ => "",
                };
                let help = if help.is_empty() {
                    "a list is not compared with another field: use a quantifier to reach its elements, as in `any transit t: t within destination`".to_string()
                } else {
                    format!("{} is compared with another field by {help}", ty.describe())
                };
                let d = self
                    .error(
                        Code::E201,
                        op.span,
                        format!(
                            "`{}` does not compare `{}`, which is {}, with another field",
                            op.node.as_str(),
                            path_text(lhs),
                            ty.describe()
                        ),
                    )
                    .with_label("operator")
                    .with_help(help);
                self.push(d);
                return None;
            }
        };
        Some(Test::Field(field_op, access))
    }

    fn ordered(&mut self, ty: Ty, op: Ord6, lit: &Spanned<Literal>) -> Option<Test> {
        match (ty, &lit.node) {
            (Ty::Num, Literal::Number(n)) => Decimal::from_str(n).ok().map(|d| Test::Num(op, d)),
            (Ty::Date, Literal::Date(d)) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(date) => Some(Test::Date(op, date)),
                Err(_) => {
                    let d = self.error(Code::E102, lit.span, format!("`{d}` is not a real day"));
                    self.push(d);
                    None
                }
            },
            (Ty::Money, Literal::Quantity(n, cur))
                if cur.len() == 3 && cur.chars().all(|c| c.is_ascii_uppercase()) =>
            {
                let amount = Decimal::from_str(n).ok()?;
                let bytes = cur.as_bytes();
                Some(Test::Money(
                    op,
                    amount,
                    [*bytes.first()?, *bytes.get(1)?, *bytes.get(2)?],
                ))
            }
            _ => {
                let want = match ty {
                    Ty::Money => "an amount with its currency, such as `500 USD`",
                    Ty::Date => "a date such as `2017-12-22`",
                    _ => "a number",
                };
                let d = self
                    .error(
                        Code::E201,
                        lit.span,
                        format!("expected {want}, found {}", lit_desc(&lit.node)),
                    )
                    .with_label("wrong type");
                self.push(d);
                None
            }
        }
    }

    /// The literals of an operand, or the set it names
    fn operand_items<'o>(
        &mut self,
        rhs: &'o Operand,
        single: bool,
    ) -> Result<Vec<&'o Spanned<Literal>>, Option<SetVal>> {
        match rhs {
            Operand::One(lit) => {
                if let Literal::Word(w) = &lit.node
                    && let Some(set) = self.ctx.set_value(w)
                {
                    if single {
                        let d = self
                            .error(
                                Code::E201,
                                lit.span,
                                format!("`{w}` is a set; `==` compares with one value"),
                            )
                            .with_help(format!(
                                "write `in {w}` (or `within {w}` for places and HS codes)"
                            ));
                        self.push(d);
                        return Err(None);
                    }
                    return Err(Some(set));
                }
                Ok(vec![lit])
            }
            Operand::List(elems, span) => {
                if single {
                    let d = self
                        .error(
                            Code::E201,
                            *span,
                            "`==` compares with one value, not a list".to_string(),
                        )
                        .with_help("write `in [...]` for membership");
                    self.push(d);
                    return Err(None);
                }
                let mut out = Vec::new();
                for e in elems {
                    match e {
                        SetElem::One(l) => out.push(l),
                        SetElem::Range(a, _) => {
                            let d = self.error(
                                Code::E201,
                                a.span,
                                "ranges `a..b` are for HS codes only".to_string(),
                            );
                            self.push(d);
                        }
                    }
                }
                Ok(out)
            }
            // INVARIANT: `test` lowers a field on the right before asking for values.
            Operand::Field(p) => {
                let d = self.error(
                    Code::E201,
                    p.span,
                    format!("expected a value, found the field `{}`", path_text(p)),
                );
                self.push(d);
                Err(None)
            }
        }
    }

    fn wrong_set(&mut self, rhs: &Operand, want: &str, got: &SetVal) -> Option<()> {
        let span = match rhs {
            Operand::One(l) => l.span,
            Operand::List(_, s) => *s,
            Operand::Field(p) => p.span,
        };
        let d = self.error(
            Code::E201,
            span,
            format!(
                "expected a set of {want}, found a set of {}",
                got.describe()
            ),
        );
        self.push(d);
        None
    }

    fn sym_values(&mut self, vocab: Vocab, rhs: &Operand, single: bool) -> Option<Vec<u8>> {
        let lits = match self.operand_items(rhs, single) {
            Ok(l) => l,
            Err(Some(SetVal::Sym(v, codes))) if v == vocab => return Some(codes),
            Err(Some(other)) => {
                self.wrong_set(rhs, &format!("{} values", vocab.name()), &other)?;
                return None;
            }
            Err(None) => return None,
        };
        let mut codes = Vec::new();
        for lit in lits {
            codes.push(self.ctx.sym_literal(vocab, lit)?);
        }
        codes.sort_unstable();
        codes.dedup();
        Some(codes)
    }

    fn str_values(&mut self, rhs: &Operand, single: bool) -> Option<Vec<String>> {
        let lits = match self.operand_items(rhs, single) {
            Ok(l) => l,
            Err(Some(SetVal::Str(values))) => return Some(values),
            Err(Some(other)) => {
                self.wrong_set(rhs, "strings", &other)?;
                return None;
            }
            Err(None) => return None,
        };
        let mut out = Vec::new();
        for lit in lits {
            match &lit.node {
                Literal::Str(s) | Literal::Word(s) => out.push(s.clone()),
                other => {
                    let d = self.error(
                        Code::E201,
                        lit.span,
                        format!("expected a string, found {}", lit_desc(other)),
                    );
                    self.push(d);
                    return None;
                }
            }
        }
        Some(out)
    }

    fn place_values(&mut self, rhs: &Operand, single: bool) -> Option<Vec<Place>> {
        let lits = match self.operand_items(rhs, single) {
            Ok(l) => l,
            Err(Some(SetVal::Place(values))) => return Some(values),
            Err(Some(other)) => {
                self.wrong_set(rhs, "places", &other)?;
                return None;
            }
            Err(None) => return None,
        };
        let mut out = Vec::new();
        for lit in lits {
            out.push(self.ctx.place_literal(lit)?);
        }
        Some(out)
    }

    fn hs_values(&mut self, rhs: &Operand, single: bool) -> Option<Vec<HsPattern>> {
        if let Operand::List(elems, _) = rhs
            && !single
        {
            let mut out = Vec::new();
            for e in elems {
                out.push(self.ctx.hs_elem(e)?);
            }
            return Some(out);
        }
        let lits = match self.operand_items(rhs, single) {
            Ok(l) => l,
            Err(Some(SetVal::Hs(values))) => return Some(values),
            Err(Some(other)) => {
                self.wrong_set(rhs, "HS codes", &other)?;
                return None;
            }
            Err(None) => return None,
        };
        let mut out = Vec::new();
        for lit in lits {
            out.push(HsPattern::One(self.ctx.hs_literal(lit)?));
        }
        Some(out)
    }

    /// Lowers a reason template: `{g.hs}` a field, `{g}` the element itself, `{{` a brace
    pub(crate) fn template(&mut self, text: &Spanned<String>) -> crate::ir::Template {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text.node.as_str();
        // Spans inside the string: the string's span starts at its opening quote.
        let base = text.span.start + 1;
        let mut consumed = 0usize;
        while let Some(i) = rest.find(['{', '}']) {
            let (before, after) = rest.split_at(i);
            literal.push_str(before);
            if after.starts_with("{{") || after.starts_with("}}") {
                literal.push(after.chars().next().unwrap_or('{'));
                rest = after.get(2..).unwrap_or("");
                consumed += i + 2;
                continue;
            }
            if after.starts_with('}') {
                literal.push('}');
                rest = after.get(1..).unwrap_or("");
                consumed += i + 1;
                continue;
            }
            let Some(close) = after.find('}') else {
                let span = Span::new(base + consumed + i, base + consumed + rest.len());
                let d = self
                    .error(
                        Code::E100,
                        span,
                        "a `{` in the reason has no closing `}`".to_string(),
                    )
                    .with_help("write `{{` for a literal brace");
                self.push(d);
                literal.push_str(after);
                rest = "";
                break;
            };
            let inner = after.get(1..close).unwrap_or("").trim();
            let span = Span::new(base + consumed + i, base + consumed + i + close + 1);
            if !literal.is_empty() {
                parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
            }
            if let Some(part) = self.template_part(inner, span) {
                parts.push(part);
            }
            rest = after.get(close + 1..).unwrap_or("");
            consumed += i + close + 1;
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(TemplatePart::Text(literal));
        }
        Template { parts }
    }

    fn template_part(&mut self, inner: &str, span: Span) -> Option<TemplatePart> {
        let segs: Vec<&str> = inner.split('.').collect();
        let first = segs.first().copied().unwrap_or("");
        // Several quantifiers may bind the same name (in the branches of an `or`): the part
        // refers to each of them, and the first one bound when the rule fires is shown.
        let slots: Vec<(usize, ListRef)> = self
            .scope
            .vars
            .iter()
            .enumerate()
            .filter(|(_, (n, _))| n == first)
            .map(|(i, (_, l))| (i, *l))
            .collect();
        if segs.len() == 1 && !slots.is_empty() {
            return Some(TemplatePart::Elem(slots.iter().map(|(i, _)| *i).collect()));
        }
        if segs.iter().any(|s| s.is_empty()) {
            let d = self.error(
                Code::E212,
                span,
                format!("`{{{inner}}}` is not a name or a path"),
            );
            self.push(d);
            return None;
        }
        let path = ast::Path {
            segments: segs
                .iter()
                .map(|s| Spanned::new((*s).to_string(), span))
                .collect(),
            span,
        };
        let saved = std::mem::take(&mut self.scope.stack);
        let bindings: Vec<Vec<(String, usize, ListRef)>> = if slots.is_empty() {
            vec![Vec::new()]
        } else {
            slots
                .iter()
                .map(|(i, l)| vec![(first.to_string(), *i, *l)])
                .collect()
        };
        let mut accesses = Vec::new();
        for binding in bindings {
            self.scope.stack = binding;
            match self.path(&path) {
                Some((Access::List(_), _)) | Some((_, Ty::Elems(_))) => {
                    let d = self
                        .error(Code::E212, span, format!("`{{{inner}}}` names a whole list"))
                        .with_help("bind an element with a quantifier (`any goods g: ...`) and write `{g}` or `{g.hs}`");
                    self.push(d);
                    break;
                }
                // The record's own `description` is not kept for rules (an item's is).
                Some((Access::Id, Ty::FreeText)) => {
                    let d = self
                        .error(Code::E215, span, format!("`{{{inner}}}` is the record's free-text description, which rules never see"))
                        .with_label("free text for people")
                        .with_help("name structured fields such as `{destination}`; an item's `{g.description}` may be shown");
                    self.push(d);
                    break;
                }
                Some((access, _)) => accesses.push(access),
                None => break,
            }
        }
        self.scope.stack = saved;
        (!accesses.is_empty()).then_some(TemplatePart::Field(accesses))
    }
}

fn ord6(op: CmpOp) -> Option<Ord6> {
    Some(match op {
        CmpOp::Eq => Ord6::Eq,
        CmpOp::Ne => Ord6::Ne,
        CmpOp::Lt => Ord6::Lt,
        CmpOp::Le => Ord6::Le,
        CmpOp::Gt => Ord6::Gt,
        CmpOp::Ge => Ord6::Ge,
        _ => return None,
    })
}

fn elem_desc(list: ListRef) -> &'static str {
    match list {
        ListRef::Parties => "a party",
        ListRef::Goods => "an item of goods",
        ListRef::Vessels => "a vessel",
        ListRef::Authorizations => "an authorization",
        ListRef::Transit => "a place of transit",
        ListRef::Services => "a service",
    }
}

pub(crate) fn lit_desc(lit: &Literal) -> String {
    match lit {
        Literal::Str(s) => format!("the string \"{s}\""),
        Literal::Number(n) => format!("the number `{n}`"),
        Literal::Quantity(n, u) => format!("the quantity `{n} {u}`"),
        Literal::Date(d) => format!("the date `{d}`"),
        Literal::Word(w) => format!("`{w}`"),
    }
}

fn path_text(path: &ast::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.node.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

fn path_text_upto(path: &ast::Path, n: usize) -> String {
    path.segments
        .iter()
        .take(n)
        .map(|s| s.node.as_str())
        .collect::<Vec<_>>()
        .join(".")
}
