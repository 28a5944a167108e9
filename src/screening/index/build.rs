//! Building a `NameIndex`: the names of every entry split into parts, the vocabulary and its
//! forms, the postings of each part and the run-together names.

use std::hash::BuildHasherDefault;

use rayon::prelude::*;

use super::*;
use crate::screening::names::normalize::{fold_and_skeleton, fold_once, parts_of, tokenize};

/// FxHash (the hash of `rustc`): the build's tables are keyed by the list's own text, with no
/// adversary to fear, and SipHash took a tenth of the build
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word.iter_mut().zip(chunk).for_each(|(w, b)| *w = *b);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hash map with [`FxHasher`]
pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// `rayon::join` when `parallel`, else `a` then `b` on this thread. Work done while a lock is
/// held (a list snapshot indexed on first use, inside its `OnceLock`) must stay on its thread: a
/// thread waiting in `rayon::join` runs other jobs of the pool, which may wait for that lock.
fn join<RA: Send, RB: Send>(
    parallel: bool,
    a: impl FnOnce() -> RA + Send,
    b: impl FnOnce() -> RB + Send,
) -> (RA, RB) {
    if parallel {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}

/// The position of a schema's parts in `PreparedName::variant`
fn slot(schema: Schema) -> usize {
    match schema {
        Schema::Person => 0,
        Schema::Company => 1,
        Schema::Vessel => 2,
    }
}

/// The work of indexing a catalog's names that does not depend on the schema, done once for
/// the indexes of several schemas: each name split into tokens once (`tokenize`), its parts for
/// each schema (`parts_of`: one list shared by the schemas that set nothing aside), each
/// distinct part with its forms (`fold`, `skeleton`, `fold_korean`) once, each list of parts
/// run together, folded and as a skeleton, once
#[derive(Debug, Default)]
pub(super) struct Prepared<'a> {
    names: Vec<PreparedName<'a>>,
    variants: Vec<Variant>,
    /// The distinct parts (`Token`s) of all variants, and the forms of each
    shared: Arc<Shared>,
    /// The number of distinct part texts (`PartForms::text_id` is below it)
    texts: usize,
}

#[derive(Debug)]
struct PreparedName<'a> {
    entry: u32,
    text: Cow<'a, str>,
    low: bool,
    /// For each schema (`slot`), its parts: a position in `Prepared::variants` (`u32::MAX`: not
    /// prepared for that schema)
    variant: [u32; 3],
}

/// The parts of a name for one or more schemas
#[derive(Debug)]
struct Variant {
    parts: Arc<[Token]>,
    /// The position of each part in `Prepared::tokens`
    ids: Vec<u32>,
    /// The sum of the parts' lengths
    weight: u32,
    /// The parts run together, folded, and its skeleton
    joined_folded: String,
    joined_skeleton: String,
    /// Whether a part is written in an abjad
    abjad: bool,
}

/// The distinct parts of the names of a catalog, with their forms: shared by its indexes
#[derive(Debug, Default)]
pub(super) struct Shared {
    pub(super) tokens: Vec<Token>,
    pub(super) forms: Vec<PartForms>,
}

/// The forms of a part
#[derive(Debug)]
pub(super) struct PartForms {
    /// The part's text, and a number shared by the parts of the same text
    text: Arc<str>,
    text_id: u32,
    pub(super) folded: String,
    pub(super) skeleton: String,
    korean: String,
    /// A part in Latin or Cyrillic letters (not an abjad, Han or Hangul) under
    /// `fold_variants_always`, when that form is neither the part as written nor `folded`;
    /// empty otherwise (the index finds such a part by its variant form in the tables of the
    /// parts as written and folded, which hold it)
    pub(super) variant: Box<str>,
    /// A part in Latin or Cyrillic letters with the Arabic article written on, folded without
    /// it (`fused_article`); empty otherwise
    fused: Box<str>,
}

