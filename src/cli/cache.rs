//! The list cache: the dated snapshots of the UN list that `lists update` keeps, their metadata,
//! the lock that serializes updates, and the checks made on every load.
//!
//! Layout (docs/lists.md): `DIR/un/YYYY-MM-DD.xml` with `DIR/un/YYYY-MM-DD.json` beside it, one
//! pair per `dateGenerated` day, and `DIR/un/.lock`. The layout before snapshots
//! (`DIR/un-consolidated.xml` and `.json`) is still read, as one snapshot, when `DIR/un/` holds
//! none; the next update replaces it.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use fs4::fs_std::FileExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use embargo::internals::screening::lists::{self, ListCatalog};

/// The file name of the cached UN list before snapshots (read when there is no snapshot)
pub const UN_FILE: &str = "un-consolidated.xml";
/// The file name of its metadata
pub const UN_META: &str = "un-consolidated.json";
/// The folder of the UN list's snapshots, in the cache folder
pub const UN_DIR: &str = "un";
/// The lock file of the snapshots folder
const LOCK: &str = ".lock";

/// What is known about a cached copy; checked against the copy on every load
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The URL it was downloaded from
    pub url: String,
    /// The list's `dateGenerated`
    pub date_generated: String,
    /// When it was downloaded (RFC 3339, UTC)
    pub downloaded_at: String,
    /// The number of entries read from it
    pub entries: usize,
    /// The SHA-256 of the XML, lower-case hex (absent only in the layout before snapshots)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The size of the XML in bytes (absent only in the layout before snapshots)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
}

/// One cached snapshot: its files and its metadata (not yet checked against the XML)
#[derive(Debug, Clone)]
pub struct Cached {
    /// The XML
    pub xml: PathBuf,
    /// Its metadata file
    pub meta_path: PathBuf,
    /// The metadata
    pub meta: Meta,
    /// The day it was generated
    pub day: NaiveDate,
}

/// The cache folder: `--cache-dir`, else `EMBARGO_CACHE_DIR`, else the platform's cache folder
pub fn dir(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os("EMBARGO_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    platform_dir().context(
        "cannot find a cache folder (no HOME or LOCALAPPDATA): give --cache-dir or set EMBARGO_CACHE_DIR",
    )
}

/// The platform's cache folder for embargo, as the `directories` crate finds it:
/// `$XDG_CACHE_HOME/embargo` (when absolute) or `~/.cache/embargo` on Linux and other Unix,
/// `~/Library/Caches/embargo` on macOS, `%LOCALAPPDATA%\embargo\cache` on Windows
fn platform_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from_path(PathBuf::from("embargo"))
        .map(|p| p.cache_dir().to_path_buf())
}

/// The day of a `dateGenerated` (`2026-05-08T23:00:06.922Z`): its first ten characters
pub fn day_of(generated: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(generated.get(..10)?, "%Y-%m-%d").ok()
}

/// Whether `a` was generated before `b`: as RFC 3339 times when both are, else by day
pub fn generated_before(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a < b,
        _ => day_of(a) < day_of(b),
    }
}

/// The SHA-256 of `bytes`, lower-case hex
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The cached snapshots, oldest first; `None` when nothing is cached at all. Anything else that
/// is not a complete, readable snapshot (a list without its metadata or the reverse, metadata
/// that does not parse or names another day than its file) is an error naming the file. The
/// caller holds the lock ([`lock`]).
pub fn snapshots(dir: &Path) -> Result<Option<Vec<Cached>>> {
    let folder = dir.join(UN_DIR);
    let mut found = Vec::new();
    if folder.is_dir() {
        let mut stems = std::collections::BTreeSet::new();
        for item in
            fs::read_dir(&folder).with_context(|| format!("cannot read {}", folder.display()))?
        {
            let item = item.with_context(|| format!("cannot read {}", folder.display()))?;
            let name = item.file_name().to_string_lossy().into_owned();
            // The lock, and temporary files an interrupted update left (never read).
            if name.starts_with('.') || name.contains(".tmp-") {
                continue;
            }
            match name.rsplit_once('.') {
                Some((stem, "xml" | "json")) => {
                    stems.insert(stem.to_string());
                }
                _ => bail!(
                    "{}: not a file of the list cache (expected YYYY-MM-DD.xml and YYYY-MM-DD.json)",
                    item.path().display()
                ),
            }
        }
        for stem in stems {
            let xml = folder.join(format!("{stem}.xml"));
            let meta_path = folder.join(format!("{stem}.json"));
            let cached = read_meta(xml, meta_path)?;
            if cached.day.format("%Y-%m-%d").to_string() != stem {
                bail!(
                    "{}: metadata mismatch: the file is named for {stem}, its metadata says generated {}",
                    cached.meta_path.display(),
                    cached.meta.date_generated
                );
            }
            found.push(cached);
        }
    }
    if found.is_empty() {
        let (xml, meta_path) = (dir.join(UN_FILE), dir.join(UN_META));
        if !xml.exists() && !meta_path.exists() {
            return Ok(None);
        }
        found.push(read_meta(xml, meta_path)?);
    }
    found.sort_by_key(|c| c.day);
    Ok(Some(found))
}

