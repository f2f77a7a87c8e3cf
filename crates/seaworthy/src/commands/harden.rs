//! `seaworthy harden`: the production overlay the findings' fixes make for one target,
//! checked with the target before it is written (it must load, and the findings it fixes must
//! be gone), written only where no file is (or with `--force`, replaced atomically).

use crate::cli::{CheckArgs, GlobalOptions, HardenArgs};
use crate::commands::check;
use anyhow::Context as _;
use seaworthy_compose::{Node, Sources};
use seaworthy_rules::harden::{Hardened, harden};
use seaworthy_rules::patch::PatchValue;
use seaworthy_source::{OsEnv, RealFs};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_NAME: &str = "compose.hardened.yaml";

pub fn run(global: &GlobalOptions, args: &HardenArgs) -> anyhow::Result<ExitCode> {
    let plan_args = CheckArgs::for_targets(&args.paths, args.target.iter().cloned().collect());
    let mut sources = Sources::new();
    let (base, units) = match check::plan(global, &plan_args, &mut sources)? {
        Ok(planned) => planned,
        Err(code) => return Ok(code),
    };
    let unit = match <[_; 1]>::try_from(units) {
        Ok([unit]) => unit,
        Err(units) => {
            let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
            anstream::eprintln!(
                "error: harden writes the overlay of one target; choose one with --target ({})",
                names.join(", ")
            );
            return Ok(ExitCode::from(2));
        }
    };
    let to_stdout = args.output.as_deref() == Some(Path::new("-"));
    let env = OsEnv::capture();
    // The overlay is checked where it will be; printed, it is checked beside the last file.
    let last_dir = last_file_dir(&unit.options)
        .or_else(|| resolved_last_dir(&unit.options, &env))
        .unwrap_or_else(|| base.cwd.clone());
    let output = match &args.output {
        Some(path) if !to_stdout => base.cwd.join(path),
        _ => last_dir.join(DEFAULT_NAME),
    };
    let header = vec![
        format!(
            "Production overlay written by seaworthy harden for target `{}`.",
            unit.name
        ),
        "Each value fixes a finding of `seaworthy check`; the comment above it says which and why."
            .to_owned(),
        "Add this file as the last of the target's files (seaworthy.toml, or the last -f)."
            .to_owned(),
    ];
    let hardened = match harden(
        &unit.options,
        &unit.settings,
        &RealFs,
        &env,
        &output,
        args.unsafe_fixes,
        &header,
    ) {
        Ok(hardened) => hardened,
        Err(error) => {
            let rendered =
                crate::render::render(&error.to_diagnostic(), &sources.map, &base.cwd, false);
            anstream::eprintln!("{rendered}");
            anstream::eprintln!("error: target `{}` does not load", unit.name);
            return Ok(ExitCode::from(1));
        }
    };
    let after = match &hardened.after {
        Ok(after) => after,
        Err(error) => {
            // A fix that breaks loading is a bug of seaworthy, never the user's file: say so
            // and write nothing.
            anstream::eprintln!(
                "error: the generated overlay does not load ({}); nothing was written. Please report this with the overlay below.\n{}",
                error.message,
                hardened.text
            );
            return Ok(ExitCode::from(1));
        }
    };
    let shown = shown(&output, &base.cwd);
    if args.diff {
        print_diff(&hardened);
        summary(&hardened, after.findings.len(), None);
        return Ok(ExitCode::SUCCESS);
    }
    if to_stdout {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(hardened.text.as_bytes());
        summary(&hardened, after.findings.len(), None);
        return Ok(ExitCode::SUCCESS);
    }
    if let Err(error) = write(&output, &hardened.text, args.force) {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            anstream::eprintln!(
                "error: {shown} exists; harden never replaces a file without --force (or write elsewhere with -o FILE)"
            );
            return Ok(ExitCode::from(1));
        }
        return Err(error).with_context(|| format!("could not write {shown}"));
    }
    summary(&hardened, after.findings.len(), Some(&shown));
    Ok(ExitCode::SUCCESS)
}

/// What was written and what it achieved, on standard error.
fn summary(hardened: &Hardened, after: usize, written: Option<&str>) {
    let overlay = &hardened.overlay;
    let what = match written {
        Some(path) => format!("wrote {path}"),
        None => "overlay".to_owned(),
    };
    anstream::eprintln!(
        "{what}: {} values fixing {} findings; the target goes from {} findings to {after}",
        overlay.len(),
        overlay.fixed.len(),
        hardened.before.findings.len(),
    );
    if !overlay.left_out.is_empty() {
        anstream::eprintln!(
            "{} fixes that may break a service were left out (--unsafe writes them)",
            overlay.left_out.len()
        );
    }
}

/// Each value of the overlay with what the target had before and has after.
fn print_diff(hardened: &Hardened) {
    let Ok(after) = &hardened.after else {
        return;
    };
    let mut stdout = std::io::stdout().lock();
    for (service, path, value) in hardened.overlay.values() {
        let keys: Vec<&str> = std::iter::once("services")
            .chain(std::iter::once(service))
            .chain(path.iter().map(String::as_str))
            .collect();
        let old = lookup(&hardened.before.project.model, &keys)
            .map_or_else(|| "(unset)".to_owned(), text);
        let new = lookup(&after.project.model, &keys).map_or_else(|| show(value), text);
        let _ = writeln!(
            stdout,
            "services.{service}.{}: {old} → {new}",
            path.join(".")
        );
    }
}

fn lookup<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().try_fold(node, |node, key| node.get(key))
}

fn text(node: &Node) -> String {
    node.scalar_text().unwrap_or_else(|| match node.as_seq() {
        Some(items) => {
            let items: Vec<String> = items.iter().filter_map(Node::scalar_text).collect();
            format!("[{}]", items.join(", "))
        }
        None => "{…}".to_owned(),
    })
}

fn show(value: &PatchValue) -> String {
    match value {
        PatchValue::Str(text) => text.clone(),
        PatchValue::Int(n) => n.to_string(),
        PatchValue::Bool(b) => b.to_string(),
        PatchValue::List(items) | PatchValue::Replace(items) => format!("[{}]", items.join(", ")),
    }
}

/// Writes `text` at `path`: a new file only, or with `force` a replacement through a
/// temporary file renamed over it (never a half-written overlay).
fn write(path: &Path, text: &str, force: bool) -> std::io::Result<()> {
    if !force {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        return file.write_all(text.as_bytes());
    }
    let temporary = path.with_extension("yaml.seaworthy-tmp");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// The directory of the target's last compose file, when the files are named.
fn last_file_dir(options: &seaworthy_compose::LoadOptions) -> Option<PathBuf> {
    options
        .files
        .last()
        .filter(|f| f.as_os_str() != "-")
        .and_then(|f| options.cwd.join(f).parent().map(Path::to_path_buf))
}

/// The same when docker compose finds the files itself.
fn resolved_last_dir(options: &seaworthy_compose::LoadOptions, env: &OsEnv) -> Option<PathBuf> {
    let resolved = seaworthy_compose::options::resolve(options, &RealFs, env).ok()?;
    resolved.files.last()?.parent().map(Path::to_path_buf)
}

fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
