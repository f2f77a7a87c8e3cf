//! Runs rules on the merged model of one target and puts their findings in a fixed order
//! (file, position, rule), so every output is the same from run to run.

use crate::builds::Builds;
use crate::context::Surroundings;
use crate::settings::{HostProfile, Settings};
use crate::{Context, Rule, registry};
use seaworthy_compose::Project;
use seaworthy_source::FileSystem;
use seaworthy_source::IgnoreCache;

pub use crate::context::Finding;

/// Every finding of `rules` on `project`, whose other files are read from `fs` and whose
/// builds were gathered (`builds::gather`), with default settings. Services left out by
/// inactive profiles are not in the model, so no rule sees them.
pub fn check(
    project: &Project,
    rules: &[&dyn Rule],
    fs: &dyn FileSystem,
    builds: &Builds,
) -> Vec<Finding> {
    let around = Surroundings {
        fs,
        host: HostProfile::from_model(&project.model),
        strict: false,
        deploy_tree: false,
        builds,
        fixes: true,
        ignores: &IgnoreCache::default(),
    };
    run(project, rules, around)
}

fn run(project: &Project, rules: &[&dyn Rule], around: Surroundings<'_>) -> Vec<Finding> {
    let services = crate::context::services_of(project);
    let resources = crate::context::resources_of(project);
    let mut findings = Vec::new();
    for rule in rules {
        let mut cx = Context::new(rule.meta(), project, around);
        rule.check_project(&mut cx, project);
        for service in &services {
            let before = cx.findings.len();
            rule.check_service(&mut cx, service);
            for finding in &mut cx.findings[before..] {
                finding
                    .service
                    .get_or_insert_with(|| service.name.to_owned());
            }
        }
        for resource in &resources {
            rule.check_resource(&mut cx, resource);
        }
        findings.append(&mut cx.findings);
    }
    findings.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    findings
}

/// Every rule the settings leave on, at the severities they set, with suppressions applied.
pub fn check_with(
    project: &Project,
    settings: &Settings,
    fs: &dyn FileSystem,
    builds: &Builds,
) -> Vec<Finding> {
    let rules: Vec<&dyn Rule> = registry::RULES
        .iter()
        .copied()
        .filter(|r| settings.level(r.meta().name, r.meta().severity).is_some())
        .collect();
    let host = settings
        .host
        .or_else(|| HostProfile::from_model(&project.model));
    let around = Surroundings {
        fs,
        host,
        strict: settings.strict,
        deploy_tree: settings.deploy_tree,
        builds,
        fixes: settings.fixes,
        ignores: &IgnoreCache::default(),
    };
    let mut findings = run(project, &rules, around);
    for finding in &mut findings {
        let rule = finding.diagnostic.code.as_str();
        if let Some(Some(severity)) = settings.levels.get(rule) {
            finding.diagnostic.severity = *severity;
        }
        finding.suppressed = suppression(project, settings, finding);
    }
    findings
}

/// The reason a finding is accepted: an `[[ignore]]` entry for its rule (and service), or the
/// service's own `x-seaworthy: {ignore: {RULE: reason}}`, which survives overlay merges.
fn suppression(project: &Project, settings: &Settings, finding: &Finding) -> Option<String> {
    let rule = finding.diagnostic.code.as_str();
    let service = finding.service.as_deref();
    if let Some(ignore) = settings
        .ignores
        .iter()
        .find(|i| i.rule == rule && (i.service.is_none() || i.service.as_deref() == service))
    {
        return Some(ignore.reason.clone());
    }
    let service = project.model.get("services")?.get(service?)?;
    let reason = service.path("x-seaworthy.ignore")?.get(rule)?.as_str()?;
    (!reason.trim().is_empty()).then(|| reason.to_owned())
}

fn order_key(finding: &Finding) -> (u32, u32, &str, Option<&str>) {
    let (file, start) = finding
        .diagnostic
        .primary
        .as_ref()
        .map_or((u32::MAX, u32::MAX), |l| (l.span.file.0, l.span.start));
    (
        file,
        start,
        finding.diagnostic.code.as_str(),
        finding.service.as_deref(),
    )
}
