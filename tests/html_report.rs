//! The HTML report of `screen` (issue 16, item 2; docs/report.md): `--format html` on stdout
//! and `--report FILE` beside the JSON Lines, whose counts are those of `--summary FILE`; text
//! from records is text; and, in Debian's headless Chromium driven through chromedriver's
//! WebDriver API, the counts shown, the filters and a screenshot (`docs/img/report.png`, written
//! when `EMBARGO_SCREENSHOT=1`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{code, embargo, err, json_lines, out};

const NEWS: &str = "examples/news-2022.jsonl";
const BROKEN: &str = "examples/broken.jsonl";

/// The records of the browser test: those of the list-screening tests, with a list and the
/// vessels file they are written for, and three more (a party named as a script, one with an
/// identifier and an invalid record)
const SCREENING: &str = "tests/screening/records.jsonl";
const LISTS: [&str; 4] = [
    "--list",
    "tests/screening/list.xml",
    "--list",
    "tests/screening/vessels.csv",
];
const XSS: &str = "<script>alert(1)</script>";

/// A fresh path under the target's temporary folder
fn temp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-report");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// The number in the element whose attribute `attribute` is `value`: `data-count="review">3<`
fn shown_number(html: &str, attribute: &str, value: &str) -> Option<u64> {
    let needle = format!("{attribute}=\"{value}\">");
    let start = html.find(&needle)? + needle.len();
    let digits: String = html[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Every `data-count` and `data-regime-count` of the page agrees with the summary's counts
fn assert_counts_match(html: &str, summary: &Value) {
    assert_eq!(
        shown_number(html, "data-count", "records"),
        summary["records"].as_u64(),
        "records"
    );
    let by_verdict = summary["by_verdict"].as_object().unwrap();
    assert_eq!(by_verdict.len(), 6);
    for (verdict, n) in by_verdict {
        assert_eq!(
            shown_number(html, "data-count", verdict),
            n.as_u64(),
            "{verdict}"
        );
    }
    let by_regime = summary["by_regime"].as_object().unwrap();
    for (regime, n) in by_regime {
        assert_eq!(
            shown_number(html, "data-regime-count", regime),
            n.as_u64(),
            "{regime}"
        );
    }
    assert_eq!(
        html.matches("data-regime-count=").count(),
        by_regime.len(),
        "a regime the summary does not name"
    );
    // Every record that is not clear has its row
    let listed: u64 = by_verdict
        .iter()
        .filter(|(v, _)| *v != "clear")
        .map(|(_, n)| n.as_u64().unwrap())
        .sum();
    assert_eq!(html.matches("<tr id=\"r").count() as u64, listed);
    // The provenance of the summary
    let pack = summary["provenance"]["pack"].as_str().unwrap();
    assert!(
        html.contains(&format!("<code data-run=\"pack\">{pack}</code>")),
        "{pack}"
    );
    assert!(html.contains(&format!(
        "<span data-run=\"engine\">{}</span>",
        summary["provenance"]["engine"].as_str().unwrap()
    )));
}

#[test]
fn the_html_report_counts_what_the_summary_counts() {
    for input in [NEWS, BROKEN] {
        let summary_path = temp(&format!("{}.json", input.replace('/', "_")));
        let o = embargo(
            &[
                "screen",
                "--no-lists",
                "--format",
                "html",
                "--summary",
                summary_path.to_str().unwrap(),
                input,
            ],
            None,
        );
        assert_eq!(code(&o), 1, "{}", err(&o));
        let html = out(&o);
        let summary: Value =
            serde_json::from_str(&std::fs::read_to_string(&summary_path).unwrap()).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>\n"), "{html}");
        assert!(html.ends_with("</html>\n"));
        assert_counts_match(&html, &summary);
        // How it was run, as given
        assert!(html.contains(&format!(
            "<code data-run=\"command\">embargo screen --no-lists --format html --summary {} {input}</code>",
            summary_path.display()
        )));
        assert!(html.contains("<dt>when</dt><dd><time data-run=\"when\">20"));
    }
}

#[test]
fn the_report_file_is_written_beside_the_verdicts() {
    let report = temp("beside.html");
    let summary_path = temp("beside.json");
    let o = embargo(
        &[
            "screen",
            "--no-lists",
            "--report",
            report.to_str().unwrap(),
            "--summary",
            summary_path.to_str().unwrap(),
            NEWS,
        ],
        None,
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    // The verdicts are those of a plain run
    let plain = embargo(&["screen", "--no-lists", NEWS], None);
    assert_eq!(out(&o), out(&plain));
    let html = std::fs::read_to_string(&report).unwrap();
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_path).unwrap()).unwrap();
    assert_counts_match(&html, &summary);
    // Each listed record's findings, rule by rule, with the citations linked
    for v in json_lines(&out(&plain)) {
        let id = v["id"].as_str().unwrap();
        let listed = html.contains(&format!("<span class=\"id\">{id}</span>"));
        assert_eq!(listed, v["verdict"] != "clear", "{id}");
        for f in v["findings"].as_array().unwrap() {
            let rule = f["rule"].as_str().unwrap();
            assert!(
                html.contains(&format!("<code class=\"rule\">{rule}</code>")),
                "{rule}"
            );
            for c in f["citations"].as_array().unwrap() {
                let resolution = c["resolution"].as_str().unwrap();
                let url = format!("https://docs.un.org/en/{}", resolution.replace(' ', ""));
                assert!(
                    html.contains(&format!("href=\"{url}\"")),
                    "{resolution}: {url}"
                );
            }
        }
    }
    // With the table on stdout too
    let o = embargo(
        &[
            "screen",
            "--no-lists",
            "--format",
            "table",
            "--report",
            report.to_str().unwrap(),
            NEWS,
        ],
        None,
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(out(&o).starts_with("ID "), "{}", out(&o));
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("data-count=\"records\">10<")
    );
}

/// The records of the browser test on stdin: the screening tests' records, a flagged record with
/// a party named as a script, and an invalid record
fn browser_records() -> String {
    let mut records = std::fs::read_to_string(SCREENING).unwrap();
    records.push_str(
        &json!({"id": "script-party", "date": "2024-03-01", "activity": "trade", "origin": "KP",
            "parties": [{"role": "seller", "name": XSS}, {"role": "buyer", "name": "<img src=x onerror=alert(2)>"}],
            "goods": [{"hs": "930690", "categories": ["arms"]}],
            "meta": {"note": "</td></tr></table><script>alert(3)</script>"}})
        .to_string(),
    );
    records.push('\n');
    records.push_str("{\"id\": \"orgin-typo\", \"date\": \"2024-03-01\", \"activity\": \"trade\", \"orgin\": \"KP\"}\n");
    records
}

/// `screen --format html` of [`browser_records`] with the lists, written to a file, and the
/// summary of the same run with `--summary` (the command line the page shows names no
/// temporary file: the page is the screenshot of the docs)
fn browser_report(name: &str) -> (PathBuf, Value) {
    let summary_path = temp(&format!("{name}.json"));
    let mut args = vec!["screen", "--summary", summary_path.to_str().unwrap()];
    args.extend(LISTS);
    args.push("-");
    let o = embargo(&args, Some(&browser_records()));
    assert_eq!(code(&o), 1, "{}", err(&o));
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_path).unwrap()).unwrap();
    let mut args = vec!["screen", "--format", "html"];
    args.extend(LISTS);
    args.push("-");
    let o = embargo(&args, Some(&browser_records()));
    assert_eq!(code(&o), 1, "{}", err(&o));
    let report = temp(&format!("{name}.html"));
    std::fs::write(&report, out(&o)).unwrap();
    (report, summary)
}

