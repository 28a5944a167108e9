//! Provenance: what a verdict was decided with, so that the decision can be reproduced later
//! (`screen --provenance`, `explain --provenance`, `embargo version`).
//!
//! A [`Provenance`] names the engine (this crate's version), the rule pack (its SHA-256, see
//! [`pack_sha256`]) and every list file read for screening ([`ListVersion`]: its name, its
//! generation date and the SHA-256 of its bytes as read). It is computed once per run and
//! rendered once (`report::verdicts::provenance_json`); each verdict line carries that text.
//!
//! The pack hash is defined so that anyone can recompute it with coreutils (docs/records.md,
//! "Provenance"): the SHA-256 of the manifest that `sha256sum` prints for the pack's files,
//! named by their paths relative to the pack's folder, sorted by path (bytes, as `LC_ALL=C
//! sort`):
//!
//! ```text
//! <hex SHA-256 of the file's bytes>  <relative path, `/` between folders>\n
//! ```
//!
//! one such line per file, and the pack hash is the SHA-256 of those lines joined.

use std::fmt::Write as _;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::source::SourceFile;

/// The engine's version as provenance gives it: this crate's version
pub const ENGINE: &str = env!("CARGO_PKG_VERSION");

/// What a run decided its verdicts with
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The engine's version ([`ENGINE`])
    pub engine: String,
    /// The rule pack's hash, `sha256:<hex>` ([`pack_sha256`])
    pub pack: String,
    /// Every list file read for screening, in the order read; empty when none was
    pub lists: Vec<ListVersion>,
}

/// One list file read for screening
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListVersion {
    /// The list's name as findings give it (`designation.list`): its file name
    pub name: String,
    /// When the list was generated, as the file says it (UN `dateGenerated`); `null` when the
    /// file does not say (OFAC's CSV files, the vessels CSV)
    pub generated: Option<String>,
    /// SHA-256 of the file's bytes as read, lower-case hex
    pub sha256: String,
}

impl Provenance {
    /// The provenance of a run with the rule pack of hash `pack` (`sha256:<hex>`, from
    /// [`pack_hash`]) and the lists `lists`
    pub fn new(pack: String, lists: Vec<ListVersion>) -> Self {
        Provenance {
            engine: ENGINE.to_string(),
            pack,
            lists,
        }
    }
}

/// The name findings give a list read from `path` (`designation.list`): its file name
pub fn list_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |f| f.to_string_lossy().into_owned())
}

/// The SHA-256 of `bytes`, lower-case hex
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The hash of a rule pack, lower-case hex: SHA-256 of its manifest, the lines
/// `<hex SHA-256 of the file>  <relative path>\n` sorted by relative path (as bytes; equal
/// paths by hash), which is what `sha256sum` prints for the sorted files
pub fn pack_sha256<P: AsRef<str>, B: AsRef<[u8]>>(
    files: impl IntoIterator<Item = (P, B)>,
) -> String {
    let mut lines: Vec<(P, String)> = files
        .into_iter()
        .map(|(path, bytes)| (path, sha256_hex(bytes.as_ref())))
        .collect();
    lines.sort_unstable_by(|a, b| {
        let (pa, pb) = (a.0.as_ref().as_bytes(), b.0.as_ref().as_bytes());
        pa.cmp(pb).then(a.1.cmp(&b.1))
    });
    let mut manifest = Sha256::new();
    for (path, hash) in &lines {
        manifest.update(hash.as_bytes());
        manifest.update(b"  ");
        manifest.update(path.as_ref().as_bytes());
        manifest.update(b"\n");
    }
    hex(&manifest.finalize())
}

/// The hash of the rule pack `files` read from `roots` (the `--rules` paths; none for the
/// embedded pack) as provenance gives it: `sha256:<hex>` of [`pack_sha256`], each file named by
/// [`pack_path`]
pub fn pack_hash(files: &[SourceFile], roots: &[PathBuf]) -> String {
    let hex = pack_sha256(
        files
            .iter()
            .map(|f| (pack_path(f, roots), f.text.as_bytes())),
    );
    format!("sha256:{hex}")
}

