//! Romanisations as documents write them: spellings of one name in several systems folded
//! together (`docs/names.md`, "Romanisation"). Every rule is a fact about a script or a
//! romanisation system; the tables are data, one equivalence class a row.

/// Whole parts spelt differently by different systems, each with the form they fold to.
/// Sorted by the spelling (a test checks it) for a binary search.
///
/// - Korean surnames without Hangul (McCune-Reischauer, Revised Romanization, the DPRK's own
///   spellings, common Western ones): 이/리 Ri, Rhee, Lee, Yi, Rhie; 박 Pak, Park, Bak, Bahk;
///   최 Choe, Choi, Chwe, Choy; 정 Jong, Jeong, Chong, Chung, Cheong; 강 Kang, Gang; 김 Kim,
///   Gim; 윤 Yun, Yoon; 신 Shin, Sin; 임/림 Im, Lim, Rim, Yim; 류/유 Ryu, Yu, Yoo, Ryoo;
///   노/로 Roh, Noh.
/// - Arabic: محمد Muhammad, Mohammad, Mohamed, Mohammed, Muhammed, Mohamad, Muhamad, Mohamud,
///   Mohd, Muhd; the article al / el; bin, ibn, ben (son of); عبد abd (servant of) with its
///   article written on (abdul, abdel, abdur, ...); عبد الله Abdullah, Abdallah, Abdellah; the o/u
///   of names Arabic writes with a long or short u: عمر Omar, Umar; عثمان Osman, Usman, Othman,
///   Uthman; أسامة Osama, Usama; عدي Oday, Uday, Odai; يوسف Yusuf, Yousef, Youssef, Yousif;
///   أبو (father of, in a kunya) Abu, Abou, and Bu, Bou as Maghrebi Arabic says and writes it
///   (Libya, Tunisia, Algeria: Bu Zaid, Boumediene).
const CLASSES: &[(&str, &str)] = &[
    ("abd", "abd"),
    ("abdal", "abd"),
    ("abdallah", "abdulah"),
    ("abdar", "abd"),
    ("abdas", "abd"),
    ("abdel", "abd"),
    ("abdellah", "abdulah"),
    ("abdol", "abd"),
    ("abdoul", "abd"),
    ("abdoullah", "abdulah"),
    ("abdul", "abd"),
    ("abdulah", "abdulah"),
    ("abdulla", "abdulah"),
    ("abdullah", "abdulah"),
    ("abdur", "abd"),
    ("abdus", "abd"),
    ("abou", "abu"),
    ("abu", "abu"),
    ("bahk", "pak"),
    ("bak", "pak"),
    ("ben", "bin"),
    ("bin", "bin"),
    ("bou", "abu"),
    ("bu", "abu"),
    ("cheong", "jeong"),
    ("choe", "choe"),
    ("choi", "choe"),
    ("chong", "jeong"),
    ("choy", "choe"),
    ("chung", "jeong"),
    ("chwe", "choe"),
    ("el", "al"),
    ("gang", "kang"),
    ("gim", "kim"),
    ("ibn", "bin"),
    ("im", "lim"),
    ("jeong", "jeong"),
    ("jong", "jeong"),
    ("kang", "kang"),
    ("kim", "kim"),
    ("lee", "li"),
    ("lim", "lim"),
    ("mohamad", "muhamad"),
    ("mohamed", "muhamad"),
    ("mohammad", "muhamad"),
    ("mohammed", "muhamad"),
    ("mohamud", "muhamad"),
    ("mohd", "muhamad"),
    ("muhamad", "muhamad"),
    ("muhamed", "muhamad"),
    ("muhammad", "muhamad"),
    ("muhammed", "muhamad"),
    ("muhd", "muhamad"),
    ("noh", "lo"),
    ("odai", "uday"),
    ("oday", "uday"),
    ("omar", "umar"),
    ("osama", "usama"),
    ("osman", "usman"),
    ("othman", "usman"),
    ("pak", "pak"),
    ("park", "pak"),
    ("rhee", "li"),
    ("rhie", "li"),
    ("ri", "li"),
    ("rim", "lim"),
    ("roh", "lo"),
    ("ryoo", "lyu"),
    ("ryu", "lyu"),
    ("shin", "sin"),
    ("sin", "sin"),
    ("udai", "uday"),
    ("uday", "uday"),
    ("umar", "umar"),
    ("usama", "usama"),
    ("usman", "usman"),
    ("uthman", "usman"),
    ("yi", "li"),
    ("yim", "lim"),
    ("yoo", "lyu"),
    ("yoon", "yun"),
    ("yosef", "yusuf"),
    ("yousef", "yusuf"),
    ("yousif", "yusuf"),
    ("youssef", "yusuf"),
    ("yu", "lyu"),
    ("yun", "yun"),
    ("yusef", "yusuf"),
    ("yussuf", "yusuf"),
    ("yusuf", "yusuf"),
];

