//! From a name as written to its comparable parts: NFKC, any script to Latin, case and
//! punctuation folded, legal forms, honorifics and particles set aside.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::Schema;
use super::romanise;

/// One part of a normalised name
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    /// Lower-case ASCII letters and digits
    pub text: String,
    /// Written in a script that leaves out short vowels (Arabic, Hebrew, Syriac, Thaana)
    pub abjad: bool,
    /// Written in Hangul (Korean), romanised by any_ascii in the Revised Romanization
    pub hangul: bool,
    /// Written in Cyrillic (a Korean name in Cyrillic is read back by the Kontsevich system)
    pub cyrillic: bool,
    /// The Han character of a part written in one (its text is any_ascii's Mandarin reading);
    /// see [`han_readings`] for its Korean and Japanese readings
    pub han: Option<char>,
    /// In a person's name, a part after a particle of descent (`bin`, `ibn`, `bint`, `ben`,
    /// `ould`, `walad`, بن, بنت, ولد): the name of a father or forebear, not the person's own
    pub lineage: bool,
    /// In a person's name, a part that comes right after the Arabic article written apart
    /// (`al`, `el`: `Al-Tikriti`), which is set aside as a particle; compared with a part
    /// that has the article written on (`Eltekreety`) also without it
    pub article: bool,
}

