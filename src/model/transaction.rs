//! The transaction record of spec/records.md, read and checked field by field.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use smallvec::SmallVec;

use super::designation::Designation;
use super::locate::shorten;
use super::place::{Hs, Place};
use super::shape::{HS_WORDS, PLACE_WORDS};
use super::vocab::{CATEGORY_ARMS, KIND_ENTITY, Vocab};

/// A checked transaction record. Its default is a blank record (no id, no field, dated
/// 1970-01-01), to be read into ([`parse_record_into`](super::read::parse_record_into)).
#[derive(Clone, Debug, Default)]
pub struct Transaction {
    /// The user's key
    pub id: String,
    /// The day it takes place; the law in force on that day applies
    pub date: NaiveDate,
    /// Code in `vocab::ACTIVITIES`
    pub activity: u8,
    /// Who takes part (held inline up to two)
    pub parties: SmallVec<[Party; 2]>,
    /// Where goods, funds or people come from
    pub origin: Option<Place>,
    /// Where they go
    pub destination: Option<Place>,
    /// Places passed through
    pub transit: Vec<Place>,
    /// Where a service, job or operation takes place
    pub location: Option<Place>,
    /// What is supplied (held inline up to two items)
    pub goods: SmallVec<[Item; 2]>,
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
    ///
    /// ```
    /// let party = embargo::Party::named("Kim Chol")
    ///     .with_kind("individual")
    ///     .with_country("KP")
    ///     .with_id("passport", "836110034");
    /// assert_eq!(party.name, "Kim Chol");
    /// assert_eq!(party.country.map(|c| c.to_string()).as_deref(), Some("KP"));
    /// assert_eq!(party.ids["passport"], "836110034");
    /// ```
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

/// Text of a record as serde reads it: borrowed from the record's text when the JSON string
/// holds no escape (nearly always), else owned. Serde's own `Cow<str>` borrows only as a field of
/// its own, never inside an `Option` or a `Vec`; this borrows wherever it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Text<'a>(Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for Text<'_> {
    fn from(text: String) -> Self {
        Text(Cow::Owned(text))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

/// A number of a record (an amount, a quantity), read exactly as it is written: `1.50` keeps
/// its two places and `12345678901234567.89` all its digits, where a float would keep about 16
/// digits (rust_decimal's own serde reading goes through one). serde_json gives the value's text
/// (`RawValue`); a number is read as written, exponent too (`1.5e3`), and so is a string holding
/// one (`"12.5"`). Other readers cannot give the text: a YAML record with a number is read by the
/// tracked reading, which reads the text of its tree the same way ([`exact_decimal`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Num(pub(super) Decimal);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de serde_json::value::RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        let number = if text.starts_with('"') {
            let inner: Text<'_> = serde_json::from_str(text).map_err(serde::de::Error::custom)?;
            exact_decimal(&inner)
        } else if text.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) {
            exact_decimal(text)
        } else {
            None
        };
        number
            .map(Num)
            .ok_or_else(|| serde::de::Error::custom("expected a number such as 1500 or 12.5"))
    }
}

/// The decimal a number's text writes, exactly: digits with a point (`1.50`), or with an
/// exponent (`1.5e3`, `2E-2`); `None` for any other text, or a number out of rust_decimal's range
pub(super) fn exact_decimal(text: &str) -> Option<Decimal> {
    use std::str::FromStr;
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .ok()
}

