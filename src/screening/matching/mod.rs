//! Screening a record's parties and vessels against sanctions lists: each party or vessel gets
//! the list entries it is found to be (`model::Designation`), strongest first, which the
//! evaluator then reads as alternatives of it (`p.ids.un_ref`, `p.listed`, `v.listed`).
//!
//! A party matches an entry:
//! - by identifier, exactly after normalisation (letters and digits, case folded): `ids.un_ref`
//!   against the entry's reference, `ids.passport`, `ids.national_id` (and any other key naming a
//!   document) against its documents; a vessel by `imo` against the entry's IMO number;
//! - by name, through the list's name index (`lists::NameIndex`): the party's name against the
//!   entry's name, original-script name and aliases, with the schema of the party's kind.
//!
//! A name match is then corroborated or contradicted (the reasons go into `Designation::why`):
//! - kind: a party given as an individual against an entity, or as an entity, government or
//!   organization against an individual, multiplies the score by [`KIND_CONTRADICTED`];
//! - country: when both the party's country and the entry's countries (nationalities, addresses,
//!   places of birth, flag) are known, a party country among them moves the score a fraction
//!   [`COUNTRY_CORROBORATES`] of the way to 1 (a score below strong stays below it,
//!   [`CORROBORATED_WEAK_CAP`]); none among them multiplies it by [`COUNTRY_CONTRADICTED`];
//! - date of birth and nationality (from the party's `ids`): agreeing, as a country;
//!   contradicting, multiplied by [`BIRTH_CONTRADICTED`] or [`NATIONALITY_CONTRADICTED`];
//! - a person's name of one or two parts frequent in the list (`Kim Chol`): at most
//!   [`FREQUENT_ONLY_CAP`] (weak) unless a date of birth or a nationality agrees;
//! - a list name of one part against a name of several: multiplied by [`ONE_PART_OF_MANY`];
//! - alias quality: a match on an alias the list marks `Low` is multiplied by
//!   [`LOW_QUALITY_ALIAS`].
//!
//! The strength comes from the adjusted score with the thresholds of `names`: below
//! `names::THRESHOLD` the match is dropped. Only individual and entity entries are matched with
//! parties, only vessel entries with vessels.
//!
//! Dates ([`ListMatcher::annotate`]): an entry matches a record only from its listing date
//! (`LISTED_ON`, the designation date of a vessel) on: a record dated earlier gets no match from
//! it, not even a weak one. A list kept in dated snapshots ([`ListMatcher::add_snapshots`]) is
//! screened, for each record, in the snapshot in force on the record's date (the newest
//! generated on or before it, else the newest), read and indexed the first time a record needs
//! it; an entry removed from the list is absent from the snapshots generated after its removal,
//! so it matches only records dated before then.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use chrono::NaiveDate;

use crate::model::{Designation, Party, Place, Transaction, Vessel};
use crate::screening::index::normalize_id;
use crate::screening::index::{Candidate, IdKind, NameIndex};
use crate::screening::lists::snapshot::Snapshot;
use crate::screening::lists::{EntryKind, Format, ListCatalog, ListEntry};
use crate::screening::names::normalize::parts;
use crate::screening::names::{STRONG, Schema, Strength};

mod evidence;
mod timeline;
use evidence::*;
pub use evidence::{frequent_only, listed};
use timeline::{Timeline, Use};

/// How many candidates of the right kind a name search keeps, best first, before corroboration
const CANDIDATES: usize = 10;

/// Score factor for a contradicted kind (a person's name matching a company's)
pub const KIND_CONTRADICTED: f64 = 0.9;

/// Share of the distance to 1 that a corroborating country adds
pub const COUNTRY_CORROBORATES: f64 = 0.4;

/// Score factor for a contradicted country: an exact name becomes weak
pub const COUNTRY_CONTRADICTED: f64 = 0.9;

/// Score factor when the list name that matched is a single part and the record's name has
/// more (`Hassan` against `Kim Hassan`): a name sharing one common part is weak evidence
pub const ONE_PART_OF_MANY: f64 = 0.9;

