//! What the analyst decided about matches (docs/lists.md, "The analyst's decisions"): a minimum
//! score per list, and suppressions, each clearing one party of one list entry, with who decided,
//! why, when and until when.
//!
//! Both are applied after screening, to the designations a party or vessel carries, and before
//! the rules judge the record: a match below the list's minimum score is dropped; a suppressed
//! match is taken out of the record (so it no longer drives the verdict) and kept to be shown,
//! marked suppressed with the reviewer's reason; a suppression that expired before the record's
//! date does not apply, and the match says so in its `why`. Nothing here reads the clock.
//!
//! A suppression file is YAML kept in the user's repository, a sequence of entries:
//!
//! ```yaml
//! - party: "Korea Fictive Trading Corp"   # or party_id: "927310455"
//!   entry: "KPe.901"
//!   by: "A. Analyst"
//!   reason: "our customer since 1998, registered in Busan; not the listed company"
//!   on: 2026-03-01
//!   expires: 2027-03-01
//! ```

use chrono::NaiveDate;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::model::{Designation, Transaction};

/// A suppression file that cannot be used: the run stops (the CLI exits 2)
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SuppressionError {
    /// The text is not YAML
    #[error("not valid YAML: {0}")]
    Yaml(String),
    /// The document is not a sequence of entries
    #[error("expected a list of suppressions (`- party: ...` entries), found {0}")]
    NotAList(&'static str),
    /// An entry is not a mapping of fields
    #[error(
        "entry {entry}: expected a mapping of fields (`party`, `entry`, `by`, ...), found {found}"
    )]
    NotAMapping {
        /// The entry's number, from 1
        entry: usize,
        /// What was found instead
        found: &'static str,
    },
    /// A field of an entry is missing, unknown or wrong
    #[error("entry {entry}{about}: field `{field}`: {problem}")]
    Field {
        /// The entry's number, from 1
        entry: usize,
        /// The party and list entry of the entry, when they could be read (` (party "X", entry
        /// KPe.901)`), to find it in the file
        about: String,
        /// The field
        field: String,
        /// What is wrong with it
        problem: String,
    },
}

/// Who a suppression clears, as the file writes it
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartyKey {
    /// The party's (or vessel's) name, compared after NFKC, case folding and collapsing spaces
    Name(String),
    /// An identifier the party carries (any of its `ids`; a vessel's IMO number), compared by
    /// its letters and digits, case folded
    Id(String),
}

/// One decision of an analyst: this party is not that list entry
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The party cleared
    pub party: PartyKey,
    /// The list entry it was cleared against: its reference (`KPe.901`, an OFAC `ent_num`,
    /// `IMO 9074729`), compared by letters and digits, case folded
    pub entry: String,
    /// Who decided
    pub by: String,
    /// Why
    pub reason: String,
    /// When it was decided
    pub on: NaiveDate,
    /// The last day it applies: a record dated after it is screened as if it did not exist
    pub expires: NaiveDate,
}

/// The fields of an entry
const FIELDS: [&str; 7] = [
    "party", "party_id", "entry", "by", "reason", "on", "expires",
];

impl Suppression {
    /// A suppression from its fields as text (`lists suppress`), checked as the file reader
    /// checks an entry: `party` or `party_id`, not both
    pub fn from_fields(fields: &[(&str, &str)]) -> Result<Suppression, SuppressionError> {
        let map: serde_yaml::Mapping = fields
            .iter()
            .map(|(k, v)| ((*k).into(), serde_yaml::Value::String((*v).to_string())))
            .collect();
        entry_from(1, &map)
    }

    /// Whether it clears the party or vessel with this name and these identifiers of the list
    /// entry with this reference
    fn clears(&self, name: Option<&str>, ids: &[&str], reference: &str) -> bool {
        id_key(&self.entry) == id_key(reference)
            && match &self.party {
                PartyKey::Name(n) => name.is_some_and(|name| name_key(name) == name_key(n)),
                PartyKey::Id(id) => ids.iter().any(|i| id_key(i) == id_key(id)),
            }
    }

    /// Whether it applies to a record of `date` (on or before its expiry)
    pub fn in_force(&self, date: NaiveDate) -> bool {
        date <= self.expires
    }

