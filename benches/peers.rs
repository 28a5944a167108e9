//! embargo beside its peers (issue 17, item 5): the same ten rules and the same records through
//! embargo, regorus (Rego), Cedar and hand-written Rust over serde; the verdicts are checked to
//! be the same, record by record, and the speeds compared. docs/benchmarks.md, "Peers", gives
//! the figures.
//!
//! The rules are ten of the shipped pack (DPRK arms to and from, arms services and finance, WMD
//! HS codes to review, luxury goods; Iran arms from, heavy arms to), copied into
//! `benches/peers/ten.rules` and written again in `benches/peers/rules.rego`,
//! `benches/peers/policy.cedar` and, below, as plain Rust (`hand`), over two sets of serde
//! structs: one of only the fields the rules read, one of the whole record. The records are
//! those of `benches/screen.rs` (synthetic, seeded), as JSON Lines. Each engine starts from the
//! same text and does all its own work: reading the JSON (embargo's reader and record parser;
//! serde into typed structs; regorus's `Value::from_json_str`; serde_json and Cedar's JSON
//! entities and context), evaluating the ten rules, and giving the fired rules' ids, from which
//! the verdict's level (the most severe) follows. Compared on every record: the level and the
//! set of ids.
//!
//! One thread; the engines interleaved within each repetition; records/s as the median of the
//! repetitions. regorus and Cedar run on the first records only (`EMBARGO_BENCH_PEERS_N`), being
//! much slower; embargo's verdicts on those records are the ones theirs are checked against.
//! embargo's reader is also timed alone, without the rules.
//!
//! `cargo bench --features peers --bench peers`; `EMBARGO_BENCH_N` (records, default 200000),
//! `EMBARGO_BENCH_PEERS_N` (records for regorus and Cedar, default 20000), `EMBARGO_BENCH_REPS`
//! (repetitions, default 3).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "benchmark harness"
)]

use std::collections::HashMap;
use std::hint::black_box;
use std::str::FromStr;
use std::time::{Duration, Instant};

use embargo::internals::compile::compile;
use embargo::internals::eval::{Evaluator, Outcome};
use embargo::internals::ir::{Level, Program};
use embargo::internals::model::{InputFormat, RecordReader, parse_record};
use embargo::internals::source::SourceFile;

#[path = "screen/records.rs"]
#[allow(dead_code, reason = "the record generator serves other benches too")]
mod records;

/// The ten rules, in the order of their bits in [`Judged::fired`], with their verdicts
const RULES: [(&str, Level); 10] = [
    ("un.dprk.arms.to_dprk.heavy", Level::Prohibited),
    ("un.dprk.arms.to_dprk.all_but_salw", Level::Prohibited),
    ("un.dprk.arms.to_dprk.salw_notice", Level::Notify),
    ("un.dprk.arms.to_dprk.all", Level::Prohibited),
    ("un.dprk.arms.from_dprk", Level::Prohibited),
    ("un.dprk.arms.services", Level::Prohibited),
    ("un.dprk.wmd.hs_review", Level::Review),
    ("un.dprk.luxury", Level::Prohibited),
    ("un.iran.1747.arms_from_iran", Level::Prohibited),
    ("un.iran.1929.heavy_arms_to_iran", Level::Prohibited),
];

/// The bit of a rule id in [`Judged::fired`]
fn bit(id: &str) -> u16 {
    let i = RULES
        .iter()
        .position(|(r, _)| *r == id)
        .unwrap_or_else(|| panic!("not one of the ten rules: {id}"));
    1 << i
}

/// What is compared: a record's verdict and the rules that fired
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Judged {
    level: Level,
    /// One bit a rule of [`RULES`]
    fired: u16,
}

impl Judged {
    /// The verdict of the rules of `fired`: the most severe of theirs, or clear
    fn of(fired: u16) -> Judged {
        let level = RULES
            .iter()
            .enumerate()
            .filter(|(i, _)| fired & (1 << i) != 0)
            .map(|(_, (_, level))| *level)
            .max()
            .unwrap_or(Level::Clear);
        Judged { level, fired }
    }

    fn ids(self) -> Vec<&'static str> {
        RULES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.fired & (1 << i) != 0)
            .map(|(_, (id, _))| *id)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// embargo

