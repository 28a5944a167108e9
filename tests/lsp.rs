//! `embargo lsp`, tested as an editor would use it: the built binary spoken to in JSON-RPC over
//! its stdin and stdout (Content-Length framing), every read bounded by a timeout, in a
//! workspace made in a temporary folder.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any one answer may take
const TIMEOUT: Duration = Duration::from_secs(30);

const DECLS: &str = r#"# Declarations of the small pack the language server's tests edit
resolution "S/RES/1718 (2006)" adopted 2006-10-14 title "Non-proliferation"

regime DPRK {
  title "Democratic People's Republic of Korea"
  committee "1718 Committee"
  list "DPRK"
}

set dprk: place = [KP]
set receivers: role = [buyer, consignee]
"#;

const ARMS: &str = r#"rule un.dprk.arms {
  title "Arms supplied to the DPRK"
  regime DPRK
  cites "S/RES/1718 (2006)" 8(a)
  in force from 2006-10-14
  when activity == trade
   and (destination within dprk or any parties p: p.name != "Corée" and p.role in receivers and p.country within dprk)
   and any goods g: g.categories has arms
  then prohibited "{g} supplied to the DPRK"
}

test "arms to the DPRK" {
  record {activity: trade, destination: KP, goods: [{hs: "9306", categories: [arms]}]}
  on 2022-01-01 expect prohibited by un.dprk.arms
}
"#;

/// A running `embargo lsp` and what it has said so far
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications read while waiting for a response
    notifications: Vec<Value>,
    next_id: i64,
    _workspace: tempfile::TempDir,
    root: PathBuf,
}

impl Client {
    /// Starts the server on a workspace holding `files` under `rules/`, and initializes it
    fn start(files: &[(&str, &str)]) -> (Client, Value) {
        Client::start_with(files, json!({}))
    }

