//! The evaluator: a compiled program and one record to a verdict. No names, no text, no I/O.

mod explain;
mod verdict;

pub use explain::{Explanation, Node, RuleExplanation, RuleStatus, Truth, Weighed, WeighedKind};
pub use verdict::{Finding, Lifted, MatchUsed, Outcome, Verdict};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ir::{
    Access, AuthField, Cond, FieldOp, HsPattern, ItemField, Level, ListRef, Ord6, PartyField,
    Program, Quantifier, Rule, Template, TemplatePart, Test, VesselField, in_force,
};
use crate::model::{Designation, Hs, Money, Place, Transaction, Vocab};
use crate::screening::names::Strength;

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

/// What a record contains, gathered once so that rules it cannot satisfy are skipped
struct Facts {
    /// The country of every place in the record (sorted, deduplicated)
    countries: Vec<[u8; 2]>,
    /// Whether some party has a `un_ref`
    un_ref: bool,
}

impl Facts {
    fn of(t: &Transaction) -> Facts {
        let mut countries: Vec<[u8; 2]> = [t.origin, t.destination, t.location]
            .into_iter()
            .flatten()
            .chain(t.transit.iter().copied())
            .chain(t.parties.iter().filter_map(|p| p.country))
            .chain(t.vessels.iter().filter_map(|v| v.flag))
            .map(|p| p.country_code())
            .collect();
        countries.sort_unstable();
        countries.dedup();
        Facts {
            countries,
            un_ref: t
                .parties
                .iter()
                .any(|p| p.ids.contains_key("un_ref") || p.designations.iter().any(|d| d.un_ref)),
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
        if needs.un_ref && !self.un_ref {
            out.push("no party with un_ref".to_string());
        }
        out
    }

    /// Whether the record has what a rule needs to be able to fire
    fn satisfy(&self, needs: &crate::ir::Needs) -> bool {
        if needs.un_ref && !self.un_ref {
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
/// on, on which `within` reads the places (`ZW` is within `RH` until 17 April 1980)
#[derive(Debug)]
struct Env {
    slots: Vec<Option<usize>>,
    alts: Vec<usize>,
    date: NaiveDate,
}

impl Env {
    fn new(date: NaiveDate) -> Env {
        Env {
            slots: Vec::new(),
            alts: Vec::new(),
            date,
        }
    }

    fn with_slots(n: usize, date: NaiveDate) -> Env {
        Env {
            slots: vec![None; n],
            alts: vec![0; n],
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
        self.judge(t, date, &mut NoTrace)
    }

    /// The one code path of `evaluate` and `explain`, reporting to `tr` as it goes
    fn judge<T: Tracer>(&self, t: &Transaction, date: NaiveDate, tr: &mut T) -> Verdict {
        let mut findings = Vec::new();
        let mut lifted = Vec::new();
        // One binding environment, reset for each rule, rather than one allocation per rule.
        let mut env = Env::new(date);
        let candidates = self
            .program
            .by_activity
            .get(usize::from(t.activity))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let facts = Facts::of(t);
        for &rule_idx in candidates {
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
        // What was seen is never dropped: a list match no finding rests on is a finding of its own.
        let unused = self.unused_matches(t, &findings, &lifted);
        findings.extend(unused);
        let level = findings
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Level::Clear);
        Verdict {
            id: Some(t.id.clone()),
            verdict: Outcome::Level(level),
            findings: Some(findings),
            errors: None,
            lifted,
            line: None,
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

/// Evaluates a condition; with a recording tracer, each node is reported with its outcome
fn eval<T: Tracer>(
    cond: &Cond,
    t: &Transaction,
    env: &mut Env,
    tr: &mut T,
) -> Result<bool, EvalError> {
    tr.open();
    let res = eval_node(cond, t, env, tr);
    tr.close(cond, &res, || match cond {
        Cond::Cmp(access, Test::Field(_, other)) => Some(format!(
            "{} and {}",
            found(get(access, t, env)),
            found(get(other, t, env))
        )),
        Cond::Exists(access) | Cond::Cmp(access, _) => Some(found(get(access, t, env))),
        _ => None,
    });
    res
}

/// A value as `explain` shows what it found
fn found(value: V<'_>) -> String {
    match value {
        V::Missing => "missing".to_string(),
        V::Present => "present".to_string(),
        v => show(v),
    }
}

fn eval_node<T: Tracer>(
    cond: &Cond,
    t: &Transaction,
    env: &mut Env,
    tr: &mut T,
) -> Result<bool, EvalError> {
    match cond {
        Cond::Const(b) => Ok(*b),
        Cond::And(parts) => {
            for (i, p) in parts.iter().enumerate() {
                if !eval(p, t, env, tr)? {
                    if T::ON {
                        parts.iter().skip(i + 1).for_each(|q| tr.skipped(q));
                    }
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Cond::Or(parts) => {
            for (i, p) in parts.iter().enumerate() {
                if eval(p, t, env, tr)? {
                    if T::ON {
                        parts.iter().skip(i + 1).for_each(|q| tr.skipped(q));
                    }
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Cond::Not(inner) => Ok(!eval(inner, t, env, tr)?),
        Cond::Quant {
            quantifier,
            list,
            var,
            body,
        } => {
            let n = list.len(t);
            if n == 0 {
                tr.note(|| "no element".to_string());
            }
            match quantifier {
                Quantifier::Any => {
                    for i in 0..n {
                        if elem(body, t, env, tr, *var, *list, i)? {
                            // The witness stays bound, so the reason can name it.
                            tr.note(|| format!("{}[{i}] satisfies it", list.name()));
                            return Ok(true);
                        }
                    }
                    if n > 0 {
                        tr.note(|| "no element satisfies it".to_string());
                    }
                    set(env, *var, None);
                    Ok(false)
                }
                Quantifier::All | Quantifier::None => {
                    let want = *quantifier == Quantifier::All;
                    for i in 0..n {
                        if elem(body, t, env, tr, *var, *list, i)? != want {
                            tr.note(|| {
                                let does = if want {
                                    "does not satisfy"
                                } else {
                                    "satisfies"
                                };
                                format!("{}[{i}] {does} it", list.name())
                            });
                            set(env, *var, None);
                            return Ok(false);
                        }
                    }
                    if n > 0 {
                        tr.note(|| {
                            let verb = if want { "every" } else { "no" };
                            format!("{verb} element satisfies it")
                        });
                    }
                    set(env, *var, None);
                    Ok(true)
                }
            }
        }
        Cond::Count {
            list,
            var,
            body,
            op,
            n,
        } => {
            let mut count: i64 = 0;
            for i in 0..list.len(t) {
                if elem(body, t, env, tr, *var, *list, i)? {
                    count += 1;
                }
            }
            tr.note(|| format!("{count} element(s) satisfy it"));
            set(env, *var, None);
            Ok(op.holds(count.cmp(n)))
        }
        Cond::Exists(access) => Ok(match get(access, t, env) {
            V::Missing => false,
            V::SymList(_, l) => !l.is_empty(),
            V::StrList(l) => !l.is_empty(),
            V::PlaceList(l) => !l.is_empty(),
            _ => true,
        }),
        Cond::Cmp(access, Test::Field(op, other)) => {
            compare(get(access, t, env), get(other, t, env), *op, env.date)
        }
        Cond::Cmp(access, test) => {
            let value = get(access, t, env);
            let res = check(value, test, env.date);
            // Say when a place was within another only on the day judged (`ZW` within `RH`).
            if T::ON
                && res == Ok(true)
                && let (V::Place(p), Test::PlaceWithin(places)) = (value, test)
                && !places.iter().any(|q| p.within(q))
                && let Some(q) = places.iter().find(|q| p.within_on(q, env.date))
            {
                tr.note(|| format!("{p} lay within {q} on {}", env.date));
            }
            res
        }
    }
}

/// A field compared with another: false when either is missing, as a comparison with a value is
fn compare(a: V<'_>, b: V<'_>, op: FieldOp, date: NaiveDate) -> Result<bool, EvalError> {
    use std::cmp::Ordering;
    let ord = |o: Ord6, x: Ordering| Ok(o.holds(x));
    match (a, b, op) {
        (V::Missing, _, _) | (_, V::Missing, _) => Ok(false),
        (V::Place(p), V::Place(q), FieldOp::Ord(Ord6::Eq)) => Ok(p == q),
        (V::Place(p), V::Place(q), FieldOp::Within) => Ok(p.within_on(&q, date)),
        (V::Hs(h), V::Hs(k), FieldOp::Ord(Ord6::Eq)) => Ok(h == k),
        (V::Hs(h), V::Hs(k), FieldOp::Within) => Ok(h.within(&k)),
        (V::Str(x), V::Str(y), FieldOp::Ord(Ord6::Eq)) => Ok(x == y),
        (V::Sym(v, x), V::Sym(w, y), FieldOp::Ord(Ord6::Eq)) if v == w => Ok(x == y),
        (V::Num(x), V::Num(y), FieldOp::Ord(o)) => ord(o, x.cmp(&y)),
        (V::Date(x), V::Date(y), FieldOp::Ord(o)) => ord(o, x.cmp(&y)),
        (V::Money(x), V::Money(y), FieldOp::Ord(o)) => {
            if x.currency != y.currency {
                return Err(EvalError(format!(
                    "{} {} cannot be compared with {} {}",
                    x.amount,
                    x.currency_str(),
                    y.amount,
                    y.currency_str()
                )));
            }
            ord(o, x.amount.cmp(&y.amount))
        }
        // INVARIANT: the checker only compares fields of one type, with an operator of that type.
        _ => Err(EvalError(
            "a field was compared with a field of another type".into(),
        )),
    }
}

/// The body of a quantifier on element `i` of `list`, bound to slot `var`
#[inline(always)]
fn elem<T: Tracer>(
    body: &Cond,
    t: &Transaction,
    env: &mut Env,
    tr: &mut T,
    var: usize,
    list: ListRef,
    i: usize,
) -> Result<bool, EvalError> {
    set(env, var, Some(i));
    let designations = designations_of(t, list, i);
    if !T::ON {
        return each_alternative(body, t, env, tr, var, designations);
    }
    tr.open();
    let res = each_alternative(body, t, env, tr, var, designations);
    tr.close_elem(var, list, i, &res);
    res
}

/// Whether `body` holds for the element bound to `var` as written (alternative 0) or as one of
/// its designations, tried strongest first; the first that holds stays bound
#[inline(always)]
fn each_alternative<T: Tracer>(
    body: &Cond,
    t: &Transaction,
    env: &mut Env,
    tr: &mut T,
    var: usize,
    designations: &[Designation],
) -> Result<bool, EvalError> {
    set_alt(env, var, 0);
    if eval(body, t, env, tr)? {
        return Ok(true);
    }
    for (k, d) in designations.iter().enumerate() {
        set_alt(env, var, k + 1);
        tr.note(|| {
            format!(
                "as {} {} ({}, {} match, score {:.2})",
                d.reference,
                d.listed_name,
                d.list,
                d.strength.as_str(),
                d.score
            )
        });
        if eval(body, t, env, tr)? {
            return Ok(true);
        }
    }
    set_alt(env, var, 0);
    Ok(false)
}

/// The designations found for element `i` of `list` (only parties and vessels have any)
fn designations_of(t: &Transaction, list: ListRef, i: usize) -> &[Designation] {
    match list {
        ListRef::Parties => t.parties.get(i).map_or(&[], |p| &p.designations),
        ListRef::Vessels => t.vessels.get(i).map_or(&[], |v| &v.designations),
        _ => &[],
    }
}

/// The designation bound to `var`, if its alternative is one
fn designation<'a>(
    designations: &'a [Designation],
    env: &Env,
    var: usize,
) -> Option<&'a Designation> {
    let alt = env.alts.get(var).copied().unwrap_or(0);
    alt.checked_sub(1).and_then(|k| designations.get(k))
}

/// The designations bound when a rule fired: what its finding rests on. A party bound as
/// written whose `ids.un_ref` the rule reads rests on the UN entries of that reference that
/// screening found for it (the list confirms what the record says).
fn matches_used(t: &Transaction, rule: &Rule, env: &Env) -> Vec<MatchUsed> {
    let mut out = Vec::new();
    for (var, list) in rule.vars.iter().enumerate() {
        let Some(i) = slot(env, var) else {
            continue;
        };
        let designations = designations_of(t, *list, i);
        let of = || format!("{}[{i}]", list.name());
        if let Some(d) = designation(designations, env, var) {
            out.push(MatchUsed {
                of: of(),
                designation: d.clone(),
            });
            continue;
        }
        let written = match list {
            ListRef::Parties => t.parties.get(i).and_then(|p| p.ids.get("un_ref")),
            _ => None,
        };
        if let Some(written) = written
            && reads_un_ref(&rule.cond, var)
        {
            for d in designations
                .iter()
                .filter(|d| d.un_ref && d.reference.trim().eq_ignore_ascii_case(written.trim()))
            {
                out.push(MatchUsed {
                    of: of(),
                    designation: d.clone(),
                });
            }
        }
    }
    out
}

/// Whether `cond` reads `ids.un_ref` of the party bound to `var`
fn reads_un_ref(cond: &Cond, var: usize) -> bool {
    match cond {
        Cond::And(parts) | Cond::Or(parts) => parts.iter().any(|p| reads_un_ref(p, var)),
        Cond::Not(inner) => reads_un_ref(inner, var),
        Cond::Quant { body, .. } | Cond::Count { body, .. } => reads_un_ref(body, var),
        Cond::Exists(access) | Cond::Cmp(access, _) => {
            matches!(access, Access::Party(v, PartyField::Id(key)) if *v == var && key == "un_ref")
        }
        Cond::Const(_) => false,
    }
}

fn set(env: &mut Env, slot: usize, value: Option<usize>) {
    if let Some(s) = env.slots.get_mut(slot) {
        *s = value;
    }
}

fn set_alt(env: &mut Env, slot: usize, alt: usize) {
    if let Some(s) = env.alts.get_mut(slot) {
        *s = alt;
    }
}

fn slot(env: &Env, var: usize) -> Option<usize> {
    env.slots.get(var).copied().flatten()
}

fn get<'a>(access: &Access, t: &'a Transaction, env: &Env) -> V<'a> {
    let opt_place = |p: Option<Place>| p.map_or(V::Missing, V::Place);
    match access {
        Access::Id => V::Str(&t.id),
        Access::Date => V::Date(t.date),
        Access::Activity => V::Sym(Vocab::Activity, t.activity),
        Access::Origin => opt_place(t.origin),
        Access::Destination => opt_place(t.destination),
        Access::Location => opt_place(t.location),
        Access::Amount => t.amount.map_or(V::Missing, V::Money),
        Access::Services => V::SymList(Vocab::Service, &t.services),
        Access::Transit => V::PlaceList(&t.transit),
        Access::List(list) => {
            if list.len(t) > 0 {
                V::Present
            } else {
                V::Missing
            }
        }
        Access::Party(var, field) => {
            let Some(p) = slot(env, *var).and_then(|i| t.parties.get(i)) else {
                return V::Missing;
            };
            match field {
                PartyField::Role => V::Sym(Vocab::Role, p.role),
                PartyField::Name => V::Str(&p.name),
                PartyField::Kind => V::Sym(Vocab::PartyKind, p.kind),
                PartyField::Country => opt_place(p.country),
                PartyField::Tags => V::StrList(&p.tags),
                PartyField::Count => p.count.map_or(V::Missing, |c| V::Num(Decimal::from(c))),
                PartyField::Id(key) => match designation(&p.designations, env, *var) {
                    // As one of its designations, the party's UN reference is the entry's.
                    Some(d) if key == "un_ref" => {
                        if d.un_ref {
                            V::Str(&d.reference)
                        } else {
                            V::Missing
                        }
                    }
                    _ => p.ids.get(key).map_or(V::Missing, |s| V::Str(s)),
                },
                PartyField::Listed => designation(&p.designations, env, *var)
                    .map_or(V::Missing, |d| V::StrList(&d.listed)),
            }
        }
        Access::Item(var, field) => {
            let Some(g) = slot(env, *var).and_then(|i| t.goods.get(i)) else {
                return V::Missing;
            };
            match field {
                ItemField::Description => g.description.as_deref().map_or(V::Missing, V::Str),
                ItemField::Hs => g.hs.map_or(V::Missing, V::Hs),
                ItemField::Categories => V::SymList(Vocab::Category, &g.categories),
                ItemField::Quantity => g.quantity.map_or(V::Missing, V::Num),
                ItemField::Unit => g.unit.map_or(V::Missing, |u| V::Sym(Vocab::Unit, u)),
                ItemField::Value => g.value.map_or(V::Missing, V::Money),
            }
        }
        Access::Vessel(var, field) => {
            let Some(v) = slot(env, *var).and_then(|i| t.vessels.get(i)) else {
                return V::Missing;
            };
            match field {
                VesselField::Name => v.name.as_deref().map_or(V::Missing, V::Str),
                VesselField::Imo => v.imo.as_deref().map_or(V::Missing, V::Str),
                VesselField::Flag => opt_place(v.flag),
                VesselField::Role => v.role.map_or(V::Missing, |r| V::Sym(Vocab::VesselRole, r)),
                VesselField::Listed => designation(&v.designations, env, *var)
                    .map_or(V::Missing, |d| V::StrList(&d.listed)),
            }
        }
        Access::Auth(var, field) => {
            let Some(a) = slot(env, *var).and_then(|i| t.authorizations.get(i)) else {
                return V::Missing;
            };
            match field {
                AuthField::By => V::Str(&a.by),
                AuthField::Reference => a.reference.as_deref().map_or(V::Missing, V::Str),
                AuthField::Date => a.date.map_or(V::Missing, V::Date),
                AuthField::Covers => a.covers.as_deref().map_or(V::Missing, V::StrList),
            }
        }
        Access::TransitElem(var) => slot(env, *var)
            .and_then(|i| t.transit.get(i).copied())
            .map_or(V::Missing, V::Place),
        Access::ServiceElem(var) => slot(env, *var)
            .and_then(|i| t.services.get(i).copied())
            .map_or(V::Missing, |s| V::Sym(Vocab::Service, s)),
    }
}

/// Whether `value` passes `test`, places read as they were on `date`
fn check(value: V<'_>, test: &Test, date: NaiveDate) -> Result<bool, EvalError> {
    Ok(match (value, test) {
        (V::Missing, _) => false,
        (V::Sym(_, c), Test::SymIn(codes)) => codes.binary_search(&c).is_ok(),
        (V::SymList(_, list), Test::SymHas(codes)) => {
            list.iter().any(|c| codes.binary_search(c).is_ok())
        }
        (V::Str(s), Test::StrIn(values)) => values.iter().any(|v| v == s),
        (V::StrList(list), Test::StrHas(values)) => list.iter().any(|s| values.contains(s)),
        (V::Str(s), Test::StrPrefix(prefixes)) => {
            prefixes.iter().any(|p| s.starts_with(p.as_str()))
        }
        (V::Place(p), Test::PlaceIs(places)) => places.contains(&p),
        (V::Place(p), Test::PlaceWithin(places)) => places.iter().any(|q| p.within_on(q, date)),
        (V::Hs(h), Test::HsIs(codes)) => codes.contains(&h),
        (V::Hs(h), Test::HsWithin(patterns)) => patterns.iter().any(|pat| match pat {
            HsPattern::One(p) => h.within(p),
            HsPattern::Range(lo, hi) => h.within_range(lo, hi),
        }),
        (V::Num(n), Test::Num(op, m)) => op.holds(n.cmp(m)),
        (V::Date(d), Test::Date(op, e)) => op.holds(d.cmp(e)),
        (V::Money(m), Test::Money(op, amount, currency)) => {
            if m.currency != *currency {
                return Err(EvalError(format!(
                    "{} {} cannot be compared with an amount in {}",
                    m.amount,
                    m.currency_str(),
                    String::from_utf8_lossy(currency)
                )));
            }
            op.holds(m.amount.cmp(amount))
        }
        // INVARIANT: the checker only pairs a test with a field of its type.
        _ => {
            return Err(EvalError(
                "a field was tested against a value of another type".into(),
            ));
        }
    })
}

fn render(template: &Template, t: &Transaction, vars: &[ListRef], env: &Env) -> String {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(s) => out.push_str(s),
            TemplatePart::Elem(slots) => {
                let bound = slots
                    .iter()
                    .find_map(|s| Some((vars.get(*s)?, slot(env, *s)?)));
                match bound {
                    // A place of transit or a service is shown as its value; other elements by position.
                    Some((ListRef::Transit, _)) => {
                        out.push_str(&show(get(&Access::TransitElem(i_slot(slots, env)), t, env)))
                    }
                    Some((ListRef::Services, _)) => {
                        out.push_str(&show(get(&Access::ServiceElem(i_slot(slots, env)), t, env)))
                    }
                    Some((list, i)) => out.push_str(&format!("{}[{i}]", list.name())),
                    None => out.push_str("(unknown)"),
                }
            }
            TemplatePart::Field(accesses) => {
                let value = accesses
                    .iter()
                    .map(|a| get(a, t, env))
                    .find(|v| !matches!(v, V::Missing));
                out.push_str(&show(value.unwrap_or(V::Missing)));
            }
        }
    }
    out
}

/// The first of `slots` that is bound
fn i_slot(slots: &[usize], env: &Env) -> usize {
    slots
        .iter()
        .copied()
        .find(|s| slot(env, *s).is_some())
        .unwrap_or(0)
}

fn show(value: V<'_>) -> String {
    match value {
        V::Missing => "(none)".into(),
        V::Present => "(present)".into(),
        V::Sym(vocab, c) => vocab.value(c).to_string(),
        V::Str(s) => s.to_string(),
        V::Place(p) => p.to_string(),
        V::Hs(h) => h.to_string(),
        V::Num(n) => n.to_string(),
        V::Date(d) => d.to_string(),
        V::Money(m) => format!("{} {}", m.amount, m.currency_str()),
        V::SymList(vocab, codes) => codes
            .iter()
            .map(|c| vocab.value(*c))
            .collect::<Vec<_>>()
            .join(", "),
        V::StrList(list) => list.join(", "),
        V::PlaceList(list) => list
            .iter()
            .map(Place::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}
