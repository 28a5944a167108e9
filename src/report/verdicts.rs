//! Verdicts as JSON lines (the public contract) and as a table for people.

use crate::eval::Verdict;
use crate::provenance::Provenance;
use crate::report::escape::for_terminal;

/// The bytes a verdict's line is given at first: most lines of `clear` are shorter, and one
/// finding with its citations and reason about as long
const LINE_CAPACITY: usize = 512;

/// One verdict as one line of JSON, without the newline: the verdict format of the record
/// contract (docs/records.md), as `embargo screen` writes it
///
/// ```
/// use embargo::{Engine, Pack};
/// let engine = Engine::new(Pack::embedded().unwrap(), Default::default());
/// let verdict = engine.screen_json(r#"{"id": "tx-2", "date": "2022-09-05", "activity": "payment"}"#);
/// assert_eq!(embargo::verdict_json(&verdict), r#"{"id":"tx-2","verdict":"clear","findings":[]}"#);
/// let invalid = engine.screen_json(r#"{"id": "tx-3", "date": "2022-09-05", "activty": "payment"}"#);
/// assert!(embargo::verdict_json(&invalid).starts_with(r#"{"id":"tx-3","verdict":"invalid","errors":["#));
/// ```
pub fn json_line(verdict: &Verdict) -> String {
    // Room for a verdict with a finding and the caller's newline, so that the text is not
    // moved as it grows (`serde_json::to_string` starts at 128 bytes)
    let mut buffer = Vec::with_capacity(LINE_CAPACITY);
    let json = serde_json::to_writer(&mut buffer, verdict)
        .map_err(|e| e.to_string())
        .and_then(|()| String::from_utf8(buffer).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| {
            format!(
                "{{\"id\":null,\"verdict\":\"invalid\",\"errors\":[\"cannot write the verdict: {e}\"]}}"
            )
        });
    crate::report::escape::json_controls(json)
}

/// A run's provenance as one line of JSON (no newline): the value of a verdict's `provenance`
/// field, rendered once per run
pub fn provenance_json(provenance: &Provenance) -> String {
    // Strings and a vector of plain structs: serializing cannot fail, but say so if it does.
    serde_json::to_string(provenance)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot write the provenance: {e}\"}}"))
}

/// A run's provenance for people, a line each: the engine and pack, then each list (control
/// characters in names escaped); above the table's header, at the end of `explain`
pub fn provenance_lines(provenance: &Provenance) -> String {
    let mut out = format!(
        "provenance: engine {}, pack {}\n",
        provenance.engine, provenance.pack
    );
    if provenance.lists.is_empty() {
        out.push_str("  lists: none\n");
    }
    for l in &provenance.lists {
        let generated = l.generated.as_deref().map_or_else(
            || "(not dated)".to_string(),
            |g| for_terminal(g).into_owned(),
        );
        out.push_str(&format!(
            "  list {}: generated {generated}, sha256:{}\n",
            for_terminal(&l.name),
            l.sha256
        ));
    }
    out
}

/// Adds `provenance` (a JSON object, rendered once per run: [`provenance_json`]) to a line of
/// [`json_line`] as its last field, `"provenance"`
pub fn with_provenance(line: &mut String, provenance: &str) {
    if line.ends_with('}') {
        line.pop();
        line.push_str(",\"provenance\":");
        line.push_str(provenance);
        line.push('}');
    }
}

// The table of `screen --format table` has fixed column widths, not comfy-table's widths sized
// to the widest cell: it is written one verdict at a time as records stream in (millions of
// them), and a table sized to its contents would have to hold every row before the first.
const ID_W: usize = 28;
const VERDICT_W: usize = 23;
const RULE_W: usize = 44;

/// The colour a verdict is shown in, for people: red for `prohibited` and `invalid`, magenta for
/// `authorization_required`, yellow for `review`, cyan for `notify`, green for `clear`
pub fn verdict_style(outcome: crate::eval::Outcome) -> anstyle::Style {
    use crate::eval::Outcome;
    use crate::ir::Level;
    use anstyle::AnsiColor;
    let colour = match outcome {
        Outcome::Level(Level::Prohibited) | Outcome::Invalid => AnsiColor::Red,
        Outcome::Level(Level::AuthorizationRequired) => AnsiColor::Magenta,
        Outcome::Level(Level::Review) => AnsiColor::Yellow,
        Outcome::Level(Level::Notify) => AnsiColor::Cyan,
        Outcome::Level(Level::Clear) => AnsiColor::Green,
    };
    let style = anstyle::Style::new().fg_color(Some(colour.into()));
    if outcome.is_flagged() {
        style.bold()
    } else {
        style
    }
}

