#![forbid(unsafe_code)]

use clap::Parser;

fn main() -> std::process::ExitCode {
    grant_rules::cli::run(grant_rules::cli::Cli::parse())
}
