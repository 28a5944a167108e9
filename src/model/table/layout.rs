//! A header read into a layout of columns, and each row turned into the JSON text of a record with the cell of each field.

use super::*;

/// What the header says of each column
#[derive(Clone, Debug)]
pub struct Layout {
    /// The header's row
    pub(super) row: usize,
    /// Each column's header as written, and its field (`None`: a column left out, or one
    /// with an empty header)
    pub(super) columns: Vec<(String, Option<Target>)>,
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
    pub(super) fn problems(&self, first_column: usize) -> Vec<String> {
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
            let (header, t) = match self.columns.get(i) {
                Some((header, Some(t))) => (header, t),
                // A column without a header, or one left out (`Branch: ~`): a value under no
                // header is a problem, one in a column left out is not read
                unread => {
                    let headerless = unread.is_none_or(|(header, _)| header.is_empty());
                    if headerless && cell.text(Kind::Text).ok().flatten().is_some() {
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
                }
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
pub(super) fn json_value(text: &str, kind: Kind) -> serde_json::Value {
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
pub(super) enum Node {
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
    pub(super) fn insert(
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
    pub(super) fn emit(
        self,
        path: String,
        cells: &mut Vec<FieldCell>,
    ) -> Option<serde_json::Value> {
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
