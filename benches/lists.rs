//! Screening many party names against a list through the name index (`lists::NameIndex`): index
//! build time and size, names/s on 1 and 2 threads, and on a sample the index's matches against
//! an exhaustive comparison with every list name; for generated names, then for the real names
//! of the other list (UN names against OFAC, OFAC names against the UN list). Lists from $EMBARGO_SHARED/data (the UN list of
//! 2026-05-08 and OFAC's SDN list with its aliases). `cargo bench --bench lists`; the number of
//! names is `NAMES` (default 100000), the sample `SAMPLE` (default 2000), the runs of each
//! figure `RUNS` (default 5, the median is reported); `LISTS=un` or
//! `LISTS=ofac` runs one list, `LISTS=load` only the OFAC load time (reading `sdn.csv`, `alt.csv`
//! and `add.csv` and indexing the list for screening), which `ofac` and the default print first.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs,
    reason = "a benchmark: a failure should stop it"
)]

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::time::Instant;

use embargo::internals::screening::index::NameIndex;
use embargo::internals::screening::lists::{self, EntryKind, ListCatalog};
use embargo::internals::screening::matching::ListMatcher;
use embargo::internals::screening::names::Schema;
use rayon::prelude::*;

/// xorshift64*: deterministic, no dependency
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "ri", "mo", "na", "sel", "tor", "vin", "da", "lu", "ber", "gan", "ha", "ti", "ro", "sa",
    "mi", "len", "dor", "fa", "zu", "ko", "pe", "bar", "el", "an", "is", "ur", "om", "che", "sha",
    "jo", "ve", "lin", "tas", "mar", "ni", "ge", "hol", "ras", "quin", "wen", "yu", "xa", "bo",
];

const COMPANY_WORDS: &[&str] = &[
    "Trading",
    "Shipping",
    "Holdings",
    "Logistics",
    "Industries",
    "Group",
    "Energy",
    "Metals",
];
const LEGAL_FORMS: &[&str] = &["LLC", "Ltd", "GmbH", "JSC", "SA", "Co., Ltd.", "Inc"];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut w: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
    if let Some(first) = w.get(0..1) {
        let upper = first.to_uppercase();
        w.replace_range(0..1, &upper);
    }
    w
}

/// A random, plausible name that is on no list (by construction it may still resemble one)
fn random_name(rng: &mut Rng) -> (String, Schema) {
    if rng.below(5) == 0 {
        let name = format!(
            "{} {} {}",
            word(rng),
            rng.pick(COMPANY_WORDS),
            rng.pick(LEGAL_FORMS)
        );
        (name, Schema::Company)
    } else {
        let parts = 2 + rng.below(2);
        let name: Vec<String> = (0..parts).map(|_| word(rng)).collect();
        (name.join(" "), Schema::Person)
    }
}

/// A variant of a real list name: misspelt, parts reordered, transliterated, or an alias as is
fn variant(rng: &mut Rng, catalog: &ListCatalog) -> (String, Schema) {
    let entry = rng.pick(&catalog.entries);
    let schema = match entry.kind {
        EntryKind::Individual => Schema::Person,
        _ => Schema::Company,
    };
    let base = if !entry.aliases.is_empty() && rng.below(3) == 0 {
        rng.pick(&entry.aliases).name.clone()
    } else {
        entry.name()
    };
    let name = match rng.below(4) {
        // A letter dropped, doubled or replaced
        0 => {
            let mut chars: Vec<char> = base.chars().collect();
            if chars.len() > 4 {
                let i = 1 + rng.below(chars.len() - 2);
                match rng.below(3) {
                    0 => {
                        chars.remove(i);
                    }
                    1 => chars.insert(i, chars[i]),
                    _ => chars[i] = *rng.pick(&['a', 'e', 'i', 'o', 'u']),
                }
            }
            chars.into_iter().collect()
        }
        // Parts reordered
        1 => {
            let mut parts: Vec<&str> = base.split_whitespace().collect();
            let k = 1.min(parts.len());
            parts.rotate_left(k);
            parts.join(" ")
        }
        // Transliterated differently
        2 => base
            .to_lowercase()
            .replace("ou", "u")
            .replace("kh", "h")
            .replace('y', "i")
            .replace("mm", "m")
            .replace('q', "k"),
        // An alias or the name as listed
        _ => base,
    };
    (name, schema)
}

