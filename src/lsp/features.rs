//! What the server answers, from a checked pack and its index: diagnostics as LSP sees them,
//! hover, completion, document symbols, code actions for the did-you-mean hints, formatting.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CompletionItem, CompletionItemKind, Diagnostic as LspDiagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, Location, NumberOrString,
    Range, SymbolKind, TextEdit, Uri, WorkspaceEdit,
};

use super::documents::{Checked, CheckedFile};
use super::index::{Def, Index, Kind};
use crate::ast::{Clause, Item, ResolutionStatus, SetElem};
use crate::compile::types::{
    ROOT_FIELDS, SET_TYPES, Ty, elem_field, elem_fields, root_field, root_list,
};
use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::ListRef;
use crate::model::Vocab;
use crate::source::Span;

/// The verdicts a rule's `then` may give
pub const VERDICTS: &[&str] = &["prohibited", "authorization_required", "review", "notify"];

/// The clauses of a rule or an exception
const CLAUSES: &[&str] = &[
    "title",
    "regime",
    "cites",
    "in force from",
    "when",
    "then",
    "unless authorized by",
    "note",
    "overrides",
];

/// The words of a condition
const CONDITION_WORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "any",
    "all",
    "none",
    "count",
    "exists",
    "in",
    "within",
    "has",
    "starts with",
    "true",
    "false",
];

/// Each file's diagnostics in LSP's terms, for every file of the pack (an empty list for a
/// file with none, so that the editor clears what it showed)
pub fn diagnostics(checked: &Checked) -> Vec<(Uri, Vec<LspDiagnostic>)> {
    let mut by_file: Vec<Vec<LspDiagnostic>> = vec![Vec::new(); checked.files.len()];
    for d in checked.diagnostics.sorted() {
        let (Some(file), Some(list)) = (checked.files.get(d.file), by_file.get_mut(d.file)) else {
            continue;
        };
        list.push(to_lsp(d, file, &checked.files));
    }
    checked
        .files
        .iter()
        .zip(by_file)
        .map(|(f, list)| (f.uri.clone(), list))
        .collect()
}

/// The range of a span in a file
pub fn range(file: &CheckedFile, span: Span) -> Range {
    file.parsed.lines.range(&file.parsed.text, span)
}

