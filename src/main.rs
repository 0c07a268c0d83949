//! `msohub`: the command-line entry point. Parses arguments, sets up logging,
//! runs the chosen subcommand, and turns any failure into one clear line on
//! stderr and a non-zero exit code (never a panic trace).

use clap::Parser;
use msohub::cli::{Cli, run};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: glibc's malloc keeps what a
/// bulk load (the search indexes at start, an import) freed, so a server
/// that peaked at 1.3 GB while indexing 200,000 offers stayed at 1.5 GB
/// resident; with mimalloc the freed memory goes back to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Threads for blocking work: enough that a slow render or commit does not
/// hold up searches, few enough to bound memory on a small machine.
const BLOCKING_THREADS: usize = 16;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Blocking work (searches, index commits, report renders, password
        // hashing) waits for one of these instead of starting a thread per
        // request in flight (tokio's default allows 512): each thread kept
        // its own allocator heap and stack, so the server's memory grew
        // with the busiest moment it had seen (`scripts/soak`: +44 % after
        // a minute with 29 requests in flight) and never came back.
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("msohub: error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("msohub: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| {
        eprintln!("msohub: warning: log filter {filter:?} is not valid; using \"info\"");
        tracing_subscriber::EnvFilter::new("info")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