/// The form a part folds to when it is a spelling of a class in [`CLASSES`]
pub(crate) fn class_of(text: &str) -> Option<&'static str> {
    CLASSES
        .binary_search_by_key(&text, |&(spelling, _)| spelling)
        .ok()
        .and_then(|i| CLASSES.get(i))
        .map(|&(_, form)| form)
}

/// The consonants of a part written in Latin letters with the letters romanisation systems
/// write differently for one sound brought to one (vowels, `y`, `w` and doubled letters left
/// out; an article `al`/`el` written on left out when three letters are left, as in skeletons):
///
/// - Arabic ق is `q` in the standard romanisations and `g` or `gh` where it is spoken so (the
///   Gulf, Libya, Sudan; Persian writes it `gh`): `q`, `g`, `gh` are one (`k`, ك, is another
///   letter, and stays apart: Kamal is not Gamal);
/// - Arabic ذ is `dh` (English systems), `th` (older English spellings) or `d`: `dh`, `th`,
///   `d` are one;
/// - Cyrillic х is `kh` (BGN/PCGN, passports), `h` and `x` (GOST 7.34): `kh`, `h`, `x` are
///   one.
///
/// Read from the part as written (the `fold` brings `q` to `k`, which is the letter kept apart
/// here). Two parts alike enough to be aligned anyway with the same variants score as parts
/// differing only in vowels do (`matcher`).
pub(crate) fn consonant_variants(text: &str) -> String {
    let text = super::normalize::fused_article(text).unwrap_or(text);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        let (c, used) = match (b, next) {
            (b'g', Some(b'h')) => (Some('q'), 2),
            (b'g' | b'q', _) => (Some('q'), 1),
            (b'd' | b't', Some(b'h')) => (Some('d'), 2),
            (b'k', Some(b'h')) => (Some('h'), 2),
            (b'x', _) => (Some('h'), 1),
            (b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'w', _) => (None, 1),
            _ => (Some(char::from(b)), 1),
        };
        if let Some(c) = c
            && !out.ends_with(c)
        {
            out.push(c);
        }
        i += used;
    }
    out
}

/// Initial consonants of a Korean syllable in the Revised Romanization and McCune-Reischauer
/// (without breves or apostrophes), longest first
const INITIALS: &[&str] = &[
    "tch", "kk", "tt", "pp", "ss", "jj", "ch", "g", "k", "n", "d", "t", "r", "l", "m", "b", "p",
    "s", "j", "h", "",
];

/// Vowels of a Korean syllable, longest first (`eo`, `eu` are the Revised Romanization's ㅓ, ㅡ,
/// written `o`, `u` by McCune-Reischauer without breves and by the DPRK)
const VOWELS: &[&str] = &[
    "yeo", "yae", "wae", "ae", "ya", "eo", "ye", "wa", "oe", "yo", "wo", "we", "wi", "yu", "eu",
    "ui", "a", "e", "o", "u", "i",
];

/// Final consonants of a Korean syllable
const FINALS: &[&str] = &["ng", "k", "g", "n", "t", "d", "l", "r", "m", "p", "b", ""];

/// Whether a part is one Korean syllable as romanised (`jeong`, `hyeok`, `un`)
pub(crate) fn korean_syllable(text: &str) -> bool {
    INITIALS.iter().any(|i| {
        text.strip_prefix(i).is_some_and(|rest| {
            VOWELS.iter().any(|v| {
                rest.strip_prefix(v)
                    .is_some_and(|rest| FINALS.contains(&rest))
            })
        })
    })
}

/// A Korean syllable in the Revised Romanization written as McCune-Reischauer without breves and
/// the DPRK write it: `eo` → `o`, `eu` → `u` (정 jeong / jong, 철 cheol / chol, 은 eun / un,
/// 혁 hyeok / hyok). `None` for a part that is not one Korean syllable with `eo` or `eu`.
pub(crate) fn korean_vowels(text: &str) -> Option<String> {
    let has_vowel = text.as_bytes().windows(2).any(|w| w == b"eo" || w == b"eu");
    if !has_vowel || !korean_syllable(text) {
        return None;
    }
    Some(text.replace("eo", "o").replace("eu", "u"))
}

