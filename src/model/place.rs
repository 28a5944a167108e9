//! Places: ISO 3166-1 alpha-2 countries and ISO 3166-2 subdivisions, and HS codes.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// A country (`KP`) or a subdivision (`UA-14`), upper case, checked against ISO 3166
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Place {
    bytes: [u8; 8],
    len: u8,
}

impl Place {
    /// Reads a code, case-insensitively; `None` unless ISO 3166-1 alpha-2 or ISO 3166-2 knows it
    pub fn parse(text: &str) -> Option<Place> {
        let upper = text.trim().to_ascii_uppercase();
        let known = if upper.len() == 2 {
            rust_iso3166::from_alpha2(&upper).is_some()
        } else {
            upper.len() <= 8
                && upper.get(2..3) == Some("-")
                && rust_iso3166::iso3166_2::from_code(&upper).is_some()
        };
        if !known {
            return None;
        }
        let mut bytes = [0u8; 8];
        for (slot, b) in bytes.iter_mut().zip(upper.bytes()) {
            *slot = b;
        }
        Some(Place {
            bytes,
            len: u8::try_from(upper.len()).ok()?,
        })
    }

    /// The country a name in English designates (`Democratic People's Republic of Korea`,
    /// `Iran (Islamic Republic of)`, `Tanzania, United Republic of`), compared with the ISO 3166
    /// short names word by word, order, case, accents and the words `of`, `the`, `and` ignored;
    /// `None` when no country has exactly those words
    pub fn from_country_name(name: &str) -> Option<Place> {
        let wanted = country_words(name);
        if wanted.is_empty() {
            return None;
        }
        country_names()
            .get(&wanted.join(" "))
            .and_then(|code| Place::parse(code))
    }

    /// The place a user probably meant by a text that is not a code, for a hint: a country's
    /// name in English, short (`Iran`, `Bolivia`) or common (`North Korea`, `Russia`, `Syria`),
    /// an ISO 3166-1 alpha-3 code (`PRK`), or a name of a few subdivisions that measures name
    /// (`Crimea`); misspellings close to one of these too. `None` when nothing is close.
    pub fn suggest(text: &str) -> Option<Place> {
        let trimmed = text.trim();
        if trimmed.len() == 3
            && let Some(c) = rust_iso3166::from_alpha3(&trimmed.to_ascii_uppercase())
        {
            return Place::parse(c.alpha2);
        }
        if let Some(p) = Place::from_country_name(trimmed) {
            return Some(p);
        }
        let wanted = country_words(trimmed).join(" ");
        if wanted.is_empty() {
            return None;
        }
        let mut best: Option<(f64, &str)> = None;
        for (name, code) in suggestion_names() {
            let score = if *name == wanted {
                1.0
            } else {
                strsim::jaro_winkler(name, &wanted)
            };
            if score >= 0.9 && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, code));
            }
        }
        best.and_then(|(_, code)| Place::parse(code))
    }

    /// The code as written in ISO 3166
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes.get(..usize::from(self.len)).unwrap_or(&[])).unwrap_or("")
    }

    /// Whether this is a whole country rather than a subdivision
    pub fn is_country(&self) -> bool {
        self.len == 2
    }

    /// The country code (the first two letters)
    pub fn country(&self) -> &str {
        self.as_str().get(..2).unwrap_or("")
    }

    /// The country code as two bytes
    pub fn country_code(&self) -> [u8; 2] {
        let [a, b, ..] = self.bytes;
        [a, b]
    }

    /// Whether this place is `other`, or lies within it (`UA-14` within `UA`)
    pub fn within(&self, other: &Place) -> bool {
        self == other || (other.is_country() && self.country() == other.as_str())
    }
}

impl fmt::Debug for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_str())
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Harmonized System code: 2 to 10 digits
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hs {
    digits: [u8; 10],
    len: u8,
}

