//! The transaction record of spec/records.md, read and checked field by field.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::designation::Designation;
use super::locate::{Entry, Node, Pos, Value, shorten};
use super::place::{Hs, Place};
use super::vocab::{CATEGORY_ARMS, KIND_ENTITY, Vocab};

/// A checked transaction record
#[derive(Clone, Debug)]
pub struct Transaction {
    /// The user's key
    pub id: String,
    /// The day it takes place; the law in force on that day applies
    pub date: NaiveDate,
    /// Code in `vocab::ACTIVITIES`
    pub activity: u8,
    /// Who takes part
    pub parties: Vec<Party>,
    /// Where goods, funds or people come from
    pub origin: Option<Place>,
    /// Where they go
    pub destination: Option<Place>,
    /// Places passed through
    pub transit: Vec<Place>,
    /// Where a service, job or operation takes place
    pub location: Option<Place>,
    /// What is supplied
    pub goods: Vec<Item>,
    /// Codes in `vocab::SERVICES`
    pub services: Vec<u8>,
    /// Ships involved
    pub vessels: Vec<Vessel>,
    /// Value of the whole transaction
    pub amount: Option<Money>,
    /// Approvals already granted
    pub authorizations: Vec<Authorization>,
    /// The user's own data (`meta`), carried along; rules never read it
    pub meta: Option<serde_json::Value>,
}

/// A party to a transaction
#[derive(Clone, Debug)]
pub struct Party {
    /// Code in `vocab::ROLES`
    pub role: u8,
    /// Name as written, any script
    pub name: String,
    /// Code in `vocab::PARTY_KINDS` (default `entity`)
    pub kind: u8,
    /// Nationality or jurisdiction
    pub country: Option<Place>,
    /// Identifiers such as `un_ref`, `imo`, `passport`
    pub ids: BTreeMap<String, String>,
    /// Facts such as `humanitarian`
    pub tags: Vec<String>,
    /// How many people it stands for
    pub count: Option<i64>,
    /// Whether the record gave `kind` (else it is the default, `entity`)
    pub kind_given: bool,
    /// List entries it was found to be, strongest first (filled by screening, not read)
    pub designations: Vec<Designation>,
}

impl Party {
    /// A party of this name with nothing else known: an entity (the default kind), in the
    /// first role of `vocab::ROLES`; set the rest with the `with_` methods
    pub fn named(name: impl Into<String>) -> Self {
        Party {
            role: 0,
            name: name.into(),
            kind: KIND_ENTITY,
            country: None,
            ids: BTreeMap::new(),
            tags: Vec::new(),
            count: None,
            kind_given: false,
            designations: Vec::new(),
        }
    }

    /// The party as of this kind (`individual`, `entity`, `government`, `organization`); an
    /// unknown kind leaves it unchanged
    pub fn with_kind(mut self, kind: &str) -> Self {
        if let Some(code) = Vocab::PartyKind.code(kind) {
            self.kind = code;
            self.kind_given = true;
        }
        self
    }

    /// The party with this country (an ISO 3166 code or a name); one not understood is left out
    pub fn with_country(mut self, country: &str) -> Self {
        self.country = Place::parse(country);
        self
    }

    /// The party with this identifier (`passport`, `national_id`, `date_of_birth`, `un_ref`)
    pub fn with_id(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.ids.insert(key.into(), value.into());
        self
    }
}

/// An item of goods
#[derive(Clone, Debug)]
pub struct Item {
    /// Free text for people; rules never read it
    pub description: Option<String>,
    /// HS code
    pub hs: Option<Hs>,
    /// Codes in `vocab::CATEGORIES`; `small_arms` and `heavy_arms` add `arms`
    pub categories: Vec<u8>,
    /// Quantity, in `unit`
    pub quantity: Option<Decimal>,
    /// Code in `vocab::UNITS`
    pub unit: Option<u8>,
    /// Value
    pub value: Option<Money>,
}

