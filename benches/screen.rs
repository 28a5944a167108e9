//! Screening speed and memory, in one run.
//!
//! `cargo bench --bench screen` generates synthetic records (deterministically, from a seeded
//! PRNG) in the JSON Lines format of spec/records.md and reports:
//!
//! 1. records/s for screening the in-memory JSONL with the embedded rule pack through
//!    `embargo::internals::screen::screen_stream`, rendering each verdict with `json_line` (the output of
//!    `embargo screen`) into a sink that discards it; records/s for merely parsing the same lines
//!    into `serde_json::Value`; and the ratio screen/parse. On 1 and on 2 threads, median
//!    (min/max) of several repetitions.
//! 2. Peak memory (max RSS), wall time and records/s of the release binary running
//!    `embargo screen FILE > /dev/null` on files of 100 k and 1 M records, one child process per
//!    measurement, read with `wait4`. These run first, while the bench itself is small: Linux
//!    carries the parent's peak RSS into a spawned child's `ru_maxrss`, so the bench's own peak
//!    is printed as the floor below which a child's figure cannot read.
//!
//! About one record in five is "hot" (its places lean towards KP, IR, RU and UA-14, its goods
//! carry control categories more often), so that a few per cent are flagged; the run prints the
//! actual share.
//!
//! Environment: `EMBARGO_BENCH_N` (records in memory, default 200000), `EMBARGO_BENCH_REPS`
//! (repetitions, default 5), `EMBARGO_BENCH_RSS` (comma-separated file sizes for the memory
//! measurement, default `100000,1000000`; empty or `0` to skip), `EMBARGO_BENCH_KEEP` (set to
//! keep the generated files under `target/embargo-bench/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "benchmark harness"
)]

use std::fmt::Write as _;
use std::fs::File;
use std::hint::black_box;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use rayon::prelude::*;

use embargo::internals::eval::Evaluator;
use embargo::internals::ir::Program;
use embargo::internals::model::{InputFormat, RecordReader};
use embargo::internals::report::verdicts::json_line;
use embargo::internals::screen::{CHUNK, Summary, screen_stream};
use embargo::internals::screening::matching::ListMatcher;

// ---------------------------------------------------------------------------------------------
// Synthetic records.

