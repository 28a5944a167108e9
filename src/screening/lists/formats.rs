//! Readers for the list layouts: UN Consolidated List XML (current and `consolidatedLegacyByPRN`), OFAC SDN CSV, designated-vessels CSV.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufRead, Read};

use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::Event;
use smallvec::SmallVec;

use super::{Alias, Document, EntryKind, ListCatalog, ListEntry, ListError};

/// A list layout
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UN Security Council Consolidated List, XML (`CONSOLIDATED_LIST`), current or legacy layout
    UnXml,
    /// OFAC `sdn.csv` (12 columns, no header)
    OfacSdn,
    /// OFAC `alt.csv`, the aliases (5 columns, no header)
    OfacAlt,
    /// OFAC `add.csv`, the addresses (6 columns, no header)
    OfacAdd,
    /// The designated-vessels CSV of docs/lists.md (header `name,imo,flag,regime,legal_basis,designation_date`)
    Vessels,
}

impl Format {
    /// A short name for output
    pub fn as_str(self) -> &'static str {
        match self {
            Format::UnXml => "UN Consolidated List (XML)",
            Format::OfacSdn => "OFAC SDN (sdn.csv)",
            Format::OfacAlt => "OFAC SDN aliases (alt.csv)",
            Format::OfacAdd => "OFAC SDN addresses (add.csv)",
            Format::Vessels => "designated vessels (CSV)",
        }
    }
}

/// The columns of the designated-vessels layout, in order
pub const VESSEL_COLUMNS: [&str; 6] = [
    "name",
    "imo",
    "flag",
    "regime",
    "legal_basis",
    "designation_date",
];

/// Tells the layout from the first bytes of a file: an XML root element, the vessels header, or
/// the number of columns of OFAC's first record; `None` when it is none of these
pub fn detect(head: &[u8]) -> Option<Format> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = head.get(start..)?;
    if head.starts_with(b"<") {
        return Some(Format::UnXml);
    }
    let first_line = head.split(|&b| b == b'\n').next()?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(first_line);
    let record = reader.byte_records().next()?.ok()?;
    let first = record.get(0).map(|f| f.trim_ascii()).unwrap_or_default();
    if first == b"name" && record.iter().any(|f| f.trim_ascii() == b"imo") {
        return Some(Format::Vessels);
    }
    if !first.iter().all(u8::is_ascii_digit) || first.is_empty() {
        return None;
    }
    match record.len() {
        12 => Some(Format::OfacSdn),
        5 => Some(Format::OfacAlt),
        6 => Some(Format::OfacAdd),
        _ => None,
    }
}

