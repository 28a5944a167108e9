//! The evidence around a name match: corroboration and contradiction by country, date of
//! birth and nationality, what a list entry gives as `p.listed`, and the choice of the
//! strongest match per entry.

use super::*;

/// A name score moved [`COUNTRY_CORROBORATES`] of the way to 1 by a corroborating country,
/// date of birth or nationality, within bounds: a strong match comes nearer exact, a weak one
/// stays below strong ([`CORROBORATED_WEAK_CAP`])
pub(super) fn corroborate(score: f64) -> f64 {
    let moved = score + (1.0 - score) * COUNTRY_CORROBORATES;
    if score >= STRONG {
        moved
    } else {
        moved.min(CORROBORATED_WEAK_CAP).max(score)
    }
}

/// The first non-empty value of the party's `ids` under one of `keys`
pub(super) fn party_value<'p>(party: &'p Party, keys: &[&str]) -> Option<&'p str> {
    keys.iter()
        .filter_map(|k| party.ids.get(*k))
        .map(|v| v.trim())
        .find(|v| !v.is_empty())
}

/// The years a date of birth as written covers (`1971`, `1971-03-05`, `1950-1955`, `circa
/// 1960`), and the full date when it is one
pub(super) fn birth_years(text: &str) -> Option<((u32, u32), Option<&str>)> {
    let digits: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse().ok())
        .collect();
    let first = *digits.first()?;
    let trimmed = text.trim();
    let full = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
        .ok()
        .map(|_| trimmed);
    match (full, digits.get(1)) {
        (None, Some(&last)) if last >= first => Some(((first, last), None)),
        _ => Some(((first, first), full)),
    }
}

/// Whether the party's date of birth agrees with one of the entry's: a year in common, and the
/// same day when both give one; `None` when either side gives none that can be read
pub(super) fn birth_agrees(ours: &str, theirs: &[String]) -> Option<bool> {
    let ((from, to), day) = birth_years(ours)?;
    let mut any = false;
    for t in theirs {
        let Some(((tf, tt), tday)) = birth_years(t) else {
            continue;
        };
        any = true;
        let years = from <= tt && tf <= to;
        let days = match (day, tday) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        if years && days {
            return Some(true);
        }
    }
    any.then_some(false)
}

/// Whether the party's nationality (a code or an English name) is one of the entry's; `None`
/// when either side gives none that can be read
pub(super) fn nationality_agrees(ours: &str, theirs: &[String]) -> Option<bool> {
    let ours = Place::parse(ours).or_else(|| Place::from_country_name(ours))?;
    let theirs: Vec<[u8; 2]> = theirs
        .iter()
        .filter_map(|n| Place::from_country_name(n).or_else(|| Place::parse(n)))
        .map(|p| p.country_code())
        .collect();
    if theirs.is_empty() {
        return None;
    }
    Some(theirs.contains(&ours.country_code()))
}

/// Whether a person's name is one or two parts, each frequent in the list of `index` (a common
/// given name and a common surname)
pub fn frequent_only(index: &NameIndex<'_>, name: &str) -> bool {
    let ours = parts(name, Schema::Person);
    (1..=2).contains(&ours.len()) && ours.iter().all(|t| index.is_frequent(&t.text))
}

/// What `p.listed` and `v.listed` read for an entry of a list in `format`: its list types as
/// written, each prefixed with `OFAC ` for an OFAC list, so that a rule about a UN regime
/// (`v.listed has DPRK`) never fires on an OFAC program of the same name
pub fn listed(format: Option<Format>, entry: &ListEntry) -> Vec<String> {
    let ofac = matches!(
        format,
        Some(Format::OfacSdn | Format::OfacAlt | Format::OfacAdd)
    );
    entry
        .list_types()
        .map(|t| {
            if ofac {
                format!("OFAC {t}")
            } else {
                t.to_string()
            }
        })
        .collect()
}

pub(super) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Whether entries of `kind` are screened with names of `schema`: vessels with vessel names,
/// individuals and entities with the others
pub(super) fn wanted(schema: Schema, kind: EntryKind) -> bool {
    match schema {
        Schema::Vessel => kind == EntryKind::Vessel,
        _ => is_person_or_entity(kind),
    }
}

pub(super) fn is_person_or_entity(kind: EntryKind) -> bool {
    matches!(kind, EntryKind::Individual | EntryKind::Entity)
}

/// Whether an `ids` key names an identity document: `passport`, `national_id`, `id_card`, ...
pub(super) fn is_document_key(key: &str) -> bool {
    key.contains("passport")
        || (key.contains("national") && !key.contains("nationality"))
        || key.contains("id_card")
}

/// Keeps the strongest designation of each entry, strongest first, then by list order
pub(super) fn strongest_per_entry(mut found: Vec<(usize, Designation)>) -> Vec<Designation> {
    found.sort_by(|(i, a), (j, b)| {
        b.strength
            .cmp(&a.strength)
            .then(b.score.total_cmp(&a.score))
            .then(a.list.cmp(&b.list))
            .then(i.cmp(j))
    });
    let mut seen: Vec<(String, String)> = Vec::new();
    found
        .into_iter()
        .filter_map(|(_, d)| {
            let key = (d.list.clone(), d.reference.clone());
            if seen.contains(&key) {
                return None;
            }
            seen.push(key);
            Some(d)
        })
        .collect()
}

/// The countries an entry names: nationalities, the last part of addresses and places of
/// birth, and a vessel's flag, as ISO 3166-1 codes (names no ISO name matches are left out);
/// `known` keeps the codes of each text already read
pub(super) fn entry_countries<'e>(
    entry: &'e ListEntry,
    known: &mut HashMap<&'e str, Vec<[u8; 2]>>,
) -> Vec<[u8; 2]> {
    let mut out: Vec<[u8; 2]> = Vec::new();
    let texts = entry
        .nationalities
        .iter()
        .map(String::as_str)
        .chain(
            entry
                .addresses
                .iter()
                .chain(&entry.places_of_birth)
                .filter_map(|a| a.rsplit(", ").next()),
        )
        .chain(entry.flag.as_deref());
    for text in texts {
        let codes = known.entry(text).or_insert_with(|| {
            Place::from_country_name(text)
                .map(|p| {
                    std::iter::once(p.country_code())
                        .chain(p.dated_countries())
                        .collect()
                })
                .unwrap_or_default()
        });
        out.extend_from_slice(codes);
    }
    out.sort_unstable();
    out.dedup();
    out
}
