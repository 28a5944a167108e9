//! The record format of spec/records.md: vocabularies, places, HS codes, money, and reading.

pub mod designation;
pub mod input;
pub(crate) mod locate;
pub mod place;
pub mod read;
pub mod shape;
pub mod table;
pub mod transaction;
pub mod vocab;

pub use designation::Designation;
pub use input::{
    BrokenRecord, DEFAULT_MAX_RECORD_SIZE, MAX_RECORD_SIZE_LIMIT, ReadError, RecordReader,
};
pub use place::{Hs, Place};
pub use read::{
    InputFormat, InvalidRecord, ReadOptions, RecordText, UnknownField, parse_record,
    parse_record_into, parse_record_with,
};
pub use table::{
    Cell, ColumnMap, ContentMismatch, CsvRecords, Layout, Looks, SheetRecords, TableError,
    TableRow, check_content,
};
pub use transaction::{Authorization, FieldError, Item, Money, Party, Transaction, Vessel};
pub use vocab::Vocab;