/// Reads the UN Consolidated List in its XML layout, current or `consolidatedLegacyByPRN`, streaming
///
/// An entry without `REFERENCE_NUMBER` or `UN_LIST_TYPE`, or with a `LISTED_ON` that is not a
/// date, is skipped and recorded in `problems`; malformed XML is an error naming its line.
pub fn read_un_xml(input: impl BufRead) -> Result<ListCatalog, ListError> {
    let mut reader = Reader::from_reader(LineCounter {
        inner: input,
        newlines: 0,
    });
    reader.config_mut().check_end_names = true;
    let mut catalog = ListCatalog {
        format: Some(Format::UnXml),
        ..ListCatalog::default()
    };
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut group: HashMap<String, String> = HashMap::new();
    // The entry being read, with the line where it starts and whether a field was bad.
    let mut current: Option<(ListEntry, usize, bool)> = None;
    loop {
        let event = reader.read_event_into(&mut buf);
        let line = reader.get_ref().newlines + 1;
        match event {
            Err(e) => {
                return Err(ListError::Xml {
                    line,
                    message: e.to_string(),
                });
            }
            Ok(Event::Start(e)) => {
                let name = e.name().as_ref().to_string();
                match path.len() {
                    0 => {
                        if name != "CONSOLIDATED_LIST" {
                            return Err(ListError::UnknownRoot { line, found: name });
                        }
                        for attr in e.attributes().flatten() {
                            if attr.key.as_ref() == "dateGenerated" {
                                let value = attr
                                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .map_err(|e| ListError::Xml {
                                        line,
                                        message: e.to_string(),
                                    })?;
                                catalog.date = Some(value.into_owned());
                            }
                        }
                    }
                    2 => {
                        let kind = match name.as_str() {
                            "INDIVIDUAL" => Some(EntryKind::Individual),
                            "ENTITY" => Some(EntryKind::Entity),
                            _ => None,
                        };
                        current = kind.map(|k| (ListEntry::new(k), line, false));
                    }
                    3 => group.clear(),
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Ok(Event::Empty(e)) => {
                if path.is_empty() {
                    let name = e.name().as_ref().to_string();
                    if name != "CONSOLIDATED_LIST" {
                        return Err(ListError::UnknownRoot { line, found: name });
                    }
                }
                text.clear();
            }
            Ok(Event::Text(t)) => text.push_str(&t.xml10_content()),
            Ok(Event::CData(c)) => text.push_str(&c.into_inner()),
            Ok(Event::GeneralRef(r)) => {
                let name = r.xml10_content();
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => quick_xml::escape::resolve_xml_entity(&name).map(str::to_string),
                    Err(_) => None,
                };
                match resolved {
                    Some(s) => text.push_str(&s),
                    None => {
                        return Err(ListError::Xml {
                            line,
                            message: format!("unknown entity `&{name};`"),
                        });
                    }
                }
            }
            Ok(Event::End(_)) => {
                let name = path.pop().unwrap_or_default();
                let value = text.trim().to_string();
                text.clear();
                if path.len() == 2 {
                    if let Some((entry, start, false)) = current.take() {
                        finish_un_entry(entry, start, &mut catalog);
                    }
                } else if let Some((entry, _, bad)) = current.as_mut() {
                    if path.len() == 3 {
                        let n_problems = catalog.problems.len();
                        un_field(entry, &name, value, &mut group, &mut catalog.problems, line);
                        *bad |= catalog.problems.len() > n_problems;
                    } else if path.len() == 4 {
                        if path.last().is_some_and(|p| p == "NATIONALITY") {
                            if !value.is_empty() {
                                entry.nationalities.push(value);
                            }
                        } else if !value.is_empty() {
                            group.insert(name, value);
                        }
                    }
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    if !path.is_empty() {
        return Err(ListError::Xml {
            line: reader.get_ref().newlines + 1,
            message: format!("unexpected end of input inside `{}`", path.join("/")),
        });
    }
    Ok(catalog)
}

/// Reads OFAC's SDN list: `sdn.csv`, with its aliases (`alt.csv`) and addresses (`add.csv`)
/// joined by `ent_num`
///
/// A row with the wrong number of columns, a bad `ent_num` or an unknown `SDN_Type` is skipped
/// and recorded in `problems`, as is an alias or address whose `ent_num` is not in `sdn.csv`.
pub fn read_ofac_sdn(
    sdn: impl Read,
    alt: Option<&mut dyn Read>,
    add: Option<&mut dyn Read>,
) -> Result<ListCatalog, ListError> {
    let mut catalog = ListCatalog {
        format: Some(Format::OfacSdn),
        ..ListCatalog::default()
    };
    let mut index: HashMap<u64, usize> = HashMap::new();
    for_each_ofac_row(
        sdn,
        "sdn.csv",
        12,
        &mut catalog.problems,
        |row, cols, problems| {
            let Some(ent_num) = ent_num(row, cols, problems) else {
                return;
            };
            let kind = match column(cols, 2) {
                None => EntryKind::Entity,
                Some("individual") => EntryKind::Individual,
                Some("vessel") => EntryKind::Vessel,
                Some("aircraft") => EntryKind::Aircraft,
                Some(other) => {
                    problems.push(ListError::field(
                        row,
                        "SDN_Type",
                        format!("unknown type `{other}`"),
                    ));
                    return;
                }
            };
            let Some(name) = column(cols, 1) else {
                problems.push(ListError::field(row, "SDN_Name", "missing"));
                return;
            };
            let mut entry = ListEntry::new(kind);
            entry.reference = ent_num.to_string();
            entry.name_parts.push(name.to_string());
            entry.list_type = column(cols, 3).unwrap_or_default().to_string();
            entry.flag = column(cols, 9).map(str::to_string);
            entry.comments = column(cols, 11).map(str::to_string);
            entry.imo = entry.comments.as_deref().and_then(imo_in_remarks);
            index.insert(ent_num, catalog.entries.len());
            catalog.entries.push(entry);
        },
    )?;
    if let Some(alt) = alt {
        let entries = &mut catalog.entries;
        for_each_ofac_row(
            alt,
            "alt.csv",
            5,
            &mut catalog.problems,
            |row, cols, problems| {
                let Some(entry) = joined(row, cols, &index, entries, problems) else {
                    return;
                };
                let Some(name) = column(cols, 3) else {
                    problems.push(ListError::field(row, "alt_name", "missing"));
                    return;
                };
                let quality = column(cols, 2).unwrap_or_default();
                for name in split_aliases(name) {
                    entry.aliases.push(Alias {
                        quality: quality.to_string(),
                        name,
                    });
                }
            },
        )?;
    }
    if let Some(add) = add {
        let entries = &mut catalog.entries;
        for_each_ofac_row(
            add,
            "add.csv",
            6,
            &mut catalog.problems,
            |row, cols, problems| {
                let Some(entry) = joined(row, cols, &index, entries, problems) else {
                    return;
                };
                let parts: SmallVec<[&str; 3]> = (2..5).filter_map(|i| column(cols, i)).collect();
                if !parts.is_empty() {
                    entry.addresses.push(parts.join(", "));
                }
            },
        )?;
    }
    Ok(catalog)
}

/// Reads the designated-vessels CSV of docs/lists.md: a header naming the columns of
/// `VESSEL_COLUMNS` (in any order), then one vessel per row
///
/// A row with a missing name or regime, an IMO number that is not 7 digits with a valid check
/// digit, or a designation date that is not `YYYY-MM-DD` is skipped and recorded in `problems`.
pub fn read_vessels(input: impl Read) -> Result<ListCatalog, ListError> {
    let mut catalog = ListCatalog {
        format: Some(Format::Vessels),
        ..ListCatalog::default()
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| csv_error("vessels", &e))?
        .clone();
    let mut column = HashMap::new();
    for wanted in VESSEL_COLUMNS {
        match headers.iter().position(|h| h.trim() == wanted) {
            Some(i) => {
                column.insert(wanted, i);
            }
            None => {
                return Err(ListError::field(
                    "vessels record 1 (header)",
                    wanted,
                    "missing column",
                ));
            }
        }
    }
    for record in reader.records() {
        let record = record.map_err(|e| csv_error("vessels", &e))?;
        let number = record.position().map_or(0, |p| p.record() + 1);
        let loc = format!("vessels record {number}");
        let get = |name: &str| -> Option<String> {
            column
                .get(name)
                .and_then(|&i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let Some(name) = get("name") else {
            catalog
                .problems
                .push(ListError::field(loc, "name", "missing"));
            continue;
        };
        let Some(imo) = get("imo") else {
            catalog
                .problems
                .push(ListError::field(loc, "imo", "missing"));
            continue;
        };
        if let Err(message) = check_imo(&imo) {
            catalog.problems.push(ListError::field(loc, "imo", message));
            continue;
        }
        let Some(regime) = get("regime") else {
            catalog
                .problems
                .push(ListError::field(loc, "regime", "missing"));
            continue;
        };
        let date = get("designation_date");
        if let Some(d) = &date
            && NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
        {
            catalog.problems.push(ListError::field(
                loc,
                "designation_date",
                format!("`{d}` is not a date YYYY-MM-DD"),
            ));
            continue;
        }
        let mut entry = ListEntry::new(EntryKind::Vessel);
        entry.reference = format!("IMO {imo}");
        entry.name_parts.push(name);
        entry.imo = Some(imo);
        entry.flag = get("flag");
        entry.list_type = regime;
        entry.legal_basis = get("legal_basis");
        entry.listed_on = date;
        catalog.entries.push(entry);
    }
    Ok(catalog)
}

/// Checks an IMO ship number: 7 digits, the last the check digit (the first six weighted 7 to 2, sum mod 10)
pub fn check_imo(imo: &str) -> Result<(), String> {
    let digits: Vec<u32> = imo.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 7 || imo.len() != 7 {
        return Err(format!("`{imo}` is not 7 digits"));
    }
    let sum: u32 = digits.iter().zip((2..=7).rev()).map(|(d, w)| d * w).sum();
    if digits.last() != Some(&(sum % 10)) {
        return Err(format!("`{imo}` has a wrong check digit"));
    }
    Ok(())
}

/// Counts the lines consumed by the XML parser, so errors and skipped entries can name a line
struct LineCounter<R> {
    inner: R,
    newlines: usize,
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.newlines += out.get(..n).map_or(0, count_newlines);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(available) = self.inner.fill_buf() {
            self.newlines += available.get(..amount).map_or(0, count_newlines);
        }
        self.inner.consume(amount);
    }
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// The aliases of one alias field: the UN (and at times OFAC) joins several in one field with
/// `;` (`Abu Ali; Abu Ahmad`), and writes some as `a.k.a.` or `f.k.a.` forms
/// (`Abu Ali a.k.a. Abu Ahmad`, `(f.k.a. Nordwind Trading)`). Each piece is an alias of its own;
/// brackets and commas around a piece are dropped, empty pieces are not aliases.
pub(crate) fn split_aliases(field: &str) -> Vec<String> {
    const MARKERS: [&str; 3] = ["a.k.a.", "f.k.a.", "n.k.a."];
    let mut out = Vec::new();
    for piece in field.split(';') {
        let mut rest = piece;
        loop {
            let next = MARKERS
                .iter()
                .filter_map(|m| find_ignoring_case(rest, m).map(|at| (at, m.len())))
                .min();
            let (head, tail) = match next {
                Some((at, len)) => (rest.get(..at), rest.get(at + len..)),
                None => (Some(rest), None),
            };
            let name = head
                .unwrap_or_default()
                .trim_matches(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ':'));
            if !name.is_empty() {
                out.push(name.to_string());
            }
            match tail {
                Some(tail) => rest = tail,
                None => break,
            }
        }
    }
    out
}

/// Where `needle` (ASCII) first is in `hay`, ASCII letters compared without regard to case: a
/// match starts at an ASCII byte, so at a character's boundary
fn find_ignoring_case(hay: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    if needle.is_empty() {
        // `windows(0)` would panic; an empty needle is found at the start
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether an alias quality marks a low-quality alias: the UN's `Low`, OFAC's weak a.k.a.
/// (`weak`, `weak aka`). A match on such an alias is at most weak.
pub(crate) fn low_quality(quality: &str) -> bool {
    let q = quality.trim();
    q.eq_ignore_ascii_case("low")
        || q.get(..4)
            .is_some_and(|weak| weak.eq_ignore_ascii_case("weak"))
}

/// Applies one field of a UN entry (a child of `INDIVIDUAL`/`ENTITY`) when its element closes;
/// a bad field is pushed on `problems` and the caller skips the entry
fn un_field(
    entry: &mut ListEntry,
    name: &str,
    value: String,
    group: &mut HashMap<String, String>,
    problems: &mut Vec<ListError>,
    line: usize,
) {
    let non_empty = (!value.is_empty()).then_some(value);
    match name {
        "FIRST_NAME" | "SECOND_NAME" | "THIRD_NAME" | "FOURTH_NAME" => {
            entry.name_parts.extend(non_empty);
        }
        "NAME_ORIGINAL_SCRIPT" => entry.original_script = non_empty,
        "UN_LIST_TYPE" => entry.list_type = non_empty.unwrap_or_default(),
        "REFERENCE_NUMBER" => entry.reference = non_empty.unwrap_or_default(),
        "COMMENTS1" => entry.comments = non_empty,
        "LISTED_ON" => {
            if let Some(date) = non_empty {
                if let Some(date) = xsd_date(&date) {
                    entry.listed_on = Some(date);
                } else {
                    problems.push(ListError::field(
                        format!("line {line}"),
                        "LISTED_ON",
                        format!("`{date}` is not a date YYYY-MM-DD"),
                    ));
                }
            }
        }
        "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS" => {
            if let Some(alias) = group.remove("ALIAS_NAME") {
                let quality = group.remove("QUALITY").unwrap_or_default();
                for name in split_aliases(&alias) {
                    entry.aliases.push(Alias {
                        quality: quality.clone(),
                        name,
                    });
                }
            }
        }
        "INDIVIDUAL_DATE_OF_BIRTH" => {
            let range = match (group.get("FROM_YEAR"), group.get("TO_YEAR")) {
                (Some(from), Some(to)) => Some(format!("{from}-{to}")),
                _ => None,
            };
            let date = group
                .remove("DATE")
                .or_else(|| group.remove("YEAR"))
                .or(range);
            if let Some(date) = date {
                let date = match group.get("TYPE_OF_DATE").map(String::as_str) {
                    None | Some("EXACT") => date,
                    Some(kind) => format!("{date} ({})", kind.to_lowercase()),
                };
                entry.dates_of_birth.push(date);
            }
        }
        "INDIVIDUAL_PLACE_OF_BIRTH" => {
            entry
                .places_of_birth
                .extend(joined_parts(group, &["CITY", "STATE_PROVINCE", "COUNTRY"]));
        }
        "INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS" => {
            entry.addresses.extend(joined_parts(
                group,
                &["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"],
            ));
        }
        "INDIVIDUAL_DOCUMENT" => {
            let number = group.remove("NUMBER").unwrap_or_default();
            let kind = group.remove("TYPE_OF_DOCUMENT").unwrap_or_default();
            let country = group
                .remove("ISSUING_COUNTRY")
                .or_else(|| group.remove("COUNTRY_OF_ISSUE"))
                .unwrap_or_default();
            if !(number.is_empty() && kind.is_empty()) {
                entry.documents.push(Document {
                    kind,
                    number,
                    country,
                });
            }
        }
        _ => {}
    }
}

/// The `YYYY-MM-DD` of an `xsd:date`, which may carry a time zone (`2015-03-27-04:00`, `2015-03-27Z`)
fn xsd_date(text: &str) -> Option<String> {
    let (date, zone) = text.split_at_checked(10)?;
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.get(3..4) == Some(":"));
    (zone_ok && NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok()).then(|| date.to_string())
}

fn joined_parts(group: &HashMap<String, String>, parts: &[&str]) -> Option<String> {
    let present: Vec<&str> = parts
        .iter()
        .filter_map(|p| group.get(*p).map(String::as_str))
        .collect();
    (!present.is_empty()).then(|| present.join(", "))
}

/// Keeps a UN entry that has its reference number and list type, else records why it was skipped
fn finish_un_entry(entry: ListEntry, start: usize, catalog: &mut ListCatalog) {
    let location = match entry.reference.as_str() {
        "" => format!("line {start}"),
        reference => format!("line {start} (`{reference}`)"),
    };
    if entry.reference.is_empty() {
        catalog
            .problems
            .push(ListError::field(location, "REFERENCE_NUMBER", "missing"));
    } else if entry.list_type.is_empty() {
        catalog
            .problems
            .push(ListError::field(location, "UN_LIST_TYPE", "missing"));
    } else {
        catalog.entries.push(entry);
    }
}

/// The trimmed columns of one OFAC row, `None` for an empty column or `-0-`, borrowed from the
/// row as read (valid UTF-8, nearly always) or made valid: a row is read without allocating
type Columns<'r> = SmallVec<[Option<Cow<'r, str>>; 12]>;

/// A column of a row, if it has a value
fn column<'c>(cols: &'c Columns<'_>, i: usize) -> Option<&'c str> {
    cols.get(i).and_then(Option::as_deref)
}

/// Where a row of an OFAC file is, for its problems: `sdn.csv record 12`, written only when a
/// problem is recorded
#[derive(Clone, Copy, Debug)]
struct Row {
    file: &'static str,
    number: u64,
}

impl From<Row> for String {
    fn from(row: Row) -> String {
        format!("{} record {}", row.file, row.number)
    }
}

/// Calls `row` for every row of an OFAC file with `width` columns; rows of another width are
/// recorded in `problems`, the trailing Ctrl-Z line is skipped
fn for_each_ofac_row(
    input: impl Read,
    file: &'static str,
    width: usize,
    problems: &mut Vec<ListError>,
    mut row: impl FnMut(Row, &Columns<'_>, &mut Vec<ListError>),
) -> Result<(), ListError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    // One record read into again and again
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(file, &e))?
    {
        let columns: Columns<'_> = record
            .iter()
            .map(|f| {
                // Valid UTF-8 (nearly always) is checked at the speed of `from_utf8`, not of
                // `from_utf8_lossy`'s chunks
                let f = match std::str::from_utf8(f) {
                    Ok(f) => Cow::Borrowed(f.trim()),
                    Err(_) => Cow::Owned(String::from_utf8_lossy(f).trim().to_string()),
                };
                (!f.is_empty() && f != "-0-").then_some(f)
            })
            .collect();
        if columns
            .iter()
            .all(|c| c.as_deref().is_none_or(|c| c == "\u{1a}"))
        {
            continue;
        }
        let at = Row {
            file,
            number: record.position().map_or(0, |p| p.record() + 1),
        };
        if columns.len() != width {
            problems.push(ListError::field(
                at,
                "row",
                format!("expected {width} columns, found {}", columns.len()),
            ));
            continue;
        }
        row(at, &columns, problems);
    }
    Ok(())
}

fn ent_num(row: Row, cols: &Columns<'_>, problems: &mut Vec<ListError>) -> Option<u64> {
    let raw = column(cols, 0).unwrap_or_default();
    match raw.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            problems.push(ListError::field(
                row,
                "ent_num",
                format!("`{raw}` is not a number"),
            ));
            None
        }
    }
}

/// The `sdn.csv` entry an `alt.csv` or `add.csv` row belongs to
fn joined<'a>(
    row: Row,
    cols: &Columns<'_>,
    index: &HashMap<u64, usize>,
    entries: &'a mut [ListEntry],
    problems: &mut Vec<ListError>,
) -> Option<&'a mut ListEntry> {
    let n = ent_num(row, cols, problems)?;
    let entry = index.get(&n).and_then(|&i| entries.get_mut(i));
    if entry.is_none() {
        problems.push(ListError::field(
            row,
            "ent_num",
            format!("`{n}` is not in sdn.csv"),
        ));
    }
    entry
}

fn csv_error(file: &'static str, e: &csv::Error) -> ListError {
    ListError::Csv {
        file,
        record: e.position().map_or(0, |p| p.record() + 1),
        message: e.to_string(),
    }
}

/// The IMO number in OFAC remarks: `Vessel Registration Identification IMO 1234567`
fn imo_in_remarks(remarks: &str) -> Option<String> {
    let rest = remarks.split("IMO ").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (digits.len() == 7).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_fields_are_split_on_semicolons_and_aka_forms() {
        assert_eq!(
            split_aliases("Abu Ali; Abu Ahmad ;  ; Hajji Ali"),
            ["Abu Ali", "Abu Ahmad", "Hajji Ali"]
        );
        assert_eq!(
            split_aliases("Nordwind Trading (a.k.a. Blue Harbor Shipping, f.k.a. Sea Star)"),
            ["Nordwind Trading", "Blue Harbor Shipping", "Sea Star"]
        );
        assert_eq!(split_aliases("A.K.A. Sea Star"), ["Sea Star"]);
        assert_eq!(split_aliases("Saddam Hussein"), ["Saddam Hussein"]);
        assert!(split_aliases(" ; ").is_empty());
        // Letters of other scripts before and after a marker, and a marker's case mixed
        assert_eq!(
            split_aliases("Société Générale N.k.A. Ñandú İstanbul a.k.a."),
            ["Société Générale", "Ñandú İstanbul"]
        );
        assert_eq!(split_aliases("a.k.a.é"), ["é"]);
    }

    #[test]
    fn low_alias_qualities() {
        assert!(low_quality("Low"));
        assert!(low_quality("weak aka"));
        assert!(!low_quality("Good"));
        assert!(!low_quality("a.k.a."));
        assert!(!low_quality(""));
    }
}
