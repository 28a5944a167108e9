//! The closed vocabularies of the record format (spec/records.md), as small integer codes.

/// A closed vocabulary of the record format
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Vocab {
    /// `activity`
    Activity,
    /// `services[]`
    Service,
    /// `parties[].role`
    Role,
    /// `parties[].kind`
    PartyKind,
    /// `goods[].categories[]`
    Category,
    /// `goods[].unit`
    Unit,
    /// `vessels[].role`
    VesselRole,
}

/// `activity` values
pub const ACTIVITIES: &[&str] = &[
    "trade",
    "payment",
    "financing",
    "service",
    "employment",
    "investment",
    "vessel_operation",
    "travel",
];
/// `services` values
pub const SERVICES: &[&str] = &[
    "technical_assistance",
    "training",
    "financial",
    "insurance",
    "brokering",
    "bunkering",
    "crewing",
    "chartering",
    "flagging",
    "classification",
    "ship_to_ship_transfer",
    "port_services",
    "scientific_cooperation",
    "construction",
    "labour",
    "fishing_rights",
    "maintenance",
    "transport",
];
/// `parties[].role` values
pub const ROLES: &[&str] = &[
    "buyer",
    "seller",
    "exporter",
    "importer",
    "consignee",
    "end_user",
    "supplier",
    "manufacturer",
    "broker",
    "payer",
    "payee",
    "bank",
    "employer",
    "worker",
    "owner",
    "operator",
    "charterer",
    "insurer",
    "investor",
    "partner",
    "traveller",
    "provider",
    "recipient",
];
/// `parties[].kind` values
pub const PARTY_KINDS: &[&str] = &["individual", "entity", "government", "organization"];
/// `goods[].categories` values
pub const CATEGORIES: &[&str] = &[
    "arms",
    "small_arms",
    "heavy_arms",
    "luxury",
    "dual_use",
    "nuclear",
    "missile",
    "chemical",
    "biological",
    "aviation_fuel",
];
/// `goods[].unit` values
pub const UNITS: &[&str] = &["bbl", "t", "kg", "l", "m3", "pcs", "usd"];
/// `vessels[].role` values
pub const VESSEL_ROLES: &[&str] = &["carrier", "receiving", "transferring"];

/// The code of `arms` in `CATEGORIES`; `small_arms` and `heavy_arms` imply it
pub const CATEGORY_ARMS: u8 = 0;
/// The code of `entity` in `PARTY_KINDS`, the default kind
pub const KIND_ENTITY: u8 = 1;

impl Vocab {
    /// Its values, in code order
    pub fn values(self) -> &'static [&'static str] {
        match self {
            Vocab::Activity => ACTIVITIES,
            Vocab::Service => SERVICES,
            Vocab::Role => ROLES,
            Vocab::PartyKind => PARTY_KINDS,
            Vocab::Category => CATEGORIES,
            Vocab::Unit => UNITS,
            Vocab::VesselRole => VESSEL_ROLES,
        }
    }

    /// The name used in messages and set types
    pub fn name(self) -> &'static str {
        match self {
            Vocab::Activity => "activity",
            Vocab::Service => "service",
            Vocab::Role => "role",
            Vocab::PartyKind => "kind",
            Vocab::Category => "category",
            Vocab::Unit => "unit",
            Vocab::VesselRole => "vessel_role",
        }
    }

    /// What a value of it is, in user words: `an activity (one of trade, payment, ...)`
    pub fn expected(self) -> String {
        let what = match self {
            Vocab::Activity => "an activity",
            Vocab::Service => "a service",
            Vocab::Role => "a role",
            Vocab::PartyKind => "a kind of party",
            Vocab::Category => "a category",
            Vocab::Unit => "a unit",
            Vocab::VesselRole => "a vessel role",
        };
        format!("{what} (one of {})", self.values().join(", "))
    }

    /// The code of a value (case-sensitive), if it is in the vocabulary
    pub fn code(self, value: &str) -> Option<u8> {
        // Length and first byte first: most values are told apart without comparing the text.
        let first = value.as_bytes().first();
        self.values()
            .iter()
            .position(|v| v.len() == value.len() && v.as_bytes().first() == first && *v == value)
            .and_then(|i| u8::try_from(i).ok())
    }

    /// The value of a code
    pub fn value(self, code: u8) -> &'static str {
        self.values().get(usize::from(code)).copied().unwrap_or("?")
    }

    /// Every vocabulary
    pub const ALL: [Vocab; 7] = [
        Vocab::Activity,
        Vocab::Service,
        Vocab::Role,
        Vocab::PartyKind,
        Vocab::Category,
        Vocab::Unit,
        Vocab::VesselRole,
    ];
}
