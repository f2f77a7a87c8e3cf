//! The inventory of a target for the verification report: one row per service with what a
//! reviewer checks by hand (image or build, limits and reservations, health check and where
//! it comes from, restart policy, logging, user, published ports, secrets) and the totals
//! against the host. The values are the same facts the rules judge, read from the merged
//! model and the Dockerfile of each build.

use crate::Service;
use crate::builds::Builds;
use crate::context::services_of;
use crate::facts::built::built;
use crate::facts::health::{Healthcheck, ImageSource, effective_healthcheck};
use crate::facts::limits::{
    Amount, cpu_limit, cpu_reservation, memory_limit, memory_reservation, show_bytes,
};
use crate::facts::ports::{HostAddress, bindings};
use crate::facts::restart::{RestartMode, effective_restart};
use crate::rules::resources::resource_budget::replicas;
use crate::settings::HostProfile;
use seaworthy_compose::{Node, Project};
use std::fmt::Write as _;
use std::path::Path;

const MIB: f64 = 1024.0 * 1024.0;

/// The inventory of one target as Markdown: the service table, then the totals.
pub fn inventory(project: &Project, builds: &Builds, host: Option<HostProfile>) -> String {
    let mut out = String::from(
        "| Service | Image or build | CPU limit / reservation | Memory limit / reservation | Health check | Restart | Logging | User | Published ports | Secrets |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    let mut memory = Some(0.0);
    let mut cpus = Some(0.0);
    let mut reserved = 0.0;
    for service in services_of(project) {
        let count = replicas(&service);
        let name = if count == 1.0 {
            format!("`{}`", service.name)
        } else {
            format!("`{}` ×{count}", service.name)
        };
        let (cpu, mem) = (cpu_limit(&service), memory_limit(&service));
        memory = add(memory, &mem, count);
        cpus = add(cpus, &cpu, count);
        if let Amount::Set(_, bytes) = memory_reservation(&service) {
            reserved += bytes * count;
        }
        let _ = writeln!(
            out,
            "| {name} | {} | {} / {} | {} / {} | {} | {} | {} | {} | {} | {} |",
            image(project, &service, builds),
            amount(&cpu, false),
            amount(&cpu_reservation(&service), false),
            amount(&mem, true),
            amount(&memory_reservation(&service), true),
            health(&service, builds),
            restart(&service),
            logging(&service),
            user(&service, builds),
            ports(&service),
            secrets(&service),
        );
    }
    out.push('\n');
    let total = |value: Option<f64>, bytes: bool| match value {
        Some(v) if bytes => show_bytes(v),
        Some(v) => format!("{}", (v * 100.0).round() / 100.0),
        None => "unbounded (a service has no limit)".to_owned(),
    };
    let _ = write!(
        out,
        "Totals (times replicas): memory limits {}, memory reservations {}, CPU limits {}",
        total(memory, true),
        show_bytes(reserved),
        total(cpus, false)
    );
    match host {
        Some(host) => {
            let mut parts = Vec::new();
            if let Some(bytes) = host.memory {
                let headroom = (bytes * 0.1).max(512.0 * MIB);
                parts.push(format!(
                    "{} of memory ({} for containers after the engine's headroom)",
                    show_bytes(bytes),
                    show_bytes(bytes - headroom)
                ));
            }
            if let Some(n) = host.cpus {
                parts.push(format!("{n} CPUs"));
            }
            let _ = writeln!(out, "; host: {}.", parts.join(", "));
        }
        None => out.push_str("; no host profile given (`host` in the target, or `--host`).\n"),
    }
    out
}

/// What a target asks of its host: the limits of every service times its replicas.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// Bytes of memory limits; `None` when a service has none (the total is unbounded).
    pub memory: Option<f64>,
    /// CPU limits; `None` when a service has none.
    pub cpus: Option<f64>,
    /// The services without a memory limit.
    pub unlimited: Vec<String>,
    /// Memory the host leaves to containers: its memory less the engine's headroom (the
    /// larger of 10 % and 512 MiB), as `resource-budget` counts it.
    pub memory_available: Option<f64>,
    pub host_cpus: Option<f64>,
}

/// The totals of a target against its host, for the budget chart of the human report.
pub fn totals(project: &Project, host: Option<HostProfile>) -> Totals {
    let mut memory = Some(0.0);
    let mut cpus = Some(0.0);
    let mut unlimited = Vec::new();
    for service in services_of(project) {
        let count = replicas(&service);
        if count == 0.0 {
            continue;
        }
        let limit = memory_limit(&service);
        if !matches!(limit, Amount::Set(..)) {
            unlimited.push(service.name.to_owned());
        }
        memory = add(memory, &limit, count);
        cpus = add(cpus, &cpu_limit(&service), count);
    }
    Totals {
        memory,
        cpus,
        unlimited,
        memory_available: host
            .and_then(|h| h.memory)
            .map(|bytes| bytes - (bytes * 0.1).max(512.0 * MIB)),
        host_cpus: host.and_then(|h| h.cpus),
    }
}

fn add(total: Option<f64>, amount: &Amount<'_>, count: f64) -> Option<f64> {
    match amount {
        Amount::Set(_, value) => total.map(|t| t + value * count),
        _ => None,
    }
}

