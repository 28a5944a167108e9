//! The pipeline under the facade, one module per job, for the command line, the tests, the
//! benches and the fuzz targets: syntax → compile → ir → eval → report, with the record model
//! and screening beside them (docs/ARCHITECTURE.md is the map). Not a stable API: a program
//! that embeds embargo uses the crate root's [`Pack`](crate::Pack),
//! [`Engine`](crate::Engine) and [`Lists`](crate::Lists).
//!
//! The modules' files stay where they were, in `src/` (`src/eval/`, `src/syntax/`, ...), which
//! shows the layers; the `path` attributes below name them.
#[path = "ast.rs"]
pub mod ast;
#[path = "compile/mod.rs"]
pub mod compile;
#[path = "coverage.rs"]
pub mod coverage;
#[path = "diagnostics/mod.rs"]
pub mod diagnostics;
#[path = "eval/mod.rs"]
pub mod eval;
#[path = "ir/mod.rs"]
pub mod ir;
#[path = "lsp/mod.rs"]
pub mod lsp;
#[path = "model/mod.rs"]
pub mod model;
#[path = "provenance.rs"]
pub mod provenance;
#[path = "report/mod.rs"]
pub mod report;
#[path = "rules.rs"]
pub mod rules;
#[path = "screen.rs"]
pub mod screen;
#[path = "screening/mod.rs"]
pub mod screening;
#[path = "source.rs"]
pub mod source;
#[path = "syntax/mod.rs"]
pub mod syntax;
#[path = "testing.rs"]
pub mod testing;
