//! Reading list files into catalogs, with the version of each file (its SHA-256 as parsed), and
//! [`Lists`]: the loaded lists and their matcher in one value, the small interface a program
//! that embeds embargo screens with.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use self_cell::self_cell;
use thiserror::Error;

use crate::ir::{Access, Cond, PartyField, Program, Test, VesselField};
use crate::model::{Designation, Party, Transaction, Vessel};
use crate::provenance::{HashingReader, ListVersion, list_name};
use crate::screening::lists::{
    self, Format, ListCatalog, ListError, Snapshot, read_ofac_sdn, read_un_xml, read_vessels,
};
use crate::screening::matching::{ListMatcher, listed};

/// A list entry a party or vessel was found to be: the list, the entry, the score, its strength
/// and the reasons
pub type Match = Designation;

/// Why list files could not be loaded: nothing is loaded then (a list that cannot be read stops
/// the run, it is never screened against in part)
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file could not be opened or read
    #[error("cannot read {path}: {error}")]
    Io {
        /// The file
        path: PathBuf,
        /// Why (in the message, so not also its source)
        error: std::io::Error,
    },
    /// A file is in none of the layouts embargo reads
    #[error(
        "{path}: not a list file: expected UN XML (CONSOLIDATED_LIST), OFAC sdn.csv/alt.csv/add.csv, or the vessels CSV"
    )]
    NotAList {
        /// The file
        path: PathBuf,
    },
    /// A file could not be parsed
    #[error("cannot read {path}: {error}")]
    List {
        /// The file
        path: PathBuf,
        /// The parser's error (in the message, so not also its source)
        error: ListError,
    },
    /// OFAC's companion files were given wrongly (twice, or without their sdn.csv)
    #[error("{0}")]
    Companions(String),
    /// A list has no entries: screening against it would clear everyone
    #[error("{path}: the list has no entries: refusing to screen against an empty list")]
    Empty {
        /// The file
        path: PathBuf,
    },
}

/// The catalogs read from list files (each with the file's name as given) and the version of
/// every file read
pub type Versioned = (Vec<(String, ListCatalog)>, Vec<ListVersion>);

fn open(path: &Path) -> Result<BufReader<File>, LoadError> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|error| LoadError::Io {
            path: path.to_path_buf(),
            error,
        })
}

