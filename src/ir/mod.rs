//! The compiled program: rules with resolved fields, typed values and indexes; no names to look up.

pub(crate) mod text;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostics::FileId;
use crate::model::{Hs, Place, Transaction};
use crate::source::Span;

/// How severe a verdict is; the record's verdict is the most severe of its findings
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// No measure in force applies
    Clear,
    /// Allowed, but someone must report it
    Notify,
    /// A person must look
    Review,
    /// Allowed only with an approval the record does not carry
    AuthorizationRequired,
    /// Forbidden by a measure in force
    Prohibited,
}

impl Level {
    /// The verdict as written in output
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Clear => "clear",
            Level::Notify => "notify",
            Level::Review => "review",
            Level::AuthorizationRequired => "authorization_required",
            Level::Prohibited => "prohibited",
        }
    }

    /// Reads a verdict word
    pub fn parse(word: &str) -> Option<Level> {
        Some(match word {
            "clear" => Level::Clear,
            "notify" => Level::Notify,
            "review" => Level::Review,
            "authorization_required" => Level::AuthorizationRequired,
            "prohibited" => Level::Prohibited,
            _ => return None,
        })
    }
}

/// A compiled rule pack
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// The rules, by `RuleIdx`
    pub rules: Vec<Rule>,
    /// The exceptions
    pub exceptions: Vec<Exception>,
    /// For each activity code, the rules that can fire on it
    pub(crate) by_activity: Vec<Vec<usize>>,
    /// For each rule (by index), what a record must have for the rule to be able to fire
    pub(crate) needs: Vec<Needs>,
    /// For each activity code, its rules by the countries they need: a record meets only the
    /// rules that could fire on it, however large the pack
    pub(crate) candidates: Vec<Candidates>,
    /// The examples inside the rule files
    pub tests: Vec<TestCase>,
}

/// The rules of one activity, found by what they need (`Needs`): those that need neither a
/// country nor anything a party or vessel carries, those that need only something carried
/// (under the first kind of it in [`Carried::KINDS`] they need), and, under each country,
/// those that need a place in it; each list in rule order
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidates {
    /// The rules that need no country and nothing carried
    pub anywhere: Vec<usize>,
    /// The rules that need no country but something carried, under the first kind of
    /// [`Carried::KINDS`] they need
    pub carrying: [Vec<usize>; Carried::KINDS.len()],
    /// The rules that need a place in one of some countries, under each of those countries;
    /// sorted by country
    pub by_country: Vec<([u8; 2], Vec<usize>)>,
}

impl Candidates {
    /// The rules a record whose places lie in `countries` (sorted, deduplicated), whose parties
    /// and vessels carry `carried`, can meet, in rule order, into `out`; `marks` is scratch
    /// space (one bit a rule), both emptied first
    pub fn of(
        &self,
        countries: &[[u8; 2]],
        carried: Carried,
        marks: &mut Vec<u64>,
        out: &mut Vec<usize>,
    ) {
        out.clear();
        let under = |country: &[u8; 2]| {
            let i = self
                .by_country
                .binary_search_by(|(c, _)| c.cmp(country))
                .ok()?;
            self.by_country.get(i).map(|(_, rules)| rules.as_slice())
        };
        let lists = || {
            Carried::KINDS
                .iter()
                .zip(&self.carrying)
                .filter(|((kind, _), rules)| carried.contains(*kind) && !rules.is_empty())
                .map(|(_, rules)| rules.as_slice())
                .chain(countries.iter().filter_map(under))
        };
        let mut found = lists();
        match (found.next(), found.next()) {
            (None, _) => out.extend_from_slice(&self.anywhere),
            (Some(one), None) if self.anywhere.is_empty() => out.extend_from_slice(one),
            _ => {
                // Several lists in rule order: marked one bit a rule, then read in order, a
                // rule under two of the record's countries once
                marks.clear();
                for &rule in lists().flatten().chain(&self.anywhere) {
                    let (word, bit) = (rule / 64, rule % 64);
                    if marks.len() <= word {
                        marks.resize(word + 1, 0);
                    }
                    if let Some(w) = marks.get_mut(word) {
                        *w |= 1 << bit;
                    }
                }
                for (i, &word) in marks.iter().enumerate() {
                    let mut rest = word;
                    while rest != 0 {
                        out.push(i * 64 + rest.trailing_zeros() as usize);
                        rest &= rest - 1;
                    }
                }
            }
        }
    }
}

