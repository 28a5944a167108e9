//! `embargo serve` tested as a client would: the binary started on a free loopback port, spoken
//! to over HTTP, its answers compared with what `embargo screen`, `check` and `explain` give for
//! the same input. Every wait is bounded.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::common::{code, embargo, json_lines, out};

/// The longest any request or start-up may take
const WAIT: Duration = Duration::from_secs(120);

/// A running `embargo serve`, stopped when dropped
struct Server {
    child: Child,
    base: String,
    stderr: mpsc::Receiver<String>,
}

impl Server {
    /// Starts the server with `args` (after `serve --addr 127.0.0.1:0`) and waits until it listens
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the embargo binary runs");
        let (tx, rx) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut said = Vec::new();
        let base = loop {
            let line = rx.recv_timeout(WAIT).unwrap_or_else(|e| {
                let _ = child.kill();
                panic!("the server did not say where it listens ({e}); it said: {said:?}")
            });
            if let Some(url) = line.strip_prefix("embargo serve: listening on ") {
                break url.to_string();
            }
            said.push(line);
        };
        Server {
            child,
            base,
            stderr: rx,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server with SIGTERM and returns its exit code and what it said since starting
    fn terminate(mut self) -> (Option<i32>, Vec<String>) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(start.elapsed() < WAIT, "the server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        let said = self.stderr.try_iter().collect();
        (status.code(), said)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh folder `name` with a `serve.yaml` holding `yaml`, and the server started with it and
/// `args`
fn with_config(name: &str, yaml: &str, args: &[&str]) -> (Server, PathBuf) {
    let folder = dir(name);
    let config = folder.join("serve.yaml");
    std::fs::write(&config, yaml).unwrap();
    let mut all = vec!["--config", config.to_str().unwrap()];
    all.extend(args);
    (Server::start(&all), folder)
}

/// An HTTP client that returns error statuses as answers, bounded in time
fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(WAIT))
        .build()
        .into()
}

/// The status, headers and body of an answer
struct Answer {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
    }
}

fn post(url: &str, content_type: &str, body: &[u8]) -> Answer {
    post_with(url, &[("content-type", content_type)], body)
}

fn post_with(url: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut request = client().post(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.send(body).unwrap();
    answer(&mut response)
}

fn get(url: &str) -> Answer {
    answer(&mut client().get(url).call().unwrap())
}

fn answer(response: &mut ureq::http::Response<ureq::Body>) -> Answer {
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .unwrap(),
    }
}