/// One name's parts for each schema, made on its own (names are made in parallel)
struct NameParts<'a> {
    entry: u32,
    text: Cow<'a, str>,
    low: bool,
    /// The distinct lists of parts, with each run together, folded and as a skeleton
    made: Vec<(Arc<[Token]>, String, String)>,
    /// For each schema (`slot`), its list in `made` (`usize::MAX`: not made for it)
    of: [usize; 3],
}

impl<'a> NameParts<'a> {
    /// `None` for a name without a token: it has no parts whatever the schema (`parts`)
    fn new(entry: u32, text: Cow<'a, str>, low: bool, schemas: &[Schema]) -> Option<Self> {
        let tokens = tokenize(&text);
        if tokens.is_empty() {
            return None;
        }
        let of_schemas: Vec<(usize, Option<Vec<Token>>)> = schemas
            .iter()
            .map(|&schema| (slot(schema), parts_of(&tokens, schema)))
            .collect();
        let mut tokens = Some(tokens);
        let mut base = None;
        let mut made: Vec<(Arc<[Token]>, String, String)> = Vec::with_capacity(1);
        let mut of = [usize::MAX; 3];
        let with_forms = |parts: Vec<Token>| {
            let mut joined = String::with_capacity(parts.iter().map(|t| t.text.len()).sum());
            joined.extend(parts.iter().map(|t| t.text.as_str()));
            let (folded, skeleton) = fold_and_skeleton(&joined);
            (Arc::from(parts), folded, skeleton)
        };
        for (at, parts) in of_schemas {
            let i = match parts {
                None => match base {
                    Some(i) => i,
                    None => {
                        made.push(with_forms(tokens.take().unwrap_or_default()));
                        let i = made.len() - 1;
                        base = Some(i);
                        i
                    }
                },
                Some(parts) => match made.iter().position(|m| *m.0 == *parts) {
                    Some(i) => i,
                    None => {
                        made.push(with_forms(parts));
                        made.len() - 1
                    }
                },
            };
            if let Some(o) = of.get_mut(at) {
                *o = i;
            }
        }
        Some(NameParts {
            entry,
            text,
            low,
            made,
            of,
        })
    }
}

