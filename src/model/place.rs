//! Places: ISO 3166-1 alpha-2 countries, ISO 3166-3 withdrawn codes and ISO 3166-2
//! subdivisions, with the dated hierarchy of `places.txt` (a place lies within another over an
//! interval); and HS codes.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use chrono::NaiveDate;

/// A country (`KP`) or a subdivision (`UA-14`), upper case, checked against ISO 3166
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Place {
    bytes: [u8; 8],
    len: u8,
}

impl Place {
    /// Reads a code, case-insensitively; `None` unless ISO 3166-1 alpha-2, ISO 3166-3 (a
    /// withdrawn alpha-2 code: `RH`, `YU`, `CS`, `ZR`, `SU`, ...; see `places.txt`) or ISO 3166-2
    /// knows it
    pub fn parse(text: &str) -> Option<Place> {
        // Upper-cased on the stack: a record's places are read without allocating.
        let trimmed = text.trim();
        if trimmed.len() > 8 {
            return None;
        }
        let mut bytes = [0u8; 8];
        for (slot, b) in bytes.iter_mut().zip(trimmed.bytes()) {
            *slot = b.to_ascii_uppercase();
        }
        let upper = std::str::from_utf8(bytes.get(..trimmed.len())?).ok()?;
        let known = if upper.len() == 2 {
            let [a, b, ..] = bytes;
            index_of([a, b]).is_some_and(|i| alpha2_known().get(i).copied() == Some(true))
        } else {
            upper.get(2..3) == Some("-") && rust_iso3166::iso3166_2::from_code(upper).is_some()
        };
        if !known {
            return None;
        }
        Place::raw(upper)
    }

