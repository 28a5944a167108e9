//! Records from tables: CSV files and spreadsheets (`.xlsx`, `.xls`, `.ods`), one record a row,
//! under a header row that names each column's field (docs/tabular.md).
//!
//! Each row becomes the text of a JSON record ([`RecordText`], its line the row's number) with the
//! cell that gave each field ([`TableRow`]): the record is then read, checked and judged as any
//! other, and its errors name cells (`C17`) instead of places in a text the user never wrote.
//! A header that names a column no record field has, or lacks a required one, stops the reading
//! before any record ([`TableError::Header`]); a cell that cannot be read (a spreadsheet error
//! such as `#N/A`, bytes that are not UTF-8, a value under no header) makes its row's record
//! `invalid`, naming the cell. Rows whose cells are all empty are skipped, as blank lines are.
//!
//! [`check_content`] tells, from the first bytes of an input, when they cannot be the format it
//! is read as (CSV named `.jsonl`, JSON named `.csv`), so that this is said once rather than as
//! one `invalid` record per line.

use std::collections::BTreeMap;
use std::io::{self, BufRead};

use super::input::{BrokenRecord, ReadError};
use super::read::{InputFormat, RecordText};

/// The most items a numbered column may name (`goods.500.hs`)
const MAX_ITEMS: usize = 10_000;

/// Where the fields of a record read from a row came from
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// The row's number, from 1, as a spreadsheet shows it (the header is row 1 when it is the
    /// first line)
    pub row: usize,
    /// The cell of each field given, and of each field whose column is there but empty
    pub cells: Vec<FieldCell>,
    /// What is wrong with cells that could not be read, each with its column (from 0)
    pub problems: Vec<(usize, String)>,
}

/// The cell of one field of a row's record
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldCell {
    /// The field's path in the record, as errors name it: `goods[0].hs`
    pub field: String,
    /// The column, from 0 (`A` is 0)
    pub column: usize,
    /// The column's header, as the file writes it
    pub header: String,
    /// Whether the cell is empty (the field is then absent)
    pub empty: bool,
}

impl TableRow {
    /// Where `field` is, for an error about it: `at C17 (column "goods.1.hs")`, or `in row 17`
    /// when no column gives it; with the column to order errors by. A field within a cell's
    /// value (`transit[1]` of a `transit` cell) is at that cell; a mapping or list made of several
    /// cells (`goods[0]`) is at its first.
    pub fn place(&self, field: &str, missing: bool) -> (usize, String) {
        let within = |outer: &str, inner: &str| {
            inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with(['.', '[']))
        };
        let cell = self
            .cells
            .iter()
            .find(|c| c.field == field)
            .or_else(|| {
                self.cells
                    .iter()
                    .filter(|c| within(&c.field, field))
                    .max_by_key(|c| c.field.len())
            })
            .or_else(|| self.cells.iter().find(|c| within(field, &c.field)));
        match cell {
            Some(c) => (
                c.column,
                format!(
                    "at {} (column {:?}{})",
                    cell_name(c.column, self.row),
                    c.header,
                    if c.empty { ", empty" } else { "" }
                ),
            ),
            None if missing => (0, format!("in row {} (no column gives it)", self.row)),
            None => (0, format!("in row {}", self.row)),
        }
    }
}

/// A column's letters: `A` for 0, `Z` for 25, `AA` for 26
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A cell's name: `C17` for column 2, row 17
pub fn cell_name(column: usize, row: usize) -> String {
    format!("{}{row}", column_letters(column))
}

