//! Loading rule files from paths, or the embedded pack.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use embargo::source::SourceFile;

/// The files `paths` name: each file itself, and the `.rules` files under each folder; sorted
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect(path, &mut found)
                .with_context(|| format!("cannot read the folder {}", path.display()))?;
        } else if path.exists() {
            found.push(path.clone());
        } else {
            bail!("{}: no such file or folder", path.display());
        }
    }
    found.sort();
    found.dedup();
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
        return Ok(embargo::rules::embedded());
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

/// The `.rules` files under `dir`, at any depth, unsorted
pub fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rules") {
            out.push(path);
        }
    }
    Ok(())
}
