//! `explain`: one record judged with every step recorded, by the same code path as `evaluate`.
//!
//! [`Evaluator::explain`] runs the evaluator's `judge` with [`Recorder`], a tracer that builds the
//! tree of each condition (outcome, value found, quantifier witness) and lists the exceptions and
//! authorizations weighed; rules the activity index leaves out are listed too, so every rule of
//! the program appears. The verdict is the one `evaluate` gives, by construction.

use chrono::NaiveDate;
use serde::Serialize;

use super::{EvalError, Evaluator, Tracer, Verdict};
use crate::ir::{
    Access, AuthField, Citation, Cond, HsPattern, ItemField, Level, ListRef, PartyField,
    Quantifier, Test, VesselField, in_force,
};
use crate::model::{Transaction, Vocab};

/// One record explained: every rule of the program, and the verdict
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The record's id
    pub id: String,
    /// The day judged, `YYYY-MM-DD`
    pub date: String,
    /// Every rule, in program order
    pub rules: Vec<RuleExplanation>,
    /// The verdict, as `screen` gives it
    pub verdict: Verdict,
}

/// One rule considered
#[derive(Clone, Debug, Serialize)]
pub struct RuleExplanation {
    /// Its id
    pub id: String,
    /// Its title
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its regime
    pub regime: String,
    /// What it says when it fires
    pub level: Level,
    /// Its citations
    pub citations: Vec<Citation>,
    /// Whether it is in force on the day judged
    pub in_force: bool,
    /// When it is in force (`FROM..UNTIL`), listed when it is not in force on the day
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub intervals: Vec<String>,
    /// What became of it
    pub status: RuleStatus,
    /// Its condition, evaluated (absent when the rule was skipped)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Node>,
    /// The authorizations and exceptions weighed after it fired
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weighed: Vec<Weighed>,
}

/// What became of a rule
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RuleStatus {
    /// Not a candidate for the record's activity
    SkippedActivity,
    /// Not in force on the day
    OutOfForce,
    /// The record lacks what the rule needs (`no place in KP`)
    SkippedNeeds {
        /// What is missing
        missing: Vec<String>,
    },
    /// Its condition is false
    NotFired,
    /// It fired: a finding
    Fired,
    /// It fired, and was lifted
    Lifted {
        /// By what
        by: String,
    },
    /// Its condition could not be evaluated: a review finding
    Error {
        /// Why
        message: String,
    },
}

/// A node of a condition, evaluated
#[derive(Clone, Debug, Serialize)]
pub struct Node {
    /// The node as written: `and`, `any g in goods`, `g.hs within [93]`
    pub text: String,
    /// Its outcome
    pub outcome: Truth,
    /// For a test: the value found, or `missing`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For a quantifier: which element satisfied it, or that none did
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The parts evaluated (for a quantifier: one per element tried)
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// The outcome of a node
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    /// It holds
    True,
    /// It does not
    False,
    /// It could not be evaluated
    Error,
    /// Not evaluated: the outcome of `and`/`or` was already known
    NotEvaluated,
}

/// An authorization or exception weighed for a rule that fired
#[derive(Clone, Debug, Serialize)]
pub struct Weighed {
    /// An authorization on the record, or an exception of the program
    pub kind: WeighedKind,
    /// `authorization by BODY (REFERENCE)` or the exception's id
    pub name: String,
    /// Whether it lifted the finding
    pub lifted: bool,
    /// Why, or why not
    pub why: String,
    /// An exception's condition, evaluated
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Node>,
}

/// What was weighed
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeighedKind {
    /// An authorization on the record
    Authorization,
    /// An exception of the program
    Exception,
}

impl Weighed {
    pub(crate) fn new(kind: WeighedKind, name: String, lifted: bool, why: String) -> Weighed {
        Weighed {
            kind,
            name,
            lifted,
            why,
            condition: None,
        }
    }
}

