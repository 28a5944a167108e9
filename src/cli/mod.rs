//! The `embargo` command line: parse the arguments, call the library, map the result to an exit status.
//!
//! Every write goes through [`output`]: `print!` panics on a closed stdout and `eprint!` on a
//! closed stderr, so both are denied here.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod cache;
mod check;
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
    let args = match Args::try_parse() {
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
    if let Command::Screen {
        threads: Some(n), ..
    } = &args.command
    {
        // The one pool of the process, built before any parallel work (`screen` judges records
        // on it; everything else runs on the calling thread).
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(*n)
            .build_global()
        {
            say!("embargo: cannot start {n} worker threads: {e}");
            return Exit::Failed.into();
        }
    }
    let result = match &args.command {
        Command::Screen {
            rules,
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