/// A fresh folder under the target's temporary folder
fn dir(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("serve")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What `embargo screen --no-lists --provenance FILE` gives for `input` written to a file named
/// `name` (its extension says the format)
fn screened(name: &str, input: &str) -> Vec<Value> {
    let path = dir(&format!("screened-{name}")).join(name);
    std::fs::write(&path, input).unwrap();
    let o = embargo(
        &[
            "screen",
            "--no-lists",
            "--provenance",
            path.to_str().unwrap(),
        ],
        None,
    );
    json_lines(&out(&o))
}

const ARMS: &str = r#"{"id": "tx-1", "date": "2022-09-05", "activity": "trade", "origin": "KP", "destination": "RU", "goods": [{"hs": "9306.90", "categories": ["arms"]}]}"#;
const PAYMENT: &str = r#"{"id": "tx-2", "date": "2022-09-05", "activity": "payment"}"#;
const MISSPELT: &str = r#"{"id": "tx-3", "dte": "2022-09-05", "activity": "payment"}"#;

#[test]
fn each_body_gets_the_verdicts_that_screen_gives() {
    let server = Server::start(&["--no-lists"]);
    let url = server.url("/v1/screen");

    // One record: one verdict, the line `screen --provenance` writes, with the request's ids
    let one = post_with(
        &url,
        &[
            ("content-type", "application/json"),
            ("x-request-id", "pay-42"),
        ],
        ARMS.as_bytes(),
    );
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(one.header("content-type"), "application/json");
    assert_eq!(one.header("embargo-request-id"), "pay-42");
    assert_eq!(one.header("embargo-decision-id"), "pay-42");
    assert_eq!(vec![one.json()], screened("one.jsonl", ARMS));
    assert_eq!(one.json()["verdict"], "prohibited");

    // Without an id of the caller's, one is made: a UUID, different each time
    let made = post(&url, "application/json", PAYMENT.as_bytes());
    let id = made.header("embargo-request-id").to_string();
    assert_eq!((id.len(), id.matches('-').count()), (36, 4), "{id}");
    let again = post(&url, "application/json", PAYMENT.as_bytes());
    assert_ne!(again.header("embargo-request-id"), id);

    // An array: the verdicts in order, an invalid record among them answered 200 with its
    // errors placed in the body, as `screen` places them in a .json file
    let array = format!("[\n  {ARMS},\n  {PAYMENT},\n  {MISSPELT}\n]\n");
    let many = post(&url, "application/json", array.as_bytes());
    assert_eq!(many.status, 200, "{}", many.body);
    let verdicts = many.json();
    let expected = screened("many.json", &array);
    assert_eq!(verdicts.as_array().unwrap(), &expected);
    let kinds: Vec<&str> = expected
        .iter()
        .map(|v| v["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["prohibited", "clear", "invalid"]);
    let errors = verdicts[2]["errors"].to_string();
    assert!(
        errors.contains("did you mean \\\"date\\\"") && errors.contains("line 4"),
        "{errors}"
    );

    // JSON Lines: JSON Lines back, a line that is not JSON an invalid verdict, as in `screen`
    let lines = format!("{ARMS}\nnot json\n\n{PAYMENT}\n");
    let streamed = post(&url, "application/x-ndjson", lines.as_bytes());
    assert_eq!(streamed.status, 200, "{}", streamed.body);
    assert_eq!(streamed.header("content-type"), "application/x-ndjson");
    assert_eq!(json_lines(&streamed.body), screened("lines.jsonl", &lines));
    assert_eq!(json_lines(&streamed.body).len(), 3);
}

#[test]
fn a_large_json_lines_body_is_streamed_whole_and_in_order() {
    let server = Server::start(&["--no-lists"]);
    let lines: String = (0..3_000)
        .map(|i| {
            format!(
                "{{\"id\": \"r{i}\", \"date\": \"2022-09-05\", \"activity\": \"payment\", \"meta\": {{\"pad\": \"{}\"}}}}\n",
                "x".repeat(100)
            )
        })
        .collect();
    let answer = post(
        &server.url("/v1/screen"),
        "application/x-ndjson",
        lines.as_bytes(),
    );
    assert_eq!(answer.status, 200);
    let ids: Vec<String> = json_lines(&answer.body)
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (0..3_000).map(|i| format!("r{i}")).collect();
    assert_eq!(ids, expected);
}

#[test]
fn bodies_that_are_not_records_are_400_with_where_and_why() {
    let server = Server::start(&["--no-lists"]);
    let url = server.url("/v1/screen");
    let broken = post(&url, "application/json", b"{\"id\": \"a\",\n \"date\": }");
    assert_eq!(broken.status, 400);
    let body = broken.json();
    assert_eq!(
        (&body["line"], &body["column"]),
        (&Value::from(2), &Value::from(10))
    );
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("the body is not JSON: expected value"),
        "{body}"
    );
    assert!(broken.headers.contains_key("embargo-request-id"));

    let array = post(&url, "application/json", b"[{\"id\": 1}, ]");
    assert_eq!(array.status, 400, "{}", array.body);

    let number = post(&url, "application/json", b"42");
    assert_eq!(number.status, 400);
    assert!(
        number.json()["error"]
            .as_str()
            .unwrap()
            .contains("expected a record")
    );

    let bytes = post(&url, "application/json", b"{\"id\": \"\xff\"}");
    assert_eq!(bytes.status, 400);
    assert_eq!(bytes.json()["byte"], 8);

    let nowhere = get(&server.url("/v2/screen"));
    assert_eq!(nowhere.status, 404);
    assert!(
        nowhere.json()["error"]
            .as_str()
            .unwrap()
            .contains("POST /v1/screen")
    );
}

#[test]
fn limits_of_size_records_time_and_concurrency_are_kept() {
    let (server, _) = with_config(
        "limits",
        "no_lists: true\nlimits:\n  body_bytes: 4000\n  records: 3\n  concurrency: 1\n",
        &[],
    );
    let url = server.url("/v1/screen");

    let big = format!("[{}]", vec![PAYMENT; 100].join(","));
    let too_big = post(&url, "application/json", big.as_bytes());
    assert_eq!(too_big.status, 413);
    assert_eq!(too_big.json()["limit"], 4000);

    let four = format!("[{}]", [PAYMENT; 4].join(","));
    let too_many = post(&url, "application/json", four.as_bytes());
    assert_eq!(too_many.status, 413);
    assert_eq!(
        (
            too_many.json()["records"].clone(),
            too_many.json()["limit"].clone()
        ),
        (4.into(), 3.into())
    );
    let four_lines = format!("{}\n", [PAYMENT; 4].join("\n"));
    assert_eq!(
        post(&url, "application/x-ndjson", four_lines.as_bytes()).status,
        413
    );
    let three = format!("[{}]", [PAYMENT; 3].join(","));
    assert_eq!(post(&url, "application/json", three.as_bytes()).status, 200);
}

#[test]
fn a_request_over_the_deadline_or_the_concurrency_is_503_with_retry_after() {
    let (server, _) = with_config(
        "busy",
        "no_lists: true\nlimits:\n  records: 100000\n  body_bytes: 100000000\n  concurrency: 1\n  deadline_ms: 600000\n",
        &[],
    );
    let url = server.url("/v1/screen");
    let slow = format!("[{}]", vec![ARMS; 10_000].join(","));
    // Two requests at once with room for one: the second is refused before its body is read,
    // and says when to retry (a small body, sent whole before the answer comes)
    let first = {
        let url = url.clone();
        let slow = slow.clone();
        std::thread::spawn(move || post(&url, "application/json", slow.as_bytes()))
    };
    std::thread::sleep(Duration::from_millis(300));
    let second = post(&url, "application/json", PAYMENT.as_bytes());
    let first = first.join().unwrap();
    assert_eq!(
        (first.status, second.status),
        (200, 503),
        "{} / {}",
        first.body.get(..200).unwrap_or(&first.body),
        second.body
    );
    assert_eq!(first.json().as_array().unwrap().len(), 10_000);
    assert_eq!(second.header("retry-after"), "1");
    assert!(
        second.json()["error"]
            .as_str()
            .unwrap()
            .contains("limits.concurrency")
    );
    // Health is answered whatever the load
    assert_eq!(get(&server.url("/healthz")).status, 200);
    drop(server);

    let (server, _) = with_config(
        "late",
        "no_lists: true\nlimits:\n  records: 100000\n  body_bytes: 100000000\n  deadline_ms: 1\n",
        &[],
    );
    let medium = format!("[{}]", vec![ARMS; 2_000].join(","));
    let late = post(
        &server.url("/v1/screen"),
        "application/json",
        medium.as_bytes(),
    );
    assert_eq!(late.status, 503, "{}", late.body);
    assert_eq!(late.header("retry-after"), "1");
    assert!(late.json()["error"].as_str().unwrap().contains("deadline"));
}

#[test]
fn explain_check_version_and_health_answer_as_the_commands_do() {
    let server = Server::start(&["--no-lists"]);

    let explained = post(
        &server.url("/v1/explain"),
        "application/json",
        ARMS.as_bytes(),
    );
    assert_eq!(explained.status, 200);
    let path = dir("explain").join("arms.jsonl");
    std::fs::write(&path, ARMS).unwrap();
    let o = embargo(
        &[
            "explain",
            "--no-lists",
            "--format",
            "json",
            "--provenance",
            path.to_str().unwrap(),
        ],
        None,
    );
    let expected: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(explained.json(), expected);

    let invalid = post(
        &server.url("/v1/explain"),
        "application/json",
        MISSPELT.as_bytes(),
    );
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.json()["id"], "tx-3");
    assert!(
        invalid.json()["errors"]
            .to_string()
            .contains("did you mean")
    );

    let rules = "rule x.a {\n  regime DPRK\n  when activty == trade\n  then prohibited \"x\"\n}\n";
    let checked = post(
        &server.url("/v1/check?name=mine.rules"),
        "text/plain",
        rules.as_bytes(),
    );
    assert_eq!(checked.status, 200);
    let file = dir("check").join("mine.rules");
    std::fs::write(&file, rules).unwrap();
    let o = embargo(&["check", "--format", "json", file.to_str().unwrap()], None);
    assert_eq!(code(&o), 1);
    let mut expected: Value = serde_json::from_str(&out(&o)).unwrap();
    for d in expected.as_array_mut().unwrap() {
        d["file"] = "mine.rules".into();
    }
    assert_eq!(checked.json(), expected);
    assert!(!expected.as_array().unwrap().is_empty());
    let clean = post(&server.url("/v1/check"), "text/plain", b"");
    assert_eq!(clean.json(), serde_json::json!([]));

    let version = get(&server.url("/v1/version")).json();
    let provenance = &screened("version.jsonl", PAYMENT)[0]["provenance"];
    assert_eq!(version["engine"], provenance["engine"]);
    assert_eq!(version["pack"], provenance["pack"]);
    assert_eq!(version["lists"], serde_json::json!([]));
    let loaded = version["loaded_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(loaded).is_ok(),
        "{loaded}"
    );

    assert_eq!(get(&server.url("/healthz")).json()["status"], "alive");
    let ready = get(&server.url("/readyz")).json();
    assert_eq!(
        (&ready["status"], &ready["loaded_at"]),
        (&"ready".into(), &loaded.into())
    );
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let server = Server::start(&["--no-lists"]);
    assert_eq!(get(&server.url("/healthz")).status, 200);
    let (status, said) = server.terminate();
    assert_eq!(status, Some(0), "{said:?}");
    assert_eq!(
        said,
        [
            "embargo serve: stopping: answering the requests in flight",
            "embargo serve: stopped"
        ]
    );
}

#[test]
fn settings_that_cannot_work_stop_it_before_it_listens() {
    let folder = dir("bad-settings");
    let config = folder.join("serve.yaml");
    std::fs::write(&config, "no_lists: true\nlimits:\n  recods: 5\n").unwrap();
    let rules = folder.join("broken.rules");
    std::fs::write(&rules, "rule {").unwrap();
    let (config, rules) = (config.to_str().unwrap(), rules.to_str().unwrap());
    for (args, said) in [
        (
            vec!["--addr", "127.0.0.1:0", "--config", config],
            "unknown field `recods`, expected one of",
        ),
        (
            vec![
                "--addr",
                "127.0.0.1:0",
                "--no-lists",
                "--no-default-rules",
                "--rules",
                rules,
            ],
            "run `embargo check` on them",
        ),
        (
            vec!["--addr", "nowhere", "--no-lists"],
            "`nowhere` is not an address and port",
        ),
    ] {
        let o = embargo(&[vec!["serve"], args].concat(), None);
        assert_eq!(code(&o), 2, "{said}");
        let err = crate::common::err(&o);
        assert!(err.contains(said), "{said} not in: {err}");
    }
}

/// A pack of one rule: payments to the DPRK get `verdict`
fn one_rule(verdict: &str) -> String {
    format!(
        "resolution \"S/RES/1718 (2006)\" adopted 2006-10-14\nregime DPRK {{ list \"DPRK\" }}\n\n\
rule x.pay {{\n  regime DPRK\n  cites \"S/RES/1718 (2006)\" 8(d)\n  in force from 2006-10-14\n  \
when activity == payment and destination within KP\n  then {verdict} \"a payment to the DPRK\"\n}}\n"
    )
}

const TO_KP: &str =
    r#"{"id": "p", "date": "2022-09-05", "activity": "payment", "destination": "KP"}"#;

/// The verdict and the pack hash of one answer to `TO_KP`
fn judged(server: &Server) -> (String, String) {
    let v = post(
        &server.url("/v1/screen"),
        "application/json",
        TO_KP.as_bytes(),
    )
    .json();
    (
        v["verdict"].as_str().unwrap().to_string(),
        v["provenance"]["pack"].as_str().unwrap().to_string(),
    )
}

/// Polls until `judged` gives `verdict`, at most `WAIT`
fn until_judged(server: &Server, verdict: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        let (got, pack) = judged(server);
        if got == verdict {
            return pack;
        }
        assert!(start.elapsed() < WAIT, "still {got}, not {verdict}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn reloads_swap_whole_programs_and_a_failed_one_keeps_the_old() {
    let folder = dir("reload");
    let rules = folder.join("pack");
    std::fs::create_dir_all(&rules).unwrap();
    let file = rules.join("pay.rules");
    std::fs::write(&file, one_rule("prohibited")).unwrap();
    let config = folder.join("serve.yaml");
    std::fs::write(
        &config,
        "rules: [pack]\nno_default_rules: true\nno_lists: true\nwatch: false\n",
    )
    .unwrap();
    let server = Server::start(&["--config", config.to_str().unwrap()]);
    let (verdict, prohibiting) = judged(&server);
    assert_eq!(verdict, "prohibited");

    // Batches judged while the rules change under them: each answered by one program
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let traffic = {
        let url = server.url("/v1/screen");
        let stop = stop.clone();
        let batch = format!("[{}]", [TO_KP; 50].join(","));
        std::thread::spawn(move || {
            let mut seen = std::collections::BTreeSet::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let answer = post(&url, "application/json", batch.as_bytes());
                assert_eq!(answer.status, 200);
                let verdicts = answer.json();
                let kinds: std::collections::BTreeSet<(String, String)> = verdicts
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| {
                        (
                            v["verdict"].to_string(),
                            v["provenance"]["pack"].to_string(),
                        )
                    })
                    .collect();
                assert_eq!(
                    kinds.len(),
                    1,
                    "one request answered by two programs: {kinds:?}"
                );
                seen.extend(kinds);
            }
            seen
        })
    };

    std::fs::write(&file, one_rule("review")).unwrap();
    let reloaded = post(&server.url("/admin/reload"), "application/json", b"");
    assert_eq!(reloaded.status, 200, "{}", reloaded.body);
    assert_eq!(reloaded.json()["ok"], true);
    let (verdict, reviewing) = judged(&server);
    assert_eq!(verdict, "review");
    assert_ne!(reviewing, prohibiting);
    assert_eq!(
        get(&server.url("/v1/version")).json()["pack"],
        reviewing.as_str()
    );

    // Rules that do not compile: the old ones keep serving, and /readyz and the metrics say so
    std::fs::write(&file, "rule {").unwrap();
    let failed = post(&server.url("/admin/reload"), "application/json", b"");
    assert_eq!(failed.status, 500);
    let error = failed.json()["error"].as_str().unwrap().to_string();
    assert!(error.contains("run `embargo check` on them"), "{error}");
    assert_eq!(judged(&server), ("review".to_string(), reviewing.clone()));
    let ready = get(&server.url("/readyz"));
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["last_reload"]["ok"], false);
    assert_eq!(ready.json()["last_reload"]["cause"], "POST /admin/reload");
    let metrics = get(&server.url("/metrics")).body;
    for line in [
        r#"embargo_reloads_total{result="ok"} 1"#,
        r#"embargo_reloads_total{result="failed"} 1"#,
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "{line} not in\n{metrics}"
        );
    }

    // SIGHUP reloads too
    std::fs::write(&file, one_rule("prohibited")).unwrap();
    let hup = Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    assert_eq!(until_judged(&server, "prohibited"), prohibiting);

    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let seen = traffic.join().unwrap();
    assert!(!seen.is_empty());
    let (status, said) = server.terminate();
    assert_eq!(status, Some(0));
    assert!(
        said.contains(&"embargo serve: reloaded (SIGHUP)".to_string()),
        "{said:?}"
    );
    assert!(
        said.iter().any(|l| l.starts_with(
            "embargo serve: reload (POST /admin/reload) failed; still serving what was loaded at "
        )),
        "{said:?}"
    );
}