impl<'a> Prepared<'a> {
    /// The names of every entry of `catalog` prepared for `schemas`: the names split into
    /// parts (in parallel with `parallel`), then their parts numbered in order, then the forms
    /// of each distinct part made (in parallel with `parallel`)
    pub(super) fn new(catalog: &'a ListCatalog, schemas: &[Schema], parallel: bool) -> Self {
        let split = |(i, entry): (usize, &'a ListEntry)| -> Vec<NameParts<'a>> {
            let Ok(entry_id) = u32::try_from(i) else {
                return Vec::new();
            };
            entry_names(entry)
                .filter_map(|(text, low)| NameParts::new(entry_id, text, low, schemas))
                .collect()
        };
        let per_entry: Vec<Vec<NameParts<'a>>> = if parallel {
            catalog.entries.par_iter().enumerate().map(split).collect()
        } else {
            catalog.entries.iter().enumerate().map(split).collect()
        };
        let mut prepared = Prepared::default();
        let names: usize = per_entry.iter().map(Vec::len).sum();
        prepared.names.reserve(names);
        prepared.variants.reserve(names + names / 2);
        let mut ids: Vec<u32> = Vec::new();
        for name in per_entry.into_iter().flatten() {
            ids.clear();
            for (parts, joined_folded, joined_skeleton) in name.made {
                let weight = parts.iter().map(part_weight).sum::<usize>();
                let abjad = parts.iter().any(|t| t.abjad);
                ids.push(u32::try_from(prepared.variants.len()).unwrap_or(u32::MAX));
                prepared.variants.push(Variant {
                    parts,
                    ids: Vec::new(),
                    weight: u32::try_from(weight).unwrap_or(u32::MAX),
                    joined_folded,
                    joined_skeleton,
                    abjad,
                });
            }
            let variant = name.of.map(|i| ids.get(i).copied().unwrap_or(u32::MAX));
            prepared.names.push(PreparedName {
                entry: name.entry,
                text: name.text,
                low: name.low,
                variant,
            });
        }
        // The distinct parts numbered in the order the variants meet them (borrowed from the
        // variants while numbering, copied once after), and the distinct texts
        let mut token_ids: FastMap<&Token, u32> = FastMap::default();
        let mut text_ids: FastMap<&str, u32> = FastMap::default();
        token_ids.reserve(names);
        text_ids.reserve(names);
        let mut distinct: Vec<&Token> = Vec::new();
        let mut token_texts: Vec<u32> = Vec::new();
        let mut variant_ids: Vec<Vec<u32>> = Vec::with_capacity(prepared.variants.len());
        for variant in &prepared.variants {
            let mut part_ids = Vec::with_capacity(variant.parts.len());
            for part in variant.parts.iter() {
                let id = match token_ids.get(part) {
                    Some(&id) => id,
                    None => {
                        let id = u32::try_from(distinct.len()).unwrap_or(u32::MAX);
                        let next = u32::try_from(text_ids.len()).unwrap_or(u32::MAX);
                        let text_id = *text_ids.entry(part.text.as_str()).or_insert(next);
                        token_texts.push(text_id);
                        token_ids.insert(part, id);
                        distinct.push(part);
                        id
                    }
                };
                part_ids.push(id);
            }
            variant_ids.push(part_ids);
        }
        prepared.texts = text_ids.len();
        let forms_of = |(&part, &text_id): (&&Token, &u32)| {
            let (folded, skeleton) = fold_and_skeleton(&part.text);
            let letters = !(part.abjad || part.hangul || part.han.is_some());
            let variant = if letters {
                let variant = fold_variants_always(&part.text);
                if variant == part.text || variant == folded {
                    Box::default()
                } else {
                    variant.into_boxed_str()
                }
            } else {
                Box::default()
            };
            let fused = if letters {
                fused_article(&part.text)
                    .map_or_else(Box::default, |rest| fold_once(rest).into_boxed_str())
            } else {
                Box::default()
            };
            let forms = PartForms {
                text: Arc::from(part.text.as_str()),
                text_id,
                skeleton,
                folded,
                korean: fold_korean(&part.text),
                variant,
                fused,
            };
            (part.clone(), forms)
        };
        let (tokens, forms): (Vec<Token>, Vec<PartForms>) = if parallel {
            distinct.par_iter().zip(&token_texts).map(forms_of).unzip()
        } else {
            distinct.iter().zip(&token_texts).map(forms_of).unzip()
        };
        for (variant, ids) in prepared.variants.iter_mut().zip(variant_ids) {
            variant.ids = ids;
        }
        prepared.shared = Arc::new(Shared { tokens, forms });
        prepared
    }
}

impl<'a> NameIndex<'a> {
    /// Indexes every name of every entry of `catalog`, normalised for `schema`
    /// (on this thread)
    pub fn new(catalog: &'a ListCatalog, schema: Schema) -> Self {
        Self::build(
            catalog,
            &Prepared::new(catalog, &[schema], false),
            schema,
            false,
        )
    }

    /// The indexes of every name of every entry of `catalog` for persons, companies and
    /// vessels: the same as [`NameIndex::new`] for each schema, sharing the work that does not
    /// depend on the schema. With `parallel`, the work is spread over rayon's pool (not while
    /// holding a lock that a job of the pool may wait for); else it stays on this thread.
    pub fn for_each_schema(catalog: &'a ListCatalog, parallel: bool) -> [Self; 3] {
        let schemas = [Schema::Person, Schema::Company, Schema::Vessel];
        let prepared = Prepared::new(catalog, &schemas, parallel);
        let build = |schema| Self::build(catalog, &prepared, schema, parallel);
        let (person, (company, vessel)) = join(
            parallel,
            || build(Schema::Person),
            || {
                join(
                    parallel,
                    || build(Schema::Company),
                    || build(Schema::Vessel),
                )
            },
        );
        [person, company, vessel]
    }

