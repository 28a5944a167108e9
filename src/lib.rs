//! embargo: UN Security Council sanctions as code.
//!
//! The facade, for a program that embeds embargo: a [`Pack`] of rules compiled once (the
//! embedded one, or a firm's own files), [`screening::Lists`] loaded once, and an [`Engine`]
//! that judges records with both, one at a time or as a stream, and explains a verdict.
//!
//! ```
//! use embargo::{Engine, Pack};
//! use embargo::Lists;
//!
//! // Lists::load(&["consolidated.xml".into()]) reads the UN list; none here.
//! let engine = Engine::new(Pack::embedded().unwrap(), Lists::default());
//! let verdict = engine.screen_json(r#"{"id": "tx-1", "date": "2022-09-05", "activity": "trade",
//!     "origin": "KP", "destination": "RU", "goods": [{"hs": "9306.90", "categories": ["arms"]}]}"#);
//! assert_eq!(verdict.verdict.as_str(), "prohibited");
//! let json = embargo::verdict_json(&verdict);
//! assert!(json.contains(r#""resolution":"S/RES/1874 (2009)","paragraph":"9""#));
//! ```
//!
//! Under the facade, the pipeline step by step, with the modules of [`internals`]:
//!
//! Rule files are parsed and checked into a [`ir::Program`]; records are judged by the rules
//! in force on their own date. The whole pipeline, on one record:
//!
//! ```
//! use embargo::internals::{compile::compile, eval::Evaluator, model::{parse_record, RecordText}};
//!
//! // The rule pack shipped in `rules/`, embedded in the library.
//! let files = embargo::internals::rules::embedded();
//! let (program, diagnostics) = compile(&files);
//! assert!(!diagnostics.has_errors());
//! let program = program.expect("the embedded pack compiles");
//!
//! let line = r#"{"id": "tx-1", "date": "2022-09-05", "activity": "trade", "origin": "KP",
//!                "destination": "RU", "goods": [{"hs": "9306.90", "categories": ["arms"]}]}"#;
//! let record = parse_record("example", &RecordText { line: 1, column: 1, text: line.into(), yaml: false, table: None })
//!     .expect("a valid record");
//! let verdict = Evaluator::new(&program).evaluate(&record);
//!
//! assert_eq!(verdict.verdict.as_str(), "prohibited");
//! assert_eq!(verdict.rule_ids(), ["un.dprk.arms.from_dprk"]);
//! let json = embargo::internals::report::verdicts::json_line(&verdict);
//! assert!(json.contains(r#""resolution":"S/RES/1874 (2009)","paragraph":"9""#));
//! ```
#![warn(missing_docs)]

mod engine;

pub use engine::{CompileError, Engine, Pack};
pub use internals::diagnostics::Diagnostics;
pub use internals::eval::{Explanation, Verdict};
pub use internals::model::{InvalidRecord, Party};
pub use internals::provenance::Provenance;
pub use internals::report::explain::{human as explanation_text, json as explanation_json};
pub use internals::report::verdicts::json_line as verdict_json;
pub use internals::screen::Summary;
pub use internals::screening::lists::{EntryKind, ListCatalog, ListEntry};
pub use internals::screening::suppress::{
    Decision, Decisions, MinScores, SuppressedMatch, Suppression, SuppressionError,
    read as read_suppressions,
};
pub use internals::screening::{Lists, LoadError, Match};
pub use internals::source::SourceFile;

pub mod internals;

// The modules under their own names inside the crate (`crate::eval`), as before they moved under
// `internals`.
use internals::{
    ast, compile, coverage, diagnostics, eval, ir, model, provenance, report, rules, screen,
    screening, source, syntax, testing,
};
