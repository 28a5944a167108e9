//! Renaming a set, a regime, a resolution or a rule everywhere it is named, and finding any
//! declaration of the pack by name (workspace symbols).

use std::collections::BTreeMap;

use lsp_types::{Location, Range, SymbolInformation, TextEdit, Uri, WorkspaceEdit};

use super::documents::Checked;
use super::features::{range, symbol_kind};
use super::index::{Def, Found, Index, Kind};
use crate::source::Span;

/// The declaration a name under the cursor stands for, if it can be renamed (a test's name is
/// not a reference: it is not renamed here), and the range of that name
pub fn target<'a>(
    checked: &Checked,
    index: &'a Index,
    file: usize,
    offset: usize,
) -> Option<(&'a Def, Range)> {
    let found = index.at(file, offset)?;
    let (span, defs) = match &found {
        Found::Def(d) => (d.name_span, vec![*d]),
        // A pattern (`un.dprk.coal.*`) stands for several rules: nothing to rename there
        Found::Ref(r) if r.name.ends_with('*') => return None,
        Found::Ref(r) => (r.span, index.defs_of(&found)),
    };
    let def = *defs.first()?;
    if def.kind == Kind::Test {
        return None;
    }
    let f = checked.files.get(file)?;
    Some((def, range(f, span)))
}

/// Whether `name` can name a declaration of this kind
fn valid(kind: Kind, name: &str) -> bool {
    let word = |w: &str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match kind {
        Kind::Set | Kind::Regime => word(name),
        Kind::Rule | Kind::Exception => name.split('.').all(word),
        Kind::Resolution => !name.is_empty() && !name.contains(['"', '\n']),
        Kind::Test => false,
    }
}

/// The edits that rename `def` to `new_name`: its declaration and every use that names it
/// alone (a pattern of `overrides` is left as written); an error message when the name cannot
/// be one of its kind
pub fn rename(
    checked: &Checked,
    index: &Index,
    def: &Def,
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    let new_name = match def.kind {
        Kind::Resolution => new_name.trim_matches('"'),
        _ => new_name,
    };
    if !valid(def.kind, new_name) {
        return Err(format!("`{new_name}` cannot name a {}", def.kind.keyword()));
    }
    // A resolution's symbol is written in quotes, and its spans include them
    let text = match def.kind {
        Kind::Resolution => format!("\"{new_name}\""),
        _ => new_name.to_string(),
    };
    let mut places: Vec<(usize, Span)> = vec![(def.file, def.name_span)];
    places.extend(
        index
            .refs_of(def)
            .filter(|r| !r.name.ends_with('*'))
            .map(|r| (r.file, r.span)),
    );
    // Grouped by file (by the URI's text: a URI is no key of a map of its own)
    let mut by_file: BTreeMap<&str, (Uri, Vec<TextEdit>)> = BTreeMap::new();
    for (file, span) in places {
        let Some(f) = checked.files.get(file) else {
            continue;
        };
        by_file
            .entry(f.uri.as_str())
            .or_insert_with(|| (f.uri.clone(), Vec::new()))
            .1
            .push(TextEdit::new(range(f, span), text.clone()));
    }
    Ok(WorkspaceEdit {
        changes: Some(by_file.into_values().collect()),
        ..WorkspaceEdit::default()
    })
}

/// Every declaration of the pack whose name contains `query` (case aside), as workspace
/// symbols, at most `limit`
#[expect(
    deprecated,
    reason = "lsp-types has no constructor; `deprecated` is a field every literal must name"
)]
pub fn workspace_symbols(
    checked: &Checked,
    index: &Index,
    query: &str,
    limit: usize,
) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    index
        .defs
        .iter()
        .filter(|d| d.name.to_lowercase().contains(&query))
        .filter_map(|d| {
            let f = checked.files.get(d.file)?;
            Some(SymbolInformation {
                name: d.name.clone(),
                kind: symbol_kind(d.kind),
                tags: None,
                deprecated: None,
                location: Location::new(f.uri.clone(), range(f, d.name_span)),
                container_name: Some(d.kind.keyword().into()),
            })
        })
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Kind, valid};

    #[test]
    fn a_new_name_must_be_one_of_its_kind() {
        assert!(valid(Kind::Set, "arms_hs"));
        assert!(!valid(Kind::Set, "arms hs"));
        assert!(!valid(Kind::Set, "9arms"));
        assert!(!valid(Kind::Set, "un.arms"));
        assert!(valid(Kind::Rule, "un.dprk.arms.to_dprk"));
        assert!(!valid(Kind::Rule, "un..dprk"));
        assert!(!valid(Kind::Rule, "un.dprk.*"));
        assert!(valid(Kind::Resolution, "S/RES/2397 (2017)"));
        assert!(!valid(Kind::Resolution, "S/RES/\"2397"));
        assert!(!valid(Kind::Test, "anything"));
    }
}