/// Why a table cannot be read at all
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The header names unknown columns, lacks required ones, or gives a field twice
    #[error("{}", header_message(.row, .problems))]
    Header {
        /// The header's row
        row: usize,
        /// Each problem, naming its cell
        problems: Vec<String>,
    },
    /// The input is not of the format it is read as
    #[error(transparent)]
    Content(#[from] ContentMismatch),
    /// The workbook cannot be opened, or has no sheet
    #[error("cannot read the workbook: {0}")]
    Workbook(String),
    /// The column map of `--columns` is not a mapping of headers to columns
    #[error("{0}")]
    Map(String),
    /// The input could not be read
    #[error(transparent)]
    Io(#[from] io::Error),
}

fn header_message(row: &usize, problems: &[String]) -> String {
    match problems {
        [one] => format!("the header (row {row}): {one}"),
        many => format!(
            "the header (row {row}) has {} problems:\n  {}",
            many.len(),
            many.join("\n  ")
        ),
    }
}

/// How a column's cells are read
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
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
enum Step {
    /// A field of a mapping
    Key(String),
    /// An item of a list, numbered from 1 as the column names it
    Item(usize),
}

/// The field a column gives
#[derive(Clone, Debug, PartialEq, Eq)]
struct Target {
    /// The column's name in the layout: `goods.1.hs`
    name: String,
    /// The field's path
    path: Vec<Step>,
    /// How its cells are read
    kind: Kind,
}

/// The fields of the record given by one column each
const SCALARS: &[&str] = &[
    "id",
    "date",
    "activity",
    "description",
    "origin",
    "destination",
    "location",
];
/// The record's lists of values: one column of `;`-separated values, or numbered columns
const LISTS: &[&str] = &["transit", "services"];
/// The fields of each list of mappings, and how each is read; `value` of goods is money
const GOODS: &[(&str, Kind)] = &[
    ("description", Kind::Text),
    ("hs", Kind::Text),
    ("categories", Kind::List),
    ("quantity", Kind::Decimal),
    ("unit", Kind::Text),
];
const PARTIES: &[(&str, Kind)] = &[
    ("role", Kind::Text),
    ("name", Kind::Text),
    ("kind", Kind::Text),
    ("country", Kind::Text),
    ("tags", Kind::List),
    ("count", Kind::Count),
];
const VESSELS: &[(&str, Kind)] = &[
    ("name", Kind::Text),
    ("imo", Kind::Text),
    ("flag", Kind::Text),
    ("role", Kind::Text),
];
const AUTHORIZATIONS: &[(&str, Kind)] = &[
    ("by", Kind::Text),
    ("reference", Kind::Text),
    ("date", Kind::Date),
    ("covers", Kind::List),
];

/// The list of mappings a column name starts with, and its fields
fn group(name: &str) -> Option<&'static [(&'static str, Kind)]> {
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
fn candidates(n: usize) -> Vec<String> {
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
fn item_number(text: &str) -> Result<usize, String> {
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
fn parse_column(name: &str) -> Result<Target, String> {
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
fn unknown(name: &str) -> String {
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
fn canonical(path: &[Step]) -> String {
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
    entries: Vec<(String, Option<String>)>,
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

    fn get(&self, header: &str) -> Option<&Option<String>> {
        self.entries
            .iter()
            .find(|(h, _)| h == header)
            .map(|(_, c)| c)
    }
}

/// A YAML scalar as text
fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// What the header says of each column
#[derive(Clone, Debug)]
pub struct Layout {
    /// The header's row
    row: usize,
    /// Each column's header as written, and its field (`None`: a column left out, or one
    /// with an empty header)
    columns: Vec<(String, Option<Target>)>,
}

impl Layout {
    /// The layout a header row gives (`header_row` its number, `first_column` the number from
    /// 0 of its first cell's column), read through `map` when one is given; every problem of the
    /// header at once
    pub fn new(
        headers: &[Cell],
        header_row: usize,
        first_column: usize,
        map: Option<&ColumnMap>,
    ) -> Result<Layout, TableError> {
        let mut problems = Vec::new();
        let mut columns = Vec::new();
        // The columns that unknown ones are hinted to be
        let mut meant: Vec<String> = Vec::new();
        for (i, cell) in headers.iter().enumerate() {
            let at = cell_name(first_column + i, header_row);
            let header = match cell.text(Kind::Text) {
                Ok(Some(h)) => h,
                Ok(None) => {
                    columns.push((String::new(), None));
                    continue;
                }
                Err(e) => {
                    problems.push(format!("{at}: {e}"));
                    columns.push((String::new(), None));
                    continue;
                }
            };
            let name = match map.and_then(|m| m.get(&header)) {
                Some(None) => {
                    columns.push((header, None));
                    continue;
                }
                Some(Some(column)) => column.clone(),
                None => header.clone(),
            };
            match parse_column(&name) {
                Ok(t) => columns.push((header, Some(t))),
                Err(e) => {
                    // A header close to one of the map's, when the map does not name it
                    let hint = map.and_then(|m| {
                        crate::diagnostics::did_you_mean(
                            &header,
                            m.entries.iter().map(|(h, _)| h.as_str()),
                        )
                    });
                    if let Some(Some(column)) = hint.and_then(|h| map.and_then(|m| m.get(h))) {
                        meant.push(column.clone());
                    }
                    if let Some((_, close)) = e.split_once("did you mean \"") {
                        meant.push(close.trim_end_matches("\"?").to_string());
                    }
                    match hint {
                        Some(h) => problems.push(format!(
                            "{at}: unknown column {header:?}: did you mean {h:?} (of the --columns map)?"
                        )),
                        None if e.starts_with("unknown column") => {
                            problems.push(format!("{at}: {e}"));
                        }
                        None => problems.push(format!("{at}: column {header:?}: {e}")),
                    }
                    columns.push((header, None));
                }
            }
        }
        let layout = Layout {
            row: header_row,
            columns,
        };
        // A required column missing is not said again when an unknown one is hinted to be it.
        let hinted = |p: &String| {
            p.strip_prefix("missing column ")
                .and_then(|rest| rest.split(':').next())
                .is_some_and(|name| meant.iter().any(|m| format!("{m:?}") == name))
        };
        let more: Vec<String> = layout
            .problems(first_column)
            .into_iter()
            .filter(|p| !hinted(p))
            .collect();
        problems.extend(more);
        if problems.is_empty() {
            Ok(layout)
        } else {
            Err(TableError::Header {
                row: header_row,
                problems,
            })
        }
    }

    /// The problems of the fields given: twice, one within another, required ones missing
    fn problems(&self, first_column: usize) -> Vec<String> {
        let mut problems = Vec::new();
        let at = |i: usize| cell_name(first_column + i, self.row);
        let given: Vec<(usize, &Target)> = self
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, (_, t))| t.as_ref().map(|t| (i, t)))
            .collect();
        for (n, (i, t)) in given.iter().enumerate() {
            for (j, u) in given.iter().skip(n + 1) {
                if t.path == u.path {
                    problems.push(format!(
                        "{} and {}: both give {:?}; give each field once",
                        at(*i),
                        at(*j),
                        t.name
                    ));
                } else if u.path.starts_with(&t.path) || t.path.starts_with(&u.path) {
                    problems.push(format!(
                        "{} ({:?}) and {} ({:?}): give a list either as one column of values \
separated by \";\" or as numbered columns, not both",
                        at(*i),
                        t.name,
                        at(*j),
                        u.name
                    ));
                }
            }
        }
        let has = |path: &[Step]| given.iter().any(|(_, t)| t.path == path);
        let key = |s: &str| Step::Key(s.to_string());
        for f in ["id", "date", "activity"] {
            if !has(&[key(f)]) {
                problems.push(format!(
                    "missing column {f:?}: every record needs id, date and activity"
                ));
            }
        }
        // The items of each list of mappings, and the money given: what each needs
        let mut items: Vec<Vec<Step>> = given
            .iter()
            .filter(|(_, t)| matches!(t.path.get(1), Some(Step::Item(_))) && t.path.len() > 2)
            .filter_map(|(_, t)| t.path.get(..2).map(<[Step]>::to_vec))
            .collect();
        items.sort();
        items.dedup();
        let mut needs: Vec<(Vec<Step>, Vec<&str>, &str)> = Vec::new();
        for item in items {
            match item.first() {
                Some(Step::Key(k)) if k == "parties" => {
                    needs.push((
                        item,
                        vec!["role", "name"],
                        "a party needs a role and a name",
                    ));
                }
                Some(Step::Key(k)) if k == "authorizations" => {
                    needs.push((item, vec!["by"], "an authorization needs who granted it"));
                }
                _ => {}
            }
        }
        // Money: `amount.*` of the record, `goods.N.value.*`
        let mut money: Vec<Vec<Step>> = given
            .iter()
            .filter_map(|(_, t)| match t.path.split_last() {
                Some((Step::Key(last), prefix))
                    if (last == "amount" || last == "currency")
                        && (prefix == [key("amount")] || prefix.last() == Some(&key("value"))) =>
                {
                    Some(prefix.to_vec())
                }
                _ => None,
            })
            .collect();
        money.sort();
        money.dedup();
        for m in money {
            needs.push((
                m,
                vec!["amount", "currency"],
                "an amount of money needs both its amount and its currency",
            ));
        }
        for (prefix, fields, why) in needs {
            for f in fields {
                let mut path = prefix.clone();
                path.push(key(f));
                if !has(&path) {
                    problems.push(format!("missing column {:?}: {why}", canonical(&path)));
                }
            }
        }
        problems
    }

    /// The record of one row (`row` its number, `first_column` the number from 0 of its first
    /// cell's column); `None` when all its cells are empty
    pub fn record(&self, row: usize, first_column: usize, cells: &[Cell]) -> Option<RecordText> {
        let mut tree = Node::Map(Vec::new());
        let mut problems = Vec::new();
        let mut any = false;
        for (i, cell) in cells.iter().enumerate() {
            let column = first_column + i;
            if matches!(cell, Cell::Empty) {
                if let Some((header, Some(t))) = self.columns.get(i) {
                    tree.insert(&t.path, header, column, None);
                }
                continue;
            }
            let Some((header, target)) = self.columns.get(i) else {
                if cell.text(Kind::Text).ok().flatten().is_some() {
                    any = true;
                    problems.push((
                        column,
                        format!(
                            "cell {}: a value in column {}, which has no header",
                            cell_name(column, row),
                            column_letters(column)
                        ),
                    ));
                }
                continue;
            };
            let Some(t) = target else {
                if header.is_empty() && cell.text(Kind::Text).ok().flatten().is_some() {
                    any = true;
                    problems.push((
                        column,
                        format!(
                            "cell {}: a value in column {}, which has no header",
                            cell_name(column, row),
                            column_letters(column)
                        ),
                    ));
                }
                continue;
            };
            match cell.text(t.kind) {
                Ok(text) => {
                    any |= text.is_some();
                    let value = text.map(|text| json_value(&text, t.kind));
                    tree.insert(&t.path, header, column, value);
                }
                Err(e) => {
                    any = true;
                    tree.insert(&t.path, header, column, None);
                    problems.push((
                        column,
                        format!("cell {} (column {header:?}): {e}", cell_name(column, row)),
                    ));
                }
            }
        }
        if !any {
            return None;
        }
        // Columns of the header past the row's last cell are empty cells.
        for (i, (header, target)) in self.columns.iter().enumerate().skip(cells.len()) {
            if let Some(t) = target {
                tree.insert(&t.path, header, first_column + i, None);
            }
        }
        let mut found = Vec::new();
        let value = tree
            .emit(String::new(), &mut found)
            .unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new()));
        Some(RecordText {
            line: row,
            column: 1,
            text: value.to_string(),
            yaml: false,
            table: Some(Box::new(TableRow {
                row,
                cells: found,
                problems,
            })),
        })
    }
}

/// A cell's text as the JSON value of its field
fn json_value(text: &str, kind: Kind) -> serde_json::Value {
    match kind {
        Kind::List => serde_json::Value::Array(
            text.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| serde_json::Value::String(s.to_string()))
                .collect(),
        ),
        // A whole number as a JSON number; anything else as text, which the record's check
        // refuses with its cell
        Kind::Count => match text.parse::<i64>() {
            Ok(n) => serde_json::Value::from(n),
            Err(_) => serde_json::Value::String(text.to_string()),
        },
        // Decimals as text, read exactly by the record's check (a JSON number would go through a
        // float)
        Kind::Text | Kind::Date | Kind::Decimal => serde_json::Value::String(text.to_string()),
    }
}

