//! The `embargo` command line: parse the arguments, call the library, map the result to an exit status.

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
mod names;
mod screen;
mod test;

use std::process::ExitCode;

use clap::Parser;

use args::{Args, Command};
use exit::Exit;

/// Runs the command line and returns the process's exit status
pub fn run() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match &args.command {
        Command::Screen {
            rules,
            lists,
            format,
            threads,
            allow_unknown_fields,
            file,
        } => screen::run(rules, lists, *format, *threads, *allow_unknown_fields, file),
        Command::Explain {
            rules,
            lists,
            format,
            id,
            allow_unknown_fields,
            file,
        } => explain::run(
            rules,
            lists,
            *format,
            id.as_deref(),
            *allow_unknown_fields,
            file,
        ),
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
        Command::Completions { shell } => generated::completions(*shell),
        Command::Man { command } => generated::man(command.as_deref()),
        Command::Fmt { check, paths } => fmt::run(paths, *check),
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
        Command::Lists(args::ListsCommand::Update { url, cache_dir }) => {
            lists::update(url.as_deref(), cache_dir.as_deref())
        }
        Command::Lists(args::ListsCommand::Search {
            schema,
            limit,
            format,
            id,
            lists: files,
            name,
        }) => lists::search(files, name, *schema, *limit, *format, *id),
        Command::Lists(args::ListsCommand::Diff { format, old, new }) => {
            lists::diff(old, new, *format)
        }
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprintln!("embargo: {e:#}");
            Exit::Failed.into()
        }
    }
}