#[test]
fn a_changed_rule_file_reloads_by_itself() {
    let folder = dir("watch");
    let file = folder.join("pay.rules");
    std::fs::write(&file, one_rule("prohibited")).unwrap();
    let server = Server::start(&[
        "--no-lists",
        "--no-default-rules",
        "--rules",
        file.to_str().unwrap(),
    ]);
    assert_eq!(judged(&server).0, "prohibited");
    // Saved as editors save: a new file renamed over the old one
    let new = folder.join("pay.rules.new");
    std::fs::write(&new, one_rule("notify")).unwrap();
    std::fs::rename(&new, &file).unwrap();
    until_judged(&server, "notify");
    let ready = get(&server.url("/readyz")).json();
    assert_eq!(ready["last_reload"]["ok"], true);
    assert!(
        ready["last_reload"]["cause"]
            .as_str()
            .unwrap()
            .starts_with("a file changed: "),
        "{ready}"
    );
}

#[test]
fn metrics_count_requests_records_and_lists() {
    let list = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screening/list.xml");
    let (server, _) = with_config(
        "metrics",
        "max_list_age_days: 30\nwatch: false\n",
        &["--list", list],
    );
    post(
        &server.url("/v1/screen"),
        "application/json",
        ARMS.as_bytes(),
    );
    let lines = format!("{ARMS}\n{PAYMENT}\nnot json\n");
    post(
        &server.url("/v1/screen"),
        "application/x-ndjson",
        lines.as_bytes(),
    );
    get(&server.url("/nowhere"));
    let answer = get(&server.url("/metrics"));
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .header("content-type")
            .starts_with("application/openmetrics-text")
    );
    let text = answer.body;
    for line in [
        r#"embargo_records_total{verdict="prohibited"} 2"#,
        r#"embargo_records_total{verdict="clear"} 1"#,
        r#"embargo_records_total{verdict="invalid"} 1"#,
        r#"embargo_records_by_regime_total{regime="DPRK"} 2"#,
        r#"embargo_http_requests_total{endpoint="/v1/screen",status="200"} 2"#,
        r#"embargo_http_requests_total{endpoint="other",status="404"} 1"#,
        r#"embargo_http_request_duration_seconds_count{endpoint="/v1/screen"} 2"#,
        r#"embargo_list_generated_timestamp_seconds{list="list.xml"} 1778281206.922"#,
    ] {
        assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
    }
    // The list was generated on 8 May 2026, more than 30 days ago: not fresh enough
    let ready = get(&server.url("/readyz"));
    assert_eq!(ready.status, 503);
    assert_eq!(ready.json()["status"], "stale");
    assert_eq!(ready.json()["stale_lists"], serde_json::json!(["list.xml"]));
}

