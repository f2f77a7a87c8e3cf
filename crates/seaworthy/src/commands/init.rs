//! `seaworthy init`: print the `seaworthy.toml` the repository's compose files suggest, or
//! write it with `--write`, never over an existing file.

use crate::cli::InitArgs;
use anyhow::Context as _;
use seaworthy_rules::init::{check_loads, propose, settings_text};
use seaworthy_source::{OsEnv, RealFs};
use std::io::Write as _;
use std::process::ExitCode;

pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    let root = args
        .path
        .as_ref()
        .map_or_else(|| cwd.clone(), |p| cwd.join(p));
    let mut proposals = propose(&RealFs, &root);
    check_loads(&mut proposals, &RealFs, &OsEnv::capture(), &root);
    if proposals.is_empty() {
        anstream::eprintln!(
            "error: no compose file (compose.yaml, docker-compose.yml, ...) in {} or the three directory levels below it",
            root.display()
        );
        return Ok(ExitCode::from(1));
    }
    let text = settings_text(&proposals);
    if !args.write {
        anstream::print!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    let path = root.join("seaworthy.toml");
    // `create_new` refuses an existing file atomically, even if one appears meanwhile.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    match file {
        Ok(mut file) => {
            file.write_all(text.as_bytes())
                .with_context(|| format!("could not write {}", path.display()))?;
            anstream::println!("wrote seaworthy.toml with {} targets", proposals.len());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            anstream::eprintln!(
                "error: seaworthy.toml exists and is left as it is; run `seaworthy init` without --write to see the proposal"
            );
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e).with_context(|| format!("could not create {}", path.display())),
    }
}