/// The layout of the list file at `path`, from its first bytes
pub fn detect_file(path: &Path) -> Result<Format, LoadError> {
    let mut reader = open(path)?;
    let head = reader.fill_buf().map_err(|error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    lists::detect(head).ok_or_else(|| LoadError::NotAList {
        path: path.to_path_buf(),
    })
}

/// Reads list files, each in the layout its first bytes show: each file's name and catalog, and
/// the version (date, SHA-256 of the bytes parsed) of every file. OFAC's alt.csv and add.csv
/// are read with their sdn.csv and give no catalog of their own. Entries skipped for a bad
/// field are in each catalog's `problems`; an empty list is not an error here ([`Lists::load`]
/// refuses it).
pub fn read_files(files: &[PathBuf]) -> Result<Versioned, LoadError> {
    let mut detected = Vec::new();
    for path in files {
        detected.push((path.as_path(), detect_file(path)?));
    }
    let companion = |wanted: Format| -> Result<Option<&Path>, LoadError> {
        let mut found = detected.iter().filter(|(_, f)| *f == wanted);
        let first = found.next().map(|(p, _)| *p);
        if found.next().is_some() {
            return Err(LoadError::Companions(format!(
                "more than one {} given",
                wanted.as_str()
            )));
        }
        Ok(first)
    };
    let alt = companion(Format::OfacAlt)?;
    let add = companion(Format::OfacAdd)?;
    if (alt.is_some() || add.is_some()) && !detected.iter().any(|(_, f)| *f == Format::OfacSdn) {
        return Err(LoadError::Companions(
            "alt.csv and add.csv are read with their sdn.csv: give sdn.csv too".into(),
        ));
    }
    let mut catalogs = Vec::new();
    let mut versions = Vec::new();
    for (path, format) in &detected {
        if matches!(format, Format::OfacAlt | Format::OfacAdd) {
            continue;
        }
        // Hashed as parsed: provenance names the bytes the list was read from.
        let mut main = HashingReader::new(open(path)?);
        let mut companions = Vec::new();
        let catalog = match format {
            Format::UnXml => read_un_xml(&mut main),
            Format::Vessels => read_vessels(&mut main),
            Format::OfacSdn | Format::OfacAlt | Format::OfacAdd => {
                let hashed = |p: &Path| open(p).map(|r| (p.to_path_buf(), HashingReader::new(r)));
                let mut alt = alt.map(hashed).transpose()?;
                let mut add = add.map(hashed).transpose()?;
                let catalog = read_ofac_sdn(
                    &mut main,
                    alt.as_mut().map(|(_, r)| r as &mut dyn Read),
                    add.as_mut().map(|(_, r)| r as &mut dyn Read),
                );
                companions.extend(alt.into_iter().chain(add));
                catalog
            }
        };
        let catalog = catalog.map_err(|error| LoadError::List {
            path: path.to_path_buf(),
            error,
        })?;
        versions.push(version(path, catalog.date.clone(), main)?);
        for (companion, read) in companions {
            versions.push(version(&companion, None, read)?);
        }
        catalogs.push((path.display().to_string(), catalog));
    }
    Ok((catalogs, versions))
}

/// The version of the list file at `path` that `read` has read: the rest is read, so that the
/// hash covers the whole file
fn version(
    path: &Path,
    generated: Option<String>,
    read: HashingReader<BufReader<File>>,
) -> Result<ListVersion, LoadError> {
    let sha256 = read.finish().map_err(|error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    Ok(ListVersion {
        name: list_name(&path.display().to_string()),
        generated,
        sha256,
    })
}

/// The list types rules look for in `p.listed` and `v.listed`
pub fn listed_types(program: &Program) -> Vec<&str> {
    fn collect<'p>(cond: &'p Cond, out: &mut Vec<&'p str>) {
        match cond {
            Cond::And(parts) | Cond::Or(parts) => parts.iter().for_each(|p| collect(p, out)),
            Cond::Not(inner) => collect(inner, out),
            Cond::Quant { body, .. } | Cond::Count { body, .. } => collect(body, out),
            Cond::Cmp(
                Access::Party(_, PartyField::Listed) | Access::Vessel(_, VesselField::Listed),
                Test::StrHas(values),
            ) => out.extend(values.iter().map(String::as_str)),
            _ => {}
        }
    }
    let mut wanted = Vec::new();
    for rule in &program.rules {
        collect(&rule.cond, &mut wanted);
    }
    wanted
}

/// What a [`Lists`] owns: the catalogs read from files and the dated snapshots of a list
struct Owned {
    catalogs: Vec<(String, ListCatalog)>,
    snapshots: Option<(String, Vec<Snapshot>)>,
}

self_cell!(
    /// The lists and the matcher that borrows them, built once
    struct Cell {
        owner: Owned,
        #[not_covariant]
        dependent: ListMatcher,
    }
);

/// Sanctions lists loaded for screening, with their name indexes built: the interface a program
/// embedding embargo screens parties and vessels with.
///
/// ```
/// use chrono::NaiveDate;
/// use embargo::{EntryKind, ListCatalog, ListEntry, Lists, Party};
///
/// // A list built by a program (`Lists::load` reads files in the UN and OFAC layouts).
/// let mut entry = ListEntry::new(EntryKind::Entity);
/// entry.reference = "KPe.999".into();
/// entry.list_type = "DPRK".into();
/// entry.name_parts = vec!["Ocean Maritime Management".into()];
/// entry.listed_on = Some("2014-07-28".into());
/// let catalog = ListCatalog { entries: vec![entry], ..Default::default() };
/// let lists = Lists::new(vec![("un.xml".into(), catalog)]);
///
/// let party = Party::named("Ocean Maritime Management Co");
/// let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
/// let found = lists.screen(&party, day);
/// assert_eq!(found[0].reference, "KPe.999");
/// // Not listed yet on that day: no match.
/// let before = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
/// assert!(lists.screen(&party, before).is_empty());
/// ```
pub struct Lists {
    cell: Cell,
    versions: Vec<ListVersion>,
}

impl std::fmt::Debug for Lists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lists")
            .field("names", &self.names())
            .field("versions", &self.versions)
            .finish()
    }
}

impl Default for Lists {
    fn default() -> Self {
        Lists::new(Vec::new())
    }
}