/// The table's header line
pub fn table_header() -> String {
    format!(
        "{:<ID_W$} {:<VERDICT_W$} {:<RULE_W$} CITATIONS\n",
        "ID", "VERDICT", "RULE"
    )
}

/// One verdict as table rows: the first finding beside the verdict, each finding's reason and
/// notes under it, then lifted rules and errors. Text from the record (its id, names in reasons
/// and matches, errors) is escaped for the terminal.
pub fn table_rows(verdict: &Verdict) -> String {
    table_rows_styled(verdict, false)
}

/// [`table_rows`], the verdict in its colour when `colour` ([`verdict_style`])
pub fn table_rows_styled(verdict: &Verdict, colour: bool) -> String {
    let id = for_terminal(verdict.id.as_deref().unwrap_or("(no id)"));
    let word = verdict.verdict.as_str();
    let style = if colour {
        verdict_style(verdict.verdict)
    } else {
        anstyle::Style::new()
    };
    // Padded outside the colour, so that a reader trimming the line sees the same text
    let pad = " ".repeat(VERDICT_W.saturating_sub(word.len()));
    let head = format!("{:<ID_W$} {style}{word}{style:#}{pad}", truncate(&id, ID_W),);
    let indent = " ".repeat(ID_W + VERDICT_W + 2);
    let findings = verdict.findings.as_deref().unwrap_or(&[]);
    let mut out = String::new();
    if findings.is_empty() {
        out.push_str(head.trim_end());
        out.push('\n');
    }
    for (i, f) in findings.iter().enumerate() {
        let cites: Vec<String> = f
            .citations
            .iter()
            .map(|c| {
                let mark = if c.unconfirmed { " (unconfirmed)" } else { "" };
                format!("{} {}{mark}", c.resolution, c.paragraph)
            })
            .collect();
        let lead = if i == 0 { head.clone() } else { String::new() };
        let rule = if f.verdict.as_str() == verdict.verdict.as_str() {
            f.rule.clone()
        } else {
            format!("{} ({})", f.rule, f.verdict.as_str())
        };
        out.push_str(&format!(
            "{:<w$} {:<RULE_W$} {}\n",
            lead,
            rule,
            cites.join("; "),
            w = ID_W + VERDICT_W + 1
        ));
        out.push_str(&format!("{indent}  {}\n", for_terminal(&f.reason)));
        for m in &f.matches {
            out.push_str(&format!("{indent}  {}\n", match_line(m)));
        }
        for note in &f.notes {
            out.push_str(&format!("{indent}  note: {}\n", for_terminal(note)));
        }
    }
    for l in &verdict.lifted {
        out.push_str(&format!(
            "{indent}{} lifted by {}\n",
            for_terminal(&l.rule),
            for_terminal(&l.by)
        ));
        for m in &l.matches {
            out.push_str(&format!("{indent}  {}\n", match_line(m)));
        }
    }
    for e in verdict.errors.iter().flatten() {
        out.push_str(&format!("{indent}  error: {}\n", for_terminal(e)));
    }
    out
}

/// One match a finding rests on, for people: `match: parties[0] is KPe.901 NAME (list): strong,
/// score 0.96; why`; escaped for the terminal (names come from the record and the list)
pub(crate) fn match_line(m: &crate::eval::MatchUsed) -> String {
    let d = &m.designation;
    let line = format!(
        "match: {} is {} {} ({}): {}, score {:.2}; {}",
        m.of,
        d.reference,
        d.listed_name,
        d.list,
        d.strength.as_str(),
        d.score,
        d.why.join("; ")
    );
    for_terminal(&line).into_owned()
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

/// The matches a suppression took out of the record, as table rows under its verdict (text
/// from the record, the list and the suppression file escaped for the terminal)
pub fn suppressed_rows(suppressed: &[crate::screening::suppress::SuppressedMatch]) -> String {
    let indent = " ".repeat(ID_W + VERDICT_W + 2);
    suppressed
        .iter()
        .map(|m| format!("{indent}  {}\n", suppressed_line(m)))
        .collect()
}

/// One suppressed match, for people: `suppressed: parties[0] is KPe.901 NAME (list): strong,
/// score 0.96; cleared by WHO on DAY until DAY: REASON`
pub fn suppressed_line(m: &crate::screening::suppress::SuppressedMatch) -> String {
    let d = &m.designation;
    let s = &m.suppression;
    let line = format!(
        "suppressed: {} is {} {} ({}): {}, score {:.2}; cleared by {} on {} until {}: {}",
        m.of,
        d.reference,
        d.listed_name,
        d.list,
        d.strength.as_str(),
        d.score,
        s.by,
        s.on,
        s.expires,
        s.reason
    );
    for_terminal(&line).into_owned()
}