/// What a record must contain for a rule to be able to fire, found by the compiler from the
/// rule's condition; the evaluator skips the rule at once when the record lacks it
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// Some place of the record (any field) must lie in one of these countries (sorted)
    pub countries: Option<Vec<[u8; 2]>>,
    /// What some party or vessel must carry (a `un_ref`, tags, a designation)
    pub carried: Carried,
    /// Some item of goods must have one of some categories or an HS code in one of some chapters
    pub goods: Option<GoodsNeed>,
}

/// Categories and HS chapters, one of which some item of goods of a record must have: one bit a
/// category (by its code in `vocab::CATEGORIES`) and one bit a chapter (`00` to `99`)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GoodsNeed {
    /// A bit a category code
    pub categories: u32,
    /// A bit a chapter: the first two digits of an HS code
    pub chapters: u128,
}

impl GoodsNeed {
    /// The chapter of an HS code (its first two digits), if it has two
    pub fn chapter(hs: &Hs) -> Option<u32> {
        let digits = hs.as_str().as_bytes();
        match digits {
            [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit() => {
                Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
            }
            _ => None,
        }
    }

    /// Both needs at once: an item that meets either meets this
    pub fn or(self, other: GoodsNeed) -> GoodsNeed {
        GoodsNeed {
            categories: self.categories | other.categories,
            chapters: self.chapters | other.chapters,
        }
    }

    /// How many categories and chapters meet it: the fewer, the narrower
    pub fn width(&self) -> u32 {
        self.categories.count_ones() + self.chapters.count_ones()
    }

    /// Whether goods with these categories and chapters (bits as above) meet it
    pub fn met_by(&self, categories: u32, chapters: u128) -> bool {
        self.categories & categories != 0 || self.chapters & chapters != 0
    }
}

/// What the parties and vessels of a record carry that a rule may need, one bit a kind: a
/// party with a `un_ref` (its own, or as a designation of the UN list), a party with tags, a
/// party or a vessel designated by screening. A need is met when the record carries every kind
/// it names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Carried(u8);

impl Carried {
    /// Nothing
    pub const NONE: Carried = Carried(0);
    /// A party with a `un_ref`
    pub const UN_REF: Carried = Carried(1);
    /// A party with at least one tag
    pub const PARTY_TAGS: Carried = Carried(2);
    /// A party designated by screening (`p.listed`)
    pub const PARTY_LISTED: Carried = Carried(4);
    /// A vessel designated by screening (`v.listed`)
    pub const VESSEL_LISTED: Carried = Carried(8);
    /// Each kind, the rarest in records first (a rule is indexed under the first it needs), with
    /// what a record without it lacks, in words
    pub const KINDS: [(Carried, &'static str); 4] = [
        (Carried::VESSEL_LISTED, "no vessel designated on a list"),
        (Carried::PARTY_LISTED, "no party designated on a list"),
        (Carried::PARTY_TAGS, "no party with tags"),
        (Carried::UN_REF, "no party with un_ref"),
    ];

    /// Both
    #[must_use]
    pub fn union(self, other: Carried) -> Carried {
        Carried(self.0 | other.0)
    }

    /// What both have
    #[must_use]
    pub fn intersection(self, other: Carried) -> Carried {
        Carried(self.0 & other.0)
    }

    /// Whether this has every kind `other` has
    pub fn contains(self, other: Carried) -> bool {
        self.0 & other.0 == other.0
    }
}

/// A legal citation as it appears in findings
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    /// `S/RES/2397 (2017)`
    pub resolution: String,
    /// `8`, `8(b)`, `Annex B, 4`
    pub paragraph: String,
    /// Present and true when the paragraph number could not be confirmed
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unconfirmed: bool,
    /// When the cited paragraph took effect (its `from`, else the resolution's adoption): a
    /// finding cites it only for records dated on or after
    #[serde(skip)]
    pub adopted: Option<NaiveDate>,
}

/// Days in force, both ends included
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    /// The first day in force
    pub from: NaiveDate,
    /// The last day in force, if it ends
    pub until: Option<NaiveDate>,
}

impl Interval {
    /// Whether `date` is in the interval
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.from && self.until.is_none_or(|u| date <= u)
    }
}

/// Whether any interval contains `date`
pub fn in_force(intervals: &[Interval], date: NaiveDate) -> bool {
    intervals.iter().any(|i| i.contains(date))
}