/// A record being built from a row's cells
enum Node {
    /// A cell: its header, its column, its value (`None`: empty)
    Leaf {
        header: String,
        column: usize,
        value: Option<serde_json::Value>,
    },
    /// A mapping, its fields in the order of their columns
    Map(Vec<(String, Node)>),
    /// A list's items by number
    Items(BTreeMap<usize, Node>),
}

impl Node {
    /// Puts a cell's value at `path`; a path that does not fit what is there already (which the
    /// header's check rules out) is left out
    fn insert(
        &mut self,
        path: &[Step],
        header: &str,
        column: usize,
        value: Option<serde_json::Value>,
    ) {
        let Some((step, rest)) = path.split_first() else {
            return;
        };
        let fresh = || {
            if rest.is_empty() {
                Node::Leaf {
                    header: header.to_string(),
                    column,
                    value: None,
                }
            } else if matches!(rest.first(), Some(Step::Item(_))) {
                Node::Items(BTreeMap::new())
            } else {
                Node::Map(Vec::new())
            }
        };
        let child = match (self, step) {
            (Node::Map(entries), Step::Key(k)) => {
                let i = match entries.iter().position(|(name, _)| name == k) {
                    Some(i) => i,
                    None => {
                        entries.push((k.clone(), fresh()));
                        entries.len() - 1
                    }
                };
                entries.get_mut(i).map(|(_, n)| n)
            }
            (Node::Items(items), Step::Item(n)) => Some(items.entry(*n).or_insert_with(fresh)),
            _ => None,
        };
        match child {
            Some(Node::Leaf { value: slot, .. }) if rest.is_empty() => *slot = value,
            Some(node) if !rest.is_empty() => node.insert(rest, header, column, value),
            _ => {}
        }
    }