/// SplitMix64: small, fast, and the same sequence on every machine
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `per_mille` / 1000
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    fn weighted<'a>(&mut self, xs: &'a [(&'a str, u32)]) -> &'a str {
        let total: u64 = xs.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (x, w) in xs {
            if r < u64::from(*w) {
                return x;
            }
            r -= u64::from(*w);
        }
        xs[0].0
    }
}

/// Countries and subdivisions with rough weights (per mille): the sanctioned and their
/// neighbours a little over-represented, and many ordinary countries
const PLACES: &[(&str, u32)] = &[
    ("KP", 12),
    ("IR", 18),
    ("RU", 70),
    ("CN", 110),
    ("UA-14", 6),
    ("UA-09", 4),
    ("UA-43", 4),
    ("UA", 20),
    ("US", 110),
    ("DE", 60),
    ("FR", 35),
    ("GB", 35),
    ("IT", 25),
    ("ES", 18),
    ("NL", 25),
    ("BE", 10),
    ("CH", 15),
    ("AT", 8),
    ("PL", 15),
    ("SE", 8),
    ("JP", 40),
    ("KR", 30),
    ("IN", 35),
    ("SG", 25),
    ("HK", 20),
    ("AE", 25),
    ("TR", 25),
    ("SA", 12),
    ("BR", 20),
    ("MX", 15),
    ("CA", 15),
    ("AU", 12),
    ("ZA", 8),
    ("NG", 6),
    ("EG", 6),
    ("PK", 6),
    ("ID", 12),
    ("MY", 10),
    ("TH", 10),
    ("VN", 15),
    ("MN", 5),
    ("KZ", 6),
    ("BY", 5),
    ("SY", 3),
    ("VE", 3),
    ("PA", 5),
    ("LR", 3),
    ("MH", 3),
];

const ACTIVITIES: &[(&str, u32)] = &[
    ("trade", 40),
    ("payment", 20),
    ("financing", 7),
    ("service", 10),
    ("employment", 6),
    ("investment", 5),
    ("vessel_operation", 7),
    ("travel", 5),
];

const CURRENCIES: &[&str] = &["USD", "EUR", "CNY", "RUB", "GBP", "JPY", "AED", "CHF"];

const NAMES: &[&str] = &[
    "Acme Trading Ltd",
    "Northern Star Shipping",
    "Global Metals GmbH",
    "Blue Ocean Logistics",
    "Sunrise Electronics Co",
    "Korea Ryonbong General Corporation",
    "Korea Mining Development Trading Corporation",
    "Shahid Bagheri Industrial Group",
    "Rosoboronexport",
    "Zhongshan Machinery",
    "Ivan Petrov",
    "Li Wei",
    "Ким Чен",
    "Müller & Söhne KG",
    "Société Générale de Commerce",
    "Banco del Sur",
    "First Gulf Bank",
    "Pacific Crew Agency",
    "Delta Construction LLC",
    "Atlas Insurance",
];

/// Ordinary HS headings, and a few of chapter 93 and 8710 (arms by code alone)
const HS: &[&str] = &[
    "2710",
    "271019",
    "2709.00",
    "8471",
    "8471.30",
    "847130",
    "8517.62",
    "851762",
    "3004",
    "300490",
    "1001",
    "100199",
    "7208",
    "7308.90",
    "8703",
    "870323",
    "8802",
    "880240",
    "8806.99",
    "6109",
    "610910",
    "2402",
    "240220",
    "8903.92",
    "7108",
    "710812",
    "0901",
    "090111",
    "8542",
    "854231",
    "2601",
    "3926",
    "9018",
    "901890",
    "8411",
    "84119900",
    "8708",
    "8708.29.10",
    "0303",
    "03038990",
    "8901",
    "890190",
    "9306.90",
    "930190",
    "8710",
    "871000",
    "2204",
    "220421",
    "4011",
    "40111000",
];

const CATEGORIES: &[(&str, u32)] = &[
    ("arms", 20),
    ("small_arms", 10),
    ("heavy_arms", 8),
    ("missile", 10),
    ("luxury", 20),
    ("dual_use", 20),
    ("nuclear", 4),
    ("chemical", 3),
    ("aviation_fuel", 5),
];

const UNITS: &[&str] = &["bbl", "t", "kg", "l", "m3", "pcs"];

// The record format's own vocabulary: the generator draws from the same list the reader checks.
const SERVICES: &[&str] = embargo::internals::model::vocab::SERVICES;

const DESCRIPTIONS: &[&str] = &[
    "quarterly supply under framework contract",
    "spot purchase",
    "invoice 2291-B, partial shipment",
    "charter party dated as per annex",
    "settlement of outstanding balance",
    "joint project, phase 2",
];

/// Where a "hot" record (one in five) draws its places: mostly the sanctioned countries
const HOT_PLACES: &[(&str, u32)] = &[("KP", 40), ("IR", 30), ("RU", 15), ("UA-14", 5), ("CN", 10)];

struct Gen {
    rng: Rng,
    /// Whether the record being written leans towards sanctioned places and controlled goods
    hot: bool,
    first_day: NaiveDate,
    days: u64,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        let first_day = NaiveDate::from_ymd_opt(2005, 1, 1).unwrap();
        let last_day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        Gen {
            rng: Rng(seed),
            hot: false,
            first_day,
            days: (last_day - first_day).num_days() as u64 + 1,
        }
    }

    fn place(&mut self) -> &'static str {
        if self.hot && self.rng.chance(600) {
            return self.rng.weighted(HOT_PLACES);
        }
        self.rng.weighted(PLACES)
    }

    fn date(&mut self) -> NaiveDate {
        self.first_day + Days::new(self.rng.below(self.days))
    }

    fn money(&mut self, out: &mut String, max_units: u64) {
        let units = 1 + self.rng.below(max_units);
        let cents = self.rng.below(100);
        let cur = self.rng.pick(CURRENCIES);
        write!(
            out,
            r#"{{"amount": {units}.{cents:02}, "currency": "{cur}"}}"#
        )
        .unwrap();
    }

    fn party(&mut self, out: &mut String, role: &str, country: Option<&str>) {
        let name = self.rng.pick(NAMES);
        write!(out, r#"{{"role": "{role}", "name": "{name}""#).unwrap();
        if self.rng.chance(300) {
            let kind = self
                .rng
                .pick(&["individual", "entity", "government", "organization"]);
            write!(out, r#", "kind": "{kind}""#).unwrap();
        }
        if let Some(c) = country {
            write!(out, r#", "country": "{c}""#).unwrap();
        }
        if self.rng.chance(150) {
            let n = self.rng.below(1_000_000);
            write!(out, r#", "ids": {{"lei": "5493{n:016}"}}"#).unwrap();
        }
        if self.rng.chance(20) {
            out.push_str(r#", "tags": ["state_owned"]"#);
        }
        out.push('}');
    }

    /// A party whose country is, most of the time, `usual`
    fn party_near(&mut self, out: &mut String, role: &str, usual: &str) {
        let country = if self.rng.chance(800) {
            usual
        } else {
            self.place()
        };
        self.party(out, role, Some(country));
    }

    fn item(&mut self, out: &mut String) {
        out.push('{');
        if self.rng.chance(500) {
            out.push_str(r#""description": "assorted goods", "#);
        }
        let hs = self.rng.pick(HS);
        write!(out, r#""hs": "{hs}""#).unwrap();
        // Mostly none; a few arms, missile, luxury and other control categories.
        if self.rng.chance(if self.hot { 600 } else { 40 }) {
            let c = self.rng.weighted(CATEGORIES);
            write!(out, r#", "categories": ["{c}"]"#).unwrap();
        }
        if self.rng.chance(700) {
            let q = 1 + self.rng.below(50_000);
            let unit = self.rng.pick(UNITS);
            write!(out, r#", "quantity": {q}, "unit": "{unit}""#).unwrap();
        }
        if self.rng.chance(400) {
            out.push_str(r#", "value": "#);
            self.money(out, 5_000_000);
        }
        out.push('}');
    }

    fn list(
        &mut self,
        out: &mut String,
        key: &str,
        n: u64,
        mut each: impl FnMut(&mut Gen, &mut String, u64),
    ) {
        write!(out, r#", "{key}": ["#).unwrap();
        for i in 0..n {
            if i > 0 {
                out.push_str(", ");
            }
            each(self, out, i);
        }
        out.push(']');
    }

    /// Appends one record, as one line of JSON, to `out`
    fn record(&mut self, out: &mut String, index: u64) {
        self.hot = self.rng.chance(200);
        let date = self.date();
        let activity = self.rng.weighted(ACTIVITIES);
        write!(
            out,
            r#"{{"id": "tx-{index:08}", "date": "{date}", "activity": "{activity}""#
        )
        .unwrap();
        if self.rng.chance(300) {
            let d = self.rng.pick(DESCRIPTIONS);
            write!(out, r#", "description": "{d}""#).unwrap();
        }
        let origin = self.place();
        let destination = self.place();
        match activity {
            "trade" => {
                write!(
                    out,
                    r#", "origin": "{origin}", "destination": "{destination}""#
                )
                .unwrap();
                if self.rng.chance(200) {
                    let t = self.place();
                    write!(out, r#", "transit": ["{t}"]"#).unwrap();
                }
                let seller = *self
                    .rng
                    .pick(&["seller", "exporter", "supplier", "manufacturer"]);
                let buyer = *self
                    .rng
                    .pick(&["buyer", "importer", "consignee", "end_user"]);
                let parties = 1 + self.rng.below(3);
                self.list(out, "parties", parties, |g, o, _| match g.rng.below(3) {
                    0 => g.party_near(o, seller, origin),
                    1 => g.party_near(o, buyer, destination),
                    _ => {
                        let c = g.place();
                        g.party(o, "broker", Some(c));
                    }
                });
                let items = 1 + self.rng.below(3);
                self.list(out, "goods", items, |g, o, _| g.item(o));
                out.push_str(r#", "amount": "#);
                self.money(out, 10_000_000);
            }
            "payment" | "financing" => {
                write!(
                    out,
                    r#", "origin": "{origin}", "destination": "{destination}""#
                )
                .unwrap();
                self.list(out, "parties", 2, |g, o, i| {
                    if i == 0 {
                        g.party_near(o, "payer", origin);
                    } else {
                        g.party_near(o, "payee", destination);
                    }
                });
                if activity == "financing" {
                    let s = self.rng.pick(&["financial", "insurance"]);
                    write!(out, r#", "services": ["{s}"]"#).unwrap();
                }
                if self.rng.chance(100) {
                    self.list(out, "goods", 1, |g, o, _| g.item(o));
                }
                out.push_str(r#", "amount": "#);
                self.money(out, 50_000_000);
            }
            "service" => {
                write!(out, r#", "location": "{destination}""#).unwrap();
                let n = 1 + self.rng.below(2);
                self.list(out, "services", n, |g, o, _| {
                    let s = g.rng.pick(SERVICES);
                    write!(o, r#""{s}""#).unwrap();
                });
                self.list(out, "parties", 2, |g, o, _| {
                    if g.rng.chance(500) {
                        g.party_near(o, "provider", origin);
                    } else {
                        g.party_near(o, "recipient", destination);
                    }
                });
                if self.rng.chance(50) {
                    self.list(out, "goods", 1, |g, o, _| g.item(o));
                }
                out.push_str(r#", "amount": "#);
                self.money(out, 2_000_000);
            }
            "employment" => {
                write!(out, r#", "location": "{destination}""#).unwrap();
                if self.rng.chance(400) {
                    out.push_str(r#", "services": ["construction", "labour"]"#);
                }
                let count = 1 + self.rng.below(500);
                self.list(out, "parties", 2, |g, o, i| {
                    if i == 0 {
                        g.party_near(o, "employer", destination);
                    } else {
                        let c = g.place();
                        let name = g.rng.pick(NAMES);
                        write!(
                            o,
                            r#"{{"role": "worker", "name": "{name}", "kind": "individual", "country": "{c}", "count": {count}}}"#
                        )
                        .unwrap();
                    }
                });
            }
            "investment" => {
                write!(out, r#", "location": "{destination}""#).unwrap();
                let n = 1 + self.rng.below(3);
                self.list(out, "parties", n, |g, o, _| {
                    let role = *g.rng.pick(&["partner", "investor", "owner"]);
                    let c = g.place();
                    g.party(o, role, Some(c));
                });
                out.push_str(r#", "amount": "#);
                self.money(out, 100_000_000);
            }
            "vessel_operation" => {
                write!(out, r#", "location": "{destination}""#).unwrap();
                let s = self.rng.pick(&[
                    "chartering",
                    "bunkering",
                    "ship_to_ship_transfer",
                    "port_services",
                    "crewing",
                    "flagging",
                ]);
                write!(out, r#", "services": ["{s}"]"#).unwrap();
                let n = 1 + self.rng.below(2);
                self.list(out, "vessels", n, |g, o, _| {
                    let imo = 9_000_000 + g.rng.below(999_999);
                    let flag = g.place();
                    let role = g.rng.pick(&["carrier", "receiving", "transferring"]);
                    write!(
                        o,
                        r#"{{"name": "MV Ocean {imo}", "imo": "{imo}", "flag": "{flag}", "role": "{role}"}}"#
                    )
                    .unwrap();
                });
                self.list(out, "parties", 1, |g, o, _| {
                    let role = *g.rng.pick(&["owner", "operator", "charterer", "insurer"]);
                    let c = g.place();
                    g.party(o, role, Some(c));
                });
            }
            _ => {
                // travel
                write!(
                    out,
                    r#", "origin": "{origin}", "destination": "{destination}""#
                )
                .unwrap();
                let c = self.place();
                let name = self.rng.pick(NAMES);
                let passport = self.rng.below(100_000_000);
                write!(
                    out,
                    r#", "parties": [{{"role": "traveller", "name": "{name}", "kind": "individual", "country": "{c}", "ids": {{"passport": "P{passport:08}"}}}}]"#
                )
                .unwrap();
            }
        }
        if self.rng.chance(10) {
            let d = self.date();
            write!(
                out,
                r#", "authorizations": [{{"by": "1718 Committee", "reference": "1718/{index}", "date": "{d}"}}]"#
            )
            .unwrap();
        }
        out.push_str("}\n");
    }
}

/// `n` records as JSON Lines, in memory
fn generate(n: u64, seed: u64) -> String {
    let mut g = Gen::new(seed);
    let mut out = String::with_capacity(n as usize * 600);
    for i in 0..n {
        g.record(&mut out, i);
    }
    out
}

/// `n` records as JSON Lines, written to `path` without holding them all in memory
fn generate_file(path: &Path, n: u64, seed: u64) -> io::Result<u64> {
    let mut g = Gen::new(seed);
    let mut file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut line = String::new();
    let mut bytes = 0u64;
    for i in 0..n {
        line.clear();
        g.record(&mut line, i);
        file.write_all(line.as_bytes())?;
        bytes += line.len() as u64;
    }
    file.flush()?;
    Ok(bytes)
}

// ---------------------------------------------------------------------------------------------
// Measurements in memory.

/// Screens `input` with JSON output into a discarding sink; the time, the counts and the bytes
/// of output
fn screen_once(evaluator: &Evaluator<'_>, input: &str) -> (Duration, Summary, usize) {
    screen_with(evaluator, &ListMatcher::new(), input)
}

/// As [`screen_once`], with parties and vessels screened against `lists`
fn screen_with(
    evaluator: &Evaluator<'_>,
    lists: &ListMatcher<'_>,
    input: &str,
) -> (Duration, Summary, usize) {
    let start = Instant::now();
    let reader = RecordReader::new(input.as_bytes(), InputFormat::JsonLines);
    let mut sink = io::sink();
    let mut bytes = 0usize;
    let summary = screen_stream(
        evaluator,
        lists,
        reader,
        "bench.jsonl",
        &embargo::internals::model::ReadOptions::default(),
        |v| {
            let mut line = json_line(v);
            line.push('\n');
            line
        },
        |line| {
            bytes += line.len();
            sink.write_all(black_box(line.as_bytes()))
        },
    )
    .expect("screening in memory cannot fail");
    (start.elapsed(), summary, bytes)
}

/// Parses every line of `input` into a `serde_json::Value`, in chunks like `screen_stream`
fn parse_once(input: &str) -> (Duration, usize) {
    let start = Instant::now();
    let lines: Vec<&str> = input.lines().collect();
    let parsed: usize = lines
        .par_chunks(CHUNK)
        .map(|chunk| {
            chunk
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).expect("valid JSON");
                    black_box(v);
                    1usize
                })
                .sum::<usize>()
        })
        .sum();
    (start.elapsed(), parsed)
}

/// Median, min and max of records/s over the repetitions
struct Rate {
    median: f64,
    min: f64,
    max: f64,
}

impl Rate {
    fn of(records: usize, times: &[Duration]) -> Rate {
        let mut rates: Vec<f64> = times
            .iter()
            .map(|t| records as f64 / t.as_secs_f64())
            .collect();
        rates.sort_by(f64::total_cmp);
        let mid = rates.len() / 2;
        let median = if rates.len() % 2 == 1 {
            rates[mid]
        } else {
            (rates[mid - 1] + rates[mid]) / 2.0
        };
        Rate {
            median,
            min: rates[0],
            max: rates[rates.len() - 1],
        }
    }
}

fn human(rate: f64) -> String {
    if rate >= 1e6 {
        format!("{:.2} M", rate / 1e6)
    } else {
        format!("{:.1} k", rate / 1e3)
    }
}

// ---------------------------------------------------------------------------------------------
// Peak memory of the binary.

struct ChildRun {
    wall: Duration,
    max_rss_kib: i64,
    status: i32,
}

/// Runs `embargo screen FILE > /dev/null` and reads its max RSS with `wait4`
fn run_binary(file: &Path) -> io::Result<ChildRun> {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .arg("screen")
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::from(File::create("/dev/null")?))
        .spawn()?;
    let pid = libc::pid_t::try_from(child.id()).expect("pid fits");
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data, zeroed is a valid value; `wait4` writes into the two
    // out-pointers, which point to live locals, and reaps exactly this child.
    let (ret, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let ret = libc::wait4(pid, &mut status, 0, &mut usage);
        (ret, usage)
    };
    let wall = start.elapsed();
    if ret != pid {
        return Err(io::Error::last_os_error());
    }
    // The child is reaped; `Child` does not wait on drop.
    drop(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok(ChildRun {
        wall,
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: usage.ru_maxrss,
        status: code,
    })
}

fn bench_dir() -> PathBuf {
    // The bench runs from target/<profile>/deps/screen-HASH.
    let exe = std::env::current_exe().expect("current exe");
    let target = exe
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("embargo-bench")
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, found `{v}`")),
        _ => default,
    }
}

/// The peak RSS of this process's own memory so far (`VmHWM`), in KiB. Not `getrusage`, whose
/// figure also carries the peak of the process that started this one (cargo).
fn own_peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Peak memory, wall time and records/s of the binary on files of `sizes` records
fn memory_table(sizes: &[u64], seed: u64) {
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).expect("bench folder");
    println!(
        "binary: `embargo screen FILE > /dev/null` (release, default threads = cores), one process each"
    );
    println!(
        "{:>10} {:>10} {:>10} {:>14} {:>14} {:>6}",
        "records", "file MB", "wall s", "records/s", "max RSS MiB", "exit"
    );
    for &size in sizes {
        let path = dir.join(format!("records-{size}.jsonl"));
        let bytes = generate_file(&path, size, seed).expect("write the records file");
        let run = run_binary(&path).expect("run embargo screen");
        println!(
            "{:>10} {:>10.1} {:>10.2} {:>14} {:>14.1} {:>6}",
            size,
            bytes as f64 / 1e6,
            run.wall.as_secs_f64(),
            human(size as f64 / run.wall.as_secs_f64()),
            run.max_rss_kib as f64 / 1024.0,
            run.status
        );
        if std::env::var_os("EMBARGO_BENCH_KEEP").is_none() {
            let _ = std::fs::remove_file(&path);
        }
    }
    // Linux carries the parent's peak RSS into a child started with vfork/posix_spawn (as
    // `Command` does), so a child's max RSS never reads below the bench's own peak: the memory
    // runs come first, while the bench is still small, and that floor is shown.
    if let Some(kib) = own_peak_rss_kib() {
        println!(
            "(floor: the bench's own peak RSS when it started them was {:.1} MiB)",
            kib as f64 / 1024.0
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is not ours.
    let n = env_u64("EMBARGO_BENCH_N", 200_000);
    let reps = env_u64("EMBARGO_BENCH_REPS", 5).max(1) as usize;
    let rss_sizes: Vec<u64> = std::env::var("EMBARGO_BENCH_RSS")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .filter(|&s| s > 0)
        .collect();
    let seed = 0x5EED_2026;

    if !rss_sizes.is_empty() {
        memory_table(&rss_sizes, seed);
        println!();
    }

    let files = embargo::internals::rules::embedded();
    let (program, diagnostics) = embargo::internals::compile::compile(&files);
    let program: Program = program.unwrap_or_else(|| panic!("embedded pack: {diagnostics:?}"));
    let evaluator = Evaluator::new(&program);

    let t = Instant::now();
    let input = generate(n, seed);
    println!(
        "generated {n} records, {:.1} MB of JSONL ({:.0} bytes/record) in {:.2} s",
        input.len() as f64 / 1e6,
        input.len() as f64 / n.max(1) as f64,
        t.elapsed().as_secs_f64()
    );

    // Warm-up, and the flagged share.
    let (_, summary, out_bytes) = screen_once(&evaluator, &input);
    assert_eq!(summary.records as u64, n, "every record gets a verdict");
    assert_eq!(summary.invalid, 0, "the generator writes valid records");
    println!(
        "screened with the embedded pack ({} rules): {} records, {} flagged ({:.2} %), {} invalid; {:.1} MB of verdicts",
        program.rules.len(),
        summary.records,
        summary.flagged,
        100.0 * summary.flagged as f64 / summary.records.max(1) as f64,
        summary.invalid,
        out_bytes as f64 / 1e6
    );
    let (_, parsed) = parse_once(&input);
    assert_eq!(parsed as u64, n);

    println!();
    println!("in memory: {n} records, median of {reps} repetitions (min .. max), records/s");
    println!(
        "{:<8} {:>28} {:>28} {:>13}",
        "threads", "screen + JSON output", "parse to Value only", "screen/parse"
    );
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let mut screen_times = Vec::with_capacity(reps);
        let mut parse_times = Vec::with_capacity(reps);
        pool.install(|| {
            // Interleaved, so that noise on a shared machine hits both alike.
            for _ in 0..reps {
                screen_times.push(screen_once(&evaluator, &input).0);
                parse_times.push(parse_once(&input).0);
            }
        });
        let s = Rate::of(n as usize, &screen_times);
        let p = Rate::of(n as usize, &parse_times);
        println!(
            "{:<8} {:>28} {:>28} {:>13.2}",
            threads,
            format!("{} ({} .. {})", human(s.median), human(s.min), human(s.max)),
            format!("{} ({} .. {})", human(p.median), human(p.min), human(p.max)),
            s.median / p.median
        );
    }
    with_un_list(&evaluator, &input, reps);
}

/// Screening with parties and vessels matched against the real UN list (`EMBARGO_SHARED`):
/// records/s with and without the list, on 1 and 2 threads, on the first 20,000 records
fn with_un_list(evaluator: &Evaluator<'_>, input: &str, reps: usize) {
    let Some(dir) = std::env::var_os("EMBARGO_SHARED") else {
        println!("\nwith the UN list: skipped (EMBARGO_SHARED is not set)");
        return;
    };
    let path = Path::new(&dir).join("data/un/consolidated-2026-05-08.xml");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let catalog = embargo::internals::screening::lists::read_un_xml(io::BufReader::new(file))
        .expect("the UN list");
    let t = Instant::now();
    let mut lists = ListMatcher::new();
    lists.add("un.xml", &catalog);
    let built = t.elapsed();
    let sample: String = input.lines().take(20_000).flat_map(|l| [l, "\n"]).collect();
    let n = sample.lines().count();
    let parties: usize = sample.matches("\"role\"").count();
    let (_, summary, _) = screen_with(evaluator, &lists, &sample);
    println!();
    println!(
        "with the UN list ({} entries; matcher built in {:.0} ms): {n} records with {parties} parties, {} flagged ({:.2} %)",
        catalog.entries.len(),
        built.as_secs_f64() * 1e3,
        summary.flagged,
        100.0 * summary.flagged as f64 / n.max(1) as f64
    );
    println!(
        "{:<8} {:>28} {:>28} {:>13}",
        "threads", "screen with the list", "screen without", "with/without"
    );
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let mut with = Vec::with_capacity(reps);
        let mut without = Vec::with_capacity(reps);
        pool.install(|| {
            for _ in 0..reps {
                with.push(screen_with(evaluator, &lists, &sample).0);
                without.push(screen_once(evaluator, &sample).0);
            }
        });
        let w = Rate::of(n, &with);
        let o = Rate::of(n, &without);
        println!(
            "{:<8} {:>28} {:>28} {:>13.3}",
            threads,
            format!("{} ({} .. {})", human(w.median), human(w.min), human(w.max)),
            format!("{} ({} .. {})", human(o.median), human(o.min), human(o.max)),
            w.median / o.median
        );
    }
}