fn ten_rules() -> Program {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/peers/ten.rules"
    ))
    .unwrap();
    let (program, diagnostics) = compile(&[SourceFile::new("benches/peers/ten.rules", text)]);
    let Some(program) = program else {
        let errors: Vec<String> = diagnostics.iter().map(|d| format!("{d:?}")).collect();
        panic!(
            "benches/peers/ten.rules does not compile:\n{}",
            errors.join("\n")
        );
    };
    program
}

/// Reads and judges every record of `text`
fn run_embargo(evaluator: &Evaluator<'_>, text: &str) -> Vec<Judged> {
    RecordReader::new(text.as_bytes(), InputFormat::JsonLines)
        .map(|r| {
            let record = parse_record("bench.jsonl", &r.expect("readable")).expect("valid");
            let verdict = evaluator.evaluate(&record);
            let Outcome::Level(level) = verdict.verdict else {
                panic!("invalid record: {:?}", verdict.errors);
            };
            let fired = verdict
                .findings
                .iter()
                .flatten()
                .fold(0, |bits, f| bits | bit(&f.rule));
            Judged { level, fired }
        })
        .collect()
}

/// Reads every record of `text` and judges none: how much of embargo's time is its reader's
fn read_embargo(text: &str) -> usize {
    let mut n = 0;
    for r in RecordReader::new(text.as_bytes(), InputFormat::JsonLines) {
        black_box(parse_record("bench.jsonl", &r.expect("readable")).expect("valid"));
        n += 1;
    }
    n
}

// ---------------------------------------------------------------------------------------------
// The hand-written evaluator: typed structs read by serde, the rules as plain Rust.

mod hand {
    use std::borrow::Cow;

    use serde::Deserialize;

