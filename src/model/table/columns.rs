//! The columns a header may name, how each is parsed into a record field, and the map of a firm's own headers (`--columns`).

use super::*;

/// How a column's cells are read
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Text, as the cell shows it
    Text,
    /// A day: a spreadsheet's date cell as `YYYY-MM-DD`, its time of day dropped
    Date,
    /// A decimal number, kept as text (money, quantities): never through a float where the
    /// cell holds text
    Decimal,
    /// A whole number (a party's `count`)
    Count,
    /// A list of values separated by `;`
    List,
}

/// One step of a field's path in the record
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Step {
    /// A field of a mapping
    Key(String),
    /// An item of a list, numbered from 1 as the column names it
    Item(usize),
}

/// The field a column gives
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Target {
    /// The column's name in the layout: `goods.1.hs`
    pub(super) name: String,
    /// The field's path
    pub(super) path: Vec<Step>,
    /// How its cells are read
    pub(super) kind: Kind,
}

/// The fields of the record given by one column each
pub(super) const SCALARS: &[&str] = &[
    "id",
    "date",
    "activity",
    "description",
    "origin",
    "destination",
    "location",
];
/// The record's lists of values: one column of `;`-separated values, or numbered columns
pub(super) const LISTS: &[&str] = &["transit", "services"];
/// The fields of each list of mappings, and how each is read; `value` of goods is money
pub(super) const GOODS: &[(&str, Kind)] = &[
    ("description", Kind::Text),
    ("hs", Kind::Text),
    ("categories", Kind::List),
    ("quantity", Kind::Decimal),
    ("unit", Kind::Text),
];
pub(super) const PARTIES: &[(&str, Kind)] = &[
    ("role", Kind::Text),
    ("name", Kind::Text),
    ("kind", Kind::Text),
    ("country", Kind::Text),
    ("tags", Kind::List),
    ("count", Kind::Count),
];
pub(super) const VESSELS: &[(&str, Kind)] = &[
    ("name", Kind::Text),
    ("imo", Kind::Text),
    ("flag", Kind::Text),
    ("role", Kind::Text),
];
pub(super) const AUTHORIZATIONS: &[(&str, Kind)] = &[
    ("by", Kind::Text),
    ("reference", Kind::Text),
    ("date", Kind::Date),
    ("covers", Kind::List),
];

/// The list of mappings a column name starts with, and its fields
pub(super) fn group(name: &str) -> Option<&'static [(&'static str, Kind)]> {
    match name {
        "goods" => Some(GOODS),
        "parties" => Some(PARTIES),
        "vessels" => Some(VESSELS),
        "authorizations" => Some(AUTHORIZATIONS),
        _ => None,
    }
}

/// The column names of the layout, with `n` as the number of each list's item: what a name
/// that is not one is compared with for a hint
pub(super) fn candidates(n: usize) -> Vec<String> {
    let mut out: Vec<String> = SCALARS.iter().map(|s| (*s).to_string()).collect();
    for list in LISTS {
        out.push((*list).to_string());
        out.push(format!("{list}.{n}"));
    }
    out.push("amount.amount".into());
    out.push("amount.currency".into());
    for (list, fields) in [
        ("goods", GOODS),
        ("parties", PARTIES),
        ("vessels", VESSELS),
        ("authorizations", AUTHORIZATIONS),
    ] {
        for (field, _) in fields {
            out.push(format!("{list}.{n}.{field}"));
        }
    }
    out.push(format!("goods.{n}.value.amount"));
    out.push(format!("goods.{n}.value.currency"));
    out.push(format!("parties.{n}.ids.un_ref"));
    out.push("meta.NAME".into());
    out
}

/// A list item's number: `1` to `MAX_ITEMS`, no sign or leading zero
pub(super) fn item_number(text: &str) -> Result<usize, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "expected an item's number (1, 2, ...), found {text:?}"
        ));
    }
    match text.parse::<usize>() {
        Ok(0) => Err("lists are numbered from 1".into()),
        Ok(n) if n <= MAX_ITEMS && !text.starts_with('0') => Ok(n),
        Ok(n) if n <= MAX_ITEMS => Err(format!("write the number {n} without leading zeros")),
        _ => Err(format!("at most {MAX_ITEMS} items of a list")),
    }
}

