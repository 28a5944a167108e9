//! Synthetic records for the screening bench: a seeded PRNG (the same records on every machine)
//! draws places, goods, parties and amounts in the JSON Lines format of spec/records.md, about one
//! record in five "hot" (leaning towards sanctioned places and controlled goods).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::{Days, NaiveDate};

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
pub(crate) fn generate(n: u64, seed: u64) -> String {
    let mut g = Gen::new(seed);
    let mut out = String::with_capacity(n as usize * 600);
    for i in 0..n {
        g.record(&mut out, i);
    }
    out
}

/// `n` records as JSON Lines, written to `path` without holding them all in memory
pub(crate) fn generate_file(path: &Path, n: u64, seed: u64) -> io::Result<u64> {
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