/// A vessel
#[derive(Clone, Debug)]
pub struct Vessel {
    /// Name
    pub name: Option<String>,
    /// IMO number, 7 digits
    pub imo: Option<String>,
    /// Flag State
    pub flag: Option<Place>,
    /// Code in `vocab::VESSEL_ROLES`
    pub role: Option<u8>,
    /// List entries it was found to be, strongest first (filled by screening, not read)
    pub designations: Vec<Designation>,
}

/// An amount of money in one currency
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money {
    /// The amount, exactly
    pub amount: Decimal,
    /// ISO 4217 code, upper case
    pub currency: [u8; 3],
}

impl Money {
    /// The currency code
    pub fn currency_str(&self) -> &str {
        std::str::from_utf8(&self.currency).unwrap_or("???")
    }
}

/// An approval or exemption granted for the transaction
#[derive(Clone, Debug)]
pub struct Authorization {
    /// Who granted it, such as `1718 Committee`
    pub by: String,
    /// Its reference
    pub reference: Option<String>,
    /// When it was granted
    pub date: Option<NaiveDate>,
    /// The rule ids it covers; `None` covers every rule that the body can exempt
    pub covers: Option<Vec<String>>,
}

/// A problem with one field of a record
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's path, such as `goods[0].hs`
    pub field: String,
    /// What is wrong
    pub message: String,
}

// The record exactly as serde sees it; checked into `Transaction` by `check`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRecord {
    id: String,
    date: String,
    activity: String,
    /// Free text for people: read only so that its type is checked
    #[serde(default, rename = "description")]
    _description: Option<String>,
    #[serde(default)]
    parties: Vec<RawParty>,
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    destination: Option<String>,
    #[serde(default)]
    transit: Vec<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    goods: Vec<RawItem>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    vessels: Vec<RawVessel>,
    #[serde(default)]
    amount: Option<RawMoney>,
    #[serde(default)]
    authorizations: Vec<RawAuthorization>,
    #[serde(default)]
    meta: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParty {
    role: String,
    name: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    ids: BTreeMap<String, String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    count: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    hs: Option<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    quantity: Option<Decimal>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    value: Option<RawMoney>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVessel {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    imo: Option<String>,
    #[serde(default)]
    flag: Option<String>,
    #[serde(default)]
    role: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMoney {
    amount: Decimal,
    currency: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthorization {
    by: String,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    covers: Option<Vec<String>>,
}

/// A field's path such as `goods[0].categories[1]`, written out only when an error names it
#[derive(Clone, Copy)]
enum Path<'a> {
    /// `date`
    Field(&'a str),
    /// `transit[2]`
    Elem(&'a str, usize),
    /// `parties[0].role`
    Sub(&'a str, usize, &'a str),
    /// `goods[0].categories[1]`
    SubElem(&'a str, usize, &'a str, usize),
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Path::Field(name) => f.write_str(name),
            Path::Elem(list, i) => write!(f, "{list}[{i}]"),
            Path::Sub(list, i, field) => write!(f, "{list}[{i}].{field}"),
            Path::SubElem(list, i, field, j) => write!(f, "{list}[{i}].{field}[{j}]"),
        }
    }
}

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    fn date(&mut self, field: Path<'_>, text: &str) -> Option<NaiveDate> {
        let parsed = (text.len() == 10)
            .then(|| {
                plain_date(text).unwrap_or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            })
            .flatten();
        if parsed.is_none() {
            self.fail(
                field.to_string(),
                format!("expected a date YYYY-MM-DD, found {:?}", shorten(text)),
            );
        }
        parsed
    }

    fn place(&mut self, field: Path<'_>, text: &str) -> Option<Place> {
        let place = Place::parse(text);
        if place.is_none() {
            let hint = Place::suggest(text)
                .map(|p| format!(": did you mean \"{p}\"?"))
                .unwrap_or_default();
            self.fail(
                field.to_string(),
                format!("expected {PLACE_WORDS}, found {:?}{hint}", shorten(text)),
            );
        }
        place
    }

    fn opt_place(&mut self, field: Path<'_>, text: Option<&String>) -> Option<Place> {
        text.and_then(|t| self.place(field, t))
    }

    fn vocab(&mut self, field: Path<'_>, vocab: Vocab, text: &str) -> Option<u8> {
        let code = vocab.code(text);
        if code.is_none() {
            let hint = crate::diagnostics::did_you_mean(text, vocab.values().iter().copied())
                .map(|s| format!(": did you mean \"{s}\"?"))
                .unwrap_or_default();
            self.fail(
                field.to_string(),
                format!(
                    "expected {}, found {:?}{hint}",
                    vocab.expected(),
                    shorten(text)
                ),
            );
        }
        code
    }

    fn money(&mut self, field: Path<'_>, raw: &RawMoney) -> Option<Money> {
        match raw.currency.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_alphabetic()) => Some(Money {
                amount: raw.amount,
                currency: [
                    a.to_ascii_uppercase(),
                    b.to_ascii_uppercase(),
                    c.to_ascii_uppercase(),
                ],
            }),
            _ => {
                self.fail(
                    format!("{field}.currency"),
                    format!(
                        "expected an ISO 4217 currency code such as \"USD\", found {:?}",
                        shorten(&raw.currency)
                    ),
                );
                None
            }
        }
    }
}

