//! The decision log of `serve`: one JSON line per verdict (`docs/serve.md`, "Decision log"),
//! appended by a thread of its own, synced to disk on a schedule or before each answer, and
//! rotated by size.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::value::RawValue;

/// `decision_log:` of the config file
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// The file appended to
    pub path: PathBuf,
    /// Whether each line also holds the record judged
    #[serde(default)]
    pub records: bool,
    /// How often what was written is synced to disk, in milliseconds; 0: before each answer
    #[serde(default = "default_fsync_ms")]
    pub fsync_ms: u64,
    /// The size past which the file is rotated
    #[serde(default = "default_rotate_bytes")]
    pub rotate_bytes: u64,
    /// How many rotated files are kept (`FILE.1` the newest)
    #[serde(default = "default_keep")]
    pub keep: u32,
}

fn default_fsync_ms() -> u64 {
    1000
}

fn default_rotate_bytes() -> u64 {
    100 << 20
}

fn default_keep() -> u32 {
    10
}

/// What the writer is sent: lines to append, and whom to tell once they are on disk
struct Batch {
    lines: String,
    synced: Option<SyncSender<Result<(), String>>>,
}

/// The decision log: [`DecisionLog::append`] from any thread
pub struct DecisionLog {
    settings: LogSettings,
    tx: Mutex<Option<SyncSender<Batch>>>,
    /// Why the log cannot be written, once it cannot: the server then refuses to decide
    broken: Arc<Mutex<Option<String>>>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// The request decisions were made for
pub struct Request<'a> {
    /// Its id (the caller's `X-Request-Id`, or one made)
    pub id: &'a str,
    pub endpoint: &'a str,
    /// The name of the caller's key, when keys are set
    pub client: Option<&'a str>,
    /// What decided (the `provenance` of the verdicts, as JSON)
    pub provenance: &'a str,
}

/// One decision, as the handlers give it
pub struct Decision<'a> {
    pub decision_id: String,
    /// The record's id, if it has one
    pub record_id: Option<String>,
    pub verdict: &'static str,
    /// The rules that fired
    pub rules: Vec<String>,
    /// The record's text, if it is JSON
    pub record: Option<&'a str>,
}

impl<'a> Decision<'a> {
    /// The decision `decision_id` of `verdict`, on `record`
    pub fn of(decision_id: String, verdict: &embargo::Verdict, record: Option<&'a str>) -> Self {
        Decision {
            decision_id,
            record_id: verdict.id.clone(),
            verdict: verdict.verdict.as_str(),
            rules: verdict.rule_ids().into_iter().map(str::to_string).collect(),
            record,
        }
    }
}

impl DecisionLog {
    /// Opens the log (creating it and its folder) and starts its writer
    pub fn open(settings: LogSettings) -> Result<DecisionLog> {
        if let Some(dir) = settings.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| {
                format!("cannot create the folder of {}", settings.path.display())
            })?;
        }
        let file = open(&settings.path)?;
        let (tx, rx) = sync_channel::<Batch>(1024);
        let broken = Arc::new(Mutex::new(None));
        let writer = {
            let settings = settings.clone();
            let broken = Arc::clone(&broken);
            std::thread::Builder::new()
                .name("decision-log".into())
                .spawn(move || write_loop(&settings, file, &rx, &broken))
                .context("cannot start the decision log's writer")?
        };
        Ok(DecisionLog {
            settings,
            tx: Mutex::new(Some(tx)),
            broken,
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Why the log cannot be written, if it cannot
    pub fn broken(&self) -> Option<String> {
        self.broken
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Whether [`DecisionLog::append`] waits for the disk (`fsync_ms: 0`)
    pub fn waits(&self) -> bool {
        self.settings.fsync_ms == 0
    }

    /// Appends the decisions of one request; with `fsync_ms: 0`, returns once they are on disk.
    /// Blocking then ([`DecisionLog::waits`]): call it from a worker thread.
    pub fn append(&self, request: &Request<'_>, decisions: &[Decision<'_>]) -> Result<(), String> {
        if let Some(why) = self.broken() {
            return Err(why);
        }
        let time = now_millis();
        let mut lines = String::new();
        for d in decisions {
            lines.push_str(&line(request, &time, d, self.settings.records));
            lines.push('\n');
        }
        let (synced, wait) = if self.settings.fsync_ms == 0 {
            let (tx, rx) = sync_channel(1);
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let sent = self
            .tx
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .map(|tx| tx.send(Batch { lines, synced }));
        if !matches!(sent, Some(Ok(()))) {
            return Err("the decision log is closed".to_string());
        }
        match wait.map(|rx| rx.recv()) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(e),
            Some(Err(_)) => Err("the decision log's writer stopped".to_string()),
        }
    }

    /// Writes and syncs what was sent, and stops the writer
    pub fn close(&self) {
        self.tx
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(w) = writer {
            let _ = w.join();
        }
    }
}

/// One line of the log
fn line(request: &Request<'_>, time: &str, d: &Decision<'_>, records: bool) -> String {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        decision_id: &'a str,
        time: &'a str,
        request_id: &'a str,
        endpoint: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        client: Option<&'a str>,
        record_id: Option<&'a str>,
        verdict: &'a str,
        rules: &'a [String],
        provenance: Option<&'a RawValue>,
        #[serde(skip_serializing_if = "Option::is_none")]
        record: Option<&'a RawValue>,
    }
    fn json(text: Option<&str>) -> Option<&RawValue> {
        text.and_then(|t| serde_json::from_str(t).ok())
    }
    let line = Line {
        decision_id: &d.decision_id,
        time,
        request_id: request.id,
        endpoint: request.endpoint,
        client: request.client,
        record_id: d.record_id.as_deref(),
        verdict: d.verdict,
        rules: &d.rules,
        provenance: json(Some(request.provenance)),
        record: if records { json(d.record) } else { None },
    };
    serde_json::to_string(&line).unwrap_or_default()
}