impl Hs {
    /// Reads a code; dots and spaces are ignored (`2710.19` is `271019`)
    pub fn parse(text: &str) -> Option<Hs> {
        let mut digits = [0u8; 10];
        let mut len = 0usize;
        for c in text.chars() {
            match c {
                '.' | ' ' => {}
                '0'..='9' => {
                    let slot = digits.get_mut(len)?;
                    *slot = c as u8;
                    len += 1;
                }
                _ => return None,
            }
        }
        if len < 2 {
            return None;
        }
        Some(Hs {
            digits,
            len: u8::try_from(len).ok()?,
        })
    }

    /// The digits
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.digits.get(..usize::from(self.len)).unwrap_or(&[])).unwrap_or("")
    }

    /// Number of digits
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether it has no digits (never true for a parsed code)
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether this code lies within `other` (`271019` within `2710` within `27`)
    pub fn within(&self, other: &Hs) -> bool {
        self.as_str().starts_with(other.as_str())
    }

    /// Whether this code's first `lo.len()` digits lie in the range `lo..=hi` (same length)
    pub fn within_range(&self, lo: &Hs, hi: &Hs) -> bool {
        match self.as_str().get(..lo.len()) {
            Some(prefix) => prefix >= lo.as_str() && prefix <= hi.as_str(),
            None => false,
        }
    }
}

impl fmt::Debug for Hs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Hs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Names in common use that are not the ISO 3166 short names, with their codes
const COMMON_NAMES: &[(&str, &str)] = &[
    ("North Korea", "KP"),
    ("DPRK", "KP"),
    ("South Korea", "KR"),
    ("Russia", "RU"),
    ("Syria", "SY"),
    ("Laos", "LA"),
    ("Vietnam", "VN"),
    ("United Kingdom", "GB"),
    ("UK", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("United States", "US"),
    ("USA", "US"),
    ("America", "US"),
    ("Czech Republic", "CZ"),
    ("Ivory Coast", "CI"),
    ("Cote d'Ivoire", "CI"),
    ("Burma", "MM"),
    ("Turkey", "TR"),
    ("Taiwan", "TW"),
    ("Palestine", "PS"),
    ("DRC", "CD"),
    ("Democratic Republic of Congo", "CD"),
    ("Congo-Kinshasa", "CD"),
    ("Congo-Brazzaville", "CG"),
    ("Cape Verde", "CV"),
    ("Swaziland", "SZ"),
    ("East Timor", "TL"),
    ("Vatican", "VA"),
    ("Holland", "NL"),
    ("Macedonia", "MK"),
    ("Brunei", "BN"),
    ("UAE", "AE"),
    ("Crimea", "UA-43"),
    ("Donetsk", "UA-14"),
    ("Luhansk", "UA-09"),
    ("Sevastopol", "UA-40"),
];

/// The ISO 3166 short names cut before a comma or a parenthesis (`Iran` of `Iran (Islamic
/// Republic of)`), as sorted words, where only one country has that short name
fn short_names() -> impl Iterator<Item = (String, &'static str)> {
    let short = |name: &'static str| {
        let cut = name.find([',', '(']).unwrap_or(name.len());
        country_words(name.get(..cut).unwrap_or(name)).join(" ")
    };
    let all: Vec<(String, &'static str)> = rust_iso3166::ALL
        .iter()
        .map(|c| (short(c.name), c.alpha2))
        .collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for (s, _) in &all {
        *count.entry(s.clone()).or_default() += 1;
    }
    all.into_iter()
        .filter(move |(s, _)| count.get(s) == Some(&1))
}

/// Each ISO 3166-1 name as its sorted words joined by spaces, with its code (the first country of
/// that name in ISO order); built once
fn country_names() -> &'static HashMap<String, &'static str> {
    static NAMES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = HashMap::new();
        for c in rust_iso3166::ALL {
            names
                .entry(country_words(c.name).join(" "))
                .or_insert(c.alpha2);
        }
        names
    })
}

/// The names `suggest` compares a text with: the common names, the unique short names and the
/// full ISO names (a misspelt full name must find its own country, not one that shares most
/// of its words: `Democratic People's Republic of Koreaa` is KP, not LA),
/// each as sorted words, with its code; built once (a record's bad place costs one pass over
/// them, not a pass over every pair of countries)
fn suggestion_names() -> &'static [(String, &'static str)] {
    static NAMES: OnceLock<Vec<(String, &'static str)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        COMMON_NAMES
            .iter()
            .map(|(name, code)| (country_words(name).join(" "), *code))
            .chain(short_names())
            .chain(
                country_names()
                    .iter()
                    .map(|(name, code)| (name.clone(), *code)),
            )
            .collect()
    })
}