/// A compiled rule
#[derive(Clone, Debug)]
pub struct Rule {
    /// Its id
    pub id: String,
    /// Its title
    pub title: Option<String>,
    /// Its regime's name
    pub regime: String,
    /// Its citations
    pub citations: Vec<Citation>,
    /// When it is in force
    pub intervals: Vec<Interval>,
    /// When it fires
    pub cond: Cond,
    /// What it says
    pub level: Level,
    /// Why, with the matched values filled in
    pub reason: Template,
    /// Remarks carried into each finding (some only for records dated in an interval)
    pub notes: Vec<Note>,
    /// Bodies whose authorization lifts it, as the rule writes them (compared without regard to
    /// ASCII case)
    pub authorized_by: Vec<String>,
    /// The exceptions that can lift it
    pub exceptions: Vec<usize>,
    /// What each bound variable ranges over, by slot
    pub vars: Vec<ListRef>,
    /// The name of each bound variable as written, by slot (for explanations only)
    pub var_names: Vec<String>,
    /// Where it is written
    pub file: FileId,
    /// Its span
    pub span: Span,
}

/// A compiled exception
#[derive(Clone, Debug)]
pub struct Exception {
    /// Its id
    pub id: String,
    /// Its title
    pub title: Option<String>,
    /// Its citations
    pub citations: Vec<Citation>,
    /// When it is in force
    pub intervals: Vec<Interval>,
    /// When it applies
    pub cond: Cond,
    /// Remarks
    pub notes: Vec<Note>,
    /// What each bound variable ranges over
    pub vars: Vec<ListRef>,
    /// The name of each bound variable as written, by slot (for explanations only)
    pub var_names: Vec<String>,
}

/// A remark for reviewers, for records dated in `during` (always, when `None`)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The remark
    pub text: String,
    /// When it applies
    pub during: Option<Interval>,
}

/// A list of the record that a quantifier ranges over
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListRef {
    /// `parties`
    Parties,
    /// `goods`
    Goods,
    /// `vessels`
    Vessels,
    /// `transit`
    Transit,
    /// `services`
    Services,
    /// `authorizations`
    Authorizations,
}

impl ListRef {
    /// The field name
    pub fn name(self) -> &'static str {
        match self {
            ListRef::Parties => "parties",
            ListRef::Goods => "goods",
            ListRef::Vessels => "vessels",
            ListRef::Transit => "transit",
            ListRef::Services => "services",
            ListRef::Authorizations => "authorizations",
        }
    }

    /// How many elements the record has in this list
    pub fn len(self, t: &Transaction) -> usize {
        match self {
            ListRef::Parties => t.parties.len(),
            ListRef::Goods => t.goods.len(),
            ListRef::Vessels => t.vessels.len(),
            ListRef::Transit => t.transit.len(),
            ListRef::Services => t.services.len(),
            ListRef::Authorizations => t.authorizations.len(),
        }
    }
}

/// A field of the record or of a bound element
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// `id`
    Id,
    /// `date`
    Date,
    /// `activity`
    Activity,
    /// `origin`
    Origin,
    /// `destination`
    Destination,
    /// `location`
    Location,
    /// `amount`
    Amount,
    /// `services` (as a list)
    Services,
    /// `transit` (as a list)
    Transit,
    /// A list's length is not a field; `parties`, `goods`, ... for `exists`
    List(ListRef),
    /// `p.role` and the other fields of a party bound to slot `.0`
    Party(usize, PartyField),
    /// `g.hs` and the other fields of an item
    Item(usize, ItemField),
    /// `v.flag` and the other fields of a vessel
    Vessel(usize, VesselField),
    /// `a.by` and the other fields of an authorization
    Auth(usize, AuthField),
    /// `t`, a place of `transit`
    TransitElem(usize),
    /// `s`, a service of `services`
    ServiceElem(usize),
}

/// Fields of a party
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "named as in spec/records.md")]
pub enum PartyField {
    Role,
    Name,
    Kind,
    Country,
    Tags,
    Count,
    Id(String),
    /// The list type (regime, program) of a designation found by screening
    Listed,
}

/// Fields of an item
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "named as in spec/records.md")]
pub enum ItemField {
    Description,
    Hs,
    Categories,
    Quantity,
    Unit,
    Value,
}

/// Fields of a vessel
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "named as in spec/records.md")]
pub enum VesselField {
    Name,
    Imo,
    Flag,
    Role,
    /// The list type (regime) of a designation found by screening
    Listed,
}

/// Fields of an authorization
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "named as in spec/records.md")]
pub enum AuthField {
    By,
    Reference,
    Date,
    Covers,
}

