//! The parser's private error type, turned into diagnostics at the `syntax` boundary.

use nom::error::{ErrorKind, ParseError};

use super::In;
use crate::diagnostics::Code;

/// What went wrong, and where (the furthest point reached wins)
#[derive(Clone, Debug)]
pub(crate) struct PError {
    /// Byte offset of the problem
    pub pos: usize,
    /// What was expected there ("a date like 2017-12-22")
    pub expected: String,
    /// The diagnostic code
    pub code: Code,
    /// A hint, if one helps
    pub help: Option<String>,
}

impl PError {
    pub(crate) fn at(input: &In<'_>, code: Code, expected: impl Into<String>) -> Self {
        PError {
            pos: input.location_offset(),
            expected: expected.into(),
            code,
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl<'a> ParseError<In<'a>> for PError {
    fn from_error_kind(input: In<'a>, kind: ErrorKind) -> Self {
        let expected = match kind {
            ErrorKind::Tag => "a keyword or symbol".to_string(),
            ErrorKind::Digit => "a number".to_string(),
            ErrorKind::Eof => "the end of the file".to_string(),
            other => format!("valid syntax ({})", other.description()),
        };
        PError::at(&input, Code::E100, expected)
    }

    fn append(_input: In<'a>, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        if other.pos >= self.pos { other } else { self }
    }
}
