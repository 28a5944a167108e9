//! Lowering reason templates: `{g.hs}` a field of a bound element, `{g}` the element itself,
//! `{{` a brace.

use super::lower::Lowerer;
use super::types::Ty;
use crate::ast::{self, Spanned};
use crate::diagnostics::Code;
use crate::ir::{Access, ListRef, Template, TemplatePart};
use crate::source::Span;

impl Lowerer<'_, '_> {
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
