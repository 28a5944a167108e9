//! A name index over a `ListCatalog`: blocking keys per name part, so screening a name compares
//! it only with the list names sharing a key, then scores those with `names::compare_tokens`.
//!
//! Every name of an entry (its name, its name in the original script, each alias) is split into
//! parts by `names::normalize::parts` once, when the index is built. Each part of two letters
//! or more gives its keys: the part itself, the part folded for romanisation variants
//! (`names::normalize::fold`: `mohammed`/`mohamed`, `kettleby`/`ketleby`), and its consonant
//! skeleton (`names::normalize::skeleton`), looked up only across scripts (a Latin part against an
//! Arabic or Hebrew one, written without short vowels): between two Latin names skeletons
//! gave too many candidates. Each pair of neighbouring parts run together gives one more key
//! (`Jan Daniel` / `JanDaniel`). A query is split the same way; the candidates are the names
//! sharing at least one key with it. Parts of one letter (initials) are not keys.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::names::normalize::{Token, fold, parts, skeleton};
use crate::names::{Schema, Strength, score_tokens};

use super::{EntryKind, ListCatalog, ListEntry};

/// A list entry found for a name, with the entry name that matched best
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// The entry's position in `ListCatalog::entries`
    pub entry: usize,
    /// The entry's reference (UN reference number, OFAC `ent_num`, `IMO NNNNNNN`)
    pub reference: String,
    /// Individual, entity, vessel or aircraft
    pub kind: &'static str,
    /// The entry's list type (regime, program)
    pub list_type: String,
    /// The entry's name as listed
    pub listed_name: String,
    /// The name of the entry that matched best: its name, its original-script name or an alias
    pub matched_name: String,
    /// The score of the query against `matched_name`, in 0..=1
    pub score: f64,
    /// The decision for that score
    pub strength: Strength,
}

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

/// The name index of one catalog for one schema (see the module documentation)
#[derive(Debug)]
pub struct NameIndex<'a> {
    catalog: &'a ListCatalog,
    schema: Schema,
    names: Vec<IndexedName<'a>>,
    postings: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>>,
}

/// The size of an index, for the benchmark and `docs/lists.md`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStats {
    /// Names indexed (names, original-script names and aliases)
    pub names: usize,
    /// Distinct keys
    pub keys: usize,
    /// Name ids over all keys' posting lists
    pub postings: usize,
    /// Approximate heap bytes: posting lists, the key table and the parts of every name
    pub bytes: usize,
}

#[derive(Debug)]
struct IndexedName<'a> {
    entry: u32,
    text: Cow<'a, str>,
    parts: Vec<Token>,
}