#[test]
fn each_decision_is_logged_with_its_ids_and_provenance() {
    let (server, folder) = with_config(
        "decision-log",
        "no_lists: true\ndecision_log:\n  path: log/decisions.jsonl\n  records: true\n  fsync_ms: 0\n",
        &[],
    );
    let url = server.url("/v1/screen");
    let one = post_with(
        &url,
        &[("content-type", "application/json"), ("x-request-id", "r1")],
        ARMS.as_bytes(),
    );
    let two = post_with(
        &url,
        &[("content-type", "application/json"), ("x-request-id", "r2")],
        format!("[{PAYMENT}, {MISSPELT}]").as_bytes(),
    );
    let three = post_with(
        &url,
        &[
            ("content-type", "application/x-ndjson"),
            ("x-request-id", "r3"),
        ],
        format!("{PAYMENT}\n\n  \nnot json\n{ARMS}\n").as_bytes(),
    );
    // Synced before each answer (fsync_ms: 0): all there now
    let logged = json_lines(&std::fs::read_to_string(folder.join("log/decisions.jsonl")).unwrap());
    let ids: Vec<&str> = logged
        .iter()
        .map(|l| l["decision_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["r1", "r2/1", "r2/2", "r3/1", "r3/2", "r3/3"]);
    let answers: Vec<Value> = [
        vec![one.json()],
        two.json().as_array().unwrap().clone(),
        json_lines(&three.body),
    ]
    .concat();
    let records = [ARMS, PAYMENT, MISSPELT, PAYMENT, "not json", ARMS];
    for ((line, answer), record) in logged.iter().zip(&answers).zip(records) {
        assert_eq!(line["verdict"], answer["verdict"], "{line}");
        assert_eq!(line["record_id"], answer["id"], "{line}");
        assert_eq!(line["provenance"], answer["provenance"], "{line}");
        let fired: Vec<Value> = answer["findings"]
            .as_array()
            .map(|f| f.iter().map(|f| f["rule"].clone()).collect())
            .unwrap_or_default();
        assert_eq!(line["rules"], Value::Array(fired), "{line}");
        assert_eq!(line["endpoint"], "/v1/screen");
        // The record as sent, when it is JSON
        match serde_json::from_str::<Value>(record) {
            Ok(sent) => assert_eq!(line["record"], sent),
            Err(_) => assert!(line.get("record").is_none(), "{line}"),
        }
    }
    assert_eq!(logged[0]["request_id"], "r1");
    assert_eq!(logged[5]["request_id"], "r3");
    let (status, _) = server.terminate();
    assert_eq!(status, Some(0));
}

#[test]
fn no_decision_is_given_when_the_log_cannot_be_written() {
    let (server, _) = with_config(
        "decision-log-full",
        "no_lists: true\ndecision_log:\n  path: /dev/full\n  fsync_ms: 0\n",
        &[],
    );
    let refused = post(
        &server.url("/v1/screen"),
        "application/json",
        ARMS.as_bytes(),
    );
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert!(
        refused.json()["error"]
            .as_str()
            .unwrap()
            .contains("the decision log cannot be written")
    );
    assert!(refused.json().get("verdict").is_none());
    let lines = post(
        &server.url("/v1/screen"),
        "application/x-ndjson",
        ARMS.as_bytes(),
    );
    assert_eq!(lines.status, 503);
    let ready = get(&server.url("/readyz"));
    assert_eq!(ready.status, 503);
    assert_eq!(ready.json()["status"], "failing");
    assert!(
        ready.json()["decision_log"]
            .as_str()
            .unwrap()
            .contains("/dev/full")
    );
}

/// The SHA-256 of a key, in hex, as the config file keeps it
fn sha256(key: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn keys_say_who_may_screen_and_who_may_reload() {
    let (server, folder) = with_config(
        "keys",
        &format!(
            "no_lists: true\nwatch: false\ndecision_log:\n  path: decisions.jsonl\n  fsync_ms: 0\n\
auth:\n  clients:\n    - name: payments-hub\n      key_sha256: {}\n  admins:\n    - name: ops\n      key_sha256: {}\n",
            sha256("hub-key-0123"),
            sha256("ops-key-4567")
        ),
        &[],
    );
    let url = server.url("/v1/screen");

    let none = post(&url, "application/json", PAYMENT.as_bytes());
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate"), "Bearer");
    let wrong = post_with(
        &url,
        &[
            ("content-type", "application/json"),
            ("authorization", "Bearer hub-key-0124"),
        ],
        PAYMENT.as_bytes(),
    );
    assert_eq!(wrong.status, 401);

    let hub = [
        ("content-type", "application/json"),
        ("authorization", "Bearer hub-key-0123"),
    ];
    assert_eq!(post_with(&url, &hub, PAYMENT.as_bytes()).status, 200);
    assert_eq!(
        post_with(&server.url("/admin/reload"), &hub, b"").status,
        403
    );
    let ops = [
        ("content-type", "application/json"),
        ("x-api-key", "ops-key-4567"),
    ];
    assert_eq!(
        post_with(&server.url("/admin/reload"), &ops, b"").status,
        200
    );
    assert_eq!(post_with(&url, &ops, ARMS.as_bytes()).status, 200);

    // Probes and metrics need no key
    assert_eq!(get(&server.url("/healthz")).status, 200);
    assert_eq!(get(&server.url("/metrics")).status, 200);

    // The decision log names who asked
    let logged = json_lines(&std::fs::read_to_string(folder.join("decisions.jsonl")).unwrap());
    let clients: Vec<&str> = logged
        .iter()
        .map(|l| l["client"].as_str().unwrap())
        .collect();
    assert_eq!(clients, ["payments-hub", "ops"]);
}

#[test]
fn the_openapi_description_is_the_servers_and_docs_keep_it() {
    let server = Server::start(&["--no-lists"]);
    let answer = get(&server.url("/openapi.json"));
    assert_eq!(answer.status, 200);
    let api = answer.json();
    assert!(
        api["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        api["openapi"]
    );
    // Every endpoint described is served with its method (none answers 404 or 405)
    let paths = api["paths"].as_object().unwrap();
    let mut described = Vec::new();
    for (path, methods) in paths {
        for method in methods.as_object().unwrap().keys() {
            described.push(format!("{} {path}", method.to_uppercase()));
            let url = server.url(path);
            let status = match method.as_str() {
                "get" => get(&url).status,
                "post" => post(&url, "application/json", b"{}").status,
                other => panic!("a method not served: {other}"),
            };
            assert!(![404, 405].contains(&status), "{method} {path}: {status}");
        }
    }
    described.sort();
    // And every endpoint the 404 answer lists is described, but the description itself
    let listed = get(&server.url("/nowhere")).json()["error"]
        .as_str()
        .unwrap()
        .to_string();
    let listed: Vec<String> = listed
        .split_once("the endpoints are ")
        .unwrap()
        .1
        .split(", ")
        .filter(|e| *e != "GET /openapi.json")
        .map(str::to_string)
        .collect();
    let mut listed = listed;
    listed.sort();
    assert_eq!(described, listed);
    // docs/openapi.json is the same text (EMBARGO_UPDATE_OPENAPI=1 writes it)
    let doc = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.json");
    if std::env::var_os("EMBARGO_UPDATE_OPENAPI").is_some() {
        std::fs::write(doc, &answer.body).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(doc).unwrap_or_default(),
        answer.body,
        "docs/openapi.json is not the server's: run EMBARGO_UPDATE_OPENAPI=1 cargo test --test integration serve::the_openapi"
    );
}

#[test]
fn with_a_certificate_it_serves_https_only() {
    let folder = dir("tls");
    let cert =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    std::fs::write(folder.join("cert.pem"), cert.cert.pem()).unwrap();
    std::fs::write(folder.join("key.pem"), cert.signing_key.serialize_pem()).unwrap();
    let config = folder.join("serve.yaml");
    std::fs::write(
        &config,
        "no_lists: true\nwatch: false\ntls:\n  cert: cert.pem\n  key: key.pem\n",
    )
    .unwrap();
    let server = Server::start(&["--config", config.to_str().unwrap()]);
    assert!(
        server.base.starts_with("https://127.0.0.1:"),
        "{}",
        server.base
    );

    // A client that trusts this certificate gets the verdict
    let screen = |agent: &ureq::Agent| {
        let mut response = agent
            .post(&server.url("/v1/screen"))
            .header("content-type", "application/json")
            .send(ARMS.as_bytes())?;
        let answer = answer(&mut response);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json()["verdict"], "prohibited");
        Ok::<_, ureq::Error>(())
    };
    let first = trusting(cert.cert.der());
    screen(&first).unwrap();

    // Plain HTTP on the same port gets no answer
    let plain = server.base.replace("https://", "http://");
    assert!(client().get(&format!("{plain}/healthz")).call().is_err());

    // A new certificate is served from the reload on, without a restart
    let renewed =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    std::fs::write(folder.join("cert.pem"), renewed.cert.pem()).unwrap();
    std::fs::write(folder.join("key.pem"), renewed.signing_key.serialize_pem()).unwrap();
    let mut response = first
        .post(&server.url("/admin/reload"))
        .send_empty()
        .unwrap();
    let reloaded = answer(&mut response);
    assert_eq!(reloaded.status, 200, "{}", reloaded.body);
    let second = trusting(renewed.cert.der());
    screen(&second).unwrap();
    // New connections get the renewed certificate (open ones keep theirs until they close)
    let stale = trusting(cert.cert.der());
    assert!(
        screen(&stale).is_err(),
        "the old certificate is still served"
    );

    // A key that is not the certificate's: the reload fails, the renewed certificate stays
    let stray = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    std::fs::write(folder.join("key.pem"), stray.signing_key.serialize_pem()).unwrap();
    let mut response = second
        .post(&server.url("/admin/reload"))
        .send_empty()
        .unwrap();
    let failed = answer(&mut response);
    assert_eq!(failed.status, 500, "{}", failed.body);
    assert!(
        failed.json()["error"]
            .as_str()
            .unwrap()
            .contains("cannot use the certificate"),
        "{}",
        failed.body
    );
    screen(&second).unwrap();
    let (status, _) = server.terminate();
    assert_eq!(status, Some(0));

    // A key that is not the certificate's stops it before it listens
    let o = embargo(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--config",
            config.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(
        crate::common::err(&o).contains("cannot use the certificate"),
        "{}",
        crate::common::err(&o)
    );
}

/// The UN fixture (KPe.901 `KOREA FICTIVE TRADING CORPORATION`) and suppressions of it
const UN: &str = "tests/screening/list.xml";
const SUPPRESSIONS: &str = "tests/suppress/suppressions.yaml";

/// A payment to the fictive Korean company on `date`: suppressed by `SUPPRESSIONS` from
/// 2024-01-02 to 2024-06-30
fn to_korea_fictive(id: &str, date: &str) -> String {
    format!(
        r#"{{"id": "{id}", "date": "{date}", "activity": "payment", "parties": [{{"role": "payee", "name": "Korea Fictive Trading Corporation", "kind": "entity"}}]}}"#
    )
}

#[test]
fn the_analysts_decisions_apply_as_screen_applies_them() {
    let decided = [
        "--list",
        UN,
        "--suppressions",
        SUPPRESSIONS,
        "--min-score",
        "0.9",
    ];
    let server = Server::start(&decided);
    // In the suppression's time, and after it expired
    let input = [
        to_korea_fictive("in-force", "2024-03-01"),
        to_korea_fictive("expired", "2024-09-01"),
    ]
    .join("\n");
    let mut args = vec!["screen", "--provenance"];
    args.extend(decided);
    args.push("-");
    let expected = json_lines(&out(&embargo(&args, Some(&input))));
    assert_eq!(expected[0]["verdict"], "clear", "{}", expected[0]);
    assert_eq!(expected[0]["suppressed"][0]["reference"], "KPe.901");
    assert_eq!(expected[1]["verdict"], "prohibited", "{}", expected[1]);

    let url = server.url("/v1/screen");
    for (i, record) in input.lines().enumerate() {
        let one = post(&url, "application/json", record.as_bytes());
        assert_eq!(one.json(), expected[i]);
    }
    let lines = post(&url, "application/x-ndjson", input.as_bytes());
    assert_eq!(json_lines(&lines.body), expected);

    // explain gives the suppressed match as `explain --suppressions` does
    let first = input.lines().next().unwrap();
    let explained = post(
        &server.url("/v1/explain"),
        "application/json",
        first.as_bytes(),
    );
    let mut args = vec!["explain", "--format", "json", "--provenance"];
    args.extend(decided);
    args.push("-");
    let o = embargo(&args, Some(first));
    let expected: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(explained.json(), expected);
    assert_eq!(expected["verdict"]["suppressed"][0]["reference"], "KPe.901");

    // /v1/version says which decisions were applied
    let version = get(&server.url("/v1/version")).json();
    let decisions = &version["decisions"];
    assert_eq!(decisions["min_scores"], serde_json::json!(["0.9"]));
    assert_eq!(decisions["suppressions"]["file"], SUPPRESSIONS);
    assert_eq!(decisions["suppressions"]["entries"], 2);
    let text = std::fs::read(SUPPRESSIONS).unwrap();
    assert_eq!(
        decisions["suppressions"]["sha256"],
        embargo::internals::provenance::sha256_hex(&text)
    );
}

/// The verdict of a payment to the fictive Korean company on 2024-03-01
fn korea_fictive(server: &Server) -> String {
    let record = to_korea_fictive("k", "2024-03-01");
    let v = post(
        &server.url("/v1/screen"),
        "application/json",
        record.as_bytes(),
    )
    .json();
    v["verdict"].as_str().unwrap().to_string()
}

#[test]
fn a_changed_suppression_file_reloads_and_a_broken_one_keeps_the_old() {
    let list = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(UN);
    let yaml = format!(
        "lists: [{}]\nsuppressions: ours.yaml\n",
        list.to_str().unwrap()
    );
    let folder = dir("suppressions-reload");
    let file = folder.join("ours.yaml");
    std::fs::write(&file, std::fs::read(SUPPRESSIONS).unwrap()).unwrap();
    let config = folder.join("serve.yaml");
    std::fs::write(&config, yaml).unwrap();
    let server = Server::start(&["--config", config.to_str().unwrap()]);
    assert_eq!(korea_fictive(&server), "clear");

    // A file that does not read: the reload fails, the old suppressions stay
    std::fs::write(&file, "- party: x\n  entry: KPe.901\n").unwrap();
    let start = std::time::Instant::now();
    let ready = loop {
        let ready = get(&server.url("/readyz")).json();
        if ready["last_reload"]["ok"] == false {
            break ready;
        }
        assert!(start.elapsed() < WAIT, "no failed reload: {ready}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let error = ready["last_reload"]["error"].as_str().unwrap();
    assert!(
        error.contains("ours.yaml: not a valid suppression file"),
        "{error}"
    );
    assert_eq!(korea_fictive(&server), "clear");

    // Emptied (as after a review that withdrew it): the match drives the verdict again
    std::fs::write(&file, "# nothing suppressed\n").unwrap();
    let start = std::time::Instant::now();
    while korea_fictive(&server) != "prohibited" {
        assert!(start.elapsed() < WAIT, "the emptied file was not reloaded");
        std::thread::sleep(Duration::from_millis(50));
    }
    let version = get(&server.url("/v1/version")).json();
    assert_eq!(version["decisions"]["suppressions"]["entries"], 0);
}

/// A client bounded in time that trusts only the certificate `der`
fn trusting(der: &[u8]) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(WAIT))
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(vec![
                    ureq::tls::Certificate::from_der(der).to_owned(),
                ])))
                .build(),
        )
        .build()
        .into()
}