    /// The same, the client saying it has `capabilities`
    fn start_with(files: &[(&str, &str)], capabilities: Value) -> (Client, Value) {
        let workspace = tempfile::tempdir().unwrap();
        let root = workspace.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("rules")).unwrap();
        for (name, text) in files {
            std::fs::write(root.join("rules").join(name), text).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            notifications: Vec::new(),
            next_id: 1,
            _workspace: workspace,
            root,
        };
        let root_uri = client.uri("");
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri.trim_end_matches('/'), "capabilities": capabilities}),
        );
        client.notify("initialized", json!({}));
        (client, init)
    }

    /// The URI of a file of the workspace's `rules/`
    fn uri(&self, name: &str) -> String {
        let path = if name.is_empty() {
            self.root.clone()
        } else {
            self.root.join("rules").join(name)
        };
        format!("file://{}", path.display())
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response's `result` (failing on an error response)
    fn request(&mut self, method: &str, params: Value) -> Value {
        let message = self.request_raw(method, params);
        assert!(message.get("error").is_none(), "{method}: {message}");
        message["result"].clone()
    }

    /// Sends a request and waits for its whole response
    fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .unwrap_or_else(|e| panic!("no answer to {method} within {TIMEOUT:?}: {e}"));
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// The next diagnostics published for `uri` (those already received first)
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let published = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.notifications.iter().position(published) {
            let m = self.notifications.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .unwrap_or_else(|e| panic!("no diagnostics for {uri} within {TIMEOUT:?}: {e}"));
            if published(&message) {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.notifications.push(message);
        }
    }

    fn open(&mut self, name: &str, text: &str) {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "embargo", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, name: &str, version: i64, text: &str) {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// A request about a position in a file
    fn at(&mut self, method: &str, name: &str, position: Value, extra: Value) -> Value {
        let mut params = json!({"textDocument": {"uri": self.uri(name)}, "position": position});
        if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        self.request(method, params)
    }

    /// Shuts the server down and waits for it: its exit code
    fn shutdown(mut self) -> i32 {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A test that failed half-way leaves no server behind (a no-op once it has exited)
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One Content-Length framed message, or None at the end of the stream
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The LSP position (line, UTF-16 column) of the `nth` (from 0) occurrence of `needle` in `text`,
/// plus `ahead` characters
fn position(text: &str, needle: &str, nth: usize, ahead: usize) -> Value {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {needle:?} #{nth}"))
        .0;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].encode_utf16().count() + ahead;
    json!({"line": line, "character": column})
}

fn pack() -> [(&'static str, &'static str); 2] {
    [("decls.rules", DECLS), ("arms.rules", ARMS)]
}

#[test]
fn initialize_says_what_the_server_offers_and_shutdown_exits_0() {
    let (client, init) = Client::start(&pack());
    let caps = &init["capabilities"];
    for cap in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "documentFormattingProvider",
        "codeActionProvider",
        "completionProvider",
    ] {
        assert!(!caps[cap].is_null(), "no {cap} in {caps}");
    }
    // Incremental synchronisation: each change sends the text of a range
    assert_eq!(caps["textDocumentSync"], json!(2));
    assert_eq!(init["serverInfo"]["name"], "embargo");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn an_error_as_typed_is_published_with_its_code_and_range_and_cleared_when_fixed() {
    let (mut client, _) = Client::start(&pack());
    let arms = client.uri("arms.rules");
    let decls = client.uri("decls.rules");
    // The pack as read from disk: clean, every file said so
    assert_eq!(client.diagnostics(&arms), Vec::<Value>::new());
    assert_eq!(client.diagnostics(&decls), Vec::<Value>::new());

    // `dprkk`, after a non-ASCII character on its line: the column counts UTF-16 code units
    let broken = ARMS.replacen("p.country within dprk)", "p.country within dprkk)", 1);
    client.open("arms.rules", &broken);
    let found = client.diagnostics(&arms);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d["code"], "E202");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "embargo");
    let start = position(&broken, "dprkk", 0, 0);
    assert_eq!(d["range"]["start"], start);
    assert_eq!(
        d["range"]["end"]["character"],
        json!(start["character"].as_u64().unwrap() + 5)
    );
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("unknown set `dprkk`"), "{message}");
    assert!(
        message.contains("did you mean the set `dprk`?"),
        "{message}"
    );

    // The same code as `embargo check` gives for that text
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("decls.rules"), DECLS).unwrap();
    std::fs::write(dir.path().join("arms.rules"), &broken).unwrap();
    let check = common::embargo(
        &["check", "--format", "json", dir.path().to_str().unwrap()],
        None,
    );
    let from_check: Vec<Value> = serde_json::from_str(&common::out(&check)).unwrap();
    assert_eq!(from_check.len(), 1, "{from_check:#?}");
    assert_eq!(from_check[0]["code"], "E202");

    // Fixed by an edit of the range the diagnostic names (incremental synchronisation): the
    // file's diagnostics are cleared
    let range = d["range"].clone();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": arms, "version": 2},
               "contentChanges": [{"range": range, "text": "dprk"}]}),
    );
    assert_eq!(client.diagnostics(&arms), Vec::<Value>::new());
    // The server's text is now the file's: formatting it changes nothing
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": arms}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits, json!([]));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn an_edit_in_one_file_is_checked_against_the_others() {
    let (mut client, _) = Client::start(&pack());
    let arms = client.uri("arms.rules");
    let decls = client.uri("decls.rules");
    client.diagnostics(&arms);
    client.diagnostics(&decls);
    // The set renamed where it is declared: its use in the other file becomes an error there
    // (a word that is neither a set nor a role)
    client.open("decls.rules", &DECLS.replace("set receivers", "set buyers"));
    let found = client.diagnostics(&arms);
    assert!(
        found
            .iter()
            .any(|d| d["code"] == "E211" && d["message"].as_str().unwrap().contains("receivers")),
        "{found:#?}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hover_shows_a_set_a_rule_a_regime_and_a_resolution() {
    let (mut client, _) = Client::start(&pack());
    client.open("arms.rules", ARMS);
    let hover = |client: &mut Client, name: &str, at: Value| -> String {
        let result = client.at("textDocument/hover", name, at, json!({}));
        result["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    // A set where it is used: its type and members
    let set = hover(&mut client, "arms.rules", position(ARMS, "receivers", 0, 2));
    assert!(set.contains("**set** receivers: role"), "{set}");
    assert!(set.contains("buyer, consignee"), "{set}");
    // A rule where it is declared: title, regime, citation, interval, verdict
    let rule = hover(
        &mut client,
        "arms.rules",
        position(ARMS, "un.dprk.arms", 0, 3),
    );
    for part in [
        "**rule** un.dprk.arms",
        "Arms supplied to the DPRK",
        "regime: DPRK",
        "S/RES/1718 (2006) 8(a)",
        "from 2006-10-14",
        "then: prohibited",
    ] {
        assert!(rule.contains(part), "{part} not in {rule}");
    }
    // A regime where a rule names it
    let regime = hover(&mut client, "arms.rules", position(ARMS, "DPRK\n", 0, 1));
    assert!(regime.contains("**regime** DPRK"), "{regime}");
    assert!(regime.contains("1718 Committee"), "{regime}");
    // A resolution where a rule cites it
    let resolution = hover(
        &mut client,
        "arms.rules",
        position(ARMS, "S/RES/1718", 0, 2),
    );
    assert!(
        resolution.contains("**resolution** S/RES/1718 (2006)"),
        "{resolution}"
    );
    assert!(resolution.contains("adopted 2006-10-14"), "{resolution}");
    assert!(resolution.contains("Non-proliferation"), "{resolution}");
    // A record's field and a vocabulary value: their type and vocabulary
    let field = hover(
        &mut client,
        "arms.rules",
        position(ARMS, "activity ==", 0, 3),
    );
    assert!(
        field.contains("**activity**: an activity (one of trade"),
        "{field}"
    );
    let value = hover(&mut client, "arms.rules", position(ARMS, "trade", 0, 1));
    assert!(
        value.contains("a value of the vocabulary `activity`"),
        "{value}"
    );
    // Nothing to say on a keyword
    let none = client.at(
        "textDocument/hover",
        "arms.rules",
        position(ARMS, "when", 0, 1),
        json!({}),
    );
    assert_eq!(none, Value::Null);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn definition_and_references_of_a_set_cross_files() {
    let (mut client, _) = Client::start(&pack());
    client.open("arms.rules", ARMS);
    let decls = client.uri("decls.rules");
    let arms = client.uri("arms.rules");
    let definition = client.at(
        "textDocument/definition",
        "arms.rules",
        position(ARMS, "receivers", 0, 0),
        json!({}),
    );
    assert_eq!(
        definition,
        json!([{"uri": decls, "range": {"start": position(DECLS, "receivers", 0, 0), "end": position(DECLS, "receivers", 0, 9)}}])
    );
    // From the declaration: every use, and the declaration when asked for
    let references = client.at(
        "textDocument/references",
        "decls.rules",
        position(DECLS, "dprk:", 0, 1),
        json!({"context": {"includeDeclaration": true}}),
    );
    let places: Vec<(String, Value)> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().unwrap().to_string(),
                l["range"]["start"].clone(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (decls.clone(), position(DECLS, "dprk:", 0, 0)),
            (arms.clone(), position(ARMS, "dprk ", 0, 0)),
            (arms.clone(), position(ARMS, "dprk)", 0, 0)),
        ]
    );
    // A rule's references: the test expecting it
    let rule_refs = client.at(
        "textDocument/references",
        "arms.rules",
        position(ARMS, "un.dprk.arms", 0, 0),
        json!({"context": {"includeDeclaration": false}}),
    );
    assert_eq!(rule_refs.as_array().unwrap().len(), 1, "{rule_refs}");
    assert_eq!(
        rule_refs[0]["range"]["start"],
        position(ARMS, "un.dprk.arms", 1, 0)
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn completion_offers_fields_after_when_and_values_after_a_comparison() {
    let (mut client, _) = Client::start(&pack());
    let text = ARMS.replacen("  when activity == trade\n", "  when \n", 1);
    client.open("arms.rules", &text);
    let labels = |result: &Value| -> Vec<String> {
        result
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["label"].as_str().unwrap().to_string())
            .collect()
    };
    let after_when = client.at(
        "textDocument/completion",
        "arms.rules",
        position(&text, "when \n", 0, 5),
        json!({}),
    );
    let after_when = labels(&after_when);
    for field in [
        "activity",
        "origin",
        "destination",
        "parties",
        "goods",
        "dprk",
        "receivers",
    ] {
        assert!(
            after_when.iter().any(|l| l == field),
            "{field} not in {after_when:?}"
        );
    }
    // After `p.`: the fields of a party
    let text = ARMS.replacen("p.role in receivers", "p.", 1);
    client.change("arms.rules", 2, &text);
    let fields = client.at(
        "textDocument/completion",
        "arms.rules",
        position(&text, "p. and", 0, 2),
        json!({}),
    );
    let fields = labels(&fields);
    assert!(
        fields.contains(&"role".to_string()) && fields.contains(&"country".to_string()),
        "{fields:?}"
    );
    assert!(!fields.contains(&"hs".to_string()), "{fields:?}");
    // After `activity ==`: the activities
    let values = client.at(
        "textDocument/completion",
        "arms.rules",
        position(ARMS, "activity == ", 0, 12),
        json!({}),
    );
    let values = labels(&values);
    assert!(values.contains(&"trade".to_string()), "{values:?}");
    assert!(!values.contains(&"origin".to_string()), "{values:?}");
    // After `then`: the verdicts
    let verdicts = client.at(
        "textDocument/completion",
        "arms.rules",
        position(&text, "then ", 0, 5),
        json!({}),
    );
    assert!(labels(&verdicts).contains(&"prohibited".to_string()));
    // After `regime`: the regimes; after a test's `expect ... by`: the rules (of the pack as it
    // parses: the text is whole again)
    client.change("arms.rules", 3, ARMS);
    let text = ARMS;
    let regimes = client.at(
        "textDocument/completion",
        "arms.rules",
        position(text, "regime ", 0, 7),
        json!({}),
    );
    assert_eq!(labels(&regimes), ["DPRK"]);
    let rules = client.at(
        "textDocument/completion",
        "arms.rules",
        position(text, "by un.dprk.arms", 0, 3),
        json!({}),
    );
    assert_eq!(labels(&rules), ["un.dprk.arms"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn formatting_gives_what_embargo_fmt_gives() {
    let (mut client, _) = Client::start(&pack());
    let messy = ARMS
        .replace("  regime DPRK", "  regime     DPRK")
        .replace("  title", "      title");
    client.open("arms.rules", &messy);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": client.uri("arms.rules")}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = edits.as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let fmt = common::embargo(&["fmt", "-"], Some(&messy));
    assert_eq!(common::code(&fmt), 0, "{}", common::err(&fmt));
    assert_eq!(edits[0]["newText"].as_str().unwrap(), common::out(&fmt));
    assert_eq!(common::out(&fmt), ARMS);
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    // A formatted file: no edit
    client.change("arms.rules", 2, ARMS);
    let none = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": client.uri("arms.rules")}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(none, json!([]));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_did_you_mean_hint_is_a_quick_fix() {
    let (mut client, _) = Client::start(&pack());
    let broken = ARMS.replacen("regime DPRK", "regime DPRKK", 1);
    client.open("arms.rules", &broken);
    let arms = client.uri("arms.rules");
    let found = loop {
        let d = client.diagnostics(&arms);
        if !d.is_empty() {
            break d;
        }
    };
    assert_eq!(found[0]["code"], "E203", "{found:#?}");
    let range = found[0]["range"].clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": arms}, "range": range, "context": {"diagnostics": found}}),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][&arms][0];
    assert_eq!(edit["newText"], "DPRK");
    assert_eq!(edit["range"], range);

    // A misspelt resolution: the fix writes the symbol with its quotes over the quoted text
    let broken = ARMS.replacen("S/RES/1718 (2006)", "S/RES/1718 (2060)", 1);
    client.change("arms.rules", 2, &broken);
    let found = loop {
        let d = client.diagnostics(&arms);
        if !d.is_empty() {
            break d;
        }
    };
    let cite = found
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("2060"))
        .unwrap_or_else(|| panic!("{found:#?}"));
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": arms}, "range": cite["range"], "context": {"diagnostics": [cite]}}),
    );
    let edit = &actions[0]["edit"]["changes"][&arms][0];
    assert_eq!(edit["newText"], "\"S/RES/1718 (2006)\"");
    assert_eq!(
        edit["range"]["start"],
        position(&broken, "\"S/RES/1718 (2060)\"", 0, 0)
    );
    assert_eq!(
        edit["range"]["end"],
        position(&broken, "\"S/RES/1718 (2060)\"", 0, 19)
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn document_symbols_are_one_per_item() {
    let (mut client, _) = Client::start(&pack());
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": client.uri("decls.rules")}}),
    );
    let names: Vec<(&str, &str)> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["detail"].as_str().unwrap(), s["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            ("resolution", "S/RES/1718 (2006)"),
            ("regime", "DPRK"),
            ("set", "dprk"),
            ("set", "receivers"),
        ]
    );
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": client.uri("arms.rules")}}),
    );
    assert_eq!(symbols[0]["name"], "un.dprk.arms");
    assert_eq!(symbols[1]["detail"], "test");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn the_shipped_pack_opens_with_the_diagnostics_of_check() {
    // Every rule file of rules/, as a rule maintainer's workspace
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rules"))
        .map(|p| {
            (
                p.file_name().unwrap().to_str().unwrap().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let (mut client, _) = Client::start(&borrowed);
    let check = common::embargo(&["check", "--format", "json", dir.to_str().unwrap()], None);
    let from_check: Vec<Value> = serde_json::from_str(&common::out(&check)).unwrap();
    let mut published = 0;
    for (name, _) in &files {
        let uri = client.uri(name);
        let codes: Vec<Value> = client
            .diagnostics(&uri)
            .iter()
            .map(|d| d["code"].clone())
            .collect();
        let expected: Vec<Value> = from_check
            .iter()
            .filter(|d| {
                d["file"]
                    .as_str()
                    .is_some_and(|f| f.ends_with(&format!("/{name}")))
            })
            .map(|d| d["code"].clone())
            .collect();
        assert_eq!(codes, expected, "{name}");
        published += codes.len();
    }
    assert_eq!(published, from_check.len());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn rule_files_changed_on_disk_are_read_again_when_the_client_watches_them() {
    let watching = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut client, _) = Client::start_with(&pack(), watching);
    let extra = client.uri("extra.rules");
    let path = client.root.join("rules/extra.rules");
    // A file created on disk (a `git checkout`), with an unknown place
    std::fs::write(&path, "set elsewhere: place = [XX]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": extra, "type": 1}]}),
    );
    let found = client.diagnostics(&extra);
    assert!(found.iter().any(|d| d["code"] == "E210"), "{found:#?}");
    // The server asked to be told of changes to rule files
    assert!(
        client
            .notifications
            .iter()
            .any(|m| m["method"] == "client/registerCapability"
                && m["params"]["registrations"][0]["method"] == "workspace/didChangeWatchedFiles"),
        "{:#?}",
        client.notifications
    );
    // Deleted: its diagnostics are cleared
    std::fs::remove_file(&path).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": extra, "type": 3}]}),
    );
    assert_eq!(client.diagnostics(&extra), Vec::<Value>::new());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn requests_it_cannot_answer_are_errors_or_nothing_and_the_server_goes_on() {
    let (mut client, _) = Client::start(&pack());
    // Parameters of the wrong shape: InvalidParams
    let bad = client.request_raw("textDocument/hover", json!({"textDocument": 7}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    // A method it does not offer: MethodNotFound
    let unknown = client.request_raw("textDocument/signatureHelp", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // A file outside the pack, a position past the end of a file: nothing
    let outside = client.at(
        "textDocument/hover",
        "nonesuch.rules",
        json!({"line": 0, "character": 0}),
        json!({}),
    );
    assert_eq!(outside, Value::Null);
    let past = client.at(
        "textDocument/definition",
        "arms.rules",
        json!({"line": 4000, "character": 4000}),
        json!({}),
    );
    assert_eq!(past, Value::Null);
    // A change to a document never opened, then a text that is not a rule file at all
    client.change("ghost.rules", 1, "rule {{{{ \u{0}");
    let ghost = client.uri("ghost.rules");
    let found = client.diagnostics(&ghost);
    assert!(
        found
            .iter()
            .any(|d| d["code"].as_str().is_some_and(|c| c.starts_with("E1"))),
        "{found:#?}"
    );
    // Still answering
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": client.uri("decls.rules")}}),
    );
    assert_eq!(symbols.as_array().map(Vec::len), Some(4));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let (mut client, _) = Client::start(&pack());
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = client.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1));
}

/// The edits of a WorkspaceEdit, file by file, each as (start, end, new text), sorted
fn edits_of(edit: &Value) -> Vec<(String, Value, Value, String)> {
    let mut all: Vec<(String, Value, Value, String)> = edit["changes"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(uri, edits)| {
            edits.as_array().unwrap().iter().map(move |e| {
                (
                    uri.clone(),
                    e["range"]["start"].clone(),
                    e["range"]["end"].clone(),
                    e["newText"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    all.sort_by_key(|(uri, start, _, _)| (uri.clone(), start.to_string()));
    all
}

#[test]
fn rename_changes_a_set_or_a_resolution_everywhere_it_is_named() {
    let (mut client, _) = Client::start(&pack());
    client.open("arms.rules", ARMS);
    let arms = client.uri("arms.rules");
    let decls = client.uri("decls.rules");
    let at = position(ARMS, "receivers", 0, 3);
    let prepared = client.at(
        "textDocument/prepareRename",
        "arms.rules",
        at.clone(),
        json!({}),
    );
    assert_eq!(prepared["start"], position(ARMS, "receivers", 0, 0));
    assert_eq!(prepared["end"], position(ARMS, "receivers", 0, 9));
    let edit = client.at(
        "textDocument/rename",
        "arms.rules",
        at.clone(),
        json!({"newName": "buyers"}),
    );
    assert_eq!(
        edits_of(&edit),
        [
            (
                arms.clone(),
                position(ARMS, "receivers", 0, 0),
                position(ARMS, "receivers", 0, 9),
                "buyers".to_string()
            ),
            (
                decls.clone(),
                position(DECLS, "receivers", 0, 0),
                position(DECLS, "receivers", 0, 9),
                "buyers".to_string()
            ),
        ]
    );
    // Not a name a set can have: refused
    let refused = client.request_raw(
        "textDocument/rename",
        json!({"textDocument": {"uri": arms}, "position": at, "newName": "two words"}),
    );
    assert_eq!(refused["error"]["code"], -32602, "{refused}");
    // A resolution: its symbol in quotes, where it is declared and where it is cited
    let edit = client.at(
        "textDocument/rename",
        "arms.rules",
        position(ARMS, "S/RES/1718", 0, 3),
        json!({"newName": "S/RES/1718 (2007)"}),
    );
    let edits = edits_of(&edit);
    assert_eq!(edits.len(), 2, "{edits:?}");
    assert!(
        edits.iter().all(|e| e.3 == "\"S/RES/1718 (2007)\""),
        "{edits:?}"
    );
    // A keyword: nothing to rename
    let none = client.at(
        "textDocument/prepareRename",
        "arms.rules",
        position(ARMS, "when", 0, 1),
        json!({}),
    );
    assert_eq!(none, Value::Null);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn workspace_symbols_find_declarations_across_the_pack() {
    let (mut client, _) = Client::start(&pack());
    let found = client.request("workspace/symbol", json!({"query": "dprk"}));
    let mut names: Vec<(String, String)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["containerName"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("regime".to_string(), "DPRK".to_string()),
            ("rule".to_string(), "un.dprk.arms".to_string()),
            ("set".to_string(), "dprk".to_string()),
            ("test".to_string(), "arms to the DPRK".to_string()),
        ]
    );
    assert_eq!(client.shutdown(), 0);
}
