//! What the coverage report is made of besides the program: the measures deliberately not
//! encoded (`docs/not-encoded/*.yaml`) and the Security Council's regimes (`docs/regimes.yaml`),
//! read and checked against a program. `report::coverage` writes the report from them.

use serde::Deserialize;

use crate::ir::Program;

/// A measure deliberately not encoded, from `docs/not-encoded/*.yaml`
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotEncoded {
    /// The regime, as the rules name it (`DPRK`)
    pub regime: String,
    /// What the measure is
    pub measure: String,
    /// Where it is written (`S/RES/2397 (2017) 8`)
    pub citation: String,
    /// Why it is not encoded
    pub reason: String,
    /// Whom it binds, and so whether a record can fall under it
    pub binds: Binds,
    /// For [`Binds::Parties`]: the `review` rule of `rules/not-encoded.rules` that gives the
    /// records it can reach to a person
    #[serde(default)]
    pub rule: Option<String>,
    /// For [`Binds::Encoded`]: the rules that decide the records it reaches
    #[serde(default)]
    pub by: Vec<String>,
}

/// Whom a measure that is not encoded binds (`binds:` in `docs/not-encoded/*.yaml`)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Binds {
    /// The parties to a transaction: a record can fall under it, so a `review` rule names it
    /// (`rule:`); `clear` would claim that no measure applies
    Parties,
    /// States, the Committee or the Council alone (inspection, reporting, designating, calls
    /// upon): no record breaches it, no verdict changes
    States,
    /// An exemption or carve-out that would lift or narrow a measure: leaving it out can only
    /// make a verdict stricter, never `clear`
    Exemption,
    /// The records it reaches are decided by other rules of the pack (`by:`)
    Encoded,
}

impl Binds {
    /// As written in the YAML and the report
    pub fn as_str(self) -> &'static str {
        match self {
            Binds::Parties => "parties",
            Binds::States => "states",
            Binds::Exemption => "exemption",
            Binds::Encoded => "encoded",
        }
    }
}

/// The level every rule named by a `binds: parties` entry gives
const NOT_ENCODED_LEVEL: crate::ir::Level = crate::ir::Level::Review;

/// The prefix of the ids of the rules of `rules/not-encoded.rules`
pub const NOT_ENCODED_PREFIX: &str = "un.not_encoded.";

/// What is wrong between `entries` and `program`: a `binds: parties` entry whose rule is not a
/// `review` rule of the program (`un.not_encoded.*`, of the entry's regime), a `binds: encoded`
/// entry naming a rule the program lacks, a rule `un.not_encoded.*` that no entry names. Empty
/// when all is well; `embargo coverage` and tests/coverage.rs fail otherwise.
pub fn not_encoded_problems(program: &Program, entries: &[NotEncoded]) -> Vec<String> {
    let mut problems = Vec::new();
    let find = |id: &str| program.rules.iter().find(|r| r.id == id);
    for e in entries {
        let what = format!("{} ({}, {})", e.measure, e.regime, e.citation);
        match e.binds {
            Binds::Parties => match e.rule.as_deref().map(|id| (id, find(id))) {
                None => problems.push(format!("{what}: binds parties but names no `rule`")),
                Some((id, None)) => {
                    problems.push(format!("{what}: its rule `{id}` is not in the rule pack"));
                }
                Some((id, Some(rule))) => {
                    if !id.starts_with(NOT_ENCODED_PREFIX) {
                        problems.push(format!(
                            "{what}: its rule `{id}` is not one of rules/not-encoded.rules ({NOT_ENCODED_PREFIX}*)"
                        ));
                    }
                    if rule.level != NOT_ENCODED_LEVEL {
                        problems.push(format!(
                            "{what}: its rule `{id}` gives {}, not review",
                            rule.level.as_str()
                        ));
                    }
                    if rule.regime != e.regime {
                        problems.push(format!(
                            "{what}: its rule `{id}` is of the regime {}, not {}",
                            rule.regime, e.regime
                        ));
                    }
                }
            },
            Binds::Encoded => {
                for id in e.by.iter().filter(|id| find(id).is_none()) {
                    problems.push(format!(
                        "{what}: `by` names `{id}`, which is not in the rule pack"
                    ));
                }
            }
            Binds::States | Binds::Exemption => {}
        }
    }
    for rule in program
        .rules
        .iter()
        .filter(|r| r.id.starts_with(NOT_ENCODED_PREFIX))
    {
        if !entries
            .iter()
            .any(|e| e.rule.as_deref() == Some(rule.id.as_str()))
        {
            problems.push(format!(
                "rule `{}` is named by no `binds: parties` entry of docs/not-encoded",
                rule.id
            ));
        }
    }
    problems
}

