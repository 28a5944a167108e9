//! A record's tree (`locate::Node`, from JSON or YAML) read into the raw record of
//! `transaction`, with every problem of its shape placed in the text: unknown fields (with the
//! closest known name), missing ones, values of the wrong kind. `transaction` then checks the
//! values.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::locate::{Entry, Node, Pos, Value};
use super::transaction::{
    Num, RawAuthorization, RawItem, RawMoney, RawParty, RawRecord, RawVessel, Text, Transaction,
    exact_decimal,
};
use super::vocab::Vocab;

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

    fn texts(
        &mut self,
        f: &Fields<'_>,
        name: &str,
        expected: &str,
        each: &str,
    ) -> Vec<Text<'static>> {
        let strings = self.strings(f, name, expected, each);
        strings.into_iter().map(Text::from).collect()
    }

    fn decimal(&mut self, field: String, node: &Node) -> Decimal {
        // Read from the text exactly, as the fast way reads it (`1.50` keeps its places); a YAML
        // number that is not written as digits with a point or an exponent by YAML's own reading.
        let parsed = match &node.value {
            Value::Number(t)
            | Value::Str {
                text: t,
                plain: false,
            } => exact_decimal(t),
            Value::Str { text, plain: true } => {
                exact_decimal(text).or_else(|| serde_yaml::from_str::<Decimal>(text).ok())
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

    fn money(&mut self, field: String, node: &Node) -> RawMoney<'static> {
        let Some(f) = self.fields(field, node, MONEY_FIELDS, "an amount of money") else {
            return RawMoney {
                amount: Num(Decimal::ZERO),
                currency: String::from("USD").into(),
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
        RawMoney {
            amount: Num(amount),
            currency: currency.into(),
        }
    }

    fn opt_money(&mut self, f: &Fields<'_>, name: &str) -> Option<RawMoney<'static>> {
        let node = f.get(name).filter(|n| !n.is_null())?;
        Some(self.money(f.sub(name), node))
    }

    fn party(&mut self, path: String, node: &Node) -> RawParty<'static> {
        let mut party = RawParty {
            role: Text::default(),
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
        party.role = self.required(&f, "role", &Vocab::Role.expected()).into();
        party.name = self.required(&f, "name", "the party's name as text");
        party.kind = self
            .optional(&f, "kind", &Vocab::PartyKind.expected())
            .map(Text::from);
        party.country = self.optional(&f, "country", PLACE_WORDS).map(Text::from);
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

    fn item(&mut self, path: String, node: &Node) -> RawItem<'static> {
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
        item.hs = self.optional(&f, "hs", HS_WORDS).map(Text::from);
        item.categories = self.texts(
            &f,
            "categories",
            "a list of categories such as [\"arms\"]",
            &Vocab::Category.expected(),
        );
        item.quantity = f
            .get("quantity")
            .filter(|n| !n.is_null())
            .map(|n| Num(self.decimal(f.sub("quantity"), n)));
        item.unit = self
            .optional(&f, "unit", &Vocab::Unit.expected())
            .map(Text::from);
        item.value = self.opt_money(&f, "value");
        item
    }

    fn vessel(&mut self, path: String, node: &Node) -> RawVessel<'static> {
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
        vessel.flag = self.optional(&f, "flag", PLACE_WORDS).map(Text::from);
        vessel.role = self
            .optional(&f, "role", &Vocab::VesselRole.expected())
            .map(Text::from);
        vessel
    }

    fn authorization(&mut self, path: String, node: &Node) -> RawAuthorization<'static> {
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
        auth.date = self
            .optional(&f, "date", "a date YYYY-MM-DD")
            .map(Text::from);
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

    fn record(
        &mut self,
        node: &Node,
        meta: Option<serde_json::Value>,
    ) -> Option<RawRecord<'static>> {
        let f = self.fields(String::new(), node, RECORD_FIELDS, "the record")?;
        let id = self.required(&f, "id", "your own key for the record, as text");
        let date = self.required(&f, "date", "a date YYYY-MM-DD").into();
        let activity = self
            .required(&f, "activity", &Vocab::Activity.expected())
            .into();
        let description = self
            .optional(&f, "description", "free text")
            .map(Text::from);
        let parties = self
            .list(&f, "parties", "a list of parties")
            .into_iter()
            .map(|(path, n)| self.party(path, n))
            .collect();
        let origin = self.optional(&f, "origin", PLACE_WORDS).map(Text::from);
        let destination = self
            .optional(&f, "destination", PLACE_WORDS)
            .map(Text::from);
        let transit = self.texts(
            &f,
            "transit",
            "a list of places such as [\"CN\", \"RU\"]",
            PLACE_WORDS,
        );
        let location = self.optional(&f, "location", PLACE_WORDS).map(Text::from);
        let goods = self
            .list(&f, "goods", "a list of items of goods")
            .into_iter()
            .map(|(path, n)| self.item(path, n))
            .collect();
        let services = self.texts(
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
            transit: transit.into(),
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

/// An HS code, in user words, without `expected`
pub(super) const HS_WORDS: &str = "an HS code of 2 to 10 digits such as \"930690\"";

/// A place, in user words, without `expected`
pub(super) const PLACE_WORDS: &str =
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