    /// The JSON value, `None` when no cell under it holds one; the cells of the fields given
    /// (and of empty cells in items or mappings that are given) added to `cells` with their
    /// paths. Items of a list are numbered from 0 in the order of their columns' numbers, empty
    /// ones left out.
    fn emit(self, path: String, cells: &mut Vec<FieldCell>) -> Option<serde_json::Value> {
        match self {
            Node::Leaf {
                header,
                column,
                value,
            } => {
                cells.push(FieldCell {
                    field: path,
                    column,
                    header,
                    empty: value.is_none(),
                });
                value
            }
            Node::Map(entries) => {
                let mut map = serde_json::Map::new();
                for (key, node) in entries {
                    let sub = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    if let Some(v) = node.emit(sub, cells) {
                        map.insert(key, v);
                    }
                }
                (!map.is_empty()).then_some(serde_json::Value::Object(map))
            }
            Node::Items(items) => {
                let mut list = Vec::new();
                for node in items.into_values() {
                    let mut found = Vec::new();
                    if let Some(v) = node.emit(format!("{path}[{}]", list.len()), &mut found) {
                        list.push(v);
                        cells.extend(found);
                    }
                }
                (!list.is_empty()).then_some(serde_json::Value::Array(list))
            }
        }
    }
}

/// A cell as a file holds it
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing
    Empty,
    /// Text (CSV, a spreadsheet's text cell)
    Text(String),
    /// A spreadsheet's whole number
    Int(i64),
    /// A spreadsheet's number (a float: what the spreadsheet stores)
    Float(f64),
    /// A spreadsheet's boolean
    Bool(bool),
    /// A spreadsheet's date: the day (`YYYY-MM-DD`) and the time of day when it is not midnight
    Date {
        /// `YYYY-MM-DD`
        day: String,
        /// `HH:MM:SS`, when not midnight
        time: Option<String>,
    },
    /// A spreadsheet's error value (`#N/A`)
    Error(String),
    /// CSV bytes that are not UTF-8: the first bad byte
    BadUtf8(u8),
}

