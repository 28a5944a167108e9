//! `embargo lsp`: a Language Server Protocol server for rule files (docs/editors.md).
//!
//! Synchronous, over an `lsp_server::Connection` the caller makes (stdio for the command line,
//! in memory in tests): the pack is the workspace's rule files, read by the caller's
//! `read_pack` at initialize, overlaid with the open documents. After an edit the changed file
//! is parsed again and the whole pack compiled (names are shared across files), every other
//! file's parse kept; edits already waiting are applied first, for one check of them all.
//! When the client watches files (`workspace/didChangeWatchedFiles`, asked for at initialize),
//! the workspace's rule files are read again after a change on disk.
//! Diagnostics are published for every file whose list changed, an empty list clearing a
//! file's. The library reads no file and prints nothing itself.

mod documents;
mod features;
mod index;
mod names;
mod position;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_server::{Connection, ErrorCode, Message, Notification, ProtocolError, Request, Response};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentFormattingParams, Hover,
    HoverContents, HoverParams, HoverProviderCapability, Location, MarkupContent, MarkupKind,
    OneOf, PublishDiagnosticsParams, ReferenceParams, ServerCapabilities, ServerInfo,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
};
use serde_json::Value;

pub use documents::{Checked, Documents};
pub use index::Index;

/// Reads the rule files of a workspace folder: each file's path and text
pub type ReadPack<'a> = &'a dyn Fn(&Path) -> Vec<(PathBuf, String)>;

/// Serves one client on `connection` until it says `exit`. `Ok(true)` when `shutdown` came
/// first (the process then exits 0), `Ok(false)` when it did not or the client went away
pub fn run(connection: &Connection, read_pack: ReadPack<'_>) -> Result<bool, ProtocolError> {
    let (id, params) = connection.initialize_start()?;
    let mut server = Server::default();
    let roots = workspace_roots(&params);
    server.documents.replace_disk(read_roots(&roots, read_pack));
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "embargo".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    connection.initialize_finish(id, result)?;
    if watches_files(&params) {
        // Told when a rule file is created, changed or deleted on disk (a `git checkout`)
        let register = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "embargo-rule-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: Some(serde_json::json!({
                    "watchers": [{"globPattern": "**/*.rules"}]
                })),
            }],
        };
        send(
            connection,
            Message::Request(Request::new(
                lsp_server::RequestId::from("embargo-watch".to_string()),
                "client/registerCapability".into(),
                register,
            )),
        );
    }
    server.recheck(connection);
    // A message read while coalescing changes, to handle next
    let mut next: Option<Message> = None;
    loop {
        let message = match next.take() {
            Some(m) => m,
            None => match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => return Ok(false),
            },
        };
        match message {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    return Ok(true);
                }
                let response = server.request(req);
                send(connection, Message::Response(response));
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    return Ok(false);
                }
                let mut changed = if n.method == "workspace/didChangeWatchedFiles" {
                    server.documents.replace_disk(read_roots(&roots, read_pack));
                    true
                } else {
                    server.notification(n)
                };
                // Changes already waiting (fast typing) are applied before one check of them
                // all; a request waits for that check, so it is answered on the latest text
                while let Ok(m) = connection.receiver.try_recv() {
                    match m {
                        Message::Notification(n)
                            if n.method != "exit"
                                && n.method != "workspace/didChangeWatchedFiles" =>
                        {
                            changed |= server.notification(n);
                        }
                        other => {
                            next = Some(other);
                            break;
                        }
                    }
                }
                if changed {
                    server.recheck(connection);
                }
            }
            Message::Response(_) => {}
        }
    }
}