    /// The entry as YAML: a sequence item ending with a newline, strings quoted (a JSON string
    /// is a YAML double-quoted scalar, so any text is written safely)
    pub fn to_yaml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
        let (key, party) = match &self.party {
            PartyKey::Name(n) => ("party", n),
            PartyKey::Id(i) => ("party_id", i),
        };
        format!(
            "- {key}: {}\n  entry: {}\n  by: {}\n  reason: {}\n  on: {}\n  expires: {}\n",
            q(party),
            q(&self.entry),
            q(&self.by),
            q(&self.reason),
            self.on,
            self.expires
        )
    }

    /// The party as people read it: `party "NAME"` or `party_id "ID"`
    pub fn party_text(&self) -> String {
        match &self.party {
            PartyKey::Name(n) => format!("party {n:?}"),
            PartyKey::Id(i) => format!("party_id {i:?}"),
        }
    }
}

/// A name compared as a suppression compares it: NFKC, lower case, spaces collapsed
fn name_key(name: &str) -> String {
    let folded: String = name.nfkc().flat_map(char::to_lowercase).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An identifier or reference compared by its letters and digits, case folded (`KPe.901` is
/// `kpe901`; `927 310 455` is `927310455`), an IMO number with or without its `IMO` (a
/// vessel's `imo` is written without it, a vessel entry's reference with it)
fn id_key(id: &str) -> String {
    let key: String = id
        .nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.strip_prefix("imo") {
        Some(number) if number.len() == 7 && number.bytes().all(|b| b.is_ascii_digit()) => {
            number.to_string()
        }
        _ => key,
    }
}

/// What a YAML value is, for messages
fn kind(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a string",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

/// Reads a suppression file's text: every entry checked, the first problem returned naming
/// the entry (its number from 1, its party and list entry when readable) and the field. An
/// empty file, or one of comments only, holds no suppression.
pub fn read(text: &str) -> Result<Vec<Suppression>, SuppressionError> {
    let doc: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| SuppressionError::Yaml(e.to_string()))?;
    let items = match doc {
        serde_yaml::Value::Null => return Ok(Vec::new()),
        serde_yaml::Value::Sequence(items) => items,
        other => return Err(SuppressionError::NotAList(kind(&other))),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let entry = i.saturating_add(1);
            match item {
                serde_yaml::Value::Mapping(map) => entry_from(entry, map),
                other => Err(SuppressionError::NotAMapping {
                    entry,
                    found: kind(other),
                }),
            }
        })
        .collect()
}

/// A text field of an entry: a string, or a number written bare (an OFAC `ent_num`); `None`
/// when absent; an error when empty or of another kind
fn text_field(
    map: &serde_yaml::Mapping,
    field: &str,
    fail: &dyn Fn(&str, String) -> SuppressionError,
) -> Result<Option<String>, SuppressionError> {
    match map.get(field) {
        None => Ok(None),
        Some(serde_yaml::Value::String(s)) if s.trim().is_empty() => {
            Err(fail(field, "empty".to_string()))
        }
        Some(serde_yaml::Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(serde_yaml::Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(fail(field, format!("expected text, found {}", kind(other)))),
    }
}

/// One entry of the file, checked; `entry` is its number, from 1
fn entry_from(entry: usize, map: &serde_yaml::Mapping) -> Result<Suppression, SuppressionError> {
    let peek = |k: &str| match map.get(k) {
        Some(serde_yaml::Value::String(s)) => Some(s.clone()),
        Some(serde_yaml::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let mut about = Vec::new();
    if let Some(p) = peek("party") {
        about.push(format!("party {p:?}"));
    } else if let Some(p) = peek("party_id") {
        about.push(format!("party_id {p:?}"));
    }
    if let Some(e) = peek("entry") {
        about.push(format!("entry {e}"));
    }
    let about = if about.is_empty() {
        String::new()
    } else {
        format!(" ({})", about.join(", "))
    };
    let fail = |field: &str, problem: String| SuppressionError::Field {
        entry,
        about: about.clone(),
        field: field.to_string(),
        problem,
    };
    for key in map.keys() {
        match key {
            serde_yaml::Value::String(k) if FIELDS.contains(&k.as_str()) => {}
            serde_yaml::Value::String(k) => {
                return Err(fail(
                    k,
                    format!("unknown field; the fields are {}", FIELDS.join(", ")),
                ));
            }
            other => {
                return Err(fail(
                    &format!("{other:?}"),
                    "a field name must be text".to_string(),
                ));
            }
        }
    }
    let required = |field: &str| -> Result<String, SuppressionError> {
        text_field(map, field, &fail)?.ok_or_else(|| fail(field, "missing".to_string()))
    };
    let date = |field: &str| -> Result<NaiveDate, SuppressionError> {
        let text = required(field)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| fail(field, format!("`{text}` is not a date (YYYY-MM-DD)")))
    };
    let party = match (
        text_field(map, "party", &fail)?,
        text_field(map, "party_id", &fail)?,
    ) {
        (Some(name), None) => PartyKey::Name(name),
        (None, Some(id)) if id_key(&id).is_empty() => {
            return Err(fail("party_id", "has no letter or digit".to_string()));
        }
        (None, Some(id)) => PartyKey::Id(id),
        (Some(_), Some(_)) => {
            return Err(fail(
                "party_id",
                "give `party` (a name) or `party_id` (an identifier), not both".to_string(),
            ));
        }
        (None, None) => {
            return Err(fail(
                "party",
                "missing: give `party` (the party's name) or `party_id` (one of its identifiers)"
                    .to_string(),
            ));
        }
    };
    let entry_ref = required("entry")?;
    if id_key(&entry_ref).is_empty() {
        return Err(fail("entry", "has no letter or digit".to_string()));
    }
    let by = required("by")?;
    let reason = required("reason")?;
    let on = date("on")?;
    let expires = date("expires")?;
    if expires < on {
        return Err(fail(
            "expires",
            format!("{expires} is before the day of the decision, {on}"),
        ));
    }
    Ok(Suppression {
        party,
        entry: entry_ref,
        by,
        reason,
        on,
        expires,
    })
}

/// The text of a suppression file with `new` appended, after checking that the file as it is
/// reads and that the result reads as the same entries plus `new`: the user's text (comments,
/// layout) is kept as written. An empty `existing` starts a new file with a comment.
pub fn append(existing: &str, new: &Suppression) -> Result<String, SuppressionError> {
    let before = read(existing)?;
    let mut text = if existing.trim().is_empty() {
        "# Suppressions: matches an analyst cleared (embargo, docs/lists.md#suppressions).\n\
# Add entries with `embargo lists suppress`; an expired entry stops applying.\n"
            .to_string()
    } else {
        existing.to_string()
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&new.to_yaml());
    let after = read(&text)?;
    let expected: Vec<&Suppression> = before.iter().chain(std::iter::once(new)).collect();
    if after.iter().collect::<Vec<_>>() != expected {
        return Err(SuppressionError::NotAList(
            "a document to which an entry cannot be appended at the end (is the list the last \
thing in the file, written as `- ` items at the start of the line?)",
        ));
    }
    Ok(text)
}

/// The minimum score of a match, per list (`--min-score`): matches below it are dropped
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MinScores {
    /// For every list without its own
    pub all: Option<f64>,
    /// Per list, by the list's name as findings name it (`Designation::list_name`)
    pub lists: Vec<(String, f64)>,
}

impl MinScores {
    /// The minimum for the list named `list`: its own, else the one for all lists
    pub fn of(&self, list: &str) -> Option<f64> {
        self.lists
            .iter()
            .find(|(name, _)| name == list)
            .map(|(_, s)| *s)
            .or(self.all)
    }

    /// Whether there is none
    pub fn is_empty(&self) -> bool {
        self.all.is_none() && self.lists.is_empty()
    }
}

/// The analyst's decisions a run applies
#[derive(Clone, Debug, Default)]
pub struct Decisions {
    /// `--min-score`
    pub min_scores: MinScores,
    /// The entries of `--suppressions FILE`, in file order
    pub suppressions: Vec<Suppression>,
}

/// A match taken out of a record by a suppression in force: shown, never judged
#[derive(Clone, Debug, Serialize)]
pub struct SuppressedMatch {
    /// The party or vessel of the record: `parties[0]`, `vessels[1]`
    pub of: String,
    /// The list entry, how it matched and how strongly, as a finding's match shows it
    #[serde(flatten)]
    pub designation: Designation,
    /// The decision that suppressed it
    pub suppression: Decision,
}

/// A suppression as the output shows it
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Decision {
    /// Who decided
    pub by: String,
    /// Why
    pub reason: String,
    /// When, `YYYY-MM-DD`
    pub on: String,
    /// The last day it applies, `YYYY-MM-DD`
    pub expires: String,
}

impl From<&Suppression> for Decision {
    fn from(s: &Suppression) -> Decision {
        Decision {
            by: s.by.clone(),
            reason: s.reason.clone(),
            on: s.on.to_string(),
            expires: s.expires.to_string(),
        }
    }
}

/// What the decisions did to one record
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// The matches suppressed, in the order of the record's parties, then vessels
    pub suppressed: Vec<SuppressedMatch>,
    /// How many matches fell below their list's minimum score and were dropped
    pub dropped: usize,
    /// How many matches had only expired suppressions (kept, saying so in `why`)
    pub expired: usize,
}

impl Decisions {
    /// Whether there is nothing to apply
    pub fn is_empty(&self) -> bool {
        self.min_scores.is_empty() && self.suppressions.is_empty()
    }

    /// Applies the decisions to the designations screening gave `t`'s parties and vessels: a
    /// match below its list's minimum score is dropped; a match that a suppression in force on
    /// `t.date` clears is taken out and returned; a match whose suppressions all expired before
    /// `t.date` stays, its `why` naming the latest of them
    pub fn apply(&self, t: &mut Transaction) -> Applied {
        let mut applied = Applied::default();
        if self.is_empty() {
            return applied;
        }
        let date = t.date;
        // Sifts one party's or vessel's designations, keeping what was taken out to show
        let sift = |designations: &mut Vec<Designation>,
                    name: Option<&str>,
                    ids: &[&str],
                    of: String,
                    applied: &mut Applied| {
            let taken = self.sift(designations, name, ids, date, applied);
            applied
                .suppressed
                .extend(taken.into_iter().map(|(designation, s)| SuppressedMatch {
                    of: of.clone(),
                    designation,
                    suppression: s,
                }));
        };
        for (i, party) in t.parties.iter_mut().enumerate() {
            let ids: Vec<&str> = party.ids.values().map(String::as_str).collect();
            let of = format!("parties[{i}]");
            sift(
                &mut party.designations,
                Some(&party.name),
                &ids,
                of,
                &mut applied,
            );
        }
        for (i, vessel) in t.vessels.iter_mut().enumerate() {
            let ids: Vec<&str> = vessel.imo.iter().map(String::as_str).collect();
            let of = format!("vessels[{i}]");
            sift(
                &mut vessel.designations,
                vessel.name.as_deref(),
                &ids,
                of,
                &mut applied,
            );
        }
        applied
    }

    /// The designations of one party or vessel sifted: those dropped and suppressed are taken
    /// out, the suppressed returned with their decisions
    fn sift(
        &self,
        designations: &mut Vec<Designation>,
        name: Option<&str>,
        ids: &[&str],
        date: NaiveDate,
        applied: &mut Applied,
    ) -> Vec<(Designation, Decision)> {
        let mut taken = Vec::new();
        let mut kept = Vec::with_capacity(designations.len());
        for mut d in designations.drain(..) {
            if self
                .min_scores
                .of(d.list_name())
                .is_some_and(|min| d.score < min)
            {
                applied.dropped = applied.dropped.saturating_add(1);
                continue;
            }
            let clearing = self
                .suppressions
                .iter()
                .filter(|s| s.clears(name, ids, &d.reference));
            // In force: the one that lasts longest; else the one that expired last.
            let mut in_force: Option<&Suppression> = None;
            let mut expired: Option<&Suppression> = None;
            for s in clearing {
                let slot = if s.in_force(date) {
                    &mut in_force
                } else {
                    &mut expired
                };
                if slot.is_none_or(|o| s.expires > o.expires) {
                    *slot = Some(s);
                }
            }
            if let Some(s) = in_force {
                taken.push((d, Decision::from(s)));
                continue;
            }
            if let Some(s) = expired {
                applied.expired = applied.expired.saturating_add(1);
                d.why.push(format!(
                    "suppression expired on {} (the record is of {date}), so it no longer \
applies: cleared by {} on {}: {}",
                    s.expires, s.by, s.on, s.reason
                ));
            }
            kept.push(d);
        }
        *designations = kept;
        taken
    }
}

#[cfg(test)]
mod tests;