/// The highest score corroboration (country, date of birth, nationality) gives a name match
/// below `names::STRONG`: it may make a weak match likelier, never strong
pub const CORROBORATED_WEAK_CAP: f64 = 0.91;

/// The highest score of a person's name made only of parts frequent in the list (a common
/// given name and a common surname: `Kim Chol`, `Ali Hassan`; one or two parts) unless a date of birth or a
/// nationality corroborates it: weak at most
pub const FREQUENT_ONLY_CAP: f64 = 0.91;

/// Score factor for a contradicted date of birth (no year in common)
pub const BIRTH_CONTRADICTED: f64 = 0.85;

/// Score factor for a contradicted nationality
pub const NATIONALITY_CONTRADICTED: f64 = 0.9;

/// Keys of `Party::ids` read as the party's date of birth (`1971`, `1971-03-05`)
const BIRTH_KEYS: &[&str] = &["date_of_birth", "dob", "birth_date", "born"];

/// Keys of `Party::ids` read as the party's nationality (an ISO 3166 code or an English name)
const NATIONALITY_KEYS: &[&str] = &["nationality", "citizenship"];

/// Score factor for a match on an alias the list marks as of low quality (UN `Low`): such
/// aliases are broad (a single common name) by the list's own account
pub const LOW_QUALITY_ALIAS: f64 = 0.9;

/// One list, indexed for screening
#[derive(Debug)]
struct Indexed<'a> {
    label: String,
    catalog: &'a ListCatalog,
    un: bool,
    person: NameIndex<'a>,
    company: NameIndex<'a>,
    vessel: NameIndex<'a>,
    references: HashMap<String, Vec<usize>>,
    documents: HashMap<String, Vec<usize>>,
    imos: HashMap<String, Vec<usize>>,
    /// The countries of each entry, by position
    countries: Vec<Vec<[u8; 2]>>,
    /// The listing date of each entry, by position (`None`: not given, in force always)
    listed_on: Vec<Option<NaiveDate>>,
    /// Name searches already made, by schema and name: a batch names the same counterparties
    /// again and again, and a search is a pure function of the name
    searched: RwLock<Searched>,
}

/// The tables of `Indexed` by entry, made beside its name indexes
struct ByEntry {
    references: HashMap<String, Vec<usize>>,
    documents: HashMap<String, Vec<usize>>,
    imos: HashMap<String, Vec<usize>>,
    countries: Vec<Vec<[u8; 2]>>,
    listed_on: Vec<Option<NaiveDate>>,
}

/// Remembered name searches: (schema, name) to its candidates
type Searched = HashMap<(Schema, String), Arc<[Candidate]>>;

/// How many searches a list remembers before it forgets them all (bounds memory)
const REMEMBERED: usize = 65_536;

/// The lists a batch is screened against, indexed once; shared across threads
#[derive(Debug, Default)]
pub struct ListMatcher<'a> {
    lists: Vec<Indexed<'a>>,
    timelines: Vec<Timeline<'a>>,
}

impl<'a> ListMatcher<'a> {
    /// A matcher with no list: it finds nothing
    pub fn new() -> Self {
        ListMatcher {
            lists: Vec::new(),
            timelines: Vec::new(),
        }
    }

    /// Adds a list; `label` names it in findings (the file name, say). Builds its name indexes
    /// (spread over rayon's pool: not to be called holding a lock a job of the pool may want).
    pub fn add(&mut self, label: impl Into<String>, catalog: &'a ListCatalog) {
        self.lists.push(Indexed::new(label.into(), catalog, true));
    }

    /// Adds a list kept in dated snapshots, sorted oldest first; `label` names it in findings,
    /// with the day of the snapshot used. Nothing is read or indexed until a record needs a
    /// snapshot ([`ListMatcher::annotate`]).
    pub fn add_snapshots(&mut self, label: impl Into<String>, snapshots: &'a [Snapshot]) {
        self.timelines.push(Timeline {
            label: label.into(),
            snapshots,
            days: snapshots.iter().map(|s| s.day).collect(),
            indexed: snapshots.iter().map(|_| OnceLock::new()).collect(),
            failure: Mutex::new(None),
        });
    }

