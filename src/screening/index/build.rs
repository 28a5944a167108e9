//! Building a `NameIndex`: the names of every entry split into parts, the vocabulary and its
//! forms, the postings of each part and the run-together names.

use super::*;

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