/// What the server offers
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        // Each change is the text of a range (or the whole text, from a client that sends it)
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(lsp_types::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

fn send(connection: &Connection, message: Message) {
    // The client has gone when this fails; the loop ends when its channel closes.
    let _ = connection.sender.send(message);
}

/// The rule files of the workspace's folders, by URI
fn read_roots(roots: &[PathBuf], read_pack: ReadPack<'_>) -> Vec<(Uri, String)> {
    roots
        .iter()
        .flat_map(|root| read_pack(root))
        .filter_map(|(path, text)| Some((file_uri(&path)?, text)))
        .collect()
}

/// Whether the client can be asked to say when files change on disk
fn watches_files(params: &Value) -> bool {
    params
        .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The folders of the workspace, from `initialize`'s `workspaceFolders`, else its `rootUri`,
/// else its `rootPath`
fn workspace_roots(params: &Value) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .get("workspaceFolders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| f.get("uri").and_then(Value::as_str).and_then(uri_path))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    if let Some(root) = params
        .get("rootUri")
        .and_then(Value::as_str)
        .and_then(uri_path)
    {
        return vec![root];
    }
    params
        .get("rootPath")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .into_iter()
        .collect()
}

/// The path of a `file:` URI, percent-decoded
pub fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.get(rest.find('/')?..)?;
    Some(PathBuf::from(percent_decode(rest)))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `file:` URI of an absolute path, its bytes percent-encoded but for the unreserved ones
/// and `/`
pub fn file_uri(path: &Path) -> Option<Uri> {
    let text = path.to_str()?;
    let mut out = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

/// The server's state: the pack's files, its last check and what was last published
#[derive(Default)]
struct Server {
    documents: Documents,
    checked: Option<(Checked, Index)>,
    published: HashMap<String, Vec<lsp_types::Diagnostic>>,
}

impl Server {
    /// Applies a notification; whether the pack changed
    fn notification(&mut self, n: Notification) -> bool {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return false;
                };
                self.documents
                    .set_open(p.text_document.uri, p.text_document.text);
                true
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return false;
                };
                let uri = p.text_document.uri;
                let mut text = self
                    .documents
                    .text(&uri)
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                for change in p.content_changes {
                    text = apply_change(&text, change);
                }
                self.documents.set_open(uri, text);
                true
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return false;
                };
                self.documents.close(&p.text_document.uri);
                true
            }
            _ => false,
        }
    }

    /// Checks the pack again and publishes the diagnostics that changed
    fn recheck(&mut self, connection: &Connection) {
        let checked = self.documents.check();
        let index = Index::new(&checked.files);
        let mut now: HashMap<String, Vec<lsp_types::Diagnostic>> = HashMap::new();
        for (uri, diagnostics) in features::diagnostics(&checked) {
            let key = uri.as_str().to_string();
            if self.published.get(&key) != Some(&diagnostics) {
                publish(connection, uri, diagnostics.clone());
            }
            now.insert(key, diagnostics);
        }
        // Files no longer in the pack: cleared
        for (key, was) in &self.published {
            if !now.contains_key(key)
                && !was.is_empty()
                && let Ok(uri) = Uri::from_str(key)
            {
                publish(connection, uri, Vec::new());
            }
        }
        self.published = now;
        self.checked = Some((checked, index));
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            "textDocument/hover" => {
                params::<HoverParams>(req).map(|p| self.hover(&p.text_document_position_params))
            }
            "textDocument/definition" => {
                params::<TextDocumentPositionParams>(req).map(|p| self.definition(&p))
            }
            "textDocument/references" => {
                params::<ReferenceParams>(req).map(|p| self.references(&p))
            }
            "textDocument/completion" => params::<lsp_types::CompletionParams>(req)
                .map(|p| self.completion(&p.text_document_position)),
            "textDocument/documentSymbol" => params::<lsp_types::DocumentSymbolParams>(req)
                .map(|p| self.symbols(&p.text_document.uri)),
            "textDocument/formatting" => {
                params::<DocumentFormattingParams>(req).map(|p| self.format(&p.text_document.uri))
            }
            "textDocument/codeAction" => {
                params::<lsp_types::CodeActionParams>(req).map(|p| self.code_actions(&p))
            }
            "textDocument/prepareRename" => {
                params::<TextDocumentPositionParams>(req).map(|p| self.prepare_rename(&p))
            }
            "textDocument/rename" => {
                params::<lsp_types::RenameParams>(req).and_then(|p| self.rename(&p))
            }
            "workspace/symbol" => params::<lsp_types::WorkspaceSymbolParams>(req)
                .map(|p| self.workspace_symbols(&p.query)),
            other => Err(Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("embargo lsp does not answer {other}"),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(mut error) => {
                error.id = id;
                error
            }
        }
    }

    /// The checked pack, the file's place in it and the byte offset of a position
    fn locate(&self, at: &TextDocumentPositionParams) -> Option<(&Checked, &Index, usize, usize)> {
        let (checked, index) = self.checked.as_ref()?;
        let file = file_of(checked, &at.text_document.uri)?;
        let f = checked.files.get(file)?;
        let offset = f.parsed.lines.offset(&f.parsed.text, at.position);
        Some((checked, index, file, offset))
    }

    fn hover(&self, at: &TextDocumentPositionParams) -> Value {
        let Some((checked, index, file, offset)) = self.locate(at) else {
            return Value::Null;
        };
        let Some(found) = index.at(file, offset) else {
            // Not a declared name: a field, a variable or a vocabulary value, perhaps
            let text = checked.files.get(file).map(|f| &f.parsed.text);
            return text.and_then(|t| features::hover_word(t, offset)).map_or(
                Value::Null,
                |value| {
                    let hover = Hover {
                        contents: HoverContents::Markup(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value,
                        }),
                        range: None,
                    };
                    serde_json::to_value(hover).unwrap_or(Value::Null)
                },
            );
        };
        let texts: Vec<String> = index
            .defs_of(&found)
            .into_iter()
            .take(5)
            .filter_map(|d| features::hover(d, checked, index))
            .collect();
        if texts.is_empty() {
            return Value::Null;
        }
        let hover = Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: texts.join("\n\n---\n\n"),
            }),
            range: None,
        };
        serde_json::to_value(hover).unwrap_or(Value::Null)
    }

    fn definition(&self, at: &TextDocumentPositionParams) -> Value {
        let Some((checked, index, file, offset)) = self.locate(at) else {
            return Value::Null;
        };
        let Some(found) = index.at(file, offset) else {
            return Value::Null;
        };
        let locations: Vec<Location> = index
            .defs_of(&found)
            .into_iter()
            .filter_map(|d| {
                let f = checked.files.get(d.file)?;
                Some(Location::new(
                    f.uri.clone(),
                    features::range(f, d.name_span),
                ))
            })
            .collect();
        serde_json::to_value(locations).unwrap_or(Value::Null)
    }

    fn references(&self, p: &ReferenceParams) -> Value {
        let Some((checked, index, file, offset)) = self.locate(&p.text_document_position) else {
            return Value::Null;
        };
        let Some(found) = index.at(file, offset) else {
            return Value::Null;
        };
        let mut locations = Vec::new();
        for def in index.defs_of(&found) {
            if p.context.include_declaration
                && let Some(f) = checked.files.get(def.file)
            {
                locations.push(Location::new(
                    f.uri.clone(),
                    features::range(f, def.name_span),
                ));
            }
            for r in index.refs_of(def) {
                if let Some(f) = checked.files.get(r.file) {
                    let location = Location::new(f.uri.clone(), features::range(f, r.span));
                    if !locations.contains(&location) {
                        locations.push(location);
                    }
                }
            }
        }
        serde_json::to_value(locations).unwrap_or(Value::Null)
    }

    fn completion(&self, at: &TextDocumentPositionParams) -> Value {
        let Some((checked, index, file, offset)) = self.locate(at) else {
            return Value::Null;
        };
        let Some(f) = checked.files.get(file) else {
            return Value::Null;
        };
        serde_json::to_value(features::completions(&f.parsed.text, offset, index))
            .unwrap_or(Value::Null)
    }

    fn symbols(&self, uri: &Uri) -> Value {
        let Some((checked, index)) = self.checked.as_ref() else {
            return Value::Null;
        };
        let Some(file) = file_of(checked, uri) else {
            return Value::Null;
        };
        let Some(f) = checked.files.get(file) else {
            return Value::Null;
        };
        serde_json::to_value(features::symbols(file, f, index)).unwrap_or(Value::Null)
    }

    fn format(&self, uri: &Uri) -> Value {
        let Some(text) = self.documents.text(uri) else {
            return Value::Null;
        };
        // A file with syntax errors is not formatted (as `embargo fmt` refuses it)
        let Ok(formatted) = crate::syntax::format_file(&text) else {
            return Value::Null;
        };
        if formatted == *text {
            return serde_json::json!([]);
        }
        let lines = position::LineIndex::new(&text);
        let whole = lines.range(&text, crate::source::Span::new(0, text.len()));
        serde_json::to_value(vec![TextEdit::new(whole, formatted)]).unwrap_or(Value::Null)
    }

    fn prepare_rename(&self, at: &TextDocumentPositionParams) -> Value {
        let Some((checked, index, file, offset)) = self.locate(at) else {
            return Value::Null;
        };
        names::target(checked, index, file, offset).map_or(Value::Null, |(_, range)| {
            serde_json::to_value(range).unwrap_or(Value::Null)
        })
    }

    fn rename(&self, p: &lsp_types::RenameParams) -> Result<Value, Response> {
        let refuse = |message: String| {
            // The id is set by `request`
            Response::new_err(
                lsp_server::RequestId::from(0),
                ErrorCode::InvalidParams as i32,
                message,
            )
        };
        let Some((checked, index, file, offset)) = self.locate(&p.text_document_position) else {
            return Ok(Value::Null);
        };
        let Some((def, _)) = names::target(checked, index, file, offset) else {
            return Err(refuse("nothing to rename here".into()));
        };
        let edit = names::rename(checked, index, def, &p.new_name).map_err(refuse)?;
        Ok(serde_json::to_value(edit).unwrap_or(Value::Null))
    }

    fn workspace_symbols(&self, query: &str) -> Value {
        let Some((checked, index)) = self.checked.as_ref() else {
            return Value::Null;
        };
        serde_json::to_value(names::workspace_symbols(checked, index, query, 500))
            .unwrap_or(Value::Null)
    }

    fn code_actions(&self, p: &lsp_types::CodeActionParams) -> Value {
        let Some((checked, _)) = self.checked.as_ref() else {
            return Value::Null;
        };
        let Some(file) = file_of(checked, &p.text_document.uri) else {
            return Value::Null;
        };
        serde_json::to_value(features::code_actions(checked, file, p.range)).unwrap_or(Value::Null)
    }
}

