//! A name index over a `ListCatalog` that finds exactly the names `search_exhaustive` finds, without
//! comparing the query with every list name.
//!
//! Every name of an entry (its name, its name in the original script, each alias; a name written
//! `A/B` also as `A` and `B`, `names::normalize::alternatives`) is split into parts by
//! `names::normalize::parts` once. The distinct parts are the index's *vocabulary*; each
//! vocabulary part has the names holding it (its postings), sorted by the name's total weight
//! (the sum of its parts' `matcher::part_weight`, their lengths with the short vowels an
//! abjad part does not write: the weight `names::score_tokens` uses).
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
//!    which does not grow with the name's weight; nor does the matcher's floor for a lighter name
//!    aligned whole (`CONTAINED_FLOOR` times its cover counted with its own parts' weights), which
//!    only a name met at the query's rarest part, or lighter than the query, can reach.
//!    Query parts are taken rarest first; a name
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
use std::sync::{Arc, Mutex, OnceLock};

mod build;
mod grams;
mod ids;
#[cfg(test)]
mod tests;

use build::FastMap;
use grams::*;
pub(crate) use ids::normalize_id;
pub use ids::{IdKind, schema_of};

use crate::screening::names::distance::{Pattern, levenshtein, levenshtein_mapped};
use crate::screening::names::matcher::{
    CONTAINED_FLOOR, Forms, PART_MIN, SHORTER_WEIGHT, part_similarity_folded, part_weight,
    score_tokens_folded, score_tokens_known,
};
use crate::screening::names::normalize::{
    Token, alternatives, fold, fold_korean, fold_variants_always, fused_article,
    han_joined_readings, han_readings, parts, skeleton,
};
use crate::screening::names::romanise::kontsevich;
use crate::screening::names::{STRONG, Schema, Strength, THRESHOLD};

use crate::screening::lists::formats::low_quality;

use crate::screening::lists::{EntryKind, ListCatalog, ListEntry};

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

/// The name index of one catalog for one schema (see the module documentation)
#[derive(Debug)]
pub struct NameIndex<'a> {
    catalog: &'a ListCatalog,
    schema: Schema,
    names: Vec<IndexedName<'a>>,
    /// The distinct parts of all names: the position of each in `shared` (the parts of the
    /// catalog's names for every schema, with the `fold` and `skeleton` of each)
    vocab: Vec<u32>,
    shared: Arc<build::Shared>,
    /// For each vocabulary part, (weight, name id) of the names holding it, by weight then id:
    /// those of part `v` at `postings[posting_ends[v - 1]..posting_ends[v]]` (from 0 for `v = 0`)
    postings: Vec<(u32, u32)>,
    posting_ends: Vec<u32>,
    /// Bigrams of the vocabulary as written, folded (the parts their fold changes), as
    /// skeletons (of abjad parts, of the others) and folded for Korean (all parts, Hangul parts)
    raw: Grams,
    folded: Grams,
    skeleton_abjad: Grams,
    skeleton_latin: Grams,
    korean_all: Grams,
    korean_hangul: Grams,
    /// Parts in Latin or Cyrillic letters with the Arabic article written on, folded without it
    /// (`names::normalize::fused_article`), for a query part that came after the article
    /// written apart
    fused: Grams,
    /// Parts in Latin or Cyrillic letters (not abjad, Han or Hangul) under
    /// `names::normalize::fold_variants` (Arabic q / g / gh, dh / th, Cyrillic kh / x as one),
    /// those that form changes only (neither as written nor folded: the others are found under
    /// it in `raw` and `folded`)
    variants: Grams,
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
    part_names: FastMap<Arc<str>, u32>,
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
    /// Shared with the indexes of the other schemas when they are the same parts
    parts: Arc<[Token]>,
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
    /// One bit per vocabulary part: those similar to a part of the query (`candidates`, which
    /// clears them again)
    similar: Vec<u64>,
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
///
/// Read from a table for lengths below [`PART_EDITS_TABULATED`] (every bigram lookup asks it
/// for each length within reach: computed, it cost 4 % of a search's instructions).
fn part_edits(n: usize, m: usize) -> usize {
    static TABLE: OnceLock<Vec<u8>> = OnceLock::new();
    if n < PART_EDITS_TABULATED && m < PART_EDITS_TABULATED {
        let table = TABLE.get_or_init(|| {
            (0..PART_EDITS_TABULATED * PART_EDITS_TABULATED)
                .map(|i| {
                    let edits =
                        part_edits_computed(i / PART_EDITS_TABULATED, i % PART_EDITS_TABULATED);
                    u8::try_from(edits).unwrap_or(u8::MAX)
                })
                .collect()
        });
        if let Some(&edits) = table.get(n * PART_EDITS_TABULATED + m) {
            return usize::from(edits);
        }
    }
    part_edits_computed(n, m)
}

