//! What a bigger pack costs: screening with the embedded pack against screening with a
//! synthetic pack ten times its size (issue 17, item 3), in one run, and the time to compile
//! (`check`) the shipped pack.
//!
//! The synthetic pack is the embedded pack and nine copies of each of its rules under new ids
//! (`un.dprk.arms.from_dprk.copy3`): the same conditions, places, goods and dates, so a record
//! meets ten times the rules that could apply to it, as a firm's pack of a few thousand rules
//! would make it. The records are those of `benches/screen.rs` (synthetic, seeded). Screening
//! is on one thread, without output, the two packs interleaved; the verdicts' levels are checked
//! to be the same (each copy of a rule fires where its original fires).
//!
//! `cargo bench --bench pack_size`; `EMBARGO_BENCH_N` (records, default 200000),
//! `EMBARGO_BENCH_REPS` (repetitions, default 5), `EMBARGO_BENCH_COPIES` (the pack's size as a
//! multiple of the shipped one, default 10).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "benchmark harness"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use embargo::internals::compile::compile;
use embargo::internals::eval::Evaluator;
use embargo::internals::ir::Program;
use embargo::internals::model::{InputFormat, RecordReader, parse_record};
use embargo::internals::source::SourceFile;

#[path = "screen/records.rs"]
#[allow(dead_code, reason = "the record generator serves other benches too")]
mod records;

/// The top-level items of a formatted rule file, each with the keyword that opens it (`rule`,
/// `set`, `exception`, ...); comments left out
fn items(text: &str) -> Vec<(&str, String)> {
    const KEYWORDS: [&str; 6] = ["rule", "set", "exception", "regime", "resolution", "test"];
    let mut out: Vec<(&str, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let first = line.split(' ').next().unwrap_or("");
        if let Some(keyword) = KEYWORDS.iter().find(|k| **k == first) {
            out.push((keyword, String::new()));
        }
        if let Some((_, item)) = out.last_mut() {
            item.push_str(line);
            item.push('\n');
        }
    }
    out
}

/// The rules and sets of `files`, copy `k`: rule ids `ID.copyK`, set names `NAME_copyK`
/// (declarations and uses), and, with `move_places`, every country named (`KP`, not a
/// subdivision such as `UA-14`) moved to another, the same for every country of the copy: the
/// rules of another firm's jurisdictions, or of other regimes
fn copy_of(files: &[SourceFile], k: usize, move_places: bool) -> Vec<SourceFile> {
    let sets: std::collections::HashSet<String> = files
        .iter()
        .flat_map(|f| items(&f.text))
        .filter(|(keyword, _)| *keyword == "set")
        .filter_map(|(_, item)| {
            let name = item.strip_prefix("set ")?.split(':').next()?;
            Some(name.to_string())
        })
        .collect();
    let countries: Vec<&str> = rust_iso3166::ALL.iter().map(|c| c.alpha2).collect();
    let moved = |code: &str| -> String {
        match countries.iter().position(|c| *c == code) {
            Some(i) if move_places => countries[(i + 37 * k) % countries.len()].to_string(),
            _ => code.to_string(),
        }
    };
    files
        .iter()
        .map(|file| {
            let mut text = String::new();
            for (keyword, item) in items(&file.text) {
                if keyword != "rule" && keyword != "set" {
                    continue;
                }
                text.push_str(&rewrite(&item, &|word| {
                    if sets.contains(word) {
                        format!("{word}_copy{k}")
                    } else if word.len() == 2 && word.bytes().all(|b| b.is_ascii_uppercase()) {
                        moved(word)
                    } else {
                        word.to_string()
                    }
                }));
                text.push('\n');
            }
            // The rule ids: `rule ID {`
            let text = text
                .lines()
                .map(|line| {
                    match line
                        .strip_prefix("rule ")
                        .and_then(|r| r.strip_suffix(" {"))
                    {
                        Some(id) => format!("rule {id}.copy{k} {{\n"),
                        None => format!("{line}\n"),
                    }
                })
                .collect::<String>();
            let name = file.name.replace("<embedded>/", &format!("copy{k}/"));
            SourceFile::new(name, text)
        })
        .collect()
}

/// `text` with each word outside strings (`[A-Za-z0-9_]`, not part of a subdivision such as
/// `UA-14` or of a dotted id) given by `word`
fn rewrite(text: &str, word: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    let flush = |current: &mut String, out: &mut String, next: Option<char>, prev: Option<char>| {
        if !current.is_empty() {
            let joined = matches!(next, Some('-' | '.')) || matches!(prev, Some('.' | '-'));
            if joined {
                out.push_str(current);
            } else {
                out.push_str(&word(current));
            }
            current.clear();
        }
    };
    let mut start: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            in_string = c != '"';
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            if current.is_empty() {
                start = i.checked_sub(1).map(|j| chars[j]);
            }
            current.push(c);
            continue;
        }
        flush(&mut current, &mut out, Some(c), start);
        out.push(c);
        in_string = c == '"';
    }
    flush(&mut current, &mut out, None, start);
    out
}

