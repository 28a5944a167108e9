//! Lints: warnings about rules that compile but cannot do what their author meant.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::{Common, Decls};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId};
use crate::ir::{self, Cond, Interval, Ord6};
use crate::model::Place;
use crate::source::Span;

/// What kind of item a declaration is
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DeclKind {
    Resolution,
    Regime,
    Set,
}

impl DeclKind {
    fn describe(self) -> &'static str {
        match self {
            DeclKind::Resolution => "resolution",
            DeclKind::Regime => "regime",
            DeclKind::Set => "set",
        }
    }
}

/// A declaration that rules and exceptions are expected to use
#[derive(Clone, Debug)]
pub(super) struct Declared {
    pub(super) kind: DeclKind,
    pub(super) name: String,
    pub(super) file: FileId,
    /// The span of its name
    pub(super) span: Span,
}

/// The names that rules and exceptions use
#[derive(Default)]
pub(super) struct Used {
    pub(super) sets: BTreeSet<String>,
    resolutions: BTreeSet<String>,
    regimes: BTreeSet<String>,
    /// The first days of intervals (in force or of a note), and the days after their last
    boundaries: BTreeSet<NaiveDate>,
}

impl Used {
    /// Records the regime and the resolutions named by a rule's or an exception's clauses
    pub(super) fn note(&mut self, c: &Common) {
        if let Some(regime) = &c.regime {
            self.regimes.insert(regime.node.clone());
        }
        self.resolutions
            .extend(c.citations.iter().map(|cite| cite.resolution.clone()));
        let intervals = c
            .intervals
            .iter()
            .chain(c.notes.iter().filter_map(|n| n.during.as_ref()));
        for iv in intervals {
            self.boundaries.insert(iv.from);
            if let Some(next) = iv.until.and_then(|u| u.succ_opt()) {
                self.boundaries.insert(next);
            }
        }
    }
}

/// One citation of a rule or an exception, with the days the lints compare
#[derive(Clone, Debug)]
pub(super) struct Cited {
    /// `"S/RES/1591 (2005)" 3(d)`, for messages
    pub(super) text: String,
    /// The day the resolution was adopted
    pub(super) adopted: NaiveDate,
    /// The day the cited paragraph took effect: its `from`, else the adoption
    pub(super) effective: NaiveDate,
    /// Marked `unconfirmed`
    pub(super) unconfirmed: bool,
    /// The symbol and paragraph
    pub(super) span: Span,
}

/// A rule's days and citations, as W306 compares them across the pack
pub(super) struct RuleDays {
    pub(super) file: FileId,
    pub(super) cited: Vec<Cited>,
    /// The first day in force and the span of that interval
    pub(super) first: Option<(NaiveDate, Span)>,
}

/// W306: a paragraph that took effect on a day when no rule citing it is yet in force. A
/// measure runs from the first resolution that imposed it: some rule citing the paragraph must
/// start on the day it took effect (its `from`, else the adoption). A widening may start later
/// and cite the paragraph it widens, as long as the rule of the original measure starts on time.
pub(super) fn late_start(rules: &[RuleDays], diagnostics: &mut Diagnostics) {
    // For each cited paragraph: the day it took effect, and the rule citing it that starts first.
    let mut paragraphs: BTreeMap<&str, (NaiveDate, NaiveDate, usize)> = BTreeMap::new();
    for (i, rule) in rules.iter().enumerate() {
        let Some((first, _)) = rule.first else {
            continue;
        };
        for c in &rule.cited {
            let entry = paragraphs
                .entry(c.text.as_str())
                .or_insert((c.effective, first, i));
            entry.0 = entry.0.min(c.effective);
            if first < entry.1 {
                entry.1 = first;
                entry.2 = i;
            }
        }
    }
    for (text, (effective, first, i)) in paragraphs {
        let Some(rule) = rules.get(i) else { continue };
        let Some((_, span)) = rule.first else {
            continue;
        };
        if first > effective {
            diagnostics.push(
                Diagnostic::new(
                    Code::W306,
                    rule.file,
                    span,
                    format!(
                        "{text} took effect on {effective}, but no rule citing it is in force before {first}"
                    ),
                )
                .with_label("later than the law")
                .with_help(format!(
                    "a measure runs from the first resolution that imposed it: start the rule on {effective}; if the text sets a later day for that paragraph, say so (`cites {text} from DATE`); a later widening is its own rule, beside the rule of the original measure"
                )),
            );
        }
    }
}

