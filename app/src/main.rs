//! `storyloom`: the window when run without a subcommand, the command line with one.

use clap::Parser;
use storyloom_app::{cli, gui};

fn main() -> std::process::ExitCode {
    let started = std::time::Instant::now();
    // `storyloom documents p.storyloom | head` should stop quietly, as other
    // command-line tools do, instead of panicking on a closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default action of a signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = cli::Cli::parse();
    if let Some(user) = &args.user {
        let _ = cli::USER.set(user.clone());
    }
    let result = match args.command {
        Some(command) => cli::run(command),
        None => gui::run(
            args.project,
            args.document,
            args.first_frame_ms.then_some(started),
        ),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("storyloom: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