fn read_meta(xml: PathBuf, meta_path: PathBuf) -> Result<Cached> {
    if !xml.is_file() {
        bail!(
            "{}: the cached list is missing (its metadata {} is there)",
            xml.display(),
            meta_path.display()
        );
    }
    let text = fs::read(&meta_path).with_context(|| {
        format!(
            "{}: the metadata of the cached list {} cannot be read",
            meta_path.display(),
            xml.display()
        )
    })?;
    let meta: Meta = serde_json::from_slice(&text)
        .with_context(|| format!("{}: corrupt metadata", meta_path.display()))?;
    let Some(day) = day_of(&meta.date_generated) else {
        bail!(
            "{}: corrupt metadata: date_generated `{}` is not a date",
            meta_path.display(),
            meta.date_generated
        );
    };
    Ok(Cached {
        xml,
        meta_path,
        meta,
        day,
    })
}

/// Checks a cached snapshot's size and SHA-256 against its metadata, without parsing it; its
/// SHA-256 (computed: the layout before snapshots has none in its metadata)
pub fn verify(cached: &Cached) -> Result<String> {
    let bytes =
        fs::read(&cached.xml).with_context(|| format!("cannot read {}", cached.xml.display()))?;
    check_bytes(cached, &bytes)?;
    Ok(sha256(&bytes))
}

fn mismatch(cached: &Cached, what: String) -> anyhow::Error {
    anyhow::anyhow!(
        "{}: metadata mismatch: {what} (metadata: {})",
        cached.xml.display(),
        cached.meta_path.display()
    )
}

fn check_bytes(cached: &Cached, bytes: &[u8]) -> Result<()> {
    let meta = &cached.meta;
    if let Some(size) = meta.bytes
        && size != bytes.len() as u64
    {
        return Err(mismatch(
            cached,
            format!(
                "the file has {} bytes, the metadata says {size}",
                bytes.len()
            ),
        ));
    }
    if let Some(expected) = &meta.sha256 {
        let actual = sha256(bytes);
        if &actual != expected {
            return Err(mismatch(
                cached,
                format!("its SHA-256 is {actual}, the metadata says {expected}"),
            ));
        }
    }
    Ok(())
}

/// Reads a cached snapshot and checks it against its metadata: size, SHA-256, `dateGenerated`
/// and entry count must all agree, and it must list entries; an error names the file and what
/// differs
pub fn load(cached: &Cached) -> Result<ListCatalog> {
    let xml = &cached.xml;
    let bytes = fs::read(xml).with_context(|| format!("cannot read {}", xml.display()))?;
    check_bytes(cached, &bytes)?;
    let meta = &cached.meta;
    let mismatch = |what: String| mismatch(cached, what);
    let catalog = lists::read_un_xml(bytes.as_slice())
        .with_context(|| format!("{}: the cached list is corrupt", xml.display()))?;
    if catalog.date.as_deref() != Some(meta.date_generated.as_str()) {
        return Err(mismatch(format!(
            "it was generated {}, the metadata says {}",
            catalog.date.as_deref().unwrap_or("(no dateGenerated)"),
            meta.date_generated
        )));
    }
    if catalog.entries.len() != meta.entries {
        return Err(mismatch(format!(
            "it has {} entries, the metadata says {}",
            catalog.entries.len(),
            meta.entries
        )));
    }
    if catalog.entries.is_empty() {
        bail!("{}: the cached list has no entries", xml.display());
    }
    Ok(catalog)
}

/// Locks the snapshots folder: exclusive for an update (the folder is created), shared for a
/// reader (none when the lock file cannot be opened, as in a cache the user may only read).
/// The lock is released when the file is dropped.
pub fn lock(dir: &Path, exclusive: bool) -> Result<Option<File>> {
    let folder = dir.join(UN_DIR);
    let path = folder.join(LOCK);
    if exclusive {
        fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open the lock {}", path.display()))?;
        FileExt::lock_exclusive(&file)
            .with_context(|| format!("cannot lock {}", path.display()))?;
        return Ok(Some(file));
    }
    let Ok(file) = File::open(&path) else {
        return Ok(None);
    };
    FileExt::lock_shared(&file).with_context(|| format!("cannot lock {}", path.display()))?;
    Ok(Some(file))
}

/// Writes a snapshot: the list, then its metadata, each to a temporary file in the same folder
/// renamed into place, so a reader never sees a half-written file. The caller holds the
/// exclusive lock. The files of the layout before snapshots are removed.
pub fn store(dir: &Path, xml: &[u8], meta: &Meta) -> Result<PathBuf> {
    let Some(day) = day_of(&meta.date_generated) else {
        bail!("`{}` is not a date", meta.date_generated);
    };
    let folder = dir.join(UN_DIR);
    fs::create_dir_all(&folder).with_context(|| format!("cannot create {}", folder.display()))?;
    let json = serde_json::to_vec_pretty(meta).context("cannot write the metadata")?;
    let stem = day.format("%Y-%m-%d").to_string();
    let file = folder.join(format!("{stem}.xml"));
    write_atomic(&file, xml)?;
    write_atomic(&folder.join(format!("{stem}.json")), &json)?;
    for old in [UN_FILE, UN_META] {
        let _ = fs::remove_file(dir.join(old));
    }
    Ok(file)
}

/// Writes `bytes` to `path` whole or not at all: to a temporary file beside it (tempfile),
/// synced, then renamed over it
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let written = (|| -> std::io::Result<()> {
        let mut tmp = tempfile::NamedTempFile::new_in(folder)?;
        tmp.as_file_mut().write_all(bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    })();
    written.with_context(|| format!("cannot write {}", path.display()))
}
