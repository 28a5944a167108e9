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
///   article written on (abdul, abdel, abdur, ...); عبد الله Abdullah, Abdallah, Abdellah.
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
    ("bahk", "pak"),
    ("bak", "pak"),
    ("ben", "bin"),
    ("bin", "bin"),
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
    ("yi", "li"),
    ("yim", "lim"),
    ("yoo", "lyu"),
    ("yoon", "yun"),
    ("yu", "lyu"),
    ("yun", "yun"),
];

/// The form a part folds to when it is a spelling of a class in [`CLASSES`]
pub(crate) fn class_of(text: &str) -> Option<&'static str> {
    CLASSES
        .binary_search_by_key(&text, |&(spelling, _)| spelling)
        .ok()
        .and_then(|i| CLASSES.get(i))
        .map(|&(_, form)| form)
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
    korean_syllable(&out).then_some(out)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "test code")]

    use super::*;

    #[test]
    fn classes_are_sorted() {
        assert!(CLASSES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn korean_surnames_without_hangul() {
        // Ri Son Gwon (DPRK), Syngman Rhee, Lee Myung-bak, Yi Sun-sin: one surname 이/리
        for s in ["ri", "rhee", "lee", "yi"] {
            assert_eq!(class_of(s), Some("li"), "{s}");
        }
        // Pak Pong Ju (DPRK), Park Chung-hee, Bak (Revised)
        for s in ["pak", "park", "bak"] {
            assert_eq!(class_of(s), Some("pak"), "{s}");
        }
        // Choe Ryong Hae (DPRK), Choi Kyoung-ju, Chwe (McCune-Reischauer)
        for s in ["choe", "choi", "chwe"] {
            assert_eq!(class_of(s), Some("choe"), "{s}");
        }
        // Jong (DPRK), Jeong (Revised), Chong (McCune-Reischauer), Chung Mong-joon
        for s in ["jong", "jeong", "chong", "chung"] {
            assert_eq!(class_of(s), Some("jeong"), "{s}");
        }
        assert_eq!(class_of("gang"), class_of("kang"));
        assert_eq!(class_of("gim"), class_of("kim"));
        assert_eq!(class_of("smith"), None);
    }

    #[test]
    fn korean_given_name_syllables() {
        // Revised Romanization against the DPRK's and McCune-Reischauer's: Kim Jong Un is
        // 김정은 gim jeong eun; Choe Ryong Hae's 룡; Ri Chol's 철 cheol
        assert_eq!(korean_vowels("jeong").as_deref(), Some("jong"));
        assert_eq!(korean_vowels("eun").as_deref(), Some("un"));
        assert_eq!(korean_vowels("cheol").as_deref(), Some("chol"));
        assert_eq!(korean_vowels("hyeok").as_deref(), Some("hyok"));
        // Not one Korean syllable: left alone
        assert_eq!(korean_vowels("theodore"), None);
        assert_eq!(korean_vowels("jong"), None);
    }

    #[test]
    fn cyrillic_spellings_of_korean_names() {
        // Ким Чен Ын (Kim Jong Un), Ким Ир Сен (Kim Il Sung), as any_ascii writes them
        assert_eq!(kontsevich("kim").as_deref(), Some("kim"));
        assert_eq!(kontsevich("chen").as_deref(), Some("jon"));
        assert_eq!(kontsevich("yn").as_deref(), Some("un"));
        assert_eq!(kontsevich("ir").as_deref(), Some("il"));
        assert_eq!(kontsevich("sen").as_deref(), Some("son"));
        // Чхоль (철): the aspirated чх
        assert_eq!(kontsevich("chkhol").as_deref(), Some("jol"));
        // A Russian name is not one Korean syllable
        assert_eq!(kontsevich("vladimir"), None);
        assert_eq!(korean_as_cyrillic_reads("jong"), "jon");
    }

    fn abd(name: &str) -> Vec<String> {
        let parts: Vec<String> = name.split(' ').map(str::to_string).collect();
        abd_names(&parts)
            .unwrap_or(parts)
            .iter()
            .map(|p| class_of(p).unwrap_or(p).to_string())
            .collect()
    }

    #[test]
    fn arabic_abd_names() {
        // Abd al-Rahman and its spellings (Abdul Rahman Yasin, Abdel Rahman, Abdurrahman Wahid)
        for name in [
            "abd rahman",
            "abdul rahman",
            "abdel rahman",
            "abdurrahman",
            "abdulrahman",
        ] {
            assert_eq!(abd(name), ["abd", "rahman"], "{name}");
        }
        // Abdullah (King Abdullah), Abdallah, Abdellah: one name
        for name in ["abdullah", "abdallah", "abdellah"] {
            assert_eq!(abd(name), ["abdulah"], "{name}");
        }
        assert_eq!(abd("abdelaziz bouteflika"), ["abd", "aziz", "bouteflika"]);
        assert_eq!(abd("abdi samir"), ["abdi", "samir"]);
    }
}