fn to_lsp(d: &Diagnostic, file: &CheckedFile, files: &[CheckedFile]) -> LspDiagnostic {
    let mut message = d.message.clone();
    if let Some(label) = &d.label {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let other = files.get(r.file)?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(other.uri.clone(), range(other, r.span)),
                message: r.label.clone(),
            })
        })
        .collect();
    LspDiagnostic {
        range: range(file, d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("embargo".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..LspDiagnostic::default()
    }
}

/// The hover text of a declaration, in Markdown
pub fn hover(def: &Def, checked: &Checked, index: &Index) -> Option<String> {
    let file = checked.files.get(def.file)?;
    let source = &file.parsed.source;
    let item = file.parsed.ast.items.get(def.item)?;
    let mut out = String::new();
    match item {
        Item::Resolution(r) => {
            let status = match r.status.node {
                ResolutionStatus::Adopted => "adopted",
                ResolutionStatus::Vetoed => "vetoed",
                ResolutionStatus::Draft => "draft",
            };
            out.push_str(&format!("**resolution** {}\n\n", r.symbol.node));
            match &r.date {
                Some(date) => out.push_str(&format!("{status} {}\n\n", date.node)),
                None => out.push_str(&format!("{status}\n\n")),
            }
            if let Some(title) = &r.title {
                out.push_str(&format!("{}\n\n", title.node));
            }
            let citing = index.refs_of(def).count();
            out.push_str(&format!("cited {citing} time{}", plural(citing)));
        }
        Item::Regime(r) => {
            out.push_str(&format!("**regime** {}\n\n", r.name.node));
            for (key, value) in &r.props {
                out.push_str(&format!("- {}: {}\n", key.node, value.node));
            }
            let rules = index.refs_of(def).count();
            out.push_str(&format!("\nnamed {rules} time{}", plural(rules)));
        }
        Item::Set(s) => {
            out.push_str(&format!(
                "**set** {}: {}\n\n{} member{}: ",
                s.name.node,
                s.ty.node,
                s.elems.len(),
                plural(s.elems.len())
            ));
            let members: Vec<&str> = s
                .elems
                .iter()
                .take(60)
                .map(|e| match e {
                    SetElem::One(l) => source.slice(l.span),
                    SetElem::Range(a, b) => source.slice(a.span.to(b.span)),
                })
                .collect();
            out.push_str(&format!("`{}`", members.join(", ")));
            if s.elems.len() > members.len() {
                out.push_str(", ...");
            }
        }
        Item::Rule(r) => {
            out.push_str(&format!("**rule** {}\n\n", r.id.node));
            clauses(&mut out, &r.clauses, source);
        }
        Item::Exception(e) => {
            out.push_str(&format!("**exception** {}\n\n", e.id.node));
            clauses(&mut out, &e.clauses, source);
        }
        Item::Test(t) => {
            out.push_str(&format!("**test** \"{}\"\n\n", t.name.node));
            for expect in &t.expects {
                out.push_str(&format!("- {}\n", source.slice(expect.span)));
            }
        }
    }
    Some(out)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A rule's or an exception's title, regime, citations, intervals and verdict
fn clauses(out: &mut String, clauses: &[Clause], source: &crate::source::SourceFile) {
    for clause in clauses {
        match clause {
            Clause::Title(t) => out.push_str(&format!("{}\n\n", t.node)),
            Clause::Regime(r) => out.push_str(&format!("- regime: {}\n", r.node)),
            Clause::Cites(cites) => {
                let all: Vec<String> = cites
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {}{}",
                            c.resolution.node,
                            c.paragraph.node,
                            if c.unconfirmed { " (unconfirmed)" } else { "" }
                        )
                    })
                    .collect();
                out.push_str(&format!("- cites: {}\n", all.join("; ")));
            }
            Clause::InForce(intervals) => {
                let all: Vec<&str> = intervals.iter().map(|i| source.slice(i.span)).collect();
                out.push_str(&format!("- in force {}\n", all.join(", ")));
            }
            Clause::Then(verdict, _) => out.push_str(&format!("- then: {}\n", verdict.node)),
            Clause::Overrides(ids) => {
                let all: Vec<&str> = ids.iter().map(|i| i.node.as_str()).collect();
                out.push_str(&format!("- overrides: {}\n", all.join(", ")));
            }
            Clause::When(_) | Clause::UnlessAuthorized(_) | Clause::Note(..) => {}
        }
    }
}

/// The document symbols of a file: one per item
pub fn symbols(file_id: usize, file: &CheckedFile, index: &Index) -> Vec<DocumentSymbol> {
    index
        .defs
        .iter()
        .filter(|d| d.file == file_id)
        .map(|d| symbol(d, file))
        .collect()
}

#[expect(
    deprecated,
    reason = "lsp-types has no constructor; `deprecated` is a field every literal must name"
)]
fn symbol(d: &Def, file: &CheckedFile) -> DocumentSymbol {
    DocumentSymbol {
        name: d.name.clone(),
        detail: Some(d.kind.keyword().into()),
        kind: symbol_kind(d.kind),
        tags: None,
        deprecated: None,
        range: range(file, d.span),
        selection_range: range(file, d.name_span),
        children: None,
    }
}

/// How a declaration shows among symbols
pub fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Resolution => SymbolKind::CONSTANT,
        Kind::Regime => SymbolKind::NAMESPACE,
        Kind::Set => SymbolKind::ENUM,
        Kind::Rule => SymbolKind::FUNCTION,
        Kind::Exception => SymbolKind::EVENT,
        Kind::Test => SymbolKind::METHOD,
    }
}