impl Cell {
    /// The cell's text as a field of `kind` reads it, trimmed; `None` when empty
    fn text(&self, kind: Kind) -> Result<Option<String>, String> {
        let text = match self {
            Cell::Empty => return Ok(None),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(f) => float_text(*f),
            Cell::Bool(b) => b.to_string(),
            Cell::Date { day, time } => match (kind, time) {
                (Kind::Date, _) | (_, None) => day.clone(),
                (_, Some(time)) => format!("{day} {time}"),
            },
            Cell::Error(e) => return Err(format!("the spreadsheet error {e}")),
            Cell::BadUtf8(b) => return Err(format!("not valid UTF-8 (byte 0x{b:02X})")),
        };
        Ok((!text.is_empty()).then_some(text))
    }
}

/// A spreadsheet's number as text: a whole number without a fraction, else the shortest decimal
/// that reads back as the same float (`0.1`, not `0.1000000000000000055511151231257827`)
fn float_text(f: f64) -> String {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every whole number below is exact
    if f.is_finite() && f.fract() == 0.0 && f.abs() < EXACT {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

/// The records of a CSV input, one a row, in the order of the rows
pub struct CsvRecords<R> {
    reader: csv::Reader<R>,
    layout: Option<Layout>,
    record: csv::ByteRecord,
    /// The rows read so far: records of the file, the header included (the `csv` reader skips
    /// blank lines, and its own line numbers are not those of the records that follow them)
    rows: usize,
    max_record_size: usize,
    done: bool,
}

impl<R: BufRead> CsvRecords<R> {
    /// A reader of the CSV `input`, its header read (through `map`, when given) and checked. The
    /// separator is the one of `,`, `;` and tab that the header line holds most of (`,` when
    /// none). A byte-order mark is skipped. An input with no header row has no record.
    pub fn new(
        mut input: R,
        map: Option<&ColumnMap>,
        max_record_size: usize,
    ) -> Result<CsvRecords<R>, TableError> {
        let start = input.fill_buf()?;
        if start.starts_with(b"\xEF\xBB\xBF") {
            input.consume(3);
        }
        let delimiter = separator(input.fill_buf()?);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(input);
        let mut records = CsvRecords {
            reader,
            layout: None,
            record: csv::ByteRecord::new(),
            rows: 0,
            max_record_size,
            done: false,
        };
        while let Some(row) = records.read_row().map_err(|e| match e {
            ReadError::Io(e) => TableError::Io(e),
            other => TableError::Io(io::Error::new(
                io::ErrorKind::InvalidData,
                other.to_string(),
            )),
        })? {
            let cells = records.cells();
            if cells.iter().all(|c| matches!(c, Cell::Empty)) {
                continue;
            }
            records.layout = Some(Layout::new(&cells, row, 0, map)?);
            return Ok(records);
        }
        records.done = true;
        Ok(records)
    }

    /// Reads the next row into `self.record`: its number (the header's is 1), `None` at the end
    fn read_row(&mut self) -> Result<Option<usize>, ReadError> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                self.rows = self.rows.saturating_add(1);
                Ok(Some(self.rows))
            }
            Err(e) => match e.into_kind() {
                csv::ErrorKind::Io(e) => Err(ReadError::Io(e)),
                other => Err(ReadError::Split {
                    line: 0,
                    column: 0,
                    message: format!("{other:?}"),
                }),
            },
        }
    }

    /// The cells of the row read
    fn cells(&self) -> Vec<Cell> {
        self.record
            .iter()
            .map(|bytes| match std::str::from_utf8(bytes) {
                Ok(t) if t.trim().is_empty() => Cell::Empty,
                Ok(t) => Cell::Text(t.to_string()),
                Err(e) => Cell::BadUtf8(bytes.get(e.valid_up_to()).copied().unwrap_or(0)),
            })
            .collect()
    }
}

