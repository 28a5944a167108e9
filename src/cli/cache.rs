//! The list cache: where `lists update` keeps the last good copy of the UN list, and its metadata.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// The file name of the cached UN Consolidated List
pub const UN_FILE: &str = "un-consolidated.xml";
/// The file name of its metadata
pub const UN_META: &str = "un-consolidated.json";

/// What is known about the cached copy
#[derive(Debug, Serialize, Deserialize)]
pub struct Meta {
    /// The URL it was downloaded from
    pub url: String,
    /// The list's `dateGenerated`
    pub date_generated: String,
    /// When it was downloaded (RFC 3339, UTC)
    pub downloaded_at: String,
    /// The number of entries read from it
    pub entries: usize,
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

/// The platform's cache folder for embargo: XDG_CACHE_HOME or ~/.cache on Linux and other Unix,
/// ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows
fn platform_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return var("LOCALAPPDATA").map(|d| d.join("embargo").join("cache"));
    }
    if cfg!(target_os = "macos") {
        return var("HOME").map(|h| h.join("Library/Caches/embargo"));
    }
    // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
    let xdg = var("XDG_CACHE_HOME").filter(|d| d.is_absolute());
    xdg.or_else(|| var("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("embargo"))
}

/// The cached list and its metadata, when both are there
pub fn cached(dir: &Path) -> Option<(PathBuf, Meta)> {
    let file = dir.join(UN_FILE);
    let meta = fs::read(dir.join(UN_META)).ok()?;
    let meta = serde_json::from_slice(&meta).ok()?;
    file.is_file().then_some((file, meta))
}

/// Writes the list, then its metadata, each to a temporary file renamed into place, so a reader
/// never sees a half-written file
pub fn store(dir: &Path, xml: &[u8], meta: &Meta) -> Result<PathBuf> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let json = serde_json::to_vec_pretty(meta).context("cannot write the metadata")?;
    let file = dir.join(UN_FILE);
    write_atomic(&file, xml)?;
    write_atomic(&dir.join(UN_META), &json)?;
    Ok(file)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let Some(name) = path.file_name() else {
        bail!("{} is not a file name", path.display());
    };
    let mut tmp_name = name.to_os_string();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = (|| -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}