    /// The first snapshot that could not be read when a record needed it, and why: the
    /// records screened without it have no match from that list, so the run has failed
    pub fn failure(&self) -> Option<String> {
        self.timelines
            .iter()
            .find_map(|t| t.failure.lock().ok().and_then(|f| f.clone()))
    }

    /// The snapshots records were screened against so far, per list: its label and the
    /// `dateGenerated` of each
    pub fn snapshots_used(&self) -> Vec<(String, Vec<String>)> {
        self.timelines
            .iter()
            .map(|t| {
                let used = t
                    .snapshots
                    .iter()
                    .zip(&t.indexed)
                    .filter(|(_, indexed)| indexed.get().is_some_and(Option::is_some))
                    .map(|(s, _)| s.generated.clone())
                    .collect();
                (t.label.clone(), used)
            })
            .collect()
    }

    /// The names of the lists, as `list.NAME` findings and `--list-verdict` name them
    pub fn names(&self) -> Vec<&str> {
        self.lists
            .iter()
            .map(|l| crate::model::designation::list_name(&l.label))
            .chain(self.timelines.iter().map(|t| t.label.as_str()))
            .collect()
    }

    /// Whether there is no list
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty() && self.timelines.is_empty()
    }

    /// Whether any list is the UN Consolidated List (whose matches give `p.ids.un_ref`); a list
    /// kept in snapshots is the UN list of the cache
    pub fn has_un_list(&self) -> bool {
        self.lists.iter().any(|l| l.un) || !self.timelines.is_empty()
    }

    /// Fills in the designations of every party and vessel of `t`, as of its date: entries
    /// listed after it are left out, and a list kept in snapshots is read in the snapshot in
    /// force on that date (each designation from it says which, in `why`)
    pub fn annotate(&self, t: &mut Transaction) {
        // Nothing to look up: no list, or no party or vessel (the snapshot choice and its notes
        // are not worth making).
        if self.is_empty() || (t.parties.is_empty() && t.vessels.is_empty()) {
            return;
        }
        let lists = self.lists_on(Some(t.date));
        for party in &mut t.parties {
            party.designations = Self::party_in(&lists, party, Some(t.date));
        }
        for vessel in &mut t.vessels {
            vessel.designations = Self::vessel_in(&lists, vessel, Some(t.date));
        }
    }

    /// The lists to screen a record of `date` against; without a date, the newest snapshots
    fn lists_on(&self, date: Option<NaiveDate>) -> Vec<Use<'_, 'a>> {
        let mut lists: Vec<Use<'_, 'a>> = self
            .lists
            .iter()
            .map(|list| Use {
                list,
                note: None,
                except: None,
                removed_in: None,
            })
            .collect();
        for timeline in &self.timelines {
            lists.extend(timeline.on(date.unwrap_or(NaiveDate::MAX), date.is_some()));
        }
        lists
    }

    /// The designations of a party, strongest first, one per list entry, whatever the dates
    /// (the newest snapshot of a list kept in snapshots)
    pub fn party(&self, party: &Party) -> Vec<Designation> {
        Self::party_in(&self.lists_on(None), party, None)
    }

    /// The designations of a vessel, strongest first, one per list entry, whatever the dates
    /// (the newest snapshot of a list kept in snapshots)
    pub fn vessel(&self, vessel: &Vessel) -> Vec<Designation> {
        Self::vessel_in(&self.lists_on(None), vessel, None)
    }

    /// The designations of a party as of `date`, strongest first, one per list entry: entries
    /// listed after `date` are left out, and a list kept in snapshots is read in the snapshot in
    /// force on `date` (as [`ListMatcher::annotate`] does for each party of a record)
    pub fn party_on(&self, party: &Party, date: NaiveDate) -> Vec<Designation> {
        Self::party_in(&self.lists_on(Some(date)), party, Some(date))
    }

    /// The designations of a vessel as of `date`, as [`ListMatcher::party_on`]
    pub fn vessel_on(&self, vessel: &Vessel, date: NaiveDate) -> Vec<Designation> {
        Self::vessel_in(&self.lists_on(Some(date)), vessel, Some(date))
    }

    /// The designations of a party in `lists`, strongest first, one per list entry, as of
    /// `date` when there is one
    fn party_in(lists: &[Use<'_, 'a>], party: &Party, date: Option<NaiveDate>) -> Vec<Designation> {
        let mut found = Vec::new();
        for list in lists.iter().map(|u| u.list) {
            for (key, value) in &party.ids {
                let (map, matched_by, id_kind) = match key.as_str() {
                    "un_ref" => (&list.references, "un_ref", IdKind::Reference),
                    k if is_document_key(k) => (&list.documents, k, IdKind::Document),
                    _ => continue,
                };
                for &i in map.get(&normalize_id(id_kind, value)).into_iter().flatten() {
                    let Some(entry) = list.catalog.entries.get(i) else {
                        continue;
                    };
                    if !is_person_or_entity(entry.kind) || !list.in_force(i, date) {
                        continue;
                    }
                    let matched = if matched_by == "un_ref" {
                        entry.reference.clone()
                    } else {
                        entry
                            .documents
                            .iter()
                            .find(|d| {
                                normalize_id(IdKind::Document, &d.number)
                                    == normalize_id(IdKind::Document, value)
                            })
                            .map(|d| format!("{} {}", d.kind, d.number))
                            .unwrap_or_default()
                    };
                    found.push((i, list.exact(entry, matched_by, value, matched)));
                }
            }
            if party.name.trim().is_empty() {
                continue;
            }
            let kind = crate::model::Vocab::PartyKind.value(party.kind);
            let schemas: &[Schema] = match (party.kind_given, kind) {
                (true, "individual") => &[Schema::Person],
                (true, _) => &[Schema::Company],
                // Without a kind, the name is read both ways.
                (false, _) => &[Schema::Person, Schema::Company],
            };
            for schema in schemas {
                let index = match schema {
                    Schema::Person => &list.person,
                    _ => &list.company,
                };
                for c in list.search(index, *schema, &party.name, date).iter() {
                    let Some(entry) = list.catalog.entries.get(c.entry) else {
                        continue;
                    };
                    if !is_person_or_entity(entry.kind) {
                        continue;
                    }
                    let mut why = vec![format!(
                        "name `{}` against `{}`: {:.2}",
                        party.name, c.matched_name, c.score
                    )];
                    let mut score = c.score;
                    if party.kind_given {
                        let contradicted = match entry.kind {
                            EntryKind::Individual => kind != "individual",
                            _ => kind == "individual",
                        };
                        if contradicted {
                            score *= KIND_CONTRADICTED;
                            why.push(format!(
                                "kind contradicts: the party is {} {kind}, the entry {} {}",
                                article(kind),
                                article(entry.kind.as_str()),
                                entry.kind.as_str()
                            ));
                        }
                    }
                    // Date of birth and nationality, when both sides give them
                    let birth = party_value(party, BIRTH_KEYS)
                        .and_then(|ours| birth_agrees(ours, &entry.dates_of_birth));
                    let nationality = party_value(party, NATIONALITY_KEYS)
                        .and_then(|ours| nationality_agrees(ours, &entry.nationalities));
                    let corroborated = birth == Some(true) || nationality == Some(true);
                    if *schema == Schema::Person
                        && !corroborated
                        && score > FREQUENT_ONLY_CAP
                        && frequent_only(index, &party.name)
                    {
                        score = FREQUENT_ONLY_CAP;
                        why.push(
                            "every part of the name is frequent in the list (a common given name \
                             and surname): weak at most without a date of birth or nationality"
                                .to_string(),
                        );
                    }
                    score = list.by_country(c.entry, party.country, score, &mut why);
                    match birth {
                        Some(true) => {
                            score = corroborate(score);
                            why.push(format!(
                                "date of birth corroborates (the entry's: {})",
                                entry.dates_of_birth.join(", ")
                            ));
                        }
                        Some(false) => {
                            score *= BIRTH_CONTRADICTED;
                            why.push(format!(
                                "date of birth contradicts (the entry's: {})",
                                entry.dates_of_birth.join(", ")
                            ));
                        }
                        None => {}
                    }
                    match nationality {
                        Some(true) => {
                            score = corroborate(score);
                            why.push(format!(
                                "nationality corroborates (the entry's: {})",
                                entry.nationalities.join(", ")
                            ));
                        }
                        Some(false) => {
                            score *= NATIONALITY_CONTRADICTED;
                            why.push(format!(
                                "nationality contradicts (the entry's: {})",
                                entry.nationalities.join(", ")
                            ));
                        }
                        None => {}
                    }
                    if let Some(d) =
                        list.by_name(entry, (&party.name, *schema), &c.matched_name, score, why)
                    {
                        found.push((c.entry, d));
                    }
                }
            }
        }
        Use::finish(lists, &mut found);
        strongest_per_entry(found)
    }

    /// The designations of a vessel in `lists`, strongest first, one per list entry, as of
    /// `date` when there is one
    fn vessel_in(
        lists: &[Use<'_, 'a>],
        vessel: &Vessel,
        date: Option<NaiveDate>,
    ) -> Vec<Designation> {
        let mut found = Vec::new();
        for list in lists.iter().map(|u| u.list) {
            if let Some(imo) = &vessel.imo {
                for &i in list
                    .imos
                    .get(&normalize_id(IdKind::Imo, imo))
                    .into_iter()
                    .flatten()
                {
                    let Some(entry) = list.catalog.entries.get(i) else {
                        continue;
                    };
                    if !list.in_force(i, date) {
                        continue;
                    }
                    let matched = format!("IMO {}", entry.imo.as_deref().unwrap_or_default());
                    found.push((i, list.exact(entry, "imo", imo, matched)));
                }
            }
            let Some(name) = vessel.name.as_deref().filter(|n| !n.trim().is_empty()) else {
                continue;
            };
            for c in list.search(&list.vessel, Schema::Vessel, name, date).iter() {
                let Some(entry) = list.catalog.entries.get(c.entry) else {
                    continue;
                };
                if entry.kind != EntryKind::Vessel {
                    continue;
                }
                let mut why = vec![format!(
                    "name `{name}` against `{}`: {:.2}",
                    c.matched_name, c.score
                )];
                let mut score = c.score;
                // Two vessels with IMO numbers are the same vessel only if the numbers agree.
                if let (Some(theirs), Some(ours)) = (&entry.imo, &vessel.imo)
                    && normalize_id(IdKind::Imo, theirs) != normalize_id(IdKind::Imo, ours)
                {
                    continue;
                }
                score = list.by_country(c.entry, vessel.flag, score, &mut why);
                if let Some(d) =
                    list.by_name(entry, (name, Schema::Vessel), &c.matched_name, score, why)
                {
                    found.push((c.entry, d));
                }
            }
        }
        Use::finish(lists, &mut found);
        strongest_per_entry(found)
    }
}

