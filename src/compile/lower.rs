//! Lowering conditions and reason templates: names resolved, types checked, values typed.

use super::Ctx;
use super::types::{ROOT_FIELDS, Ty, elem_field, elem_fields, elem_self, root_field, root_list};
use crate::ast::{self, CmpOp, Literal, Spanned};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::ir::{Access, Cond, ListRef, Ord6};
use crate::source::Span;

/// The variables in scope while lowering one rule's condition
#[derive(Default)]
pub(crate) struct Scope {
    /// Names bound by enclosing quantifiers, innermost last: (name, slot, list)
    pub(super) stack: Vec<(String, usize, ListRef)>,
    /// Every variable the rule binds, by slot
    pub(crate) vars: Vec<(String, ListRef)>,
}

pub(crate) struct Lowerer<'c, 'a> {
    pub(crate) ctx: &'c mut Ctx<'a>,
    pub(crate) scope: Scope,
}

impl Lowerer<'_, '_> {
    pub(super) fn error(&mut self, code: Code, span: Span, message: String) -> Diagnostic {
        Diagnostic::new(code, self.ctx.file, span, message)
    }

    pub(super) fn push(&mut self, d: Diagnostic) {
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

    pub(super) fn bind(
        &mut self,
        list: &ast::Path,
        var: &Spanned<String>,
    ) -> Option<(ListRef, usize)> {
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

    pub(super) fn free_text(&mut self, path: &ast::Path) {
        let d = self
            .error(Code::E215, path.span, format!("rules never read the free-text field `{}`", path_text(path)))
            .with_label("free text for people")
            .with_help("use structured fields such as `hs` or `categories`; an item's description may only appear in a reason template, as `{g.description}`");
        self.push(d);
    }
}

pub(super) fn ord6(op: CmpOp) -> Option<Ord6> {
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

pub(super) fn path_text(path: &ast::Path) -> String {
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
