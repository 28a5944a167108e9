//! Quality and speed of `names::compare` on the labelled pairs in $EMBARGO_SHARED/data/name-matching:
//! precision, recall and F1 at the shipped threshold (overall, per case group, per schema), the
//! STRONG-quality pairs decided wrongly, each cross-script pair against its minimum score, and
//! pairs per second on one core. `cargo bench --bench names`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs,
    reason = "a benchmark: a failure should stop it"
)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use embargo::internals::screening::names::{Schema, THRESHOLD, compare};

struct Case {
    group: String,
    schema_label: String,
    schema: Schema,
    name1: String,
    name2: String,
    is_match: bool,
    quality: String,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    tn: u32,
    fn_: u32,
}

impl Counts {
    fn add(&mut self, truth: bool, said: bool) {
        match (truth, said) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
            (true, false) => self.fn_ += 1,
        }
    }
    fn prf(&self) -> (f64, f64, f64) {
        let p = if self.tp + self.fp == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fp)
        };
        let r = if self.tp + self.fn_ == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fn_)
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }
    fn line(&self, label: &str) -> String {
        let (p, r, f) = self.prf();
        let n = self.tp + self.fp + self.tn + self.fn_;
        format!(
            "| {label} | {n} | {p:.3} | {r:.3} | {f:.3} | {} | {} | {} | {} |",
            self.tp, self.fp, self.fn_, self.tn
        )
    }
}

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("EMBARGO_SHARED")?;
    Some(PathBuf::from(dir).join("data/name-matching"))
}

fn main() {
    let Some(dir) = data_dir() else {
        eprintln!("skipped: set EMBARGO_SHARED to the shared folder (../shared)");
        return;
    };
    let mut reader = csv::Reader::from_path(dir.join("nomenklatura_name_bench_cases.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (g, s, n1, n2, m, q) = (
        col("case_group"),
        col("schema"),
        col("name1"),
        col("name2"),
        col("is_match"),
        col("quality"),
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let cases: Vec<Case> = rows
        .iter()
        .filter(|f| !f.iter().all(|x| x.trim().is_empty()))
        .map(|f| Case {
            group: f[g].clone(),
            schema_label: f[s].clone(),
            schema: Schema::parse(&f[s]).unwrap_or(Schema::Company),
            name1: f[n1].clone(),
            name2: f[n2].clone(),
            is_match: f[m] == "true",
            quality: f[q].clone(),
        })
        .collect();

    let scores: Vec<f64> = cases
        .iter()
        .map(|c| compare(&c.name1, &c.name2, c.schema).score)
        .collect();

    println!(
        "# names benchmark: {} labelled pairs, threshold {THRESHOLD}\n",
        cases.len()
    );
    let header_row = "| slice | pairs | precision | recall | F1 | TP | FP | FN | TN |\n|---|---|---|---|---|---|---|---|---|";
    let mut overall = Counts::default();
    let mut groups: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut schemas: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut qualities: BTreeMap<&str, Counts> = BTreeMap::new();
    for (c, &score) in cases.iter().zip(&scores) {
        let said = score >= THRESHOLD;
        overall.add(c.is_match, said);
        groups.entry(&c.group).or_default().add(c.is_match, said);
        schemas
            .entry(&c.schema_label)
            .or_default()
            .add(c.is_match, said);
        qualities
            .entry(&c.quality)
            .or_default()
            .add(c.is_match, said);
    }
    println!("{header_row}\n{}", overall.line("overall"));
    for (k, v) in &groups {
        println!("{}", v.line(&format!("group {k}")));
    }
    for (k, v) in &schemas {
        println!("{}", v.line(&format!("schema {k}")));
    }
    for (k, v) in &qualities {
        println!("{}", v.line(&format!("quality {k}")));
    }

    println!(
        "\n## F1 at neighbouring thresholds\n\n| threshold | precision | recall | F1 |\n|---|---|---|---|"
    );
    for t in [0.70, 0.75, 0.78, 0.80, 0.82, 0.85, 0.90] {
        let mut c = Counts::default();
        for (case, &score) in cases.iter().zip(&scores) {
            c.add(case.is_match, score >= t);
        }
        let (p, r, f) = c.prf();
        println!("| {t:.2} | {p:.3} | {r:.3} | {f:.3} |");
    }

    println!("\n## STRONG-quality pairs decided wrongly\n");
    let mut strong_wrong = 0;
    for (c, &score) in cases.iter().zip(&scores) {
        if c.quality == "STRONG" && (score >= THRESHOLD) != c.is_match {
            strong_wrong += 1;
            println!(
                "- {} / {} ({}): expected {}, score {score:.3}",
                c.name1, c.name2, c.schema_label, c.is_match
            );
        }
    }
    let strong_total = cases.iter().filter(|c| c.quality == "STRONG").count();
    println!("\n{strong_wrong} of {strong_total} STRONG pairs wrong");

    if std::env::var_os("NAMES_BENCH_ERRORS").is_some() {
        println!("\n## every pair decided wrongly\n");
        for (c, &score) in cases.iter().zip(&scores) {
            if (score >= THRESHOLD) != c.is_match {
                println!(
                    "- [{}] {} / {} ({}): expected {}, score {score:.3}: {}",
                    c.group,
                    c.name1,
                    c.name2,
                    c.schema_label,
                    c.is_match,
                    compare(&c.name1, &c.name2, c.schema).why
                );
            }
        }
    }

    println!(
        "\n## cross-script pairs\n\n| query | expected | minimum | score | |\n|---|---|---|---|---|"
    );
    let mut cross = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .has_headers(false)
        .flexible(true)
        .from_path(dir.join("watchman_cross_script_pairs.csv"))
        .unwrap();
    let (mut above, mut total) = (0, 0);
    for record in cross.records() {
        let f: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        if f.iter().all(|x| x.trim().is_empty()) || f[0].trim() == "Query" {
            continue;
        }
        let min: f64 = f[2].trim().parse().unwrap();
        let score = compare(&f[0], &f[1], Schema::Person).score;
        total += 1;
        let ok = score >= min;
        if ok {
            above += 1;
        }
        println!(
            "| {} | {} | {min:.2} | {score:.3} | {} |",
            f[0],
            f[1],
            if ok { "ok" } else { "BELOW" }
        );
    }
    println!("\n{above} of {total} cross-script pairs at or above their minimum");

    // Speed: every labelled pair compared, repeatedly, on this one thread
    let mut rates = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        let mut n = 0usize;
        while start.elapsed().as_secs_f64() < 0.5 {
            for c in &cases {
                black_box(compare(black_box(&c.name1), black_box(&c.name2), c.schema));
            }
            n += cases.len();
        }
        rates.push(n as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "\n## speed\n\n{:.0} pairs/s on one core (median of {} runs of 0.5 s; min {:.0}, max {:.0})",
        rates[rates.len() / 2],
        rates.len(),
        rates[0],
        rates[rates.len() - 1]
    );
}
