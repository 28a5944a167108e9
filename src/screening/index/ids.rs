//! Looking entries up by identifier (reference, document number, IMO number), and the schema
//! of an entry's kind.

use super::*;

/// Which identifier `ListCatalog::search_id` looks for
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// The entry's reference: UN reference number (`QDi.437`), OFAC `ent_num`
    Reference,
    /// The number of an identity document (passport, national id)
    Document,
    /// A vessel's IMO number, with or without the `IMO` prefix
    Imo,
}

impl ListCatalog {
    /// A name index of this catalog for `schema` ([`NameIndex`]); build it once to screen many names
    pub fn index(&self, schema: Schema) -> NameIndex<'_> {
        NameIndex::new(self, schema)
    }

    /// The entries with a name matching `name`, best first, at most `limit`. Builds an index
    /// each time: to screen many names, build one with [`ListCatalog::index`]
    pub fn search(&self, name: &str, schema: Schema, limit: usize) -> Vec<Candidate> {
        self.index(schema).search(name, limit)
    }

    /// `entry` (an entry of this catalog) as a candidate found by `matched` with score 1, as
    /// for an identifier found by [`ListCatalog::search_id`]
    pub fn candidate(&self, entry: &ListEntry, matched: &str) -> Option<Candidate> {
        let position = self.entries.iter().position(|e| std::ptr::eq(e, entry))?;
        Some(Candidate {
            entry: position,
            reference: entry.reference.clone(),
            kind: entry.kind.as_str(),
            list_type: entry.list_type.clone(),
            listed_name: entry.name(),
            matched_name: matched.to_string(),
            score: 1.0,
            strength: Strength::Exact,
        })
    }

    /// The entries carrying the identifier `value` of this kind, compared after normalisation:
    /// spaces, dashes and other marks removed, case folded, and for IMO numbers the `IMO` prefix
    /// dropped
    pub fn search_id(&self, kind: IdKind, value: &str) -> Vec<&ListEntry> {
        let wanted = normalize_id(kind, value);
        if wanted.is_empty() {
            return Vec::new();
        }
        self.entries
            .iter()
            .filter(|entry| match kind {
                IdKind::Reference => normalize_id(kind, &entry.reference) == wanted,
                IdKind::Document => entry
                    .documents
                    .iter()
                    .any(|d| normalize_id(kind, &d.number) == wanted),
                IdKind::Imo => entry
                    .imo
                    .as_deref()
                    .is_some_and(|imo| normalize_id(kind, imo) == wanted),
            })
            .collect()
    }
}

/// The schema whose stop words fit an entry of this kind
pub fn schema_of(kind: EntryKind) -> Schema {
    match kind {
        EntryKind::Individual => Schema::Person,
        EntryKind::Entity => Schema::Company,
        EntryKind::Vessel | EntryKind::Aircraft => Schema::Vessel,
    }
}

/// An identifier as compared: letters and digits only, upper case; `IMO` dropped from IMO numbers
pub(crate) fn normalize_id(kind: IdKind, value: &str) -> String {
    let id: String = value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    match kind {
        IdKind::Imo => id.strip_prefix("IMO").map_or(id.clone(), str::to_string),
        IdKind::Reference | IdKind::Document => id,
    }
}