    /// A code as it is, unchecked (upper case, at most 8 bytes)
    fn raw(upper: &str) -> Option<Place> {
        if upper.len() > 8 {
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
        let key = wanted.join(" ");
        country_names()
            .get(&key)
            .or_else(|| withdrawn_names().get(&key))
            .and_then(|code| Place::parse(code))
    }

    /// The place a user probably meant by a text that is not a code, for a hint: a country's
    /// name in English, short (`Iran`, `Bolivia`) or common (`North Korea`, `Russia`, `Syria`),
    /// an ISO 3166-1 alpha-3 code (`PRK`), or a name of a few subdivisions that measures name
    /// (`Crimea`); misspellings close to one of these too. `None` when nothing is close.
    pub fn suggest(text: &str) -> Option<Place> {
        let trimmed = text.trim();
        if trimmed.len() == 3 {
            let upper = trimmed.to_ascii_uppercase();
            if let Some(c) = rust_iso3166::from_alpha3(&upper) {
                return Place::parse(c.alpha2);
            }
            if let Some(code) = history().codes.iter().find(|c| c.alpha3 == upper) {
                return Place::raw(code.code);
            }
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

    /// Whether this place is `other`, or lies within it on every day (`UA-14` within `UA`);
    /// what changed with time is [`Place::within_on`]'s
    pub fn within(&self, other: &Place) -> bool {
        self == other || (other.is_country() && self.country() == other.as_str())
    }

    /// Whether this place is `other` or lies within it on `date`: always within itself and a
    /// subdivision within its country, and within another over the interval `places.txt` gives
    /// (`ZW` within `RH` until 17 April 1980, `SS` within `SD` until 8 July 2011, `RS` within
    /// `YU` until 4 June 2006). No allocation: a place with no such interval costs one look-up.
    pub fn within_on(&self, other: &Place, date: NaiveDate) -> bool {
        self.within(other)
            || history()
                .edges_of(self)
                .any(|e| e.parent.within(other) && e.holds_on(date))
    }

    /// Whether this place lies within `other` on some day (for checks of rules, whose records'
    /// days are unknown)
    pub fn may_be_within(&self, other: &Place) -> bool {
        self.within(other) || history().edges_of(self).any(|e| e.parent.within(other))
    }

    /// The countries some place of which lies within this one on some day without lying within
    /// it always (`ZW` for `RH`; `RS`, `ME`, `XK`, `SI`, ... for `YU`), sorted, each once
    pub fn dated_countries(&self) -> Vec<[u8; 2]> {
        let mut out: Vec<[u8; 2]> = history()
            .edges
            .iter()
            .filter(|e| e.parent.within(self))
            .map(|e| e.child.country_code())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The former country, a withdrawn code, that this place lay within on every day from `from`
    /// to `until` before it ended (`YU` for `RS` from 1992 to 1996, `RH` for `ZW` in 1970), the
    /// one it lay within first when several did; none for a withdrawn code itself
    pub fn former_country(&self, from: NaiveDate, until: NaiveDate) -> Option<Place> {
        if self.withdrawn().next().is_some() {
            return None;
        }
        history()
            .edges_of(self)
            .filter(|e| {
                e.parent.withdrawn().next().is_some()
                    && e.from.is_none_or(|f| f <= from)
                    && e.until.is_some_and(|u| until <= u)
            })
            .min_by_key(|e| e.from)
            .map(|e| e.parent)
    }

    /// The ISO 3166-3 entries of a withdrawn code (`RH`: `RHZW`, Southern Rhodesia, withdrawn
    /// 1980), none for a code ISO 3166-1 assigns today; two for `CS`
    pub fn withdrawn(&self) -> impl Iterator<Item = &'static Withdrawn> {
        let code = self.as_str();
        history().codes.iter().filter(move |c| c.code == code)
    }
}

/// A withdrawn code read on input: a line `code` of `places.txt`
#[derive(Debug)]
pub struct Withdrawn {
    /// The two-letter code (`RH`)
    pub code: &'static str,
    /// Its alpha-3 code (`RHO`)
    pub alpha3: &'static str,
    /// Its ISO 3166-3 code (`RHZW`), `-` for XK (not in ISO 3166)
    pub iso3166_3: &'static str,
    /// When ISO withdrew it, as ISO 3166-3 gives it (`1980`, `2003-07-23`)
    pub withdrawn: &'static str,
    /// Its names, the ISO short name first (`Southern Rhodesia`, `Rhodesia`)
    pub names: Vec<&'static str>,
}

/// One dated inclusion: `child` within `parent` from `from` to `until`, both included
#[derive(Clone, Copy, Debug)]
struct Edge {
    child: Place,
    parent: Place,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
}

impl Edge {
    fn holds_on(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }

    /// `self` then `next` (self's parent within next's parent): the days both hold, if any
    fn then(&self, next: &Edge) -> Option<Edge> {
        let from = self.from.max(next.from);
        let until = match (self.until, next.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let (Some(f), Some(u)) = (from, until)
            && f > u
        {
            return None;
        }
        Some(Edge {
            child: self.child,
            parent: next.parent,
            from,
            until,
        })
    }
}

/// The table of `places.txt`, read once: withdrawn codes, and the dated inclusions with their
/// chains followed, sorted by the child's country
struct History {
    codes: Vec<Withdrawn>,
    edges: Vec<Edge>,
    /// For each two-letter country code (26 x 26), whether some edge's child lies in it
    dated: Vec<bool>,
}

/// The text of the table
const PLACES: &str = include_str!("places.txt");

/// The index of a two-letter code in 26 x 26, if it is two capitals
fn index_of(code: [u8; 2]) -> Option<usize> {
    let [a, b] = code;
    (a.is_ascii_uppercase() && b.is_ascii_uppercase())
        .then(|| usize::from(a - b'A') * 26 + usize::from(b - b'A'))
}

impl History {
    fn code(&self, code: &str) -> Option<&Withdrawn> {
        self.codes.iter().find(|c| c.code == code)
    }

    /// The edges whose child is `place` or `place`'s country
    fn edges_of<'a>(&'a self, place: &'a Place) -> impl Iterator<Item = &'a Edge> + 'a {
        let cc = place.country_code();
        let dated = index_of(cc).and_then(|i| self.dated.get(i).copied()) == Some(true);
        let slice: &[Edge] = if dated {
            let lo = self.edges.partition_point(|e| e.child.country_code() < cc);
            let hi = self.edges.partition_point(|e| e.child.country_code() <= cc);
            self.edges.get(lo..hi).unwrap_or(&[])
        } else {
            &[]
        };
        slice.iter().filter(move |e| {
            e.child == *place || (e.child.is_country() && e.child.country_code() == cc)
        })
    }

    /// Reads the table; a line that does not read is a bug caught by the tests (`parse_table`)
    fn read(text: &'static str) -> (History, Vec<String>) {
        let mut codes = Vec::new();
        let mut edges = Vec::new();
        let mut bad = Vec::new();
        let day = |s: &str| -> Result<Option<NaiveDate>, ()> {
            if s == "-" {
                Ok(None)
            } else {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| ())
            }
        };
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.splitn(6, ' ');
            let ok = match words.next() {
                Some("code") => match (
                    words.next(),
                    words.next(),
                    words.next(),
                    words.next(),
                    words.next(),
                ) {
                    (Some(code), Some(alpha3), Some(iso3166_3), Some(withdrawn), Some(names))
                        if code.len() == 2 =>
                    {
                        codes.push(Withdrawn {
                            code,
                            alpha3,
                            iso3166_3,
                            withdrawn,
                            names: names.split('|').map(str::trim).collect(),
                        });
                        true
                    }
                    _ => false,
                },
                Some("within") => match (words.next(), words.next(), words.next(), words.next()) {
                    (Some(child), Some(parent), Some(from), Some(until)) => {
                        match (Place::raw(child), Place::raw(parent), day(from), day(until)) {
                            (Some(child), Some(parent), Ok(from), Ok(until)) => {
                                edges.push(Edge {
                                    child,
                                    parent,
                                    from,
                                    until,
                                });
                                words.next().is_none()
                            }
                            _ => false,
                        }
                    }
                    _ => false,
                },
                _ => false,
            };
            if !ok {
                bad.push(line.to_string());
            }
        }
        // Follow the chains (RS within YU, YU within CS: RS within CS on the days both hold).
        loop {
            let mut added = Vec::new();
            for a in &edges {
                for b in edges.iter().filter(|b| a.parent.within(&b.child)) {
                    if let Some(c) = a.then(b)
                        && c.child != c.parent
                        && !c.child.within(&c.parent)
                        && !edges.iter().chain(&added).any(|e: &Edge| {
                            e.child == c.child
                                && e.parent == c.parent
                                && e.from == c.from
                                && e.until == c.until
                        })
                    {
                        added.push(c);
                    }
                }
            }
            if added.is_empty() {
                break;
            }
            edges.extend(added);
        }
        edges.sort_by_key(|e| e.child.country_code());
        let mut dated = vec![false; 26 * 26];
        for e in &edges {
            if let Some(slot) = index_of(e.child.country_code()).and_then(|i| dated.get_mut(i)) {
                *slot = true;
            }
        }
        (
            History {
                codes,
                edges,
                dated,
            },
            bad,
        )
    }
}

/// Whether each pair of letters `AA` to `ZZ` (by `index_of`) is a code of ISO 3166-1 or of
/// ISO 3166-3 (a withdrawn code of `places.txt`): one lookup in a table, where the hashed maps
/// of both would take two
fn alpha2_known() -> &'static [bool; 26 * 26] {
    static KNOWN: OnceLock<[bool; 26 * 26]> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut known = [false; 26 * 26];
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = std::str::from_utf8(&[a, b]).unwrap_or("").to_string();
                if let Some(slot) = index_of([a, b]).and_then(|i| known.get_mut(i)) {
                    *slot = rust_iso3166::from_alpha2(&code).is_some()
                        || history().code(&code).is_some();
                }
            }
        }
        known
    })
}

