//! A name index over a `ListCatalog` that finds exactly the names `search_exhaustive` finds, without
//! comparing the query with every list name.
//!
//! Every name of an entry (its name, its name in the original script, each alias; a name written
//! `A/B` also as `A` and `B`, `names::normalize::alternatives`) is split into parts by
//! `names::normalize::parts` once. The distinct parts are the index's *vocabulary*; each
//! vocabulary part has the names holding it (its postings), sorted by the name's total weight
//! (the sum of its parts' lengths, the weight `names::score_tokens` uses).
//!
//! A query is scored against a list name only when it can reach `names::THRESHOLD`:
//!
//! 1. For each query part, every vocabulary part it could be aligned with (similarity at least
//!    0.80) is found. Similarity 0.80 needs a Levenshtein ratio above 0.60 between the two
//!    parts as written, folded, as consonant skeletons (across scripts), folded for Korean
//!    (with Hangul) or, for a Han character, under one of its Korean and Japanese readings, so at
//!    most `(2M - 1)/5` edits for the longer length `M`, fewer for two different lengths
//!    (`part_edits`: Jaro-Winkler then has a lower ceiling); two strings that close
//!    share at least `M + 1 - 2k` of their padded bigrams (the q-gram lemma). Each form of the
//!    vocabulary is a `Grams`: its strings numbered by length, so the reachable lengths are one
//!    run of positions, and each bigram's list a bitset over the positions (or, for a bigram
//!    held by fewer than one string in 64, its sorted positions). A lookup adds the query's
//!    bigram lists into bit-sliced counts, 64 strings to a word and 8 words at a time; the
//!    strings whose count reaches what their length needs are checked by the symbols they
//!    hold, then by a bit-parallel Levenshtein distance, and `part_similarity_folded` (the
//!    matcher's own function) gives the similarity.
//!    Initials (persons) are looked up by their letter (and Han parts by the first letters of
//!    their readings).
//! 2. A list name can only match if its aligned weight reaches a bound: with `m` an upper bound
//!    of the aligned weight, the score is at most `0.7 min(1, m/short) + 0.3 min(1, m/long)`,
//!    which does not grow with the name's weight. Query parts are taken rarest first; a name
//!    first met through a part can only align that part and the commoner ones after it, so the
//!    postings of each part are read in order of weight only while that bound allows a match
//!    (a name of ten parts holding `Trading` is never read for `Karimo Trading`).
//! 3. Each name read gets a tighter bound from its own parts (the best pair of each query part,
//!    and of each name part); only those reaching the threshold are scored in full.
//! 4. Names that could match only with their parts run together (different numbers of parts,
//!    Levenshtein ratio of the folded run-together names at least 0.80: at most `M/5` edits)
//!    are found the same way through the padded bigrams of every name run together, and of the
//!    names in Han characters under their other readings.
//!
//! The similar vocabulary parts of the query parts met before are remembered (`Memo`).
//!
//! Every step is a bound, not a guess: the index returns the matches and scores that comparing
//! the query with every name returns (`search_exhaustive`, checked by `benches/lists.rs` on
//! real lists and by the fuzz target `name_index` on lists built from its input).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::names::distance::{Pattern, levenshtein, levenshtein_mapped};
use crate::names::matcher::{
    Forms, PART_MIN, SHORTER_WEIGHT, part_similarity_folded, score_tokens_folded,
    score_tokens_known,
};
use crate::names::normalize::{
    Token, alternatives, fold, fold_korean, han_joined_readings, han_readings, parts, skeleton,
};
use crate::names::romanise::kontsevich;
use crate::names::{STRONG, Schema, Strength, THRESHOLD};

use super::formats::low_quality;

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
    /// The distinct parts of all names, and the `fold` and `skeleton` of each
    vocab: Vec<Token>,
    vocab_folded: Vec<String>,
    vocab_skeleton: Vec<String>,
    /// For each vocabulary part, (weight, name id) of the names holding it, by weight then id
    postings: Vec<Vec<(u32, u32)>>,
    /// Bigrams of the vocabulary as written, folded (the parts their fold changes), as
    /// skeletons (of abjad parts, of the others) and folded for Korean (all parts, Hangul parts)
    raw: Grams,
    folded: Grams,
    skeleton_abjad: Grams,
    skeleton_latin: Grams,
    korean_all: Grams,
    korean_hangul: Grams,
    /// Vocabulary parts of one character (initials), by character
    initials: HashMap<u8, Vec<u32>>,
    /// Every vocabulary part by its first character, and each part in Han characters by the
    /// first character of each of its readings (persons: a query's initials)
    by_first: HashMap<u8, Vec<u32>>,
    /// Bigrams of every name run together and folded, and as skeletons (names with an abjad
    /// part, names without)
    joined: Grams,
    joined_skeleton_abjad: Grams,
    joined_skeleton_latin: Grams,
    /// Vocabulary parts in Han characters, compared with any part under their readings
    han_vocab: Vec<u32>,
    /// The Korean and Japanese readings of those parts (`names::normalize::han_readings`): the
    /// vocabulary id of each, and their bigrams as written, folded and folded for Korean
    han_owner: Vec<u32>,
    han_raw: Grams,
    han_folded: Grams,
    han_korean: Grams,
    /// The names with a part in Han characters run together under their other readings
    /// (`names::normalize::han_joined_readings`): the name id of each, and their trigrams
    han_joined_owner: Vec<u32>,
    han_joined: Grams,
    /// The similar vocabulary parts of query parts met before
    memo: Memo,
    /// For each part (as written), the number of names holding it: how common it is
    part_names: HashMap<String, u32>,
}

/// The vocabulary parts similar to a query part, for query parts met before: screening many
/// names meets the same parts again and again (common given names, family names, company
/// words). Shared by the threads searching one index: a few locks, each over part of the
/// table; a full part is emptied, so memory stays bounded.
#[derive(Debug, Default)]
struct Memo {
    shards: [Mutex<MemoShard>; MEMO_SHARDS],
}

/// Query part → (vocabulary id, similarity) of each vocabulary part it can be aligned with
type MemoShard = HashMap<Token, Similar>;

/// (vocabulary id, similarity) of each vocabulary part a query part can be aligned with, by id
type Similar = Arc<[(u32, f64)]>;

const MEMO_SHARDS: usize = 16;

/// Query parts kept per shard
const MEMO_SHARD_SIZE: usize = 8192;

impl Memo {
    fn shard(&self, part: &Token) -> Option<&Mutex<MemoShard>> {
        let mut hasher = std::hash::DefaultHasher::new();
        part.hash(&mut hasher);
        let i = usize::try_from(hasher.finish() % MEMO_SHARDS as u64).unwrap_or(0);
        self.shards.get(i)
    }

    fn get(&self, part: &Token) -> Option<Arc<[(u32, f64)]>> {
        let map = self.shard(part)?.lock().ok()?;
        map.get(part).cloned()
    }

    fn insert(&self, part: &Token, similar: &Arc<[(u32, f64)]>) {
        if let Some(mut map) = self.shard(part).and_then(|m| m.lock().ok()) {
            if map.len() >= MEMO_SHARD_SIZE {
                map.clear();
            }
            map.insert(part.clone(), Arc::clone(similar));
        }
    }
}

/// The size of an index, for the benchmark and `docs/lists.md`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStats {
    /// Names indexed (names, original-script names and aliases)
    pub names: usize,
    /// Distinct keys: the distinct parts of the names (the vocabulary)
    pub keys: usize,
    /// Name ids over all vocabulary parts' posting lists
    pub postings: usize,
    /// Approximate heap bytes: postings, bigram tables, the parts of every name and the vocabulary
    pub bytes: usize,
}

