//! Sanctions lists: the UN Consolidated List (XML), OFAC's SDN files (CSV) and designated vessels (CSV), read into one `ListCatalog`.
//!
//! Every reader streams from `impl BufRead`/`impl Read`; nothing here opens a file or prints.
//! An entry with a bad field is skipped and recorded in `ListCatalog::problems`; a file that
//! cannot be parsed at all (malformed XML, an unreadable CSV record) is an `Err`.

pub mod diff;
mod err;
pub mod formats;
pub mod snapshot;

use std::collections::BTreeMap;

pub use diff::ListDiff;
pub use err::ListError;
pub use formats::{Format, detect, read_ofac_sdn, read_un_xml, read_vessels};
pub use snapshot::Snapshot;

/// The entries of one list file (or of OFAC's three files), in file order
#[derive(Debug, Default)]
pub struct ListCatalog {
    /// The layout it was read from
    pub format: Option<Format>,
    /// The date the list was generated, as written (`dateGenerated` of the UN XML); none for OFAC
    pub date: Option<String>,
    /// The entries read
    pub entries: Vec<ListEntry>,
    /// Entries that were skipped or companion rows that could not be attached, one error each
    pub problems: Vec<ListError>,
}

/// What a list entry designates
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    /// A natural person
    Individual,
    /// A company, group or other body
    Entity,
    /// A ship
    Vessel,
    /// An aircraft (OFAC only)
    Aircraft,
}

impl EntryKind {
    /// The lower-case word used in output
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Individual => "individual",
            EntryKind::Entity => "entity",
            EntryKind::Vessel => "vessel",
            EntryKind::Aircraft => "aircraft",
        }
    }
}

/// One designated person, entity or vessel
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// Individual, entity, vessel or aircraft
    pub kind: EntryKind,
    /// The list's own id: UN reference number (`KPe.001`), OFAC `ent_num`, or the vessel's IMO number
    pub reference: String,
    /// The sanctions regime or list type: UN `UN_LIST_TYPE` (`DPRK`), OFAC program (`SDGT`), vessel regime
    pub list_type: String,
    /// The name parts in order (UN FIRST_NAME to FOURTH_NAME; one part for OFAC and vessels)
    pub name_parts: Vec<String>,
    /// The name in its original script (UN `NAME_ORIGINAL_SCRIPT`)
    pub original_script: Option<String>,
    /// Aliases with their quality
    pub aliases: Vec<Alias>,
    /// Dates of birth as written (`1971`, `1984-01-01`, `1950-1955`)
    pub dates_of_birth: Vec<String>,
    /// Places of birth (`city, state, country` with the empty parts left out)
    pub places_of_birth: Vec<String>,
    /// Nationalities
    pub nationalities: Vec<String>,
    /// Identity documents
    pub documents: Vec<Document>,
    /// Addresses (parts joined with `, `)
    pub addresses: Vec<String>,
    /// The date of listing or designation, `YYYY-MM-DD`
    pub listed_on: Option<String>,
    /// The narrative (UN `COMMENTS1`, OFAC remarks)
    pub comments: Option<String>,
    /// The IMO number of a vessel
    pub imo: Option<String>,
    /// The flag of a vessel
    pub flag: Option<String>,
    /// The legal basis of a designation (vessels)
    pub legal_basis: Option<String>,
}

/// An alias of a list entry
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The quality as the list writes it: UN `Good`, `Low`, `a.k.a.`, `f.k.a.`; OFAC `aka`, `fka`, `nka`
    pub quality: String,
    /// The alias
    pub name: String,
}

/// An identity document of an individual
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// The type (`Passport`, `National Identification Number`)
    pub kind: String,
    /// The number
    pub number: String,
    /// The issuing country
    pub country: String,
}

impl ListEntry {
    /// An entry of this kind with nothing else set, to fill in (a list built by a program)
    pub fn new(kind: EntryKind) -> Self {
        ListEntry {
            kind,
            reference: String::new(),
            list_type: String::new(),
            name_parts: Vec::new(),
            original_script: None,
            aliases: Vec::new(),
            dates_of_birth: Vec::new(),
            places_of_birth: Vec::new(),
            nationalities: Vec::new(),
            documents: Vec::new(),
            addresses: Vec::new(),
            listed_on: None,
            comments: None,
            imo: None,
            flag: None,
            legal_basis: None,
        }
    }

    /// The list types of the entry: OFAC joins several programs with `] [`
    pub fn list_types(&self) -> impl Iterator<Item = &str> {
        self.list_type.split("] [").map(str::trim)
    }

    /// The name parts joined by spaces
    pub fn name(&self) -> String {
        self.name_parts.join(" ")
    }
}

impl ListCatalog {
    /// The number of entries per list type (regime, program), sorted by list type; an OFAC entry
    /// under several programs (`CYBER2] [CAATSA - RUSSIA`) counts once under each
    pub fn count_by_list_type(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for entry in &self.entries {
            for list_type in entry.list_types() {
                *counts.entry(list_type).or_insert(0) += 1;
            }
        }
        counts
    }

    /// The number of entries per kind
    pub fn count_by_kind(&self) -> BTreeMap<EntryKind, usize> {
        let mut counts = BTreeMap::new();
        for entry in &self.entries {
            *counts.entry(entry.kind).or_insert(0) += 1;
        }
        counts
    }

    /// The number of aliases over all entries
    pub fn alias_count(&self) -> usize {
        self.entries.iter().map(|e| e.aliases.len()).sum()
    }

    /// The entry with this reference, if any
    pub fn find(&self, reference: &str) -> Option<&ListEntry> {
        self.entries.iter().find(|e| e.reference == reference)
    }
}
