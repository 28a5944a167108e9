//! Output formats: the only place where verdicts and diagnostics become text.

pub mod coverage;
pub mod diagnostics;
pub mod escape;
pub mod explain;
pub mod html;
pub mod junit;
pub mod lists;
pub mod test_run;
pub mod verdicts;