impl<R: BufRead> Iterator for CsvRecords<R> {
    type Item = Result<RecordText, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let row = match self.read_row() {
                Ok(Some(row)) => row,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            let layout = self.layout.as_ref()?;
            let size = self.record.as_slice().len();
            if size > self.max_record_size {
                if self.cells().iter().all(|c| matches!(c, Cell::Empty)) {
                    continue;
                }
                return Some(Err(ReadError::Record(BrokenRecord {
                    id: None,
                    line: row,
                    at_line: row,
                    at_column: 1,
                    message: format!(
                        "row {row} longer than {} bytes (the limit set by `--max-record-size`): not read",
                        self.max_record_size
                    ),
                })));
            }
            if let Some(record) = layout.record(row, 0, &self.cells()) {
                return Some(Ok(record));
            }
        }
    }
}

/// The separator of a CSV file: of `,`, `;` and tab, the one its first line holds most of
/// outside quotes; `,` when it holds none
fn separator(start: &[u8]) -> u8 {
    let line = start.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map_or(b',', |(d, _)| *d)
}

/// The records of a spreadsheet's first sheet, one a row
pub struct SheetRecords {
    layout: Option<Layout>,
    range: calamine::Range<calamine::Data>,
    /// The next row, from 0 in the range
    next: usize,
    /// The sheet's row and column (from 0) of the range's first cell
    start: (usize, usize),
    max_record_size: usize,
}

impl SheetRecords {
    /// The records of the workbook `bytes` (`.xlsx`, `.xls` or `.ods`, whichever its content
    /// is), its first sheet's first non-empty row the header, read through `map` when given
    pub fn new(
        bytes: &[u8],
        format: InputFormat,
        map: Option<&ColumnMap>,
        max_record_size: usize,
    ) -> Result<SheetRecords, TableError> {
        check_content(bytes, format)?;
        let range = first_sheet(bytes)?;
        let start = range.start().map_or((0, 0), |(r, c)| {
            (
                usize::try_from(r).unwrap_or(usize::MAX),
                usize::try_from(c).unwrap_or(usize::MAX),
            )
        });
        let mut records = SheetRecords {
            layout: None,
            range,
            next: 0,
            start,
            max_record_size,
        };
        while let Some((row, cells)) = records.row() {
            if cells.iter().all(|c| matches!(c, Cell::Empty)) {
                continue;
            }
            records.layout = Some(Layout::new(&cells, row, start.1, map)?);
            break;
        }
        Ok(records)
    }

    /// The next row: its number (from 1) and cells
    fn row(&mut self) -> Option<(usize, Vec<Cell>)> {
        let (height, width) = self.range.get_size();
        if self.next >= height {
            return None;
        }
        let i = self.next;
        self.next += 1;
        let cells = (0..width)
            .map(|j| self.range.get((i, j)).map_or(Cell::Empty, cell_of))
            .collect();
        Some((self.start.0 + i + 1, cells))
    }
}

