//! `embargo completions` and `embargo man`: shell completions and the man page, generated from
//! the clap definition so that they never drift from the command line.

use anyhow::{Context, Result};
use clap::CommandFactory;

use super::args::Args;
use super::exit::Exit;
use super::output::Output;

/// Prints the completion script for `shell`
pub fn completions(shell: clap_complete::Shell) -> Result<Exit> {
    let mut cmd = Args::command();
    // `generate` writes with no way to report an error: render to memory, then write.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "embargo", &mut script);
    let mut out = Output::stdout();
    out.write_str(&String::from_utf8_lossy(&script))?;
    out.finish()?;
    Ok(Exit::Clean)
}

/// Prints the man page in roff: the main page, or the page of one subcommand
pub fn man(command: Option<&str>) -> Result<Exit> {
    let main = Args::command();
    let cmd = match command {
        None => main,
        Some(name) => {
            let Some(sub) = main.find_subcommand(name) else {
                let known: Vec<&str> = main.get_subcommands().map(|c| c.get_name()).collect();
                anyhow::bail!(
                    "no subcommand `{name}`; the subcommands are {}",
                    known.join(", ")
                );
            };
            sub.clone().display_name(format!("embargo-{name}"))
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .context("cannot render the man page")?;
    let mut out = Output::stdout();
    out.write_str(&String::from_utf8_lossy(&page))?;
    out.finish()?;
    Ok(Exit::Clean)
}
