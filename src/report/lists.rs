//! The summary of an imported list that `embargo lists show` prints, and the candidates of
//! `embargo lists search`; their tables through `comfy-table`.

use std::fmt::Write;

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use crate::report::escape::{for_terminal, json_controls};
use crate::screening::index::Candidate;
use crate::screening::lists::{ListCatalog, ListDiff};

/// The list's name, format, date, then its counts per kind and per list type, one per line (an
/// entry under several OFAC programs counts under each, so those counts may add up to more)
pub fn summary(name: &str, catalog: &ListCatalog) -> String {
    let mut out = String::new();
    let format = catalog.format.map_or("unknown format", |f| f.as_str());
    let _ = writeln!(out, "{}: {format}", for_terminal(name));
    let _ = writeln!(
        out,
        "  date: {}",
        for_terminal(catalog.date.as_deref().unwrap_or("not given"))
    );
    let _ = writeln!(
        out,
        "  entries: {}, aliases: {}, skipped: {}",
        catalog.entries.len(),
        catalog.alias_count(),
        catalog.problems.len()
    );
    let _ = writeln!(out, "  by kind:");
    let by_kind = catalog
        .count_by_kind()
        .into_iter()
        .map(|(kind, n)| (kind.as_str().to_string(), n));
    out.push_str(&counts(by_kind));
    let _ = writeln!(out, "  by list type:");
    let by_list_type = catalog.count_by_list_type().into_iter().map(|(t, n)| {
        let t = if t.is_empty() { "(none)" } else { t };
        (for_terminal(t).into_owned(), n)
    });
    out.push_str(&counts(by_list_type));
    out
}

/// A table without borders or wrapping, its columns two spaces apart and as wide as their
/// widest cell (in display columns), lines trimmed: the tables of `lists show` and `lists search`
fn plain_table(header: Option<Vec<&str>>, rows: Vec<Vec<String>>, right: &[usize]) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    if let Some(header) = header {
        table.set_header(header);
    }
    table.add_rows(rows);
    let last = table.column_count().saturating_sub(1);
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if i == last { 0 } else { 2 }));
        if right.contains(&i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
        .trim_fmt()
        .lines()
        .fold(String::new(), |mut out, line| {
            let _ = writeln!(out, "{line}");
            out
        })
}

/// Names and counts, the counts right-aligned, indented under their heading
fn counts(rows: impl Iterator<Item = (String, usize)>) -> String {
    let rows: Vec<Vec<String>> = rows.map(|(name, n)| vec![name, n.to_string()]).collect();
    if rows.is_empty() {
        return String::new();
    }
    plain_table(None, rows, &[1])
        .lines()
        .fold(String::new(), |mut out, line| {
            let _ = writeln!(out, "    {line}");
            out
        })
}

/// The same as [`summary`], as one JSON object per list: `file`, `format`, `date`, `entries`,
/// `aliases`, `skipped`, `by_kind` and `by_list_type` (objects of counts)
pub fn summary_json(name: &str, catalog: &ListCatalog) -> String {
    let by_kind: serde_json::Map<String, serde_json::Value> = catalog
        .count_by_kind()
        .into_iter()
        .map(|(k, n)| (k.as_str().to_string(), n.into()))
        .collect();
    let by_list_type: serde_json::Map<String, serde_json::Value> = catalog
        .count_by_list_type()
        .into_iter()
        .map(|(t, n)| (t.to_string(), n.into()))
        .collect();
    json_controls(
        serde_json::json!({
            "file": name,
            "format": catalog.format.map(|f| f.as_str()),
            "date": catalog.date,
            "entries": catalog.entries.len(),
            "aliases": catalog.alias_count(),
            "skipped": catalog.problems.len(),
            "by_kind": by_kind,
            "by_list_type": by_list_type,
        })
        .to_string(),
    )
}

/// The entries `lists search` found, one row each, best first: score, strength, file,
/// reference, kind, list type, listed name and the name that matched
pub fn candidates_table(query: &str, found: &[(&str, Candidate)]) -> String {
    let mut out = String::new();
    if found.is_empty() {
        let _ = writeln!(out, "no entry matches `{}`", for_terminal(query));
        return out;
    }
    let rows = found
        .iter()
        .map(|(file, c)| {
            let strength = serde_json::to_value(c.strength)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let list = format!("{} ({})", c.list_type, short_file(file));
            vec![
                format!("{:.3}", c.score),
                strength,
                for_terminal(&c.reference).into_owned(),
                for_terminal(c.kind).into_owned(),
                for_terminal(&list).into_owned(),
                for_terminal(&c.listed_name).into_owned(),
                for_terminal(&c.matched_name).into_owned(),
            ]
        })
        .collect();
    let header = vec![
        "score",
        "strength",
        "reference",
        "kind",
        "list",
        "listed name",
        "matched",
    ];
    out.push_str(&plain_table(Some(header), rows, &[]));
    out
}

/// The entries `lists search` found as one JSON document
pub fn candidates_json(query: &str, found: &[(&str, Candidate)]) -> String {
    let rows: Vec<serde_json::Value> = found
        .iter()
        .map(|(file, c)| {
            serde_json::json!({
                "file": file,
                "entry": c.entry,
                "reference": c.reference,
                "kind": c.kind,
                "list_type": c.list_type,
                "listed_name": c.listed_name,
                "matched_name": c.matched_name,
                "score": (c.score * 1000.0).round() / 1000.0,
                "strength": c.strength,
            })
        })
        .collect();
    json_controls(serde_json::json!({ "query": query, "candidates": rows }).to_string())
}

/// What `lists diff` prints: added, removed and changed entries, then the counts
pub fn diff_text(old: &str, new: &str, diff: &ListDiff) -> String {
    let mut out = String::new();
    let date = |d: &Option<String>| d.clone().unwrap_or_else(|| "no date".into());
    let date = |d: &Option<String>| for_terminal(&date(d)).into_owned();
    let _ = writeln!(out, "old: {} ({})", for_terminal(old), date(&diff.old_date));
    let _ = writeln!(out, "new: {} ({})", for_terminal(new), date(&diff.new_date));
    for e in &diff.added {
        let line = format!("{} {} {}", e.reference, e.kind, e.name);
        let _ = writeln!(out, "+ {}", for_terminal(&line));
    }
    for e in &diff.removed {
        let line = format!("{} {} {}", e.reference, e.kind, e.name);
        let _ = writeln!(out, "- {}", for_terminal(&line));
    }
    for c in &diff.changed {
        let line = format!("{} {}: {}", c.reference, c.name, c.fields.join(", "));
        let _ = writeln!(out, "~ {}", for_terminal(&line));
    }
    let _ = writeln!(
        out,
        "added: {}, removed: {}, changed: {}, unchanged: {}",
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len(),
        diff.unchanged
    );
    out
}

/// What `lists diff --format json` prints
pub fn diff_json(diff: &ListDiff) -> String {
    json_controls(serde_json::to_string(diff).unwrap_or_default())
}

/// The last component of a path, for the table
fn short_file(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}