/// The lengths below which [`part_edits`] is read from a table (its edits stay below 255)
const PART_EDITS_TABULATED: usize = 128;

/// [`part_edits`], computed
fn part_edits_computed(n: usize, m: usize) -> usize {
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
/// weight is at most `m` (the formula of `names::matcher`); it does not grow with `w`. With
/// `whole`, the lighter name may be aligned whole, its aligned weight counted with its own
/// parts' weights being at most that: the score is then also at most `CONTAINED_FLOOR` times
/// the lighter name's cover (the matcher's floor for a name contained in another); without, it
/// cannot be (a list name heavier than the query that holds no part like one of the query's).
fn score_bound(m: f64, q: f64, w: f64, whole: Option<f64>) -> f64 {
    let (short, long) = if q <= w { (q, w) } else { (w, q) };
    if short <= 0.0 {
        return 0.0;
    }
    let aligned =
        SHORTER_WEIGHT * (m / short).min(1.0) + (1.0 - SHORTER_WEIGHT) * (m / long).min(1.0);
    match whole {
        Some(own) => aligned.max(CONTAINED_FLOOR * (own / short).min(1.0)),
        None => aligned,
    }
}

impl<'a> NameIndex<'a> {
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
        let postings: usize = self.postings.len();
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
        let vocab_bytes: usize = (0..self.vocab.len())
            .filter_map(|v| u32::try_from(v).ok())
            .map(|v| {
                self.token(v).map_or(0, token_bytes)
                    + self.part_forms(v).map_or(0, |f| {
                        2 * std::mem::size_of::<String>() + f.folded.len() + f.skeleton.len()
                    })
                    + 4
            })
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
            bytes: self.postings.capacity() * 8
                + self.posting_ends.capacity() * 4
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
        let (folded, consonants) = (fold(&part.text), skeleton(&part.text));
        self.similar_vocab_with(part, &folded, &consonants, scratch, out);
    }

    /// [`similar_vocab`](Self::similar_vocab) of a part with its `fold` and `skeleton`
    fn similar_vocab_with(
        &self,
        part: &Token,
        folded: &str,
        consonants: &str,
        scratch: &mut Scratch,
        out: &mut Vec<u32>,
    ) {
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
                    .lookup(folded, part_edits, scratch, &mut found);
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
        if folded != part.text {
            self.raw.lookup(folded, part_edits, scratch, out);
        }
        self.folded.lookup(folded, part_edits, scratch, out);
        if !consonants.is_empty() {
            let other = if part.abjad {
                &self.skeleton_latin
            } else {
                &self.skeleton_abjad
            };
            other.lookup(consonants, part_edits, scratch, out);
        }
        if !part.abjad && !part.hangul && part.han.is_none() {
            // The article written on the query part, against parts after one written apart;
            // a part after one, against parts with it written on
            if let Some(rest) = fused_article(&part.text) {
                let rest = fold(rest);
                self.raw.lookup(&rest, part_edits, scratch, out);
                self.folded.lookup(&rest, part_edits, scratch, out);
            }
            if part.article {
                self.fused.lookup(folded, part_edits, scratch, out);
            }
        }
        if !part.abjad && !part.hangul {
            // The table of variant forms holds only the parts that form changes; the others
            // are in the tables of parts as written and folded under it: the query's variant
            // form is looked up there too, unless it was already (as written or folded)
            let variant = fold_variants_always(&part.text);
            self.variants.lookup(&variant, part_edits, scratch, out);
            if variant != folded {
                self.folded.lookup(&variant, part_edits, scratch, out);
                if variant != part.text {
                    self.raw.lookup(&variant, part_edits, scratch, out);
                }
            }
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
        let q_weight: f64 = query.iter().map(|t| part_weight(t) as f64).sum();
        // (vocabulary id, query part, similarity) of every pair that can be aligned
        let mut sims: Vec<(u32, usize, f64)> = Vec::new();
        // (start and end in `sims`, best contribution, postings to read, best contribution
        // counted with the query part's own weight) per query part
        let mut terms: Vec<(usize, usize, f64, usize, f64)> = Vec::with_capacity(query.len());
        let mut found = Vec::new();
        for (i, part) in query.iter().enumerate() {
            let similar = match self.memo.get(part) {
                Some(similar) => similar,
                None => {
                    found.clear();
                    let (folded, consonants) = (fold(&part.text), skeleton(&part.text));
                    self.similar_vocab_with(part, &folded, &consonants, scratch, &mut found);
                    found.sort_unstable();
                    found.dedup();
                    let forms = Forms {
                        folded: &folded,
                        skeleton: Some(&consonants),
                    };
                    let similar: Arc<[(u32, f64)]> = found
                        .iter()
                        .filter_map(|&v| {
                            let token = self.token(v)?;
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
            let (mut best, mut reads, mut best_own) = (0.0_f64, 0, 0.0_f64);
            for &(v, sim) in similar.iter() {
                let Some(token) = self.token(v) else {
                    continue;
                };
                sims.push((v, i, sim));
                best = best.max(sim * (part_weight(part) + part_weight(token)) as f64 / 2.0);
                best_own = best_own.max(sim * part_weight(part) as f64);
                reads += self.postings_of(v).len();
            }
            terms.push((start, sims.len(), best, reads, best_own));
        }
        // Rarest first; a name first met at a term aligns at most that term and those after
        terms.sort_by_key(|t| t.3);
        let mut rest: f64 = terms.iter().map(|t| t.2).sum();
        let own_all: f64 = terms.iter().map(|t| t.4).sum();
        let mut ids = Vec::new();
        for (k, &(start, end, best, _, _)) in terms.iter().enumerate() {
            if let Some(pairs) = sims.get(start..end) {
                for &(v, _, _) in pairs {
                    for &(weight, id) in self.postings_of(v) {
                        // A lighter name may be aligned whole wherever it is met (its own
                        // aligned weight at most its weight); the query only with a name met
                        // at its rarest part (at most its parts' best, each with its own
                        // weight). The bound still does not grow with the name's weight.
                        let w = f64::from(weight);
                        let whole = if w < q_weight {
                            Some(w)
                        } else {
                            (k == 0).then_some(own_all)
                        };
                        if score_bound(rest, q_weight, w, whole) < THRESHOLD - EPS {
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
        let mut best_q_own = vec![0.0_f64; query.len()];
        // Most parts of a candidate are similar to no part of the query: a bit tells, rather
        // than a search of `sims`
        let words = self.vocab.len().div_ceil(64);
        if scratch.similar.len() < words {
            scratch.similar.resize(words, 0);
        }
        let bit = |v: u32| (v as usize / 64, 1u64 << (v % 64));
        for &(v, _, _) in &sims {
            let (w, b) = bit(v);
            if let Some(word) = scratch.similar.get_mut(w) {
                *word |= b;
            }
        }
        let similar = &scratch.similar;
        ids.retain(|&id| {
            let Some(name) = usize::try_from(id).ok().and_then(|i| self.names.get(i)) else {
                return false;
            };
            best_q.iter_mut().for_each(|b| *b = 0.0);
            best_q_own.iter_mut().for_each(|b| *b = 0.0);
            let (mut sum_name, mut sum_name_own) = (0.0, 0.0);
            for (v, part) in name.vocab.iter().zip(name.parts.iter()) {
                let (w, b) = bit(*v);
                if similar.get(w).is_none_or(|word| word & b == 0) {
                    continue;
                }
                let from = sims.partition_point(|s| s.0 < *v);
                let (mut best_part, mut best_part_own) = (0.0_f64, 0.0_f64);
                for &(_, i, sim) in sims.iter().skip(from).take_while(|s| s.0 == *v) {
                    let (Some(q), Some(b), Some(b_own)) =
                        (query.get(i), best_q.get_mut(i), best_q_own.get_mut(i))
                    else {
                        continue;
                    };
                    let c = sim * (part_weight(q) + part_weight(part)) as f64 / 2.0;
                    *b = b.max(c);
                    *b_own = b_own.max(sim * part_weight(q) as f64);
                    best_part = best_part.max(c);
                    best_part_own = best_part_own.max(sim * part_weight(part) as f64);
                }
                sum_name += best_part;
                sum_name_own += best_part_own;
            }
            let m = sum_name.min(best_q.iter().sum());
            let w = f64::from(name.weight);
            // The lighter name's own aligned weight (the query when the weights are equal, as
            // the matcher takes it)
            let own = if q_weight <= w {
                best_q_own.iter().sum()
            } else {
                sum_name_own
            };
            score_bound(m, q_weight, w, Some(own)) >= THRESHOLD - EPS
        });
        for &(v, _, _) in &sims {
            if let Some(word) = scratch.similar.get_mut(bit(v).0) {
                *word = 0;
            }
        }
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
        let folded = fold(&text);
        let mut found = Vec::new();
        self.joined
            .lookup(&folded, joined_edits, scratch, &mut found);
        // Names in Han characters run together under their other readings
        if query.iter().any(|t| t.han.is_some()) {
            for reading in han_joined_readings(query) {
                self.joined
                    .lookup(&fold(&reading), joined_edits, scratch, &mut found);
            }
        } else {
            let mut readings = Vec::new();
            self.han_joined
                .lookup(&folded, joined_edits, scratch, &mut readings);
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
        let forms = self.part_forms(v);
        Forms {
            folded: forms.map_or("", |f| f.folded.as_str()),
            skeleton: forms.map(|f| f.skeleton.as_str()),
        }
    }

    /// Vocabulary part `v`
    fn token(&self, v: u32) -> Option<&Token> {
        let g = *self.vocab.get(v as usize)?;
        self.shared.tokens.get(g as usize)
    }

    /// The forms of vocabulary part `v`
    fn part_forms(&self, v: u32) -> Option<&build::PartForms> {
        let g = *self.vocab.get(v as usize)?;
        self.shared.forms.get(g as usize)
    }

    fn postings_of(&self, v: u32) -> &[(u32, u32)] {
        let v = v as usize;
        let start = v
            .checked_sub(1)
            .and_then(|p| self.posting_ends.get(p))
            .map_or(0, |&e| e as usize);
        let end = self.posting_ends.get(v).map_or(start, |&e| e as usize);
        self.postings.get(start..end).unwrap_or_default()
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
                crate::screening::names::Match {
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

/// The highest score of a match on a low-quality alias: below [`STRONG`], so such a match is at
/// most weak (the list itself says the alias is too broad to identify the party)
const LOW_ALIAS_CAP: f64 = STRONG - 0.01;
