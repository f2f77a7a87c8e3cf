//! `seaworthy check`: load each project as docker compose would, run every rule on its merged
//! model, print the findings for a person and exit 1 when one is at least `--fail-on` severe.

use crate::cli::{CheckArgs, FailOn, GlobalOptions};
use crate::commands::load_options;
use crate::render::render;
use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_rules::{check, registry};
use seaworthy_source::{OsEnv, RealFs, Severity};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

pub fn run(global: &GlobalOptions, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let base = load_options(global)?;
    let styled = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let projects: Vec<LoadOptions> = if args.paths.is_empty() {
        vec![base]
    } else {
        args.paths
            .iter()
            .map(|path| options_for_path(&base, path))
            .collect()
    };
    let threshold = severity(args.fail_on);
    let env = OsEnv::capture();
    let mut failed = false;
    let mut counts = [0usize; 6];
    let mut out = String::new();
    for options in &projects {
        let mut sources = Sources::new();
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
        for finding in check(&project, registry::RULES) {
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
    out.push_str(&summary(&counts));
    anstream::println!("{out}");
    Ok(if failed && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A PATH argument: a directory is a project found there as docker compose finds it; a file
/// is the project's only compose file.
fn options_for_path(base: &LoadOptions, path: &Path) -> LoadOptions {
    let path = base.cwd.join(path);
    let mut options = base.clone();
    if path.is_dir() {
        options.cwd = path;
    } else {
        options.files = vec![path];
    }
    options
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

fn summary(counts: &[usize; 6]) -> String {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return "no findings".to_owned();
    }
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
}
