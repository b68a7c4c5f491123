//! The `hotline` binary: parses the command line and runs the chosen subcommand.

use clap::Parser;

fn main() -> std::process::ExitCode {
    match hotline::cli::Cli::parse().run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("hotline: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