/// The words of a country name, folded to ASCII lower case, sorted, without `of`, `the`, `and`
/// (`Korea (Democratic People's Republic of)` and `Democratic People's Republic of Korea` agree)
fn country_words(name: &str) -> Vec<String> {
    let folded = any_ascii::any_ascii(name).to_ascii_lowercase();
    let mut words: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .map(|w| w.replace('\'', ""))
        .filter(|w| !w.is_empty() && !matches!(w.as_str(), "of" | "the" | "and"))
        .collect();
    words.sort_unstable();
    words
}

#[cfg(test)]
mod tests {
    #[test]
    fn country_names_read_in_either_order() {
        let code = |n: &str| Place::from_country_name(n).map(|p| p.to_string());
        assert_eq!(
            code("Democratic People's Republic of Korea").as_deref(),
            Some("KP")
        );
        assert_eq!(code("Iran (Islamic Republic of)").as_deref(), Some("IR"));
        assert_eq!(
            code("Democratic Republic of the Congo").as_deref(),
            Some("CD")
        );
        assert_eq!(code("United Republic of Tanzania").as_deref(), Some("TZ"));
        assert_eq!(code("Russian Federation").as_deref(), Some("RU"));
        assert_eq!(code("Congo").as_deref(), Some("CG"));
        assert_eq!(code("Korea"), None);
        assert_eq!(code(""), None);
    }

    use super::*;

    #[test]
    fn names_and_near_misses_suggest_a_code() {
        let hint = |n: &str| Place::suggest(n).map(|p| p.to_string());
        assert_eq!(hint("North Korea").as_deref(), Some("KP"));
        assert_eq!(hint("north korea").as_deref(), Some("KP"));
        assert_eq!(hint("Nroth Korea").as_deref(), Some("KP"));
        assert_eq!(hint("PRK").as_deref(), Some("KP"));
        assert_eq!(hint("Iran").as_deref(), Some("IR"));
        assert_eq!(hint("Russia").as_deref(), Some("RU"));
        assert_eq!(hint("Russian Federation").as_deref(), Some("RU"));
        assert_eq!(hint("Crimea").as_deref(), Some("UA-43"));
        // A misspelt full name finds its own country, not one sharing most of its words.
        assert_eq!(
            hint("Democratic Peoples Republic of Koreaa").as_deref(),
            Some("KP")
        );
        assert_eq!(
            hint("Lao Peoples Democratic Republc").as_deref(),
            Some("LA")
        );
        assert_eq!(hint("Korea"), None);
        assert_eq!(hint("Atlantis"), None);
        assert_eq!(hint(""), None);
    }

    #[test]
    fn places_nest_in_their_country() {
        let donetsk = Place::parse("ua-14").unwrap();
        let ukraine = Place::parse("UA").unwrap();
        assert!(donetsk.within(&ukraine));
        assert!(!ukraine.within(&donetsk));
        assert!(Place::parse("XX").is_none());
        assert!(Place::parse("UA-99").is_none());
        assert!(Place::parse("").is_none());
    }

    #[test]
    fn hs_codes_nest_in_headings_and_chapters() {
        let code = Hs::parse("2710.19").unwrap();
        assert_eq!(code.as_str(), "271019");
        assert!(code.within(&Hs::parse("2710").unwrap()));
        assert!(code.within(&Hs::parse("27").unwrap()));
        assert!(!code.within(&Hs::parse("28").unwrap()));
        assert!(Hs::parse("7").is_none());
        assert!(Hs::parse("12345678901").is_none());
        assert!(Hs::parse("12a4").is_none());
        let lo = Hs::parse("72").unwrap();
        let hi = Hs::parse("83").unwrap();
        assert!(Hs::parse("7308").unwrap().within_range(&lo, &hi));
        assert!(!Hs::parse("8401").unwrap().within_range(&lo, &hi));
    }
}
