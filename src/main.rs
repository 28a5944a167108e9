//! The `embargo` binary.

mod cli;

/// mimalloc rather than the system's allocator: `screen` allocates about a dozen small blocks a
/// record on every thread and frees some on another (a verdict is rendered by a worker, written
/// and freed by the reading thread), where glibc's arenas contend on their locks: with two
/// workers, glibc's `malloc` and `free`, and the task switches of threads waiting on its locks,
/// took 38 % of the samples (docs/benchmarks.md, "The cores, again")
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