impl Iterator for SheetRecords {
    type Item = Result<RecordText, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.layout.as_ref()?;
        loop {
            let (row, cells) = self.row()?;
            let layout = self.layout.as_ref()?;
            if let Some(record) = layout.record(row, self.start.1, &cells) {
                if record.text.len() > self.max_record_size {
                    return Some(Err(ReadError::Record(BrokenRecord {
                        id: None,
                        line: row,
                        at_line: row,
                        at_column: 1,
                        message: format!(
                            "row {row} longer than {} bytes (the limit set by `--max-record-size`): not read",
                            self.max_record_size
                        ),
                    })));
                }
                return Some(Ok(record));
            }
        }
    }
}

/// The first sheet of a workbook, whichever of `.xlsx`, `.xls`, `.xlsb` or `.ods` its content
/// is. The reader is guarded: a workbook that makes it panic is one that cannot be read.
fn first_sheet(bytes: &[u8]) -> Result<calamine::Range<calamine::Data>, TableError> {
    use calamine::Reader;
    let read = || -> Result<calamine::Range<calamine::Data>, TableError> {
        let mut book = calamine::open_workbook_auto_from_rs(io::Cursor::new(bytes))
            .map_err(|e| TableError::Workbook(e.to_string()))?;
        match book.worksheet_range_at(0) {
            Some(Ok(range)) => Ok(range),
            Some(Err(e)) => Err(TableError::Workbook(e.to_string())),
            None => Err(TableError::Workbook("it has no sheet".into())),
        }
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(TableError::Workbook(
            "the reader of workbooks failed on it".into(),
        ))
    })
}

/// A spreadsheet's cell
fn cell_of(data: &calamine::Data) -> Cell {
    use calamine::Data;
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(n) => Cell::Int(*n),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) if d.is_datetime() => match d.as_datetime() {
            Some(dt) => {
                let time = dt.time();
                Cell::Date {
                    day: dt.date().format("%Y-%m-%d").to_string(),
                    time: (time != chrono::NaiveTime::MIN)
                        .then(|| time.format("%H:%M:%S").to_string()),
                }
            }
            None => Cell::Float(d.as_f64()),
        },
        Data::DateTime(d) => Cell::Float(d.as_f64()),
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((day, time)) if time.trim_start_matches(['0', ':', '.']).is_empty() => {
                Cell::Date {
                    day: day.to_string(),
                    time: None,
                }
            }
            Some((day, time)) => Cell::Date {
                day: day.to_string(),
                time: Some(time.to_string()),
            },
            None if s.len() == 10 => Cell::Date {
                day: s.clone(),
                time: None,
            },
            None => Cell::Text(s.clone()),
        },
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// What the start of an input looks like
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Looks {
    /// Nothing but whitespace
    Empty,
    /// A JSON object (`{`)
    JsonObject,
    /// A JSON array (`[`)
    JsonArray,
    /// YAML: `---`, `%YAML`, or `key: value`
    Yaml,
    /// A line of values separated by `,`, `;` or tabs
    Csv,
    /// A ZIP file: an `.xlsx` or `.ods` workbook
    Zip,
    /// An OLE compound file: an `.xls` workbook
    Ole,
    /// Anything else
    Text,
}

impl Looks {
    /// What the start of an input looks like
    pub fn of(start: &[u8]) -> Looks {
        if start.starts_with(b"PK\x03\x04") {
            return Looks::Zip;
        }
        if start.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
            return Looks::Ole;
        }
        let text = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
        let text = text.trim_ascii_start();
        let Some(&first) = text.first() else {
            return Looks::Empty;
        };
        match first {
            b'{' => return Looks::JsonObject,
            b'[' => return Looks::JsonArray,
            _ => {}
        }
        if text.starts_with(b"---") || text.starts_with(b"%YAML") {
            return Looks::Yaml;
        }
        // The first line that is not blank, a comment or a YAML directive
        let Some(line) = text.split(|&b| b == b'\n').find(|l| {
            let l = l.trim_ascii();
            !l.is_empty() && !l.starts_with(b"#") && !l.starts_with(b"%")
        }) else {
            return if text.starts_with(b"#") {
                Looks::Yaml
            } else {
                Looks::Text
            };
        };
        let line = line.trim_ascii();
        match line.first() {
            Some(b'{') => return Looks::JsonObject,
            Some(b'[') => return Looks::JsonArray,
            _ => {}
        }
        if line.starts_with(b"---") {
            return Looks::Yaml;
        }
        let key_len = line
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b' '))
            .count();
        let separators = line.iter().any(|&b| matches!(b, b',' | b';' | b'\t'));
        let after_key = line.get(key_len..).unwrap_or(&[]);
        if key_len > 0
            && (after_key == b":" || after_key.starts_with(b": ") || after_key == b":\r")
            && !separators
        {
            return Looks::Yaml;
        }
        if separators {
            return Looks::Csv;
        }
        Looks::Text
    }

    /// The format an input that looks like this may be read as, if any
    fn format(self) -> Option<InputFormat> {
        match self {
            Looks::JsonObject => Some(InputFormat::JsonLines),
            Looks::JsonArray => Some(InputFormat::JsonArray),
            Looks::Yaml => Some(InputFormat::Yaml),
            Looks::Csv => Some(InputFormat::Csv),
            Looks::Zip => Some(InputFormat::Xlsx),
            Looks::Ole => Some(InputFormat::Xls),
            Looks::Empty | Looks::Text => None,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Looks::Empty => "nothing",
            Looks::JsonObject => "a JSON object",
            Looks::JsonArray => "a JSON array",
            Looks::Yaml => "YAML",
            Looks::Csv => "a CSV header",
            Looks::Zip => "a ZIP file (an .xlsx or .ods workbook)",
            Looks::Ole => "an .xls workbook",
            Looks::Text => "text",
        }
    }
}

