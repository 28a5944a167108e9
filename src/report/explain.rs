//! Explanations (`embargo explain`): an indented tree for people, or JSON.

use crate::eval::{
    Explanation, Node, RuleExplanation, RuleStatus, Truth, Verdict, Weighed, WeighedKind,
};
use crate::provenance::Provenance;
use crate::report::escape::for_terminal;

/// The explanation as pretty JSON, with a final newline (`embargo explain --format json`)
///
/// ```
/// use embargo::{Engine, Pack};
/// let engine = Engine::new(Pack::embedded().unwrap(), Default::default());
/// let explanation = engine.explain_json(r#"{"id": "x", "date": "2022-09-05", "activity": "trade",
///     "origin": "KP", "goods": [{"hs": "9306.90"}]}"#).unwrap();
/// let json: serde_json::Value = serde_json::from_str(&embargo::explanation_json(&explanation)).unwrap();
/// assert_eq!(json["verdict"]["verdict"], "prohibited");
/// assert_eq!(json["verdict"]["findings"][0]["rule"], "un.dprk.arms.from_dprk");
/// // Every rule of the pack is there, with what became of it.
/// assert_eq!(json["rules"].as_array().unwrap().len(), engine.pack().program().rules.len());
/// ```
pub fn json(explanation: &Explanation) -> String {
    let mut out = crate::report::escape::json_controls(
        serde_json::to_string_pretty(explanation)
            .unwrap_or_else(|e| format!("{{\"error\":\"cannot write the explanation: {e}\"}}")),
    );
    out.push('\n');
    out
}

/// As [`json`], with `provenance` as the verdict's last field (when given), as
/// `screen --provenance` gives it
pub fn json_stamped(explanation: &Explanation, provenance: Option<&Provenance>) -> String {
    #[derive(serde::Serialize)]
    struct Stamped<'a> {
        #[serde(flatten)]
        verdict: &'a Verdict,
        #[serde(skip_serializing_if = "Option::is_none")]
        provenance: Option<&'a Provenance>,
    }
    #[derive(serde::Serialize)]
    struct Out<'a> {
        id: &'a str,
        date: &'a str,
        rules: &'a [RuleExplanation],
        verdict: Stamped<'a>,
    }
    // Every field named: a field added to `Explanation` must be added here too.
    let Explanation {
        id,
        date,
        rules,
        verdict,
    } = explanation;
    let out = Out {
        id,
        date,
        rules,
        verdict: Stamped {
            verdict,
            provenance,
        },
    };
    let text = serde_json::to_string_pretty(&out)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot write the explanation: {e}\"}}"));
    let mut text = crate::report::escape::json_controls(text);
    text.push('\n');
    text
}

/// The explanation for people: each rule with its status, its condition as a tree of
/// ✓ (true), ✗ (false), ! (error) and · (not evaluated), the values found, the exceptions and
/// authorizations weighed, and the verdict last. Text from the record and the rule files is
/// escaped for the terminal.
///
/// ```
/// use embargo::{Engine, Pack};
/// let engine = Engine::new(Pack::embedded().unwrap(), Default::default());
/// let explanation = engine.explain_json(r#"{"id": "tx-9", "date": "2022-09-05", "activity": "payment"}"#).unwrap();
/// let text = embargo::explanation_text(&explanation);
/// assert!(text.starts_with("record tx-9 judged on 2022-09-05: "));
/// assert!(text.trim_end().ends_with("verdict: clear"), "{text}");
/// ```
pub fn human(explanation: &Explanation) -> String {
    let mut out = format!(
        "record {} judged on {}: {} rule(s) in the program\n",
        for_terminal(&explanation.id),
        explanation.date,
        explanation.rules.len()
    );
    for rule in &explanation.rules {
        out.push('\n');
        rule_text(rule, &mut out);
    }
    let verdict = &explanation.verdict;
    out.push_str(&format!("\nverdict: {}\n", verdict.verdict.as_str()));
    for f in verdict.findings.iter().flatten() {
        out.push_str(&format!(
            "  {} ({}): {}\n",
            f.rule,
            f.verdict.as_str(),
            for_terminal(&f.reason)
        ));
        for m in &f.matches {
            out.push_str(&format!("    {}\n", super::verdicts::match_line(m)));
        }
    }
    for l in &verdict.lifted {
        out.push_str(&format!(
            "  {} lifted by {}\n",
            for_terminal(&l.rule),
            for_terminal(&l.by)
        ));
        for m in &l.matches {
            out.push_str(&format!("    {}\n", super::verdicts::match_line(m)));
        }
    }
    out
}

