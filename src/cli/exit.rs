//! Exit statuses, one place: 0 clean, 1 something found, 2 could not run.

use std::process::ExitCode;

/// How a command ended
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Nothing flagged, no error, every test passed
    Clean,
    /// Something flagged, errors found, or a test failed
    Found,
    /// Could not run: bad rules, unreadable input, wrong usage
    Failed,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        match e {
            Exit::Clean => ExitCode::from(0),
            Exit::Found => ExitCode::from(1),
            Exit::Failed => ExitCode::from(2),
        }
    }
}