fn generate(n: usize, catalog: &ListCatalog, seed: u64) -> Vec<(String, Schema)> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            if rng.below(100) < 3 {
                variant(&mut rng, catalog)
            } else {
                random_name(&mut rng)
            }
        })
        .collect()
}

fn shared() -> Option<PathBuf> {
    std::env::var_os("EMBARGO_SHARED").map(|d| PathBuf::from(d).join("data"))
}

fn open(path: PathBuf) -> BufReader<File> {
    BufReader::new(File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn own_peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Indexes<'a> {
    person: NameIndex<'a>,
    company: NameIndex<'a>,
}

impl Indexes<'_> {
    fn get(&self, schema: Schema) -> &NameIndex<'_> {
        match schema {
            Schema::Person => &self.person,
            _ => &self.company,
        }
    }
}

/// The names of the entries of another list, as parties to screen: each entry's name, its
/// name in the original script and its aliases, a person's with the person index
fn real_names(other: &ListCatalog) -> Vec<(String, Schema)> {
    let mut names = Vec::new();
    for entry in &other.entries {
        let schema = match entry.kind {
            EntryKind::Individual => Schema::Person,
            _ => Schema::Company,
        };
        names.push((entry.name(), schema));
        names.extend(entry.original_script.iter().map(|n| (n.clone(), schema)));
        names.extend(entry.aliases.iter().map(|a| (a.name.clone(), schema)));
    }
    names
}

/// Screens `queries` on a pool of `threads`, `runs` times with a fresh index each time (the
/// index remembers the query parts it has met, and each run starts without); prints the
/// median names/s with the slowest and fastest run
fn time_runs(catalog: &ListCatalog, queries: &[(String, Schema)], threads: usize, runs: usize) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut rates = Vec::with_capacity(runs);
    let mut found = 0;
    for _ in 0..runs {
        let fresh = Indexes {
            person: catalog.index(Schema::Person),
            company: catalog.index(Schema::Company),
        };
        let start = Instant::now();
        found = pool.install(|| {
            queries
                .par_iter()
                .map(|(q, schema)| fresh.get(*schema).search(q, 10).len())
                .sum::<usize>()
        });
        rates.push(queries.len() as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "{threads} thread(s): {} names, median of {runs} runs {:.0} names/s (min {:.0}, max {:.0}; {found} candidates at or above the threshold)",
        queries.len(),
        rates[rates.len() / 2],
        rates[0],
        rates[rates.len() - 1]
    );
}

/// The index against comparing with every name, on at most `sample` of `queries` spread over
/// them; prints the differences
fn compare_sample(indexes: &Indexes<'_>, queries: &[(String, Schema)], sample: usize) {
    let step = (queries.len() / sample.max(1)).max(1);
    let (mut same, mut differ, mut hits) = (0, 0, 0);
    let start = Instant::now();
    for (q, schema) in queries.iter().step_by(step).take(sample) {
        let index = indexes.get(*schema);
        let fast: Vec<(usize, u64)> = index
            .search(q, usize::MAX)
            .iter()
            .map(|c| (c.entry, c.score.to_bits()))
            .collect();
        let exhaustive = index.search_exhaustive(q, usize::MAX);
        let full: Vec<(usize, u64)> = exhaustive
            .iter()
            .map(|c| (c.entry, c.score.to_bits()))
            .collect();
        hits += usize::from(!full.is_empty());
        if fast == full {
            same += 1;
        } else {
            differ += 1;
            if differ <= 10 {
                let missed: Vec<String> = exhaustive
                    .iter()
                    .filter(|c| !fast.contains(&(c.entry, c.score.to_bits())))
                    .map(|c| format!("{} {:.3} `{}`", c.reference, c.score, c.matched_name))
                    .collect();
                println!("  differs: `{q}`: the index misses {}", missed.join("; "));
            }
        }
    }
    println!(
        "index vs exhaustive on {} names ({hits} with a match): {same} the same, {differ} differ ({:.1} s)",
        same + differ,
        start.elapsed().as_secs_f64()
    );
}