/// The writer: appends each batch, syncs on schedule (or at once when a batch waits for it),
/// rotates by size; on an error, says so once and marks the log broken
fn write_loop(
    settings: &LogSettings,
    mut file: File,
    rx: &Receiver<Batch>,
    broken: &Mutex<Option<String>>,
) {
    let every = Duration::from_millis(settings.fsync_ms.max(1));
    let mut size = file.metadata().map_or(0, |m| m.len());
    let mut last_sync = Instant::now();
    let mut dirty = false;
    let fail = |why: String| {
        crate::cli::output::say!("embargo serve: the decision log: {why}; decisions are refused");
        *broken
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(why);
    };
    loop {
        let first = match rx.recv_timeout(every) {
            Ok(batch) => Some(batch),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let mut waiting = Vec::new();
        let mut text = String::new();
        for batch in first
            .into_iter()
            .chain(std::iter::from_fn(|| rx.try_recv().ok()))
        {
            text.push_str(&batch.lines);
            waiting.extend(batch.synced);
        }
        let result = (|| -> std::io::Result<()> {
            if !text.is_empty() {
                file.write_all(text.as_bytes())?;
                file.flush()?;
                size += text.len() as u64;
                dirty = true;
            }
            if dirty && (!waiting.is_empty() || last_sync.elapsed() >= every) {
                file.sync_data()?;
                dirty = false;
                last_sync = Instant::now();
            }
            if size >= settings.rotate_bytes {
                file.sync_data()?;
                rotate(&settings.path, settings.keep)?;
                file = open(&settings.path).map_err(std::io::Error::other)?;
                size = 0;
            }
            Ok(())
        })();
        let outcome = result.map_err(|e| format!("cannot write {}: {e}", settings.path.display()));
        // Marked broken before anyone waiting hears of it: no decision slips in between
        if let Err(why) = &outcome {
            fail(why.clone());
        }
        for w in waiting {
            let _ = w.send(outcome.clone());
        }
        if outcome.is_err() {
            // Refuse what comes next, but answer whoever waits
            for batch in rx.iter() {
                if let Some(w) = batch.synced {
                    let _ = w.send(Err("the decision log cannot be written".into()));
                }
            }
            return;
        }
    }
    if dirty && let Err(e) = file.sync_data() {
        fail(format!("cannot sync {}: {e}", settings.path.display()));
    }
}

/// Opens the log for appending
fn open(path: &Path) -> Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open the decision log {}", path.display()))
}

/// `FILE` becomes `FILE.1`, `FILE.1` `FILE.2`, ..., the oldest beyond `keep` removed
fn rotate(path: &Path, keep: u32) -> std::io::Result<()> {
    let numbered = |n: u32| {
        let mut p = path.as_os_str().to_owned();
        p.push(format!(".{n}"));
        PathBuf::from(p)
    };
    if keep == 0 {
        return std::fs::remove_file(path);
    }
    let _ = std::fs::remove_file(numbered(keep));
    for n in (1..keep).rev() {
        let from = numbered(n);
        if from.exists() {
            std::fs::rename(&from, numbered(n + 1))?;
        }
    }
    std::fs::rename(path, numbered(1))
}