/// A part written in Cyrillic (as `any_ascii` romanises it) read back as a Korean syllable
/// written in the Kontsevich system, in the letters of `fold_korean` (`чен` → `chen` → `jon`,
/// `ын` → `yn` → `un`, `ир` → `ir` → `il`): ч and чх → j, х → h (dropped after k, t, p: the
/// aspirated чх, тх, пх, кх), ж → j, ы → u, е after a consonant → o (ㅓ, as Russian writes it in
/// Korean names: Чен, Сен), г/к → k, д/т → t, б/п → p, р/л → l, ь dropped. `None` when the
/// result is not one Korean syllable (a Russian name is left alone).
pub(crate) fn kontsevich(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        let after = bytes.get(i + 2).copied();
        let vowel = |c: Option<u8>| matches!(c, Some(b'a' | b'e' | b'i' | b'o' | b'u' | b'y'));
        let (piece, used): (&str, usize) = match (b, next) {
            (b'c', Some(b'h')) if bytes.get(i + 2..i + 4) == Some(b"kh") => ("j", 4),
            (b'c', Some(b'h')) => ("j", 2),
            (b'z', Some(b'h')) => ("j", 2),
            (b'k' | b't' | b'p', Some(b'k')) if after == Some(b'h') => (
                if b == b'k' {
                    "k"
                } else if b == b't' {
                    "t"
                } else {
                    "p"
                },
                3,
            ),
            (b'k', Some(b'h')) => ("h", 2),
            (b'y', Some(b'a' | b'o' | b'u' | b'e')) => ("y", 1),
            (b'y', _) => ("u", 1),
            (b'e', _) if i > 0 && !vowel(bytes.get(i.wrapping_sub(1)).copied()) => ("o", 1),
            (b'g', _) => ("k", 1),
            (b'd', _) => ("t", 1),
            (b'b', _) => ("p", 1),
            (b'r', _) => ("l", 1),
            _ => ("", 1),
        };
        if piece.is_empty() {
            out.push(b as char);
        } else {
            out.push_str(piece);
        }
        i += used;
    }
    (korean_syllable(&out) || (korean_letters(text) && korean_syllables(&out))).then_some(out)
}

/// Whether a Cyrillic part (as `any_ascii` writes it) has a letter Kontsevich writes for Korean
/// and Russian names seldom do: ы as a vowel of its own (`yn`, `yl`: Ын, Ыль) or an aspirated
/// чх, тх, пх, кх. A part of several syllables is read as Korean only then (`Путин` reads as
/// pu-tin, and would meet `Budin` under `fold_korean`).
fn korean_letters(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        let next = bytes.get(i + 1).copied();
        let prev = i.checked_sub(1).and_then(|p| bytes.get(p)).copied();
        (b == b'y' && !matches!(next, Some(b'a' | b'e' | b'o' | b'u')) && prev != Some(b'i'))
            || (b == b'k' && next == Some(b'h') && matches!(prev, Some(b'h' | b't' | b'p' | b'k')))
    })
}

/// The most Korean syllables [`kontsevich`] reads in one part: a Korean given name has two,
/// written as one part (`Ченын`); three would read Russian names (`Сергей` as sol-ko-i)
const KOREAN_SYLLABLES_IN_A_PART: usize = 2;

/// Whether a part splits entirely into two Korean syllables (`jonun`)
fn korean_syllables(text: &str) -> bool {
    split_syllables(text, &korean_syllable)
        .is_some_and(|s| (2..=KOREAN_SYLLABLES_IN_A_PART).contains(&s.len()))
}

/// A romanised Korean syllable in the letters [`kontsevich`] gives: `fold_korean`, and a final
/// `ng` written `n` (Cyrillic writes ㄴ and ㅇ both н)
pub(crate) fn korean_as_cyrillic_reads(folded_korean: &str) -> String {
    match folded_korean.strip_suffix("ng") {
        Some(stem) => format!("{stem}n"),
        None => folded_korean.to_string(),
    }
}