/// Reads one `docs/not-encoded/*.yaml` file: a YAML list of mappings with `regime`, `measure`,
/// `citation`, `reason` and `binds`, with `rule` for `binds: parties` and `by` for
/// `binds: encoded`. An empty file is an empty list. The error names `name` and the
/// entry at fault (counted from 1).
pub fn parse_not_encoded(name: &str, text: &str) -> Result<Vec<NotEncoded>, String> {
    yaml_entries(name, text, "measure", |entry: NotEncoded| {
        match (entry.binds, entry.rule.is_some(), entry.by.is_empty()) {
            (Binds::Parties, true, true) | (Binds::Encoded, false, false) => Ok(entry),
            (Binds::States | Binds::Exemption, false, true) => Ok(entry),
            (Binds::Parties, _, _) => Err("`binds: parties` needs `rule` (and no `by`)"),
            (Binds::Encoded, _, _) => Err("`binds: encoded` needs `by` (and no `rule`)"),
            _ => Err("`binds: states` and `binds: exemption` take no `rule` nor `by`"),
        }
    })
}

/// The entries of a YAML list of mappings in `text`, each read as a `T` and checked by `check`;
/// an empty text is an empty list. An error names `name`, the entry at fault (counted from 1)
/// and, when it has one, the value of its field `label`.
fn yaml_entries<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &str,
    label: &str,
    check: impl Fn(T) -> Result<T, &'static str>,
) -> Result<Vec<T>, String> {
    let entries: Option<Vec<serde_yaml::Value>> = serde_yaml::from_str(text)
        .map_err(|e| format!("{name}: expected a YAML list of mappings: {e}"))?;
    entries
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let label = entry
                .get(label)
                .and_then(serde_yaml::Value::as_str)
                .map(|m| format!(" ({m:?})"))
                .unwrap_or_default();
            let at = format!("{name}: entry {}{label}", i + 1);
            let entry: T = serde_yaml::from_value(entry).map_err(|e| format!("{at}: {e}"))?;
            check(entry).map_err(|message| format!("{at}: {message}"))
        })
        .collect()
}

/// One sanctions regime as the Security Council counts them, from `docs/regimes.yaml`
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilRegime {
    /// The regime as the Council names it (`Southern Rhodesia`)
    pub name: String,
    /// The resolution that established it (`S/RES/232 (1966)`)
    pub established: String,
    /// The regimes of the pack that encode its measures (`regime` names of the rule files)
    pub pack: Vec<String>,
}

/// Reads `docs/regimes.yaml`: a YAML list of mappings with `name`, `established` and `pack`.
/// The error names `name` and the entry at fault (counted from 1).
pub fn parse_regimes(name: &str, text: &str) -> Result<Vec<CouncilRegime>, String> {
    yaml_entries(name, text, "name", Ok)
}

/// What is wrong between the Council's regimes and `program`: a Council regime that names no
/// pack regime, or one without a rule; a regime of the pack that no Council regime names.
/// Empty when all is well; `embargo coverage` and tests/coverage.rs fail otherwise.
pub fn regime_problems(program: &Program, council: &[CouncilRegime]) -> Vec<String> {
    let mut problems = Vec::new();
    let has_rules = |regime: &str| program.rules.iter().any(|r| r.regime == regime);
    for c in council {
        if c.pack.is_empty() {
            problems.push(format!("{}: names no regime of the pack", c.name));
        }
        for regime in c.pack.iter().filter(|r| !has_rules(r)) {
            problems.push(format!(
                "{}: the pack has no rule of the regime `{regime}`",
                c.name
            ));
        }
    }
    let mut pack: Vec<&str> = program.rules.iter().map(|r| r.regime.as_str()).collect();
    pack.sort_unstable();
    pack.dedup();
    for regime in pack {
        if !council.iter().any(|c| c.pack.iter().any(|p| p == regime)) {
            problems.push(format!(
                "the pack's regime `{regime}` is named by no entry of docs/regimes.yaml"
            ));
        }
    }
    problems
}