impl<'a> Indexed<'a> {
    /// Indexes a list; `label` names it in findings
    /// With `parallel`, on rayon's pool; else on this thread (see `NameIndex::for_each_schema`)
    fn new(label: String, catalog: &'a ListCatalog, parallel: bool) -> Self {
        let indexes = || NameIndex::for_each_schema(catalog, parallel);
        let ([person, company, vessel], by_entry) = if parallel {
            // The name indexes, and (on another thread when there is one) the rest
            rayon::join(indexes, || Self::by_entry(catalog))
        } else {
            (indexes(), Self::by_entry(catalog))
        };
        let ByEntry {
            references,
            documents,
            imos,
            countries,
            listed_on,
        } = by_entry;
        let label = match &catalog.date {
            // `dateGenerated` is a timestamp; its day is enough to name the version.
            Some(date) => format!("{label} ({})", date.get(..10).unwrap_or(date)),
            None => label,
        };
        Indexed {
            label,
            catalog,
            un: catalog.format == Some(Format::UnXml),
            person,
            company,
            vessel,
            references,
            documents,
            imos,
            countries,
            listed_on,
            searched: RwLock::new(HashMap::new()),
        }
    }

    /// The entries by reference, document number and IMO number; the countries and listing
    /// date of each entry
    fn by_entry(catalog: &'a ListCatalog) -> ByEntry {
        let mut references: HashMap<String, Vec<usize>> = HashMap::new();
        let mut documents: HashMap<String, Vec<usize>> = HashMap::new();
        let mut imos: HashMap<String, Vec<usize>> = HashMap::new();
        let mut countries = Vec::with_capacity(catalog.entries.len());
        // Addresses repeat a few hundred country names tens of thousands of times: each
        // distinct text is read once
        let mut known: HashMap<&'a str, Vec<[u8; 2]>> = HashMap::new();
        for (i, entry) in catalog.entries.iter().enumerate() {
            references
                .entry(normalize_id(IdKind::Reference, &entry.reference))
                .or_default()
                .push(i);
            for d in &entry.documents {
                let number = normalize_id(IdKind::Document, &d.number);
                if !number.is_empty() {
                    documents.entry(number).or_default().push(i);
                }
            }
            if let Some(imo) = &entry.imo {
                imos.entry(normalize_id(IdKind::Imo, imo))
                    .or_default()
                    .push(i);
            }
            countries.push(entry_countries(entry, &mut known));
        }
        let listed_on = catalog
            .entries
            .iter()
            .map(|e| {
                e.listed_on
                    .as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            })
            .collect();
        ByEntry {
            references,
            documents,
            imos,
            countries,
            listed_on,
        }
    }

