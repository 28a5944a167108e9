//! The evaluator: a compiled program and one record to a verdict. No names, no text, no I/O.

mod cond;
mod explain;
mod verdict;

pub use explain::{Explanation, Node, RuleExplanation, RuleStatus, Truth, Weighed, WeighedKind};
pub use verdict::{Finding, Lifted, MatchUsed, Outcome, Verdict};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::SmallVec;

use crate::ir::{Cond, Level, ListRef, Program, Rule, in_force};
use crate::model::{Designation, Hs, Money, Place, Transaction, Vocab};
use crate::screening::names::Strength;

use cond::{eval, matches_used, render};

/// Evaluates records against a compiled program; cheap to create, shared across threads
#[derive(Clone, Copy, Debug)]
pub struct Evaluator<'p> {
    program: &'p Program,
    /// The verdict of a `list.NAME` finding, by list name (default [`LIST_VERDICT`])
    list_verdicts: &'p [(String, Level)],
}

/// The verdict of a finding for a list match that no rule used, unless `--list-verdict` says
/// otherwise for its list
pub const LIST_VERDICT: Level = Level::Review;

/// A value read from the record
#[derive(Clone, Copy, Debug)]
enum V<'a> {
    Missing,
    Sym(Vocab, u8),
    Str(&'a str),
    Place(Place),
    Hs(Hs),
    Num(Decimal),
    Date(NaiveDate),
    Money(Money),
    SymList(Vocab, &'a [u8]),
    StrList(&'a [String]),
    PlaceList(&'a [Place]),
    Present,
}

thread_local! {
    /// The rules a record is judged by, reused from record to record on each thread
    static CANDIDATES: std::cell::Cell<Vec<usize>> = const { std::cell::Cell::new(Vec::new()) };
    /// One bit a rule, to gather the candidates of several countries in rule order
    static MARKS: std::cell::Cell<Vec<u64>> = const { std::cell::Cell::new(Vec::new()) };
}

/// What a record contains, gathered once so that rules it cannot satisfy are skipped
struct Facts {
    /// The country of every place in the record (sorted, deduplicated)
    countries: SmallVec<[[u8; 2]; 8]>,
    /// What its parties and vessels carry
    carried: crate::ir::Carried,
    /// The categories of its goods, a bit a code (`ir::GoodsNeed`)
    categories: u32,
    /// The HS chapters of its goods, a bit a chapter; every bit for a code without two digits
    chapters: u128,
}

/// What the parties and vessels of `t` carry: a party's `un_ref` is its own or that of a
/// designation of the UN list
fn carried(t: &Transaction) -> crate::ir::Carried {
    use crate::ir::Carried;
    let mut carried = Carried::NONE;
    for p in &t.parties {
        if p.ids.contains_key("un_ref") || p.designations.iter().any(|d| d.un_ref) {
            carried = carried.union(Carried::UN_REF);
        }
        if !p.tags.is_empty() {
            carried = carried.union(Carried::PARTY_TAGS);
        }
        if p.designations.iter().any(|d| !d.listed.is_empty()) {
            carried = carried.union(Carried::PARTY_LISTED);
        }
    }
    if t.vessels
        .iter()
        .any(|v| v.designations.iter().any(|d| !d.listed.is_empty()))
    {
        carried = carried.union(Carried::VESSEL_LISTED);
    }
    carried
}

impl Facts {
    fn of(t: &Transaction) -> Facts {
        // Held inline: a record names a handful of places, and this runs for every record
        let mut countries: SmallVec<[[u8; 2]; 8]> = SmallVec::new();
        let places = [t.origin, t.destination, t.location]
            .into_iter()
            .flatten()
            .chain(t.transit.iter().copied())
            .chain(t.parties.iter().filter_map(|p| p.country))
            .chain(t.vessels.iter().filter_map(|v| v.flag));
        for place in places {
            let code = place.country_code();
            if !countries.contains(&code) {
                countries.push(code);
            }
        }
        countries.sort_unstable();
        let (mut categories, mut chapters) = (0u32, 0u128);
        for item in &t.goods {
            for &code in &item.categories {
                categories |= 1u32.checked_shl(u32::from(code)).unwrap_or(0);
            }
            if let Some(hs) = &item.hs {
                chapters |= crate::ir::GoodsNeed::chapter(hs)
                    .and_then(|c| 1u128.checked_shl(c))
                    .unwrap_or(u128::MAX);
            }
        }
        Facts {
            categories,
            chapters,
            countries,
            carried: carried(t),
        }
    }

    /// What the record lacks of what a rule needs, in words: `no place in KP`, `no party with un_ref`
    fn missing(&self, needs: &crate::ir::Needs) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(wanted) = &needs.countries
            && !wanted
                .iter()
                .any(|c| self.countries.binary_search(c).is_ok())
        {
            let names: Vec<String> = wanted
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            out.push(format!("no place in {}", names.join(", ")));
        }
        for (kind, lacking) in crate::ir::Carried::KINDS {
            if needs.carried.contains(kind) && !self.carried.contains(kind) {
                out.push(lacking.to_string());
            }
        }
        if let Some(goods) = &needs.goods
            && !goods.met_by(self.categories, self.chapters)
        {
            let mut wanted: Vec<String> = (0..32u8)
                .filter(|&c| goods.categories & 1u32.checked_shl(u32::from(c)).unwrap_or(0) != 0)
                .map(|c| Vocab::Category.value(c).to_string())
                .collect();
            wanted.extend(
                (0..100u32)
                    .filter(|&c| goods.chapters & 1u128.checked_shl(c).unwrap_or(0) != 0)
                    .map(|c| format!("HS chapter {c:02}")),
            );
            out.push(format!("no goods of {}", wanted.join(", ")));
        }
        out
    }

    /// Whether the record has what a rule needs to be able to fire
    fn satisfy(&self, needs: &crate::ir::Needs) -> bool {
        if !self.carried.contains(needs.carried) {
            return false;
        }
        if let Some(goods) = &needs.goods
            && !goods.met_by(self.categories, self.chapters)
        {
            return false;
        }
        match &needs.countries {
            None => true,
            Some(wanted) => wanted
                .iter()
                .any(|c| self.countries.binary_search(c).is_ok()),
        }
    }
}

/// Why a condition could not be evaluated
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EvalError(String);

/// The binding of each variable slot: the element of its list, and for a party or vessel which
/// of its alternatives (0: as written; k: its designation k-1); and the day the record is judged
/// on, on which `within` reads the places (`ZW` is within `RH` until 17 April 1980). The slots
/// are held inline up to [`SLOTS_INLINE`] variables (a rule binds one for each list it ranges
/// over), so that judging a record allocates nothing for them.
#[derive(Debug)]
struct Env {
    slots: SmallVec<[Option<usize>; SLOTS_INLINE]>,
    alts: SmallVec<[usize; SLOTS_INLINE]>,
    date: NaiveDate,
}

/// How many variables' slots [`Env`] holds without allocating
const SLOTS_INLINE: usize = 8;

impl Env {
    fn new(date: NaiveDate) -> Env {
        Env {
            slots: SmallVec::new(),
            alts: SmallVec::new(),
            date,
        }
    }

    fn with_slots(n: usize, date: NaiveDate) -> Env {
        Env {
            slots: SmallVec::from_elem(None, n),
            alts: SmallVec::from_elem(0, n),
            date,
        }
    }

    fn reset(&mut self, n: usize) {
        self.slots.clear();
        self.slots.resize(n, None);
        self.alts.clear();
        self.alts.resize(n, 0);
    }
}

/// What judging a record reports as it goes, for `explain`; `evaluate` uses [`NoTrace`], whose
/// methods are empty and whose closures are never called, so the one code path costs nothing there
pub(crate) trait Tracer {
    /// Whether anything is recorded (`false` lets the compiler drop the tracing branches)
    const ON: bool;
    /// A rule or exception is about to be evaluated: the names of its variables, by slot
    fn begin(&mut self, _var_names: &[String]) {}
    /// A condition node starts
    fn open(&mut self) {}
    /// A remark on the node being evaluated (which element satisfied a quantifier)
    fn note(&mut self, _note: impl FnOnce() -> String) {}
    /// A condition node ends, with its outcome and, for a test, the value found
    fn close(
        &mut self,
        _cond: &Cond,
        _res: &Result<bool, EvalError>,
        _value: impl FnOnce() -> Option<String>,
    ) {
    }
    /// One element of a quantified list was tried
    fn close_elem(
        &mut self,
        _var: usize,
        _list: ListRef,
        _i: usize,
        _res: &Result<bool, EvalError>,
    ) {
    }
    /// A part of `and`/`or` was not evaluated (the outcome was already known)
    fn skipped(&mut self, _cond: &Cond) {}
    /// An exception or authorization was weighed; an exception's condition nodes are pending
    fn weigh(&mut self, _weighed: impl FnOnce() -> Weighed) {}
    /// A candidate rule is done
    fn rule(&mut self, _rule_idx: usize, _status: impl FnOnce() -> RuleStatus) {}
}

/// The tracer of `evaluate`: records nothing
pub(crate) struct NoTrace;

impl Tracer for NoTrace {
    const ON: bool = false;
}

impl<'p> Evaluator<'p> {
    /// An evaluator of `program`
    pub fn new(program: &'p Program) -> Self {
        Evaluator {
            program,
            list_verdicts: &[],
        }
    }

    /// The same evaluator, giving the `list.NAME` finding of a list match that no rule used
    /// the verdict `verdicts` names for its list (by [`Designation::list_name`]), else
    /// [`LIST_VERDICT`]
    pub fn with_list_verdicts(self, verdicts: &'p [(String, Level)]) -> Self {
        Evaluator {
            list_verdicts: verdicts,
            ..self
        }
    }

    /// Judges a record by the law in force on its own `date`
    pub fn evaluate(&self, t: &Transaction) -> Verdict {
        self.evaluate_on(t, t.date)
    }

    /// Judges a record as if it took place on `date`
    pub fn evaluate_on(&self, t: &Transaction, date: NaiveDate) -> Verdict {
        let mut verdict = self.judge(t, date, &mut NoTrace);
        verdict.id = Some(t.id.clone());
        verdict
    }

    /// [`Evaluator::evaluate`], moving the record's `id` into the verdict rather than copying it
    /// (`t.id` is left empty): for a caller that judges each record once and is then done with
    /// its id, as a stream is
    pub fn evaluate_taking_id(&self, t: &mut Transaction) -> Verdict {
        let mut verdict = self.judge(t, t.date, &mut NoTrace);
        verdict.id = Some(std::mem::take(&mut t.id));
        verdict
    }

    /// The one code path of `evaluate` and `explain`, reporting to `tr` as it goes; the
    /// verdict's `id` is the caller's to set
    fn judge<T: Tracer>(&self, t: &Transaction, date: NaiveDate, tr: &mut T) -> Verdict {
        let mut findings = Vec::new();
        let mut lifted = Vec::new();
        // One binding environment, reset for each rule, rather than one allocation per rule.
        let mut env = Env::new(date);
        let facts = Facts::of(t);
        let activity = usize::from(t.activity);
        // The rules to consider, in rule order: when tracing (`explain`), every rule of the
        // activity, each with why it was skipped; otherwise only those the record's countries
        // let fire (the index of `ir::Candidates`), in a buffer kept by the thread
        let mut candidates = CANDIDATES.with(std::cell::Cell::take);
        let mut marks = MARKS.with(std::cell::Cell::take);
        if T::ON {
            candidates.clear();
            if let Some(rules) = self.program.by_activity.get(activity) {
                candidates.extend_from_slice(rules);
            }
        } else if let Some(index) = self.program.candidates.get(activity) {
            index.of(&facts.countries, facts.carried, &mut marks, &mut candidates);
        } else {
            candidates.clear();
        }
        for &rule_idx in &candidates {
            let Some(rule) = self.program.rules.get(rule_idx) else {
                continue;
            };
            if !in_force(&rule.intervals, date) {
                tr.rule(rule_idx, || RuleStatus::OutOfForce);
                continue;
            }
            if let Some(needs) = self.program.needs.get(rule_idx)
                && !facts.satisfy(needs)
            {
                tr.rule(rule_idx, || RuleStatus::SkippedNeeds {
                    missing: facts.missing(needs),
                });
                continue;
            }
            env.reset(rule.vars.len());
            tr.begin(&rule.var_names);
            match eval(&rule.cond, t, &mut env, tr) {
                Ok(false) => tr.rule(rule_idx, || RuleStatus::NotFired),
                Ok(true) => {
                    // Taken before the exceptions are weighed: a lifted finding keeps them too.
                    let matches = matches_used(t, rule, &env);
                    if let Some(by) = self.lifted_by(rule, t, date, tr) {
                        tr.rule(rule_idx, || RuleStatus::Lifted { by: by.clone() });
                        lifted.push(Lifted {
                            rule: rule.id.clone(),
                            by,
                            matches,
                        });
                        continue;
                    }
                    tr.rule(rule_idx, || RuleStatus::Fired);
                    let mut notes = notes_on(rule, date);
                    let mut verdict = rule.level;
                    let mut reason = render(&rule.reason, t, &rule.vars, &env);
                    // A weak name match never prohibits: a person must confirm it first.
                    if let Some(weak) = matches
                        .iter()
                        .find(|m| m.designation.strength <= Strength::Weak)
                        && verdict > Level::Review
                    {
                        verdict = Level::Review;
                        notes.push(format!(
                            "{} rests on a weak match of {} to {} {} ({}, score {:.2}): confirm it; a confirmed designation makes this {}",
                            rule.id,
                            weak.of,
                            weak.designation.reference,
                            weak.designation.listed_name,
                            weak.designation.matched_by,
                            weak.designation.score,
                            rule.level.as_str()
                        ));
                        reason = format!("possible match, to confirm: {reason}");
                    }
                    findings.push(Finding {
                        rule: rule.id.clone(),
                        verdict,
                        regime: rule.regime.clone(),
                        citations: citations_on(rule, date),
                        reason,
                        notes,
                        matches,
                    });
                }
                Err(EvalError(message)) => {
                    tr.rule(rule_idx, || RuleStatus::Error {
                        message: message.clone(),
                    });
                    // Fail closed: a rule that cannot be evaluated asks for review.
                    findings.push(Finding {
                        rule: rule.id.clone(),
                        verdict: Level::Review,
                        regime: rule.regime.clone(),
                        citations: citations_on(rule, date),
                        reason: format!("error[E500]: the rule could not be evaluated: {message}"),
                        notes: notes_on(rule, date),
                        matches: Vec::new(),
                    });
                }
            }
        }
        CANDIDATES.with(|buffer| buffer.set(candidates));
        MARKS.with(|buffer| buffer.set(marks));
        // What was seen is never dropped: a list match no finding rests on is a finding of its own.
        let unused = self.unused_matches(t, &findings, &lifted);
        findings.extend(unused);
        let level = findings
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Level::Clear);
        Verdict {
            id: None,
            verdict: Outcome::Level(level),
            findings: Some(findings),
            errors: None,
            lifted,
            line: None,
            suppressed: Vec::new(),
        }
    }

    /// A `list.NAME` finding for each designation of a party or vessel that no finding (lifted
    /// or not) rests on: the list's verdict (`--list-verdict`, else [`LIST_VERDICT`]), never
    /// more than `review` for a weak match
    fn unused_matches(
        &self,
        t: &Transaction,
        findings: &[Finding],
        lifted: &[Lifted],
    ) -> Vec<Finding> {
        let used = |of: &str, d: &Designation| {
            findings
                .iter()
                .flat_map(|f| &f.matches)
                .chain(lifted.iter().flat_map(|l| &l.matches))
                .any(|m| {
                    m.of == of
                        && m.designation.list == d.list
                        && m.designation.reference == d.reference
                })
        };
        let elems = t
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| (ListRef::Parties, i, p.designations.as_slice()))
            .chain(
                t.vessels
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (ListRef::Vessels, i, v.designations.as_slice())),
            );
        let mut out = Vec::new();
        for (list, i, designations) in elems {
            if designations.is_empty() {
                continue;
            }
            let of = format!("{}[{i}]", list.name());
            for d in designations.iter().filter(|d| !used(&of, d)) {
                let name = d.list_name();
                let level = self
                    .list_verdicts
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(LIST_VERDICT, |(_, l)| *l);
                let mut notes = Vec::new();
                let verdict = if d.strength <= Strength::Weak && level > Level::Review {
                    notes.push(format!(
                        "a weak match never gives more than review: confirm it; a confirmed match \
makes this {}",
                        level.as_str()
                    ));
                    Level::Review
                } else {
                    level
                };
                let listed_as = if d.list_type.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", d.list_type)
                };
                out.push(Finding {
                    rule: format!("list.{name}"),
                    verdict,
                    regime: name.to_string(),
                    citations: Vec::new(),
                    reason: format!(
                        "{of} `{}` matches {} entry {} `{}`{listed_as} by {} `{}`, {} match \
(score {:.2}); no rule decided on this match",
                        d.matched_value,
                        d.list,
                        d.reference,
                        d.listed_name,
                        d.matched_by,
                        d.matched,
                        d.strength.as_str(),
                        d.score
                    ),
                    notes,
                    matches: vec![MatchUsed {
                        of: of.clone(),
                        designation: d.clone(),
                    }],
                });
            }
        }
        out
    }

    /// What lifts a rule that fired, if anything: an authorization on the record, or an exception.
    /// With a recording tracer every authorization and exception is weighed; else the first
    /// that lifts the finding ends the search.
    fn lifted_by<T: Tracer>(
        &self,
        rule: &Rule,
        t: &Transaction,
        date: NaiveDate,
        tr: &mut T,
    ) -> Option<String> {
        let mut found: Option<String> = None;
        if !rule.authorized_by.is_empty() {
            for a in &t.authorizations {
                let body_ok = rule
                    .authorized_by
                    .iter()
                    .any(|b| b.eq_ignore_ascii_case(a.by.trim()));
                let covers_ok = a.covers.as_ref().is_none_or(|ids| ids.contains(&rule.id));
                // An approval granted after the day of the transaction did not exist on that day.
                let in_time = a.date.is_none_or(|d| d <= date);
                let lifts = body_ok && covers_ok && in_time;
                let name = || {
                    let reference = a
                        .reference
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default();
                    format!("authorization by {}{reference}", a.by)
                };
                tr.weigh(|| {
                    let why = if !body_ok {
                        format!(
                            "body mismatch: {} is not one of {}",
                            a.by,
                            rule.authorized_by.join(", ")
                        )
                    } else if !covers_ok {
                        format!("covers mismatch: it does not cover {}", rule.id)
                    } else if !in_time {
                        let granted = a.date.map(|d| d.to_string()).unwrap_or_default();
                        format!("date mismatch: granted on {granted}, after {date}")
                    } else if found.is_some() {
                        "applies too".to_string()
                    } else {
                        "lifts the finding".to_string()
                    };
                    Weighed::new(
                        WeighedKind::Authorization,
                        name(),
                        lifts && found.is_none(),
                        why,
                    )
                });
                if lifts && found.is_none() {
                    found = Some(name());
                    if !T::ON {
                        return found;
                    }
                }
            }
        }
        for &exc_idx in &rule.exceptions {
            let Some(exc) = self.program.exceptions.get(exc_idx) else {
                continue;
            };
            if !exc.intervals.is_empty() && !in_force(&exc.intervals, date) {
                tr.weigh(|| {
                    Weighed::new(
                        WeighedKind::Exception,
                        exc.id.clone(),
                        false,
                        format!("out of force on {date}"),
                    )
                });
                continue;
            }
            let mut env = Env::with_slots(exc.vars.len(), date);
            tr.begin(&exc.var_names);
            // An exception that cannot be evaluated does not lift anything (fail closed).
            let res = eval(&exc.cond, t, &mut env, tr);
            let lifts = res == Ok(true) && found.is_none();
            tr.weigh(|| {
                let why = match &res {
                    Ok(true) if lifts => "condition true: lifts the finding".to_string(),
                    Ok(true) => "condition true (already lifted)".to_string(),
                    Ok(false) => "condition false".to_string(),
                    Err(e) => format!("condition could not be evaluated: {e}"),
                };
                Weighed::new(WeighedKind::Exception, exc.id.clone(), lifts, why)
            });
            if lifts {
                found = Some(format!("exception {}", exc.id));
                if !T::ON {
                    return found;
                }
            }
        }
        found
    }
}

