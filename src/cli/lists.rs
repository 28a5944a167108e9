//! `embargo lists show`, `search`, `diff` and `update`: read list files (format detected from their
//! content) and print their counts, the entries matching a name, or what changed between two versions;
//! download the UN list into the cache.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::args::{IdArg, ListArgs, ListsFormat, NameSchema};
use super::cache;
use super::exit::Exit;
use super::names;
use super::output::{self, say};
use embargo::lists::{self, Candidate, Format, IdKind, ListCatalog, ListDiff};
use embargo::provenance::{HashingReader, ListVersion};
use embargo::report;

/// The official UN Security Council Consolidated List, XML
pub const UN_URL: &str = "https://scsanctions.un.org/resources/xml/en/consolidated.xml";

/// The largest body `lists update` accepts (the real list is about 2 MB)
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Runs `lists show`; with no file, the cached UN list
pub fn show(files: &[PathBuf], cache_dir: Option<&Path>, format: ListsFormat) -> Result<Exit> {
    if files.is_empty() {
        let dir = cache::dir(cache_dir)?;
        let Some((file, meta)) = cache::cached(&dir) else {
            say!(
                "embargo: no list in the cache ({}): run `embargo lists update` first",
                dir.display()
            );
            return Ok(Exit::Failed);
        };
        say!(
            "embargo: cached copy of {}, downloaded {}",
            meta.url,
            meta.downloaded_at
        );
        return show(&[file], None, format);
    }
    let mut skipped = false;
    for (name, catalog) in load(files)? {
        match format {
            ListsFormat::Human => output::print(&report::lists::summary(&name, &catalog))?,
            ListsFormat::Json => output::print(&format!(
                "{}\n",
                report::lists::summary_json(&name, &catalog)
            ))?,
        }
        for problem in &catalog.problems {
            say!("embargo: {name}: {problem}");
        }
        skipped |= !catalog.problems.is_empty();
    }
    Ok(if skipped { Exit::Found } else { Exit::Clean })
}

/// Runs `lists search`: exit 1 when an entry was found
pub fn search(
    files: &[PathBuf],
    query: &str,
    schema: NameSchema,
    limit: usize,
    format: ListsFormat,
    id: Option<IdArg>,
) -> Result<Exit> {
    let catalogs = load(files)?;
    report_problems(&catalogs);
    let mut found: Vec<(&str, Candidate)> = Vec::new();
    for (name, catalog) in &catalogs {
        let candidates = match id {
            None => catalog.search(query, names::schema(schema), limit),
            Some(kind) => {
                let kind = match kind {
                    IdArg::Reference => IdKind::Reference,
                    IdArg::Document => IdKind::Document,
                    IdArg::Imo => IdKind::Imo,
                };
                catalog
                    .search_id(kind, query)
                    .into_iter()
                    .filter_map(|entry| catalog.candidate(entry, query))
                    .collect()
            }
        };
        found.extend(candidates.into_iter().map(|c| (name.as_str(), c)));
    }
    found.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    found.truncate(limit);
    match format {
        ListsFormat::Human => output::print(&report::lists::candidates_table(query, &found))?,
        ListsFormat::Json => output::print(&format!(
            "{}\n",
            report::lists::candidates_json(query, &found)
        ))?,
    }
    Ok(if found.is_empty() {
        Exit::Clean
    } else {
        Exit::Found
    })
}

/// Runs `lists diff`: exit 1 when the versions differ
pub fn diff(old: &Path, new: &Path, format: ListsFormat) -> Result<Exit> {
    let mut catalogs = load(&[old.to_path_buf()])?;
    catalogs.extend(load(&[new.to_path_buf()])?);
    report_problems(&catalogs);
    let [(_, old_catalog), (_, new_catalog)] = catalogs.as_slice() else {
        bail!("lists diff takes one list file for each version");
    };
    let diff = ListDiff::new(old_catalog, new_catalog);
    match format {
        ListsFormat::Human => output::print(&report::lists::diff_text(
            &old.display().to_string(),
            &new.display().to_string(),
            &diff,
        ))?,
        ListsFormat::Json => output::print(&format!("{}\n", report::lists::diff_json(&diff)))?,
    }
    let same = diff.added.is_empty() && diff.removed.is_empty() && diff.changed.is_empty();
    Ok(if same { Exit::Clean } else { Exit::Found })
}

