//! `embargo lsp`: the language server on stdin and stdout (docs/editors.md); the protocol is
//! `embargo::internals::lsp`, this makes the connection and reads the workspace's rule files.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use lsp_server::Connection;

use super::exit::Exit;

/// Runs the server until the client says `exit`: 0 after `shutdown`, 1 without it (as the
/// protocol asks)
pub fn run() -> Result<Exit> {
    let (connection, io_threads) = Connection::stdio();
    let shut_down = embargo::internals::lsp::run(&connection, &read_pack)
        .map_err(|e| anyhow!("language server: {e}"))?;
    drop(connection);
    io_threads
        .join()
        .map_err(|e| anyhow!("language server: {e}"))?;
    Ok(if shut_down { Exit::Clean } else { Exit::Found })
}

/// The pack of a workspace folder: the `.rules` files under its `rules/` folder when it has one
/// (a checkout of embargo, whose tests hold rule files of their own), else under the folder
/// itself. A file that cannot be read is left out; the editor's text of an open one counts.
fn read_pack(root: &Path) -> Vec<(PathBuf, String)> {
    let rules = root.join("rules");
    let folder = if rules.is_dir() {
        rules
    } else {
        root.to_path_buf()
    };
    let Ok(paths) = super::load::expand(&[folder]) else {
        return Vec::new();
    };
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rules"))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let absolute = std::path::absolute(&p).ok()?;
            Some((absolute, text))
        })
        .collect()
}
