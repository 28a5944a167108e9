//! Verdicts as JSON lines (the public contract) and as a table for people.

use crate::eval::Verdict;

/// One verdict as one line of JSON, without the newline
pub fn json_line(verdict: &Verdict) -> String {
    serde_json::to_string(verdict).unwrap_or_else(|e| {
        format!(
            "{{\"id\":null,\"verdict\":\"invalid\",\"errors\":[\"cannot write the verdict: {e}\"]}}"
        )
    })
}

/// The table's header line
pub fn table_header() -> String {
    format!("{:<32} {:<24} {}\n", "ID", "VERDICT", "RULES AND CITATIONS")
}

/// One verdict as table rows: the verdict, then a line per finding with its citations and reason
pub fn table_rows(verdict: &Verdict) -> String {
    let id = verdict.id.as_deref().unwrap_or("(no id)");
    let mut out = format!("{:<32} {:<24}", truncate(id, 32), verdict.verdict.as_str());
    let findings = verdict.findings.as_deref().unwrap_or(&[]);
    if findings.is_empty() && verdict.errors.is_none() {
        out.push_str(" -");
    }
    out.push('\n');
    for f in findings {
        let cites: Vec<String> = f
            .citations
            .iter()
            .map(|c| format!("{} para {}", c.resolution, c.paragraph))
            .collect();
        out.push_str(&format!(
            "{:<57} {} [{}] {}: {}\n",
            "",
            f.rule,
            f.verdict.as_str(),
            cites.join("; "),
            f.reason
        ));
        for note in &f.notes {
            out.push_str(&format!("{:<57}   note: {note}\n", ""));
        }
    }
    for l in &verdict.lifted {
        out.push_str(&format!("{:<57} {} lifted by {}\n", "", l.rule, l.by));
    }
    for e in verdict.errors.iter().flatten() {
        out.push_str(&format!("{:<57} error: {e}\n", ""));
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
