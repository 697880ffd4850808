//! `storyloom-bench`: the benchmarks, kept out of the shipped `storyloom`
//! binary. `cargo run --release --bin storyloom-bench -- pack` (see README).

use clap::Parser;
use storyloom_app::bench::{BenchCli, run};

fn main() -> std::process::ExitCode {
    let args = BenchCli::parse();
    match run(args.which) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("storyloom-bench: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