    /// Whether entry `i` is in force on `date`: listed on or before it (an entry without a
    /// listing date always is; so is every entry when there is no date)
    fn in_force(&self, i: usize, date: Option<NaiveDate>) -> bool {
        match (date, self.listed_on.get(i)) {
            (Some(day), Some(Some(listed))) => *listed <= day,
            _ => true,
        }
    }

    /// The candidates of `index` for `name` among entries of the kinds `schema` screens (vessels
    /// for [`Schema::Vessel`], individuals and entities otherwise), best first, at most
    /// [`CANDIDATES`]; from memory when it was searched before. The index covers every entry, so
    /// the kind is filtered before the best are kept, never after
    ///
    /// With a `date`, entries listed after it are left out before the best are kept: the
    /// remembered candidates are filtered, and searched again when a full set lost some.
    fn search(
        &self,
        index: &NameIndex<'_>,
        schema: Schema,
        name: &str,
        date: Option<NaiveDate>,
    ) -> Arc<[Candidate]> {
        let found = self.search_any_date(index, schema, name);
        if found.iter().all(|c| self.in_force(c.entry, date)) {
            return found;
        }
        if found.len() < CANDIDATES {
            return found
                .iter()
                .filter(|c| self.in_force(c.entry, date))
                .cloned()
                .collect();
        }
        index
            .search(name, usize::MAX)
            .into_iter()
            .filter(|c| {
                self.in_force(c.entry, date)
                    && self
                        .catalog
                        .entries
                        .get(c.entry)
                        .is_some_and(|e| wanted(schema, e.kind))
            })
            .take(CANDIDATES)
            .collect()
    }