/// An ordering comparison
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "the usual six")]
pub enum Ord6 {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Ord6 {
    /// The operator as written
    pub fn as_str(self) -> &'static str {
        match self {
            Ord6::Eq => "==",
            Ord6::Ne => "!=",
            Ord6::Lt => "<",
            Ord6::Le => "<=",
            Ord6::Gt => ">",
            Ord6::Ge => ">=",
        }
    }

    /// Applies the comparison to an ordering
    pub fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Ord6::Eq => ord == Equal,
            Ord6::Ne => ord != Equal,
            Ord6::Lt => ord == Less,
            Ord6::Le => ord != Greater,
            Ord6::Gt => ord == Greater,
            Ord6::Ge => ord != Less,
        }
    }
}

/// An HS code or an inclusive range of codes of the same length
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HsPattern {
    /// A chapter, heading or subheading
    One(Hs),
    /// `72..83`
    Range(Hs, Hs),
}

/// What a field is tested against, with every value already typed
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// A vocabulary code is one of these (sorted)
    SymIn(Vec<u8>),
    /// A list of codes contains one of these
    SymHas(Vec<u8>),
    /// A string is one of these
    StrIn(Vec<String>),
    /// A list of strings contains one of these
    StrHas(Vec<String>),
    /// A string starts with one of these
    StrPrefix(Vec<String>),
    /// A place is one of these exactly
    PlaceIs(Vec<Place>),
    /// A place lies within one of these
    PlaceWithin(Vec<Place>),
    /// An HS code is exactly one of these
    HsIs(Vec<Hs>),
    /// An HS code lies within one of these
    HsWithin(Vec<HsPattern>),
    /// A number compared with a number
    Num(Ord6, Decimal),
    /// A date compared with a date
    Date(Ord6, NaiveDate),
    /// Money compared with money in the same currency
    Money(Ord6, Decimal, [u8; 3]),
    /// Compared with another field of the same type (false when either is missing)
    Field(FieldOp, Access),
}

/// How a field is compared with another field of the same type
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldOp {
    /// `==` (`!=` is its negation), or an order for numbers, dates and money
    Ord(Ord6),
    /// `within`: a place within a place, an HS code within a heading or chapter
    /// (`not within` is its negation)
    Within,
}

impl FieldOp {
    /// The operator as written
    pub fn as_str(self) -> &'static str {
        match self {
            FieldOp::Ord(o) => o.as_str(),
            FieldOp::Within => "within",
        }
    }
}

/// A quantifier over a list
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    /// Some element satisfies the body
    Any,
    /// Every element satisfies it (true for an empty list)
    All,
    /// No element satisfies it
    None,
}

/// A compiled condition
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// Always this
    Const(bool),
    /// All of these
    And(Vec<Cond>),
    /// One of these
    Or(Vec<Cond>),
    /// Not this
    Not(Box<Cond>),
    /// A quantifier over a list, binding slot `var`
    Quant {
        /// any, all or none
        quantifier: Quantifier,
        /// The list
        list: ListRef,
        /// The slot bound to each element
        var: usize,
        /// The condition on the element
        body: Box<Cond>,
    },
    /// The number of elements satisfying `body`, compared with `n`
    Count {
        /// The list
        list: ListRef,
        /// The slot
        var: usize,
        /// The condition
        body: Box<Cond>,
        /// The comparison
        op: Ord6,
        /// The number
        n: i64,
    },
    /// The field is present (a list: non-empty)
    Exists(Access),
    /// The field passes the test (false when the field is missing)
    Cmp(Access, Test),
}

/// A reason template, split into text and values to fill in
#[derive(Clone, Debug, Default)]
pub struct Template {
    /// The parts in order
    pub parts: Vec<TemplatePart>,
}

/// A part of a reason template
#[derive(Clone, Debug)]
pub enum TemplatePart {
    /// Text as written
    Text(String),
    /// A field's value; with several accesses, the first whose variable is bound
    Field(Vec<Access>),
    /// A bound element itself, `goods[0]`; the first of these slots that is bound
    Elem(Vec<usize>),
}

/// An example inside a rule file, compiled
#[derive(Clone, Debug)]
pub struct TestCase {
    /// Its name
    pub name: String,
    /// Its file
    pub file: FileId,
    /// Its span
    pub span: Span,
    /// The record (None when it could not be read; the checker reported it)
    pub record: Option<Transaction>,
    /// What is expected, on which days
    pub expects: Vec<Expectation>,
}

