//! Name matching: are two names, perhaps written differently, the names of one party?
//!
//! [`compare`] normalises both names ([`normalize`]: Unicode NFKC, transliteration of any script
//! to Latin, case and punctuation folding, legal forms and honorifics set aside) and aligns their
//! parts one to one ([`matcher`]: Jaro-Winkler per part, order ignored, unmatched parts
//! penalised). The algorithm, the threshold and how well it does are in `docs/names.md`.
//!
//! ```
//! use embargo::internals::screening::names::{compare, Schema, Strength};
//!
//! let m = compare("Путин Владимир", "Vladimir Putin", Schema::Person);
//! assert!(m.is_match());
//! let m = compare("Acme Trading GmbH", "ACME TRADING Gesellschaft mit beschränkter Haftung", Schema::Company);
//! assert_eq!(m.strength, Strength::Exact);
//! assert!(!compare("Anna Berg", "Tomas Lind", Schema::Person).is_match());
//! ```

pub(crate) mod distance;
mod han;
pub mod matcher;
pub mod normalize;
pub(crate) mod romanise;

pub use matcher::{compare, compare_tokens, score_tokens};

/// What kind of party a name belongs to: it decides which words are set aside
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Schema {
    /// A natural person: honorifics and particles (Mr, Dr, Sheikh, bin, al) are set aside
    Person,
    /// A company or other organisation: legal forms (GmbH, LLC, JSC, OOO) are set aside
    Company,
    /// A ship: prefixes such as MV and MT are set aside
    Vessel,
}

impl Schema {
    /// Reads a schema name: `person`, `company` (also `organization`, `legalentity`) or `vessel`
    pub fn parse(text: &str) -> Option<Schema> {
        match text.trim().to_ascii_lowercase().as_str() {
            "person" => Some(Schema::Person),
            "company" | "organization" | "organisation" | "legalentity" | "legal_entity" => {
                Some(Schema::Company)
            }
            "vessel" | "ship" => Some(Schema::Vessel),
            _ => None,
        }
    }
}

/// How strongly two names agree
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Below [`THRESHOLD`]: not the same name
    None,
    /// At or above [`THRESHOLD`] but below [`STRONG`]: a match worth a look
    Weak,
    /// At or above [`STRONG`]: the same name with small differences
    Strong,
    /// The same parts once normalised (score 1)
    Exact,
}

impl Strength {
    /// The decision for a score: [`Strength::Exact`] at 1, then by [`STRONG`] and [`THRESHOLD`]
    pub fn of(score: f64) -> Strength {
        if score >= 1.0 {
            Strength::Exact
        } else if score >= STRONG {
            Strength::Strong
        } else if score >= THRESHOLD {
            Strength::Weak
        } else {
            Strength::None
        }
    }

    /// As written in output
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::None => "none",
            Strength::Weak => "weak",
            Strength::Strong => "strong",
            Strength::Exact => "exact",
        }
    }
}

/// The shipped decision threshold: a score at or above it is a match
pub const THRESHOLD: f64 = 0.80;

/// Scores at or above this are [`Strength::Strong`]
pub const STRONG: f64 = 0.92;

/// The result of comparing two names
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Match {
    /// Similarity in 0..=1
    pub score: f64,
    /// The decision, from the score and the thresholds
    pub strength: Strength,
    /// Why: the parts aligned and those left over
    pub why: String,
}

impl Match {
    /// Whether the score reaches [`THRESHOLD`]
    pub fn is_match(&self) -> bool {
        self.strength != Strength::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_parse() {
        assert_eq!(Schema::parse("Organization"), Some(Schema::Company));
        assert_eq!(Schema::parse("vessel"), Some(Schema::Vessel));
        assert_eq!(Schema::parse("tree"), None);
    }
}
