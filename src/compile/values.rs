//! Lowering the tests of a condition on values: a comparison or a membership typed by its field's
//! type, its literals and sets read as that field's values (places, HS codes, vocabularies, dates,
//! amounts).
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

use super::SetVal;
use super::lower::{Lowerer, lit_desc, ord6, path_text};
use super::types::{Ty, root_field};
use crate::ast::{self, CmpOp, Literal, Operand, SetElem, Spanned};
use crate::diagnostics::Code;
use crate::ir::{FieldOp, HsPattern, Ord6, Test};
use crate::model::{Place, Vocab};

impl Lowerer<'_, '_> {
    pub(super) fn test(
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
}