/// Scripts written one syllable per character: each character becomes its own part
fn syllabic(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Han characters (CJK unified ideographs and their extensions, compatibility ideographs)
fn han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Scripts that do not write short vowels
fn abjad(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x05FF | 0x0600..=0x06FF | 0x0700..=0x074F | 0x0750..=0x077F
        | 0x0780..=0x07BF | 0x08A0..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Marks that join letters of one part rather than separate parts: `p.l.c.`, `Ky'ong`
fn joiner(c: char) -> bool {
    matches!(c, '.' | '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´')
}

/// Splits a name into lower-case ASCII parts, transliterating every script
pub fn tokenize(name: &str) -> Vec<Token> {
    let mut out = Vec::new();
    // The part being read, in a buffer kept from part to part: each part's text is then
    // allocated once, at its length (`flush`)
    let mut current = Token {
        text: String::with_capacity(name.len()),
        abjad: false,
        hangul: false,
        cyrillic: false,
        han: None,
        lineage: false,
        article: false,
    };
    // NFKC leaves ASCII text as it is
    if name.is_ascii() {
        for c in name.chars() {
            tokenize_char(c, &mut current, &mut out);
        }
    } else {
        for c in name.nfkc() {
            tokenize_char(c, &mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Ends the part being read (`tokenize`)
fn flush(current: &mut Token, out: &mut Vec<Token>) {
    if !current.text.is_empty() {
        out.push(Token {
            text: current.text.as_str().to_owned(),
            ..*current
        });
        current.text.clear();
    }
    current.lineage = false;
    current.article = false;
    current.abjad = false;
    current.hangul = false;
    current.cyrillic = false;
    current.han = None;
}

/// One character of a name after NFKC (`tokenize`)
fn tokenize_char(c: char, current: &mut Token, out: &mut Vec<Token>) {
    if joiner(c) {
        return;
    }
    if c.is_ascii() {
        // What follows for an ASCII character, in short: no script flag, its own letter
        if c.is_ascii_alphanumeric() {
            current.text.push(c.to_ascii_lowercase());
        } else {
            flush(current, out);
        }
        return;
    }
    if !c.is_alphanumeric() {
        // Arabic and Hebrew combining vowel marks are not alphanumeric but belong to the part
        if abjad(c) {
            return;
        }
        flush(current, out);
        return;
    }
    if syllabic(c) {
        flush(current, out);
    }
    if abjad(c) {
        current.abjad = true;
    }
    if matches!(c as u32, 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF) {
        current.hangul = true;
    }
    if matches!(c as u32, 0x0400..=0x04FF) {
        current.cyrillic = true;
    }
    if han(c) {
        current.han = Some(c);
    }
    let latin = any_ascii::any_ascii_char(c);
    for l in latin.chars() {
        if l.is_ascii_alphanumeric() {
            current.text.push(l.to_ascii_lowercase());
        } else if l == ' ' {
            flush(current, out);
        }
    }
    if syllabic(c) {
        flush(current, out);
    }
}

/// Company legal forms and connecting words, as sequences of normalised parts
const COMPANY_WORDS: &[&[&str]] = &[
    &["gesellschaft", "mit", "beschrankter", "haftung"],
    &["limited", "liability", "company"],
    &["limited", "liability", "partnership"],
    &["public", "limited", "company"],
    &["joint", "stock", "company"],
    &["open", "joint", "stock", "company"],
    &["closed", "joint", "stock", "company"],
    &["public", "joint", "stock", "company"],
    &["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"],
    &["aktsionernoye", "obshchestvo"],
    &["societe", "anonyme"],
    &["sociedad", "anonima"],
    &["sa", "de", "cv"],
    &["societatea", "cu", "raspundere", "limitata"],
    &["societe", "a", "responsabilite", "limitee"],
    &["sociedad", "de", "responsabilidad", "limitada"],
    &["societa", "a", "responsabilita", "limitata"],
    &["societa", "per", "azioni"],
    &["sp", "z", "oo"],
    &["kommanditgesellschaft"],
    &["aktiengesellschaft"],
    &["incorporated"],
    &["corporation"],
    &["company"],
    &["limited"],
    &["gmbh"],
    &["mbh"],
    &["ag"],
    &["kg"],
    &["llc"],
    &["llp"],
    &["lp"],
    &["ltd"],
    &["plc"],
    &["inc"],
    &["co"],
    &["corp"],
    &["jsc"],
    &["ojsc"],
    &["cjsc"],
    &["pjsc"],
    &["oao"],
    &["zao"],
    &["pao"],
    &["ooo"],
    &["ao"],
    &["sa"],
    &["sas"],
    &["sarl"],
    &["srl"],
    &["spa"],
    &["bv"],
    &["nv"],
    &["ab"],
    &["as"],
    &["oy"],
    &["pte"],
    &["pty"],
    &["bhd"],
    &["sdn"],
    &["kk"],
    &["the"],
    &["of"],
    &["and"],
    &["und"],
    &["et"],
];

/// Honorifics, titles and particles of personal names
const PERSON_WORDS: &[&[&str]] = &[
    &["mr"],
    &["mrs"],
    &["ms"],
    &["miss"],
    &["dr"],
    &["prof"],
    &["sir"],
    &["shaikh"],
    &["sheikh"],
    &["sheik"],
    &["shaykh"],
    &["haji"],
    &["hajji"],
    &["bin"],
    &["ben"],
    &["ibn"],
    &["bint"],
    // بن and بنت (son, daughter of) as the Arabic script romanises them
    &["bn"],
    &["bnt"],
    &["al"],
    &["el"],
    &["ul"],
    &["ould"],
    // ولد (son of, in Mauritanian names), written out and in the Arabic script
    &["walad"],
    &["wld"],
    &["van"],
    &["von"],
    &["der"],
    &["den"],
    &["de"],
    &["del"],
    &["da"],
    &["dos"],
    &["di"],
];

/// The particles of descent among a person's stop words: what follows one is a father's or a
/// forebear's name (`Salman bin Muhammad` is Salman, son of Muhammad)
const DESCENT: &[&str] = &[
    "bin", "ben", "ibn", "bint", "bn", "bnt", "ould", "walad", "wld",
];

/// The stop words that a part written in a script without short vowels can be: the Latin
/// ones are other words there (عمر, Omar, romanises as `mr`; مس as `ms`)
const ABJAD_WORDS: &[&str] = &["bn", "bnt", "wld"];

/// Ship prefixes
const VESSEL_WORDS: &[&[&str]] = &[
    &["mv"],
    &["mt"],
    &["ms"],
    &["ss"],
    &["fv"],
    &["m", "v"],
    &["m", "t"],
];

/// The parts of a name that carry its identity: [`tokenize`] less the schema's stop words.
/// When every part is a stop word, all are kept.
pub fn parts(name: &str, schema: Schema) -> Vec<Token> {
    let tokens = tokenize(name);
    parts_of(&tokens, schema).unwrap_or(tokens)
}

/// The parts of a name from its tokens ([`tokenize`]), as [`parts`] gives them; `None` when
/// they are the tokens themselves (nothing set aside, no part split). The tokens of a name do
/// not depend on the schema: a caller indexing a name for several schemas tokenizes it once.
pub fn parts_of(tokens: &[Token], schema: Schema) -> Option<Vec<Token>> {
    let words = match schema {
        Schema::Person => PERSON_WORDS,
        Schema::Company => COMPANY_WORDS,
        Schema::Vessel => VESSEL_WORDS,
    };
    // The positions of the tokens kept, made only once a stop word is met
    let mut kept: Option<Vec<usize>> = None;
    // How many parts were kept before the first particle of descent (a person's); none when
    // no part comes before it (`bin Salman Mohammed`, `AL BEN ALI, Isa`: the order is not told)
    let mut own: Option<usize> = None;
    let mut descent = false;
    // The positions of the parts that come right after the article `al` / `el` written apart
    let mut after_article: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(rest) = tokens.get(i..) {
        let Some(first) = rest.first() else {
            break;
        };
        // Most parts begin no stop phrase: one binary search says so
        let begins = first_words(schema)
            .binary_search(&word_key(&first.text))
            .is_ok();
        let skip = words
            .iter()
            .filter(|_| begins)
            .find(|phrase| {
                phrase.first().is_some_and(|w| *w == first.text)
                    && phrase.len() <= rest.len()
                    && phrase
                        .iter()
                        .zip(rest)
                        .all(|(w, t)| *w == t.text && (!t.abjad || ABJAD_WORDS.contains(w)))
            })
            .map_or(0, |phrase| phrase.len());
        if skip == 0 {
            if let Some(kept) = &mut kept {
                kept.push(i);
            }
            i += 1;
        } else {
            if schema == Schema::Person && skip == 1 && matches!(first.text.as_str(), "al" | "el") {
                after_article.push(i + 1);
            }
            let before = kept.get_or_insert_with(|| (0..i).collect()).len();
            if !descent && schema == Schema::Person && DESCENT.contains(&first.text.as_str()) {
                descent = true;
                own = Some(before).filter(|&n| n > 0);
            }
            i += skip;
        }
    }
    match kept {
        // Nothing set aside
        None => arabic_abd(tokens),
        // Every part a stop word: all are kept
        Some(kept) if kept.is_empty() => None,
        Some(kept) => {
            let kept: Vec<Token> = kept
                .into_iter()
                .filter_map(|i| {
                    let mut t = tokens.get(i).cloned()?;
                    t.article = after_article.contains(&i) && !t.abjad;
                    Some(t)
                })
                .collect();
            let Some(own) = own else {
                return Some(arabic_abd(&kept).unwrap_or(kept));
            };
            // The person's own names, then their forebears', each split as `abd` names are
            let (mine, theirs) = kept.split_at(own.min(kept.len()));
            let mut parts = arabic_abd(mine).unwrap_or_else(|| mine.to_vec());
            let mut lineage = arabic_abd(theirs).unwrap_or_else(|| theirs.to_vec());
            for t in &mut lineage {
                t.lineage = true;
            }
            parts.append(&mut lineage);
            Some(parts)
        }
    }
}

/// A word as a number: its length and its first eight bytes (equal for equal words)
fn word_key(word: &str) -> (usize, u64) {
    let mut bytes = [0u8; 8];
    bytes
        .iter_mut()
        .zip(word.as_bytes())
        .for_each(|(b, w)| *b = *w);
    (word.len(), u64::from_le_bytes(bytes))
}

/// The [`word_key`]s of the first words of the schema's stop phrases, sorted: a part whose key
/// is not among them begins none
fn first_words(schema: Schema) -> &'static [(usize, u64)] {
    static FIRST: OnceLock<[Vec<(usize, u64)>; 3]> = OnceLock::new();
    let [person, company, vessel] = FIRST.get_or_init(|| {
        [PERSON_WORDS, COMPANY_WORDS, VESSEL_WORDS].map(|words| {
            let mut first: Vec<(usize, u64)> = words
                .iter()
                .filter_map(|p| p.first().map(|w| word_key(w)))
                .collect();
            first.sort_unstable();
            first.dedup();
            first
        })
    });
    match schema {
        Schema::Person => person,
        Schema::Company => company,
        Schema::Vessel => vessel,
    }
}

/// [`romanise::abd_names`] over parts written in Latin or Cyrillic letters; `None` when no part
/// is split
fn arabic_abd(parts: &[Token]) -> Option<Vec<Token>> {
    if parts.iter().any(|t| t.abjad || t.hangul || t.han.is_some()) {
        return None;
    }
    // Every prefix `abd_names` splits begins `abd`: most names have none
    if !parts.iter().any(|t| t.text.starts_with("abd")) {
        return None;
    }
    let texts: Vec<&str> = parts.iter().map(|t| t.text.as_str()).collect();
    let split = romanise::abd_names(&texts)?;
    let cyrillic = parts.iter().any(|t| t.cyrillic);
    Some(
        split
            .into_iter()
            .map(|text| Token {
                text,
                abjad: false,
                hangul: false,
                cyrillic,
                han: None,
                lineage: false,
                article: false,
            })
            .collect(),
    )
}

/// Folds spelling variants common across romanisations: `x`/`ks`, `ph`/`f`, `kh`/`h`, `c`/`k`,
/// `q`/`k`, `y`/`i`, `ou`/`u`, doubled letters; Russian in GOST, BGN/PCGN and passports
/// (`zh`/`j`, `tz`/`ts`, `shch`/`sch`, `ye`/`e` at the start); Wade-Giles `hs` for pinyin `x`
/// at the start; whole parts spelt differently by romanisation systems (Korean surnames,
/// Muhammad, `al`/`el`, `bin`/`ibn`/`ben`), Korean syllables in the Revised Romanization
/// (`eo`/`o`, `eu`/`u`) and the DPRK's initial r (`ryong`/`yong`), parts written in Wade-Giles
/// (`tsetung`/`zedong`) and Persian given names (`mehdi`/`mahdi`) first brought to one spelling
/// (`names::romanise`)
pub fn fold(text: &str) -> String {
    fold_as(text, true)
}

/// [`fold`], not remembered by the thread ([`fold_pair`]): for texts folded once (the parts of
/// a list, indexed)
pub fn fold_once(text: &str) -> String {
    fold_pair_once(text).0
}

/// [`fold`]; with `syllables` false, without the readings that change consonants by syllable
/// (Wade-Giles read in pinyin, the DPRK's initial r), for consonant skeletons
fn fold_as(text: &str, syllables: bool) -> String {
    let (folded, plain) = fold_pair(text);
    match plain {
        Some(plain) if !syllables => plain,
        _ => folded,
    }
}

/// How many texts' folds a thread remembers ([`fold_pair`]); past it, it forgets them all
const FOLDS_REMEMBERED: usize = 4096;

/// The longest text whose fold is remembered, in bytes: a part of a name, or a name run together
/// (longer ones are folded each time, so that what is remembered stays under about 2 MB a
/// thread whatever the input)
const FOLD_REMEMBERED_LEN: usize = 128;

/// Texts and their [`fold_pair`]
type Folds = std::collections::HashMap<Box<str>, (String, Option<String>)>;

thread_local! {
    /// The folds this thread made last, by text: screening folds each part of a query several
    /// times (to look it up as written, folded and by skeleton, then to score each candidate),
    /// and a fold reads the text against every romanisation table. Keyed with std's SipHash, as
    /// the texts are the user's.
    static FOLDS: std::cell::RefCell<Folds> = std::cell::RefCell::new(Folds::new());
}

/// [`fold`] of a text, and when it differs, the fold without the syllable readings (Wade-Giles
/// read in pinyin, the DPRK's initial r): `(fold_as(t, true), Some(fold_as(t, false)))`;
/// remembered by the thread ([`FOLDS_REMEMBERED`])
fn fold_pair(text: &str) -> (String, Option<String>) {
    if text.len() > FOLD_REMEMBERED_LEN {
        return fold_pair_once(text);
    }
    FOLDS.with(|cell| {
        let Ok(mut folds) = cell.try_borrow_mut() else {
            return fold_pair_once(text);
        };
        if let Some(pair) = folds.get(text) {
            return pair.clone();
        }
        let pair = fold_pair_once(text);
        if folds.len() >= FOLDS_REMEMBERED {
            folds.clear();
        }
        folds.insert(text.into(), pair.clone());
        pair
    })
}

/// [`fold_pair`], computed
fn fold_pair_once(text: &str) -> (String, Option<String>) {
    if let Some(form) = romanise::class_of(text) {
        return (fold_letters(form), None);
    }
    let korean = romanise::korean_vowels(text);
    let plain = |korean: &Option<String>| match korean {
        Some(form) => fold_letters(form),
        None => {
            let letters = fold_letters(text);
            match romanise::persian_vowels(&letters) {
                Some(form) => form.to_string(),
                None => letters,
            }
        }
    };
    let syllable = korean.as_deref().unwrap_or(text);
    if let Some(form) = romanise::korean_initial_r(syllable) {
        return (fold_letters(form), Some(plain(&korean)));
    }
    if let Some(form) = &korean {
        return (fold_letters(form), None);
    }
    let letters = fold_letters(text);
    if let Some(form) = romanise::persian_vowels(&letters) {
        return (form.to_string(), None);
    }
    match romanise::wade_giles(text) {
        Some(form) => (fold_letters(&form), Some(letters)),
        None => (letters, None),
    }
}

fn fold_letters(text: &str) -> String {
    let bytes = text.as_bytes();
    if text.is_ascii() {
        // The same, byte by byte
        let mut out: Vec<u8> = Vec::with_capacity(text.len() + 2);
        let mut i = 0;
        while bytes.get(i).is_some() {
            let (piece, used) = fold_piece(bytes, i);
            for &c in piece {
                if out.last() != Some(&c) {
                    out.push(c);
                }
            }
            i += used;
        }
        // ASCII in, ASCII out
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len() + 2);
    let mut i = 0;
    while bytes.get(i).is_some() {
        let (piece, used) = fold_piece(bytes, i);
        for &c in piece {
            push_undoubled(&mut out, c as char);
        }
        i += used;
    }
    out
}

/// What `fold_letters` writes for the byte at `i` (the byte itself when no rule applies), and
/// how many bytes that reads
#[inline(always)]
fn fold_piece(bytes: &[u8], i: usize) -> (&[u8], usize) {
    let b = bytes.get(i..=i).unwrap_or_default();
    let next = bytes.get(i + 1).copied();
    match (b.first().copied().unwrap_or(0), next) {
        (b'y', Some(b'e')) if i == 0 => (b"e", 2),
        // Wade-Giles hs is pinyin x, always before i or u (Hsi / Xi, Hsu / Xu)
        (b'h', Some(b's')) if i == 0 && matches!(bytes.get(2), Some(b'i' | b'u')) => (b"ks", 2),
        (b'z', Some(b'h')) => (b"j", 2),
        // French and English spellings of Arabic ج and ذ/ظ: Djamel / Jamal, Qadhafi / Qadafi
        (b'd', Some(b'j')) => (b"j", 2),
        (b'd', Some(b'h')) => (b"d", 2),
        // English ee for a long i: Rasheed / Rashid, Saeed / Said
        (b'e', Some(b'e')) => (b"i", 2),
        (b't', Some(b'z')) => (b"ts", 2),
        (b's', Some(b'h')) if bytes.get(i + 2..i + 4) == Some(b"ch") => (b"s", 2),
        (b'p', Some(b'h')) => (b"f", 2),
        (b'k', Some(b'h')) => (b"h", 2),
        (b'c', Some(b'k')) => (b"k", 2),
        (b'c', Some(b'h')) => (b"ch", 2),
        (b'o', Some(b'u')) => (b"u", 2),
        (b'x', _) => (b"ks", 1),
        (b'c' | b'q', _) => (b"k", 1),
        (b'y', _) => (b"i", 1),
        (b'w', _) => (b"v", 1),
        _ => (b, 1),
    }
}

fn push_undoubled(out: &mut String, c: char) {
    if !out.ends_with(c) {
        out.push(c);
    }
}

/// The consonants of a part, for comparing a name written without short vowels (Arabic,
/// Hebrew) with a romanisation: vowels, `y`, `w`, `h` after a consonant dropped, doubles merged;
/// `p` is written `b` (Arabic has no p and writes a foreign p with ب, b), and `j` `g` (ج is g in
/// Egyptian romanisations: Gamal, Gamal Abdel Nasser). Neither Wade-Giles
/// read as pinyin nor the DPRK's initial r (they change consonants, `t` → `d`, `r` → `n`): a name
/// written without short vowels is not Chinese or Korean.
pub fn skeleton(text: &str) -> String {
    skeleton_of_folded(&fold_as(text, false))
}

/// [`fold`] and [`skeleton`] of a text, folding it once where the two agree: `(fold(t),
/// skeleton(t))`, which the list index makes for every part and every name run together (the
/// test `fold_and_skeleton_are_fold_and_skeleton` checks that they agree). Not remembered by
/// the thread ([`fold_pair`]): the index folds each distinct text once, so remembering them
/// only cost the build (a SipHash, a copy of the text and of its folds for each, about a
/// fifth of the instructions spent folding)
pub fn fold_and_skeleton(text: &str) -> (String, String) {
    let (folded, plain) = fold_pair_once(text);
    let skeleton = skeleton_of_folded(plain.as_deref().unwrap_or(&folded));
    (folded, skeleton)
}

/// [`skeleton`] of a text already folded without the syllable readings:
/// `skeleton(t) == skeleton_of_folded(&fold_as(t, false))`
fn skeleton_of_folded(folded: &str) -> String {
    let folded = without_article(folded);
    // Arabic has no p and writes a foreign p with ب, b; ج is j in most romanisations and g in
    // Egyptian ones (Jamal / Gamal), and غ, romanised gh, meets it here: a skeleton does not
    // tell them apart
    let consonant = |c: char| match c {
        'p' => 'b',
        'j' => 'g',
        c => c,
    };
    if folded.is_ascii() {
        // The same, byte by byte
        let mut out: Vec<u8> = Vec::with_capacity(folded.len());
        for &b in folded.as_bytes() {
            if matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'v') {
                continue;
            }
            let c = consonant(char::from(b)) as u8;
            if out.last() != Some(&c) {
                out.push(c);
            }
        }
        // ASCII in, ASCII out
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'v') {
            continue;
        }
        push_undoubled(&mut out, consonant(c));
    }
    out
}

/// A part without the Arabic article written on it, for its skeleton: `الحرزي` (romanised
/// `lhrzy`) is `hrzy`, as `Harzi` and `Al-Harzi` are written (the article of a part written
/// apart is set aside with the particles); `Eltekreety` and `Elgazrawy`, Egyptian romanisations
/// with the article on, are `tekreety` and `gazrawy`. Only before a consonant and when three
/// letters are left: `الله` (`lh`, Allah) and `Alaa` stay whole.
fn without_article(folded: &str) -> &str {
    let consonant = |c: Option<char>| {
        c.is_some_and(|c| {
            c.is_ascii_alphabetic() && !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'l')
        })
    };
    for article in ["al", "el"] {
        if let Some(rest) = folded.strip_prefix(article)
            && rest.len() >= 3
        {
            return rest;
        }
    }
    if let Some(rest) = folded.strip_prefix('l')
        && consonant(rest.chars().next())
        && rest.len() >= 3
    {
        return rest;
    }
    folded
}

/// A part in Latin letters with the letters romanisation systems write differently for one
/// Arabic or Cyrillic letter brought to one, vowels kept, then folded letter by letter as
/// [`fold`] does: Arabic ق written `q`, `g` or `gh` is `g` (`fold` brings `q` to `k`, ك, another
/// letter); ذ written `dh`, `th` or `d` is `d`; Cyrillic х written `kh`, `h` or `x` (GOST 7.34)
/// is `h` (`ghathafi`, `qadhafi` → `gadafi`; `axmed`, `akhmed` → `ahmed`). `None` when the part
/// holds none of `q`, `gh`, `th`, `x` (it is then its letters folded, which the parts' other
/// forms compare already, unless the other part holds one). A form of its own, compared by
/// `matcher` and looked up by the name index (`index`).
pub fn fold_variants(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let has = |pair: &[u8]| bytes.windows(2).any(|w| w == pair);
    if !bytes.iter().any(|b| matches!(b, b'q' | b'x')) && !has(b"gh") && !has(b"th") {
        return None;
    }
    Some(fold_variants_always(text))
}

/// [`fold_variants`] of any part, whether or not it holds one of the letters
pub fn fold_variants_always(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut pre = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        let (piece, used) = match (b, next) {
            (b'g', Some(b'h')) => ('g', 2),
            (b'q', _) => ('g', 1),
            (b't', Some(b'h')) => ('d', 2),
            (b'x', _) => ('h', 1),
            _ => (char::from(b), 1),
        };
        pre.push(piece);
        i += used;
    }
    fold_letters(&pre)
}

/// A part in Latin letters with the Arabic article written on it (`eltekreety`, `alhabu`): the
/// part without it, when three letters are left; `None` otherwise. Compared with a part that
/// came after the article written apart ([`Token::article`]); a part written so without an
/// article before it is a name of its own (`Albert`, `Elton`), and is not read so
pub fn fused_article(text: &str) -> Option<&str> {
    ["al", "el"]
        .iter()
        .find_map(|a| text.strip_prefix(a).filter(|rest| rest.len() >= 3))
}

/// Korean romanised in the Revised Romanization (`gim jeong eun`) folded towards the older
/// McCune-Reischauer spellings without breves (`kim jong un`): `g`/`k`, `d`/`t`, `b`/`p`,
/// `j`/`ch`, `eo`/`o`, `eu`/`u`, `r`/`l`. Applied to both sides when one is Hangul.
pub fn fold_korean(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        let (piece, used): (&str, usize) = match (b, next) {
            (b'e', Some(b'o')) => ("o", 2),
            (b'e', Some(b'u')) => ("u", 2),
            (b'c', Some(b'h')) => ("j", 2),
            (b'g', _) => ("k", 1),
            (b'd', _) => ("t", 1),
            (b'b', _) => ("p", 1),
            (b'r', _) => ("l", 1),
            (b'y', Some(b'o' | b'u')) if i == 0 => ("", 1),
            _ => ("", 1),
        };
        if piece.is_empty() {
            out.push(b as char);
        } else {
            out.push_str(piece);
        }
        i += used;
    }
    out
}

