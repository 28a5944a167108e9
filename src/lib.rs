//! embargo: UN Security Council sanctions as code.
//!
//! The facade, for a program that embeds embargo: a [`Pack`] of rules compiled once (the
//! embedded one, or a firm's own files), [`screening::Lists`] loaded once, and an [`Engine`]
//! that judges records with both, one at a time or as a stream, and explains a verdict.
//!
//! ```
//! use embargo::{Engine, Pack};
//! use embargo::screening::Lists;
//!
//! // Lists::load(&["consolidated.xml".into()]) reads the UN list; none here.
//! let engine = Engine::new(Pack::embedded().unwrap(), Lists::default());
//! let verdict = engine.screen_json(r#"{"id": "tx-1", "date": "2022-09-05", "activity": "trade",
//!     "origin": "KP", "destination": "RU", "goods": [{"hs": "9306.90", "categories": ["arms"]}]}"#);
//! assert_eq!(verdict.verdict.as_str(), "prohibited");
//! let json = embargo::report::verdicts::json_line(&verdict);
//! assert!(json.contains(r#""resolution":"S/RES/1874 (2009)","paragraph":"9""#));
//! ```
//!
//! Under the facade, the pipeline step by step:
//!
//! Rule files are parsed and checked into a [`ir::Program`]; records are judged by the rules
//! in force on their own date. The whole pipeline, on one record:
//!
//! ```
//! use embargo::{compile::compile, eval::Evaluator, model::{parse_record, RecordText}};
//!
//! // The rule pack shipped in `rules/`, embedded in the library.
//! let files = embargo::rules::embedded();
//! let (program, diagnostics) = compile(&files);
//! assert!(!diagnostics.has_errors());
//! let program = program.expect("the embedded pack compiles");
//!
//! let line = r#"{"id": "tx-1", "date": "2022-09-05", "activity": "trade", "origin": "KP",
//!                "destination": "RU", "goods": [{"hs": "9306.90", "categories": ["arms"]}]}"#;
//! let record = parse_record("example", &RecordText { line: 1, column: 1, text: line.into(), yaml: false })
//!     .expect("a valid record");
//! let verdict = Evaluator::new(&program).evaluate(&record);
//!
//! assert_eq!(verdict.verdict.as_str(), "prohibited");
//! assert_eq!(verdict.rule_ids(), ["un.dprk.arms.from_dprk"]);
//! let json = embargo::report::verdicts::json_line(&verdict);
//! assert!(json.contains(r#""resolution":"S/RES/1874 (2009)","paragraph":"9""#));
//! ```
#![warn(missing_docs)]

pub mod ast;
pub mod compile;
pub mod coverage;
pub mod diagnostics;
mod engine;
pub mod eval;
pub mod ir;
pub mod model;
pub mod provenance;
pub mod report;
pub mod rules;
pub mod screen;
pub mod screening;
pub mod source;
pub mod syntax;
pub mod testing;

pub use engine::{CompileError, Engine, Pack};
