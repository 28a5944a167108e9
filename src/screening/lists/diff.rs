//! Two versions of a list compared by reference (UN reference number, OFAC `ent_num`, IMO
//! number): the entries added, removed and changed, with the fields that changed.

use std::collections::BTreeMap;

use super::{ListCatalog, ListEntry};

/// What changed between two versions of a list
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ListDiff {
    /// The date of the old version, as written
    pub old_date: Option<String>,
    /// The date of the new version, as written
    pub new_date: Option<String>,
    /// Entries only in the new version, in its order
    pub added: Vec<DiffEntry>,
    /// Entries only in the old version, in its order
    pub removed: Vec<DiffEntry>,
    /// Entries in both whose fields differ, in the new version's order
    pub changed: Vec<ChangedEntry>,
    /// Entries in both that are the same
    pub unchanged: usize,
}

/// An entry added or removed
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiffEntry {
    /// Its reference
    pub reference: String,
    /// Individual, entity, vessel or aircraft
    pub kind: &'static str,
    /// Its name
    pub name: String,
}

/// An entry in both versions whose fields differ
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChangedEntry {
    /// Its reference
    pub reference: String,
    /// Its name in the new version
    pub name: String,
    /// The fields that differ (`name`, `aliases`, `addresses`, …)
    pub fields: Vec<&'static str>,
}

impl ListDiff {
    /// Compares `old` with `new` by reference; when a reference occurs twice in one version,
    /// its first entry counts
    pub fn new(old: &ListCatalog, new: &ListCatalog) -> ListDiff {
        let (old_refs, new_refs) = (by_reference(old), by_reference(new));
        let mut diff = ListDiff {
            old_date: old.date.clone(),
            new_date: new.date.clone(),
            ..ListDiff::default()
        };
        let mut seen = std::collections::BTreeSet::new();
        for entry in &new.entries {
            if !seen.insert(entry.reference.as_str()) {
                continue;
            }
            match old_refs.get(entry.reference.as_str()) {
                None => diff.added.push(DiffEntry::of(entry)),
                Some(before) => {
                    let fields = changed_fields(before, entry);
                    if fields.is_empty() {
                        diff.unchanged += 1;
                    } else {
                        diff.changed.push(ChangedEntry {
                            reference: entry.reference.clone(),
                            name: entry.name(),
                            fields,
                        });
                    }
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for entry in &old.entries {
            if seen.insert(entry.reference.as_str())
                && !new_refs.contains_key(entry.reference.as_str())
            {
                diff.removed.push(DiffEntry::of(entry));
            }
        }
        diff
    }
}

fn by_reference(catalog: &ListCatalog) -> BTreeMap<&str, &ListEntry> {
    let mut map = BTreeMap::new();
    for e in &catalog.entries {
        map.entry(e.reference.as_str()).or_insert(e);
    }
    map
}

impl DiffEntry {
    fn of(entry: &ListEntry) -> DiffEntry {
        DiffEntry {
            reference: entry.reference.clone(),
            kind: entry.kind.as_str(),
            name: entry.name(),
        }
    }
}

/// The names of the fields of `ListEntry` that differ
fn changed_fields(a: &ListEntry, b: &ListEntry) -> Vec<&'static str> {
    let checks: [(&'static str, bool); 16] = [
        ("kind", a.kind != b.kind),
        ("list_type", a.list_type != b.list_type),
        ("name", a.name_parts != b.name_parts),
        ("original_script", a.original_script != b.original_script),
        ("aliases", a.aliases != b.aliases),
        ("dates_of_birth", a.dates_of_birth != b.dates_of_birth),
        ("places_of_birth", a.places_of_birth != b.places_of_birth),
        ("nationalities", a.nationalities != b.nationalities),
        ("documents", a.documents != b.documents),
        ("addresses", a.addresses != b.addresses),
        ("listed_on", a.listed_on != b.listed_on),
        ("comments", a.comments != b.comments),
        ("imo", a.imo != b.imo),
        ("flag", a.flag != b.flag),
        ("legal_basis", a.legal_basis != b.legal_basis),
        ("reference", a.reference != b.reference),
    ];
    checks
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(field, _)| field)
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "test code")]

    use super::*;
    use crate::screening::lists::EntryKind;

    fn entry(reference: &str, name: &str) -> ListEntry {
        let mut e = ListEntry::new(EntryKind::Individual);
        e.reference = reference.into();
        e.name_parts = vec![name.into()];
        e
    }

    #[test]
    fn added_removed_and_changed_by_reference() {
        let old = ListCatalog {
            entries: vec![
                entry("A.1", "Anna"),
                entry("A.2", "Berg"),
                entry("A.3", "Cid"),
            ],
            ..ListCatalog::default()
        };
        let mut cid = entry("A.3", "Cid");
        cid.addresses.push("Testville".into());
        let new = ListCatalog {
            entries: vec![entry("A.4", "Dora"), cid, entry("A.1", "Anna")],
            ..ListCatalog::default()
        };
        let diff = ListDiff::new(&old, &new);
        assert_eq!(diff.added.len(), 1);
        assert_eq!(diff.added[0].reference, "A.4");
        assert_eq!(diff.removed.len(), 1);
        assert_eq!(diff.removed[0].reference, "A.2");
        assert_eq!(diff.changed.len(), 1);
        assert_eq!(diff.changed[0].fields, ["addresses"]);
        assert_eq!(diff.unchanged, 1);
    }
}