/// The other names a name stands for: names written together separated by `/` (`Al-Qa'ida/
/// Islamic Army`, two names of one party listed as one) are alternatives, each compared on its
/// own. A piece without a word of three letters or more is not a name (`M/V`, `A/S`, `c/o`): the
/// name is then not split. Empty when the name is not split.
pub fn alternatives(name: &str) -> Vec<&str> {
    if !name.contains('/') {
        return Vec::new();
    }
    let pieces: Vec<&str> = name.split('/').map(str::trim).collect();
    let is_name = |piece: &str| {
        piece
            .split(|c: char| !c.is_alphanumeric() && !joiner(c))
            .any(|word| word.chars().filter(|c| c.is_alphabetic()).count() >= 3)
    };
    if pieces.len() >= 2 && pieces.iter().all(|p| is_name(p)) {
        pieces
    } else {
        Vec::new()
    }
}

/// Readings of a Japanese on or kun reading kept per Han character
const JAPANESE_READINGS: usize = 2;

/// Reading combinations compared when a name in Han characters is run together
pub const HAN_COMBINATIONS: usize = 256;

/// The other readings of a part written in a Han character, besides its Mandarin reading (the
/// part's text): the Sino-Korean reading (the Hangul syllable of the Unicode Han Database's
/// kHangul, the one for personal names when marked, romanised like any Hangul part and marked
/// `hangul`), then its first Japanese on readings and first kun readings (kJapaneseOn,
/// kJapaneseKun; Hepburn with long vowels written single, as in passports: `rou` → `ro`,
/// `chuu` → `chu`). A Han name is one set of characters read three ways: Chinese, Korean and
/// Japanese names share the script and not the sounds. Empty for other parts.
pub fn han_readings(part: &Token) -> Vec<Token> {
    let Some(c) = part.han else {
        return Vec::new();
    };
    let Some((korean, japanese)) = super::han::readings(c) else {
        return Vec::new();
    };
    let mut out: Vec<Token> = Vec::new();
    let mut push = |text: String, hangul: bool| {
        if !text.is_empty() && text != part.text && !out.iter().any(|t| t.text == text) {
            out.push(Token {
                text,
                abjad: false,
                hangul,
                cyrillic: false,
                han: None,
                lineage: false,
                article: false,
            });
        }
    };
    if let Some(korean) = korean {
        let text: String = any_ascii::any_ascii_char(korean)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|l| l.to_ascii_lowercase())
            .collect();
        push(text, true);
    }
    let (on, kun) = japanese.split_once('|').unwrap_or((japanese, ""));
    for reading in on
        .split_whitespace()
        .take(JAPANESE_READINGS)
        .chain(kun.split_whitespace().take(JAPANESE_READINGS))
    {
        push(single_long_vowels(reading), false);
    }
    out
}