    /// The candidates of `index` for `name`, whatever their listing dates (see [`Self::search`])
    fn search_any_date(
        &self,
        index: &NameIndex<'_>,
        schema: Schema,
        name: &str,
    ) -> Arc<[Candidate]> {
        let key = (schema, name.to_string());
        if let Ok(memory) = self.searched.read()
            && let Some(found) = memory.get(&key)
        {
            return Arc::clone(found);
        }
        let found: Arc<[Candidate]> = index
            .search(name, usize::MAX)
            .into_iter()
            .filter(|c| {
                self.catalog
                    .entries
                    .get(c.entry)
                    .is_some_and(|e| wanted(schema, e.kind))
            })
            .take(CANDIDATES)
            .collect();
        if let Ok(mut memory) = self.searched.write() {
            if memory.len() >= REMEMBERED {
                memory.clear();
            }
            memory.insert(key, Arc::clone(&found));
        }
        found
    }

    fn exact(
        &self,
        entry: &ListEntry,
        matched_by: &str,
        value: &str,
        matched: String,
    ) -> Designation {
        Designation {
            list: self.label.clone(),
            reference: entry.reference.clone(),
            list_type: entry.list_type.clone(),
            listed_name: entry.name(),
            matched_by: matched_by.to_string(),
            matched_value: value.to_string(),
            matched,
            score: 1.0,
            strength: Strength::Exact,
            why: vec![format!("{matched_by} `{value}` is the entry's, exactly")],
            un_ref: self.un,
            listed: listed(self.catalog.format, entry),
        }
    }

