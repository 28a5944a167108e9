//! Verdicts and findings, in the output format of spec/records.md.

use serde::{Serialize, Serializer};

use crate::ir::{Citation, Level};
use crate::model::Designation;
use crate::screening::suppress::SuppressedMatch;

/// The answer for one record
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// The record's `id` (null only when an invalid record has none that can be read)
    pub id: Option<String>,
    /// The most severe finding, `clear`, or `invalid`
    pub verdict: Outcome,
    /// The rules that fired (absent for an invalid record)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<Finding>>,
    /// What is wrong with an invalid record, naming the input line and the field
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<String>>,
    /// Rules that would have fired but were lifted by an exception or an authorization
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lifted: Vec<Lifted>,
    /// The input line of an invalid record
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The matches a suppression in force took out of the record before it was judged: shown,
    /// never judged (`docs/records.md`, "Verdicts: suppressed matches"); absent when none
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<SuppressedMatch>,
}

/// A record's verdict: a level, or `invalid`
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The record was judged
    Level(Level),
    /// The record could not be read or breaks the format
    Invalid,
}

impl Outcome {
    /// Every outcome, the most severe first: the order summaries and reports give them
    pub const ALL: [Outcome; 6] = [
        Outcome::Level(Level::Prohibited),
        Outcome::Level(Level::AuthorizationRequired),
        Outcome::Level(Level::Review),
        Outcome::Level(Level::Notify),
        Outcome::Level(Level::Clear),
        Outcome::Invalid,
    ];

    /// As written in output
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Level(l) => l.as_str(),
            Outcome::Invalid => "invalid",
        }
    }

    /// Whether `screen` exits 1 for it (anything but `clear` and `notify`)
    pub fn is_flagged(self) -> bool {
        !matches!(self, Outcome::Level(Level::Clear | Level::Notify))
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Serialize for Level {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One rule that fired
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The rule's id
    pub rule: String,
    /// What the rule says
    pub verdict: Level,
    /// The rule's regime
    pub regime: String,
    /// The paragraphs it rests on (those adopted by the record's date)
    pub citations: Vec<Citation>,
    /// Why, naming the matched values
    pub reason: String,
    /// Remarks a reviewer must see, such as disputed legal force
    pub notes: Vec<String>,
    /// The list entries the finding rests on, when screening against lists found the party or
    /// vessel designated: which entry, and why
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<MatchUsed>,
}

/// A designation that a finding rests on
#[derive(Clone, Debug, Serialize)]
pub struct MatchUsed {
    /// The party or vessel of the record: `parties[0]`, `vessels[1]`
    pub of: String,
    /// The list entry, how it matched and how strongly
    #[serde(flatten)]
    pub designation: Designation,
}

/// A rule lifted by an exception or an authorization on the record
#[derive(Clone, Debug, Serialize)]
pub struct Lifted {
    /// The rule that would have fired
    pub rule: String,
    /// What lifted it: `exception ID` or `authorization by BODY (REFERENCE)`
    pub by: String,
    /// The list entries the lifted finding rested on: what was seen stays in the output
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<MatchUsed>,
}

impl Verdict {
    /// The regimes of its findings, each once, sorted
    pub fn regimes(&self) -> Vec<String> {
        let mut regimes: Vec<String> = self
            .findings
            .iter()
            .flatten()
            .map(|f| f.regime.clone())
            .collect();
        regimes.sort_unstable();
        regimes.dedup();
        regimes
    }

    /// The verdict for a record that could not be read
    pub fn invalid(id: Option<String>, line: usize, errors: Vec<String>) -> Verdict {
        Verdict {
            id,
            verdict: Outcome::Invalid,
            findings: None,
            errors: Some(errors),
            lifted: Vec::new(),
            line: Some(line),
            suppressed: Vec::new(),
        }
    }

    /// The ids of the rules that fired
    pub fn rule_ids(&self) -> Vec<&str> {
        self.findings
            .iter()
            .flatten()
            .map(|f| f.rule.as_str())
            .collect()
    }
}
