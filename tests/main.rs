//! The integration tests, one binary: each file of `tests/` is a module of it, so the crate is
//! linked once for all of them (as cargo's own `tests/testsuite` is), and the test code's lint
//! exemption is said once, here.
//!
//! Run one file's tests with `cargo test --test integration FILE::` (for example `cli::`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test"
)]

mod common;

mod boundaries;
mod ci_files;
mod cli;
mod config;
mod coverage;
mod diagnostics;
mod diagnostics_doc;
mod editors;
mod examples;
mod explain;
mod fmt;
mod grammar;
mod html_report;
mod invariants;
mod language_docs;
mod law;
mod layers;
mod lists;
mod lists_commands;
mod lists_dates;
mod lists_facade;
mod lists_snapshots;
mod lists_update;
mod load;
mod lsp;
mod names_cli;
mod news;
mod notes;
mod output;
mod pack_data;
mod provenance;
mod reader;
mod reasons;
mod records;
mod regression;
mod screening;
mod screening_lists;
mod screening_not_encoded;
mod serve;
mod shipped_rules;
mod summary;
mod suppress;
mod tabular;
mod test_command;
mod tidy;
mod weak_matches;