#[test]
fn text_from_records_is_text_in_the_report() {
    // Through --report, from stdin, with the summary of the same run
    let report = temp("escapes.html");
    let summary_path = temp("escapes.json");
    let mut args = vec![
        "screen",
        "--report",
        report.to_str().unwrap(),
        "--summary",
        summary_path.to_str().unwrap(),
    ];
    args.extend(LISTS);
    args.push("-");
    let o = embargo(&args, Some(&browser_records()));
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert_eq!(json_lines(&out(&o)).len(), 21, "the verdicts on stdout");
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_path).unwrap()).unwrap();
    let html = std::fs::read_to_string(&report).unwrap();
    assert_counts_match(&html, &summary);
    assert!(html.contains("screened from <code>standard input</code>"));
    assert_eq!(html.matches("<script").count(), 1, "the page's own script");
    assert!(!html.contains("<img"));
    assert!(!html.contains("</td></tr></table>&lt;"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(3)"));
    // Control characters are shown, never written
    let o = embargo(
        &[
            "screen",
            "--no-lists",
            "--no-default-rules",
            "--rules",
            "tests/output/pack.rules",
            "--format",
            "html",
            "tests/output/escapes.jsonl",
        ],
        None,
    );
    let html = out(&o);
    let bad: Vec<char> = html
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(html.contains("esc-\\u{1b}[2J"), "{html}");
    assert!(html.contains("Evil\\u{1b}]0;owned\\u{7} Corp\\u{a}shells-2022"));
}

// ---------------------------------------------------------------------------------------------
// In the browser

/// How long any one wait lasts at most
const WAIT: Duration = Duration::from_secs(30);

/// chromedriver, listening on the loopback only, stopped when dropped
struct Driver {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Driver {
    fn start() -> Driver {
        for program in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing: apt-get install chromium chromium-driver (.ci/run does)"
            );
        }
        // A free port on the loopback, given to chromedriver
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(WAIT))
            .build()
            .into();
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let start = Instant::now();
        loop {
            let ready = driver
                .agent
                .get(format!("{}/status", driver.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|b| serde_json::from_str::<Value>(&b).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return driver;
            }
            assert!(start.elapsed() < WAIT, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A WebDriver command: its `value`, or a panic naming the error
    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut response = match body {
            Some(b) => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(b.to_string().as_bytes())
                .unwrap(),
            None if method == "DELETE" => self.agent.delete(&url).call().unwrap(),
            None => self.agent.get(&url).call().unwrap(),
        };
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .unwrap();
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert!(status == 200, "{method} {path}: {status} {text}");
        value["value"].clone()
    }

    /// A headless Chromium session of `width` × `height`, with JavaScript on or off
    fn session(&self, javascript: bool) -> Session<'_> {
        let mut args = vec![
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--window-size=1280,1400",
            "--force-device-scale-factor=1",
            "--no-first-run",
            "--disable-extensions",
        ];
        if !javascript {
            args.push("--blink-settings=scriptEnabled=false");
        }
        let value = self.send(
            "POST",
            "/session",
            Some(json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args},
                "timeouts": {"script": 20_000, "pageLoad": 20_000, "implicit": 0}
            }}})),
        );
        let id = value["sessionId"].as_str().unwrap().to_string();
        Session { driver: self, id }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver's own way out, which closes the browsers it started; then for sure
        let _ = self.agent.get(format!("{}/shutdown", self.base)).call();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser session, closed when dropped
struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

impl Session<'_> {
    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.driver
            .send(method, &format!("/session/{}{path}", self.id), body)
    }

    fn open(&self, file: &Path) {
        let url = format!("file://{}", file.canonicalize().unwrap().display());
        self.send("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs `script` (a function body) in the page, with `args`
    fn run(&self, script: &str, args: Value) -> Value {
        self.send(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// The element `css` selects
    fn element(&self, css: &str) -> String {
        let value = self.send(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        value
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {value}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.send("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn type_text(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.send(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// The ids and verdicts of the rows shown, and the count the page says it shows
    fn shown(&self) -> (Vec<(String, String)>, String) {
        let v = self.run(
            "var rows = Array.prototype.slice.call(document.querySelectorAll('#records-table > tbody > tr'));\
             return [rows.filter(function (r) { return r.getClientRects().length > 0; })\
                       .map(function (r) { return [r.querySelector('.id').textContent, r.getAttribute('data-verdict')]; }),\
                     document.getElementById('shown').textContent];",
            json!([]),
        );
        let rows = v[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r[0].as_str().unwrap().to_string(),
                    r[1].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (rows, v[1].as_str().unwrap_or("").to_string())
    }

    fn screenshot(&self) -> Vec<u8> {
        let value = self.send("GET", "/screenshot", None);
        base64_decode(value.as_str().unwrap())
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .agent
            .delete(format!("{}/session/{}", self.driver.base, self.id))
            .call();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
    {
        let v = ALPHABET.iter().position(|a| *a == b).unwrap() as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
#[ignore = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver); .ci/run installs them and runs it"]
fn in_headless_chromium_the_report_shows_the_counts_and_filters() {
    let (report, summary) = browser_report("browser");
    let driver = Driver::start();
    let session = driver.session(true);
    session.open(&report);

    // The page's script ran (the filters are shown), nothing else did: no dialog is open
    let v = session.run(
        "return [document.getElementById('filters').hidden, document.scripts.length, \
         document.querySelectorAll('img, iframe, object').length, document.title];",
        json!([]),
    );
    assert_eq!(v[0], false, "{v}");
    assert_eq!(v[1], 1, "{v}");
    assert_eq!(v[2], 0, "{v}");
    let alert = driver
        .agent
        .get(format!("{}/session/{}/alert/text", driver.base, session.id))
        .call()
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(alert, 404, "no alert is open");
    // The party named as a script is text, as written
    let names = session.run(
        "return Array.prototype.map.call(document.querySelectorAll('#records-table .party'), \
         function (e) { return e.textContent; });",
        json!([]),
    );
    assert!(names.as_array().unwrap().contains(&json!(XSS)), "{names}");

    // The counts shown are the summary's
    let counts = session.run(
        "var o = {}; document.querySelectorAll('.cards [data-count], .lead [data-count]')\
         .forEach(function (e) { o[e.getAttribute('data-count')] = Number(e.textContent); }); \
         document.querySelectorAll('[data-regime-count]').forEach(function (e) \
         { o['regime:' + e.getAttribute('data-regime-count')] = Number(e.textContent); }); return o;",
        json!([]),
    );
    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    expected.insert("records".into(), summary["records"].clone());
    for (v, n) in summary["by_verdict"].as_object().unwrap() {
        expected.insert(v.clone(), n.clone());
    }
    for (r, n) in summary["by_regime"].as_object().unwrap() {
        expected.insert(format!("regime:{r}"), n.clone());
    }
    assert_eq!(
        serde_json::to_value(&expected).unwrap(),
        counts,
        "the counts shown"
    );
    let count = |v: &str| summary["by_verdict"][v].as_u64().unwrap() as usize;
    let listed = summary["records"].as_u64().unwrap() as usize - count("clear");
    let (rows, said) = session.shown();
    assert_eq!(rows.len(), listed);
    assert_eq!(said, listed.to_string());
    for v in ["prohibited", "review", "invalid"] {
        assert!(count(v) > 0, "the records have a {v} one: {summary}");
    }

    // By verdict: only review rows, as many as the summary counts
    session.click("#f-verdict option[value=review]");
    let (rows, said) = session.shown();
    assert_eq!(rows.len(), count("review"), "{rows:?}");
    assert!(rows.iter().all(|(_, v)| v == "review"), "{rows:?}");
    assert_eq!(said, rows.len().to_string());

    // And by text, a party's name in another case: the one record with that alias
    session.click("#f-verdict option[value='']");
    session.type_text("#f-text", "kofico");
    let (rows, _) = session.shown();
    assert_eq!(
        rows,
        [("alias".to_string(), "prohibited".to_string())],
        "a party's name"
    );
    // A rule's id
    session.click("button[type=reset]");
    session.type_text("#f-text", "un.freeze.dprk");
    let (rows, _) = session.shown();
    assert!(!rows.is_empty() && rows.len() < listed, "{rows:?}");
    // Nothing matches: the page says so
    session.type_text("#f-text", "-no-such-text");
    let v = session.run(
        "return document.getElementById('no-match').hidden;",
        json!([]),
    );
    assert_eq!(session.shown().0.len(), 0);
    assert_eq!(v, false);

    // By regime, from the summary's table: every record with a finding of the regime
    session.click("button[type=reset]");
    let regime = summary["by_regime"]
        .as_object()
        .unwrap()
        .iter()
        .max_by_key(|(_, n)| n.as_u64())
        .map(|(r, n)| (r.clone(), n.as_u64().unwrap() as usize))
        .unwrap();
    session.click(&format!("a[data-filter-regime='{}']", regime.0));
    let (rows, _) = session.shown();
    assert_eq!(rows.len(), regime.1, "{}: {rows:?}", regime.0);
    // A verdict's card sets its filter
    session.click("a[data-filter-verdict=prohibited]");
    let (rows, _) = session.shown();
    assert_eq!(rows.len(), count("prohibited"));
    assert!(rows.iter().all(|(_, v)| v == "prohibited"), "{rows:?}");

    // Reset: every listed record again; then the screenshot of the docs when asked
    session.click("button[type=reset]");
    let start = Instant::now();
    while session.shown().0.len() != listed {
        assert!(start.elapsed() < WAIT, "reset shows every record");
        std::thread::sleep(Duration::from_millis(50));
    }
    session.run("window.scrollTo(0, 0);", json!([]));
    let png = session.screenshot();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    if std::env::var_os("EMBARGO_SCREENSHOT").is_some_and(|v| v == "1") {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/img/report.png");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &png).unwrap();
    }
    drop(session);

    // Without JavaScript, the table is all there is: every row shown, no filter
    let session = driver.session(false);
    session.open(&report);
    let e = session.element("#filters");
    let shown = session.send("GET", &format!("/element/{e}/displayed"), None);
    assert_eq!(shown, false, "the filters need the script");
    let rows = session.send(
        "POST",
        "/elements",
        Some(json!({"using": "css selector", "value": "#records-table > tbody > tr"})),
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), listed);
    for r in rows {
        let id = r
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap();
        let displayed = session.send("GET", &format!("/element/{id}/displayed"), None);
        assert_eq!(displayed, true);
    }
}