    /// A name match with its final score, or `None` when corroboration left it below the
    /// threshold
    fn by_name(
        &self,
        entry: &ListEntry,
        (name, schema): (&str, Schema),
        matched: &str,
        mut score: f64,
        mut why: Vec<String>,
    ) -> Option<Designation> {
        let ours = parts(name, schema).len();
        if ours > 1 && parts(matched, schema).len() == 1 {
            score *= ONE_PART_OF_MANY;
            why.push(format!(
                "the list name is one part, the name {ours}: a common part alone is weak evidence"
            ));
        }
        let matched_by = if entry.original_script.as_deref() == Some(matched) {
            "original_script"
        } else if entry.name() == matched || entry.name_parts.iter().any(|p| p == matched) {
            "name"
        } else {
            "alias"
        };
        if matched_by == "alias"
            && entry
                .aliases
                .iter()
                .any(|a| a.name == matched && a.quality.eq_ignore_ascii_case("low"))
        {
            score *= LOW_QUALITY_ALIAS;
            why.push("a low-quality alias (the list says so)".to_string());
        }
        let strength = Strength::of(score);
        if strength == Strength::None {
            return None;
        }
        Some(Designation {
            list: self.label.clone(),
            reference: entry.reference.clone(),
            list_type: entry.list_type.clone(),
            listed_name: entry.name(),
            matched_by: matched_by.to_string(),
            matched_value: name.to_string(),
            matched: matched.to_string(),
            score: (score * 1000.0).round() / 1000.0,
            strength,
            why,
            un_ref: self.un,
            listed: listed(self.catalog.format, entry),
        })
    }

    /// The score after the country of the party (or the flag of the vessel) is weighed against
    /// the entry's countries
    fn by_country(
        &self,
        entry: usize,
        place: Option<Place>,
        score: f64,
        why: &mut Vec<String>,
    ) -> f64 {
        let (Some(place), Some(theirs)) = (place, self.countries.get(entry)) else {
            return score;
        };
        if theirs.is_empty() {
            return score;
        }
        let ours = place.country_code();
        let listed: Vec<String> = theirs
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        // A country that no longer exists agrees with the places that lay within it on some
        // day (born in `Yugoslavia`, of `RS` today), and the other way round.
        if theirs.contains(&ours) || place.dated_countries().iter().any(|c| theirs.contains(c)) {
            why.push(format!(
                "country {} corroborates (the entry's: {})",
                place.country(),
                listed.join(", ")
            ));
            corroborate(score)
        } else {
            why.push(format!(
                "country {} contradicts (the entry's: {})",
                place.country(),
                listed.join(", ")
            ));
            score * COUNTRY_CONTRADICTED
        }
    }
}

#[cfg(test)]
mod tests;