/// `text` with one change of `didChange` applied: the text of its range replaced, or the whole
/// text when it has no range
pub fn apply_change(text: &str, change: lsp_types::TextDocumentContentChangeEvent) -> String {
    let Some(range) = change.range else {
        return change.text;
    };
    let lines = position::LineIndex::new(text);
    let start = lines.offset(text, range.start);
    let end = lines.offset(text, range.end).max(start);
    let mut out = String::with_capacity(text.len() + change.text.len());
    out.push_str(text.get(..start).unwrap_or(text));
    out.push_str(&change.text);
    out.push_str(text.get(end..).unwrap_or(""));
    out
}

/// A request's parameters, or the error response saying they are not what the method takes
fn params<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, Response> {
    let id = req.id.clone();
    serde_json::from_value(req.params).map_err(|e| {
        Response::new_err(
            id,
            ErrorCode::InvalidParams as i32,
            format!("invalid parameters: {e}"),
        )
    })
}

/// The place of a document in the checked pack
fn file_of(checked: &Checked, uri: &Uri) -> Option<usize> {
    let wanted = documents::key(uri);
    checked
        .files
        .iter()
        .position(|f| documents::key(&f.uri) == wanted)
}

fn publish(connection: &Connection, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: None,
    };
    send(
        connection,
        Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".into(),
            params,
        )),
    );
}

