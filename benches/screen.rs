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
//!    `embargo screen OPTIONS FILE > /dev/null` on files of 100 k and 1 M records, on 1, 2 and 4
//!    worker threads and (with `EMBARGO_SHARED`) against the UN list, one child process per
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
//! measurement, default `100000,1000000`; empty or `0` to skip), `EMBARGO_BENCH_BIN_REPS` (runs
//! of the binary for each option, interleaved, default 3: the median wall time is shown, with
//! the ratio of each thread count to one thread), `EMBARGO_BENCH_KEEP` (set to keep the
//! generated files under `target/embargo-bench/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "benchmark harness"
)]

use std::fs::File;
use std::hint::black_box;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use embargo::internals::eval::Evaluator;
use embargo::internals::ir::Program;
use embargo::internals::model::{InputFormat, RecordReader};
use embargo::internals::report::verdicts::json_line;
use embargo::internals::screen::{CHUNK, Summary, screen_stream};
use embargo::internals::screening::matching::ListMatcher;

#[path = "screen/records.rs"]
mod records;
use records::{generate, generate_file};

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

/// Where one thread's time goes: the same records read and split into lines, then also parsed
/// and checked, then also judged, then also rendered as JSON, each stage in one pass of its own
/// on the calling thread (no pool, no overlap); records/s of each pass
fn stages_once(evaluator: &Evaluator<'_>, input: &str) -> [Duration; 4] {
    use embargo::internals::model::parse_record;
    let mut times = [Duration::ZERO; 4];
    for (stage, time) in times.iter_mut().enumerate() {
        let start = Instant::now();
        for record in RecordReader::new(input.as_bytes(), InputFormat::JsonLines) {
            let record = record.expect("the generator writes valid records");
            if stage == 0 {
                black_box(&record);
                continue;
            }
            let t = parse_record("bench", &record).expect("valid");
            if stage == 1 {
                black_box(&t);
                continue;
            }
            let verdict = evaluator.evaluate(&t);
            if stage == 3 {
                black_box(json_line(&verdict));
            }
            black_box(verdict);
        }
        *time = start.elapsed();
    }
    times
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

/// Runs `embargo screen ARGS FILE > /dev/null` and reads its max RSS with `wait4`
fn run_binary(args: &[String], file: &Path) -> io::Result<ChildRun> {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .arg("screen")
        .args(args)
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

/// Peak memory, wall time and records/s of the binary on files of `sizes` records: on 1, 2
/// and 4 worker threads (`--threads`; more threads than cores simulate more cores only in
/// how the work is split), and, with `EMBARGO_SHARED`, screening parties against the UN list;
/// `reps` interleaved runs of each
fn memory_table(sizes: &[u64], seed: u64, reps: usize) {
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).expect("bench folder");
    let mut variants: Vec<(String, Vec<String>)> = [1, 2, 4]
        .iter()
        .map(|n| {
            (
                format!("--threads {n}"),
                vec!["--no-lists".into(), "--threads".into(), n.to_string()],
            )
        })
        .collect();
    if let Some(shared) = std::env::var_os("EMBARGO_SHARED") {
        let list = PathBuf::from(shared).join("data/un/consolidated-2026-05-08.xml");
        variants.push((
            "UN list".into(),
            vec!["--list".into(), list.display().to_string()],
        ));
    }
    println!(
        "binary: `embargo screen OPTIONS FILE > /dev/null` (release), one process each, \
         {reps} interleaved runs of each: median wall time, highest max RSS"
    );
    println!(
        "{:>10} {:>14} {:>10} {:>10} {:>14} {:>14} {:>6} {:>10}",
        "records", "options", "file MB", "wall s", "records/s", "max RSS MiB", "exit", "÷ 1 thread"
    );
    for &size in sizes {
        let path = dir.join(format!("records-{size}.jsonl"));
        let bytes = generate_file(&path, size, seed).expect("write the records file");
        // Interleaved, so that noise on a shared machine hits every variant alike
        let mut runs: Vec<Vec<ChildRun>> = variants.iter().map(|_| Vec::new()).collect();
        for _ in 0..reps {
            for ((_, args), runs) in variants.iter().zip(&mut runs) {
                runs.push(run_binary(args, &path).expect("run embargo screen"));
            }
        }
        let mut one_thread = None;
        for ((name, _), runs) in variants.iter().zip(&runs) {
            let mut walls: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
            walls.sort();
            let wall = walls[walls.len() / 2].as_secs_f64();
            let rss = runs.iter().map(|r| r.max_rss_kib).max().unwrap_or(0);
            let status = runs.iter().map(|r| r.status).max().unwrap_or(-1);
            let ratio = if name == "--threads 1" {
                one_thread = Some(wall);
                String::new()
            } else if name.starts_with("--threads") {
                one_thread.map_or_else(String::new, |one| format!("{:.2}", one / wall))
            } else {
                String::new()
            };
            println!(
                "{:>10} {:>14} {:>10.1} {:>10.2} {:>14} {:>14.1} {:>6} {:>10}",
                size,
                name,
                bytes as f64 / 1e6,
                wall,
                human(size as f64 / wall),
                rss as f64 / 1024.0,
                status,
                ratio
            );
        }
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
    let bin_reps = env_u64("EMBARGO_BENCH_BIN_REPS", 3).max(1) as usize;
    let seed = 0x5EED_2026;

    if !rss_sizes.is_empty() {
        memory_table(&rss_sizes, seed, bin_reps);
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
    println!();
    println!(
        "one thread, stage by stage (each pass does the stages before it too), median of {reps}, records/s"
    );
    let mut passes: Vec<[Duration; 4]> = Vec::with_capacity(reps);
    let mut parse_times = Vec::with_capacity(reps);
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("thread pool");
    for _ in 0..reps {
        passes.push(stages_once(&evaluator, &input));
        parse_times.push(single.install(|| parse_once(&input).0));
    }
    let parse = Rate::of(n as usize, &parse_times).median;
    for (i, name) in [
        "read into lines",
        "+ parse and check",
        "+ judge",
        "+ JSON verdict",
    ]
    .iter()
    .enumerate()
    {
        let times: Vec<Duration> = passes.iter().map(|p| p[i]).collect();
        let rate = Rate::of(n as usize, &times).median;
        println!(
            "{:<20} {:>10}   {:.2} of parse to Value ({})",
            name,
            human(rate),
            rate / parse,
            human(parse)
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