/// What was recorded of one candidate rule
type Traced = (RuleStatus, Option<Node>, Vec<Weighed>);

/// The recording tracer
#[derive(Default)]
struct Recorder {
    /// The variable names of the rule or exception being evaluated
    names: Vec<String>,
    /// Open nodes: the children gathered so far and the note
    stack: Vec<(Vec<Node>, Option<String>)>,
    /// Finished top-level nodes (a rule's condition, then each exception's)
    done: Vec<Node>,
    /// The rule's condition, kept while its exceptions are weighed
    weighed: Vec<Weighed>,
    /// Each candidate rule's trace, with its index
    rules: Vec<(usize, Traced)>,
    /// The rule's own condition, once evaluated
    condition: Option<Node>,
}

impl Recorder {
    fn finish(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some((children, _)) => children.push(node),
            None => self.done.push(node),
        }
    }

    fn var(&self, slot: usize) -> String {
        self.names
            .get(slot)
            .cloned()
            .unwrap_or_else(|| format!("${slot}"))
    }
}

impl Tracer for Recorder {
    const ON: bool = true;

    fn begin(&mut self, var_names: &[String]) {
        // Before an exception: the rule's own condition is done; keep it aside.
        if self.condition.is_none() {
            self.condition = self.done.pop();
        }
        self.names = var_names.to_vec();
        self.stack.clear();
        self.done.clear();
    }

    fn open(&mut self) {
        self.stack.push((Vec::new(), None));
    }

    fn note(&mut self, note: impl FnOnce() -> String) {
        if let Some((_, n)) = self.stack.last_mut() {
            *n = Some(note());
        }
    }

    fn close(
        &mut self,
        cond: &Cond,
        res: &Result<bool, EvalError>,
        value: impl FnOnce() -> Option<String>,
    ) {
        let (children, note) = self.stack.pop().unwrap_or_default();
        let node = Node {
            text: head(cond, &self.names),
            outcome: truth(res),
            value: value(),
            note,
            children,
        };
        self.finish(node);
    }

    fn close_elem(&mut self, var: usize, list: ListRef, i: usize, res: &Result<bool, EvalError>) {
        let (children, note) = self.stack.pop().unwrap_or_default();
        let node = Node {
            text: format!("{} = {}[{i}]", self.var(var), list.name()),
            outcome: truth(res),
            value: None,
            note,
            children,
        };
        self.finish(node);
    }

    fn skipped(&mut self, cond: &Cond) {
        let node = Node {
            text: head(cond, &self.names),
            outcome: Truth::NotEvaluated,
            value: None,
            note: None,
            children: Vec::new(),
        };
        self.finish(node);
    }

    fn weigh(&mut self, weighed: impl FnOnce() -> Weighed) {
        // Authorizations come first: the rule's condition may still be the last node done.
        if self.condition.is_none() {
            self.condition = self.done.pop();
        }
        let mut w = weighed();
        // An evaluated exception's condition is the node done since `begin` (none when the
        // exception was out of force, or for an authorization).
        if w.kind == WeighedKind::Exception {
            w.condition = self.done.pop();
        }
        self.weighed.push(w);
    }

    fn rule(&mut self, rule_idx: usize, status: impl FnOnce() -> RuleStatus) {
        let condition = self.condition.take().or_else(|| self.done.pop());
        let status = status();
        let condition = match status {
            RuleStatus::OutOfForce | RuleStatus::SkippedNeeds { .. } => None,
            _ => condition,
        };
        let weighed = std::mem::take(&mut self.weighed);
        self.rules.push((rule_idx, (status, condition, weighed)));
        self.done.clear();
        self.stack.clear();
    }
}

fn truth(res: &Result<bool, EvalError>) -> Truth {
    match res {
        Ok(true) => Truth::True,
        Ok(false) => Truth::False,
        Err(_) => Truth::Error,
    }
}