/// The quick fixes of the diagnostics of `file_id` that touch `within`: each did-you-mean hint
/// (`did you mean `X`?`, `did you mean the set `X`?`, `did you mean "X"?`) replaces the
/// diagnostic's text with its suggestion
pub fn code_actions(checked: &Checked, file_id: usize, within: Range) -> Vec<CodeAction> {
    let Some(file) = checked.files.get(file_id) else {
        return Vec::new();
    };
    let mut actions = Vec::new();
    for d in checked.diagnostics.sorted() {
        if d.file != file_id {
            continue;
        }
        let r = range(file, d.span);
        if r.end < within.start || within.end < r.start {
            continue;
        }
        let Some(replacement) = d.help.as_deref().and_then(suggestion) else {
            continue;
        };
        let edit = TextEdit::new(r, replacement.clone());
        actions.push(CodeAction {
            title: format!("Replace with {replacement}"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![to_lsp(d, file, &checked.files)]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(file.uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        });
    }
    actions
}

/// The replacement a did-you-mean hint suggests, as it is to be written
fn suggestion(help: &str) -> Option<String> {
    let rest = help.strip_prefix("did you mean ")?;
    let rest = rest.strip_prefix("the set ").unwrap_or(rest);
    let rest = rest.strip_suffix('?')?;
    if let Some(inner) = rest.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        return Some(inner.to_string());
    }
    if rest.starts_with('"') && rest.ends_with('"') && rest.len() >= 2 {
        return Some(rest.to_string());
    }
    None
}

/// The completions at byte `offset` of `text`: what may be written there, by what comes before
pub fn completions(text: &str, offset: usize, index: &Index) -> Vec<CompletionItem> {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let word_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .map_or(0, |i| i + 1);
    let word = before.get(word_start..).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_before = before.get(line_start..word_start).unwrap_or("").trim();
    let item_start = item_start(before);
    let item_text = before.get(item_start..).unwrap_or("");
    let bound = bound_variables(item_text);

    // `p.` : the fields of the element a variable stands for
    if let Some((var, _)) = word.split_once('.') {
        if let Some(list) = bound.iter().find(|(v, _)| v == var).map(|(_, l)| *l) {
            return elem_fields(list)
                .iter()
                .map(|f| item(f, CompletionItemKind::FIELD, field_detail(list, f)))
                .collect();
        }
        return Vec::new();
    }
    let last = line_before.split_whitespace().last().unwrap_or("");
    let first = line_before.split_whitespace().next().unwrap_or("");
    let inside = item_text.matches('{').count() > item_text.matches('}').count();
    if line_before.is_empty() && word_start == line_start && !inside {
        return keywords(crate::syntax::ITEM_KEYWORDS);
    }
    if first == "regime" && line_before == "regime" {
        return names(index, Kind::Regime, CompletionItemKind::MODULE);
    }
    if last == "then" {
        return VERDICTS
            .iter()
            .map(|v| item(v, CompletionItemKind::ENUM_MEMBER, Some("verdict".into())))
            .collect();
    }
    if first == "cites" {
        return index
            .of_kind(Kind::Resolution)
            .map(|d| {
                let mut c = item(
                    &d.name,
                    CompletionItemKind::REFERENCE,
                    Some("resolution".into()),
                );
                c.insert_text = Some(format!("\"{}\"", d.name));
                c
            })
            .collect();
    }
    // A test's expected rules: `on 2022-09-05 expect prohibited by un.dprk.arms, ...`
    let expects_rules = line_before
        .split_once(" by")
        .is_some_and(|(head, _)| head.split_whitespace().any(|w| w == "expect"));
    if first == "overrides" || expects_rules {
        return names(index, Kind::Rule, CompletionItemKind::FUNCTION);
    }
    if first == "set" && last.ends_with(':') {
        return SET_TYPES
            .iter()
            .map(|t| {
                item(
                    t,
                    CompletionItemKind::TYPE_PARAMETER,
                    Some("set type".into()),
                )
            })
            .collect();
    }
    // After a comparison: the values of the field's type, and the sets of that type
    if let Some(ty) = compared_type(line_before, &bound) {
        let mut out = Vec::new();
        if let Ty::Sym(v) | Ty::SymList(v) = ty {
            out.extend(vocab_items(v));
        }
        out.extend(names(index, Kind::Set, CompletionItemKind::VARIABLE));
        return out;
    }
    // Anywhere else in an item: fields, bound variables, sets, vocabulary values, clauses and
    // the words of a condition
    let mut out: Vec<CompletionItem> = ROOT_FIELDS
        .iter()
        .map(|f| {
            let detail = root_field(f).map(|(_, ty)| ty.describe());
            item(f, CompletionItemKind::FIELD, detail)
        })
        .collect();
    for (var, list) in &bound {
        out.push(item(
            var,
            CompletionItemKind::VARIABLE,
            Some(format!("an element of {}", list.name())),
        ));
    }
    out.extend(names(index, Kind::Set, CompletionItemKind::VARIABLE));
    for v in Vocab::ALL {
        out.extend(vocab_items(v));
    }
    out.extend(keywords(CLAUSES));
    out.extend(keywords(CONDITION_WORDS));
    out
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

fn keywords(words: &[&str]) -> Vec<CompletionItem> {
    words
        .iter()
        .map(|w| item(w, CompletionItemKind::KEYWORD, None))
        .collect()
}

fn names(index: &Index, kind: Kind, as_kind: CompletionItemKind) -> Vec<CompletionItem> {
    index
        .of_kind(kind)
        .map(|d| item(&d.name, as_kind, Some(kind.keyword().into())))
        .collect()
}

fn vocab_items(v: Vocab) -> Vec<CompletionItem> {
    v.values()
        .iter()
        .map(|value| {
            item(
                value,
                CompletionItemKind::ENUM_MEMBER,
                Some(v.name().into()),
            )
        })
        .collect()
}

fn field_detail(list: ListRef, field: &str) -> Option<String> {
    elem_field(list, 0, field).map(|(_, ty)| ty.describe())
}

/// The hover text of a word that names no declaration: a record field (its type), a bound
/// variable's field, a variable itself, or a vocabulary value (its vocabulary)
pub fn hover_word(text: &str, offset: usize) -> Option<String> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let offset = offset.min(text.len());
    let before = text.get(..offset)?;
    let after = text.get(offset..)?;
    let start = before.rfind(|c: char| !is_word(c)).map_or(0, |i| i + 1);
    let end = offset + after.find(|c: char| !is_word(c)).unwrap_or(after.len());
    let word = text.get(start..end)?;
    // Only the segment under the cursor counts: `p` or `role` in `p.role`
    let segment_start = word
        .get(..offset - start)
        .and_then(|w| w.rfind('.'))
        .map_or(0, |i| i + 1);
    let segment_end = word
        .get(offset - start..)
        .and_then(|w| w.find('.'))
        .map_or(word.len(), |i| offset - start + i);
    let path = word.get(..segment_end)?;
    let segment = word.get(segment_start..segment_end)?;
    let before_item = text.get(..start)?;
    let bound = bound_variables(before_item.get(item_start(before_item)..).unwrap_or(""));
    match path.split_once('.') {
        Some((var, field)) if !field.contains('.') => {
            let list = bound.iter().find(|(v, _)| v == var).map(|(_, l)| *l)?;
            let (_, ty) = elem_field(list, 0, field)?;
            Some(format!(
                "**{var}.{field}**: {} (a field of each of `{}`)",
                type_text(ty),
                list.name()
            ))
        }
        Some(_) => None,
        None => {
            if let Some((_, list)) = bound.iter().find(|(v, _)| v == segment) {
                return Some(format!("**{segment}**: each element of `{}`", list.name()));
            }
            if let Some((_, ty)) = root_field(segment) {
                return Some(format!(
                    "**{segment}**: {} (a field of the record)",
                    type_text(ty)
                ));
            }
            let vocabs: Vec<&str> = Vocab::ALL
                .into_iter()
                .filter(|v| v.code(segment).is_some())
                .map(Vocab::name)
                .collect();
            if vocabs.is_empty() {
                return None;
            }
            Some(format!(
                "**{segment}**: a value of the vocabulary `{}`",
                vocabs.join("`, `")
            ))
        }
    }
}

/// A type in words, a vocabulary's with its values
fn type_text(ty: Ty) -> String {
    match ty {
        Ty::Sym(v) => v.expected(),
        Ty::SymList(v) => format!("a list, each {}", v.expected()),
        other => other.describe(),
    }
}

/// Where the item around the end of `before` starts: the last line that starts with an item
/// keyword in column 1
fn item_start(before: &str) -> usize {
    let mut at = before.len();
    loop {
        let line_start = before
            .get(..at)
            .and_then(|b| b.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line = before.get(line_start..).unwrap_or("");
        if crate::syntax::ITEM_KEYWORDS
            .iter()
            .any(|kw| line.starts_with(&format!("{kw} ")))
            || line_start == 0
        {
            return line_start;
        }
        at = line_start.saturating_sub(1);
    }
}

/// The variables bound by quantifiers in an item's text so far (`any parties p:`,
/// `count(goods g:`), with the list each ranges over
fn bound_variables(item_text: &str) -> Vec<(String, ListRef)> {
    let words: Vec<&str> = item_text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for w in words.windows(3) {
        if let [q, list, var] = w
            && matches!(*q, "any" | "all" | "none" | "count")
            && let Some(list) = root_list(list)
        {
            out.push(((*var).to_string(), list));
        }
    }
    out
}

/// The type of the field compared at the end of `line_before` (`activity ==`, `p.role in`)
fn compared_type(line_before: &str, bound: &[(String, ListRef)]) -> Option<Ty> {
    let mut words: Vec<&str> = line_before.split_whitespace().collect();
    let op = words.pop()?;
    let op = match op {
        "in" if words.last() == Some(&"not") => {
            words.pop();
            "in"
        }
        "within" if words.last() == Some(&"not") => {
            words.pop();
            "within"
        }
        other => other,
    };
    if !matches!(op, "==" | "!=" | "in" | "within" | "has") {
        return None;
    }
    let path = words.pop()?.trim_start_matches('(');
    match path.split_once('.') {
        Some((var, field)) => {
            let list = bound.iter().find(|(v, _)| v == var).map(|(_, l)| *l)?;
            elem_field(list, 0, field).map(|(_, ty)| ty)
        }
        None => {
            if let Some((_, list)) = bound.iter().find(|(v, _)| v == path) {
                return Some(crate::compile::types::elem_self(*list, 0).1);
            }
            root_field(path).map(|(_, ty)| ty)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_did_you_mean_hint_gives_its_replacement() {
        assert_eq!(suggestion("did you mean `dprk`?").as_deref(), Some("dprk"));
        assert_eq!(
            suggestion("did you mean the set `arms_hs`?").as_deref(),
            Some("arms_hs")
        );
        assert_eq!(
            suggestion("did you mean \"S/RES/1718 (2006)\"?").as_deref(),
            Some("\"S/RES/1718 (2006)\"")
        );
        assert_eq!(suggestion("declare it: `regime X { ... }`"), None);
    }

    #[test]
    fn hovering_a_field_a_variable_or_a_value_says_what_it_is() {
        let text = "rule x {\n  when activity == trade and any parties p: p.role in [seller]\n}\n";
        let at = |needle: &str, ahead: usize| {
            let offset = text.find(needle).unwrap_or_default() + ahead;
            hover_word(text, offset).unwrap_or_default()
        };
        assert!(at("activity", 2).contains("**activity**: an activity (one of trade, payment"));
        assert!(at("activity", 2).contains("(a field of the record)"));
        assert!(at("trade", 0).contains("a value of the vocabulary `activity`"));
        assert!(at("p.role", 4).contains("**p.role**: a role (one of buyer"));
        assert!(at("p.role", 4).contains("(a field of each of `parties`)"));
        assert!(at("p.role", 0).contains("each element of `parties`"));
        assert!(at("seller", 1).contains("`role`"));
        assert_eq!(hover_word(text, 0), None);
        assert_eq!(hover_word(text, text.len()), None);
    }

    #[test]
    fn a_comparison_completes_with_the_values_of_its_field() {
        let bound = bound_variables("rule x {\n  when any parties p: p.role in [seller] and");
        assert_eq!(bound, [("p".to_string(), ListRef::Parties)]);
        assert_eq!(
            compared_type("when activity ==", &bound),
            Some(Ty::Sym(Vocab::Activity))
        );
        assert_eq!(
            compared_type("and p.role in", &bound),
            Some(Ty::Sym(Vocab::Role))
        );
        assert_eq!(compared_type("when activity", &bound), None);
    }
}