/// A date written exactly `DDDD-DD-DD` (digits), the day it names if any; `None` for any other
/// text, which `NaiveDate::parse_from_str` then reads. For such text both give the same answer,
/// and this is several times faster.
fn plain_date(text: &str) -> Option<Option<NaiveDate>> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    Some(NaiveDate::from_ymd_opt(year, month, day))
}

impl RawRecord {
    /// Checks every field; all problems are reported, not only the first
    pub(crate) fn check(self) -> Result<Transaction, Vec<FieldError>> {
        let mut c = Checker { errors: Vec::new() };
        if self.id.is_empty() {
            c.fail(
                "id",
                "expected your own key for the record, found an empty text",
            );
        }
        let date = c.date(Path::Field("date"), &self.date);
        let activity = c.vocab(Path::Field("activity"), Vocab::Activity, &self.activity);
        let parties = self
            .parties
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let role = c
                    .vocab(Path::Sub("parties", i, "role"), Vocab::Role, &p.role)
                    .unwrap_or(0);
                let kind = match &p.kind {
                    Some(k) => c
                        .vocab(Path::Sub("parties", i, "kind"), Vocab::PartyKind, k)
                        .unwrap_or(KIND_ENTITY),
                    None => KIND_ENTITY,
                };
                let country = c.opt_place(Path::Sub("parties", i, "country"), p.country.as_ref());
                if let Some(n) = p.count
                    && n < 0
                {
                    c.fail(
                        Path::Sub("parties", i, "count").to_string(),
                        format!("expected a number of people, 0 or more, found {n}"),
                    );
                }
                Party {
                    role,
                    name: p.name,
                    kind,
                    kind_given: p.kind.is_some(),
                    designations: Vec::new(),
                    country,
                    ids: p.ids,
                    tags: p.tags,
                    count: p.count,
                }
            })
            .collect();
        let origin = c.opt_place(Path::Field("origin"), self.origin.as_ref());
        let destination = c.opt_place(Path::Field("destination"), self.destination.as_ref());
        let location = c.opt_place(Path::Field("location"), self.location.as_ref());
        let transit = self
            .transit
            .iter()
            .enumerate()
            .filter_map(|(i, t)| c.place(Path::Elem("transit", i), t))
            .collect();
        let goods = self
            .goods
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                let hs = g.hs.as_deref().and_then(|text| {
                    let hs = Hs::parse(text);
                    if hs.is_none() {
                        c.fail(
                            Path::Sub("goods", i, "hs").to_string(),
                            format!(
                                "expected an HS code of 2 to 10 digits such as \"930690\", found {:?}",
                                shorten(text)
                            ),
                        );
                    }
                    hs
                });
                let mut categories: Vec<u8> = g
                    .categories
                    .iter()
                    .enumerate()
                    .filter_map(|(j, cat)| {
                        c.vocab(
                            Path::SubElem("goods", i, "categories", j),
                            Vocab::Category,
                            cat,
                        )
                    })
                    .collect();
                // `small_arms` and `heavy_arms` are kinds of `arms`.
                let implies_arms = categories
                    .iter()
                    .any(|&k| matches!(Vocab::Category.value(k), "small_arms" | "heavy_arms"));
                if implies_arms && !categories.contains(&CATEGORY_ARMS) {
                    categories.push(CATEGORY_ARMS);
                }
                let unit = g
                    .unit
                    .as_deref()
                    .and_then(|u| c.vocab(Path::Sub("goods", i, "unit"), Vocab::Unit, u));
                let value = g
                    .value
                    .as_ref()
                    .and_then(|m| c.money(Path::Sub("goods", i, "value"), m));
                Item {
                    description: g.description,
                    hs,
                    categories,
                    quantity: g.quantity,
                    unit,
                    value,
                }
            })
            .collect();
        let services = self
            .services
            .iter()
            .enumerate()
            .filter_map(|(i, s)| c.vocab(Path::Elem("services", i), Vocab::Service, s))
            .collect();
        let vessels = self
            .vessels
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                if let Some(imo) = &v.imo
                    && !(imo.len() == 7 && imo.bytes().all(|b| b.is_ascii_digit()))
                {
                    c.fail(
                        Path::Sub("vessels", i, "imo").to_string(),
                        format!(
                            "expected an IMO number of 7 digits such as \"9123456\", found {:?}",
                            shorten(imo)
                        ),
                    );
                }
                Vessel {
                    flag: c.opt_place(Path::Sub("vessels", i, "flag"), v.flag.as_ref()),
                    role: v.role.as_deref().and_then(|r| {
                        c.vocab(Path::Sub("vessels", i, "role"), Vocab::VesselRole, r)
                    }),
                    name: v.name,
                    imo: v.imo,
                    designations: Vec::new(),
                }
            })
            .collect();
        let amount = self
            .amount
            .as_ref()
            .and_then(|m| c.money(Path::Field("amount"), m));
        let authorizations = self
            .authorizations
            .into_iter()
            .enumerate()
            .map(|(i, a)| Authorization {
                date: a
                    .date
                    .as_deref()
                    .and_then(|d| c.date(Path::Sub("authorizations", i, "date"), d)),
                by: a.by,
                reference: a.reference,
                covers: a.covers,
            })
            .collect();
        match (date, activity, c.errors.is_empty()) {
            (Some(date), Some(activity), true) => Ok(Transaction {
                id: self.id,
                date,
                activity,
                parties,
                origin,
                destination,
                transit,
                location,
                goods,
                services,
                vessels,
                amount,
                authorizations,
                meta: self.meta,
            }),
            _ => Err(c.errors),
        }
    }
}