/// `Abd` (servant of) with its article written on, longest first: `abdul`, `abdel`, and
/// assimilated to a sun letter, `abdur` before r, `abdus` before s
const ABD: &[&str] = &[
    "abdoul", "abdul", "abdel", "abdal", "abdol", "abdur", "abdar", "abdus", "abdas", "abd",
];

/// Arabic names in `Abd` written as one part split as they are written apart: `Abdulrahman`,
/// `Abdurrahman`, `Abdelrahman` become `abdul` / `abdur` / `abdel` and `rahman`, as `Abdul
/// Rahman` and `Abd al-Rahman` are written (all spellings of `abd` then fold to one,
/// [`CLASSES`]). The name of God stays whole (`Abdullah`, `Abdallah`: one name, compared whole
/// with `Abd Allah` run together). `parts` are the texts of a name's parts; `None` when none is
/// split.
pub(crate) fn abd_names<S: AsRef<str>>(parts: &[S]) -> Option<Vec<String>> {
    // Every prefix begins `abd`: most names have no such part
    if !parts.iter().any(|p| p.as_ref().starts_with("abd")) {
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(parts.len() + 1);
    let mut changed = false;
    for part in parts {
        let part = part.as_ref();
        let god = ABD.iter().any(|prefix| {
            part.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with("lah") || rest.starts_with("llah"))
        });
        let split = ABD
            .iter()
            .find_map(|prefix| {
                let rest = part.strip_prefix(prefix)?;
                (rest.len() >= 3).then_some((*prefix, rest))
            })
            .filter(|_| !god);
        match split {
            Some((prefix, rest)) => {
                out.push(prefix.to_string());
                out.push(rest.to_string());
                changed = true;
            }
            None => out.push(part.to_string()),
        }
    }
    changed.then_some(out)
}

/// Mandarin syllables in Hanyu Pinyin with their Wade-Giles spellings, one a line
/// (`data/wade_giles.tsv`, generated by `scripts/gen_wade_giles.py` from the pinyin syllable
/// inventory and the published conversion rules)
const WADE_GILES_TSV: &str = include_str!("data/wade_giles.tsv");

/// The longest syllable of either system, in letters (`chuang`, `hsiung`)
const LONGEST_SYLLABLE: usize = 6;

/// The syllable tables: every pinyin syllable, sorted; and every Wade-Giles syllable as it is
/// written in Latin letters (apostrophes dropped, as names in documents and `tokenize` drop
/// them, `ü` written `u`), sorted, with the pinyin it stands for. Where dropping the marks
/// makes one spelling stand for several syllables (`pa`: `pa` b and `p'a` p; `chu`: `chu` zhu
/// and `chü` ju), the unaspirated one is chosen, then the pinyin spelt the same (`yu`: `yü` yu
/// rather than `yu` you), then the one without `ü`.
struct Syllables {
    /// By [`syllable_key`]
    pinyin: Vec<u64>,
    /// By [`syllable_key`] of the spelling
    wade_giles: Vec<(u64, &'static str)>,
}

/// A syllable's letters as one number (up to eight bytes, big-endian, zeros after): two texts
/// without a zero byte have the same key only if they are the same, and one compare tells
/// them apart. `None` for a text of more than eight bytes, which is no syllable.
fn syllable_key(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.len() > 8 {
        return None;
    }
    let mut key = [0u8; 8];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u64::from_be_bytes(key))
}

fn syllables() -> &'static Syllables {
    static TABLE: std::sync::OnceLock<Syllables> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut pinyin = Vec::new();
        // (written, rank, pinyin)
        let mut wade_giles: Vec<(String, (bool, bool, bool), &'static str)> = Vec::new();
        for line in WADE_GILES_TSV.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((py, wg)) = line.split_once('\t') else {
                continue;
            };
            pinyin.push(py);
            let written: String = wg
                .chars()
                .filter(|&c| c != '\'')
                .map(|c| if c == 'ü' { 'u' } else { c })
                .collect();
            let rank = (wg.contains('\''), py != written, wg.contains('ü'));
            wade_giles.push((written, rank, py));
        }
        let mut pinyin: Vec<u64> = pinyin.into_iter().filter_map(syllable_key).collect();
        pinyin.sort_unstable();
        pinyin.dedup();
        wade_giles.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        wade_giles.dedup_by(|later, first| later.0 == first.0);
        // Big-endian keys sort as the texts do
        Syllables {
            pinyin,
            wade_giles: wade_giles
                .into_iter()
                .filter_map(|(w, _, p)| Some((syllable_key(&w)?, p)))
                .collect(),
        }
    })
}