    /// The fields of a record that the ten rules read; serde skips the others
    #[derive(Deserialize)]
    pub struct Record<'a> {
        /// ISO 8601 (`2016-03-02`): compared as text, which orders days
        #[serde(borrow)]
        date: Cow<'a, str>,
        #[serde(borrow)]
        activity: Cow<'a, str>,
        #[serde(borrow, default)]
        origin: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        destination: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        location: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        parties: Vec<Party<'a>>,
        #[serde(borrow, default)]
        goods: Vec<Good<'a>>,
        #[serde(default)]
        services: Vec<String>,
    }

    #[derive(Deserialize)]
    struct Party<'a> {
        #[serde(borrow)]
        role: Cow<'a, str>,
        #[serde(borrow, default)]
        country: Option<Cow<'a, str>>,
    }

    #[derive(Deserialize)]
    struct Good<'a> {
        #[serde(borrow, default)]
        hs: Option<Cow<'a, str>>,
        #[serde(default)]
        categories: Option<Vec<String>>,
    }

    /// A whole record of the format (docs/records.md), every field read into owned, typed
    /// values and none unknown allowed: closer to what embargo's reader does (which also checks
    /// each value: days, places, vocabularies, HS codes) than [`Record`]. The ten rules read
    /// the same fields of it.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(
        dead_code,
        reason = "read as a reader of the format must, not all used by the rules"
    )]
    pub struct WholeRecord<'a> {
        id: String,
        date: String,
        activity: String,
        description: Option<String>,
        origin: Option<String>,
        destination: Option<String>,
        location: Option<String>,
        #[serde(default)]
        transit: Vec<String>,
        #[serde(default)]
        parties: Vec<WholeParty>,
        #[serde(default)]
        goods: Vec<WholeGood<'a>>,
        #[serde(default)]
        services: Vec<String>,
        #[serde(default)]
        vessels: Vec<Vessel>,
        amount: Option<Money>,
        #[serde(default)]
        authorizations: Vec<Authorization>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(
        dead_code,
        reason = "read as a reader of the format must, not all used by the rules"
    )]
    struct WholeParty {
        role: String,
        name: String,
        kind: Option<String>,
        country: Option<String>,
        ids: Option<std::collections::BTreeMap<String, String>>,
        #[serde(default)]
        tags: Vec<String>,
        count: Option<u64>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(
        dead_code,
        reason = "read as a reader of the format must, not all used by the rules"
    )]
    struct WholeGood<'a> {
        description: Option<String>,
        hs: Option<String>,
        categories: Option<Vec<String>>,
        quantity: Option<f64>,
        unit: Option<String>,
        value: Option<Money>,
        #[serde(skip)]
        _record: std::marker::PhantomData<&'a ()>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(
        dead_code,
        reason = "read as a reader of the format must, not all used by the rules"
    )]
    struct Money {
        amount: f64,
        currency: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(
        dead_code,
        reason = "read as a reader of the format must, not all used by the rules"
    )]
    struct Vessel {
        name: String,
        imo: String,
        flag: String,
        role: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(
        dead_code,
        reason = "read as a reader of the format must, not all used by the rules"
    )]
    struct Authorization {
        by: String,
        reference: Option<String>,
        date: Option<String>,
        #[serde(default)]
        covers: Vec<String>,
    }

    const RECEIVERS: [&str; 5] = ["buyer", "importer", "consignee", "end_user", "recipient"];
    const SUPPLIERS: [&str; 5] = ["seller", "exporter", "supplier", "manufacturer", "provider"];
    const ARMS_HS: [&str; 3] = ["93", "8710", "890610"];
    const ARMS_SERVICES: [&str; 7] = [
        "technical_assistance",
        "training",
        "financial",
        "brokering",
        "maintenance",
        "insurance",
        "transport",
    ];
    const DPRK_WMD_HS: [&str; 11] = [
        "8806", "8802", "8411", "841210", "8401", "8525", "8526", "9013", "9014", "28", "29",
    ];

    /// A place within a country: the country or one of its subdivisions (`KP-01`)
    fn within(place: Option<&str>, country: &str) -> bool {
        place.is_some_and(|p| {
            p.strip_prefix(country)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
        })
    }

    /// An HS code under a heading: its digits (dots and spaces ignored) start with the heading's
    fn hs_under(hs: &str, heading: &str) -> bool {
        let mut digits = hs.bytes().filter(|b| *b != b'.' && *b != b' ');
        heading.bytes().all(|h| digits.next() == Some(h))
    }

    fn hs_within(hs: Option<&str>, headings: &[&str]) -> bool {
        hs.is_some_and(|hs| headings.iter().any(|h| hs_under(hs, h)))
    }

    /// The ten rules, over the records of one set of structs (`$record`, with its `$good`s)
    macro_rules! rules {
        ($record:ident, $good:ident) => {
            impl $good<'_> {
                fn has(&self, category: &str) -> bool {
                    self.categories.iter().flatten().any(|c| c == category)
                }

                /// `small_arms` and `heavy_arms` are arms too
                fn arms_category(&self) -> bool {
                    self.has("arms") || self.has("small_arms") || self.has("heavy_arms")
                }

                fn arms(&self) -> bool {
                    self.arms_category() || hs_within(self.hs.as_deref(), &ARMS_HS)
                }
            }

            impl<'a> $record<'a> {
                fn on_or_after(&self, day: &str) -> bool {
                    *self.date >= *day
                }

                fn between(&self, first: &str, last: &str) -> bool {
                    *self.date >= *first && *self.date <= *last
                }

                fn party(&self, roles: &[&str], country: &str) -> bool {
                    self.parties
                        .iter()
                        .any(|p| roles.contains(&&*p.role) && within(p.country.as_deref(), country))
                }

                /// Destination in `country`, or a receiving party there
                fn to(&self, country: &str) -> bool {
                    within(self.destination.as_deref(), country) || self.party(&RECEIVERS, country)
                }

                /// Origin in `country`, or a supplying party there
                fn from(&self, country: &str) -> bool {
                    within(self.origin.as_deref(), country) || self.party(&SUPPLIERS, country)
                }

                fn any_good(&self, test: impl Fn(&$good<'a>) -> bool) -> bool {
                    self.goods.iter().any(test)
                }

                /// The rules that fire, one bit a rule in the order of `super::RULES`
                pub fn fired(&self) -> u16 {
                    let mut bits = 0u16;
                    let mut fire = |i: u16, cond: bool| {
                        if cond {
                            bits |= 1 << i;
                        }
                    };
                    let trade = self.activity == "trade";
                    let to_dprk = trade && self.to("KP");
                    let from_dprk = trade && self.from("KP");
                    fire(
                        0,
                        to_dprk
                            && self.on_or_after("2006-10-14")
                            && self.any_good(|g| g.has("heavy_arms")),
                    );
                    fire(
                        1,
                        to_dprk
                            && self.between("2009-06-12", "2016-03-01")
                            && self.any_good(|g| g.arms() && !g.has("small_arms")),
                    );
                    fire(
                        2,
                        to_dprk
                            && self.between("2009-06-12", "2016-03-01")
                            && self.any_good(|g| g.has("small_arms")),
                    );
                    fire(
                        3,
                        to_dprk && self.on_or_after("2016-03-02") && self.any_good($good::arms),
                    );
                    fire(
                        4,
                        from_dprk && self.on_or_after("2009-06-12") && self.any_good($good::arms),
                    );
                    let finance = matches!(&*self.activity, "financing" | "payment");
                    fire(
                        5,
                        (finance || self.activity == "service")
                            && self.on_or_after("2009-06-12")
                            && (within(self.destination.as_deref(), "KP")
                                || within(self.origin.as_deref(), "KP")
                                || within(self.location.as_deref(), "KP")
                                || self
                                    .parties
                                    .iter()
                                    .any(|p| within(p.country.as_deref(), "KP")))
                            && (finance
                                || self
                                    .services
                                    .iter()
                                    .any(|s| ARMS_SERVICES.contains(&s.as_str())))
                            && self.any_good($good::arms),
                    );
                    fire(
                        6,
                        trade
                            && self.on_or_after("2006-10-14")
                            && (within(self.destination.as_deref(), "KP")
                                || within(self.origin.as_deref(), "KP")
                                || self.parties.iter().any(|p| {
                                    (RECEIVERS.contains(&&*p.role) || SUPPLIERS.contains(&&*p.role))
                                        && within(p.country.as_deref(), "KP")
                                }))
                            && self.any_good(|g| {
                                hs_within(g.hs.as_deref(), &DPRK_WMD_HS) && g.categories.is_none()
                            }),
                    );
                    fire(
                        7,
                        to_dprk
                            && self.on_or_after("2006-10-14")
                            && self.any_good(|g| g.has("luxury")),
                    );
                    let iran_1747 =
                        self.between("2007-03-24", "2016-01-15") || self.on_or_after("2025-09-28");
                    fire(
                        8,
                        trade && iran_1747 && self.from("IR") && self.any_good($good::arms),
                    );
                    let iran_1929 =
                        self.between("2010-06-09", "2016-01-15") || self.on_or_after("2025-09-28");
                    fire(
                        9,
                        trade
                            && iran_1929
                            && self.to("IR")
                            && self.any_good(|g| g.has("heavy_arms")),
                    );
                    bits
                }
            }
        };
    }

    rules!(Record, Good);
    rules!(WholeRecord, WholeGood);
}

