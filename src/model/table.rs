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

mod columns;
mod content;
mod layout;
mod readers;

pub use columns::ColumnMap;
use columns::*;
pub use content::{ContentMismatch, Looks, check_content};
pub use layout::Layout;
pub use readers::{Cell, CsvRecords, SheetRecords};

#[cfg(test)]
mod tests;