    /// The index for `schema` of the names `prepared` (prepared for it)
    fn build(
        catalog: &'a ListCatalog,
        prepared: &Prepared<'a>,
        schema: Schema,
        parallel: bool,
    ) -> Self {
        let at = slot(schema);
        // The vocabulary id of each prepared part the index holds (`u32::MAX`: none yet), in
        // the order the names meet them
        let shared = &*prepared.shared;
        let mut local = vec![u32::MAX; shared.tokens.len()];
        let mut global: Vec<u32> = Vec::new();
        let mut names = Vec::with_capacity(prepared.names.len());
        let mut variants: Vec<&Variant> = Vec::with_capacity(prepared.names.len());
        for name in &prepared.names {
            let Some(variant) = name
                .variant
                .get(at)
                .and_then(|&v| prepared.variants.get(v as usize))
            else {
                continue;
            };
            if variant.parts.is_empty() {
                continue;
            }
            let mut ids = Vec::with_capacity(variant.ids.len());
            for &g in &variant.ids {
                let Some(id) = local.get_mut(g as usize) else {
                    continue;
                };
                if *id == u32::MAX {
                    let Ok(next) = u32::try_from(global.len()) else {
                        break;
                    };
                    *id = next;
                    global.push(g);
                }
                ids.push(*id);
            }
            names.push(IndexedName {
                entry: name.entry,
                text: name.text.clone(),
                parts: Arc::clone(&variant.parts),
                vocab: ids,
                weight: variant.weight,
                low: name.low,
            });
            variants.push(variant);
        }
        let vocab: Vec<&Token> = global
            .iter()
            .filter_map(|&g| shared.tokens.get(g as usize))
            .collect();
        let forms: Vec<&PartForms> = global
            .iter()
            .filter_map(|&g| shared.forms.get(g as usize))
            .collect();
        // For each part text, the number of names holding it
        let mut counts = vec![0u32; prepared.texts];
        let mut texts: Vec<u32> = Vec::new();
        for name in &names {
            texts.clear();
            texts.extend(
                name.vocab
                    .iter()
                    .filter_map(|&v| forms.get(v as usize).map(|f| f.text_id)),
            );
            texts.sort_unstable();
            texts.dedup();
            for &t in &texts {
                if let Some(c) = counts.get_mut(t as usize) {
                    *c += 1;
                }
            }
        }
        let mut part_names: FastMap<Arc<str>, u32> = FastMap::default();
        part_names.reserve(forms.len());
        for f in &forms {
            if let Some(&n) = counts.get(f.text_id as usize)
                && n > 0
            {
                part_names.entry(Arc::clone(&f.text)).or_insert(n);
            }
        }
        // The postings, one run per vocabulary part: counted, then filled in name order (a
        // name holding a part twice is posted once), then each run sorted by weight
        let mut posting_ends = vec![0u32; vocab.len()];
        let mut held: Vec<u32> = Vec::new();
        let distinct = |name: &IndexedName<'_>, held: &mut Vec<u32>| {
            held.clear();
            held.extend_from_slice(&name.vocab);
            held.sort_unstable();
            held.dedup();
        };
        for name in &names {
            distinct(name, &mut held);
            for &v in &held {
                if let Some(e) = posting_ends.get_mut(v as usize) {
                    *e += 1;
                }
            }
        }
        let mut total = 0u32;
        let mut next = Vec::with_capacity(posting_ends.len());
        for e in &mut posting_ends {
            next.push(total);
            total += *e;
            *e = total;
        }
        let mut postings = vec![(0u32, 0u32); total as usize];
        for (id, name) in names.iter().enumerate() {
            let Ok(id) = u32::try_from(id) else {
                break;
            };
            distinct(name, &mut held);
            for &v in &held {
                if let Some(at) = next.get_mut(v as usize) {
                    if let Some(p) = postings.get_mut(*at as usize) {
                        *p = (name.weight, id);
                    }
                    *at += 1;
                }
            }
        }
        let mut start = 0;
        for &end in &posting_ends {
            if let Some(run) = postings.get_mut(start..end as usize) {
                run.sort_unstable();
            }
            start = end as usize;
        }
        fn view<'t>(
            vocab: &[&'t Token],
            forms: &[&'t PartForms],
            f: impl Fn(&'t Token, &'t PartForms) -> Option<&'t str>,
        ) -> Grams {
            let texts: Vec<&str> = vocab
                .iter()
                .zip(forms)
                .map(|(&t, forms)| f(t, forms).unwrap_or_default())
                .collect();
            Grams::new(&texts)
        }
        // Parts written in Hangul, and Korean syllables written in Cyrillic read back
        let korean_hangul = || {
            let texts: Vec<Cow<'_, str>> = vocab
                .iter()
                .zip(&forms)
                .map(|(t, f)| {
                    if t.hangul {
                        Cow::Borrowed(f.korean.as_str())
                    } else if t.cyrillic {
                        kontsevich(&t.text).map_or(Cow::Borrowed(""), Cow::Owned)
                    } else {
                        Cow::Borrowed("")
                    }
                })
                .collect();
            Grams::new(&texts)
        };
        let joined = || {
            let texts: Vec<&str> = variants.iter().map(|v| v.joined_folded.as_str()).collect();
            Grams::new(&texts)
        };
        let skeletons = |abjad: bool| {
            let texts: Vec<&str> = variants
                .iter()
                .map(|v| {
                    if v.abjad == abjad {
                        v.joined_skeleton.as_str()
                    } else {
                        ""
                    }
                })
                .collect();
            Grams::new(&texts)
        };
        // The tables, built in parallel (with the other schemas' on other threads). The forms of
        // the parts in Latin or Cyrillic letters only (empty for the others): the romanisation
        // variants of one letter as one (the parts that form changes: the others are in `raw`
        // or `folded` under it), and the Arabic article written on left out (folded)
        let (
            ((raw, folded), (skeleton_abjad, skeleton_latin)),
            (
                (korean_all, korean_hangul, variants, fused),
                (joined, (joined_skeleton_abjad, joined_skeleton_latin)),
            ),
        ) = join(
            parallel,
            || {
                join(
                    parallel,
                    || {
                        (
                            view(&vocab, &forms, |t, _| Some(t.text.as_str())),
                            view(&vocab, &forms, |t, f| {
                                Some(&*f.folded).filter(|f| *f != t.text)
                            }),
                        )
                    },
                    || {
                        (
                            view(&vocab, &forms, |t, f| t.abjad.then_some(&*f.skeleton)),
                            view(&vocab, &forms, |t, f| (!t.abjad).then_some(&*f.skeleton)),
                        )
                    },
                )
            },
            || {
                join(
                    parallel,
                    || {
                        (
                            view(&vocab, &forms, |_, f| Some(f.korean.as_str())),
                            korean_hangul(),
                            view(&vocab, &forms, |_, f| Some(&*f.variant)),
                            view(&vocab, &forms, |_, f| Some(&*f.fused)),
                        )
                    },
                    || {
                        join(parallel, joined, || {
                            join(parallel, || skeletons(true), || skeletons(false))
                        })
                    },
                )
            },
        );
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
        NameIndex {
            catalog,
            schema,
            names,
            vocab: global,
            shared: Arc::clone(&prepared.shared),
            postings,
            posting_ends,
            raw,
            folded,
            skeleton_abjad,
            skeleton_latin,
            korean_all,
            korean_hangul,
            variants,
            fused,
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