/// List files read: each file's name and catalog, and the version of each file (provenance)
pub type Versioned = (Vec<(String, ListCatalog)>, Vec<ListVersion>);

/// The lists `screen` and `explain` use: the files of `--list`, else the cached UN list (none
/// with `--no-lists`, or when nothing is cached); what is used is said on stderr. With them, the
/// version (date, SHA-256 of the bytes read) of each file read, for `--provenance`
pub fn for_screening(args: &ListArgs) -> Result<Versioned> {
    if args.no_lists {
        return Ok(Default::default());
    }
    if !args.lists.is_empty() {
        let catalogs = load_versioned(&args.lists)?;
        report_problems(&catalogs.0);
        return Ok(catalogs);
    }
    let dir = cache::dir(args.cache_dir.as_deref())?;
    let Some((file, meta)) = cache::cached(&dir) else {
        say!(
            "embargo: no sanctions list: parties are judged only by the `ids.un_ref` they carry \
(run `embargo lists update` to download the UN list, or give --list FILE)"
        );
        return Ok(Default::default());
    };
    say!(
        "embargo: screening parties against the cached UN list of {} (downloaded {})",
        meta.date_generated,
        meta.downloaded_at
    );
    let catalogs = load_versioned(&[file])?;
    report_problems(&catalogs.0);
    Ok(catalogs)
}

/// Reads list files: each file's name and catalog; OFAC's alt.csv and add.csv are read with
/// their sdn.csv and give no catalog of their own
fn load(files: &[PathBuf]) -> Result<Vec<(String, ListCatalog)>> {
    Ok(load_versioned(files)?.0)
}

/// As `load`, with the version of each file read: its name as findings give it, its date and the
/// SHA-256 of the bytes the reader parsed (provenance)
fn load_versioned(files: &[PathBuf]) -> Result<Versioned> {
    let mut detected = Vec::new();
    for path in files {
        detected.push((path.as_path(), detect(path)?));
    }
    let companion = |wanted: Format| -> Result<Option<&Path>> {
        let mut found = detected.iter().filter(|(_, f)| *f == wanted);
        let first = found.next().map(|(p, _)| *p);
        if found.next().is_some() {
            bail!("more than one {} given", wanted.as_str());
        }
        Ok(first)
    };
    let alt = companion(Format::OfacAlt)?;
    let add = companion(Format::OfacAdd)?;
    if (alt.is_some() || add.is_some()) && !detected.iter().any(|(_, f)| *f == Format::OfacSdn) {
        bail!("alt.csv and add.csv are read with their sdn.csv: give sdn.csv too");
    }
    let mut catalogs = Vec::new();
    let mut versions = Vec::new();
    for (path, format) in &detected {
        let name = path.display().to_string();
        if matches!(format, Format::OfacAlt | Format::OfacAdd) {
            continue;
        }
        // Hashed as parsed: provenance names the bytes the list was read from.
        let mut main = HashingReader::new(open(path)?);
        let mut companions = Vec::new();
        let catalog = match format {
            Format::UnXml => lists::read_un_xml(&mut main),
            Format::Vessels => lists::read_vessels(&mut main),
            Format::OfacSdn | Format::OfacAlt | Format::OfacAdd => {
                let hashed = |p: &Path| open(p).map(|r| (p.to_path_buf(), HashingReader::new(r)));
                let mut alt = alt.map(hashed).transpose()?;
                let mut add = add.map(hashed).transpose()?;
                let catalog = lists::read_ofac_sdn(
                    &mut main,
                    alt.as_mut().map(|(_, r)| r as &mut dyn std::io::Read),
                    add.as_mut().map(|(_, r)| r as &mut dyn std::io::Read),
                );
                companions.extend(alt.into_iter().chain(add));
                catalog
            }
        };
        let catalog = catalog.with_context(|| format!("cannot read {name}"))?;
        versions.push(version(path, catalog.date.clone(), main)?);
        for (companion, read) in companions {
            versions.push(version(&companion, None, read)?);
        }
        catalogs.push((name, catalog));
    }
    Ok((catalogs, versions))
}

/// The version of the list file at `path` that `read` has read: the rest is read, so that the
/// hash covers the whole file
fn version(
    path: &Path,
    generated: Option<String>,
    read: HashingReader<BufReader<File>>,
) -> Result<ListVersion> {
    let sha256 = read
        .finish()
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(ListVersion {
        name: embargo::provenance::list_name(&path.display().to_string()),
        generated,
        sha256,
    })
}

