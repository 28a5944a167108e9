//! Where commands write: outputs whose failure ends the command with exit 2, and a stderr that
//! never panics.
//!
//! A closed pipe (`embargo screen ... | head -1`) or a full disk (`> /dev/full`) must never look
//! like success: every write to stdout or to a file named by an option (`--junit`, `--output`)
//! goes through an [`Output`], whose errors are an [`OutputError`] naming the output. The command
//! returns it; [`super::run`] prints it as one line (`error: cannot write to stdout: Broken
//! pipe`) and exits 2. Nothing is written with `print!`/`println!` (they panic when stdout is
//! closed), nor with `eprint!`/`eprintln!` (the same for stderr): messages to stderr go through
//! [`stderr_line`] (the `say!` macro), which drops its own write errors, since there is nowhere
//! left to report them.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use embargo::internals::report::escape::for_terminal_lines;

/// Writing to an output failed: the output's name and the system's reason
#[derive(Debug, thiserror::Error)]
#[error("cannot write to {name}: {reason}")]
pub struct OutputError {
    /// `stdout`, or the file's path
    pub name: String,
    /// The system's message, without its `(os error N)` suffix
    pub reason: String,
    /// The error itself
    pub io: io::Error,
}

impl OutputError {
    /// The error of writing `e` to `name`
    pub fn new(name: &str, io: io::Error) -> Self {
        let text = io.to_string();
        let reason = match text.find(" (os error ") {
            Some(at) if text.ends_with(')') => text.get(..at).unwrap_or(&text).to_string(),
            _ => text,
        };
        OutputError {
            name: name.to_string(),
            reason,
            io,
        }
    }
}

/// A buffered output (stdout or a file) whose every error names it
pub struct Output {
    name: String,
    inner: BufWriter<Box<dyn Write>>,
}

impl Output {
    /// The process's standard output
    pub fn stdout() -> Self {
        Output {
            name: "stdout".to_string(),
            inner: BufWriter::with_capacity(1 << 16, Box::new(io::stdout().lock())),
        }
    }

    /// A file, created (or truncated) now
    pub fn create(path: &Path) -> Result<Self, OutputError> {
        let name = path.display().to_string();
        let file = File::create(path).map_err(|e| OutputError::new(&name, e))?;
        Ok(Output {
            name,
            inner: BufWriter::with_capacity(1 << 16, Box::new(file)),
        })
    }

    /// Writes `text`
    pub fn write_str(&mut self, text: &str) -> Result<(), OutputError> {
        self.inner
            .write_all(text.as_bytes())
            .map_err(|e| OutputError::new(&self.name, e))
    }

    /// Writes formatted text: what `write!` and `writeln!` call
    pub fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> Result<(), OutputError> {
        self.inner
            .write_fmt(args)
            .map_err(|e| OutputError::new(&self.name, e))
    }

    /// Flushes what is buffered. Every output must end with this: an output merely dropped
    /// loses the error of its last write
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.inner
            .flush()
            .map_err(|e| OutputError::new(&self.name, e))
    }
}

/// Writes `text` to `path` at once, a write error naming the file
pub fn write_file(path: &Path, text: &str) -> Result<(), OutputError> {
    let mut out = Output::create(path)?;
    out.write_str(text)?;
    out.finish()
}

/// Replaces the file `path` (a link: the file it leads to) with `text`, all or nothing: written
/// to a temporary file beside it, synced, then renamed over it with the old file's permissions,
/// so that a full disk leaves the old file whole (`fmt` rewrites the user's rule files)
pub fn replace_file(path: &Path, text: &str) -> Result<(), OutputError> {
    let name = path.display().to_string();
    let fail = |e: io::Error| OutputError::new(&name, e);
    let real = std::fs::canonicalize(path).map_err(fail)?;
    let permissions = std::fs::metadata(&real).map_err(fail)?.permissions();
    let folder = real.parent().unwrap_or(Path::new("."));
    // A temporary file beside it (tempfile: a fresh name, removed if anything fails), then
    // renamed over it
    let mut temp = tempfile::Builder::new()
        .prefix(".embargo-fmt.")
        .tempfile_in(folder)
        .map_err(fail)?;
    // Through the file itself: tempfile's own writer adds its random path to errors
    temp.as_file_mut()
        .write_all(text.as_bytes())
        .map_err(fail)?;
    temp.as_file().set_permissions(permissions).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(&real).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Writes `text` to stdout at once (for commands that print one piece of text)
pub fn print(text: &str) -> Result<(), OutputError> {
    let mut out = Output::stdout();
    out.write_str(text)?;
    out.finish()
}

/// Writes `args` and a line break to stderr, with control characters other than line breaks
/// and tabs made visible (`\u{1b}`); errors are ignored (stderr closed is not a reason to
/// panic, nor to fail a command whose output went well)
pub fn stderr_line(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    let mut err = io::stderr().lock();
    let _ = err.write_all(for_terminal_lines(&text).as_bytes());
    let _ = err.write_all(b"\n");
}

/// Writes `text` to stderr as it is (already escaped where it came from input, such as the
/// colours of diagnostics); errors are ignored
pub fn stderr_raw(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// `eprintln!` that never panics and escapes control characters: see [`stderr_line`]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::stderr_line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// Whether output for people written to `stream` is coloured: `--color`, else the environment
/// (`NO_COLOR`, `CLICOLOR_FORCE`) and whether it is a terminal, as anstream decides
pub fn colour_on(stream: &impl anstream::stream::RawStream) -> bool {
    !matches!(
        anstream::AutoStream::choice(stream),
        anstream::ColorChoice::Never
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_error_names_the_output_and_drops_the_os_error_number() {
        let e = OutputError::new("stdout", io::Error::from_raw_os_error(28));
        assert_eq!(
            e.to_string(),
            "cannot write to stdout: No space left on device"
        );
        let e = OutputError::new("x.xml", io::Error::other("odd (thing)"));
        assert_eq!(e.to_string(), "cannot write to x.xml: odd (thing)");
    }
}
