//! `seaworthy check`: load each project as docker compose would, run the rules its settings
//! leave on, print the findings for a person and exit 1 when one is at least `--fail-on` severe.

use crate::cli::{CheckArgs, FailOn, GlobalOptions};
use crate::commands::load_options;
use crate::render::render;
use anyhow::{Context as _, bail};
use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_rules::settings::{Settings, unknown_rule_help};
use seaworthy_rules::{check_with, registry};
use seaworthy_source::{OsEnv, RealFs, Severity};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const SETTINGS_FILE: &str = "seaworthy.toml";

pub fn run(global: &GlobalOptions, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    for name in args.select.iter().chain(&args.ignore) {
        if registry::find(name).is_none() {
            bail!("unknown rule `{name}`: {}", unknown_rule_help(name));
        }
    }
    let base = load_options(global)?;
    let styled = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let projects: Vec<(LoadOptions, PathBuf)> = if args.paths.is_empty() {
        vec![(base.clone(), base.cwd.clone())]
    } else {
        args.paths
            .iter()
            .map(|path| options_for_path(&base, path))
            .collect()
    };
    let env = OsEnv::capture();
    let mut failed = false;
    let mut counts = [0usize; 6];
    let mut suppressed = 0;
    let mut out = String::new();
    for (options, root) in &projects {
        let mut sources = Sources::new();
        let settings = match read_settings(root, args, &mut sources)? {
            Ok(settings) => settings,
            Err(text) => {
                anstream::eprintln!("{text}");
                return Ok(ExitCode::from(2));
            }
        };
        let threshold = args
            .fail_on
            .map(severity)
            .or(settings.fail_on)
            .unwrap_or(Severity::High);
        let project = match load(options, &RealFs, &env, &mut sources) {
            Ok(project) => project,
            Err(error) => {
                let diagnostic = error.to_diagnostic();
                out.push_str(&render(&diagnostic, &sources.map, &options.cwd, styled));
                out.push_str("\n\n");
                failed = true;
                continue;
            }
        };
        for finding in check_with(&project, &settings) {
            if finding.suppressed.is_some() {
                suppressed += 1;
                continue;
            }
            let severity = finding.diagnostic.severity;
            counts[severity as usize] += 1;
            failed |= severity >= threshold;
            out.push_str(&render(
                &finding.diagnostic,
                &sources.map,
                &options.cwd,
                styled,
            ));
            out.push_str("\n\n");
        }
    }
    out.push_str(&summary(&counts, suppressed));
    anstream::println!("{out}");
    Ok(if failed && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `seaworthy.toml` of the project directory, with the command line's choices on top. A
/// problem in the file is returned rendered (seaworthy cannot run as the user asked).
fn read_settings(
    root: &Path,
    args: &CheckArgs,
    sources: &mut Sources,
) -> anyhow::Result<Result<Settings, String>> {
    let path = root.join(SETTINGS_FILE);
    let mut settings = match std::fs::read_to_string(&path) {
        Ok(text) => {
            let file = sources.map.add(&path, text.clone());
            match Settings::parse(&text, file) {
                Ok(settings) => settings,
                Err(diagnostic) => return Ok(Err(render(&diagnostic, &sources.map, root, false))),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", path.display())),
    };
    settings.select = args.select.clone();
    settings.skip = args.ignore.clone();
    Ok(Ok(settings))
}

/// A PATH argument: a directory is a project found there as docker compose finds it; a file
/// is the project's only compose file. Settings are read from the project's directory.
fn options_for_path(base: &LoadOptions, path: &Path) -> (LoadOptions, PathBuf) {
    let path = base.cwd.join(path);
    let mut options = base.clone();
    if path.is_dir() {
        options.cwd = path.clone();
        (options, path)
    } else {
        let root = path
            .parent()
            .map_or_else(|| base.cwd.clone(), Path::to_path_buf);
        options.files = vec![path];
        (options, root)
    }
}

fn severity(fail_on: FailOn) -> Severity {
    match fail_on {
        FailOn::Info => Severity::Info,
        FailOn::Low => Severity::Low,
        FailOn::Medium => Severity::Medium,
        FailOn::High => Severity::High,
        FailOn::Critical => Severity::Critical,
        FailOn::Error => Severity::Error,
    }
}

fn summary(counts: &[usize; 6], suppressed: usize) -> String {
    let total: usize = counts.iter().sum();
    let mut line = if total == 0 {
        "no findings".to_owned()
    } else {
        let order = [
            Severity::Error,
            Severity::Critical,
            Severity::High,
            Severity::Medium,
            Severity::Low,
            Severity::Info,
        ];
        let parts: Vec<String> = order
            .iter()
            .filter(|s| counts[**s as usize] > 0)
            .map(|s| format!("{} {s}", counts[*s as usize]))
            .collect();
        let noun = if total == 1 { "finding" } else { "findings" };
        format!("{total} {noun}: {}", parts.join(", "))
    };
    if suppressed > 0 {
        line.push_str(&format!(" ({suppressed} suppressed)"));
    }
    line
}