/// An input whose content is not the format it is read as
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct ContentMismatch {
    /// The format it was read as
    pub format: InputFormat,
    /// What it looks like
    pub looks: Looks,
    /// Its first characters, for the message
    pub start: String,
}

impl ContentMismatch {
    fn message(&self) -> String {
        let shown = if matches!(self.looks, Looks::Zip | Looks::Ole | Looks::Empty) {
            String::new()
        } else {
            format!(" (`{}`)", self.start)
        };
        let hint = match self.looks.format() {
            Some(f) => format!("; give `--input-format {}` to read it as such", f.name()),
            None => {
                "; `--input-format` names the format when the file's extension does not".to_string()
            }
        };
        format!(
            "the input is read as {} (from its extension or --input-format), but it starts with {}{shown}{hint}",
            self.format.describe(),
            self.looks.describe(),
        )
    }
}

/// Checks that the start of an input can be the format it is read as; the mismatch, said once,
/// when it plainly cannot: a workbook or a CSV header read as JSON Lines, JSON read as CSV,
/// anything but a workbook read as one. JSON Lines whose first line is not an object but whose
/// start holds a line that is one is let through (a broken first line is one `invalid` record).
pub fn check_content(start: &[u8], format: InputFormat) -> Result<(), ContentMismatch> {
    let looks = Looks::of(start);
    let fits = match format {
        // A start that is not an object, then a line that is one whole (`{...}`): a broken first
        // line, which is one `invalid` record
        InputFormat::JsonLines => match looks {
            Looks::Empty | Looks::JsonObject => true,
            Looks::Zip | Looks::Ole => false,
            // An array that is all of its line is a line of JSON, one `invalid` record; the `[`
            // of one written over many lines is JSON, not JSON Lines
            Looks::JsonArray => start
                .split(|&b| b == b'\n')
                .find(|l| !l.trim_ascii().is_empty())
                .is_some_and(|l| l.trim_ascii().ends_with(b"]")),
            Looks::Yaml | Looks::Csv | Looks::Text => {
                start.split(|&b| b == b'\n').skip(1).any(|l| {
                    let l = l.trim_ascii();
                    l.starts_with(b"{") && l.ends_with(b"}")
                })
            }
        },
        InputFormat::JsonArray => !matches!(looks, Looks::Csv | Looks::Zip | Looks::Ole),
        InputFormat::Yaml => match looks {
            Looks::Zip | Looks::Ole => false,
            // `key: a, b` is YAML; a line of values with no `:` is not a mapping
            Looks::Csv => start
                .split(|&b| b == b'\n')
                .find(|l| !l.trim_ascii().is_empty())
                .is_some_and(|l| l.contains(&b':')),
            _ => true,
        },
        InputFormat::Csv => {
            !matches!(
                looks,
                Looks::JsonObject | Looks::JsonArray | Looks::Zip | Looks::Ole
            ) && !start.trim_ascii_start().starts_with(b"---")
        }
        InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods => {
            matches!(looks, Looks::Zip | Looks::Ole)
        }
    };
    if fits {
        return Ok(());
    }
    let text = String::from_utf8_lossy(start.get(..200).unwrap_or(start));
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let first = text.lines().next().unwrap_or("");
    let mut shown: String = first
        .chars()
        .take(40)
        .flat_map(char::escape_default)
        .collect();
    if first.chars().count() > 40 {
        shown.push('…');
    }
    Err(ContentMismatch {
        format,
        looks,
        start: shown,
    })
}

#[cfg(test)]
mod tests;
