//! Errors of list import: each names the line or record and the field at fault.

use thiserror::Error;

/// A list file that could not be read, or one entry of it that was skipped
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ListError {
    /// The XML is not well-formed; nothing after this point can be read
    #[error("line {line}: malformed XML: {message}")]
    Xml {
        /// The line (1-based) where the parser stopped
        line: usize,
        /// What the XML parser reported
        message: String,
    },
    /// The XML root element is not `CONSOLIDATED_LIST`
    #[error("line {line}: expected the root element `CONSOLIDATED_LIST`, found `{found}`")]
    UnknownRoot {
        /// The line of the root element
        line: usize,
        /// The element found
        found: String,
    },
    /// A CSV record could not be read (quoting, encoding, I/O)
    #[error("{file} record {record}: malformed CSV: {message}")]
    Csv {
        /// Which file of the layout (`sdn.csv`, `alt.csv`, `add.csv`, `vessels`)
        file: &'static str,
        /// The record number (1-based, the header counts)
        record: u64,
        /// What the CSV reader reported
        message: String,
    },
    /// One entry has a missing or invalid field; the entry is skipped, the others are kept
    #[error("{location}: field `{field}`: {message}")]
    Field {
        /// Where the entry is: `line N` (XML) or `sdn.csv record N` (CSV)
        location: String,
        /// The field (XML element or CSV column)
        field: String,
        /// What is wrong
        message: String,
    },
    /// Reading the input failed
    #[error("cannot read the list: {0}")]
    Io(#[from] std::io::Error),
}

impl ListError {
    pub(crate) fn field(
        location: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ListError::Field {
            location: location.into(),
            field: field.into(),
            message: message.into(),
        }
    }
}
