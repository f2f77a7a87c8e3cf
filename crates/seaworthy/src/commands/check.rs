//! `seaworthy check`: load each project as docker compose would, run the rules its settings
//! leave on, render the findings in the chosen format (`seaworthy-report`) and exit 1 when one
//! is at least `--fail-on` severe or a project does not load.

use crate::cli::{CheckArgs, CheckFormat, FailOn, GlobalOptions};
use crate::commands::load_options;
use crate::commands::notify::{find_webhook, notify_settings, send};
use crate::render::render;
use anyhow::{Context as _, bail};
use seaworthy_compose::{LoadOptions, Project, Sources};
use seaworthy_ops::notify::{Notification, Policy, Status};
use seaworthy_ops::secrets::{Declared, Source, declared};
use seaworthy_report::{Budget, Section, render_budgets, render_markdown};
use seaworthy_report::{Finding, Format, Report, RuleInfo, TargetInfo, ToolInfo};
use seaworthy_rules::builds::BuildCache;
use seaworthy_rules::settings::{HostProfile, Settings, unknown_rule_help};
use seaworthy_rules::targets::{Unit, check_targets};
use seaworthy_rules::{Fix, RuleMeta, inventory, registry, totals};
use seaworthy_source::{OsEnv, RealFs, Severity};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const SETTINGS_FILE: &str = "seaworthy.toml";

/// What a run of the checking machinery is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// `seaworthy check`: the rules the settings leave on, with each target's budget and
    /// inventory.
    Check,
    /// `seaworthy secrets check`: the rules the caller selected, with where each target's
    /// secrets come from.
    Secrets,
}

pub fn run(global: &GlobalOptions, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    run_for(global, args, Purpose::Check)
}

