//! The record format of spec/records.md: vocabularies, places, HS codes, money, and reading.

pub mod designation;
pub(crate) mod locate;
pub mod place;
pub mod read;
pub mod transaction;
pub mod vocab;

pub use designation::Designation;
pub use place::{Hs, Place};
pub use read::{
    InputFormat, InvalidRecord, ReadOptions, RecordReader, RecordText, UnknownField, parse_record,
    parse_record_with,
};
pub use transaction::{Authorization, FieldError, Item, Money, Party, Transaction, Vessel};
pub use vocab::Vocab;
