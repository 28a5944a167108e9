//! The `embargo` binary.

mod cli;

/// mimalloc rather than the system's allocator: `screen` allocates a dozen small blocks a record
/// on every worker and frees many on another thread (a record's text is read on one, judged and
/// freed on another), where glibc's arenas contend on their locks: with two workers, glibc's
/// allocator took nearly a third of the time and the workers slept on its lock
/// (docs/benchmarks.md, "The cores")
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