/// Japanese long vowels written single (`ou`, `oo` → `o`, `uu` → `u`)
fn single_long_vowels(reading: &str) -> String {
    reading
        .replace("ou", "o")
        .replace("oo", "o")
        .replace("uu", "u")
}

/// A name with parts in Han characters run together under other readings, for comparing it with
/// a name run together in another script: its Korean reading, then its Japanese readings (for
/// each character one of its on and kun readings, the combinations in order, at most
/// [`HAN_COMBINATIONS`]). Empty when no part is a Han character.
pub fn han_joined_readings(parts: &[Token]) -> Vec<String> {
    if parts.iter().all(|t| t.han.is_none()) {
        return Vec::new();
    }
    let readings: Vec<Vec<Token>> = parts.iter().map(han_readings).collect();
    let mut out = Vec::new();
    // Korean: each character's Korean reading, where it has one
    let korean: String = parts
        .iter()
        .zip(&readings)
        .map(|(t, r)| {
            r.iter()
                .find(|r| r.hangul)
                .map_or(t.text.as_str(), |r| r.text.as_str())
        })
        .collect();
    out.push(korean);
    // Japanese: every combination of on and kun readings, in order
    let options: Vec<Vec<&str>> = parts
        .iter()
        .zip(&readings)
        .map(|(t, r)| {
            let japanese: Vec<&str> = r
                .iter()
                .filter(|r| !r.hangul)
                .map(|r| r.text.as_str())
                .collect();
            if japanese.is_empty() {
                vec![t.text.as_str()]
            } else {
                japanese
            }
        })
        .collect();
    let mut choice = vec![0usize; options.len()];
    for _ in 0..HAN_COMBINATIONS {
        let text: String = options
            .iter()
            .zip(&choice)
            .filter_map(|(o, &c)| o.get(c).copied())
            .collect();
        out.push(text);
        // The next combination, the last character's reading changing fastest
        let mut carried = true;
        for (o, c) in options.iter().zip(choice.iter_mut()).rev() {
            *c += 1;
            if *c < o.len() {
                carried = false;
                break;
            }
            *c = 0;
        }
        if carried {
            break;
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