fn bench(
    label: &str,
    catalog: &ListCatalog,
    (other_label, other): (&str, &ListCatalog),
    n: usize,
    sample: usize,
) {
    let names = catalog.entries.len() + catalog.alias_count();
    println!(
        "## {label}: {} entries, {names} names with aliases",
        catalog.entries.len()
    );
    let start = Instant::now();
    let indexes = Indexes {
        person: catalog.index(Schema::Person),
        company: catalog.index(Schema::Company),
    };
    let build = start.elapsed();
    let (p, c) = (indexes.person.stats(), indexes.company.stats());
    println!(
        "index build (person + company): {:.1} ms; person: {} names, {} keys, {} postings, {:.1} MB; company: {} keys, {} postings, {:.1} MB",
        build.as_secs_f64() * 1000.0,
        p.names,
        p.keys,
        p.postings,
        p.bytes as f64 / 1e6,
        c.keys,
        c.postings,
        c.bytes as f64 / 1e6
    );
    let runs = env_usize("RUNS", 5).max(1);
    let queries = generate(n, catalog, 0x5eed_0000_0000_0001 ^ n as u64);
    println!("generated names:");
    for threads in [1, 2] {
        time_runs(catalog, &queries, threads, runs);
    }
    compare_sample(&indexes, &queries, sample);
    // Real names, in every script the other list writes: its names, original-script names
    // and aliases, each screened once (names that recur within the list are met again)
    let real = real_names(other);
    println!("the names of {other_label} (real names, each once):");
    for threads in [1, 2] {
        time_runs(catalog, &real, threads, runs);
    }
    compare_sample(&indexes, &real, sample);
}

/// Loading the OFAC list as `screen --list` does: reading `sdn.csv`, `alt.csv` and `add.csv`,
/// then indexing it for screening (`ListMatcher::add`); the median of `runs` runs in ms, with the
/// fastest and slowest
fn time_ofac_load(data: &std::path::Path, runs: usize) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let mut alt = open(data.join("ofac/alt.csv"));
            let mut add = open(data.join("ofac/add.csv"));
            let catalog = lists::read_ofac_sdn(
                open(data.join("ofac/sdn.csv")),
                Some(&mut alt as &mut dyn std::io::Read),
                Some(&mut add as &mut dyn std::io::Read),
            )
            .unwrap();
            let read = start.elapsed();
            let mut matcher = ListMatcher::new();
            matcher.add("sdn.csv", &catalog);
            let total = start.elapsed();
            std::hint::black_box(&matcher);
            eprintln!(
                "  load run: read {:.1} ms, index {:.1} ms",
                read.as_secs_f64() * 1000.0,
                (total - read).as_secs_f64() * 1000.0
            );
            total.as_secs_f64() * 1000.0
        })
        .collect();
    // The process's first load is what `screen --list` pays: its memory is new to the
    // allocator (page faults), so it is shown apart from the median
    let first = times[0];
    times.sort_by(f64::total_cmp);
    println!(
        "## OFAC SDN load (sdn.csv + alt.csv + add.csv, read and indexed): median of {runs} runs {:.1} ms (min {:.1}, max {:.1}; the first {first:.1})",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

fn main() {
    let Some(data) = shared() else {
        eprintln!("skipped: set EMBARGO_SHARED to the shared folder (../shared)");
        return;
    };
    let n = env_usize("NAMES", 100_000);
    let sample = env_usize("SAMPLE", 2_000);
    let un = lists::read_un_xml(open(data.join("un/consolidated-2026-05-08.xml"))).unwrap();
    let mut alt = open(data.join("ofac/alt.csv"));
    let ofac = lists::read_ofac_sdn(
        open(data.join("ofac/sdn.csv")),
        Some(&mut alt as &mut dyn std::io::Read),
        None,
    )
    .unwrap();
    // `LISTS=un` or `LISTS=ofac` runs one list only (profiling)
    let only = std::env::var("LISTS").unwrap_or_default();
    if only.is_empty() || only == "ofac" || only == "load" {
        time_ofac_load(&data, env_usize("RUNS", 5).max(1));
    }
    if only == "load" {
        return;
    }
    if only.is_empty() || only == "un" {
        bench("UN 2026-05-08", &un, ("OFAC SDN", &ofac), n, sample);
    }
    if only.is_empty() || only == "ofac" {
        bench(
            "OFAC SDN with aliases",
            &ofac,
            ("UN 2026-05-08", &un),
            n,
            sample,
        );
    }
    if let Some(kib) = own_peak_rss_kib() {
        println!(
            "peak RSS of the bench process: {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
}
