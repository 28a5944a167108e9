//! Screening parties and vessels against sanctions lists, in one place: the list formats
//! ([`lists`]), name normalisation and comparison ([`names`]), the name and identifier index
//! ([`index`]), matching a record's parties and vessels with corroboration and dates
//! ([`matching`]) and the analyst's suppressions ([`suppress`]).
//!
//! Layering, bottom up: `lists` and `names` know nothing of each other; `index` reads both;
//! `matching` reads `index` and the record model; `suppress` reads only the record model.
//! Nothing here reads a file by name except [`Lists::load`], or prints.

pub mod index;
pub mod lists;
mod load;
pub mod matching;
pub mod names;
pub mod suppress;

pub use load::{Lists, LoadError, Match, Versioned, detect_file, listed_types, read_files};
