//! The summary of an imported list that `embargo lists show` prints.

use std::fmt::Write;

use crate::lists::ListCatalog;

/// The list's name, format, date, then its counts per kind and per list type, one per line (an
/// entry under several OFAC programs counts under each, so those counts may add up to more)
pub fn summary(name: &str, catalog: &ListCatalog) -> String {
    let mut out = String::new();
    let format = catalog.format.map_or("unknown format", |f| f.as_str());
    let _ = writeln!(out, "{name}: {format}");
    let _ = writeln!(
        out,
        "  date: {}",
        catalog.date.as_deref().unwrap_or("not given")
    );
    let _ = writeln!(
        out,
        "  entries: {}, aliases: {}, skipped: {}",
        catalog.entries.len(),
        catalog.alias_count(),
        catalog.problems.len()
    );
    let _ = writeln!(out, "  by kind:");
    for (kind, n) in catalog.count_by_kind() {
        let _ = writeln!(out, "    {:<12} {n:>6}", kind.as_str());
    }
    let _ = writeln!(out, "  by list type:");
    for (list_type, n) in catalog.count_by_list_type() {
        let list_type = if list_type.is_empty() {
            "(none)"
        } else {
            list_type
        };
        let _ = writeln!(out, "    {list_type:<30} {n:>6}");
    }
    out
}