fn report_problems(catalogs: &[(String, ListCatalog)]) {
    for (name, catalog) in catalogs {
        for problem in &catalog.problems {
            say!("embargo: {name}: {problem}");
        }
    }
}

/// Runs `lists update`: download, validate, and keep as the last good copy
pub fn update(url: Option<&str>, cache_dir: Option<&Path>) -> Result<Exit> {
    let url = url.unwrap_or(UN_URL);
    let dir = cache::dir(cache_dir)?;
    let agent = agent(url)?;
    let result = download(&agent, url).and_then(|xml| validate(&xml).map(|c| (xml, c)));
    let (xml, catalog) = match result {
        Ok(ok) => ok,
        Err(why) => {
            say!("embargo: lists update: {url}: {why}");
            return Ok(match cache::cached(&dir) {
                Some((file, meta)) => {
                    say!(
                        "embargo: kept the last good copy: {} (generated {}, downloaded {})",
                        file.display(),
                        meta.date_generated,
                        meta.downloaded_at
                    );
                    Exit::Found
                }
                None => {
                    say!("embargo: there is no good copy in {} yet", dir.display());
                    Exit::Failed
                }
            });
        }
    };
    let meta = cache::Meta {
        url: url.to_string(),
        date_generated: catalog.date.unwrap_or_default(),
        downloaded_at: now(),
        entries: catalog.entries.len(),
    };
    let file = cache::store(&dir, &xml, &meta)?;
    output::print(&format!(
        "updated {}\n: generated {}, {} entries",
        file.display(),
        meta.date_generated,
        meta.entries
    ))?;
    Ok(Exit::Clean)
}

/// An HTTP agent for `url`: HTTPS only (redirects included), except plain HTTP to this machine
fn agent(url: &str) -> Result<ureq::Agent> {
    let uri: ureq::http::Uri = url
        .parse()
        .with_context(|| format!("`{url}` is not a URL"))?;
    let loopback = match (uri.scheme_str(), uri.host()) {
        (Some("https"), Some(_)) => false,
        (Some("http"), Some("127.0.0.1" | "localhost" | "[::1]")) => true,
        (Some("http"), Some(_)) => bail!(
            "refusing plain http for `{url}`: lists are downloaded over https (plain http only to 127.0.0.1, localhost or [::1])"
        ),
        _ => bail!("`{url}` is not an https URL"),
    };
    let config = ureq::Agent::config_builder()
        .https_only(!loopback)
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .user_agent(concat!("embargo/", env!("CARGO_PKG_VERSION")));
    // A proxy from the environment must not see requests meant for this machine.
    let config = if loopback { config.proxy(None) } else { config };
    Ok(config.build().new_agent())
}

fn download(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, String> {
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| format!("download failed: {e}"))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| format!("download failed while reading the body: {e}"))
}

/// The downloaded file must parse as the UN list, carry its date and list at least one entry
fn validate(xml: &[u8]) -> Result<ListCatalog, String> {
    let invalid = |why: String| format!("the download is not a valid UN Consolidated List: {why}");
    if lists::detect(xml) != Some(Format::UnXml) {
        return Err(invalid("no CONSOLIDATED_LIST root element".to_string()));
    }
    let catalog = lists::read_un_xml(xml).map_err(|e| invalid(e.to_string()))?;
    if catalog.date.is_none() {
        return Err(invalid("no dateGenerated".to_string()));
    }
    if catalog.entries.is_empty() {
        return Err(invalid("no entries".to_string()));
    }
    Ok(catalog)
}

/// The current time, RFC 3339 in UTC: `lists update` records when it downloaded
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map_or_else(
            || "unknown".to_string(),
            |t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
}

fn open(path: &Path) -> Result<BufReader<File>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(BufReader::new(file))
}

fn detect(path: &Path) -> Result<Format> {
    let mut reader = open(path)?;
    let head = reader
        .fill_buf()
        .with_context(|| format!("cannot read {}", path.display()))?;
    lists::detect(head).with_context(|| {
        format!(
            "{}: not a list file: expected UN XML (CONSOLIDATED_LIST), OFAC sdn.csv/alt.csv/add.csv, or the vessels CSV",
            path.display()
        )
    })
}
