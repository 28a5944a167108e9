//! The `embargo` command line: parse the arguments, call the library, map the result to an exit status.
//!
//! Every write goes through [`output`]: `print!` panics on a closed stdout and `eprint!` on a
//! closed stderr, so both are denied here.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod cache;
mod check;
mod config;
mod coverage;
mod exit;
mod explain;
mod fmt;
mod generated;
mod lists;
mod load;
mod lsp;
mod names;
mod output;
mod screen;
mod serve;
mod setup;
mod summary;
mod suppress;
mod test;

use std::process::ExitCode;

use clap::Parser;

use args::{Args, Command};
use exit::Exit;
use output::say;

/// Runs the command line and returns the process's exit status
pub fn run() -> ExitCode {
    let mut args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // `--help` and `--version` go to stdout: a failed write is a failure there too.
            if let Err(failed) = e.print()
                && !e.use_stderr()
            {
                say!("error: {}", output::OutputError::new("stdout", failed));
                return Exit::Failed.into();
            }
            return ExitCode::from(code);
        }
    };
    // Colour for people's output: `--color` over the environment (NO_COLOR, CLICOLOR_FORCE),
    // which anstream reads when it is `auto`
    match args.color {
        args::ColorWhen::Auto => {}
        args::ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        args::ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    // The settings file under the command line's options (docs/config.md)
    if let Err(e) = settings(&mut args.command) {
        say!("embargo: {e:#}");
        return Exit::Failed.into();
    }
    if let Command::Screen { threads, .. } = &args.command {
        // The one pool of the process, built before any parallel work (`screen` judges records
        // on it; everything else runs on the calling thread). This thread is one of its workers
        // (`--threads 2` is this thread and one more): it reads and writes between judging, so
        // that N workers use N cores, never more (docs/benchmarks.md, "The cores, again").
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .use_current_thread()
            .build_global()
        {
            let n = threads.map_or_else(|| "the".to_string(), |n| n.to_string());
            say!("embargo: cannot start {n} worker threads: {e}");
            return Exit::Failed.into();
        }
    }
    let result = match &args.command {
        Command::Screen {
            rules,
            config: _,
            lists,
            decisions,
            input,
            format,
            threads: _,
            provenance,
            summary,
            report,
            file,
        } => screen::run(
            rules,
            lists,
            decisions,
            input,
            screen::Show {
                format: *format,
                provenance: *provenance,
                summary: summary.as_deref(),
                report: report.as_deref(),
            },
            file,
        ),
        Command::Explain {
            rules,
            config: _,
            lists,
            decisions,
            input,
            format,
            id,
            only_rules,
            only_regimes,
            fired,
            provenance,
            file,
        } => explain::run(
            rules,
            lists,
            decisions,
            input,
            explain::Show {
                format: *format,
                id: id.as_deref(),
                only: explain::Only {
                    rules: only_rules,
                    regimes: only_regimes,
                    fired: *fired,
                },
                provenance: *provenance,
            },
            file,
        ),
        Command::Version {
            rules,
            config: _,
            lists,
            format,
        } => screen::version(rules, lists, *format),
        Command::Check {
            format,
            deny_warnings,
            deny,
            paths,
        } => check::run(
            paths,
            *format,
            *deny_warnings || deny.contains(&args::Deny::Warnings),
        ),
        Command::Test {
            verbose,
            junit,
            require_coverage,
            paths,
        } => test::run(
            paths,
            test::TestOptions {
                verbose: *verbose,
                junit: junit.as_deref(),
                require_coverage: *require_coverage,
            },
        ),
        Command::Coverage {
            output,
            check,
            paths,
        } => coverage::run(paths, output.as_deref(), *check),
        Command::Serve {
            addr,
            config,
            no_config: _,
            rules,
            lists,
            decisions,
        } => serve::run(config.as_deref(), addr.as_deref(), rules, lists, decisions),
        Command::Completions { shell } => generated::completions(*shell),
        Command::Man { command, markdown } => generated::man(command.as_deref(), *markdown),
        Command::Fmt { check, paths } => fmt::run(paths, *check),
        Command::Lsp => lsp::run(),
        Command::Names {
            command:
                args::NamesCommand::Compare {
                    schema,
                    pairs,
                    name1,
                    name2,
                },
        } => names::compare(
            *schema,
            pairs.as_deref(),
            name1.as_deref(),
            name2.as_deref(),
        ),

        Command::Lists(args::ListsCommand::Show {
            files,
            cache_dir,
            format,
        }) => lists::show(files, cache_dir.as_deref(), *format),
        Command::Lists(args::ListsCommand::Update {
            url,
            cache_dir,
            max_shrink,
            force,
        }) => lists::update(
            url.as_deref(),
            cache_dir.as_deref(),
            lists::UpdateRules {
                max_shrink: *max_shrink,
                force: *force,
            },
        ),
        Command::Lists(args::ListsCommand::Snapshots { cache_dir, format }) => {
            lists::snapshots(cache_dir.as_deref(), *format)
        }
        Command::Lists(args::ListsCommand::Search {
            schema,
            limit,
            format,
            id,
            lists: files,
            name,
        }) => lists::search(files, name, *schema, *limit, *format, *id),
        Command::Lists(args::ListsCommand::Suppress {
            file,
            party,
            party_id,
            entry,
            by,
            reason,
            on,
            expires,
        }) => suppress::append(
            file,
            &suppress::NewSuppression {
                party: party.as_deref(),
                party_id: party_id.as_deref(),
                entry,
                by,
                reason,
                on,
                expires,
            },
        ),
        Command::Lists(args::ListsCommand::Diff { format, old, new }) => {
            lists::diff(old, new, *format)
        }
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            // A failed output is its own line: what could not be written, and why.
            match e.downcast_ref::<output::OutputError>() {
                Some(failed) => say!("error: {failed}"),
                None => say!("embargo: {e:#}"),
            }
            Exit::Failed.into()
        }
    }
}

/// Takes from the settings file (`--config`, or `embargo.toml` found from the current folder
/// up) what the command line did not give, for the commands that judge records; `serve` reads
/// it itself, under its own settings
fn settings(command: &mut Command) -> anyhow::Result<()> {
    let here = || std::env::current_dir().unwrap_or_default();
    let (found, options) = match command {
        Command::Screen {
            rules,
            config,
            lists,
            decisions,
            input,
            ..
        }
        | Command::Explain {
            rules,
            config,
            lists,
            decisions,
            input,
            ..
        } => (
            config::locate(config, &here())?,
            config::Options {
                rules,
                lists,
                decisions: Some(decisions),
                input: Some(input),
            },
        ),
        Command::Version {
            rules,
            config,
            lists,
            ..
        } => (
            config::locate(config, &here())?,
            config::Options {
                rules,
                lists,
                decisions: None,
                input: None,
            },
        ),
        Command::Serve {
            config, no_config, ..
        } => {
            if config.is_none() {
                *config = config::locate_path(None, *no_config, &here())?;
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    let Some(path) = found else {
        return Ok(());
    };
    let settings = config::Config::read(&path)?;
    let workers = settings.threads;
    options.merge(settings)?;
    if let Command::Screen {
        threads: threads @ None,
        ..
    } = command
    {
        *threads = workers;
    }
    Ok(())
}
