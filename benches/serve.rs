//! `cargo bench --bench serve`: `embargo serve` (the release binary, no lists) on loopback.
//!
//! 1. Single-record requests (`POST /v1/screen`, one JSON object) from C concurrent
//!    connections, each sending its next request when the last is answered, for a few seconds
//!    each: requests/s and the latency percentiles p50, p99 and p99.9 as the client sees them.
//! 2. A batch: N records as JSON Lines in one request, streamed back; records/s, against
//!    `embargo screen FILE > /dev/null` on the same records (the ratio is the target of
//!    issue 15: at least 0.8).
//! 3. The server's resident memory (VmRSS) before and after, and its peak (VmHWM).
//!
//! Environment: `EMBARGO_SERVE_CONCURRENCY` (default `1,4,16,64`), `EMBARGO_SERVE_SECONDS`
//! (each level, default 3), `EMBARGO_SERVE_BATCH` (records, default 100000). Bounded: every
//! level stops after its seconds, the batch after one request.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark: a failure should stop it"
)]

#[path = "screen/records.rs"]
mod records;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

/// The server, stopped when dropped
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path) -> Server {
    let config = dir.join("serve-bench.yaml");
    std::fs::write(
        &config,
        "no_lists: true\nwatch: false\nlimits:\n  concurrency: 4096\n  records: 10000000\n  \
body_bytes: 4000000000\n  deadline_ms: 600000\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(["serve", "--addr", "127.0.0.1:0", "--config"])
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .unwrap();
        if let Some(url) = line.strip_prefix("embargo serve: listening on http://") {
            break url.to_string();
        }
    };
    // Drain the rest of stderr so that the server never blocks on it
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, addr }
}

/// VmRSS and VmHWM of a process, in MiB
fn memory(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// One connection's requests for `seconds`: the latency of each
async fn client(
    addr: String,
    records: std::sync::Arc<Vec<String>>,
    start: usize,
    until: Instant,
) -> Vec<Duration> {
    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let mut latencies = Vec::new();
    let mut i = start;
    while Instant::now() < until {
        let record = records[i % records.len()].clone();
        i += 1;
        let request = hyper::Request::post("/v1/screen")
            .header("host", &addr)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(record)))
            .unwrap();
        let t = Instant::now();
        let response = sender.send_request(request).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        latencies.push(t.elapsed());
        assert!(body.starts_with(b"{\"id\""));
    }
    latencies
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e6
}

fn main() {
    let dir = std::env::temp_dir().join(format!("embargo-serve-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server = start(&dir);
    let pid = server.child.id();
    let (rss_start, _) = memory(pid);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let seconds: f64 = env_or("EMBARGO_SERVE_SECONDS", "3").parse().unwrap();
    let records: Vec<String> = records::generate(20_000, 7)
        .lines()
        .map(str::to_string)
        .collect();
    let records = std::sync::Arc::new(records);
    println!(
        "embargo serve on {}, no lists, the embedded pack; single-record requests:",
        server.addr
    );
    println!(
        "{:>11} {:>9} {:>10} {:>9} {:>9} {:>9}",
        "connections", "requests", "req/s", "p50 µs", "p99 µs", "p99.9 µs"
    );
    for c in env_or("EMBARGO_SERVE_CONCURRENCY", "1,4,16,64")
        .split(',')
        .map(|c| c.trim().parse::<usize>().unwrap())
    {
        let until = Instant::now() + Duration::from_secs_f64(seconds);
        let started = Instant::now();
        let mut all: Vec<Duration> = runtime.block_on(async {
            let tasks: Vec<_> = (0..c)
                .map(|k| tokio::spawn(client(server.addr.clone(), records.clone(), k * 997, until)))
                .collect();
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.unwrap());
            }
            all
        });
        let wall = started.elapsed().as_secs_f64();
        all.sort_unstable();
        println!(
            "{c:>11} {:>9} {:>10.0} {:>9.0} {:>9.0} {:>9.0}",
            all.len(),
            all.len() as f64 / wall,
            percentile(&all, 0.50),
            percentile(&all, 0.99),
            percentile(&all, 0.999),
        );
    }

    let n: u64 = env_or("EMBARGO_SERVE_BATCH", "100000").parse().unwrap();
    let file = dir.join("batch.jsonl");
    records::generate_file(&file, n, 11).unwrap();
    let batch = std::fs::read(&file).unwrap();
    let started = Instant::now();
    let lines = runtime.block_on(async {
        let stream = tokio::net::TcpStream::connect(&server.addr).await.unwrap();
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(connection);
        let request = hyper::Request::post("/v1/screen")
            .header("host", &server.addr)
            .header("content-type", "application/x-ndjson")
            .body(Full::new(Bytes::from(batch)))
            .unwrap();
        let response = sender.send_request(request).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        body.iter().filter(|&&b| b == b'\n').count()
    });
    let served = started.elapsed().as_secs_f64();
    assert_eq!(lines as u64, n, "every record gets a verdict");
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(["screen", "--no-lists"])
        .arg(&file)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    let screened = started.elapsed().as_secs_f64();
    assert!(status.code().is_some_and(|c| c <= 1), "{status}");
    println!(
        "batch of {n} records as JSON Lines: serve {:.0} records/s ({served:.2} s), \
screen {:.0} records/s ({screened:.2} s): ratio {:.2} (target at least 0.80)",
        n as f64 / served,
        n as f64 / screened,
        screened / served
    );
    let (rss_end, peak) = memory(pid);
    println!(
        "server memory: {rss_start:.1} MiB at start, {rss_end:.1} MiB at the end, peak {peak:.1} MiB"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