pub(crate) fn run_for(
    global: &GlobalOptions,
    args: &CheckArgs,
    purpose: Purpose,
) -> anyhow::Result<ExitCode> {
    let styled = args.format == CheckFormat::Human
        && args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let env = OsEnv::capture();
    let mut failed = false;
    // One source map for every project, so one report can point into all of them.
    let mut sources = Sources::new();
    let (base, units) = match plan(global, args, &mut sources)? {
        Ok(planned) => planned,
        Err(code) => return Ok(code),
    };
    let mut targets = Vec::new();
    let mut findings = Vec::new();
    let mut load_errors = Vec::new();
    let mut evaluated: Vec<&str> = Vec::new();
    // Dockerfiles and build contexts shared by several projects are read once.
    let mut build_cache = BuildCache::default();
    // The inventory of each target, for the Markdown report.
    let mut sections: Vec<Section> = Vec::new();
    // The host budget of each target, for the human report.
    let mut budgets: Vec<Budget> = Vec::new();
    // Where each target's secrets come from, for `secrets check`.
    let mut listings = String::new();
    for unit in &units {
        for rule in registry::RULES {
            let meta = rule.meta();
            if unit.settings.level(meta.name, meta.severity).is_some()
                && !evaluated.contains(&meta.name)
            {
                evaluated.push(meta.name);
            }
        }
    }
    for checked in check_targets(units, &RealFs, &env, &mut sources, &mut build_cache) {
        let Unit {
            name: target,
            options,
            settings,
        } = checked.unit;
        let threshold = args
            .fail_on
            .map(severity)
            .or(settings.fail_on)
            .unwrap_or(Severity::High);
        let loaded = match checked.outcome {
            Ok(loaded) => loaded,
            Err(error) => {
                targets.push(TargetInfo {
                    name: target.clone(),
                    files: options.files,
                    fail_on: threshold,
                });
                load_errors.push(Finding {
                    targets: vec![target],
                    ..Finding::new(error.to_diagnostic())
                });
                failed = true;
                continue;
            }
        };
        let project = &loaded.project;
        targets.push(TargetInfo {
            name: target.clone(),
            files: project.files.clone(),
            fail_on: threshold,
        });
        // The host the rules judged against: the command line's or the target's, else the
        // files' `x-seaworthy.host`.
        let host = settings
            .host
            .or_else(|| HostProfile::from_model(&project.model));
        if purpose == Purpose::Secrets {
            match args.format {
                CheckFormat::Human => listings.push_str(&secret_listing(&target, project)),
                CheckFormat::Markdown => sections.push(Section {
                    heading: format!("Target `{target}`: secrets"),
                    body: secret_table(project),
                }),
                _ => {}
            }
        } else if args.format == CheckFormat::Human {
            let totals = totals(project, host);
            budgets.push(Budget {
                target: target.clone(),
                memory: totals.memory,
                unlimited: totals.unlimited,
                memory_available: totals.memory_available,
                cpus: totals.cpus,
                host_cpus: totals.host_cpus,
            });
        }
        if purpose == Purpose::Check && args.format == CheckFormat::Markdown {
            sections.push(Section {
                heading: format!("Target `{target}`: services"),
                body: inventory(project, &loaded.builds, host),
            });
        }
        for finding in loaded.findings {
            failed |= finding.suppressed.is_none() && finding.diagnostic.severity >= threshold;
            findings.push(Finding {
                diagnostic: finding.diagnostic,
                service: finding.service,
                targets: vec![target.clone()],
                suppressed: finding.suppressed,
            });
        }
    }
    let findings = merge_across_targets(findings, &targets);
    // Only SARIF carries each rule's documentation; the others need not assemble it.
    let with_docs = args.format == CheckFormat::Sarif;
    let rules: Vec<RuleInfo> = registry::RULES
        .iter()
        .map(|rule| rule.meta())
        .filter(|meta| evaluated.contains(&meta.name))
        .map(|meta| rule_info(meta, with_docs))
        .collect();
    let report = Report {
        tool: ToolInfo {
            name: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        targets,
        findings,
        load_errors,
        sources: &sources.map,
        root: &base.cwd,
        styled,
    };
    let summary = args.notify.then(|| summary(&report, failed));
    let text = match args.format {
        CheckFormat::Markdown => render_markdown(&report, &rules, &sections),
        CheckFormat::Human => {
            let mut text = seaworthy_report::render(&report, Format::Human, &rules);
            let chart = render_budgets(&budgets);
            let hint = if purpose == Purpose::Check {
                harden_hint(&report.findings, &report.targets)
            } else {
                String::new()
            };
            for extra in [chart, listings, hint] {
                if !extra.is_empty() {
                    // One blank line between blocks, whatever each ends with.
                    text.truncate(text.trim_end().len());
                    text.push_str("\n\n");
                    text.push_str(&extra);
                }
            }
            text
        }
        format => seaworthy_report::render(&report, report_format(format), &rules),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("could not write {}", path.display()))?,
        // anstream strips colour codes byte by byte; plain text can go out as it is.
        None if styled => anstream::print!("{text}"),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`seaworthy check | head`) is not an error worth reporting.
            let _ = stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush());
        }
    }
    if let Some(notification) = summary {
        // The check's verdict is the exit code; a notification that does not go out is a
        // warning, as with `seaworthy notify`.
        let cwd = std::env::current_dir()?;
        let (settings, settings_dir) = notify_settings(&cwd);
        let webhook = find_webhook(None, None, &settings, &settings_dir, &cwd);
        let notification = Notification {
            project: settings
                .project
                .clone()
                .unwrap_or_else(|| target_name(&base.cwd)),
            ..notification
        };
        send(&webhook, &notification, &Policy::default(), false, false)?;
    }
    Ok(if failed && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Where to go next when rules that `seaworthy harden` can fix have findings (suppressed ones
/// aside). Counted from the rules, not from the fixes themselves: those need the knowledge of
/// images, which `check` does not read.
fn harden_hint(findings: &[Finding], targets: &[TargetInfo]) -> String {
    let fixable = findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .filter(|f| registry::find(&f.diagnostic.code).is_some_and(|r| r.meta().fix != Fix::Never))
        .count();
    let command = match targets {
        [first, _, ..] => format!("seaworthy harden --target {} --diff", first.name),
        _ => "seaworthy harden --diff".to_owned(),
    };
    match fixable {
        0 => String::new(),
        1 => format!(
            "1 finding comes from a rule `seaworthy harden` can fix: `{command}` shows what it would write\n"
        ),
        n => format!(
            "{n} findings come from rules `seaworthy harden` can fix: `{command}` shows what it would write\n"
        ),
    }
}

/// The notification `check --notify` sends: the verdict as its status, the counts, the
/// targets that fail and the five worst findings, secrets masked.
fn summary(report: &Report<'_>, failed: bool) -> Notification {
    let (load_errors, targets) = (&report.load_errors, report.targets.as_slice());
    let active: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    let worst = active.iter().map(|f| f.diagnostic.severity).max();
    let status = if failed {
        Status::Failure
    } else if worst.is_some_and(|s| s >= Severity::Medium) {
        Status::Warning
    } else {
        Status::Success
    };
    let mut counts = Vec::new();
    for severity in Severity::WORST_FIRST {
        let n = active
            .iter()
            .filter(|f| f.diagnostic.severity == severity)
            .count();
        if n > 0 {
            counts.push(format!("{n} {severity}"));
        }
    }
    let mut message = match active.len() {
        0 => "seaworthy check: no findings".to_owned(),
        n => format!(
            "seaworthy check: {n} finding{}: {}",
            if n == 1 { "" } else { "s" },
            counts.join(", ")
        ),
    };
    if !load_errors.is_empty() {
        let _ = write!(message, "; {} target(s) did not load", load_errors.len());
    }
    let mut ranked = active.clone();
    ranked.sort_by_key(|f| std::cmp::Reverse(f.diagnostic.severity));
    for finding in ranked.iter().take(5) {
        let mut text = format!(
            "\n- [{}] {}: {}",
            finding.diagnostic.severity, finding.diagnostic.code, finding.diagnostic.message
        );
        for secret in finding
            .diagnostic
            .redactions
            .iter()
            .filter(|s| !s.is_empty())
        {
            text = text.replace(secret.as_str(), "****");
        }
        message.push_str(&text);
    }
    let failing: Vec<String> = targets
        .iter()
        .filter(|t| !report.target_passes(t))
        .map(|t| t.name.clone())
        .collect();
    let mut notification = Notification {
        status,
        message,
        project: String::new(),
        target: match targets {
            [only] => Some(only.name.clone()),
            _ => None,
        },
        fields: Vec::new(),
    };
    let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
    notification.set_field("targets", names.join(", "));
    if !failing.is_empty() {
        notification.set_field("failing targets", failing.join(", "));
    }
    notification
}

/// The targets a command line names, each with its load options and settings (the rules and
/// paths are checked first), and the load options the paths are relative to. A usage or
/// settings problem is printed and its exit code returned instead.
pub(crate) fn plan(
    global: &GlobalOptions,
    args: &CheckArgs,
    sources: &mut Sources,
) -> anyhow::Result<Result<(LoadOptions, Vec<Unit>), ExitCode>> {
    for name in args.select.iter().chain(&args.ignore) {
        if registry::find(name).is_none() {
            bail!("unknown rule `{name}`: {}", unknown_rule_help(name));
        }
    }
    let mut base = load_options(global)?;
    // A missing env file or a clash of container names is a finding among the others.
    base.keep_going = true;
    let projects: Vec<(LoadOptions, PathBuf)> = if args.paths.is_empty() {
        vec![(base.clone(), project_dir(&base))]
    } else {
        args.paths
            .iter()
            .map(|path| options_for_path(&base, path))
            .collect()
    };
    let mut units = Vec::new();
    for (project_options, root) in &projects {
        let (settings, settings_dir) = match read_settings(root, args, sources)? {
            Ok(found) => found,
            Err(text) => {
                anstream::eprintln!("{text}");
                return Ok(Err(ExitCode::from(2)));
            }
        };
        match units_of(project_options, root, &settings, &settings_dir, args) {
            Ok(found) => units.extend(found),
            Err(message) => {
                anstream::eprintln!("error: {message}");
                return Ok(Err(ExitCode::from(2)));
            }
        }
    }
    Ok(Ok((base, units)))
}

/// Each secret of a target and where its value comes from, for the human report.
fn secret_listing(target: &str, project: &Project) -> String {
    let declared = declared(project);
    if declared.is_empty() {
        return format!("secrets of `{target}`: none declared\n");
    }
    let width = declared.iter().map(|d| d.name.len()).max().unwrap_or(0);
    let mut out = format!("secrets of `{target}`:\n");
    for secret in &declared {
        let _ = writeln!(
            out,
            "  {:width$}  {}",
            secret.name,
            source_text(project, secret)
        );
    }
    out
}

/// The same as a Markdown table.
fn secret_table(project: &Project) -> String {
    let declared = declared(project);
    if declared.is_empty() {
        return "No secrets declared.".to_owned();
    }
    let mut out = String::from("| Secret | Source |\n|---|---|\n");
    for secret in &declared {
        let _ = writeln!(
            out,
            "| `{}` | {} |",
            secret.name,
            source_text(project, secret)
        );
    }
    out
}

fn source_text(project: &Project, secret: &Declared) -> String {
    match &secret.source {
        Source::File(path) => {
            let shown = path.strip_prefix(&project.working_dir).unwrap_or(path);
            match &secret.unset_variable {
                Some(variable) => format!("file `{}` (`{variable}` is not set)", shown.display()),
                None => format!("file `{}`", shown.display()),
            }
        }
        Source::Environment(variable) => {
            format!("environment variable `{variable}` (provided elsewhere)")
        }
        Source::External(name) => format!("external secret `{name}` (provided elsewhere)"),
    }
}

/// What to check in one project: its `[targets.NAME]` (all, or those `--target` names) when
/// `seaworthy.toml` has some and no compose file was named on the command line, else the one
/// target docker compose would load there, named after the directory. Each comes with its
/// load options and its settings (the host being the command line's, else the target's).
fn units_of(
    project: &LoadOptions,
    root: &Path,
    settings: &Settings,
    settings_dir: &Path,
    args: &CheckArgs,
) -> Result<Vec<Unit>, String> {
    if !project.files.is_empty() || settings.targets.is_empty() {
        if let Some(name) = args.target.first() {
            return Err(format!(
                "no target `{name}`: targets come from `[targets.NAME]` in seaworthy.toml, and only when no `-f` names the files"
            ));
        }
        return Ok(vec![Unit {
            name: target_name(root),
            options: project.clone(),
            settings: settings.clone(),
        }]);
    }
    let known: Vec<&str> = settings.targets.iter().map(|t| t.name.as_str()).collect();
    if let Some(unknown) = args.target.iter().find(|n| !known.contains(&n.as_str())) {
        return Err(format!(
            "no target `{unknown}` in seaworthy.toml; its targets: {}",
            known.join(", ")
        ));
    }
    let resolve = |path: &str| settings_dir.join(path);
    Ok(settings
        .targets
        .iter()
        .filter(|t| args.target.is_empty() || args.target.contains(&t.name))
        .map(|target| Unit {
            name: target.name.clone(),
            options: LoadOptions {
                files: target.files.iter().map(|f| resolve(f)).collect(),
                env_files: target.env_files.iter().map(|f| resolve(f)).collect(),
                profiles: target.profiles.clone(),
                project_directory: target.project_directory.as_deref().map(resolve),
                ..project.clone()
            },
            settings: Settings {
                host: args.host.or(target.host),
                ..settings.clone()
            },
        })
        .collect())
}

/// One finding per rule, place and message, listing every target it was found in (the
/// targets share their files, so most findings of a base file are in all of them). A help
/// that names the first target's own overlay names instead the last file those targets share
/// (the production overlay), since the fix belongs where every target reads it.
fn merge_across_targets(findings: Vec<Finding>, targets: &[TargetInfo]) -> Vec<Finding> {
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        let same = merged.iter_mut().find(|m| {
            m.diagnostic.code == finding.diagnostic.code
                && m.diagnostic.primary == finding.diagnostic.primary
                && m.diagnostic.message == finding.diagnostic.message
                && m.service == finding.service
                && m.suppressed == finding.suppressed
        });
        match same {
            Some(existing) => {
                for target in finding.targets {
                    if !existing.targets.contains(&target) {
                        existing.targets.push(target);
                    }
                }
            }
            None => merged.push(finding),
        }
    }
    for finding in &mut merged {
        if finding.targets.len() > 1 {
            point_help_at_shared_overlay(finding, targets);
        }
    }
    merged
}

fn point_help_at_shared_overlay(finding: &mut Finding, targets: &[TargetInfo]) {
    let files_of = |name: &String| targets.iter().find(|t| &t.name == name).map(|t| &t.files);
    let Some(first) = finding.targets.first().and_then(files_of) else {
        return;
    };
    let shared = first.iter().rev().find(|file| {
        finding
            .targets
            .iter()
            .all(|t| files_of(t).is_some_and(|files| files.contains(file)))
    });
    let name = |path: &PathBuf| path.file_name().map(|n| n.to_string_lossy().into_owned());
    let (Some(own), Some(shared)) = (first.last().and_then(name), shared.and_then(name)) else {
        return;
    };
    // The base file is no place for production settings.
    if first.first().and_then(name).as_ref() == Some(&shared) {
        return;
    }
    if let Some(help) = &mut finding.diagnostic.help {
        *help = help.replace(&format!("`{own}`"), &format!("`{shared}`"));
    }
}

/// A project's target name: its directory's name.
fn target_name(root: &Path) -> String {
    root.file_name().map_or_else(
        || root.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

fn rule_info(meta: &RuleMeta, with_docs: bool) -> RuleInfo {
    RuleInfo {
        name: meta.name.to_owned(),
        code: meta.code.to_owned(),
        area: meta.area.as_str().to_owned(),
        severity: meta.severity,
        summary: meta.summary.to_owned(),
        help_uri: None,
        docs_markdown: if with_docs {
            meta.documentation()
        } else {
            String::new()
        },
    }
}

fn report_format(format: CheckFormat) -> Format {
    match format {
        CheckFormat::Human => Format::Human,
        CheckFormat::Json => Format::Json,
        CheckFormat::Sarif => Format::Sarif,
        CheckFormat::Junit => Format::Junit,
        CheckFormat::Github => Format::Github,
        CheckFormat::Markdown => Format::Markdown,
    }
}

/// The directory a project's settings are looked for from: `--project-directory`, else the
/// first compose file's directory, else the working directory.
fn project_dir(options: &LoadOptions) -> PathBuf {
    let first_file = options
        .files
        .first()
        .filter(|f| f.as_os_str() != "-")
        .and_then(|f| options.cwd.join(f).parent().map(Path::to_path_buf));
    options
        .project_directory
        .as_ref()
        .map(|dir| options.cwd.join(dir))
        .or(first_file)
        .unwrap_or_else(|| options.cwd.clone())
}

/// `seaworthy.toml` of the project directory or the nearest directory above it (a repository
/// keeps one at its root for compose files in `docker/`), with the command line's choices on
/// top. A problem in the file is returned rendered (seaworthy cannot run as the user asked).
fn read_settings(
    root: &Path,
    args: &CheckArgs,
    sources: &mut Sources,
) -> anyhow::Result<Result<(Settings, PathBuf), String>> {
    let (mut settings, dir) = match find_settings(root, sources)? {
        Ok(found) => found,
        Err(text) => return Ok(Err(text)),
    };
    settings.select = args.select.clone();
    settings.skip = args.ignore.clone();
    settings.host = args.host;
    settings.strict |= args.strict;
    settings.deploy_tree = args.deploy_tree;
    Ok(Ok((settings, dir)))
}

/// The `seaworthy.toml` of `root` or its nearest ancestor (defaults when there is none) and
/// the directory its paths are relative to; `Err` holds the rendered diagnostic of a file
/// that does not parse.
pub(crate) fn find_settings(
    root: &Path,
    sources: &mut Sources,
) -> anyhow::Result<Result<(Settings, PathBuf), String>> {
    let path = root
        .ancestors()
        .map(|dir| dir.join(SETTINGS_FILE))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| root.join(SETTINGS_FILE));
    let dir = path
        .parent()
        .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
    let settings = match std::fs::read_to_string(&path) {
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
    Ok(Ok((settings, dir)))
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