/// W307: a rule that stops and resumes, when no resolution it cites was adopted or took effect
/// on the last day before the gap, the first day of the gap, or the day it resumes.
pub(super) fn unexplained_gaps(
    cited: &[Cited],
    intervals: &[Interval],
    spans: &[Span],
    file: FileId,
    diagnostics: &mut Diagnostics,
) {
    let mut sorted: Vec<(&Interval, &Span)> = intervals.iter().zip(spans).collect();
    sorted.sort_by_key(|(iv, _)| iv.from);
    for pair in sorted.windows(2) {
        let [(before, _), (after, span)] = pair else {
            continue;
        };
        let Some(last) = before.until else { continue };
        let Some(gap_start) = last.succ_opt() else {
            continue;
        };
        if gap_start >= after.from {
            continue;
        }
        let days = [last, gap_start, after.from];
        let explained = cited
            .iter()
            .any(|c| days.contains(&c.adopted) || days.contains(&c.effective));
        if !explained {
            diagnostics.push(
                Diagnostic::new(
                    Code::W307,
                    file,
                    **span,
                    format!(
                        "the rule stops after {last} and resumes on {}, and no resolution it cites was adopted or took effect on either side of the gap",
                        after.from
                    ),
                )
                .with_label("unexplained gap")
                .with_help("cite the resolution that suspended or ended the measure and the one that reinstated it (with `from DATE` where the text set the day)"),
            );
        }
    }
}

/// A citation marked `unconfirmed`, with what W308 needs to judge it
pub(super) struct Unconfirmed {
    /// The regime of the rule; for an exception, those of the rules it overrides
    pub(super) regimes: Vec<String>,
    pub(super) file: FileId,
    pub(super) cited: Cited,
}

/// W308: a citation marked `unconfirmed` in a regime that a rule still holds in force (an
/// interval with no last day). Ended regimes keep their marks, explained in docs/sources.md.
pub(super) fn unconfirmed_in_force(
    marks: &[Unconfirmed],
    rules: &[ir::Rule],
    diagnostics: &mut Diagnostics,
) {
    let active: BTreeSet<&str> = rules
        .iter()
        .filter(|r| r.intervals.iter().any(|iv| iv.until.is_none()))
        .map(|r| r.regime.as_str())
        .collect();
    for mark in marks {
        if let Some(regime) = mark.regimes.iter().find(|r| active.contains(r.as_str())) {
            diagnostics.push(
                Diagnostic::new(
                    Code::W308,
                    mark.file,
                    mark.cited.span,
                    format!(
                        "{} is marked `unconfirmed`, and the {} regime is still in force",
                        mark.cited.text, regime
                    ),
                )
                .with_label("not confirmed against the text")
                .with_help("read the paragraph in the resolution's text and remove the mark, or correct the citation"),
            );
        }
    }
}

/// Why a condition can never be true, and what to check
pub(super) struct NeverFires {
    pub(super) reason: String,
    pub(super) help: &'static str,
}

const HELP_CONTRADICTION: &str =
    "check the condition: two tests on the same field contradict each other";
const HELP_FALSE: &str = "a condition that is `false` never holds: write the test it stands for";
const HELP_DATE: &str = "the rule is judged on the record's date, which must also be in force: check the date test against `in force`";
const HELP_COUNT: &str = "a count is never negative: compare it with a number it can reach";

/// The day the UN Charter entered into force: no Security Council measure applies before it
pub(super) fn charter_in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(1945, 10, 24).unwrap_or(NaiveDate::MIN)
}