#[derive(Debug)]
struct IndexedName<'a> {
    entry: u32,
    text: Cow<'a, str>,
    parts: Vec<Token>,
    /// The vocabulary id of each part
    vocab: Vec<u32>,
    /// The sum of the parts' lengths
    weight: u32,
    /// A low-quality alias: its score is capped at [`LOW_ALIAS_CAP`]
    low: bool,
}

/// Working memory of one search, kept per thread so a search allocates little
#[derive(Debug, Default)]
struct Scratch {
    /// The query's distinct bigrams
    grams: Vec<u32>,
    /// For each reachable length, the edits allowed and the bigrams to share
    limits: Vec<(usize, usize)>,
    /// The sparse bigram lists of a lookup set out as bitsets (`Grams::lookup`)
    sparse_bits: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// At most this many edits leave two different parts of lengths `n` and `m` a similarity of
/// 0.80. The similarity is the mean of Jaro-Winkler and the Levenshtein ratio `1 - d/M` (`M`
/// the longer length, `S` the shorter), so `d <= M (JW - 0.6)`. Jaro-Winkler is at most
/// `J + 0.4 (1 - J)` (a common prefix of at most 4), and Jaro `(c/S + c/M + (c - t)/c) / 3`
/// with `c <= S` matched characters: at most `(2 + S/M) / 3` for different lengths; for equal
/// lengths, two different strings have `c < M` or a transposition, at most `(3 - 1/M) / 3`.
/// Never more than `(2M - 1) / 5`, from Jaro-Winkler below 1.
fn part_edits(n: usize, m: usize) -> usize {
    let (short, long) = if n <= m { (n, m) } else { (m, n) };
    if long == 0 {
        return 0;
    }
    let (s, l) = (short as f64, long as f64);
    let jaro = if short < long {
        (2.0 + s / l) / 3.0
    } else {
        (3.0 - 1.0 / l) / 3.0
    };
    let winkler = jaro + 0.4 * (1.0 - jaro);
    // Slack for rounding: the bound may only be loose, never tight
    let bound = (l * (winkler - 2.0 * PART_MIN + 1.0) + 1e-6).floor();
    let from_jaro = if bound <= 0.0 { 0 } else { bound as usize };
    from_jaro.min((2 * long).saturating_sub(1) / 5)
}

/// At most this many edits keep a Levenshtein ratio of 0.80 (names run together)
fn joined_edits(n: usize, m: usize) -> usize {
    n.max(m) / 5
}

/// A part held by at least one name in this many is frequent ([`NameIndex::is_frequent`])
pub const FREQUENT_ONE_IN: usize = 200;

/// ... and by at least this many names
pub const FREQUENT_AT_LEAST: u32 = 3;

/// Slack for floating-point rounding in the bounds (they are compared with the threshold)
const EPS: f64 = 1e-9;

/// An upper bound of the aligned score of two names of weights `q` and `w` whose aligned
/// weight is at most `m` (the formula of `names::matcher`); it does not grow with `w`
fn score_bound(m: f64, q: f64, w: f64) -> f64 {
    let (short, long) = if q <= w { (q, w) } else { (w, q) };
    if short <= 0.0 {
        return 0.0;
    }
    SHORTER_WEIGHT * (m / short).min(1.0) + (1.0 - SHORTER_WEIGHT) * (m / long).min(1.0)
}

impl<'a> NameIndex<'a> {
    /// Indexes every name of every entry of `catalog`, normalised for `schema`
    pub fn new(catalog: &'a ListCatalog, schema: Schema) -> Self {
        let mut names = Vec::new();
        let mut vocab: Vec<Token> = Vec::new();
        let mut vocab_ids: HashMap<Token, u32> = HashMap::new();
        for (i, entry) in catalog.entries.iter().enumerate() {
            let Ok(entry_id) = u32::try_from(i) else {
                break;
            };
            for (text, low) in entry_names(entry) {
                let parts = parts(&text, schema);
                if parts.is_empty() {
                    continue;
                }
                let mut ids = Vec::with_capacity(parts.len());
                for part in &parts {
                    let id = match vocab_ids.get(part) {
                        Some(id) => *id,
                        None => {
                            let Ok(id) = u32::try_from(vocab.len()) else {
                                break;
                            };
                            vocab_ids.insert(part.clone(), id);
                            vocab.push(part.clone());
                            id
                        }
                    };
                    ids.push(id);
                }
                let weight = parts.iter().map(|p| p.text.len()).sum::<usize>();
                names.push(IndexedName {
                    entry: entry_id,
                    text,
                    parts,
                    vocab: ids,
                    weight: u32::try_from(weight).unwrap_or(u32::MAX),
                    low,
                });
            }
        }
        let mut part_names: HashMap<String, u32> = HashMap::new();
        for name in &names {
            let mut texts: Vec<&str> = name.parts.iter().map(|p| p.text.as_str()).collect();
            texts.sort_unstable();
            texts.dedup();
            for text in texts {
                *part_names.entry(text.to_string()).or_default() += 1;
            }
        }
        let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); vocab.len()];
        for (id, name) in names.iter().enumerate() {
            let Ok(id) = u32::try_from(id) else {
                break;
            };
            for v in &name.vocab {
                if let Some(list) = usize::try_from(*v).ok().and_then(|v| postings.get_mut(v)) {
                    list.push((name.weight, id));
                }
            }
        }
        for list in &mut postings {
            list.sort_unstable();
            list.dedup();
            list.shrink_to_fit();
        }
        let view = |f: &dyn Fn(&Token) -> Option<String>| {
            let texts: Vec<String> = vocab.iter().map(|t| f(t).unwrap_or_default()).collect();
            Grams::new(&texts)
        };
        let raw = view(&|t| Some(t.text.clone()));
        let folded = view(&|t| Some(fold(&t.text)).filter(|f| *f != t.text));
        let skeleton_abjad = view(&|t| t.abjad.then(|| skeleton(&t.text)));
        let skeleton_latin = view(&|t| (!t.abjad).then(|| skeleton(&t.text)));
        let korean_all = view(&|t| Some(fold_korean(&t.text)));
        // Parts written in Hangul, and Korean syllables written in Cyrillic read back
        let korean_hangul = view(&|t| {
            if t.hangul {
                Some(fold_korean(&t.text))
            } else if t.cyrillic {
                kontsevich(&t.text)
            } else {
                None
            }
        });
        let mut initials: HashMap<u8, Vec<u32>> = HashMap::new();
        let mut by_first: HashMap<u8, Vec<u32>> = HashMap::new();
        for (id, t) in vocab.iter().enumerate() {
            let Ok(id) = u32::try_from(id) else {
                break;
            };
            if let Some(first) = t.text.bytes().next() {
                if t.text.len() == 1 {
                    initials.entry(first).or_default().push(id);
                }
                if schema == Schema::Person {
                    by_first.entry(first).or_default().push(id);
                }
            }
        }
        let han_vocab: Vec<u32> = (0..vocab.len())
            .filter(|&i| vocab.get(i).is_some_and(|t| t.han.is_some()))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        let mut han_owner = Vec::new();
        let mut han_reading_tokens = Vec::new();
        for &v in &han_vocab {
            if let Some(t) = usize::try_from(v).ok().and_then(|i| vocab.get(i)) {
                for r in han_readings(t) {
                    // An initial stands for a Han part whose reading it begins
                    if let Some(first) = r.text.bytes().next()
                        && schema == Schema::Person
                    {
                        by_first.entry(first).or_default().push(v);
                    }
                    han_owner.push(v);
                    han_reading_tokens.push(r);
                }
            }
        }
        for list in by_first.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        let han_view = |f: &dyn Fn(&Token) -> Option<String>| {
            let texts: Vec<String> = han_reading_tokens
                .iter()
                .map(|t| f(t).unwrap_or_default())
                .collect();
            Grams::new(&texts)
        };
        let han_raw = han_view(&|t| Some(t.text.clone()));
        let han_folded = han_view(&|t| Some(fold(&t.text)));
        let han_korean = han_view(&|t| t.hangul.then(|| fold_korean(&t.text)));
        let mut han_joined_owner = Vec::new();
        let mut han_joined_texts = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let Ok(id) = u32::try_from(i) else {
                break;
            };
            for reading in han_joined_readings(&name.parts) {
                han_joined_owner.push(id);
                han_joined_texts.push(fold(&reading));
            }
        }
        let han_joined = Grams::new(&han_joined_texts);
        let joined_text =
            |n: &IndexedName<'_>| -> String { n.parts.iter().map(|t| t.text.as_str()).collect() };
        let joined_texts: Vec<String> = names.iter().map(|n| fold(&joined_text(n))).collect();
        let joined = Grams::new(&joined_texts);
        let skeletons = |abjad: bool| -> Vec<String> {
            names
                .iter()
                .map(|n| {
                    if n.parts.iter().any(|t| t.abjad) == abjad {
                        skeleton(&joined_text(n))
                    } else {
                        String::new()
                    }
                })
                .collect()
        };
        let joined_skeleton_abjad = Grams::new(&skeletons(true));
        let joined_skeleton_latin = Grams::new(&skeletons(false));
        let vocab_folded = vocab.iter().map(|t| fold(&t.text)).collect();
        let vocab_skeleton = vocab.iter().map(|t| skeleton(&t.text)).collect();
        NameIndex {
            catalog,
            schema,
            names,
            vocab,
            vocab_folded,
            vocab_skeleton,
            postings,
            raw,
            folded,
            skeleton_abjad,
            skeleton_latin,
            korean_all,
            korean_hangul,
            initials,
            by_first,
            joined,
            joined_skeleton_abjad,
            joined_skeleton_latin,
            han_vocab,
            han_owner,
            han_raw,
            han_folded,
            han_korean,
            han_joined_owner,
            han_joined,
            memo: Memo::default(),
            part_names,
        }
    }

    /// How many of the index's names (names, original-script names, aliases) hold a part
    /// written `text` (normalised, as `names::normalize::parts` gives it)
    pub fn part_frequency(&self, text: &str) -> u32 {
        self.part_names.get(text).copied().unwrap_or(0)
    }

    /// Whether a part is frequent in the list: held by at least one name in
    /// [`FREQUENT_ONE_IN`], and by at least [`FREQUENT_AT_LEAST`] names (a common given name or
    /// surname: `Kim`, `Ali`, `Mohammad`)
    pub fn is_frequent(&self, text: &str) -> bool {
        let n = self.part_frequency(text);
        n >= FREQUENT_AT_LEAST && n as usize * FREQUENT_ONE_IN >= self.names.len()
    }

    /// How rare a part is among the index's names, in 0..=1: `ln(1 + N/n) / ln(1 + N)` for `N`
    /// names of which `n` hold it (inverse document frequency, scaled so that a part held by
    /// one name is 1), 1 for a part no name holds
    pub fn rarity(&self, text: &str) -> f64 {
        let n = f64::from(self.part_frequency(text));
        let total = self.names.len() as f64;
        if n <= 0.0 || total < 2.0 {
            return 1.0;
        }
        ((1.0 + total / n).ln() / (1.0 + total).ln()).clamp(0.0, 1.0)
    }

    /// The schema the names were normalised for
    pub fn schema(&self) -> Schema {
        self.schema
    }

    /// How big the index is
    pub fn stats(&self) -> IndexStats {
        let postings: usize = self.postings.iter().map(Vec::len).sum();
        let token_bytes = |t: &Token| std::mem::size_of::<Token>() + t.text.capacity();
        let part_bytes: usize = self
            .names
            .iter()
            .map(|n| {
                n.parts.iter().map(token_bytes).sum::<usize>()
                    + n.vocab.capacity() * 4
                    + std::mem::size_of::<IndexedName<'_>>()
            })
            .sum();
        let vocab_bytes: usize = self.vocab.iter().map(token_bytes).sum::<usize>()
            + self
                .vocab_folded
                .iter()
                .chain(&self.vocab_skeleton)
                .map(|f| std::mem::size_of::<String>() + f.capacity())
                .sum::<usize>();
        let gram_bytes: usize = [
            &self.raw,
            &self.folded,
            &self.skeleton_abjad,
            &self.skeleton_latin,
            &self.korean_all,
            &self.korean_hangul,
            &self.joined,
            &self.joined_skeleton_abjad,
            &self.joined_skeleton_latin,
        ]
        .iter()
        .map(|g| g.bytes())
        .sum();
        let first_bytes: usize = self
            .initials
            .values()
            .chain(self.by_first.values())
            .map(|l| l.capacity() * 4)
            .sum();
        IndexStats {
            names: self.names.len(),
            keys: self.vocab.len(),
            postings,
            bytes: postings * 8
                + self.postings.capacity() * std::mem::size_of::<Vec<(u32, u32)>>()
                + part_bytes
                + vocab_bytes
                + gram_bytes
                + first_bytes,
        }
    }

    /// The entries with a name matching `query` (score at or above `names::THRESHOLD`), best
    /// first, at most `limit`; each entry once, with the name of it that scored best
    pub fn search(&self, query: &str, limit: usize) -> Vec<Candidate> {
        let queries = self.query_parts(query);
        let mut ids = Vec::new();
        // The similar vocabulary parts of each part of each query, found on the way: the
        // candidates are scored with them rather than comparing the parts again
        let mut known = vec![Vec::new(); queries.len()];
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                for (q, similar) in queries.iter().zip(&mut known) {
                    ids.extend(self.candidates(q, &mut scratch, similar));
                }
            }
            Err(_) => {
                for (q, similar) in queries.iter().zip(&mut known) {
                    ids.extend(self.candidates(q, &mut Scratch::default(), similar));
                }
            }
        });
        ids.sort_unstable();
        ids.dedup();
        self.score(&queries, ids.into_iter(), limit, Some(&known))
    }

    /// The same as [`search`](Self::search), comparing the query with every name of the list:
    /// the reference the index is checked against (tests, `benches/lists.rs`)
    pub fn search_exhaustive(&self, query: &str, limit: usize) -> Vec<Candidate> {
        let queries = self.query_parts(query);
        let all = (0..self.names.len()).filter_map(|i| u32::try_from(i).ok());
        self.score(&queries, all, limit, None)
    }

    /// The parts of the query and of each name it is split into (`names::normalize::alternatives`)
    fn query_parts(&self, query: &str) -> Vec<Vec<Token>> {
        std::iter::once(query)
            .chain(alternatives(query))
            .map(|q| parts(q, self.schema))
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// The vocabulary parts that could be aligned with `part` (a superset: each is checked
    /// with `part_similarity` after)
    fn similar_vocab(&self, part: &Token, scratch: &mut Scratch, out: &mut Vec<u32>) {
        if part.han.is_some() {
            // A Han character is also compared under its Korean and Japanese readings
            for reading in han_readings(part) {
                self.similar_vocab(&reading, scratch, out);
            }
        } else if !self.han_vocab.is_empty() {
            if part.abjad || part.hangul {
                // Rare: compared with every Han part rather than through more tables
                out.extend_from_slice(&self.han_vocab);
            } else {
                // Against the readings of the Han parts, as written, folded, folded for Korean
                let mut found = Vec::new();
                self.han_raw
                    .lookup(&part.text, part_edits, scratch, &mut found);
                self.han_folded
                    .lookup(&fold(&part.text), part_edits, scratch, &mut found);
                self.han_korean
                    .lookup(&fold_korean(&part.text), part_edits, scratch, &mut found);
                out.extend(
                    found
                        .into_iter()
                        .filter_map(|i| self.han_owner.get(i as usize).copied()),
                );
            }
        }
        let Some(first) = part.text.bytes().next() else {
            return;
        };
        let person = self.schema == Schema::Person;
        if person && part.text.len() == 1 {
            // An initial stands for any part it begins (and equals itself)
            if let Some(list) = self.by_first.get(&first) {
                out.extend_from_slice(list);
            }
            return;
        }
        if person && let Some(list) = self.initials.get(&first) {
            out.extend_from_slice(list);
        }
        // Folded against folded: a vocabulary part its fold leaves as it is is in the table as
        // written; the others are in the table of folded parts
        self.raw.lookup(&part.text, part_edits, scratch, out);
        let folded = fold(&part.text);
        if folded != part.text {
            self.raw.lookup(&folded, part_edits, scratch, out);
        }
        self.folded.lookup(&folded, part_edits, scratch, out);
        let consonants = skeleton(&part.text);
        if !consonants.is_empty() {
            let other = if part.abjad {
                &self.skeleton_latin
            } else {
                &self.skeleton_abjad
            };
            other.lookup(&consonants, part_edits, scratch, out);
        }
        let korean = if part.hangul {
            &self.korean_all
        } else {
            &self.korean_hangul
        };
        if !korean.is_empty() {
            korean.lookup(&fold_korean(&part.text), part_edits, scratch, out);
        }
        if part.cyrillic
            && let Some(read) = kontsevich(&part.text)
        {
            self.korean_all.lookup(&read, part_edits, scratch, out);
        }
    }

    /// The ids of the names that can reach the threshold against `query`, in increasing order
    /// The similar vocabulary parts of each query part (`Similar`, by vocabulary id) go to
    /// `known`, in the order of the parts
    fn candidates(
        &self,
        query: &[Token],
        scratch: &mut Scratch,
        known: &mut Vec<Similar>,
    ) -> Vec<u32> {
        let q_weight: f64 = query.iter().map(|t| t.text.len() as f64).sum();
        // (vocabulary id, query part, similarity) of every pair that can be aligned
        let mut sims: Vec<(u32, usize, f64)> = Vec::new();
        // (start and end in `sims`, best contribution, postings to read) per query part
        let mut terms: Vec<(usize, usize, f64, usize)> = Vec::with_capacity(query.len());
        let mut found = Vec::new();
        for (i, part) in query.iter().enumerate() {
            let similar = match self.memo.get(part) {
                Some(similar) => similar,
                None => {
                    found.clear();
                    self.similar_vocab(part, scratch, &mut found);
                    found.sort_unstable();
                    found.dedup();
                    let (folded, consonants) = (fold(&part.text), skeleton(&part.text));
                    let forms = Forms {
                        folded: &folded,
                        skeleton: Some(&consonants),
                    };
                    let similar: Arc<[(u32, f64)]> = found
                        .iter()
                        .filter_map(|&v| {
                            let token = usize::try_from(v).ok().and_then(|v| self.vocab.get(v))?;
                            let sim = part_similarity_folded(
                                (part, forms),
                                (token, self.forms_of(v)),
                                self.schema,
                            );
                            (sim >= PART_MIN).then_some((v, sim))
                        })
                        .collect();
                    self.memo.insert(part, &similar);
                    similar
                }
            };
            known.push(Arc::clone(&similar));
            let start = sims.len();
            let (mut best, mut reads) = (0.0_f64, 0);
            for &(v, sim) in similar.iter() {
                let Some(token) = usize::try_from(v).ok().and_then(|v| self.vocab.get(v)) else {
                    continue;
                };
                sims.push((v, i, sim));
                best = best.max(sim * (part.text.len() + token.text.len()) as f64 / 2.0);
                reads += self.postings_of(v).len();
            }
            terms.push((start, sims.len(), best, reads));
        }
        // Rarest first; a name first met at a term aligns at most that term and those after
        terms.sort_by_key(|t| t.3);
        let mut rest: f64 = terms.iter().map(|t| t.2).sum();
        let mut ids = Vec::new();
        for &(start, end, best, _) in &terms {
            if let Some(pairs) = sims.get(start..end) {
                for &(v, _, _) in pairs {
                    for &(weight, id) in self.postings_of(v) {
                        if score_bound(rest, q_weight, f64::from(weight)) < THRESHOLD - EPS {
                            break;
                        }
                        ids.push(id);
                    }
                }
            }
            rest -= best;
        }
        ids.sort_unstable();
        ids.dedup();
        // A bound from each name's own parts
        sims.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
        let mut best_q = vec![0.0_f64; query.len()];
        ids.retain(|&id| {
            let Some(name) = usize::try_from(id).ok().and_then(|i| self.names.get(i)) else {
                return false;
            };
            best_q.iter_mut().for_each(|b| *b = 0.0);
            let mut sum_name = 0.0;
            for (v, part) in name.vocab.iter().zip(&name.parts) {
                let from = sims.partition_point(|s| s.0 < *v);
                let mut best_part = 0.0_f64;
                for &(_, i, sim) in sims.iter().skip(from).take_while(|s| s.0 == *v) {
                    let (Some(q), Some(b)) = (query.get(i), best_q.get_mut(i)) else {
                        continue;
                    };
                    let c = sim * (q.text.len() + part.text.len()) as f64 / 2.0;
                    *b = b.max(c);
                    best_part = best_part.max(c);
                }
                sum_name += best_part;
            }
            let m = sum_name.min(best_q.iter().sum());
            score_bound(m, q_weight, f64::from(name.weight)) >= THRESHOLD - EPS
        });
        self.joined_candidates(query, scratch, &mut ids);
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Adds the names that can reach the threshold with their parts run together: a different
    /// number of parts, and a Levenshtein ratio of at least 0.80 between the folded names run
    /// together (or, across scripts, their skeletons)
    fn joined_candidates(&self, query: &[Token], scratch: &mut Scratch, ids: &mut Vec<u32>) {
        let text: String = query.iter().map(|t| t.text.as_str()).collect();
        let mut found = Vec::new();
        self.joined
            .lookup(&fold(&text), joined_edits, scratch, &mut found);
        // Names in Han characters run together under their other readings
        if query.iter().any(|t| t.han.is_some()) {
            for reading in han_joined_readings(query) {
                self.joined
                    .lookup(&fold(&reading), joined_edits, scratch, &mut found);
            }
        } else {
            let mut readings = Vec::new();
            self.han_joined
                .lookup(&fold(&text), joined_edits, scratch, &mut readings);
            found.extend(
                readings
                    .into_iter()
                    .filter_map(|i| self.han_joined_owner.get(i as usize).copied()),
            );
        }
        let consonants = skeleton(&text);
        if !consonants.is_empty() {
            let other = if query.iter().any(|t| t.abjad) {
                &self.joined_skeleton_latin
            } else {
                &self.joined_skeleton_abjad
            };
            other.lookup(&consonants, joined_edits, scratch, &mut found);
        }
        ids.extend(found.into_iter().filter(|&id| {
            usize::try_from(id)
                .ok()
                .and_then(|i| self.names.get(i))
                .is_some_and(|n| n.parts.len() != query.len())
        }));
    }

    /// The `fold` and `skeleton` of vocabulary part `v`
    fn forms_of(&self, v: u32) -> Forms<'_> {
        let v = v as usize;
        Forms {
            folded: self.vocab_folded.get(v).map_or("", String::as_str),
            skeleton: self.vocab_skeleton.get(v).map(String::as_str),
        }
    }

    fn postings_of(&self, v: u32) -> &[(u32, u32)] {
        usize::try_from(v)
            .ok()
            .and_then(|v| self.postings.get(v))
            .map_or(&[], Vec::as_slice)
    }

    /// Scores the names `ids` (in increasing order, so an entry's names are together) against
    /// the query; keeps the best name of each entry that matches
    /// With `known` (the similar vocabulary parts of each part of each query, from
    /// `candidates`), the parts' similarities are read from it; without (the exhaustive
    /// comparison, the reference), computed
    fn score(
        &self,
        queries: &[Vec<Token>],
        ids: impl Iterator<Item = u32>,
        limit: usize,
        known: Option<&[Vec<Similar>]>,
    ) -> Vec<Candidate> {
        // (entry, score, name id) of the best name of each matching entry
        let mut best: Vec<(u32, f64, u32)> = Vec::new();
        // The query's forms, for comparing parts when their similarities are not known
        let texts: Vec<Vec<(String, String)>> = queries
            .iter()
            .map(|q| {
                q.iter()
                    .filter(|_| known.is_none())
                    .map(|t| (fold(&t.text), skeleton(&t.text)))
                    .collect()
            })
            .collect();
        let folded: Vec<Vec<Forms<'_>>> = texts
            .iter()
            .map(|q| {
                q.iter()
                    .map(|(f, s)| Forms {
                        folded: f,
                        skeleton: Some(s),
                    })
                    .collect()
            })
            .collect();
        let mut name_folded: Vec<Forms<'_>> = Vec::new();
        let rarity = |text: &str| self.rarity(text);
        for id in ids {
            let Some(name) = usize::try_from(id).ok().and_then(|i| self.names.get(i)) else {
                continue;
            };
            name_folded.clear();
            if known.is_none() {
                name_folded.extend(name.vocab.iter().map(|&v| self.forms_of(v)));
            }
            let Some(m) = queries
                .iter()
                .zip(&folded)
                .enumerate()
                .map(|(a, (q, fq))| match known.and_then(|k| k.get(a)) {
                    Some(similar) => {
                        let similarity = |i: usize, j: usize| -> f64 {
                            let (Some(list), Some(&v)) = (similar.get(i), name.vocab.get(j)) else {
                                return 0.0;
                            };
                            list.binary_search_by_key(&v, |p| p.0)
                                .ok()
                                .and_then(|k| list.get(k))
                                .map_or(0.0, |p| p.1)
                        };
                        score_tokens_known(q, &name.parts, self.schema, &similarity, Some(&rarity))
                    }
                    None => score_tokens_folded(
                        (q, fq),
                        (&name.parts, &name_folded),
                        self.schema,
                        Some(&rarity),
                    ),
                })
                .max_by(|x, y| x.score.total_cmp(&y.score))
            else {
                continue;
            };
            let m = if name.low && m.score > LOW_ALIAS_CAP {
                crate::names::Match {
                    score: LOW_ALIAS_CAP,
                    strength: Strength::of(LOW_ALIAS_CAP),
                    why: m.why,
                }
            } else {
                m
            };
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
                    strength: Strength::of(score),
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

/// The names of an entry: its name, its name in the original script, its aliases; each with
/// whether it is a low-quality alias (UN `Low`, OFAC weak a.k.a.)
fn entry_names(entry: &ListEntry) -> impl Iterator<Item = (Cow<'_, str>, bool)> {
    let name = match entry.name_parts.as_slice() {
        [] => None,
        [only] => Some(Cow::Borrowed(only.as_str())),
        _ => Some(Cow::Owned(entry.name())),
    };
    let names: Vec<(Cow<'_, str>, bool)> = name
        .into_iter()
        .chain(entry.original_script.as_deref().map(Cow::Borrowed))
        .map(|n| (n, false))
        .chain(
            entry
                .aliases
                .iter()
                .map(|a| (Cow::Borrowed(a.name.as_str()), low_quality(&a.quality))),
        )
        .collect();
    // Each name written together with others (`A/B`) is also indexed on its own
    let split: Vec<(Cow<'_, str>, bool)> = names
        .iter()
        .flat_map(|(n, low)| {
            alternatives(n)
                .into_iter()
                .map(|a| (Cow::Owned(a.to_string()), *low))
                .collect::<Vec<_>>()
        })
        .collect();
    names.into_iter().chain(split)
}

/// The highest score of a match on a low-quality alias: below [`STRONG`], so such a match is at
/// most weak (the list itself says the alias is too broad to identify the party)
const LOW_ALIAS_CAP: f64 = STRONG - 0.01;

/// Padded bigrams: `^` before the text, `$` after; letters and digits, 38 symbols
const SYMBOLS: usize = 38;

fn symbol(b: u8) -> usize {
    match b {
        b'a'..=b'z' => usize::from(b - b'a'),
        b'0'..=b'9' => 26 + usize::from(b - b'0'),
        // Normalised text holds only the above; anything else shares the start symbol
        _ => 36,
    }
}

/// The symbols of `text`, one bit each: those it holds, and those it holds more than once
fn symbol_mask(text: &[u8]) -> (u64, u64) {
    text.iter().fold((0, 0), |(once, twice), &b| {
        let bit = 1u64 << symbol(b);
        (once | bit, twice | (once & bit))
    })
}

/// A lower bound of the Levenshtein distance of two strings from their `symbol_mask`s: each
/// occurrence of a symbol in one string beyond its number in the other is an edit, and that
/// number is at least 1 for a symbol missing from the other, 1 more for one held twice and
/// not twice by the other
fn mask_distance(a: (u64, u64), b: (u64, u64)) -> usize {
    let one_way =
        |x: (u64, u64), y: (u64, u64)| (x.0 & !y.0).count_ones() + (x.1 & !y.1).count_ones();
    one_way(a, b).max(one_way(b, a)) as usize
}

/// The padded bigrams of `text` (`^` before it, `$` after), as codes below `SYMBOLS^2`
fn bigrams(text: &str, out: &mut Vec<u32>) {
    out.clear();
    let symbols = std::iter::once(36)
        .chain(text.bytes().map(symbol))
        .chain(std::iter::once(37));
    let mut last = None;
    for s in symbols {
        if let Some(l) = last {
            out.push(u32::try_from(l * SYMBOLS + s).unwrap_or(u32::MAX));
        }
        last = Some(s);
    }
}

/// The strings of one form of a set (ids are positions in the set; an empty string is left
/// out) with their bigram lists, to find the strings within a number of edits of a query.
///
/// The strings are numbered by length, then id (their *positions*), so that the strings of
/// the lengths a query can reach are one run of positions. The list of each bigram is a
/// bitset over the positions when at least one string in 64 has it (common bigrams: a word
/// of 64 strings is counted at once), or the sorted positions that have it otherwise (so a
/// list never takes more than twice the bytes of its positions). A lookup adds the query's
/// bigram lists into bit-sliced counters over the reachable positions.
#[derive(Debug, Default)]
struct Grams {
    /// The id of the string at each position
    order: Vec<u32>,
    /// For each length `L` up to the longest plus one, the first position of a string of
    /// length `L` or more
    len_start: Vec<u32>,
    /// The strings one after the other in position order, and where each ends
    text: String,
    ends: Vec<u32>,
    /// The symbols of each position's string (`symbol_mask`)
    masks: Vec<(u64, u64)>,
    /// Words of 64 positions
    words: usize,
    /// For each bigram code, where its bitset begins in `bits` (`u32::MAX`: a sparse list)
    slot: Vec<u32>,
    bits: Vec<u64>,
    /// For each bigram code, its sparse positions at `sparse[sparse_ends[g]..sparse_ends[g + 1]]`
    sparse_ends: Vec<u32>,
    sparse: Vec<u32>,
}

impl Grams {
    fn new(texts: &[String]) -> Grams {
        let mut order: Vec<u32> = (0..texts.len())
            .filter_map(|i| u32::try_from(i).ok())
            .filter(|&id| texts.get(id as usize).is_some_and(|t| !t.is_empty()))
            .collect();
        let len_of = |id: u32| texts.get(id as usize).map_or(0, String::len);
        order.sort_unstable_by_key(|&id| (len_of(id), id));
        let longest = order.last().map_or(0, |&id| len_of(id));
        let len_start = (0..=longest + 1)
            .map(|len| u32::try_from(order.partition_point(|&id| len_of(id) < len)))
            .map(|at| at.unwrap_or(u32::MAX))
            .collect();
        let mut text = String::new();
        let mut ends = Vec::with_capacity(order.len());
        let mut masks = Vec::with_capacity(order.len());
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); SYMBOLS * SYMBOLS];
        let mut buf = Vec::new();
        for (at, &id) in order.iter().enumerate() {
            let (Some(t), Ok(at)) = (texts.get(id as usize), u32::try_from(at)) else {
                break;
            };
            text.push_str(t);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            masks.push(symbol_mask(t.as_bytes()));
            bigrams(t, &mut buf);
            buf.sort_unstable();
            buf.dedup();
            for &g in &buf {
                if let Some(list) = lists.get_mut(g as usize) {
                    list.push(at);
                }
            }
        }
        let words = order.len().div_ceil(64);
        let mut slot = vec![u32::MAX; lists.len()];
        let (mut bits, mut sparse, mut sparse_ends) = (Vec::new(), Vec::new(), vec![0]);
        for (list, s) in lists.iter().zip(slot.iter_mut()) {
            if !list.is_empty() && list.len() >= words {
                let base = bits.len();
                *s = u32::try_from(base).unwrap_or(u32::MAX);
                bits.resize(base + words, 0u64);
                for &at in list {
                    if let Some(w) = bits.get_mut(base + at as usize / 64) {
                        *w |= 1u64 << (at % 64);
                    }
                }
            } else {
                sparse.extend_from_slice(list);
            }
            sparse_ends.push(u32::try_from(sparse.len()).unwrap_or(u32::MAX));
        }
        Grams {
            order,
            len_start,
            text,
            ends,
            masks,
            words,
            slot,
            bits,
            sparse_ends,
            sparse,
        }
    }

    fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    fn bytes(&self) -> usize {
        self.order.capacity() * 4
            + self.len_start.capacity() * 4
            + self.text.capacity()
            + self.ends.capacity() * 4
            + self.masks.capacity() * 16
            + self.slot.capacity() * 4
            + self.bits.capacity() * 8
            + self.sparse_ends.capacity() * 4
            + self.sparse.capacity() * 4
    }

    /// The string at position `at`
    fn text(&self, at: usize) -> &[u8] {
        let start = at
            .checked_sub(1)
            .and_then(|i| self.ends.get(i))
            .map_or(0, |&e| e as usize);
        let end = self.ends.get(at).map_or(start, |&e| e as usize);
        self.text.as_bytes().get(start..end).unwrap_or_default()
    }

    /// The first position of a string of length `len` or more
    fn start(&self, len: usize) -> usize {
        self.len_start
            .get(len)
            .or(self.len_start.last())
            .map_or(0, |&s| s as usize)
    }

    /// The bitset of bigram `g` over the words `from..to`, if its list is a bitset
    fn dense(&self, g: u32, from: usize, to: usize) -> Option<&[u64]> {
        let base = *self.slot.get(g as usize)? as usize;
        if base == u32::MAX as usize {
            return None;
        }
        self.bits.get(base + from..base + to)
    }

    /// The sparse positions of bigram `g`
    fn sparse(&self, g: u32) -> &[u32] {
        let g = g as usize;
        match (self.sparse_ends.get(g), self.sparse_ends.get(g + 1)) {
            (Some(&a), Some(&b)) => self.sparse.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Adds to `out` the ids whose string is within `k = edits(n, m)` edits of `query` (`n`
    /// and `m` the two lengths, `M` the longer). Two such strings share at least
    /// `M + 1 - 2k` padded bigrams counted with repeats (the q-gram lemma), so at least that
    /// less the query's repeated bigrams of its distinct ones (`need`). The query's distinct
    /// bigrams are added into bit-sliced counters over the positions of the reachable
    /// lengths; the positions of each length whose count reaches what that length needs are
    /// checked by their symbols (`mask_distance`), then by the edit distance.
    fn lookup(
        &self,
        query: &str,
        edits: fn(usize, usize) -> usize,
        scratch: &mut Scratch,
        out: &mut Vec<u32>,
    ) {
        let n = query.len();
        if n == 0 || self.is_empty() {
            return;
        }
        bigrams(query, &mut scratch.grams);
        let total = scratch.grams.len();
        scratch.grams.sort_unstable();
        scratch.grams.dedup();
        let repeats = total - scratch.grams.len();
        // Lengths m within reach, |n - m| <= edits(n, m) (never above 2 max(n, m) / 5, so m
        // below 5n/3 + 1), with the edits allowed and the distinct bigrams a string of that
        // length must share (`usize::MAX`: out of reach)
        scratch.limits.clear();
        let mut lo = None;
        let mut hi = 0;
        for m in 0..=(5 * n / 3 + 1) {
            let k = edits(n, m);
            if m == 0 || n.abs_diff(m) > k {
                scratch.limits.push((0, usize::MAX));
                continue;
            }
            lo.get_or_insert(m);
            hi = m;
            let need = (n.max(m) + 1).saturating_sub(2 * k + repeats);
            scratch.limits.push((k, need));
        }
        let Some(lo) = lo else {
            return;
        };
        scratch.limits.truncate(hi + 1);
        scratch.limits.drain(..lo);
        let (first, end) = (self.start(lo), self.start(hi + 1));
        if first >= end {
            return;
        }
        let (from, to) = (first / 64, end.div_ceil(64).min(self.words));
        let span = to.saturating_sub(from);
        // The query's bigram lists as bitsets over the words `from..to`: the common ones as
        // they are, the sparse ones set out in `scratch.sparse_bits`. Past `MAX_COUNTED`
        // bigrams (names run together of more than a hundred letters), the others are left
        // out and each lowers what a string must share by one.
        scratch.sparse_bits.clear();
        let mut dense: Vec<&[u64]> = Vec::with_capacity(scratch.grams.len());
        let (mut sparse, mut left_out) = (0, 0);
        for &g in &scratch.grams {
            if dense.len() + sparse >= MAX_COUNTED {
                left_out += 1;
                continue;
            }
            if let Some(bits) = self.dense(g, from, to) {
                dense.push(bits);
                continue;
            }
            let list = self.sparse(g);
            let a = list.partition_point(|&at| (at as usize) < first);
            let b = list.partition_point(|&at| (at as usize) < end);
            let within = list.get(a..b).unwrap_or_default();
            if within.is_empty() {
                continue;
            }
            let base = scratch.sparse_bits.len();
            scratch.sparse_bits.resize(base + span, 0);
            for &at in within {
                if let Some(w) = scratch.sparse_bits.get_mut(base + at as usize / 64 - from) {
                    *w |= 1u64 << (at % 64);
                }
            }
            sparse += 1;
        }
        let lists: Vec<&[u64]> = dense
            .into_iter()
            .chain(scratch.sparse_bits.chunks_exact(span.max(1)))
            .collect();
        let scan = Scan {
            query: query.as_bytes(),
            pattern: (n <= 64).then(|| Pattern::new(query.as_bytes(), &symbol)),
            mask: symbol_mask(query.as_bytes()),
            lists: &lists,
            limits: &scratch.limits,
            left_out,
            lo,
            from,
            first,
            end,
        };
        // Enough bits for the count of every bigram counted
        match usize::BITS - lists.len().leading_zeros() {
            0..=2 => self.scan::<2>(&scan, out),
            3 => self.scan::<3>(&scan, out),
            4 => self.scan::<4>(&scan, out),
            5 => self.scan::<5>(&scan, out),
            6 => self.scan::<6>(&scan, out),
            _ => self.scan::<7>(&scan, out),
        }
    }

    /// Counts, for each word of 64 positions in `scan`'s range, how many of its bigram lists
    /// hold each position (a `P`-bit count per position, bit-sliced in registers), then checks
    /// the positions whose count reaches what their length needs
    fn scan<const P: usize>(&self, scan: &Scan<'_>, out: &mut Vec<u32>) {
        let (mut len, mut len_end) = (scan.lo, self.start(scan.lo + 1));
        let words = scan.end.div_ceil(64).saturating_sub(scan.from);
        for block in (0..words).step_by(BLOCK) {
            let filled = BLOCK.min(words - block);
            // Words `block..block + width` of a list, zero past its end
            let load = |list: &[u64]| -> [u64; BLOCK] {
                let full = list.get(block..block + BLOCK).map(<[u64; BLOCK]>::try_from);
                if let Some(Ok(words)) = full {
                    return words;
                }
                let mut out = [0u64; BLOCK];
                let src = list.get(block..block + filled).unwrap_or_default();
                out.iter_mut().zip(src).for_each(|(o, s)| *o = *s);
                out
            };
            // Two lists at a time: a full adder into the lowest bit, its carry rippled up;
            // each operation on a block of words at once
            let mut count = [[0u64; BLOCK]; P];
            for pair in scan.lists.chunks(2) {
                let (a, b) = match pair {
                    [a, b] => (load(a), load(b)),
                    [a] => (load(a), [0; BLOCK]),
                    _ => continue,
                };
                let Some((low, high)) = count.split_first_mut() else {
                    continue;
                };
                let mut carry = [0u64; BLOCK];
                for (((l, x), y), c) in low.iter_mut().zip(&a).zip(&b).zip(&mut carry) {
                    let half = *l ^ x;
                    *c = (*l & x) | (half & y);
                    *l = half ^ y;
                }
                for plane in high {
                    for (p, c) in plane.iter_mut().zip(&mut carry) {
                        let next = *p & *c;
                        *p ^= *c;
                        *c = next;
                    }
                }
            }
            for i in 0..filled {
                let word = scan.from + block + i;
                let (start, stop) = ((word * 64).max(scan.first), ((word + 1) * 64).min(scan.end));
                if start >= stop {
                    continue;
                }
                let count: [u64; P] = std::array::from_fn(|j| {
                    count.get(j).and_then(|p| p.get(i)).copied().unwrap_or(0)
                });
                let mut at = start;
                while at < stop {
                    while at >= len_end {
                        len += 1;
                        len_end = self.start(len + 1);
                    }
                    let upto = len_end.min(stop);
                    // The positions `at..upto` of this word, all of length `len`
                    let width = upto - at;
                    let range = if width == 64 {
                        !0u64
                    } else {
                        ((1u64 << width) - 1) << (at % 64)
                    };
                    let (k, need) = scan
                        .limits
                        .get(len - scan.lo)
                        .copied()
                        .unwrap_or((0, usize::MAX));
                    let mut hits = if need == usize::MAX {
                        0
                    } else {
                        at_least(&count, need.saturating_sub(scan.left_out)) & range
                    };
                    while hits != 0 {
                        let position = word * 64 + hits.trailing_zeros() as usize;
                        hits &= hits - 1;
                        let other = self.masks.get(position).copied().unwrap_or((0, 0));
                        if mask_distance(scan.mask, other) <= k
                            && scan.within(self.text(position), k)
                            && let Some(&id) = self.order.get(position)
                        {
                            out.push(id);
                        }
                    }
                    at = upto;
                }
            }
        }
    }
}

/// Words of 64 positions counted together in `Grams::scan`
const BLOCK: usize = 8;

/// Bigrams of a query counted at most (a count fits 7 bits)
const MAX_COUNTED: usize = 127;

/// One lookup's query and bitsets, for `Grams::scan`
struct Scan<'s> {
    query: &'s [u8],
    /// The query prepared for the edit distance (up to 64 letters)
    pattern: Option<Pattern<SYMBOLS>>,
    mask: (u64, u64),
    /// The query's bigram lists over the words `from..`
    lists: &'s [&'s [u64]],
    /// For each length from `lo`, the edits allowed and the bigrams to share
    limits: &'s [(usize, usize)],
    /// Bigrams past `MAX_COUNTED`, not counted
    left_out: usize,
    lo: usize,
    from: usize,
    /// The positions of the reachable lengths
    first: usize,
    end: usize,
}

impl Scan<'_> {
    /// Whether `text` is within `k` edits of the query
    fn within(&self, text: &[u8], k: usize) -> bool {
        match &self.pattern {
            _ if self.query.len().abs_diff(text.len()) > k => false,
            // Normalised text: letters and digits, one symbol each (any other byte shares a
            // symbol, which can only make the distance smaller: a candidate more, checked
            // after)
            Some(pattern) => pattern.distance(text, &symbol) <= k,
            None => within_edits(self.query, text, k),
        }
    }
}

/// The bits of a word of bit-sliced counts (`count[j]` the `j`th bit of each) whose count is
/// at least `need`
fn at_least<const P: usize>(count: &[u64; P], need: usize) -> u64 {
    if need >> P != 0 {
        return 0;
    }
    // No count reaches the highest bit of `need`: none reaches `need` (most words)
    if need > 0 {
        let top = (usize::BITS - 1 - need.leading_zeros()) as usize;
        if count.iter().skip(top).fold(0, |any, plane| any | plane) == 0 {
            return 0;
        }
    }
    // From the highest bit down: above `need` already, or equal so far
    let (mut above, mut equal) = (0u64, !0u64);
    for (j, &plane) in count.iter().enumerate().rev() {
        // All ones where `need` has this bit
        let bit = 0u64.wrapping_sub(((need >> j) & 1) as u64);
        above |= equal & plane & !bit;
        equal &= !(plane ^ bit);
    }
    above | equal
}

/// Whether the Levenshtein distance of `a` and `b` is at most `k`
fn within_edits(a: &[u8], b: &[u8], k: usize) -> bool {
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() > 64 {
        return levenshtein(
            std::str::from_utf8(a).unwrap_or_default(),
            std::str::from_utf8(b).unwrap_or_default(),
        ) <= k;
    }
    // Normalised text: letters and digits, one symbol each (any other byte shares a symbol,
    // which can only make the distance smaller: a candidate more, checked after)
    levenshtein_mapped::<SYMBOLS>(short, long, symbol) <= k
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
                entry(
                    "TSi.004",
                    EntryKind::Individual,
                    &["朴明洙"],
                    &["Nordwind Trading/Blue Star Shipping"],
                ),
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
    fn a_match_on_a_low_quality_alias_is_at_most_weak() {
        let mut e = entry("TSi.009", EntryKind::Individual, &["Samir", "Haddad"], &[]);
        e.aliases.push(Alias {
            quality: "Low".into(),
            name: "Abu Samir".into(),
        });
        let catalog = ListCatalog {
            entries: vec![e],
            ..ListCatalog::default()
        };
        let found = catalog.search("Abu Samir", Schema::Person, 10);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].strength, Strength::Weak);
        // The entry's own name is not capped
        let found = catalog.search("Samir Haddad", Schema::Person, 10);
        assert_eq!(found[0].strength, Strength::Exact);
    }

    #[test]
    fn finds_romanisations_through_the_index() {
        let catalog = ListCatalog {
            entries: vec![
                entry("TSi.010", EntryKind::Individual, &["Ri", "Yong", "Ho"], &[]),
                entry("TSi.011", EntryKind::Individual, &["Ким", "Чен", "Ир"], &[]),
                entry(
                    "TSi.012",
                    EntryKind::Individual,
                    &["Abd al-Rahman", "Yasin"],
                    &[],
                ),
                entry(
                    "TSi.013",
                    EntryKind::Individual,
                    &["Kim", "Jong", "Un"],
                    &[],
                ),
            ],
            ..ListCatalog::default()
        };
        for (query, reference) in [
            ("Lee Yong Ho", "TSi.010"),
            ("Kim Jong Il", "TSi.011"),
            ("Abdulrahman Yasin", "TSi.012"),
            // A Cyrillic query against a Latin list name
            ("Ким Чен Ын", "TSi.013"),
        ] {
            let found = catalog.search(query, Schema::Person, 10);
            assert_eq!(
                found.first().map(|c| c.reference.as_str()),
                Some(reference),
                "{query}"
            );
            let exhaustive = catalog.index(Schema::Person).search_exhaustive(query, 10);
            assert_eq!(found, exhaustive, "{query}");
        }
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
            "Park Myong Su",
            "ParkMyongSu",
            "朴明洙",
            "Blue Star Shipping",
            "Nordwind Trading",
            "Anna Berg/Jan Daniel",
        ] {
            assert_eq!(index.search(q, 10), index.search_exhaustive(q, 10), "{q}");
        }
        assert!(index.stats().keys > 0);
        assert_eq!(index.search("Park Myong Su", 10)[0].reference, "TSi.004");
        assert_eq!(
            index.search("Blue Star Shipping", 10)[0].reference,
            "TSi.004"
        );
    }

    #[test]
    fn bit_parallel_levenshtein_agrees_with_strsim() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "karimo",
            "kareem",
            "mohammed",
            "muhamad",
            "trading",
            "radin",
            "gru",
            "group",
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "zyxw",
            "aaaa",
            "aaaab",
        ];
        for a in words {
            for b in words {
                let d = strsim::levenshtein(a, b);
                let (s, l) = if a.len() <= b.len() { (a, b) } else { (b, a) };
                assert_eq!(
                    crate::names::distance::levenshtein_bits(s.as_bytes(), l.as_bytes()),
                    d,
                    "{a} {b}"
                );
                let masks = (symbol_mask(a.as_bytes()), symbol_mask(b.as_bytes()));
                assert!(mask_distance(masks.0, masks.1) <= d, "{a} {b}");
                for k in 0..6 {
                    assert_eq!(
                        within_edits(a.as_bytes(), b.as_bytes(), k),
                        d <= k,
                        "{a} {b} {k}"
                    );
                }
            }
        }
    }

    #[test]
    fn part_edits_bounds_every_similar_pair() {
        // Every pair of short strings over a small alphabet (transpositions, repeats, shifts)
        let mut words = crate::names::distance::strings_over_abc(6);
        words.retain(|w| !w.is_empty());
        for a in &words {
            for b in &words {
                let sim = (strsim::jaro_winkler(a, b) + strsim::normalized_levenshtein(a, b)) / 2.0;
                if sim >= PART_MIN {
                    let d = strsim::levenshtein(a, b);
                    assert!(d <= part_edits(a.len(), b.len()), "{a} {b} {sim} {d}");
                }
            }
        }
    }

    #[test]
    fn bigram_lookup_finds_every_string_within_its_edits() {
        // Enough strings for bigram lists of both kinds (bitsets and sparse positions), from
        // a few syllables so that many are within a few edits of each other
        let syllables = ["ka", "ri", "mo", "na", "sel", "tor", "an", "e", "x9"];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let texts: Vec<String> = (0..3000)
            .map(|i| {
                if i % 97 == 0 {
                    return String::new();
                }
                let mut t: String = (0..1 + next(5))
                    .map(|_| syllables[next(syllables.len())])
                    .collect();
                if i % 31 == 0 {
                    // A rare letter: bigrams held by few strings
                    t.push(char::from(b'a' + next(26) as u8));
                }
                t
            })
            .collect();
        let grams = Grams::new(&texts);
        assert!(!grams.bits.is_empty() && !grams.sparse.is_empty());
        let mut scratch = Scratch::default();
        for query in texts.iter().step_by(7).chain([&"karimosel".to_string()]) {
            for edits in [part_edits as fn(usize, usize) -> usize, joined_edits] {
                let mut found = Vec::new();
                grams.lookup(query, edits, &mut scratch, &mut found);
                found.sort_unstable();
                let expected: Vec<u32> = (0..texts.len())
                    .filter(|&i| {
                        let t = &texts[i];
                        !t.is_empty()
                            && !query.is_empty()
                            && strsim::levenshtein(query, t) <= edits(query.len(), t.len())
                    })
                    .map(|i| i as u32)
                    .collect();
                assert_eq!(found, expected, "{query}");
            }
        }
    }

    #[test]
    fn initials_find_han_parts_by_their_readings() {
        // 佐 reads jwa in Korean: the initial J stands for it (found by the fuzz target
        // `name_index`: the index missed what the exhaustive comparison found)
        let catalog = ListCatalog {
            entries: vec![entry("TSi.010", EntryKind::Individual, &["佐藤健"], &[])],
            ..ListCatalog::default()
        };
        let index = catalog.index(Schema::Person);
        let found = index.search("J. K健", 10);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found, index.search_exhaustive("J. K健", 10));
    }

    #[test]
    fn the_index_is_shared_across_threads() {
        fn sync<T: Sync + Send>() {}
        sync::<NameIndex<'_>>();
    }

    #[test]
    fn long_names_agree_with_exhaustive_comparison() {
        // Names run together longer than 255 letters (counts past a byte) and 64 (the
        // bit-parallel distance)
        let words: Vec<String> = (0..60).map(|i| format!("Word{}x{}", i * 7, i)).collect();
        let long = words.join(" ");
        let mut catalog = catalog();
        catalog
            .entries
            .push(entry("TSe.002", EntryKind::Entity, &[&long], &[]));
        let index = catalog.index(Schema::Company);
        let joined = words.concat();
        let shorter = words.get(1..).unwrap().join(" ");
        for q in [long.as_str(), joined.as_str(), shorter.as_str()] {
            let found = index.search(q, 10);
            assert_eq!(found, index.search_exhaustive(q, 10), "{q}");
            assert_eq!(found[0].reference, "TSe.002");
        }
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
