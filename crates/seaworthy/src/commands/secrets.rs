//! `seaworthy secrets check` and `seaworthy secrets init`: the file secrets of every target,
//! judged as the deploy host has them, and the missing ones created safely.
//!
//! `check` is `seaworthy check` narrowed to the secret-file rules, with `--deploy-tree` (the
//! files must be there) and `--strict` (owner-only modes) on, so it shares the targets, the
//! settings, the suppressions and every report format. `init` loads the same targets and
//! writes nothing but new files, through `seaworthy_ops::secrets`.

use crate::cli::{
    CheckArgs, GlobalOptions, SecretCharset, SecretsArgs, SecretsCheckArgs, SecretsCommand,
    SecretsInitArgs,
};
use crate::commands::check::{self, Purpose};
use seaworthy_compose::{Sources, load};
use seaworthy_ops::secrets::{
    Charset, Created, Source, create_secret_file, declared, generate, holds_a_plain_value,
};
use seaworthy_source::{OsEnv, RealFs, WorkTree};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The rules that judge secret files.
const SECRET_FILE_RULES: [&str; 3] = [
    "secret-file-missing",
    "secret-file-unusable",
    "secret-file-exposed",
];

pub fn run(global: &GlobalOptions, args: &SecretsArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        SecretsCommand::Check(args) => run_check(global, args),
        SecretsCommand::Init(args) => run_init(global, args),
    }
}

fn run_check(global: &GlobalOptions, args: &SecretsCheckArgs) -> anyhow::Result<ExitCode> {
    let check_args = CheckArgs {
        fail_on: Some(args.fail_on),
        select: SECRET_FILE_RULES.iter().map(|r| (*r).to_owned()).collect(),
        exit_zero: args.exit_zero,
        strict: true,
        deploy_tree: true,
        format: args.format,
        output: args.output.clone(),
        ..CheckArgs::for_targets(&args.paths, args.target.clone())
    };
    check::run_for(global, &check_args, Purpose::Secrets)
}

fn run_init(global: &GlobalOptions, args: &SecretsInitArgs) -> anyhow::Result<ExitCode> {
    let plan_args = CheckArgs {
        deploy_tree: true,
        ..CheckArgs::for_targets(&args.paths, args.target.clone())
    };
    let mut sources = Sources::new();
    let (base, units) = match check::plan(global, &plan_args, &mut sources)? {
        Ok(planned) => planned,
        Err(code) => return Ok(code),
    };
    let charset = match args.charset {
        SecretCharset::Alnum => Charset::Alnum,
        SecretCharset::Hex => Charset::Hex,
        SecretCharset::Base64 => Charset::Base64,
    };
    let env = OsEnv::capture();
    let mut failed = false;
    // Targets share secrets: each file is considered once, with the first name it had.
    let mut seen: Vec<PathBuf> = Vec::new();
    let (mut created, mut present, mut skipped) = (0usize, 0usize, 0usize);
    // Directories that existed before are the user's: their mode is reported, not changed.
    let mut warned_dirs: Vec<PathBuf> = Vec::new();
    for unit in units {
        let project = match load(&unit.options, &RealFs, &env, &mut sources) {
            Ok(project) => project,
            Err(error) => {
                let rendered =
                    crate::render::render(&error.to_diagnostic(), &sources.map, &base.cwd, false);
                anstream::eprintln!("{rendered}");
                anstream::eprintln!("error: target `{}` does not load", unit.name);
                failed = true;
                continue;
            }
        };
        for secret in declared(&project) {
            let Source::File(path) = &secret.source else {
                continue;
            };
            if seen.contains(path) {
                continue;
            }
            seen.push(path.clone());
            let shown = shown(path, &base.cwd);
            if let Some(variable) = &secret.unset_variable {
                skipped += 1;
                anstream::eprintln!(
                    "warning: secret `{}`: its path is made with `{variable}`, which is not set; set it and run again (nothing was created at `{shown}`)",
                    secret.name
                );
                continue;
            }
            if std::fs::symlink_metadata(path).is_ok() {
                present += 1;
                continue;
            }
            if !holds_a_plain_value(path) {
                anstream::eprintln!(
                    "warning: secret `{}`: {shown} has a format of its own; create it yourself (owner-only, `chmod 600`)",
                    secret.name
                );
                skipped += 1;
                continue;
            }
            if args.dry_run {
                println!("would create {shown} (secret `{}`)", secret.name);
                continue;
            }
            let outcome = generate(usize::from(args.length), charset)
                .map_err(|e| std::io::Error::other(e.to_string()))
                .and_then(|value| create_secret_file(path, &value));
            match outcome {
                Ok(Created::Written) => {
                    created += 1;
                    println!("created {shown} (secret `{}`, mode 0600)", secret.name);
                    warn_if_not_ignored(path, &shown);
                    if let Some(dir) = path
                        .parent()
                        .filter(|d| !warned_dirs.iter().any(|w| w == d))
                    {
                        warned_dirs.push(dir.to_path_buf());
                        warn_if_dir_open(dir, &base.cwd);
                    }
                }
                Ok(Created::AlreadyThere) => present += 1,
                Err(error) => {
                    failed = true;
                    anstream::eprintln!(
                        "error: could not create {shown} (secret `{}`): {error}",
                        secret.name
                    );
                }
            }
        }
    }
    if !args.dry_run {
        let noun = |n: usize| if n == 1 { "file" } else { "files" };
        eprintln!(
            "{created} secret {} created, {present} already there (left as they are), {skipped} to create by hand",
            noun(created)
        );
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A new secret in a work tree that does not ignore it is one `git add .` from being
/// committed: say so while the user is looking.
fn warn_if_not_ignored(path: &Path, shown: &str) {
    let Some(tree) = path
        .parent()
        .and_then(|dir| WorkTree::containing(&RealFs, dir))
    else {
        return;
    };
    if !tree.ignores(&RealFs, path, false) {
        anstream::eprintln!(
            "warning: git does not ignore {shown}: add it (or its directory) to .gitignore"
        );
    }
}

/// A directory others can list or enter shows the secrets' names and lets a later mistake in
/// a file's mode expose it.
fn warn_if_dir_open(dir: &Path, cwd: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(dir) else {
            return;
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            let shown = shown(dir, cwd);
            anstream::eprintln!(
                "warning: the directory {shown} is open to others (mode {mode:o}); `chmod 700 {shown}` (it existed before, so it was left as it is)"
            );
        }
    }
}

/// `path` relative to the working directory when it is inside it.
fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