impl<'a> NameIndex<'a> {
    /// Indexes every name of every entry of `catalog`, normalised for `schema`
    pub fn new(catalog: &'a ListCatalog, schema: Schema) -> Self {
        let mut names = Vec::new();
        for (i, entry) in catalog.entries.iter().enumerate() {
            let Ok(entry_id) = u32::try_from(i) else {
                break;
            };
            for text in entry_names(entry) {
                let parts = parts(&text, schema);
                if !parts.is_empty() {
                    names.push(IndexedName {
                        entry: entry_id,
                        text,
                        parts,
                    });
                }
            }
        }
        let mut postings: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>> =
            HashMap::default();
        let mut keys = Vec::new();
        for (id, name) in names.iter().enumerate() {
            let Ok(id) = u32::try_from(id) else {
                break;
            };
            keys.clear();
            name_keys(&name.parts, &mut keys);
            for key in &keys {
                let list = postings.entry(*key).or_default();
                // INVARIANT: ids are pushed in increasing order, so a repeat is the last one.
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
        for list in postings.values_mut() {
            list.shrink_to_fit();
        }
        NameIndex {
            catalog,
            schema,
            names,
            postings,
        }
    }

    /// The schema the names were normalised for
    pub fn schema(&self) -> Schema {
        self.schema
    }

    /// How big the index is
    pub fn stats(&self) -> IndexStats {
        let postings: usize = self.postings.values().map(Vec::len).sum();
        let part_bytes: usize = self
            .names
            .iter()
            .map(|n| {
                n.parts.capacity() * std::mem::size_of::<Token>()
                    + n.parts.iter().map(|t| t.text.capacity()).sum::<usize>()
            })
            .sum();
        IndexStats {
            names: self.names.len(),
            keys: self.postings.len(),
            postings,
            bytes: postings * 4
                + self.postings.capacity() * (8 + std::mem::size_of::<Vec<u32>>() + 1)
                + self.names.capacity() * std::mem::size_of::<IndexedName<'_>>()
                + part_bytes,
        }
    }

    /// The entries with a name matching `query` (score at or above `names::THRESHOLD`), best
    /// first, at most `limit`; each entry once, with the name of it that scored best
    pub fn search(&self, query: &str, limit: usize) -> Vec<Candidate> {
        let query_parts = parts(query, self.schema);
        if query_parts.is_empty() {
            return Vec::new();
        }
        let mut keys = Vec::new();
        query_keys(&query_parts, &mut keys);
        let mut ids = Vec::new();
        for key in &keys {
            if let Some(list) = self.postings.get(key) {
                ids.extend_from_slice(list);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        self.score(&query_parts, ids.into_iter(), limit)
    }

    /// The same as [`search`](Self::search), comparing the query with every name of the list:
    /// the reference the index is checked against (tests, `benches/lists.rs`)
    pub fn search_exhaustive(&self, query: &str, limit: usize) -> Vec<Candidate> {
        let query_parts = parts(query, self.schema);
        if query_parts.is_empty() {
            return Vec::new();
        }
        let all = (0..self.names.len()).filter_map(|i| u32::try_from(i).ok());
        self.score(&query_parts, all, limit)
    }

    /// Scores the names `ids` (in increasing order, so an entry's names are together) against
    /// the query; keeps the best name of each entry that matches
    fn score(
        &self,
        query: &[Token],
        ids: impl Iterator<Item = u32>,
        limit: usize,
    ) -> Vec<Candidate> {
        // (entry, score, name id) of the best name of each matching entry
        let mut best: Vec<(u32, f64, u32)> = Vec::new();
        for id in ids {
            let Some(name) = usize::try_from(id).ok().and_then(|i| self.names.get(i)) else {
                continue;
            };
            let m = score_tokens(query, &name.parts, self.schema);
            if !m.is_match() {
                continue;
            }
            match best.last_mut() {
                Some(last) if last.0 == name.entry => {
                    if m.score > last.1 {
                        *last = (name.entry, m.score, id);
                    }
                }
                _ => best.push((name.entry, m.score, id)),
            }
        }
        best.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        best.truncate(limit);
        best.into_iter()
            .filter_map(|(entry, score, id)| {
                let entry_index = usize::try_from(entry).ok()?;
                let listed = self.catalog.entries.get(entry_index)?;
                let name = self.names.get(usize::try_from(id).ok()?)?;
                Some(Candidate {
                    entry: entry_index,
                    reference: listed.reference.clone(),
                    kind: listed.kind.as_str(),
                    list_type: listed.list_type.clone(),
                    listed_name: listed.name(),
                    matched_name: name.text.to_string(),
                    score,
                    strength: strength(score),
                })
            })
            .collect()
    }
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

fn strength(score: f64) -> Strength {
    if score >= 1.0 {
        Strength::Exact
    } else if score >= crate::names::STRONG {
        Strength::Strong
    } else if score >= crate::names::THRESHOLD {
        Strength::Weak
    } else {
        Strength::None
    }
}

/// An identifier as compared: letters and digits only, upper case; `IMO` dropped from IMO numbers
fn normalize_id(kind: IdKind, value: &str) -> String {
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

/// The names of an entry: its name, its name in the original script, its aliases
fn entry_names(entry: &ListEntry) -> impl Iterator<Item = Cow<'_, str>> {
    let name = match entry.name_parts.as_slice() {
        [] => None,
        [only] => Some(Cow::Borrowed(only.as_str())),
        _ => Some(Cow::Owned(entry.name())),
    };
    name.into_iter()
        .chain(entry.original_script.as_deref().map(Cow::Borrowed))
        .chain(entry.aliases.iter().map(|a| Cow::Borrowed(a.name.as_str())))
}

const TAG_PART: u8 = 1;
const TAG_FOLD: u8 = 2;
const TAG_SKELETON_LATIN: u8 = 3;
const TAG_SKELETON_ABJAD: u8 = 5;
const TAG_JOINED: u8 = 4;

/// The keys of a list name: each part of two or more characters, folded and as consonants, and
/// each pair of neighbouring parts run together (folded)
fn name_keys(parts: &[Token], keys: &mut Vec<u64>) {
    for part in parts {
        part_keys(part, keys);
    }
    for pair in parts.windows(2) {
        if let [a, b] = pair {
            keys.push(key(TAG_JOINED, &fold(&format!("{}{}", a.text, b.text))));
        }
    }
}

/// The keys of a query: those of a list name, and each part's folded form also as a joined key
/// (a list name written apart, `Jan Daniel`, against a query written together, `JanDaniel`)
fn query_keys(parts: &[Token], keys: &mut Vec<u64>) {
    name_keys(parts, keys);
    for part in parts {
        keys.push(key(TAG_JOINED, &fold(&part.text)));
        // Consonant skeletons are compared across scripts only: a Latin part against the
        // skeleton of an abjad one, an abjad part against both
        let consonants = skeleton(&part.text);
        if consonants.len() >= 3 {
            keys.push(key(TAG_SKELETON_ABJAD, &consonants));
            if part.abjad {
                keys.push(key(TAG_SKELETON_LATIN, &consonants));
            }
        }
    }
    // A query's own skeleton keys of its tag were added by `name_keys`; Latin against Latin
    // skeletons gave too many candidates, so those are dropped again.
    let latin_skeletons: Vec<u64> = parts
        .iter()
        .filter(|p| !p.abjad)
        .map(|p| skeleton(&p.text))
        .filter(|s| s.len() >= 3)
        .map(|s| key(TAG_SKELETON_LATIN, &s))
        .collect();
    let abjad_query = parts.iter().any(|p| p.abjad);
    if !abjad_query {
        keys.retain(|k| !latin_skeletons.contains(k));
    }
    keys.sort_unstable();
    keys.dedup();
}

fn part_keys(part: &Token, keys: &mut Vec<u64>) {
    let text = part.text.as_str();
    if text.len() < 2 {
        return;
    }
    keys.push(key(TAG_PART, text));
    keys.push(key(TAG_FOLD, &fold(text)));
    let consonants = skeleton(text);
    if consonants.len() >= 3 {
        let tag = if part.abjad {
            TAG_SKELETON_ABJAD
        } else {
            TAG_SKELETON_LATIN
        };
        keys.push(key(tag, &consonants));
    }
}

/// FNV-1a over a tag and the text
fn key(tag: u8, text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::iter::once(tag).chain(text.bytes()) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The keys are hashes already: the table uses them as they are
#[derive(Debug, Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

    use super::*;
    use crate::lists::{Alias, Document};

    fn entry(reference: &str, kind: EntryKind, name: &[&str], aliases: &[&str]) -> ListEntry {
        let mut e = ListEntry::new(kind);
        e.reference = reference.into();
        e.list_type = "TEST".into();
        e.name_parts = name.iter().map(|s| s.to_string()).collect();
        e.aliases = aliases
            .iter()
            .map(|a| Alias {
                quality: "Good".into(),
                name: a.to_string(),
            })
            .collect();
        e
    }

    fn catalog() -> ListCatalog {
        let mut doc = entry(
            "TSi.001",
            EntryKind::Individual,
            &["Jonathan", "Kettleby"],
            &["Jon Ketleby", "Jonathan Quill"],
        );
        doc.documents.push(Document {
            kind: "Passport".into(),
            number: "AB-123 456".into(),
            country: "Testland".into(),
        });
        let mut ship = entry("IMO 9074729", EntryKind::Vessel, &["SAMPLE STAR"], &[]);
        ship.imo = Some("9074729".into());
        ListCatalog {
            entries: vec![
                doc,
                entry("TSi.002", EntryKind::Individual, &["Anna", "Berg"], &[]),
                entry(
                    "TSe.001",
                    EntryKind::Entity,
                    &["Blue Harbor Shipping Ltd"],
                    &["Blue Harbour Shipping Company"],
                ),
                entry("TSi.003", EntryKind::Individual, &["Jan", "Daniel"], &[]),
                ship,
            ],
            ..ListCatalog::default()
        }
    }

    #[test]
    fn finds_misspelled_and_reordered_names_with_the_alias_that_matched() {
        let catalog = catalog();
        let found = catalog.search("Ketleby, Jonathon", Schema::Person, 10);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].reference, "TSi.001");
        assert_eq!(found[0].listed_name, "Jonathan Kettleby");
        assert!(found[0].score >= crate::names::THRESHOLD);
        let found = catalog.search("Jonathan Quill", Schema::Person, 10);
        assert_eq!(found[0].matched_name, "Jonathan Quill");
        assert_eq!(found[0].strength, Strength::Exact);
        let found = catalog.search("BLUE HARBOUR SHIPPING", Schema::Company, 10);
        assert_eq!(found[0].reference, "TSe.001");
        assert!(catalog.search("Tomas Lind", Schema::Person, 10).is_empty());
    }

    #[test]
    fn finds_parts_run_together() {
        let catalog = catalog();
        let found = catalog.search("JanDaniel", Schema::Person, 10);
        assert_eq!(found[0].reference, "TSi.003", "{found:?}");
    }

    #[test]
    fn index_agrees_with_exhaustive_comparison() {
        let catalog = catalog();
        let index = catalog.index(Schema::Person);
        for q in [
            "Jonathan Kettleby",
            "Kettleby",
            "J. Kettleby",
            "Anna Berg",
            "Berg Anna",
            "Jan Daniel",
            "Sample Star",
        ] {
            assert_eq!(index.search(q, 10), index.search_exhaustive(q, 10), "{q}");
        }
        assert!(index.stats().keys > 0);
    }

    #[test]
    fn finds_identifiers_after_normalisation() {
        let catalog = catalog();
        let refs = |v: Vec<&ListEntry>| v.iter().map(|e| e.reference.clone()).collect::<Vec<_>>();
        assert_eq!(
            refs(catalog.search_id(IdKind::Reference, "tsi 001")),
            ["TSi.001"]
        );
        assert_eq!(
            refs(catalog.search_id(IdKind::Document, "ab123456")),
            ["TSi.001"]
        );
        assert_eq!(
            refs(catalog.search_id(IdKind::Imo, "IMO 9074729")),
            ["IMO 9074729"]
        );
        assert_eq!(
            refs(catalog.search_id(IdKind::Imo, "9074729")),
            ["IMO 9074729"]
        );
        assert!(catalog.search_id(IdKind::Imo, "").is_empty());
    }
}
