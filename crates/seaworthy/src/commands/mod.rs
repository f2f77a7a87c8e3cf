//! One module per command; each returns the exit code its outcome deserves.

mod check;
mod config;
mod harden;
mod init;
mod notify;
mod origins;
mod rules;
mod secrets;

use crate::cli::{Cli, Command, GlobalOptions};
use seaworthy_compose::LoadOptions;
use std::io::Read;
use std::process::ExitCode;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check::run(&cli.global, &args),
        Command::Config(args) => config::run(&cli.global, args),
        Command::Rules(args) => rules::list(&args),
        Command::Explain(args) => rules::explain(&args),
        Command::Init(args) => init::run(&args),
        Command::Notify(args) => notify::run(&args),
        Command::Secrets(args) => secrets::run(&cli.global, &args),
        Command::Harden(args) => harden::run(&cli.global, &args),
    }
}

/// docker compose's global options as loader input.
pub fn load_options(global: &GlobalOptions) -> anyhow::Result<LoadOptions> {
    let cwd = std::env::current_dir()?;
    let stdin = if global.files.iter().any(|f| f.as_os_str() == "-") {
        let mut text = String::new();
        // A terminal or closed stdin simply gives an empty file, as in docker compose.
        let _ = std::io::stdin().read_to_string(&mut text);
        Some(text)
    } else {
        None
    };
    Ok(LoadOptions {
        files: global.files.clone(),
        project_directory: global.project_directory.clone(),
        project_name: global.project_name.clone(),
        env_files: global.env_files.clone(),
        profiles: global.profiles.clone(),
        cwd,
        stdin,
        ..LoadOptions::default()
    })
}