/// W300: why a rule's condition can never be true on a day the rule is in force, if the checker
/// can see it
pub(super) fn never_fires(cond: &Cond, intervals: &[Interval]) -> Option<NeverFires> {
    let found = |reason: &str, help| {
        Some(NeverFires {
            reason: reason.to_string(),
            help,
        })
    };
    match cond {
        Cond::Const(false) => found("always false", HELP_FALSE),
        Cond::Cmp(_, ir::Test::SymIn(v)) if v.is_empty() => {
            found("membership in an empty list", HELP_CONTRADICTION)
        }
        Cond::Cmp(ir::Access::Date, ir::Test::Date(..)) => {
            date_contradiction(std::slice::from_ref(cond), intervals)
        }
        Cond::And(parts) => {
            if let Some(r) = parts.iter().find_map(|p| never_fires(p, intervals)) {
                return Some(r);
            }
            let mut seen: HashMap<String, Vec<u8>> = HashMap::new();
            for p in parts {
                if let Cond::Cmp(access, ir::Test::SymIn(codes)) = p {
                    let key = format!("{access:?}");
                    let entry = seen.entry(key).or_insert_with(|| codes.clone());
                    entry.retain(|c| codes.contains(c));
                    if entry.is_empty() {
                        return found(
                            "two tests on the same field cannot both hold",
                            HELP_CONTRADICTION,
                        );
                    }
                }
            }
            if let Some(r) = place_contradiction(parts) {
                return Some(r);
            }
            date_contradiction(parts, intervals)
        }
        // An `or` has two parts or more (the parser makes one only then)
        Cond::Or(parts) => {
            let reasons: Vec<NeverFires> = parts
                .iter()
                .filter_map(|p| never_fires(p, intervals))
                .collect();
            if reasons.len() != parts.len() {
                return None;
            }
            let help = reasons.first().map_or(HELP_CONTRADICTION, |r| r.help);
            Some(NeverFires {
                reason: reasons
                    .into_iter()
                    .map(|r| r.reason)
                    .collect::<Vec<_>>()
                    .join("; "),
                help,
            })
        }
        Cond::Quant {
            quantifier: ir::Quantifier::Any,
            body,
            ..
        } => never_fires(body, intervals),
        Cond::Count { op, n, body, .. } => {
            // The language writes no negative number: `< 0` is the only bound no count meets
            let no_count_passes = matches!(op, Ord6::Lt) && *n <= 0;
            if no_count_passes {
                return found(&format!("a count is never {} {n}", op.as_str()), HELP_COUNT);
            }
            // At least one element must satisfy a body that nothing satisfies.
            let needs_one = match op {
                Ord6::Gt => *n >= 0,
                Ord6::Ge | Ord6::Eq => *n >= 1,
                _ => false,
            };
            if needs_one {
                never_fires(body, intervals)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Two place tests of one field in a conjunction that no place passes together: `within KP` and
/// `within IR`, or `== KP` and `within UA`
fn place_contradiction(parts: &[Cond]) -> Option<NeverFires> {
    // For each field: (exact, places) of each test on it.
    let mut seen: Vec<(&ir::Access, bool, &[Place])> = Vec::new();
    for p in parts {
        let (access, exact, places) = match p {
            Cond::Cmp(access, ir::Test::PlaceIs(places)) => (access, true, places.as_slice()),
            Cond::Cmp(access, ir::Test::PlaceWithin(places)) => (access, false, places.as_slice()),
            _ => continue,
        };
        for (other_access, other_exact, other_places) in &seen {
            if *other_access != access {
                continue;
            }
            let compatible = places.iter().any(|a| {
                other_places.iter().any(|b| match (exact, *other_exact) {
                    (true, true) => a == b,
                    (true, false) => a.may_be_within(b),
                    (false, true) => b.may_be_within(a),
                    (false, false) => places_meet(a, b),
                })
            });
            if !compatible {
                return Some(NeverFires {
                    reason: "no place passes both tests of this field".to_string(),
                    help: "a place lies within its own country only: test one of the places with `within [..., ...]`",
                });
            }
        }
        seen.push((access, exact, places));
    }
    None
}

/// Whether some place may lie within both `a` and `b` on some day: one within the other, or a
/// place within both (`SS` within `SD` until 2011 and within `SS`; `RS` within `YU` and `CS`)
fn places_meet(a: &Place, b: &Place) -> bool {
    a.may_be_within(b)
        || b.may_be_within(a)
        || a.dated_countries()
            .iter()
            .any(|c| b.dated_countries().contains(c) || b.country_code() == *c)
        || b.dated_countries().contains(&a.country_code())
}

/// Tests of the record's `date` in a conjunction that no day in force passes
fn date_contradiction(parts: &[Cond], intervals: &[Interval]) -> Option<NeverFires> {
    let mut lo = NaiveDate::MIN;
    let mut hi = NaiveDate::MAX;
    let mut any = false;
    for p in parts {
        let Cond::Cmp(ir::Access::Date, ir::Test::Date(op, day)) = p else {
            continue;
        };
        any = true;
        let (from, until) = match op {
            Ord6::Eq => (Some(*day), Some(*day)),
            Ord6::Lt => (None, Some(day.pred_opt().unwrap_or(NaiveDate::MIN))),
            Ord6::Le => (None, Some(*day)),
            Ord6::Gt => (Some(day.succ_opt().unwrap_or(NaiveDate::MAX)), None),
            Ord6::Ge => (Some(*day), None),
            // `!=` is lowered as the negation of `==`; this arm is never reached.
            Ord6::Ne => (None, None),
        };
        lo = lo.max(from.unwrap_or(NaiveDate::MIN));
        hi = hi.min(until.unwrap_or(NaiveDate::MAX));
    }
    if !any {
        return None;
    }
    if lo > hi {
        return Some(NeverFires {
            reason: "no date passes these tests together".to_string(),
            help: HELP_DATE,
        });
    }
    let tested = Interval {
        from: lo,
        until: Some(hi),
    };
    let meets_one = intervals.iter().any(|iv| overlaps(iv, &tested));
    if intervals.is_empty() || meets_one {
        return None;
    }
    Some(NeverFires {
        reason: "no day the rule is in force passes the test of `date`".to_string(),
        help: HELP_DATE,
    })
}

fn overlaps(a: &Interval, b: &Interval) -> bool {
    let a_end = a.until.unwrap_or(NaiveDate::MAX);
    let b_end = b.until.unwrap_or(NaiveDate::MAX);
    a.from <= b_end && b.from <= a_end
}

/// W303: a rule whose every interval ends before the UN Charter entered into force
pub(super) fn never_in_force(
    intervals: &[Interval],
    file: FileId,
    head: Span,
    diagnostics: &mut Diagnostics,
) {
    let charter = charter_in_force();
    let Some(last) = intervals
        .iter()
        .map(|iv| iv.until.unwrap_or(NaiveDate::MAX))
        .max()
    else {
        return;
    };
    if last < charter {
        diagnostics.push(
            Diagnostic::new(
                Code::W303,
                file,
                head,
                format!(
                    "the rule is never in force after the UN Charter entered into force ({charter})"
                ),
            )
            .with_label(format!("its last day in force is {last}"))
            .with_help("check the years of its dates and of the resolutions it cites"),
        );
    }
}

/// W309: a place named by `within` by today's code where, on every day the rule is in force,
/// it lay within a country that no longer exists (`within ZW` in a rule of 1966-1979: name `RH`)
pub(super) fn places_of_today(
    cond: &Cond,
    intervals: &[Interval],
    file: FileId,
    span: Span,
    diagnostics: &mut Diagnostics,
) {
    let Some(from) = intervals.iter().map(|iv| iv.from).min() else {
        return;
    };
    // An open interval reaches today, when every former country has ended.
    let Some(until) = intervals
        .iter()
        .map(|iv| iv.until)
        .try_fold(NaiveDate::MIN, |last, u| u.map(|u| last.max(u)))
    else {
        return;
    };
    let mut named = Vec::new();
    within_places(cond, &mut named);
    let mut seen: Vec<Place> = Vec::new();
    for place in named {
        if seen.contains(&place) {
            continue;
        }
        seen.push(place);
        if let Some(former) = place.former_country(from, until) {
            let name = former
                .withdrawn()
                .next()
                .and_then(|w| w.names.first().copied())
                .unwrap_or("");
            diagnostics.push(
                Diagnostic::new(
                    Code::W309,
                    file,
                    span,
                    format!(
                        "`{place}` lay within `{former}` ({name}) on every day the rule is in force"
                    ),
                )
                .with_label(format!(
                    "`within {place}`: a record naming `{former}` is not caught"
                ))
                .with_help(format!(
                    "name the territory of the time, `within {former}`: a record naming `{place}` \
then lies within it too (docs/records.md, Places)"
                )),
            );
        }
    }
}

/// The places `cond` tests with `within`, in order
fn within_places(cond: &Cond, out: &mut Vec<Place>) {
    match cond {
        Cond::Cmp(_, ir::Test::PlaceWithin(places)) => out.extend(places.iter().copied()),
        Cond::And(parts) | Cond::Or(parts) => parts.iter().for_each(|p| within_places(p, out)),
        Cond::Not(inner) => within_places(inner, out),
        Cond::Quant { body, .. } | Cond::Count { body, .. } => within_places(body, out),
        _ => {}
    }
}

/// W304: rules with the same condition that cite the same paragraphs; spans, titles, verdicts
/// and dates are not compared. Only rules that compiled without error (`clean`) are compared.
pub(super) fn duplicate_rules(
    rules: &[ir::Rule],
    spans: &[(FileId, Span)],
    clean: &[bool],
    diagnostics: &mut Diagnostics,
) {
    let citations = |rule: &ir::Rule| -> BTreeSet<(String, String)> {
        rule.citations
            .iter()
            .map(|c| (c.resolution.clone(), c.paragraph.clone()))
            .collect()
    };
    let keys: Vec<BTreeSet<(String, String)>> = rules.iter().map(citations).collect();
    let is_clean = |i: usize| clean.get(i).copied().unwrap_or(false);
    // Rules are grouped by the text of their condition (`Debug`, which equal conditions share)
    // and compared only within their group: comparing each rule with every earlier one made
    // `check` quadratic in the number of rules. Within a group, `==` decides.
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (rule, key)) in rules.iter().zip(&keys).enumerate() {
        if !is_clean(i) {
            continue;
        }
        let group = groups.entry(format!("{:?}", rule.cond)).or_default();
        let earlier = group.iter().copied().find(|&j| {
            rules.get(j).is_some_and(|other| other.cond == rule.cond)
                && keys.get(j).is_some_and(|other_key| other_key == key)
        });
        group.push(i);
        let first = earlier.and_then(|j| Some((rules.get(j)?, spans.get(j)?)));
        let (Some((first, (first_file, first_span))), Some((file, span))) = (first, spans.get(i))
        else {
            continue;
        };
        diagnostics.push(
            Diagnostic::new(
                Code::W304,
                *file,
                *span,
                format!("the rule `{}` repeats the rule `{}`", rule.id, first.id),
            )
            .with_label("same condition and citations")
            .with_related(*first_file, *first_span, format!("`{}` is here", first.id))
            .with_help(format!(
                "remove one, or merge them: `{}` can list several intervals in `in force`",
                first.id
            )),
        );
    }
}

/// W305: declarations that no rule or exception uses. A resolution is used when it is cited,
/// or when an interval of a rule, an exception or a note starts on the day it was adopted or
/// ends the day before: the declaration is then the source of that date.
pub(super) fn unused_declarations(decls: &Decls, used: &Used, diagnostics: &mut Diagnostics) {
    for d in &decls.declared {
        let (is_used, help) = match d.kind {
            DeclKind::Resolution => (
                used.resolutions.contains(&d.name)
                    || decls
                        .resolutions
                        .get(&d.name)
                        .and_then(|info| info.adopted)
                        .is_some_and(|day| used.boundaries.contains(&day)),
                "cite it from the rules that implement it, or remove it",
            ),
            DeclKind::Regime => (
                used.regimes.contains(&d.name),
                "name it in the `regime` clause of its rules, or remove it",
            ),
            DeclKind::Set => (
                used.sets.contains(&d.name),
                "test a field against it (`in` or `within`), or remove it",
            ),
        };
        if is_used {
            continue;
        }
        let shown = match d.kind {
            DeclKind::Resolution => format!("\"{}\"", d.name),
            _ => format!("`{}`", d.name),
        };
        diagnostics.push(
            Diagnostic::new(
                Code::W305,
                d.file,
                d.span,
                format!("the {} {shown} is never used", d.kind.describe()),
            )
            .with_label("declared here")
            .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::compile::compile;
    use crate::source::SourceFile;

    const HEAD: &str = r#"resolution "S/RES/1718 (2006)" adopted 2006-10-14
regime DPRK {}
"#;

    /// The codes the files produce, sorted, with repeats
    fn codes(files: &[(&str, &str)]) -> Vec<String> {
        let files: Vec<SourceFile> = files
            .iter()
            .map(|(name, text)| SourceFile::new(*name, *text))
            .collect();
        let (_, diagnostics) = compile(&files);
        let mut out: Vec<String> = diagnostics
            .iter()
            .map(|d| d.code.as_str().to_string())
            .collect();
        out.sort();
        out
    }

    fn rule(id: &str, in_force: &str, when: &str) -> String {
        format!(
            "rule {id} {{\n  regime DPRK\n  cites \"S/RES/1718 (2006)\" 8\n  in force {in_force}\n  when {when}\n  then review \"x\"\n}}\n"
        )
    }

    #[test]
    fn a_register_file_may_list_resolutions_that_no_rule_cites() {
        let register = r#"resolution "S/RES/1718 (2006)" adopted 2006-10-14
resolution "S/RES/2087 (2013)" adopted 2013-01-22
regime DPRK {}
"#;
        let rules = rule("x.a", "from 2006-10-14", "destination within KP");
        assert_eq!(
            codes(&[("un.rules", register), ("x.rules", &rules)]),
            Vec::<String>::new()
        );
        // The same declaration next to rules is reported.
        let together = format!("{register}{rules}");
        assert_eq!(codes(&[("x.rules", &together)]), ["W305"]);
    }

    #[test]
    fn no_unused_declaration_without_rules_or_with_errors() {
        let only_decls = format!("{HEAD}set arms_hs: hs = [93]\n");
        assert_eq!(codes(&[("x.rules", &only_decls)]), Vec::<String>::new());
        let with_error = format!(
            "{HEAD}set arms_hs: hs = [93]\n{}",
            rule("x.a", "from 2006-10-14", "destination within KPX")
        );
        assert_eq!(codes(&[("x.rules", &with_error)]), ["E210"]);
    }

    #[test]
    fn never_fires_sees_through_or_and_any_and_spares_satisfiable_tests() {
        let cases = [
            // Every branch of an `or` is contradictory.
            (
                "(destination within KP and destination within IR) or date < 2001-01-01",
                "W300",
            ),
            (
                "any parties p: p.country within KP and p.country == IR",
                "W300",
            ),
            (
                "count(goods g: g.hs within 93) > 0 and date == 2001-05-05",
                "W300",
            ),
            (
                "count(goods g: g.hs within 93 and date < 2000-01-01) >= 1",
                "W300",
            ),
            ("destination == UA-14 and destination within UA", ""),
            ("destination within KP or destination within IR", ""),
            ("not (destination within KP) and destination within IR", ""),
            // Two parties, not one.
            (
                "any parties p: p.country within KP and any parties q: q.country within IR",
                "",
            ),
            (
                "count(goods g: g.hs within 93) <= 0 and destination within KP",
                "",
            ),
            ("date >= 2006-10-14 and date <= 2006-10-14", ""),
        ];
        for (when, want) in cases {
            let text = format!("{HEAD}{}", rule("x.a", "from 2006-10-14", when));
            let want: Vec<&str> = if want.is_empty() { vec![] } else { vec![want] };
            assert_eq!(codes(&[("x.rules", &text)]), want, "{when}");
        }
    }

    #[test]
    fn a_date_test_is_checked_against_every_interval() {
        let text = format!(
            "{HEAD}{}",
            rule(
                "x.a",
                "from 2006-10-14 until 2007-12-31, from 2010-01-01",
                "destination within KP and date > 2008-01-01 and date < 2009-12-31"
            )
        );
        // The gap between the intervals is unexplained (W307): not what this test is about.
        let not_gaps = |c: Vec<String>| c.into_iter().filter(|c| c != "W307").collect::<Vec<_>>();
        assert_eq!(not_gaps(codes(&[("x.rules", &text)])), ["W300"]);
        let text = format!(
            "{HEAD}{}",
            rule(
                "x.a",
                "from 2006-10-14 until 2007-12-31, from 2010-01-01",
                "destination within KP and date > 2008-01-01"
            )
        );
        assert_eq!(not_gaps(codes(&[("x.rules", &text)])), Vec::<String>::new());
    }

    #[test]
    fn rules_with_errors_are_not_duplicates() {
        let text = format!(
            "{HEAD}{}{}",
            rule("x.a", "from 2006-10-14", "destination within KPX"),
            rule("x.b", "from 2006-10-14", "destination within KPY")
        );
        assert_eq!(codes(&[("x.rules", &text)]), ["E210", "E210"]);
    }

    #[test]
    fn never_in_force_reads_no_clock() {
        // Ended long ago, but after the Charter: records of those days are still judged.
        let text = format!(
            "{HEAD}{}",
            rule(
                "x.a",
                "from 2006-10-14 until 2007-01-01",
                "destination within KP"
            )
        );
        assert_eq!(codes(&[("x.rules", &text)]), Vec::<String>::new());
    }
}
