//! The `seaworthy` command line: parse arguments, run the command, map the outcome to an exit
//! code (0 success, 1 the project has problems, 2 seaworthy could not run).
// The binary is where the real file system and environment come in; libraries use the traits.
#![allow(clippy::disallowed_methods)]

mod cli;
mod commands;
mod render;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            anstream::eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