/// The field a column name gives, or why it gives none. The names of the record's own fields
/// are read whatever their case; the names of `meta` and `ids` keys keep theirs.
pub(super) fn parse_column(name: &str) -> Result<Target, String> {
    let parts: Vec<&str> = name.split('.').collect();
    let lower: Vec<String> = parts.iter().map(|p| p.to_ascii_lowercase()).collect();
    let first = lower.first().map_or("", String::as_str);
    let key = |s: &str| Step::Key(s.to_string());
    // The rest of the name from part `i`, dots and case kept: a key of `meta` or `ids`
    let rest = |i: usize| parts.get(i..).map(|p| p.join(".")).unwrap_or_default();
    let target = |path: Vec<Step>, kind: Kind| {
        Ok(Target {
            name: canonical(&path),
            path,
            kind,
        })
    };
    match (first, lower.len()) {
        (f, 1) if SCALARS.contains(&f) => {
            let kind = if f == "date" { Kind::Date } else { Kind::Text };
            target(vec![key(f)], kind)
        }
        (f, 1) if LISTS.contains(&f) => target(vec![key(f)], Kind::List),
        (f, 2) if LISTS.contains(&f) => {
            let n = item_number(parts.get(1).copied().unwrap_or(""))?;
            target(vec![key(f), Step::Item(n)], Kind::Text)
        }
        ("amount", 2) => match lower.get(1).map(String::as_str) {
            Some(f @ ("amount" | "currency")) => {
                let kind = if f == "amount" {
                    Kind::Decimal
                } else {
                    Kind::Text
                };
                target(vec![key("amount"), key(f)], kind)
            }
            _ => Err(unknown(name)),
        },
        ("meta", n) if n >= 2 => {
            let k = rest(1);
            if k.is_empty() {
                return Err("`meta.` needs a name after it: meta.NAME".into());
            }
            target(vec![key("meta"), Step::Key(k)], Kind::Text)
        }
        (list, n) if n >= 3 && group(list).is_some() => {
            let fields = group(list).unwrap_or(&[]);
            let item = item_number(parts.get(1).copied().unwrap_or(""))?;
            let head = vec![key(list), Step::Item(item)];
            let field = lower.get(2).map_or("", String::as_str);
            let with = |more: &[Step], kind| {
                let mut path = head.clone();
                path.extend_from_slice(more);
                target(path, kind)
            };
            match (field, n) {
                ("value", 4) if list == "goods" => match lower.get(3).map(String::as_str) {
                    Some("amount") => with(&[key("value"), key("amount")], Kind::Decimal),
                    Some("currency") => with(&[key("value"), key("currency")], Kind::Text),
                    _ => Err(unknown(name)),
                },
                ("ids", n) if n >= 4 && list == "parties" => {
                    let k = rest(3);
                    with(&[key("ids"), Step::Key(k)], Kind::Text)
                }
                (f, 3) => match fields.iter().find(|(name, _)| *name == f) {
                    Some((f, kind)) => with(&[key(f)], *kind),
                    None => Err(unknown(name)),
                },
                (f, 4)
                    if fields
                        .iter()
                        .any(|(name, kind)| *name == f && *kind == Kind::List) =>
                {
                    let m = item_number(parts.get(3).copied().unwrap_or(""))?;
                    with(&[key(f), Step::Item(m)], Kind::Text)
                }
                _ => Err(unknown(name)),
            }
        }
        _ => Err(unknown(name)),
    }
}

/// An unknown column, with the closest known name when one is close
pub(super) fn unknown(name: &str) -> String {
    let n = name
        .split('.')
        .find_map(|p| {
            p.parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_ITEMS).contains(n))
        })
        .unwrap_or(1);
    let known = candidates(n);
    let lower = name.to_ascii_lowercase();
    match crate::diagnostics::did_you_mean(&lower, known.iter().map(String::as_str)) {
        Some(close) => format!("unknown column {name:?}: did you mean {close:?}?"),
        None => format!(
            "unknown column {name:?}: columns are named after the record's fields (id, date, \
activity, origin, goods.1.hs, parties.1.name, meta.NAME, ...: docs/tabular.md), or mapped from \
your own headers with --columns"
        ),
    }
}

/// The name of the column a path is given by: `goods.1.hs`
pub(super) fn canonical(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Item(n) => n.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A firm's own headers mapped to the layout's column names (`--columns FILE`, YAML)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// Each header and its column; `None` for a column to leave out
    pub(super) entries: Vec<(String, Option<String>)>,
}

impl ColumnMap {
    /// Reads a map written as YAML: `Txn Ref: id`, `Buyer: parties.1.name`, `Branch: ~` (a
    /// column left out). Each column named must be one of the layout's.
    pub fn parse(text: &str) -> Result<ColumnMap, TableError> {
        let bad = |what: String| TableError::Map(what);
        let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
            bad(format!(
                "not YAML: {e} (the map is YAML: `Your header: column`, one a line)"
            ))
        })?;
        let serde_yaml::Value::Mapping(map) = value else {
            return Err(bad(
                "expected a mapping of your headers to columns, such as `Txn Ref: id`".into(),
            ));
        };
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (k, v) in map {
            let Some(header) = scalar_text(&k) else {
                problems.push(format!("a key that is not a header: {k:?}"));
                continue;
            };
            let header = header.trim().to_string();
            match v {
                serde_yaml::Value::Null => entries.push((header, None)),
                v => match scalar_text(&v) {
                    Some(column) => match parse_column(column.trim()) {
                        Ok(t) => entries.push((header, Some(t.name))),
                        Err(e) => problems.push(format!("{header:?}: {e}")),
                    },
                    None => problems.push(format!(
                        "{header:?}: expected a column name such as \"parties.1.name\", or ~ to leave the column out"
                    )),
                },
            }
        }
        if !problems.is_empty() {
            return Err(bad(problems.join("; ")));
        }
        Ok(ColumnMap { entries })
    }

    pub(super) fn get(&self, header: &str) -> Option<&Option<String>> {
        self.entries
            .iter()
            .find(|(h, _)| h == header)
            .map(|(_, c)| c)
    }
}

/// A YAML scalar as text
pub(super) fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