/// The fields of the record, as spec/records.md names them
pub const RECORD_FIELDS: &[&str] = &[
    "id",
    "date",
    "activity",
    "description",
    "parties",
    "origin",
    "destination",
    "transit",
    "location",
    "goods",
    "services",
    "vessels",
    "amount",
    "authorizations",
    "meta",
];
/// The fields of a party
pub const PARTY_FIELDS: &[&str] = &["role", "name", "kind", "country", "ids", "tags", "count"];
/// The fields of an item of goods
pub const ITEM_FIELDS: &[&str] = &[
    "description",
    "hs",
    "categories",
    "quantity",
    "unit",
    "value",
];
/// The fields of a vessel
pub const VESSEL_FIELDS: &[&str] = &["name", "imo", "flag", "role"];
/// The fields of an amount of money
pub const MONEY_FIELDS: &[&str] = &["amount", "currency"];
/// The fields of an authorization
pub const AUTHORIZATION_FIELDS: &[&str] = &["by", "reference", "date", "covers"];

/// What kind of problem a `Problem` is
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProblemKind {
    /// A field that the format does not know
    Unknown,
    /// A required field that is not given
    Missing,
    /// A field whose value is not what the format expects
    Invalid,
}

/// A problem of a record, placed in its text
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    /// What kind
    pub kind: ProblemKind,
    /// The field's path, such as `goods[0].hs`
    pub field: String,
    /// Where, in the record's text (for a missing field: the mapping that lacks it)
    pub pos: Pos,
    /// What is wrong, and a hint
    pub detail: String,
}