fn run_hand_whole(text: &str) -> Vec<Judged> {
    text.lines()
        .map(|line| {
            let record: hand::WholeRecord<'_> = serde_json::from_str(line).expect("valid record");
            Judged::of(record.fired())
        })
        .collect()
}

fn run_hand(text: &str) -> Vec<Judged> {
    text.lines()
        .map(|line| {
            let record: hand::Record<'_> = serde_json::from_str(line).expect("valid JSON");
            Judged::of(record.fired())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// regorus: the policy parsed once; each record set as `input`, `data.embargo.fired` evaluated.

fn regorus_engine() -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy(
            "benches/peers/rules.rego".to_string(),
            include_str!("peers/rules.rego").to_string(),
        )
        .unwrap();
    engine
}

fn run_regorus(engine: &mut regorus::Engine, text: &str) -> Vec<Judged> {
    text.lines()
        .map(|line| {
            engine.set_input(regorus::Value::from_json_str(line).expect("valid JSON"));
            let fired = engine
                .eval_rule("data.embargo.fired".to_string())
                .expect("evaluates");
            let bits = fired
                .as_set()
                .expect("a set of rule ids")
                .iter()
                .fold(0, |bits, id| bits | bit(id.as_string().expect("an id")));
            Judged::of(bits)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Cedar: the policy set parsed once; for each record, its parties and goods as entities and its
// own fields as the context (both through Cedar's JSON formats), and one request per pair of a
// party and a good (Cedar has no quantifier over a list).

struct CedarPeer {
    policies: cedar_policy::PolicySet,
    authorizer: cedar_policy::Authorizer,
    action: cedar_policy::EntityUid,
    /// The rule's bit of each policy, from its `@id`
    bits: HashMap<cedar_policy::PolicyId, u16>,
    parties: Vec<cedar_policy::EntityUid>,
    goods: Vec<cedar_policy::EntityUid>,
}

impl CedarPeer {
    fn new() -> CedarPeer {
        use cedar_policy::{EntityId, EntityTypeName, EntityUid, PolicySet};
        let policies = PolicySet::from_str(include_str!("peers/policy.cedar")).unwrap();
        let bits = policies
            .policies()
            .map(|p| (p.id().clone(), bit(p.annotation("id").expect("an @id"))))
            .collect();
        // The uids of the entities of a record: Party::"0", Good::"0", ...
        let uids = |kind: &str| -> Vec<EntityUid> {
            (0..16)
                .map(|i| {
                    EntityUid::from_type_name_and_id(
                        EntityTypeName::from_str(kind).unwrap(),
                        EntityId::new(i.to_string()),
                    )
                })
                .collect()
        };
        CedarPeer {
            policies,
            authorizer: cedar_policy::Authorizer::new(),
            action: EntityUid::from_str(r#"Action::"screen""#).unwrap(),
            bits,
            parties: uids("Party"),
            goods: uids("Good"),
        }
    }

    fn judge(&self, line: &str) -> Judged {
        use serde_json::{Map, Value, json};
        let Value::Object(record) = serde_json::from_str::<Value>(line).expect("valid JSON") else {
            panic!("a record is an object");
        };
        let list = |key: &str| record.get(key).and_then(Value::as_array);
        // The attributes the policies read, of each party and good; one with none stands for
        // an empty list.
        let entities = |kind: &str, key: &str, attrs: &[&str]| -> Vec<Value> {
            let items = list(key).map_or(&[][..], Vec::as_slice);
            let n = items.len().max(1);
            (0..n)
                .map(|i| {
                    let mut a = Map::new();
                    if let Some(Value::Object(item)) = items.get(i) {
                        for attr in attrs {
                            if let Some(v) = item.get(*attr) {
                                a.insert((*attr).to_string(), v.clone());
                            }
                        }
                    }
                    json!({"uid": {"type": kind, "id": i.to_string()}, "attrs": a, "parents": []})
                })
                .collect()
        };
        let parties = entities("Party", "parties", &["role", "country"]);
        let goods = entities("Good", "goods", &["hs", "categories"]);
        let (n_parties, n_goods) = (parties.len(), goods.len());
        let mut all = parties;
        all.extend(goods);
        let entities = cedar_policy::Entities::from_json_value(Value::Array(all), None)
            .expect("valid entities");
        let mut context = Map::new();
        for key in ["activity", "origin", "destination", "location", "services"] {
            if let Some(v) = record.get(key) {
                context.insert(key.to_string(), v.clone());
            }
        }
        let date = record.get("date").expect("a date").clone();
        context.insert(
            "date".to_string(),
            json!({"__extn": {"fn": "datetime", "arg": date}}),
        );
        let context = cedar_policy::Context::from_json_value(Value::Object(context), None)
            .expect("a valid context");
        let mut bits = 0;
        for party in &self.parties[..n_parties] {
            for good in &self.goods[..n_goods] {
                let request = cedar_policy::Request::new(
                    party.clone(),
                    self.action.clone(),
                    good.clone(),
                    context.clone(),
                    None,
                )
                .expect("a valid request");
                let response = self
                    .authorizer
                    .is_authorized(&request, &self.policies, &entities);
                let errors: Vec<String> = response
                    .diagnostics()
                    .errors()
                    .map(ToString::to_string)
                    .collect();
                assert!(errors.is_empty(), "Cedar: {errors:?} on {line}");
                for id in response.diagnostics().reason() {
                    bits |= self.bits[id];
                }
            }
        }
        Judged::of(bits)
    }
}

fn run_cedar(peer: &CedarPeer, text: &str) -> Vec<Judged> {
    text.lines().map(|line| peer.judge(line)).collect()
}

// ---------------------------------------------------------------------------------------------

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The first `n` lines of `text`
fn first_lines(text: &str, n: usize) -> &str {
    let end = text
        .match_indices('\n')
        .nth(n.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i + 1);
    &text[..end]
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Times `run`, and checks its verdicts against embargo's, naming the first record that differs
fn timed(
    name: &str,
    expected: &[Judged],
    lines: &str,
    run: impl FnOnce(&str) -> Vec<Judged>,
) -> Duration {
    let start = Instant::now();
    let got = black_box(run(black_box(lines)));
    let time = start.elapsed();
    assert_eq!(got.len(), expected.len(), "{name}: records judged");
    if let Some(i) = (0..got.len()).find(|&i| got[i] != expected[i]) {
        panic!(
            "{name} and embargo differ on record {i}: {:?} {:?} against {:?} {:?}\n{}",
            got[i].level,
            got[i].ids(),
            expected[i].level,
            expected[i].ids(),
            lines.lines().nth(i).unwrap_or("")
        );
    }
    time
}

fn main() {
    let n = env_usize("EMBARGO_BENCH_N", 200_000);
    let n_peers = env_usize("EMBARGO_BENCH_PEERS_N", 20_000).min(n);
    let reps = env_usize("EMBARGO_BENCH_REPS", 3).max(1);
    let text = records::generate(n as u64, 0x5EED_2026);
    let subset = first_lines(&text, n_peers);

    let program = ten_rules();
    let evaluator = Evaluator::new(&program);
    let mut regorus = regorus_engine();
    let cedar = CedarPeer::new();

    // embargo's verdicts, against which every other engine's are checked
    let expected = run_embargo(&evaluator, &text);
    let expected_subset = &expected[..n_peers];
    let flagged = expected.iter().filter(|j| j.level != Level::Clear).count();
    let fired = expected.iter().filter(|j| j.fired != 0).count();
    println!(
        "{n} records, {fired} with a finding ({flagged} not clear); regorus and Cedar on the first \
         {n_peers} ({} with a finding)",
        expected_subset.iter().filter(|j| j.fired != 0).count()
    );
    for (i, (id, _)) in RULES.iter().enumerate() {
        let count = expected.iter().filter(|j| j.fired & (1 << i) != 0).count();
        println!("  {id:<36} fires on {count:>6}");
    }

    /// One engine: its name, the records it judges, its target (embargo's speed over its) and
    /// its times
    struct Row {
        name: &'static str,
        records: usize,
        target: Option<f64>,
        times: Vec<Duration>,
    }
    let row = |name, records, target| Row {
        name,
        records,
        target,
        times: Vec::new(),
    };
    let mut rows = [
        row("embargo", n, None),
        row("hand-written (serde)", n, Some(1.2)),
        row("hand-written, whole", n, Some(1.2)),
        row("regorus", n_peers, Some(10.0)),
        row("Cedar", n_peers, Some(10.0)),
    ];
    let mut reading = Vec::new();
    for rep in 1..=reps {
        rows[0].times.push(timed("embargo", &expected, &text, |t| {
            run_embargo(&evaluator, t)
        }));
        rows[1]
            .times
            .push(timed("hand-written", &expected, &text, run_hand));
        rows[2].times.push(timed(
            "hand-written, whole",
            &expected,
            &text,
            run_hand_whole,
        ));
        rows[3]
            .times
            .push(timed("regorus", expected_subset, subset, |t| {
                run_regorus(&mut regorus, t)
            }));
        rows[4]
            .times
            .push(timed("Cedar", expected_subset, subset, |t| {
                run_cedar(&cedar, t)
            }));
        let start = Instant::now();
        assert_eq!(read_embargo(black_box(&text)), n);
        reading.push(start.elapsed());
        let line: Vec<String> = rows
            .iter()
            .map(|r| {
                let last = r.times.last().copied().unwrap_or_default();
                format!(
                    "{} {:.0} records/s",
                    r.name,
                    r.records as f64 / last.as_secs_f64()
                )
            })
            .collect();
        println!("repetition {rep}: {}", line.join(", "));
    }

    let rates: Vec<f64> = rows
        .iter_mut()
        .map(|r| r.records as f64 / median(&mut r.times).as_secs_f64())
        .collect();
    println!(
        "\nall the engines gave the same verdicts, by the same rules, on every record compared"
    );
    println!(
        "\n{:<22} {:>9} {:>13} {:>16}  target",
        "engine", "records", "records/s", "embargo/engine"
    );
    for (r, rate) in rows.iter().zip(&rates) {
        let ratio = rates[0] / rate;
        let target = match r.target {
            None => String::new(),
            Some(t) if ratio >= t => format!(">= {t}x: met"),
            Some(t) => format!(">= {t}x: NOT met"),
        };
        println!(
            "{:<22} {:>9} {:>13.0} {:>15.2}x  {target}",
            r.name, r.records, rate, ratio
        );
    }
    let read = n as f64 / median(&mut reading).as_secs_f64();
    println!(
        "{:<22} {n:>9} {read:>13.0}  (embargo reading the records only, no rule: its \
         reader and record parser, which check every field)",
        "embargo, reading only"
    );
    println!("(one thread; median of {reps} repetitions, the engines interleaved)");
}