impl Evaluator<'_> {
    /// Judges a record by the law in force on its own `date`, recording every step
    pub fn explain(&self, t: &Transaction) -> Explanation {
        self.explain_on(t, t.date)
    }

    /// Judges a record as if it took place on `date`, recording every step
    pub fn explain_on(&self, t: &Transaction, date: NaiveDate) -> Explanation {
        let mut recorder = Recorder::default();
        let verdict = self.judge(t, date, &mut recorder);
        let mut traced: Vec<Option<Traced>> = vec![None; self.program.rules.len()];
        for (idx, trace) in recorder.rules {
            if let Some(slot) = traced.get_mut(idx) {
                *slot = Some(trace);
            }
        }
        let rules = self
            .program
            .rules
            .iter()
            .zip(traced)
            .map(|(rule, trace)| {
                let (status, condition, weighed) =
                    trace.unwrap_or((RuleStatus::SkippedActivity, None, Vec::new()));
                let in_force = in_force(&rule.intervals, date);
                RuleExplanation {
                    id: rule.id.clone(),
                    title: rule.title.clone(),
                    regime: rule.regime.clone(),
                    level: rule.level,
                    citations: rule.citations.clone(),
                    in_force,
                    intervals: if in_force {
                        Vec::new()
                    } else {
                        rule.intervals
                            .iter()
                            .map(|i| {
                                let until = i.until.map(|u| u.to_string()).unwrap_or_default();
                                format!("{}..{until}", i.from)
                            })
                            .collect()
                    },
                    status,
                    condition,
                    weighed,
                }
            })
            .collect();
        Explanation {
            id: t.id.clone(),
            date: date.to_string(),
            rules,
            verdict,
        }
    }
}

/// A node as written, without its parts: `and`, `any p in parties`, `p.role in [seller]`
fn head(cond: &Cond, names: &[String]) -> String {
    let var = |slot: usize| {
        names
            .get(slot)
            .cloned()
            .unwrap_or_else(|| format!("${slot}"))
    };
    match cond {
        Cond::Const(b) => b.to_string(),
        Cond::And(_) => "and".to_string(),
        Cond::Or(_) => "or".to_string(),
        Cond::Not(_) => "not".to_string(),
        Cond::Quant {
            quantifier,
            list,
            var: slot,
            ..
        } => {
            let q = match quantifier {
                Quantifier::Any => "any",
                Quantifier::All => "all",
                Quantifier::None => "none",
            };
            format!("{q} {} in {}", var(*slot), list.name())
        }
        Cond::Count {
            list,
            var: slot,
            op,
            n,
            ..
        } => format!(
            "count {} in {} {} {n}",
            var(*slot),
            list.name(),
            op.as_str()
        ),
        Cond::Exists(access) => format!("exists {}", access_text(access, names)),
        Cond::Cmp(access, Test::Field(op, other)) => format!(
            "{} {} {}",
            access_text(access, names),
            op.as_str(),
            access_text(other, names)
        ),
        Cond::Cmp(access, test) => {
            format!(
                "{} {}",
                access_text(access, names),
                test_text(test, vocab_of(access))
            )
        }
    }
}