fn amount(amount: &Amount<'_>, bytes: bool) -> String {
    match amount {
        Amount::Set(_, value) if bytes => show_bytes(*value),
        Amount::Set(_, value) => format!("{value}"),
        Amount::OperatorSupplied(node) => format!("`{}`", node.raw.as_deref().unwrap_or("${…}")),
        Amount::Zero(_) | Amount::Unset => "—".to_owned(),
    }
}

fn image(project: &Project, service: &Service<'_>, builds: &Builds) -> String {
    match (service.get("build"), builds.get(service.name)) {
        (Some(build), Some(facts)) => {
            let context = relative(&facts.context, &project.working_dir);
            match build.get("target").and_then(Node::as_str) {
                Some(target) => format!("build `{context}` (stage `{target}`)"),
                None => format!("build `{context}`"),
            }
        }
        (Some(_), None) => "build (remote or missing context)".to_owned(),
        (None, _) => service
            .text("image")
            .map_or_else(|| "—".to_owned(), |i| format!("`{i}`")),
    }
}

/// `path` as seen from the project directory (`../backend`), or as it is when they share
/// nothing but the root.
fn relative(path: &Path, base: &Path) -> String {
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return path.display().to_string();
    }
    let ups = base.components().count() - common;
    let rest: Vec<String> = path
        .components()
        .skip(common)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let parts: Vec<String> = std::iter::repeat_n("..".to_owned(), ups)
        .chain(rest)
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn health(service: &Service<'_>, builds: &Builds) -> String {
    match effective_healthcheck(service, builds) {
        Healthcheck::Declared(_) => "compose".to_owned(),
        Healthcheck::InDockerfile(_) => "Dockerfile".to_owned(),
        Healthcheck::Disabled { .. } => "disabled".to_owned(),
        Healthcheck::Unknown(ImageSource::PulledImage) => "none in compose (image?)".to_owned(),
        Healthcheck::Unknown(_) => "none".to_owned(),
    }
}

fn restart(service: &Service<'_>) -> String {
    let policy = effective_restart(service);
    let mode = match policy.mode {
        RestartMode::No => "no",
        RestartMode::Always => "always",
        RestartMode::UnlessStopped => "unless-stopped",
        RestartMode::OnFailure => "on-failure",
        RestartMode::Unknown => "?",
    };
    match policy.max_attempts {
        Some(n) if n > 0 => format!("{mode} ({n} attempts)"),
        _ => mode.to_owned(),
    }
}

fn logging(service: &Service<'_>) -> String {
    let driver = service
        .text("logging.driver")
        .unwrap_or_else(|| "json-file".to_owned());
    if !matches!(driver.as_str(), "json-file" | "local") {
        return driver;
    }
    match service.text("logging.options.max-size") {
        Some(size) => {
            let files = service
                .text("logging.options.max-file")
                .map(|n| format!(" × {n}"))
                .unwrap_or_default();
            format!("{driver}, {size}{files}")
        }
        None if driver == "local" => "local (rotated)".to_owned(),
        None => "json-file, no rotation".to_owned(),
    }
}

fn user(service: &Service<'_>, builds: &Builds) -> String {
    if let Some(user) = service.text("user") {
        return format!("`{user}` (compose)");
    }
    match built(builds, service) {
        Some(b) => match b.dockerfile.effective_user(b.target) {
            Some(found) => format!("`{}` (Dockerfile)", found.value.value.raw),
            None => "root (no USER)".to_owned(),
        },
        None => "image default".to_owned(),
    }
}

fn ports(service: &Service<'_>) -> String {
    let shown: Vec<String> = bindings(service)
        .iter()
        .map(|b| {
            let address = match b.address() {
                HostAddress::Wildcard => "all interfaces".to_owned(),
                HostAddress::Loopback | HostAddress::Explicit => {
                    b.host_ip.unwrap_or_default().to_owned()
                }
            };
            let published = b
                .published
                .map_or_else(|| "random".to_owned(), |p| p.to_string());
            let target = b.target.map_or_else(String::new, |t| t.to_string());
            let protocol = if b.protocol == "tcp" {
                String::new()
            } else {
                format!("/{}", b.protocol)
            };
            format!("{published}→{target}{protocol} ({address})")
        })
        .collect();
    if shown.is_empty() {
        "—".to_owned()
    } else {
        shown.join("<br>")
    }
}

fn secrets(service: &Service<'_>) -> String {
    let names: Vec<String> = service
        .get("secrets")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.get("source").and_then(Node::as_str))
        .map(|s| format!("`{s}`"))
        .collect();
    if names.is_empty() {
        "—".to_owned()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn contexts_are_shown_from_the_project_directory() {
        let base = Path::new("/repo/docker");
        assert_eq!(relative(Path::new("/repo/backend"), base), "../backend");
        assert_eq!(relative(Path::new("/repo/docker"), base), ".");
        assert_eq!(relative(Path::new("/repo/docker/web"), base), "web");
        assert_eq!(relative(Path::new("/srv/app"), base), "/srv/app");
    }
}