/// The embedded pack with `copies - 1` copies of its rules (and sets) added
fn synthetic_pack(copies: usize, move_places: bool) -> Vec<SourceFile> {
    let files = embargo::internals::rules::embedded();
    let mut all = files.clone();
    for k in 1..copies {
        all.extend(copy_of(&files, k, move_places));
    }
    all
}

fn compiled(files: &[SourceFile]) -> Program {
    let (program, diagnostics) = compile(files);
    program.unwrap_or_else(|| {
        let errors: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity == embargo::internals::diagnostics::Severity::Error)
            .take(5)
            .map(|d| format!("{} {}: {}", d.code.as_str(), files[d.file].name, d.message))
            .collect();
        panic!("the pack does not compile: {errors:#?}")
    })
}

/// Judges every record; the time, and the verdicts' levels in order
fn judge(
    evaluator: &Evaluator<'_>,
    records: &[embargo::internals::model::Transaction],
) -> (Duration, Vec<String>) {
    let start = Instant::now();
    let levels: Vec<String> = records
        .iter()
        .map(|r| {
            black_box(evaluator.evaluate(r))
                .verdict
                .as_str()
                .to_string()
        })
        .collect();
    (start.elapsed(), levels)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n = env_usize("EMBARGO_BENCH_N", 200_000);
    let reps = env_usize("EMBARGO_BENCH_REPS", 5).max(1);
    let copies = env_usize("EMBARGO_BENCH_COPIES", 10).max(1);

    // Compiling the shipped pack: what `embargo check` does before it reports
    let shipped = embargo::internals::rules::embedded();
    let mut check_times: Vec<Duration> = (0..reps.max(5))
        .map(|_| {
            let start = Instant::now();
            black_box(compile(&shipped));
            start.elapsed()
        })
        .collect();
    println!(
        "compiling (check) the shipped pack, {} files: median {:.1} ms of {} runs",
        shipped.len(),
        median(&mut check_times).as_secs_f64() * 1e3,
        check_times.len()
    );

    let small = compiled(&shipped);
    let moved = compiled(&synthetic_pack(copies, true));
    let same = compiled(&synthetic_pack(copies, false));
    println!(
        "packs: shipped {} rules; {copies} times its size, {} rules: copies about other countries, and {} rules: copies about the same countries",
        small.rules.len(),
        moved.rules.len(),
        same.rules.len()
    );

    // The records, read once: the evaluator's cost alone is compared
    let text = records::generate(n as u64, 0x5EED_2026);
    let records: Vec<_> = RecordReader::new(text.as_bytes(), InputFormat::JsonLines)
        .map(|r| parse_record("bench.jsonl", &r.expect("readable")).expect("valid"))
        .collect();

    let evaluators = [
        ("shipped", small.rules.len(), Evaluator::new(&small)),
        ("other countries", moved.rules.len(), Evaluator::new(&moved)),
        ("same countries", same.rules.len(), Evaluator::new(&same)),
    ];
    let (_, shipped_levels) = judge(&evaluators[0].2, &records);
    let (_, same_levels) = judge(&evaluators[2].2, &records);
    assert_eq!(
        shipped_levels, same_levels,
        "copies of rules change no verdict"
    );
    let flagged = |levels: &[String]| {
        levels
            .iter()
            .filter(|l| *l != "clear" && *l != "notify")
            .count()
    };
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); evaluators.len()];
    for _ in 0..reps {
        for (i, (_, _, evaluator)) in evaluators.iter().enumerate() {
            times[i].push(judge(evaluator, &records).0);
        }
    }
    let medians: Vec<Duration> = times.iter_mut().map(|t| median(t)).collect();
    let rate = |t: Duration| n as f64 / t.as_secs_f64();
    println!("evaluating {n} records, 1 thread, median of {reps} (the records read beforehand):");
    for ((name, rules, evaluator), t) in evaluators.iter().zip(&medians) {
        let levels = judge(evaluator, &records).1;
        println!(
            "  {name:<16} {:>5} rules {:>6.0} k records/s, {:>6} flagged, {:.2}x the shipped pack's time",
            rules,
            rate(*t) / 1e3,
            flagged(&levels),
            t.as_secs_f64() / medians[0].as_secs_f64()
        );
    }
}