fn notes_on(rule: &Rule, date: NaiveDate) -> Vec<String> {
    rule.notes
        .iter()
        .filter(|n| n.during.is_none_or(|d| d.contains(date)))
        .map(|n| n.text.clone())
        .collect()
}

fn citations_on(rule: &Rule, date: NaiveDate) -> Vec<crate::ir::Citation> {
    rule.citations
        .iter()
        .filter(|c| c.adopted.is_none_or(|a| a <= date))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the parties and vessels of a record carry, kind by kind: each is set by what
    /// sets it, and only by that
    #[test]
    fn what_a_record_carries() {
        use crate::ir::Carried;
        let carried = |fields: &str| {
            let text = format!("{{date: 2020-01-01, activity: trade, {fields}}}");
            let t = crate::model::read::read_test_record(&text, &[("id", "c")])
                .unwrap_or_else(|e| panic!("{fields}: {e:?}"));
            super::carried(&t)
        };
        let (un_ref, tags) = (Carried::UN_REF, Carried::PARTY_TAGS);
        let (party, vessel) = (Carried::PARTY_LISTED, Carried::VESSEL_LISTED);
        for (fields, want) in [
            ("parties: [{role: buyer, name: B}]", Carried::NONE),
            (
                "parties: [{role: buyer, name: B, ids: {passport: X1}}]",
                Carried::NONE,
            ),
            (
                "parties: [{role: buyer, name: B, ids: {un_ref: KPi.001}}]",
                un_ref,
            ),
            ("parties: [{role: buyer, name: B, tags: [unita]}]", tags),
            ("parties: [{role: buyer, name: B, tags: []}]", Carried::NONE),
            (
                "parties: [{role: buyer, name: B, designated: {ref: X1, list: DPRK}}]",
                party,
            ),
            (
                "vessels: [{name: V, imo: \"9074729\", designated: {ref: IMO 9074729, list: DPRK}}]",
                vessel,
            ),
            ("vessels: [{name: V, imo: \"9074729\"}]", Carried::NONE),
            (
                "parties: [{role: buyer, name: B, tags: [x]}, {role: seller, name: S, ids: {un_ref: KPi.002}}], vessels: [{name: V, designated: {ref: IMO 9074729, list: DPRK}}]",
                tags.union(un_ref).union(vessel),
            ),
        ] {
            assert_eq!(carried(fields), want, "{fields}");
        }
    }

    /// What the compiler says a rule needs (`ir::Needs`: countries, what parties and vessels
    /// carry, goods) is needed: on every record of the pack's tests and of the examples, on the
    /// record's date and on each date its tests judge it on, a rule whose condition holds, or
    /// cannot be evaluated, has its needs met, so skipping the rule when they are not never
    /// changes a verdict
    #[test]
    fn a_rule_that_holds_has_its_needs_met() {
        let (program, diagnostics) = crate::compile::compile(&crate::rules::embedded());
        assert!(!diagnostics.has_errors());
        let program = program.unwrap_or_default();
        let mut records: Vec<(Transaction, Vec<NaiveDate>)> = Vec::new();
        for test in &program.tests {
            if let Some(t) = &test.record {
                let mut dates = vec![t.date];
                dates.extend(test.expects.iter().filter_map(|e| e.on));
                records.push((t.clone(), dates));
            }
        }
        let examples = include_str!("../../examples/news-2022.jsonl");
        for (i, line) in examples.lines().enumerate() {
            let text = crate::model::RecordText {
                line: i + 1,
                column: 1,
                text: line.to_string(),
                yaml: false,
                table: None,
            };
            if let Ok(t) = crate::model::parse_record("news-2022.jsonl", &text) {
                let date = t.date;
                records.push((t, vec![date]));
            }
        }
        let (mut held, mut held_on_goods, mut held_on_carried) = (0usize, 0usize, 0usize);
        for (t, dates) in &records {
            let facts = Facts::of(t);
            for &date in dates {
                for (rule, needs) in program.rules.iter().zip(&program.needs) {
                    let mut env = Env::new(date);
                    env.reset(rule.vars.len());
                    if eval(&rule.cond, t, &mut env, &mut NoTrace) != Ok(false) {
                        assert!(
                            facts.satisfy(needs),
                            "{} holds on {} ({date}) but its needs are not met: {:?}",
                            rule.id,
                            t.id,
                            facts.missing(needs)
                        );
                        held += 1;
                        held_on_goods += usize::from(needs.goods.is_some());
                        held_on_carried += usize::from(needs.carried != crate::ir::Carried::NONE);
                    }
                }
            }
        }
        let with_goods = program.needs.iter().filter(|n| n.goods.is_some()).count();
        assert!(with_goods > 20, "only {with_goods} rules need goods");
        let with_carried = program
            .needs
            .iter()
            .filter(|n| n.carried != crate::ir::Carried::NONE)
            .count();
        assert!(
            with_carried > 20,
            "only {with_carried} rules need something carried"
        );
        assert!(
            held > 500 && held_on_goods > 100 && held_on_carried > 50,
            "{held} holdings, {held_on_goods} of rules that need goods, {held_on_carried} of rules that need something carried: too few to tell"
        );
    }
}