/// A field path as written in a rule
fn access_text(access: &Access, names: &[String]) -> String {
    let var = |slot: &usize| {
        names
            .get(*slot)
            .cloned()
            .unwrap_or_else(|| format!("${slot}"))
    };
    match access {
        Access::Id => "id".into(),
        Access::Date => "date".into(),
        Access::Activity => "activity".into(),
        Access::Origin => "origin".into(),
        Access::Destination => "destination".into(),
        Access::Location => "location".into(),
        Access::Amount => "amount".into(),
        Access::Services => "services".into(),
        Access::Transit => "transit".into(),
        Access::List(list) => list.name().into(),
        Access::Party(slot, field) => {
            let f = match field {
                PartyField::Role => "role".to_string(),
                PartyField::Name => "name".to_string(),
                PartyField::Kind => "kind".to_string(),
                PartyField::Country => "country".to_string(),
                PartyField::Tags => "tags".to_string(),
                PartyField::Count => "count".to_string(),
                PartyField::Id(key) => format!("ids.{key}"),
                PartyField::Listed => "listed".to_string(),
            };
            format!("{}.{f}", var(slot))
        }
        Access::Item(slot, field) => {
            let f = match field {
                ItemField::Description => "description",
                ItemField::Hs => "hs",
                ItemField::Categories => "categories",
                ItemField::Quantity => "quantity",
                ItemField::Unit => "unit",
                ItemField::Value => "value",
            };
            format!("{}.{f}", var(slot))
        }
        Access::Vessel(slot, field) => {
            let f = match field {
                VesselField::Name => "name",
                VesselField::Imo => "imo",
                VesselField::Flag => "flag",
                VesselField::Role => "role",
                VesselField::Listed => "listed",
            };
            format!("{}.{f}", var(slot))
        }
        Access::Auth(slot, field) => {
            let f = match field {
                AuthField::By => "by",
                AuthField::Reference => "reference",
                AuthField::Date => "date",
                AuthField::Covers => "covers",
            };
            format!("{}.{f}", var(slot))
        }
        Access::TransitElem(slot) | Access::ServiceElem(slot) => var(slot),
    }
}

/// The vocabulary of a field holding codes
fn vocab_of(access: &Access) -> Option<Vocab> {
    Some(match access {
        Access::Activity => Vocab::Activity,
        Access::Services | Access::ServiceElem(_) => Vocab::Service,
        Access::Party(_, PartyField::Role) => Vocab::Role,
        Access::Party(_, PartyField::Kind) => Vocab::PartyKind,
        Access::Item(_, ItemField::Categories) => Vocab::Category,
        Access::Item(_, ItemField::Unit) => Vocab::Unit,
        Access::Vessel(_, VesselField::Role) => Vocab::VesselRole,
        _ => return None,
    })
}

/// The operator and values of a test, as written
fn test_text(test: &Test, vocab: Option<Vocab>) -> String {
    let list = |items: Vec<String>| format!("[{}]", items.join(", "));
    let syms = |codes: &[u8]| {
        list(
            codes
                .iter()
                .map(|c| vocab.map_or_else(|| c.to_string(), |v| v.value(*c).to_string()))
                .collect(),
        )
    };
    let strs = |values: &[String]| list(values.iter().map(|s| format!("{s:?}")).collect());
    match test {
        Test::SymIn(codes) => format!("in {}", syms(codes)),
        Test::SymHas(codes) => format!("has {}", syms(codes)),
        Test::StrIn(values) => format!("in {}", strs(values)),
        Test::StrHas(values) => format!("has {}", strs(values)),
        Test::StrPrefix(values) => format!("starts with {}", strs(values)),
        Test::PlaceIs(places) => format!(
            "in {}",
            list(places.iter().map(|p| p.to_string()).collect())
        ),
        Test::PlaceWithin(places) => format!(
            "within {}",
            list(places.iter().map(|p| p.to_string()).collect())
        ),
        Test::HsIs(codes) => format!("in {}", list(codes.iter().map(|h| h.to_string()).collect())),
        Test::HsWithin(patterns) => format!(
            "within {}",
            list(
                patterns
                    .iter()
                    .map(|p| match p {
                        HsPattern::One(h) => h.to_string(),
                        HsPattern::Range(lo, hi) => format!("{lo}..{hi}"),
                    })
                    .collect()
            )
        ),
        Test::Num(op, n) => format!("{} {n}", op.as_str()),
        Test::Date(op, d) => format!("{} {d}", op.as_str()),
        Test::Money(op, amount, currency) => format!(
            "{} {amount} {}",
            op.as_str(),
            String::from_utf8_lossy(currency)
        ),
        // Written with the other field's name by `head`.
        Test::Field(op, _) => op.as_str().to_string(),
    }
}