/// One expectation of a test
#[derive(Clone, Debug)]
pub struct Expectation {
    /// The day to judge on (else the record's own date)
    pub on: Option<NaiveDate>,
    /// The verdict expected
    pub level: Level,
    /// The rules expected to fire, exactly, when given
    pub rules: Option<Vec<String>>,
    /// Where it is written
    pub span: Span,
}

/// Where a program names a value: `rule ID`, `exception ID` or `test "NAME"`
pub type NamedBy = String;

impl Program {
    /// Every HS code the program names, sorted and deduplicated: in the conditions of rules and
    /// exceptions (both ends of a range) and in the goods of test records
    pub fn hs_codes(&self) -> Vec<Hs> {
        let mut codes: Vec<Hs> = self.hs_codes_named().into_iter().map(|(h, _)| h).collect();
        codes.dedup();
        codes
    }

    /// Every place the program names, sorted by code and deduplicated: in the conditions of
    /// rules and exceptions and in test records
    pub fn places(&self) -> Vec<Place> {
        let mut places: Vec<Place> = self.places_named().into_iter().map(|(p, _)| p).collect();
        places.dedup();
        places
    }

    /// Every HS code the program names, with the item naming it; sorted, deduplicated pairs
    pub fn hs_codes_named(&self) -> Vec<(Hs, NamedBy)> {
        let mut out = Vec::new();
        self.walk_values(&mut |value, by| {
            if let Value::Hs(h) = value {
                out.push((*h, by.to_string()));
            }
        });
        out.sort();
        out.dedup();
        out
    }

    /// Every place the program names, with the item naming it; sorted, deduplicated pairs
    pub fn places_named(&self) -> Vec<(Place, NamedBy)> {
        let mut out = Vec::new();
        self.walk_values(&mut |value, by| {
            if let Value::Place(p) = value {
                out.push((*p, by.to_string()));
            }
        });
        out.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
        out.dedup();
        out
    }

    fn walk_values(&self, f: &mut dyn FnMut(Value<'_>, &str)) {
        for rule in &self.rules {
            walk_cond(&rule.cond, &format!("rule {}", rule.id), f);
        }
        for exc in &self.exceptions {
            walk_cond(&exc.cond, &format!("exception {}", exc.id), f);
        }
        for case in &self.tests {
            let Some(t) = &case.record else { continue };
            let by = format!("test {:?}", case.name);
            let places = [
                t.origin.as_ref(),
                t.destination.as_ref(),
                t.location.as_ref(),
            ]
            .into_iter()
            .flatten()
            .chain(&t.transit)
            .chain(t.parties.iter().filter_map(|p| p.country.as_ref()))
            .chain(t.vessels.iter().filter_map(|v| v.flag.as_ref()));
            for p in places {
                f(Value::Place(p), &by);
            }
            for h in t.goods.iter().filter_map(|g| g.hs.as_ref()) {
                f(Value::Hs(h), &by);
            }
        }
    }
}

/// A typed value found by `Program::walk_values`
enum Value<'a> {
    Hs(&'a Hs),
    Place(&'a Place),
}

fn walk_cond(cond: &Cond, by: &str, f: &mut dyn FnMut(Value<'_>, &str)) {
    match cond {
        Cond::Const(_) | Cond::Exists(_) => {}
        Cond::And(all) | Cond::Or(all) => all.iter().for_each(|c| walk_cond(c, by, f)),
        Cond::Not(body) | Cond::Quant { body, .. } | Cond::Count { body, .. } => {
            walk_cond(body, by, f);
        }
        Cond::Cmp(_, test) => match test {
            Test::PlaceIs(places) | Test::PlaceWithin(places) => {
                places.iter().for_each(|p| f(Value::Place(p), by));
            }
            Test::HsIs(codes) => codes.iter().for_each(|h| f(Value::Hs(h), by)),
            Test::HsWithin(patterns) => {
                for pattern in patterns {
                    match pattern {
                        HsPattern::One(h) => f(Value::Hs(h), by),
                        HsPattern::Range(lo, hi) => {
                            f(Value::Hs(lo), by);
                            f(Value::Hs(hi), by);
                        }
                    }
                }
            }
            Test::SymIn(_)
            | Test::SymHas(_)
            | Test::StrIn(_)
            | Test::StrHas(_)
            | Test::StrPrefix(_)
            | Test::Num(..)
            | Test::Date(..)
            | Test::Money(..)
            | Test::Field(..) => {}
        },
    }
}

#[cfg(test)]
mod tests;