/// Whether a part is one pinyin syllable
pub(crate) fn pinyin_syllable(text: &str) -> bool {
    syllable_key(text).is_some_and(|key| syllables().pinyin.binary_search(&key).is_ok())
}

/// The pinyin of a Wade-Giles syllable as written in Latin letters
fn wade_giles_syllable(text: &str) -> Option<&'static str> {
    let key = syllable_key(text)?;
    let table = &syllables().wade_giles;
    table
        .binary_search_by(|&(w, _)| w.cmp(&key))
        .ok()
        .and_then(|i| table.get(i))
        .map(|&(_, p)| p)
}

/// `text` split into the fewest syllables that `is_syllable` accepts (the longest first among
/// equals), or `None` when it cannot be split entirely
fn split_syllables<'t>(text: &'t str, is_syllable: &dyn Fn(&str) -> bool) -> Option<Vec<&'t str>> {
    let n = text.len();
    if n == 0 || !text.is_ascii() {
        return None;
    }
    // fewest[i]: the fewest syllables text[i..] splits into, and the first one's length
    let mut fewest: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    if let Some(end) = fewest.get_mut(n) {
        *end = Some((0, 0));
    }
    // How many positions in a row, before those already seen, begin no split: once as many as
    // the longest syllable, none before them can (its first syllable would end on one)
    let mut unsplit = 0;
    for i in (0..n).rev() {
        if unsplit >= LONGEST_SYLLABLE {
            return None;
        }
        let mut best: Option<(usize, usize)> = None;
        for len in (1..=LONGEST_SYLLABLE.min(n - i)).rev() {
            let (Some(piece), Some(Some((rest, _)))) = (text.get(i..i + len), fewest.get(i + len))
            else {
                continue;
            };
            if is_syllable(piece) && best.is_none_or(|(count, _)| rest + 1 < count) {
                best = Some((rest + 1, len));
            }
        }
        unsplit = if best.is_some() { 0 } else { unsplit + 1 };
        if let Some(slot) = fewest.get_mut(i) {
            *slot = best;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let (_, len) = (*fewest.get(i)?)?;
        out.push(text.get(i..i + len)?);
        i += len;
    }
    Some(out)
}

/// A part written in Wade-Giles (apostrophes dropped) in pinyin: `tsetung` → `zedong`,
/// `hsiaoping` → `xiaobing` (an aspirated syllable whose apostrophe was dropped reads as the
/// unaspirated one, as Wade-Giles writes it: `Teng Hsiao-ping` is `Deng Xiaobing` to the
/// letter), `chouenlai` → `zhouenlai`, `kuo` → `guo`, `chih` → `zhi`. Only a part of three
/// letters or more that splits entirely into Wade-Giles syllables of two letters or more, one
/// of which pinyin does not have (`tse`, `hsiao`, `kuo`), or, when every syllable is pinyin
/// too, of [`WADE_GILES_PINYIN_SYLLABLES`] syllables or more (`chouenlai`). So a name of one
/// or two syllables that pinyin has (`teng`, `tang`, `tenghui`) and other names (`taha`, `tina`,
/// `osama`, `robert`) are left as written. `None` when the part is left alone.
pub(crate) fn wade_giles(text: &str) -> Option<String> {
    if text.len() < 3 || !could_be_wade_giles(text) {
        return None;
    }
    let pieces = split_syllables(text, &|s| s.len() >= 2 && wade_giles_syllable(s).is_some())?;
    let not_pinyin = pieces.iter().any(|s| !pinyin_syllable(s));
    if !not_pinyin && pieces.len() < WADE_GILES_PINYIN_SYLLABLES {
        return None;
    }
    // Wade-Giles j (pinyin r) alone is Korean, German or Japanese j as often (Jung, Jen)
    if pieces.len() == 1 && text.starts_with('j') {
        return None;
    }
    let out: String = pieces
        .iter()
        .map(|s| wade_giles_syllable(s).unwrap_or(s))
        .collect();
    (out != text).then_some(out)
}

/// The syllables a part must have to be read as Wade-Giles when each is also a pinyin syllable:
/// three (a Chinese name run together, `chouenlai`); one or two such syllables are too common in
/// other languages' names (`taha`, `tina`, `kato`) and are pinyin as they are
const WADE_GILES_PINYIN_SYLLABLES: usize = 3;

