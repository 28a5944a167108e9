//! `cargo bench --bench serve`: `embargo serve` (the release binary, no lists) on loopback.
//!
//! 1. Single-record requests (`POST /v1/screen`, one JSON object) from C concurrent
//!    connections, each sending its next request when the last is answered, for a few seconds
//!    each: requests/s and the latency percentiles p50, p99 and p99.9 as the client sees them.
//! 2. A fixed rate (open loop): R single-record requests a second, scheduled ahead over 50
//!    connections whatever the answers, for S seconds; latency from the moment each request was
//!    sent and from the moment it was due (which counts a late send against the server: no
//!    coordinated omission), a line each interval, and the server's resident memory each interval
//!    (issue 15: p99 under 2 ms at 5,000 requests/s; memory flat over ten minutes).
//! 3. A batch: N records as JSON Lines in one request, streamed back; records/s, against
//!    `embargo screen --provenance FILE > /dev/null` (the same verdict lines the server sends) and
//!    `embargo screen FILE`, alternated over several rounds, the medians and their ratio (issue
//!    15: at least 0.8).
//! 4. The server's resident memory (VmRSS) before and after, and its peak (VmHWM).
//!
//! Environment: `EMBARGO_SERVE_ADDR` and `EMBARGO_SERVE_PID` (measure a server already running,
//! say under heaptrack, instead of starting one), `EMBARGO_SERVE_CONCURRENCY` (default `1,4,16,64`), `EMBARGO_SERVE_SECONDS`
//! (each level, default 3), `EMBARGO_SERVE_RATE` (requests/s, default 5000; 0 skips it),
//! `EMBARGO_SERVE_RATE_SECONDS` (default 20; 600 for the ten-minute run),
//! `EMBARGO_SERVE_BATCH` (records, default 100000), `EMBARGO_SERVE_ROUNDS` (default 5; 0 skips
//! the batch). Bounded:
//! every level and the fixed rate stop after their seconds, each batch after one request.

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
    /// The server this bench started (none for one already running)
    child: Option<Child>,
    addr: String,
    /// Its process, whose memory is read
    pid: u32,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The server measured: the one at `EMBARGO_SERVE_ADDR` (whose process is
/// `EMBARGO_SERVE_PID`) when given, for a server run under a profiler such as heaptrack; else a
/// new one
fn start(dir: &std::path::Path) -> Server {
    if let Ok(addr) = std::env::var("EMBARGO_SERVE_ADDR") {
        let pid = env_or("EMBARGO_SERVE_PID", "0").parse().unwrap();
        return Server {
            child: None,
            addr,
            pid,
        };
    }
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
    Server {
        pid: child.id(),
        child: Some(child),
        addr,
    }
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
    let mut sender = connect(&addr).await;
    let mut latencies = Vec::new();
    let mut i = start;
    while Instant::now() < until {
        let record = records[i % records.len()].clone();
        i += 1;
        let t = Instant::now();
        screen_one(&mut sender, &addr, record).await;
        latencies.push(t.elapsed());
    }
    latencies
}

/// A connection to the server, with no delay on small writes
async fn connect(addr: &str) -> hyper::client::conn::http1::SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    sender
}

/// One record sent to `POST /v1/screen` and its verdict read whole
async fn screen_one(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    addr: &str,
    record: String,
) {
    let request = hyper::Request::post("/v1/screen")
        .header("host", addr)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(record)))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(body.starts_with(b"{\"id\""));
}

/// One connection's share of a fixed rate: it sends a request when told that one is due
/// (or, if its last answer came later, as soon as it has come). For each request, when it was
/// due (from `start`), and its latency from the send and from when it was due.
async fn scheduled(
    addr: String,
    records: std::sync::Arc<Vec<String>>,
    start: Instant,
    mut dues: tokio::sync::mpsc::UnboundedReceiver<(usize, Instant)>,
) -> Vec<(Duration, Duration, Duration)> {
    let mut sender = connect(&addr).await;
    let mut out = Vec::new();
    while let Some((i, due)) = dues.recv().await {
        let record = records[i % records.len()].clone();
        let sent = Instant::now();
        screen_one(&mut sender, &addr, record).await;
        let done = Instant::now();
        out.push((due - start, done - sent, done - due));
    }
    out
}

/// The connections a fixed rate is spread over
const CONNECTIONS: u32 = 50;

