//! Loading rule files from paths, or the embedded pack.
//!
//! Folders are walked once per real folder and files kept once per real file: each is known by
//! its identity (device and inode on Unix, its canonical path elsewhere), so a symbolic link
//! loop ends and a file reached by two paths (a link, or a folder and a file in it) is read
//! once. Only regular files are read: a FIFO, a socket or a device is refused with its path,
//! from its metadata alone (opening a FIFO would block until someone writes to it).

use std::collections::HashSet;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use embargo::internals::source::SourceFile;

use super::args::RuleArgs;

/// What a file or folder is, whatever path reached it
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Identity {
    /// Device and inode
    #[cfg(unix)]
    Inode(u64, u64),
    /// The canonical path, where there are no inodes
    #[cfg(not(unix))]
    Path(PathBuf),
}

#[cfg(unix)]
fn identity(_path: &Path, meta: &Metadata) -> Result<Identity> {
    use std::os::unix::fs::MetadataExt;
    Ok(Identity::Inode(meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path, _meta: &Metadata) -> Result<Identity> {
    let real =
        std::fs::canonicalize(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Identity::Path(real))
}

/// What a path that is neither a file nor a folder is, for the message refusing it
fn kind_of(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// The files and folders seen so far
#[derive(Default)]
struct Walk {
    folders: HashSet<Identity>,
    files: HashSet<Identity>,
    found: Vec<PathBuf>,
}

impl Walk {
    /// `path`, known to exist with `meta` (links followed): a folder is walked, a regular file
    /// kept; anything else is refused
    fn visit(&mut self, path: &Path, meta: &Metadata, only_rules: bool) -> Result<()> {
        if meta.is_dir() {
            return self.folder(path, meta);
        }
        if only_rules && path.extension().is_none_or(|e| e != "rules") {
            return Ok(());
        }
        if !meta.is_file() {
            bail!(
                "{}: {}: rule files must be regular files",
                path.display(),
                kind_of(meta)
            );
        }
        if self.files.insert(identity(path, meta)?) {
            self.found.push(path.to_path_buf());
        }
        Ok(())
    }

    /// The `.rules` files under `dir`, unless it was walked already (through a link)
    fn folder(&mut self, dir: &Path, meta: &Metadata) -> Result<()> {
        if !self.folders.insert(identity(dir, meta)?) {
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .and_then(|entries| entries.map(|e| e.map(|e| e.path())).collect())
            .with_context(|| format!("cannot read the folder {}", dir.display()))?;
        entries.sort();
        for path in entries {
            match std::fs::metadata(&path) {
                Ok(meta) => self.visit(&path, &meta, true)?,
                // A link that leads nowhere (or around in a loop) is only an error where a
                // rule file was expected.
                Err(e) if path.extension().is_some_and(|x| x == "rules") => {
                    return Err(e).with_context(|| format!("cannot read {}", path.display()));
                }
                Err(_) => {}
            }
        }
        Ok(())
    }
}

/// The files `paths` name: each file itself, and the `.rules` files under each folder, each
/// real file once; sorted
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut walk = Walk::default();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                bail!("{}: no such file or folder", path.display())
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        walk.visit(path, &meta, false)?;
    }
    let mut found = walk.found;
    found.sort();
    Ok(found)
}

/// The rule files under `paths` (files, or folders searched for `.rules`), sorted by path;
/// with no path, `./rules` if it exists, else the embedded pack
pub fn rule_files(paths: &[PathBuf], default_to_local: bool) -> Result<Vec<SourceFile>> {
    if paths.is_empty() {
        let local = Path::new("rules");
        if default_to_local && local.is_dir() {
            return rule_files(&[local.to_path_buf()], false);
        }
        return Ok(embargo::internals::rules::embedded());
    }
    let found = expand(paths)?;
    if found.is_empty() {
        bail!(
            "no .rules file found under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    found
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Ok(SourceFile::new(p.display().to_string(), text))
        })
        .collect()
}

/// The files of a pack to judge by: the embedded pack with the files of `--rules` added, or
/// with `--no-default-rules` those files alone
pub fn pack_files(rules: &RuleArgs) -> Result<Vec<SourceFile>> {
    if rules.no_default_rules {
        if rules.rules.is_empty() {
            bail!("--no-default-rules leaves no rule to judge by: give the rules with --rules");
        }
        return rule_files(&rules.rules, false);
    }
    let mut files = embargo::internals::rules::embedded();
    if !rules.rules.is_empty() {
        files.extend(rule_files(&rules.rules, false)?);
    }
    Ok(files)
}