/// Letters Wade-Giles does not write (b, d, q, v, x; g only in ng, z only in tz, r only in
/// erh): a part with one of them is not Wade-Giles, and is rejected before it is split
fn could_be_wade_giles(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        let prev = i.checked_sub(1).and_then(|p| bytes.get(p)).copied();
        match b {
            b'b' | b'd' | b'q' | b'v' | b'x' => false,
            b'c' => bytes.get(i + 1) == Some(&b'h'),
            b'g' => prev == Some(b'n'),
            b'z' => prev == Some(b't'),
            b'r' => prev == Some(b'e') && bytes.get(i + 1) == Some(&b'h'),
            b'a'..=b'z' => true,
            _ => false,
        }
    })
}

/// Korean syllables the DPRK writes with an initial r (ㄹ), which Seoul writes with none
/// before i and y and with n before other vowels, each with Seoul's spelling (without breves,
/// `eo` as `o`). Sorted (a test checks it). Only syllables written so in Korean names; those
/// that are pinyin syllables (`rong`, `ran`, `rang`, `run`: Chinese names) or common names in
/// other languages (`ram`, `ron`, `rin`, `ryan`) are left out.
const DPRK_INITIAL_R: &[(&str, &str)] = &[
    ("rae", "nae"),
    ("rak", "nak"),
    ("ro", "no"),
    ("roe", "noe"),
    ("rok", "nok"),
    ("ru", "nu"),
    ("ruk", "nuk"),
    ("rung", "nung"),
    ("ryang", "yang"),
    ("rye", "ye"),
    ("ryo", "yo"),
    ("ryok", "yok"),
    ("ryol", "yol"),
    ("ryom", "yom"),
    ("ryon", "yon"),
    ("ryong", "yong"),
    ("ryuk", "yuk"),
    ("ryul", "yul"),
    ("ryun", "yun"),
];

/// The DPRK's initial r of a Korean syllable as Seoul writes it ([`DPRK_INITIAL_R`]): `ryong`
/// → `yong` (룡/용), `rak` → `nak` (락/낙), `ro` → `no`. `text` is one part, with the Revised
/// Romanization's `eo` already written `o` (`ryeong` → `ryong`). `None` when the part is not
/// one of those syllables.
pub(crate) fn korean_initial_r(text: &str) -> Option<&'static str> {
    DPRK_INITIAL_R
        .binary_search_by_key(&text, |&(dprk, _)| dprk)
        .ok()
        .and_then(|i| DPRK_INITIAL_R.get(i))
        .map(|&(_, seoul)| seoul)
}

/// Persian given names whose vowels are written differently in Persian and Arabic
/// romanisations (Persian e for Arabic a and i, o for u: Mehdi / Mahdi, Hossein / Husayn,
/// Mohsen / Muhsin, Gholam / Ghulam), each in the form its spellings fold to, in the letters of
/// `fold` (a test checks each is its own fold, and the order)
const PERSIAN_NAMES: &[&str] = &[
    "ahmad", "asghar", "ghulam", "hamid", "hasan", "hashim", "husain", "husaini", "ibrahim",
    "ismail", "jafar", "javad", "kasim", "kazim", "mahdi", "mahmud", "majid", "mansur", "masud",
    "muhsin", "mujtaba", "murtaza", "mustafa", "nasir", "said", "vahid",
];

/// A part spelt as a Persian given name of [`PERSIAN_NAMES`] with its vowels written the
/// Persian way (e for a or i, o for u), given already in `fold`'s letters (`mehdi`, `hosein`,
/// `mohsen`, `gholam`): the table's form. Only the names of the table, so no other name's e or
/// o is touched (`Peter`, `Boris`). Each vowel e may stand for a or i (a part of at most
/// [`PERSIAN_VOWEL_CHOICES`] e's).
pub(crate) fn persian_vowels(folded: &str) -> Option<&'static str> {
    PERSIAN_NAMES.iter().copied().find(|name| {
        name.len() == folded.len()
            && folded.bytes().filter(|&b| b == b'e').count() <= PERSIAN_VOWEL_CHOICES
            && name.bytes().zip(folded.bytes()).all(|(n, f)| {
                n == f || (f == b'e' && matches!(n, b'a' | b'i')) || (f == b'o' && n == b'u')
            })
    })
}

/// The most e's of a part [`persian_vowels`] tries both ways
const PERSIAN_VOWEL_CHOICES: usize = 3;

#[cfg(test)]
mod tests;