/// The fields of one mapping of a record, checked against the fields the format knows
struct Fields<'n> {
    path: String,
    entries: &'n [Entry],
    pos: Pos,
}

impl<'n> Fields<'n> {
    fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.key == name)
            .map(|e| &e.value)
    }

    fn sub(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.path)
        }
    }
}

/// Reads a record's tree into `RawRecord`, with every problem of its shape: unknown fields,
/// missing ones, values of the wrong kind. Where a value is wrong a placeholder stands in, so that
/// `check` can still look at the rest; its errors about those places are then not repeated.
struct Reader {
    problems: Vec<Problem>,
    /// Whether a YAML plain scalar that reads as a number, a boolean or nothing is refused where
    /// text is expected (test records in rule files), rather than read as its text
    typed_scalars: bool,
}

impl Reader {
    fn problem(&mut self, kind: ProblemKind, field: String, pos: Pos, detail: String) {
        self.problems.push(Problem {
            kind,
            field,
            pos,
            detail,
        });
    }

    fn wrong(&mut self, field: String, node: &Node, expected: &str) {
        let detail = format!("expected {expected}, found {}", node.describe());
        self.problem(ProblemKind::Invalid, field, node.pos, detail);
    }

    /// The entries of a mapping at `path`, each key checked against `known`
    fn fields<'n>(
        &mut self,
        path: String,
        node: &'n Node,
        known: &[&str],
        what: &str,
    ) -> Option<Fields<'n>> {
        let Value::Map(entries) = &node.value else {
            let expected = if path.is_empty() {
                "a mapping of fields such as {\"id\": ..., \"date\": ..., \"activity\": ...}"
                    .to_string()
            } else {
                format!("{what} (a mapping of fields)")
            };
            self.wrong(path, node, &expected);
            return None;
        };
        let fields = Fields {
            path,
            entries,
            pos: node.pos,
        };
        for (i, e) in entries.iter().enumerate() {
            let field = fields.sub(&e.key);
            if !known.contains(&e.key.as_str()) {
                let detail = match crate::diagnostics::did_you_mean(&e.key, known.iter().copied()) {
                    _ if e.key == "listed" && matches!(what, "a party" | "a vessel") => {
                        "rules read `listed` from screening against lists, never from the record; \
keep your own notes under the record's \"meta\""
                            .to_string()
                    }
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None if fields.path.is_empty() => format!(
                        "the record has no such field; keep your own data under \"meta\" (fields: {})",
                        known.join(", ")
                    ),
                    None => format!("{what} has the fields {}", known.join(", ")),
                };
                self.problem(ProblemKind::Unknown, field, e.key_pos, detail);
            } else if entries
                .get(..i)
                .is_some_and(|before| before.iter().any(|b| b.key == e.key))
            {
                let detail = "given twice; give each field once".to_string();
                self.problem(ProblemKind::Invalid, field, e.key_pos, detail);
            }
        }
        Some(fields)
    }

    fn string(&mut self, field: String, node: &Node, expected: &str) -> String {
        match &node.value {
            Value::Str { text, plain: true } if self.typed_scalars && !node.plain_is_text() => {
                self.wrong(field, node, expected);
                text.clone()
            }
            Value::Str { text, .. } => text.clone(),
            _ => {
                self.wrong(field, node, expected);
                String::new()
            }
        }
    }

    fn required(&mut self, f: &Fields<'_>, name: &str, expected: &str) -> String {
        match f.get(name) {
            Some(node) => self.string(f.sub(name), node, expected),
            None => {
                let detail = format!("expected {expected}");
                self.problem(ProblemKind::Missing, f.sub(name), f.pos, detail);
                String::new()
            }
        }
    }

    fn optional(&mut self, f: &Fields<'_>, name: &str, expected: &str) -> Option<String> {
        let node = f.get(name).filter(|n| !n.is_null())?;
        Some(self.string(f.sub(name), node, expected))
    }

    /// The elements of a list at `f.name`; an absent field is an empty list
    fn list<'n>(&mut self, f: &Fields<'n>, name: &str, expected: &str) -> Vec<(String, &'n Node)> {
        let Some(node) = f.get(name) else {
            return Vec::new();
        };
        match &node.value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| (format!("{}[{i}]", f.sub(name)), n))
                .collect(),
            _ => {
                self.wrong(f.sub(name), node, expected);
                Vec::new()
            }
        }
    }

    fn strings(&mut self, f: &Fields<'_>, name: &str, expected: &str, each: &str) -> Vec<String> {
        self.list(f, name, expected)
            .into_iter()
            .map(|(path, n)| self.string(path, n, each))
            .collect()
    }

    fn decimal(&mut self, field: String, node: &Node) -> Decimal {
        // Read by rust_decimal's own serde reading, as the fast way reads it (`1.50` of JSON
        // goes through a float there, and must give the same amount here).
        let parsed = match &node.value {
            Value::Number(t) => serde_json::from_str::<Decimal>(t).ok(),
            Value::Str { text, plain: true } => serde_yaml::from_str::<Decimal>(text).ok(),
            Value::Str { text, plain: false } => {
                serde_json::from_value::<Decimal>(serde_json::Value::String(text.clone())).ok()
            }
            _ => None,
        };
        match parsed {
            Some(d) => d,
            None => {
                self.wrong(field, node, "a number such as 1500 or 12.5");
                Decimal::ZERO
            }
        }
    }

    fn money(&mut self, field: String, node: &Node) -> RawMoney {
        let Some(f) = self.fields(field, node, MONEY_FIELDS, "an amount of money") else {
            return RawMoney {
                amount: Decimal::ZERO,
                currency: "USD".into(),
            };
        };
        let amount = match f.get("amount") {
            Some(n) => self.decimal(f.sub("amount"), n),
            None => {
                let detail = "expected a number such as 1500 or 12.5".to_string();
                self.problem(ProblemKind::Missing, f.sub("amount"), f.pos, detail);
                Decimal::ZERO
            }
        };
        let currency = self.required(&f, "currency", "an ISO 4217 currency code such as \"USD\"");
        RawMoney { amount, currency }
    }

    fn opt_money(&mut self, f: &Fields<'_>, name: &str) -> Option<RawMoney> {
        let node = f.get(name).filter(|n| !n.is_null())?;
        Some(self.money(f.sub(name), node))
    }

    fn party(&mut self, path: String, node: &Node) -> RawParty {
        let mut party = RawParty {
            role: String::new(),
            name: String::new(),
            kind: None,
            country: None,
            ids: BTreeMap::new(),
            tags: Vec::new(),
            count: None,
        };
        let Some(f) = self.fields(path, node, PARTY_FIELDS, "a party") else {
            return party;
        };
        party.role = self.required(&f, "role", &Vocab::Role.expected());
        party.name = self.required(&f, "name", "the party's name as text");
        party.kind = self.optional(&f, "kind", &Vocab::PartyKind.expected());
        party.country = self.optional(&f, "country", PLACE_WORDS);
        if let Some(node) = f.get("ids").filter(|n| !n.is_null()) {
            let field = f.sub("ids");
            match &node.value {
                Value::Map(entries) => {
                    for e in entries {
                        let id = self.string(
                            format!("{field}.{}", e.key),
                            &e.value,
                            "an identifier as text",
                        );
                        party.ids.insert(e.key.clone(), id);
                    }
                }
                _ => self.wrong(
                    field,
                    node,
                    "identifiers as a mapping such as {\"un_ref\": \"KPe.001\"}",
                ),
            }
        }
        party.tags = self.strings(
            &f,
            "tags",
            "a list of tags such as [\"humanitarian\"]",
            "a tag as text",
        );
        if let Some(node) = f.get("count").filter(|n| !n.is_null()) {
            let number = match &node.value {
                Value::Number(t)
                | Value::Str {
                    text: t,
                    plain: true,
                } => t.parse::<i64>().ok(),
                _ => None,
            };
            if number.is_none() {
                self.wrong(f.sub("count"), node, "a whole number of people");
            }
            party.count = number;
        }
        party
    }

    fn item(&mut self, path: String, node: &Node) -> RawItem {
        let mut item = RawItem {
            description: None,
            hs: None,
            categories: Vec::new(),
            quantity: None,
            unit: None,
            value: None,
        };
        let Some(f) = self.fields(path, node, ITEM_FIELDS, "an item of goods") else {
            return item;
        };
        item.description = self.optional(&f, "description", "free text");
        item.hs = self.optional(&f, "hs", "an HS code of 2 to 10 digits such as \"930690\"");
        item.categories = self.strings(
            &f,
            "categories",
            "a list of categories such as [\"arms\"]",
            &Vocab::Category.expected(),
        );
        item.quantity = f
            .get("quantity")
            .filter(|n| !n.is_null())
            .map(|n| self.decimal(f.sub("quantity"), n));
        item.unit = self.optional(&f, "unit", &Vocab::Unit.expected());
        item.value = self.opt_money(&f, "value");
        item
    }

    fn vessel(&mut self, path: String, node: &Node) -> RawVessel {
        let mut vessel = RawVessel {
            name: None,
            imo: None,
            flag: None,
            role: None,
        };
        let Some(f) = self.fields(path, node, VESSEL_FIELDS, "a vessel") else {
            return vessel;
        };
        vessel.name = self.optional(&f, "name", "the vessel's name as text");
        vessel.imo = self.optional(&f, "imo", "an IMO number of 7 digits such as \"9123456\"");
        vessel.flag = self.optional(&f, "flag", PLACE_WORDS);
        vessel.role = self.optional(&f, "role", &Vocab::VesselRole.expected());
        vessel
    }

    fn authorization(&mut self, path: String, node: &Node) -> RawAuthorization {
        let mut auth = RawAuthorization {
            by: String::new(),
            reference: None,
            date: None,
            covers: None,
        };
        let Some(f) = self.fields(path, node, AUTHORIZATION_FIELDS, "an authorization") else {
            return auth;
        };
        auth.by = self.required(&f, "by", "who granted it, such as \"1718 Committee\"");
        auth.reference = self.optional(&f, "reference", "a reference as text");
        auth.date = self.optional(&f, "date", "a date YYYY-MM-DD");
        if f.get("covers").is_some_and(|n| !n.is_null()) {
            auth.covers = Some(self.strings(
                &f,
                "covers",
                "a list of rule identifiers",
                "a rule identifier as text",
            ));
        }
        auth
    }

    fn record(&mut self, node: &Node, meta: Option<serde_json::Value>) -> Option<RawRecord> {
        let f = self.fields(String::new(), node, RECORD_FIELDS, "the record")?;
        let id = self.required(&f, "id", "your own key for the record, as text");
        let date = self.required(&f, "date", "a date YYYY-MM-DD");
        let activity = self.required(&f, "activity", &Vocab::Activity.expected());
        let description = self.optional(&f, "description", "free text");
        let parties = self
            .list(&f, "parties", "a list of parties")
            .into_iter()
            .map(|(path, n)| self.party(path, n))
            .collect();
        let origin = self.optional(&f, "origin", PLACE_WORDS);
        let destination = self.optional(&f, "destination", PLACE_WORDS);
        let transit = self.strings(
            &f,
            "transit",
            "a list of places such as [\"CN\", \"RU\"]",
            PLACE_WORDS,
        );
        let location = self.optional(&f, "location", PLACE_WORDS);
        let goods = self
            .list(&f, "goods", "a list of items of goods")
            .into_iter()
            .map(|(path, n)| self.item(path, n))
            .collect();
        let services = self.strings(
            &f,
            "services",
            "a list of services such as [\"bunkering\"]",
            &Vocab::Service.expected(),
        );
        let vessels = self
            .list(&f, "vessels", "a list of vessels")
            .into_iter()
            .map(|(path, n)| self.vessel(path, n))
            .collect();
        let amount = self.opt_money(&f, "amount");
        let authorizations = self
            .list(&f, "authorizations", "a list of authorizations")
            .into_iter()
            .map(|(path, n)| self.authorization(path, n))
            .collect();
        Some(RawRecord {
            id,
            date,
            activity,
            _description: description,
            parties,
            origin,
            destination,
            transit,
            location,
            goods,
            services,
            vessels,
            amount,
            authorizations,
            meta,
        })
    }
}