#[cfg(test)]
mod tests {
    use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

    use super::{apply_change, file_uri, uri_path};

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| {
                Range::new(Position::new(l1, c1), Position::new(l2, c2))
            }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn a_change_replaces_its_range_counted_in_utf16() {
        let text = "set a: place = [KP]\nrule x { title \"Côte\" }\n";
        // Line 1, column 5 is the `x`; column 20, after the 2-byte `ô`, the closing quote
        let edited = apply_change(text, change(Some(((1, 5), (1, 6))), "y"));
        assert_eq!(edited, "set a: place = [KP]\nrule y { title \"Côte\" }\n");
        let edited = apply_change(text, change(Some(((1, 20), (1, 20))), "!"));
        assert_eq!(edited, "set a: place = [KP]\nrule x { title \"Côte!\" }\n");
        // A deletion across lines, and the whole text without a range
        assert_eq!(
            apply_change(text, change(Some(((0, 19), (1, 0))), "")),
            "set a: place = [KP]rule x { title \"Côte\" }\n"
        );
        assert_eq!(apply_change(text, change(None, "new")), "new");
    }

    #[test]
    fn paths_and_file_uris_round_trip() {
        let path = std::path::Path::new("/work/règles et lois/dprk.rules");
        let uri = file_uri(path).map(|u| u.as_str().to_string());
        assert_eq!(
            uri.as_deref(),
            Some("file:///work/r%C3%A8gles%20et%20lois/dprk.rules")
        );
        assert_eq!(uri_path(&uri.unwrap_or_default()).as_deref(), Some(path));
        assert_eq!(uri_path("untitled:Untitled-1"), None);
    }
}