/// The time now, RFC 3339 in UTC to the millisecond
fn now_millis() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(since.as_secs() as i64, since.subsec_nanos())
        .map_or_else(String::new, |t| {
            t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("embargo-log-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn settings(dir: &Path, fsync_ms: u64, rotate_bytes: u64) -> LogSettings {
        LogSettings {
            path: dir.join("sub").join("decisions.jsonl"),
            records: true,
            fsync_ms,
            rotate_bytes,
            keep: 2,
        }
    }

    fn request(id: &str) -> Request<'_> {
        Request {
            id,
            endpoint: "/v1/screen",
            client: Some("hub"),
            provenance: r#"{"engine":"0.1.0","pack":"sha256:00","lists":[]}"#,
        }
    }

    /// A prohibition of record `tx-1` by rules `a.b` and `c.d`
    fn prohibited(decision_id: &str, record: Option<&'static str>) -> Decision<'static> {
        Decision {
            decision_id: decision_id.into(),
            record_id: Some("tx-1".into()),
            verdict: "prohibited",
            rules: vec!["a.b".into(), "c.d".into()],
            record,
        }
    }

    #[test]
    fn a_line_per_decision_with_what_decided_it() {
        let dir = folder("lines");
        let log = DecisionLog::open(settings(&dir, 0, 1 << 20)).unwrap();
        let decisions = [
            prohibited("r/1", Some(r#"{"id": "tx-1"}"#)),
            Decision {
                decision_id: "r/2".into(),
                record_id: None,
                verdict: "invalid",
                rules: Vec::new(),
                record: Some("not json"),
            },
        ];
        log.append(&request("r"), &decisions).unwrap();
        // Synced before append returns: readable at once
        let text = std::fs::read_to_string(dir.join("sub/decisions.jsonl")).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["decision_id"], "r/1");
        assert_eq!(lines[0]["request_id"], "r");
        assert_eq!(lines[0]["endpoint"], "/v1/screen");
        assert_eq!(lines[0]["client"], "hub");
        assert_eq!(lines[0]["record_id"], "tx-1");
        assert_eq!(lines[0]["verdict"], "prohibited");
        assert_eq!(lines[0]["rules"], serde_json::json!(["a.b", "c.d"]));
        assert_eq!(lines[0]["provenance"]["pack"], "sha256:00");
        assert_eq!(lines[0]["record"], serde_json::json!({"id": "tx-1"}));
        assert_eq!(lines[1]["verdict"], "invalid");
        assert!(lines[1]["record_id"].is_null() && lines[1].get("record").is_none());
        assert!(chrono::DateTime::parse_from_rfc3339(lines[0]["time"].as_str().unwrap()).is_ok());
        log.close();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_log_rotates_by_size_keeping_the_newest() {
        let dir = folder("rotate");
        let log = DecisionLog::open(settings(&dir, 0, 600)).unwrap();
        for i in 0..12 {
            let d = prohibited(&format!("r{i}"), None);
            log.append(&request(&format!("r{i}")), &[d]).unwrap();
        }
        log.close();
        let base = dir.join("sub/decisions.jsonl");
        let read = |suffix: &str| {
            let mut p = base.as_os_str().to_owned();
            p.push(suffix);
            std::fs::read_to_string(PathBuf::from(p)).ok()
        };
        let (now, one, two) = (read(""), read(".1"), read(".2"));
        assert!(read(".3").is_none(), "only two rotated files are kept");
        let ids = |t: &Option<String>| -> Vec<String> {
            t.iter()
                .flat_map(|t| t.lines())
                .map(|l| {
                    serde_json::from_str::<serde_json::Value>(l).unwrap()["decision_id"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect()
        };
        // Oldest first across the files, the last ones in order, none twice
        let all: Vec<String> = [ids(&two), ids(&one), ids(&now)].concat();
        let n = all.len();
        assert!((4..12).contains(&n), "{all:?}");
        let expected: Vec<String> = (12 - n..12).map(|i| format!("r{i}")).collect();
        assert_eq!(all, expected);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_log_that_cannot_be_written_refuses_further_decisions() {
        let log = DecisionLog::open(LogSettings {
            path: PathBuf::from("/dev/full"),
            records: false,
            fsync_ms: 0,
            rotate_bytes: u64::MAX,
            keep: 1,
        })
        .unwrap();
        let d = || prohibited("r", None);
        let first = log.append(&request("r"), &[d()]).unwrap_err();
        assert!(first.contains("cannot write /dev/full"), "{first}");
        assert!(log.broken().unwrap().contains("/dev/full"));
        assert!(log.append(&request("r"), &[d()]).is_err());
        log.close();
    }
}
