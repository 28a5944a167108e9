//! The rule pack shipped in `rules/`, embedded in the binary as the default.

use crate::source::SourceFile;

// `build.rs` lists every `.rules` file under `rules/` as `(name, include_str!(path))`.
include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// The embedded rule files, named `<embedded>/FILE`
pub fn embedded() -> Vec<SourceFile> {
    EMBEDDED
        .iter()
        .map(|(name, text)| SourceFile::new(format!("<embedded>/{name}"), *text))
        .collect()
}