/// The path by which `file` enters the pack hash: relative to the first of `roots` (the
/// `--rules` paths) that holds it, its file name when a root is the file itself, the name after
/// `<embedded>/` for the embedded pack; `/` between folders
pub fn pack_path(file: &SourceFile, roots: &[PathBuf]) -> String {
    if let Some(rest) = file.name.strip_prefix("<embedded>/") {
        return rest.replace('\\', "/");
    }
    let path = Path::new(&file.name);
    let relative = roots.iter().find_map(|root| {
        if path == root {
            path.file_name().map(PathBuf::from)
        } else {
            path.strip_prefix(root)
                .ok()
                .filter(|r| !r.as_os_str().is_empty())
                .map(Path::to_path_buf)
        }
    });
    let relative = relative.as_deref().unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A reader that hashes every byte its reader gives, through `read` or `fill_buf`/`consume`:
/// the hash of a list file is that of the bytes the list reader parsed, not of a second read
/// (which a `lists update` in between could change)
#[derive(Debug)]
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    /// Set when bytes were consumed that could not be hashed: the hash would be wrong
    lost: bool,
}

impl<R: BufRead> HashingReader<R> {
    /// Hashes what `inner` gives
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            lost: false,
        }
    }

    /// Reads the rest (a parser may stop before the end of the file) and gives the SHA-256 of
    /// all the bytes, lower-case hex
    pub fn finish(mut self) -> io::Result<String> {
        io::copy(&mut self, &mut io::sink())?;
        if self.lost {
            return Err(io::Error::other(
                "bytes were consumed that could not be hashed",
            ));
        }
        Ok(hex(&self.hasher.finalize()))
    }
}

impl<R: BufRead> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match buf.get(..n) {
            Some(read) => self.hasher.update(read),
            None => self.lost = true,
        }
        Ok(n)
    }
}

impl<R: BufRead> BufRead for HashingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt > 0 {
            // The bytes a caller consumes are the front of the buffer it was just given; asking
            // for the buffer again does no I/O.
            match self.inner.fill_buf().map(|b| b.get(..amt)) {
                Ok(Some(used)) => self.hasher.update(used),
                _ => self.lost = true,
            }
        }
        self.inner.consume(amt);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hashing_reader_hashes_read_and_consumed_bytes_and_the_rest() {
        let text = b"0123456789".repeat(1000);
        let mut r = HashingReader::new(io::BufReader::with_capacity(7, text.as_slice()));
        let mut four = [0u8; 4];
        r.read_exact(&mut four).unwrap();
        let head = r.fill_buf().unwrap().len().min(3);
        r.consume(head);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert_eq!(r.finish().unwrap(), sha256_hex(&text));
    }

    #[test]
    fn pack_hash_does_not_depend_on_order() {
        let a = pack_sha256([("a.rules", &b"x"[..]), ("b/c.rules", &b"y"[..])]);
        let b = pack_sha256([("b/c.rules", &b"y"[..]), ("a.rules", &b"x"[..])]);
        assert_eq!(a, b);
        assert_ne!(
            a,
            pack_sha256([("a.rules", &b"y"[..]), ("b/c.rules", &b"x"[..])])
        );
    }

    #[test]
    fn pack_paths() {
        let roots = [PathBuf::from("my/rules"), PathBuf::from("extra.rules")];
        let f = |name: &str| pack_path(&SourceFile::new(name, ""), &roots);
        assert_eq!(f("<embedded>/dprk.rules"), "dprk.rules");
        assert_eq!(f("my/rules/sub/x.rules"), "sub/x.rules");
        assert_eq!(f("extra.rules"), "extra.rules");
    }
}