/// The table, read once
fn history() -> &'static History {
    static HISTORY: OnceLock<History> = OnceLock::new();
    HISTORY.get_or_init(|| History::read(PLACES).0)
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

    /// The digits as bytes (ASCII): compared without checking them as text again
    fn digits(&self) -> &[u8] {
        self.digits.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The digits
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.digits()).unwrap_or("")
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
        self.digits().starts_with(other.digits())
    }

    /// Whether this code's first `lo.len()` digits lie in the range `lo..=hi` (same length)
    pub fn within_range(&self, lo: &Hs, hi: &Hs) -> bool {
        match self.digits().get(..lo.len()) {
            Some(prefix) => prefix >= lo.digits() && prefix <= hi.digits(),
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

/// The names of withdrawn codes (`Southern Rhodesia`, `Yugoslavia`, `Zaire`, `USSR`, `Soviet
/// Union`) as sorted words, with their codes; a name the common names give to a code of today
/// keeps it (`Burma` is MM, the same place as BU on every day); built once
fn withdrawn_names() -> &'static HashMap<String, &'static str> {
    static NAMES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let common: Vec<String> = COMMON_NAMES
            .iter()
            .map(|(name, _)| country_words(name).join(" "))
            .collect();
        let mut names = HashMap::new();
        for c in &history().codes {
            for name in &c.names {
                let key = country_words(name).join(" ");
                if !common.contains(&key) {
                    names.entry(key).or_insert(c.code);
                }
            }
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
            .chain(
                withdrawn_names()
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
mod tests;