impl Lists {
    /// Reads the list files (UN XML, OFAC sdn.csv with its alt.csv and add.csv, the vessels
    /// CSV; the layout from the content) and indexes them. Fails when a file cannot be read or
    /// parsed, or a list has no entries; entries skipped for a bad field are in
    /// [`Lists::catalogs`]' `problems`.
    pub fn load(files: &[PathBuf]) -> Result<Lists, LoadError> {
        Lists::from_read(read_files(files)?)
    }

    /// The lists [`read_files`] read, refused when one has no entries (a caller that reports
    /// the entries skipped, as the command line does, reads first and reports, then calls this)
    pub fn from_read((catalogs, versions): Versioned) -> Result<Lists, LoadError> {
        if let Some((name, _)) = catalogs.iter().find(|(_, c)| c.entries.is_empty()) {
            return Err(LoadError::Empty {
                path: PathBuf::from(name),
            });
        }
        Ok(Lists::with_versions(catalogs, None, versions))
    }

    /// Lists built by a program, each named (the name of its file, say); no versions
    pub fn new(catalogs: Vec<(String, ListCatalog)>) -> Lists {
        Lists::with_versions(catalogs, None, Vec::new())
    }

    /// Catalogs, and dated snapshots of one list under a label (the cached UN list), with the
    /// versions of the files they were read from
    pub fn with_versions(
        catalogs: Vec<(String, ListCatalog)>,
        snapshots: Option<(String, Vec<Snapshot>)>,
        versions: Vec<ListVersion>,
    ) -> Lists {
        let owned = Owned {
            catalogs,
            snapshots,
        };
        let cell = Cell::new(owned, |owned| {
            let mut matcher = ListMatcher::new();
            for (name, catalog) in &owned.catalogs {
                // The same name as provenance gives the list.
                matcher.add(list_name(name), catalog);
            }
            if let Some((label, snapshots)) = &owned.snapshots
                && !snapshots.is_empty()
            {
                matcher.add_snapshots(label.clone(), snapshots);
            }
            matcher
        });
        Lists { cell, versions }
    }

    /// The list entries `party` is found to be as of `date`, strongest first, one per entry
    /// (entries listed after `date` are left out)
    pub fn screen(&self, party: &Party, date: NaiveDate) -> Vec<Match> {
        self.cell
            .with_dependent(|_, matcher| matcher.party_on(party, date))
    }

    /// The list entries `vessel` is found to be as of `date`, strongest first
    pub fn screen_vessel(&self, vessel: &Vessel, date: NaiveDate) -> Vec<Match> {
        self.cell
            .with_dependent(|_, matcher| matcher.vessel_on(vessel, date))
    }

    /// Fills in the designations of every party and vessel of a record, as of its date
    pub fn annotate(&self, t: &mut Transaction) {
        self.cell.with_dependent(|_, matcher| matcher.annotate(t));
    }

    /// Runs `f` with the matcher of these lists (what the batch pipeline and the evaluator use)
    pub fn with_matcher<R>(&self, f: impl for<'a> FnOnce(&ListMatcher<'a>) -> R) -> R {
        self.cell.with_dependent(|_, matcher| f(matcher))
    }

    /// The catalogs read from files, each with its file's name
    pub fn catalogs(&self) -> &[(String, ListCatalog)] {
        &self.cell.borrow_owner().catalogs
    }

    /// The labels the lists are named by in findings (`list.NAME`)
    pub fn names(&self) -> Vec<String> {
        self.with_matcher(|m| m.names().into_iter().map(str::to_string).collect())
    }

    /// The version (date, SHA-256) of every file read
    pub fn versions(&self) -> &[ListVersion] {
        &self.versions
    }

    /// Whether no list is loaded
    pub fn is_empty(&self) -> bool {
        self.with_matcher(|m| m.is_empty())
    }

    /// The files (as named when loaded) whose entries no rule of `program` reads through
    /// `p.listed` or `v.listed`: their matches give only `list.NAME` findings. The UN list is
    /// always read (`p.ids.un_ref`).
    pub fn unread_by(&self, program: &Program) -> Vec<&str> {
        let wanted = listed_types(program);
        self.catalogs()
            .iter()
            .filter(|(_, catalog)| {
                catalog.format != Some(Format::UnXml)
                    && !catalog.entries.iter().any(|e| {
                        listed(catalog.format, e)
                            .iter()
                            .any(|l| wanted.contains(&l.as_str()))
                    })
            })
            .map(|(name, _)| name.as_str())
            .collect()
    }
}