/// `rate` requests a second for `seconds`: a line each `interval` seconds (requests, p50, p99 and
/// p99.9 from the send and from when due, the server's memory), then the whole run
fn fixed_rate(
    runtime: &tokio::runtime::Runtime,
    server: &Server,
    records: &std::sync::Arc<Vec<String>>,
    rate: u32,
    seconds: u64,
) {
    // Ten lines, whatever the length
    let interval = (seconds / 10).max(1);
    println!(
        "\nfixed rate: {rate} requests/s over {CONNECTIONS} connections for {seconds} s (latency in µs; 'sent' from the send, 'due' from when the request was due):"
    );
    println!(
        "{:>7} {:>9} {:>8} {:>8} {:>9} {:>8} {:>8} {:>9} {:>8}",
        "seconds",
        "requests",
        "p50 sent",
        "p99 sent",
        "p99.9 sent",
        "p50 due",
        "p99 due",
        "p99.9 due",
        "RSS MiB"
    );
    let pid = server.pid;
    // The schedule is kept by a thread of its own, which sleeps with the system's (not the
    // runtime's millisecond) timer until each request is due and hands it to the connection
    // whose turn it is: a late send is then the server's doing, and counted from when it was due.
    let every = Duration::from_secs(1) / rate;
    let total = rate as usize * seconds as usize;
    let start = Instant::now() + Duration::from_millis(200);
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..CONNECTIONS)
        .map(|_| tokio::sync::mpsc::unbounded_channel())
        .unzip();
    let tasks: Vec<_> = receivers
        .into_iter()
        .map(|dues| runtime.spawn(scheduled(server.addr.clone(), records.clone(), start, dues)))
        .collect();
    let clock = std::thread::spawn(move || {
        for i in 0..total {
            let due = start + every * i as u32;
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            senders[i % senders.len()].send((i * 7919, due)).unwrap();
        }
    });
    // The server's memory at the end of each interval
    let mut samples = Vec::new();
    for n in 1..=seconds / interval {
        let at = start + Duration::from_secs(interval * n);
        if let Some(wait) = at.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        samples.push(memory(pid).0);
    }
    clock.join().unwrap();
    let all: Vec<(Duration, Duration, Duration)> = runtime.block_on(async {
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all
    });
    let line = |label: String, part: Vec<&(Duration, Duration, Duration)>, rss: f64| {
        let mut sent: Vec<Duration> = part.iter().map(|r| r.1).collect();
        let mut due: Vec<Duration> = part.iter().map(|r| r.2).collect();
        sent.sort_unstable();
        due.sort_unstable();
        println!(
            "{label:>7} {:>9} {:>8.0} {:>8.0} {:>9.0} {:>8.0} {:>8.0} {:>9.0} {rss:>8.1}",
            part.len(),
            percentile(&sent, 0.50),
            percentile(&sent, 0.99),
            percentile(&sent, 0.999),
            percentile(&due, 0.50),
            percentile(&due, 0.99),
            percentile(&due, 0.999),
        );
    };
    for (n, rss) in samples.iter().enumerate() {
        let from = Duration::from_secs(interval * n as u64);
        let to = from + Duration::from_secs(interval);
        let part: Vec<_> = all.iter().filter(|r| r.0 >= from && r.0 < to).collect();
        line(format!("{}", to.as_secs()), part, *rss);
    }
    let (rss, peak) = memory(pid);
    line("all".to_string(), all.iter().collect(), rss);
    println!("server memory peak so far: {peak:.1} MiB");
}

/// The median of `values`
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
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
    let pid = server.pid;
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

    let rate: u32 = env_or("EMBARGO_SERVE_RATE", "5000").parse().unwrap();
    if rate > 0 {
        let seconds: u64 = env_or("EMBARGO_SERVE_RATE_SECONDS", "20").parse().unwrap();
        fixed_rate(&runtime, &server, &records, rate, seconds);
    }

    let n: u64 = env_or("EMBARGO_SERVE_BATCH", "100000").parse().unwrap();
    let rounds: usize = env_or("EMBARGO_SERVE_ROUNDS", "5").parse().unwrap();
    let file = dir.join("batch.jsonl");
    records::generate_file(&file, n, 11).unwrap();
    let batch = Bytes::from(std::fs::read(&file).unwrap());
    let screen = |provenance: bool| {
        let started = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_embargo"))
            .args(["screen", "--no-lists"])
            .args(provenance.then_some("--provenance"))
            .arg(&file)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.code().is_some_and(|c| c <= 1), "{status}");
        n as f64 / started.elapsed().as_secs_f64()
    };
    let (mut served, mut stamped, mut plain) = (Vec::new(), Vec::new(), Vec::new());
    println!("\nbatch of {n} records as JSON Lines, {rounds} rounds (records/s):");
    println!(
        "{:>5} {:>10} {:>22} {:>10}",
        "round", "serve", "screen --provenance", "screen"
    );
    for round in 1..=rounds {
        let started = Instant::now();
        let lines = runtime.block_on(async {
            let mut sender = connect(&server.addr).await;
            let request = hyper::Request::post("/v1/screen")
                .header("host", &server.addr)
                .header("content-type", "application/x-ndjson")
                .body(Full::new(batch.clone()))
                .unwrap();
            let response = sender.send_request(request).await.unwrap();
            assert_eq!(response.status(), 200);
            let body = response.into_body().collect().await.unwrap().to_bytes();
            body.iter().filter(|&&b| b == b'\n').count()
        });
        served.push(n as f64 / started.elapsed().as_secs_f64());
        assert_eq!(lines as u64, n, "every record gets a verdict");
        stamped.push(screen(true));
        plain.push(screen(false));
        println!(
            "{round:>5} {:>10.0} {:>22.0} {:>10.0}",
            served[round - 1],
            stamped[round - 1],
            plain[round - 1]
        );
    }
    if rounds > 0 {
        let (served, stamped, plain) = (
            median(&mut served),
            median(&mut stamped),
            median(&mut plain),
        );
        println!(
            "medians: serve {served:.0}, screen --provenance {stamped:.0}, screen {plain:.0} records/s; \
ratio serve / screen --provenance {:.2}, serve / screen {:.2} (target at least 0.80)",
            served / stamped,
            served / plain
        );
    }
    let (rss_end, peak) = memory(pid);
    println!(
        "server memory: {rss_start:.1} MiB at start, {rss_end:.1} MiB at the end, peak {peak:.1} MiB"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