/// A place, in user words, without `expected`
const PLACE_WORDS: &str =
    "a country code such as \"KP\" or a subdivision code such as \"UA-14\" (ISO 3166)";

/// What reading a record's tree gave: the transaction when nothing but unknown fields is wrong
/// (those are in `problems` too), and every problem, in the order of the record's text
pub(crate) struct Analysis {
    /// The transaction, read as if the unknown fields were absent
    pub transaction: Option<Transaction>,
    /// Every problem
    pub problems: Vec<Problem>,
}

/// Reads and checks a record's tree, reporting every problem with its place. `meta` is the
/// record's `meta`, read by serde from the text.
pub(crate) fn analyse(node: &Node, meta: Option<serde_json::Value>) -> Analysis {
    analyse_with(node, meta, false)
}

/// `analyse`; with `typed_scalars`, an unquoted YAML number, boolean or null is not text
pub(crate) fn analyse_with(
    node: &Node,
    meta: Option<serde_json::Value>,
    typed_scalars: bool,
) -> Analysis {
    let mut reader = Reader {
        problems: Vec::new(),
        typed_scalars,
    };
    let raw = reader.record(node, meta);
    let mut problems = reader.problems;
    let shape_ok = problems.iter().all(|p| p.kind == ProblemKind::Unknown);
    let mut transaction = None;
    if let Some(raw) = raw {
        match raw.check() {
            Ok(t) => transaction = shape_ok.then_some(t),
            Err(errors) => {
                for e in errors {
                    // A place already reported, or within one, is not reported again.
                    let repeated = problems.iter().any(|p| {
                        p.kind != ProblemKind::Unknown
                            && e.field
                                .strip_prefix(p.field.as_str())
                                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                    });
                    if !repeated {
                        problems.push(Problem {
                            kind: ProblemKind::Invalid,
                            pos: node.nearest(&e.field),
                            field: e.field,
                            detail: e.message,
                        });
                    }
                }
            }
        }
    }
    // Each problem at its field: the key of a mapping's entry, a list's element, or for a
    // missing field the mapping that lacks it.
    for p in &mut problems {
        if p.kind != ProblemKind::Unknown {
            p.pos = node.nearest(&p.field);
        }
    }
    problems.sort_by_key(|p| (p.pos.line, p.pos.column));
    Analysis {
        transaction,
        problems,
    }
}
