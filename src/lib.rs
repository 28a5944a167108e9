//! embargo: UN Security Council sanctions as code.
#![warn(missing_docs)]

pub mod ast;
pub mod compile;
pub mod diagnostics;
pub mod eval;
pub mod ir;
pub mod model;
pub mod report;
pub mod rules;
pub mod screen;
pub mod source;
pub mod syntax;
pub mod testing;