// The record exactly as serde sees it; checked into `Transaction` by `check`. What the checked
// record keeps as text (`id`, names, identifiers) is read as a `String`; what it turns into a
// code, a place or a date is borrowed from the record's text, so that reading it allocates
// only for what is kept and for the lists that hold it; parties, goods, vessels and transit
// places are held inline up to their common counts (two, two, one, two), so that those lists
// allocate only when longer. Serde reads it in place (`in_place`), not by a derived reading.
#[derive(Default)]
pub(super) struct RawRecord<'a> {
    pub(super) id: String,
    pub(super) date: Text<'a>,
    pub(super) activity: Text<'a>,
    /// Free text for people: read only so that its type is checked
    pub(super) _description: Option<Text<'a>>,
    pub(super) parties: SmallVec<[RawParty<'a>; 2]>,
    pub(super) origin: Option<Text<'a>>,
    pub(super) destination: Option<Text<'a>>,
    pub(super) transit: SmallVec<[Text<'a>; 2]>,
    pub(super) location: Option<Text<'a>>,
    pub(super) goods: SmallVec<[RawItem<'a>; 2]>,
    pub(super) services: Vec<Text<'a>>,
    pub(super) vessels: SmallVec<[RawVessel<'a>; 1]>,
    pub(super) amount: Option<RawMoney<'a>>,
    pub(super) authorizations: Vec<RawAuthorization<'a>>,
    pub(super) meta: Option<serde_json::Value>,
}

#[derive(Default)]
pub(super) struct RawParty<'a> {
    pub(super) role: Text<'a>,
    pub(super) name: String,
    pub(super) kind: Option<Text<'a>>,
    pub(super) country: Option<Text<'a>>,
    pub(super) ids: BTreeMap<String, String>,
    pub(super) tags: Vec<String>,
    pub(super) count: Option<i64>,
}

#[derive(Default)]
pub(super) struct RawItem<'a> {
    pub(super) description: Option<String>,
    pub(super) hs: Option<Text<'a>>,
    pub(super) categories: Vec<Text<'a>>,
    pub(super) quantity: Option<Num>,
    pub(super) unit: Option<Text<'a>>,
    pub(super) value: Option<RawMoney<'a>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVessel<'a> {
    #[serde(default)]
    pub(super) name: Option<String>,
    #[serde(default)]
    pub(super) imo: Option<String>,
    #[serde(default, borrow)]
    pub(super) flag: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub(super) role: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMoney<'a> {
    pub(super) amount: Num,
    #[serde(borrow)]
    pub(super) currency: Text<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAuthorization<'a> {
    pub(super) by: String,
    #[serde(default)]
    pub(super) reference: Option<String>,
    #[serde(default, borrow)]
    pub(super) date: Option<Text<'a>>,
    #[serde(default)]
    pub(super) covers: Option<Vec<String>>,
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

    fn opt_place(&mut self, field: Path<'_>, text: Option<&Text<'_>>) -> Option<Place> {
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

    fn money(&mut self, field: Path<'_>, raw: &RawMoney<'_>) -> Option<Money> {
        match raw.currency.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_alphabetic()) => Some(Money {
                amount: raw.amount.0,
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

impl RawRecord<'_> {
    /// Checks every field; all problems are reported, not only the first
    pub(crate) fn check(mut self) -> Result<Transaction, Vec<FieldError>> {
        let mut checked = Transaction::default();
        self.check_into(&mut checked).map(|()| checked)
    }

    /// [`check`](Self::check), into `out`, a `Transaction::default()`, rather than into a record
    /// of its own: a `Transaction` is about 700 bytes, and each move of it was a copy. The record
    /// is taken apart as it is checked. On failure `out` holds part of the record: it is to be
    /// dropped.
    pub(crate) fn check_into(&mut self, out: &mut Transaction) -> Result<(), Vec<FieldError>> {
        let mut c = Checker { errors: Vec::new() };
        if self.id.is_empty() {
            c.fail(
                "id",
                "expected your own key for the record, found an empty text",
            );
        }
        let date = c.date(Path::Field("date"), &self.date);
        let activity = c.vocab(Path::Field("activity"), Vocab::Activity, &self.activity);
        out.parties
            .extend(self.parties.drain(..).enumerate().map(|(i, p)| {
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
            }));
        let origin = c.opt_place(Path::Field("origin"), self.origin.as_ref());
        let destination = c.opt_place(Path::Field("destination"), self.destination.as_ref());
        let location = c.opt_place(Path::Field("location"), self.location.as_ref());
        out.transit.extend(
            self.transit
                .iter()
                .enumerate()
                .filter_map(|(i, t)| c.place(Path::Elem("transit", i), t)),
        );
        out.goods
            .extend(self.goods.drain(..).enumerate().map(|(i, g)| {
                let hs = g.hs.as_deref().and_then(|text| {
                    let hs = Hs::parse(text);
                    if hs.is_none() {
                        c.fail(
                            Path::Sub("goods", i, "hs").to_string(),
                            format!("expected {HS_WORDS}, found {:?}", shorten(text)),
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
                    quantity: g.quantity.map(|q| q.0),
                    unit,
                    value,
                }
            }));
        out.services.extend(
            self.services
                .iter()
                .enumerate()
                .filter_map(|(i, s)| c.vocab(Path::Elem("services", i), Vocab::Service, s)),
        );
        out.vessels
            .extend(self.vessels.drain(..).enumerate().map(|(i, v)| {
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
            }));
        let amount = self
            .amount
            .as_ref()
            .and_then(|m| c.money(Path::Field("amount"), m));
        out.authorizations
            .extend(self.authorizations.drain(..).enumerate().map(|(i, a)| {
                Authorization {
                    date: a
                        .date
                        .as_deref()
                        .and_then(|d| c.date(Path::Sub("authorizations", i, "date"), d)),
                    by: a.by,
                    reference: a.reference,
                    covers: a.covers,
                }
            }));
        out.origin = origin;
        out.destination = destination;
        out.location = location;
        out.amount = amount;
        match (date, activity, c.errors.is_empty()) {
            (Some(date), Some(activity), true) => {
                out.id = std::mem::take(&mut self.id);
                out.date = date;
                out.activity = activity;
                out.meta = self.meta.take();
                Ok(())
            }
            _ => Err(c.errors),
        }
    }
}

mod in_place;
pub(super) use in_place::InPlace;
#[cfg(test)]
mod tests;
