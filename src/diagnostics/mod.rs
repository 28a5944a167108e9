//! Diagnostics: what the parser and the checker found, with code, span, message and help.

pub mod codes;

pub use codes::Code;

use crate::source::Span;

/// How bad a diagnostic is
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A lint; it never changes a verdict
    Warning,
    /// The rules cannot be used
    Error,
}

/// The index of a source file in the set being compiled
pub type FileId = usize;

/// One problem found in a rule file
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code
    pub code: Code,
    /// Error or warning (follows the code)
    pub severity: Severity,
    /// One lowercase sentence
    pub message: String,
    /// The file it points into
    pub file: FileId,
    /// The text it points at
    pub span: Span,
    /// What the underline says
    pub label: Option<String>,
    /// A hint for the fix
    pub help: Option<String>,
    /// Other places that explain this one (the first definition of a name defined twice), each
    /// with its own label; possibly in other files
    pub related: Vec<Related>,
}

/// A secondary place of a diagnostic: rendered as a `-` underline with its label, in JSON as
/// `related`, in SARIF as `relatedLocations`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The file it points into
    pub file: FileId,
    /// The text it points at
    pub span: Span,
    /// What the underline says
    pub label: String,
}

impl Diagnostic {
    /// A diagnostic with the severity that its code implies
    pub fn new(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: if code.is_warning() {
                Severity::Warning
            } else {
                Severity::Error
            },
            message: message.into(),
            file,
            span,
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    /// Adds a label under the span
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a secondary place with its label (`first defined here`)
    pub fn with_related(mut self, file: FileId, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            label: label.into(),
        });
        self
    }

    /// Adds a hint
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a hint if there is one
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// All diagnostics of a run, errors and warnings, in the order they were found
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one diagnostic
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Appends all of another set
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any is an error
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings
    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// All diagnostics, sorted by file and position
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self.items.iter().collect();
        all.sort_by_key(|d| (d.file, d.span.start, d.code));
        all
    }

    /// Iterates in the order found
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Whether there are none
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many there are
    pub fn len(&self) -> usize {
        self.items.len()
    }
}

/// The closest of `candidates` to `name`, if it is close enough to suggest
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
