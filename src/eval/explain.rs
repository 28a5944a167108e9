//! `explain`: one record judged with every step recorded, by the same code path as `evaluate`.
//!
//! [`Evaluator::explain`] runs the evaluator's `judge` with [`Recorder`], a tracer that builds the
//! tree of each condition (outcome, value found, quantifier witness) and lists the exceptions and
//! authorizations weighed; rules the activity index leaves out are listed too, so every rule of
//! the program appears. The verdict is the one `evaluate` gives, by construction.

use chrono::NaiveDate;
use serde::Serialize;

use super::{EvalError, Evaluator, Tracer, Verdict};
use crate::ir::{Citation, Cond, Level, ListRef, in_force};
use crate::model::Transaction;

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
            text: crate::ir::text::head(cond, &self.names),
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
            text: crate::ir::text::head(cond, &self.names),
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
        // A rule skipped (out of force, or lacking what it needs) evaluated nothing: no condition
        // (`explain::a_skipped_rule_names_exactly_what_the_record_lacks`).
        let condition = self.condition.take().or_else(|| self.done.pop());
        let status = status();
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
        let mut verdict = self.judge(t, date, &mut recorder);
        verdict.id = Some(t.id.clone());
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
