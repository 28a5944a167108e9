//! The coverage report (docs/coverage.md): every rule and exception of a pack, and what is left out.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::ir::{Citation, Interval, Program};
use crate::testing::TestOutcome;

/// The command that writes docs/coverage.md, named in its header
pub const REGENERATE: &str = "cargo run -- coverage --output docs/coverage.md";

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

/// The coverage report of `program` in Markdown: the Council's regimes (`council`) with the
/// pack's regimes that encode each and their first and last days; per regime, a row per rule
/// (title, citations, days in force, id, how many test expectations name it) and a timeline of
/// the days its measures began, stopped and resumed; the exceptions (what they override and in
/// how many of `outcomes` they lifted a finding); then `not_encoded`, by regime.
/// Deterministic: the same inputs give the same bytes.
pub fn coverage_markdown(
    program: &Program,
    outcomes: &[TestOutcome],
    not_encoded: &[NotEncoded],
    council: &[CouncilRegime],
) -> String {
    let mut out = String::new();
    out.push_str("# Coverage of the rule pack\n\n");
    let _ = writeln!(
        out,
        "Generated by `embargo coverage`; do not edit by hand.\n\
         Regenerate it with `{REGENERATE}`."
    );
    let expectations: usize = program.tests.iter().map(|t| t.expects.len()).sum();
    let mut regimes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, rule) in program.rules.iter().enumerate() {
        regimes.entry(rule.regime.as_str()).or_default().push(i);
    }
    let _ = writeln!(
        out,
        "\n{}, {}, {}, {}, {}.",
        count(program.rules.len(), "rule", "rules"),
        count(regimes.len(), "regime", "regimes"),
        count(program.exceptions.len(), "exception", "exceptions"),
        count(expectations, "test expectation", "test expectations"),
        count(
            not_encoded.len(),
            "measure deliberately not encoded",
            "measures deliberately not encoded"
        ),
    );
    if !not_encoded.is_empty() {
        let n = |b: Binds| not_encoded.iter().filter(|e| e.binds == b).count();
        let _ = writeln!(
            out,
            "By whom the measures not encoded bind: parties {} (a rule of \
             `rules/not-encoded.rules` gives the records they reach `review`), states {}, \
             exemption {}, encoded {} (decided by other rules).",
            n(Binds::Parties),
            n(Binds::States),
            n(Binds::Exemption),
            n(Binds::Encoded),
        );
    }
    out.push_str(
        "\nDays in force include both ends; \"from\" means no end.\n\
         *Tests* counts the test expectations whose `by` list names the rule.\n",
    );
    council_table(&mut out, program, council);

    for (regime, mut rules) in regimes {
        rules.sort_by_key(|&i| program.rules.get(i).map(|r| r.id.as_str()));
        let _ = writeln!(out, "\n## {}\n", cell(regime));
        out.push_str("| Measure | Citations | In force | Rule | Tests |\n");
        out.push_str("|---|---|---|---|---|\n");
        for rule in rules.iter().filter_map(|&i| program.rules.get(i)) {
            let tests = program
                .tests
                .iter()
                .flat_map(|t| &t.expects)
                .filter(|e| e.rules.as_ref().is_some_and(|r| r.contains(&rule.id)))
                .count();
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}` | {tests} |",
                title(rule.title.as_deref()),
                citations(&rule.citations),
                intervals(&rule.intervals),
                rule.id,
            );
        }
        timeline(&mut out, program, &rules);
    }

    out.push_str("\n## Exceptions\n\n");
    if program.exceptions.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(
            "*Lifted in tests* counts the test expectations in which the exception lifted a finding.\n\n\
             | Exception | Measure | Citations | Overrides | In force | Lifted in tests |\n\
             |---|---|---|---|---|---|\n",
        );
        let mut exceptions: Vec<(usize, &crate::ir::Exception)> =
            program.exceptions.iter().enumerate().collect();
        exceptions.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        for (idx, exc) in exceptions {
            let mut overrides: Vec<String> = program
                .rules
                .iter()
                .filter(|r| r.exceptions.contains(&idx))
                .map(|r| format!("`{}`", r.id))
                .collect();
            overrides.sort();
            let by = format!("exception {}", exc.id);
            let lifted = outcomes
                .iter()
                .filter(|o| o.lifted.iter().any(|l| l.by == by))
                .count();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {lifted} |",
                exc.id,
                title(exc.title.as_deref()),
                citations(&exc.citations),
                if overrides.is_empty() {
                    "nothing".to_string()
                } else {
                    overrides.join(", ")
                },
                intervals(&exc.intervals),
            );
        }
    }

    out.push_str("\n## Deliberately not encoded\n\n");
    if not_encoded.is_empty() {
        out.push_str("None listed.\n");
    } else {
        out.push_str(
            "From `docs/not-encoded/*.yaml`. *Binds*: `parties` (a record can fall under it: the rule \
             named gives it `review`), `states` (duties of States alone: no verdict changes), \
             `exemption` (leaving it out never makes a record `clear`), `encoded` (the rules named \
             decide the records it reaches).\n\n\
             | Regime | Measure | Citation | Binds | Rules | Reason |\n|---|---|---|---|---|---|\n",
        );
        let mut sorted: Vec<&NotEncoded> = not_encoded.iter().collect();
        sorted.sort_by(|a, b| {
            (&a.regime, &a.citation, &a.measure).cmp(&(&b.regime, &b.citation, &b.measure))
        });
        for n in sorted {
            let rules: Vec<String> = n
                .rule
                .iter()
                .chain(&n.by)
                .map(|r| format!("`{r}`"))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                cell(&n.regime),
                cell(&n.measure),
                cell(&n.citation),
                n.binds.as_str(),
                if rules.is_empty() {
                    "-".to_string()
                } else {
                    rules.join(", ")
                },
                cell(&n.reason)
            );
        }
    }
    out
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

/// The table of the Council's regimes: which regimes of the pack encode each, and the first and
/// last days any of their rules is in force
fn council_table(out: &mut String, program: &Program, council: &[CouncilRegime]) {
    if council.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## The Council's regimes\n\n\
         The Security Council counts {} sanctions regimes since 1966 (`docs/regimes.yaml`); each is \
         encoded by the regimes of the pack named here. *First day* and *last day* are those of \
         any rule of those regimes (\"in force\": a rule has no end).\n\n\
         | Council regime | Established by | Pack regimes | Rules | First day | Last day |\n\
         |---|---|---|---|---|---|",
        council.len()
    );
    for c in council {
        let rules: Vec<&crate::ir::Rule> = program
            .rules
            .iter()
            .filter(|r| c.pack.contains(&r.regime))
            .collect();
        let first = rules
            .iter()
            .flat_map(|r| &r.intervals)
            .map(|i| i.from)
            .min();
        let open = rules
            .iter()
            .flat_map(|r| &r.intervals)
            .any(|i| i.until.is_none());
        let last = rules
            .iter()
            .flat_map(|r| &r.intervals)
            .filter_map(|i| i.until)
            .max();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&c.name),
            cell(&c.established),
            c.pack
                .iter()
                .map(|p| cell(p))
                .collect::<Vec<_>>()
                .join(", "),
            rules.len(),
            first.map_or_else(|| "-".to_string(), |d| d.to_string()),
            if open {
                "in force".to_string()
            } else {
                last.map_or_else(|| "-".to_string(), |d| d.to_string())
            },
        );
    }
}

/// A regime's timeline: each day one of its rules began, stopped or resumed, with the cited
/// paragraph that took effect on that day, if the rule cites one
fn timeline(out: &mut String, program: &Program, rules: &[usize]) {
    // (day, order, text): order 0 for a day a rule stops, 1 for a day it begins.
    let mut events: Vec<(chrono::NaiveDate, u8, String)> = Vec::new();
    for rule in rules.iter().filter_map(|&i| program.rules.get(i)) {
        let by = |day: chrono::NaiveDate| {
            let cited: Vec<String> = rule
                .citations
                .iter()
                .filter(|c| c.adopted == Some(day))
                .map(|c| format!("{} {}", c.resolution, c.paragraph))
                .collect();
            if cited.is_empty() {
                String::new()
            } else {
                format!(" ({})", cited.join("; "))
            }
        };
        let mut sorted: Vec<&Interval> = rule.intervals.iter().collect();
        sorted.sort_by_key(|i| i.from);
        for (n, iv) in sorted.iter().enumerate() {
            let verb = if n == 0 { "begins" } else { "resumes" };
            events.push((iv.from, 1, format!("`{}` {verb}{}", rule.id, by(iv.from))));
            if let Some(next) = iv.until.and_then(|u| u.succ_opt()) {
                let verb = if n + 1 < sorted.len() {
                    "stops"
                } else {
                    "ends"
                };
                events.push((
                    next,
                    0,
                    format!(
                        "`{}` {verb}, its last day {}{}",
                        rule.id,
                        iv.until.map(|u| u.to_string()).unwrap_or_default(),
                        by(next)
                    ),
                ));
            }
        }
    }
    if events.is_empty() {
        return;
    }
    events.sort();
    out.push_str("\nTimeline:\n\n");
    for (day, _, text) in events {
        let _ = writeln!(out, "- {day}: {text}");
    }
}

/// `1 rule`, `2 rules`
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Text made safe for one Markdown table cell
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn title(title: Option<&str>) -> String {
    title.map_or_else(|| "(no title)".to_string(), cell)
}

fn citations(citations: &[Citation]) -> String {
    if citations.is_empty() {
        return "(none)".to_string();
    }
    citations
        .iter()
        .map(|c| {
            let mark = if c.unconfirmed { " (unconfirmed)" } else { "" };
            cell(&format!("{} {}{mark}", c.resolution, c.paragraph))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn intervals(intervals: &[Interval]) -> String {
    if intervals.is_empty() {
        return "never".to_string();
    }
    intervals
        .iter()
        .map(|i| match i.until {
            Some(until) => format!("{} to {until}", i.from),
            None => format!("from {}", i.from),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn not_encoded_files_are_lists_and_errors_name_the_file_and_entry() {
        let ok = "- regime: DPRK\n  measure: Asset freeze\n  citation: S/RES/1718 (2006) 8(d)\n  reason: lists\n  binds: states\n";
        assert_eq!(parse_not_encoded("a.yaml", ok).unwrap().len(), 1);
        assert!(parse_not_encoded("empty.yaml", "").unwrap().is_empty());
        let bad = format!("{ok}- regime: DPRK\n  measure: Travel ban\n");
        let err = parse_not_encoded("b.yaml", &bad).unwrap_err();
        assert!(
            err.starts_with("b.yaml: entry 2 (\"Travel ban\"): "),
            "{err}"
        );
        let err = parse_not_encoded("c.yaml", "regime: DPRK\n").unwrap_err();
        assert!(err.starts_with("c.yaml: "), "{err}");
    }

    #[test]
    fn rules_exceptions_and_omissions_are_tabled() {
        let text = r#"
resolution "S/RES/2270 (2016)" adopted 2016-03-02
regime T { list "T" }
rule t.coal {
  title "Coal | lignite"
  regime T
  cites "S/RES/2270 (2016)" 29, "S/RES/2270 (2016)" 30 unconfirmed
  in force from 2016-03-02 until 2017-08-04
  when activity == trade and any goods g: g.hs within 2701
  then prohibited "{g} coal"
}
exception t.transit {
  cites "S/RES/2270 (2016)" 29(a)
  in force from 2016-03-02
  overrides t.coal
  when any transit t: t == LY-BA
}
test "coal" {
  record {activity: trade, origin: KP, goods: [{hs: "2701"}]}
  on 2016-03-02 expect prohibited by t.coal
}
test "coal in transit" {
  record {activity: trade, origin: KP, transit: [LY-BA], goods: [{hs: "2701"}]}
  on 2016-03-02 expect clear
}
"#;
        let (program, diagnostics) = crate::compile::compile(&[SourceFile::new("t.rules", text)]);
        let Some(program) = program else {
            panic!("{diagnostics:?}");
        };
        let outcomes = crate::testing::run_tests(&program);
        let omitted = [NotEncoded {
            regime: "T".into(),
            measure: "Travel ban".into(),
            citation: "S/RES/2270 (2016) 10".into(),
            reason: "no traveller in a record".into(),
            binds: Binds::Encoded,
            by: vec!["t.coal".into()],
            rule: None,
        }];
        let md = coverage_markdown(&program, &outcomes, &omitted, &[]);
        assert!(
            md.contains(
                "| Coal \\| lignite | S/RES/2270 (2016) 29; S/RES/2270 (2016) 30 (unconfirmed) \
             | 2016-03-02 to 2017-08-04 | `t.coal` | 1 |"
            ),
            "{md}"
        );
        assert!(md.contains(
            "| `t.transit` | (no title) | S/RES/2270 (2016) 29(a) | `t.coal` | from 2016-03-02 | 1 |"
        ), "{md}");
        assert!(
            md.contains(
                "| T | Travel ban | S/RES/2270 (2016) 10 | encoded | `t.coal` | no traveller in a record |"
            ),
            "{md}"
        );
        assert_eq!(md, coverage_markdown(&program, &outcomes, &omitted, &[]));
    }

    fn entry(binds: &str, extra: &str) -> String {
        format!(
            "- regime: T\n  measure: M\n  citation: S/RES/1 (2000) 1\n  reason: r\n  binds: {binds}\n{extra}"
        )
    }

    #[test]
    fn binds_must_come_with_the_right_fields() {
        assert!(parse_not_encoded("a.yaml", &entry("states", "")).is_ok());
        assert!(parse_not_encoded("a.yaml", &entry("exemption", "")).is_ok());
        assert!(
            parse_not_encoded("a.yaml", &entry("parties", "  rule: un.not_encoded.t\n")).is_ok()
        );
        assert!(parse_not_encoded("a.yaml", &entry("encoded", "  by: [t.a]\n")).is_ok());
        for (binds, extra, message) in [
            ("parties", "", "`binds: parties` needs `rule`"),
            ("encoded", "", "`binds: encoded` needs `by`"),
            (
                "states",
                "  rule: un.not_encoded.t\n",
                "take no `rule` nor `by`",
            ),
            ("exemption", "  by: [t.a]\n", "take no `rule` nor `by`"),
        ] {
            let err = parse_not_encoded("a.yaml", &entry(binds, extra)).unwrap_err();
            assert!(err.starts_with("a.yaml: entry 1 (\"M\"): "), "{err}");
            assert!(err.contains(message), "{err}");
        }
        let err = parse_not_encoded("a.yaml", &entry("nobody", "")).unwrap_err();
        assert!(err.contains("unknown variant `nobody`"), "{err}");
        let err = parse_not_encoded(
            "a.yaml",
            "- regime: T\n  measure: M\n  citation: C\n  reason: r\n",
        )
        .unwrap_err();
        assert!(err.contains("missing field `binds`"), "{err}");
    }

    #[test]
    fn a_measure_binding_parties_needs_its_review_rule() {
        let text = r#"
resolution "S/RES/1 (2000)" adopted 2000-01-01
regime T { list "T" }
regime U { list "U" }
rule un.not_encoded.t {
  regime T
  cites "S/RES/1 (2000)" 1
  in force from 2000-01-01
  when activity == trade and destination within KP
  then review "a measure not encoded"
}
rule un.not_encoded.orphan {
  regime T
  cites "S/RES/1 (2000)" 2
  in force from 2000-01-01
  when activity == trade and destination within IR
  then review "no entry names it"
}
rule t.freeze {
  regime T
  cites "S/RES/1 (2000)" 3
  in force from 2000-01-01
  when activity == payment and destination within KP
  then prohibited "a measure"
}
"#;
        let (program, diagnostics) = crate::compile::compile(&[SourceFile::new("t.rules", text)]);
        let Some(program) = program else {
            panic!("{diagnostics:?}");
        };
        let parse = |yaml: &str| parse_not_encoded("a.yaml", yaml).unwrap();
        let good = parse(&entry("parties", "  rule: un.not_encoded.t\n"));
        let problems = not_encoded_problems(&program, &good);
        // Only the rule no entry names.
        assert_eq!(
            problems,
            [
                "rule `un.not_encoded.orphan` is named by no `binds: parties` entry of docs/not-encoded"
            ]
        );
        let mut all = good.clone();
        all.extend(parse(&entry("parties", "  rule: un.not_encoded.orphan\n")));
        assert!(not_encoded_problems(&program, &all).is_empty());

        for (extra, message) in [
            (
                "  rule: un.not_encoded.missing\n",
                "its rule `un.not_encoded.missing` is not in the rule pack",
            ),
            (
                "  rule: t.freeze\n",
                "is not one of rules/not-encoded.rules",
            ),
            (
                "  rule: t.freeze\n",
                "its rule `t.freeze` gives prohibited, not review",
            ),
        ] {
            let mut entries = all.clone();
            entries.extend(parse(&entry("parties", extra)));
            let problems = not_encoded_problems(&program, &entries);
            assert!(problems.iter().any(|p| p.contains(message)), "{problems:?}");
        }
        let mut entries = all.clone();
        entries.extend(parse(&entry("encoded", "  by: [t.freeze, t.gone]\n")));
        assert_eq!(
            not_encoded_problems(&program, &entries),
            ["M (T, S/RES/1 (2000) 1): `by` names `t.gone`, which is not in the rule pack"]
        );
        let mut other_regime = all.clone();
        other_regime[0].regime = "U".into();
        let problems = not_encoded_problems(&program, &other_regime);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("is of the regime T, not U")),
            "{problems:?}"
        );
    }
}