fn rule_text(rule: &RuleExplanation, out: &mut String) {
    let mark = match &rule.status {
        RuleStatus::Fired => "✓",
        RuleStatus::Error { .. } => "!",
        RuleStatus::Lifted { .. } | RuleStatus::NotFired => "✗",
        _ => "·",
    };
    let title = rule
        .title
        .as_deref()
        .map(|t| format!(": {}", for_terminal(t)))
        .unwrap_or_default();
    out.push_str(&format!("{mark} {}{title}\n", rule.id));
    let cites: Vec<String> = rule
        .citations
        .iter()
        .map(|c| {
            let unconfirmed = if c.unconfirmed { " (unconfirmed)" } else { "" };
            format!("{} {}{unconfirmed}", c.resolution, c.paragraph)
        })
        .collect();
    out.push_str(&format!(
        "    regime {}, {} when it fires; cites {}\n",
        rule.regime,
        rule.level.as_str(),
        if cites.is_empty() {
            "nothing".to_string()
        } else {
            cites.join("; ")
        }
    ));
    if rule.in_force {
        out.push_str("    in force on the day\n");
    } else {
        out.push_str(&format!(
            "    not in force on the day (in force {})\n",
            if rule.intervals.is_empty() {
                "never".to_string()
            } else {
                rule.intervals.join(", ")
            }
        ));
    }
    let status = match &rule.status {
        RuleStatus::SkippedActivity => "skipped: not a candidate for the record's activity".into(),
        RuleStatus::OutOfForce => "skipped: out of force".into(),
        RuleStatus::SkippedNeeds { missing } => format!("skipped: {}", missing.join("; ")),
        RuleStatus::NotFired => "not fired: the condition is false".into(),
        RuleStatus::Fired => "fired".into(),
        RuleStatus::Lifted { by } => format!("fired, lifted by {by}"),
        RuleStatus::Error { message } => format!("error: {message} (review)"),
    };
    out.push_str(&format!("    {}\n", for_terminal(&status)));
    if let Some(node) = &rule.condition {
        out.push_str("    condition:\n");
        node_text(node, 3, out);
    }
    if !rule.weighed.is_empty() {
        out.push_str("    weighed:\n");
        for w in &rule.weighed {
            weighed_text(w, out);
        }
    }
}

fn weighed_text(w: &Weighed, out: &mut String) {
    let mark = if w.lifted { "✓" } else { "✗" };
    // An authorization's name already says what it is: `authorization by BODY (REFERENCE)`.
    let name = if w.kind == WeighedKind::Exception {
        format!("exception {}", w.name)
    } else {
        w.name.clone()
    };
    out.push_str(&format!(
        "      {mark} {}: {}\n",
        for_terminal(&name),
        for_terminal(&w.why)
    ));
    if let Some(node) = &w.condition {
        node_text(node, 4, out);
    }
}

fn node_text(node: &Node, depth: usize, out: &mut String) {
    let mark = match node.outcome {
        Truth::True => "✓",
        Truth::False => "✗",
        Truth::Error => "!",
        Truth::NotEvaluated => "·",
    };
    out.push_str(&"  ".repeat(depth));
    out.push_str(mark);
    out.push(' ');
    out.push_str(&for_terminal(&node.text));
    if let Some(v) = &node.value {
        out.push_str(&format!("  (found: {})", for_terminal(&v.to_string())));
    }
    if let Some(n) = &node.note {
        out.push_str(&format!("  ({})", for_terminal(n)));
    }
    if node.outcome == Truth::NotEvaluated {
        out.push_str("  (not evaluated)");
    }
    out.push('\n');
    for child in &node.children {
        node_text(child, depth + 1, out);
    }
}
