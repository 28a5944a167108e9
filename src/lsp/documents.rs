//! The pack as the editor sees it: the workspace's rule files as read from disk, overlaid with
//! the open documents' texts, each file's parse kept while its text is unchanged, and the
//! whole pack checked again after an edit (`Documents::check`).

use std::collections::BTreeMap;
use std::sync::Arc;

use lsp_types::Uri;

use super::position::LineIndex;
use crate::ast::RuleFile;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// One rule file: its text (the editor's while open, else the disk's) and its parse
#[derive(Debug)]
pub struct Document {
    /// The text on disk when the workspace was read, if it was
    disk: Option<Arc<str>>,
    /// The editor's text while the document is open
    open: Option<Arc<str>>,
    /// The parse of `text()`, kept until the text changes
    parse: Option<Arc<Parsed>>,
}

/// A file's parse: its tree and syntax errors (numbered as file 0), and its line index
#[derive(Debug)]
pub struct Parsed {
    /// The text parsed
    pub text: Arc<str>,
    /// The tree
    pub ast: RuleFile,
    /// Its syntax errors, their `file` 0
    pub diagnostics: Vec<Diagnostic>,
    /// Its lines
    pub lines: LineIndex,
    /// The text as the diagnostics' renderings name it (by its URI)
    pub source: SourceFile,
}

impl Document {
    /// The text that counts: the editor's while open, else the disk's
    pub fn text(&self) -> Option<&Arc<str>> {
        self.open.as_ref().or(self.disk.as_ref())
    }
}

/// Every rule file of the pack, by URI (in URI order, which numbers them for the compiler)
#[derive(Debug, Default)]
pub struct Documents {
    files: BTreeMap<String, (Uri, Document)>,
}

/// The pack checked: the files in the compiler's order and every diagnostic, each numbered by
/// its file's place in `files`
#[derive(Debug)]
pub struct Checked {
    /// Each file's URI, text, parse and source
    pub files: Vec<CheckedFile>,
    /// Syntax errors first, then what the compiler found
    pub diagnostics: Diagnostics,
}

/// One file of a checked pack
#[derive(Debug)]
pub struct CheckedFile {
    /// Its URI
    pub uri: Uri,
    /// Its parse (text, tree, lines, source)
    pub parsed: Arc<Parsed>,
}

impl Documents {
    /// Adds a file read from the workspace
    pub fn add_disk(&mut self, uri: Uri, text: String) {
        let entry = self.files.entry(key(&uri)).or_insert_with(|| {
            (
                uri,
                Document {
                    disk: None,
                    open: None,
                    parse: None,
                },
            )
        });
        entry.1.disk = Some(text.into());
    }

    /// Replaces every file's disk text with the workspace's as read again (after files changed
    /// on disk): a file gone from it leaves the pack unless it is open
    pub fn replace_disk(&mut self, files: Vec<(Uri, String)>) {
        for (_, doc) in self.files.values_mut() {
            doc.disk = None;
        }
        for (uri, text) in files {
            self.add_disk(uri, text);
        }
        self.files
            .retain(|_, (_, doc)| doc.disk.is_some() || doc.open.is_some());
    }

    /// Sets an open document's text (`didOpen`, `didChange`)
    pub fn set_open(&mut self, uri: Uri, text: String) {
        let entry = self.files.entry(key(&uri)).or_insert_with(|| {
            (
                uri,
                Document {
                    disk: None,
                    open: None,
                    parse: None,
                },
            )
        });
        entry.1.open = Some(text.into());
    }

    /// Closes a document: its disk text counts again, and a file never on disk leaves the pack
    pub fn close(&mut self, uri: &Uri) {
        let key = key(uri);
        if let Some((_, doc)) = self.files.get_mut(&key) {
            doc.open = None;
            if doc.disk.is_none() {
                self.files.remove(&key);
            }
        }
    }

    /// The text of a file, if it is in the pack
    pub fn text(&self, uri: &Uri) -> Option<Arc<str>> {
        self.files.get(&key(uri))?.1.text().cloned()
    }

    /// The URIs of every file of the pack
    pub fn uris(&self) -> impl Iterator<Item = &Uri> {
        self.files.values().map(|(uri, _)| uri)
    }

    /// Parses the files whose text changed since their last parse and compiles the whole pack
    /// (names are shared across files, so every file's diagnostics may change)
    pub fn check(&mut self) -> Checked {
        let mut files = Vec::with_capacity(self.files.len());
        let mut syntax = Diagnostics::default();
        for (uri, doc) in self.files.values_mut() {
            let Some(text) = doc.text().cloned() else {
                continue;
            };
            let parsed = match &doc.parse {
                // The same text (read again from disk, or typed back): the same parse
                Some(p) if p.text == text => p.clone(),
                _ => {
                    let (ast, diagnostics) = crate::syntax::parse_file(&text, 0);
                    let p = Arc::new(Parsed {
                        source: SourceFile::new(uri.as_str(), text.clone()),
                        lines: LineIndex::new(&text),
                        text: text.clone(),
                        ast,
                        diagnostics: diagnostics.iter().cloned().collect(),
                    });
                    doc.parse = Some(p.clone());
                    p
                }
            };
            let id = files.len();
            for d in &parsed.diagnostics {
                syntax.push(Diagnostic {
                    file: id,
                    ..d.clone()
                });
            }
            files.push(CheckedFile {
                uri: uri.clone(),
                parsed,
            });
        }
        let trees: Vec<&RuleFile> = files.iter().map(|f| &f.parsed.ast).collect();
        let (_, diagnostics) = crate::compile::lower_parsed(&trees, syntax);
        Checked { files, diagnostics }
    }
}

/// A document's key: its URI percent-decoded, so that two spellings of one file's URI (`%3A`
/// and `:`) are one document
pub fn key(uri: &Uri) -> String {
    super::percent_decode(uri.as_str())
}
