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
use crate::rules::resources::resource_budget::{CPU_OVERCOMMIT, replicas};
use crate::settings::HostProfile;
use seaworthy_compose::{Node, Project};
use std::fmt::Write as _;
use std::path::Path;

/// The inventory of one target as Markdown: the service table, then the totals.
pub fn inventory(project: &Project, builds: &Builds, host: Option<HostProfile>) -> String {
    let mut out = String::from(
        "| Service | Image or build | CPU limit / reservation | Memory limit / reservation | Health check | Restart | Logging | User | Published ports | Secrets |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for service in services_of(project) {
        let count = replicas(&service);
        let name = if count == 1.0 {
            format!("`{}`", service.name)
        } else {
            format!("`{}` ×{count}", service.name)
        };
        let _ = writeln!(
            out,
            "| {name} | {} | {} / {} | {} / {} | {} | {} | {} | {} | {} | {} |",
            image(project, &service, builds),
            amount(&cpu_limit(&service), false),
            amount(&cpu_reservation(&service), false),
            amount(&memory_limit(&service), true),
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
    out.push_str(&totals_table(&totals(project, host), host));
    out
}

/// The totals against the host, as the verification pages of the seeds add them up by hand.
fn totals_table(totals: &Totals, host: Option<HostProfile>) -> String {
    let unbounded = |what: &str, services: &[String]| {
        let names: Vec<String> = services.iter().map(|n| format!("`{n}`")).collect();
        format!("unbounded: no {what} limit on {}", names.join(", "))
    };
    let mut out = String::from(
        "| Totals (× replicas) | Limits | Reservations | Host | Budget |\n|---|---|---|---|---|\n",
    );
    let memory_limits = totals
        .memory
        .map_or_else(|| unbounded("memory", &totals.unlimited), show_bytes);
    let (memory_host, memory_budget) = match (host.and_then(|h| h.memory), totals.memory_available)
    {
        (Some(bytes), Some(available)) => (
            format!(
                "{} for containers ({} less {} for the engine and the system)",
                show_bytes(available),
                show_bytes(bytes),
                show_bytes(HostProfile::headroom(bytes))
            ),
            match totals.memory {
                Some(used) if used <= available => {
                    format!("fits, {} to spare", show_bytes(available - used))
                }
                Some(used) => format!("**over by {}**", show_bytes(used - available)),
                None => "cannot tell: a service has no limit".to_owned(),
            },
        ),
        _ => (not_given(), "—".to_owned()),
    };
    let _ = writeln!(
        out,
        "| Memory | {memory_limits} | {} | {memory_host} | {memory_budget} |",
        none_if_zero(totals.memory_reserved, show_bytes)
    );
    let cpu_limits = totals.cpus.map_or_else(
        || unbounded("CPU", &totals.unlimited_cpu),
        |cpus| format!("{}", round(cpus)),
    );
    let (cpu_host, cpu_budget) = match totals.host_cpus {
        Some(cpus) => {
            let allowed = cpus * CPU_OVERCOMMIT;
            let verdict = match totals.cpus {
                Some(used) if used <= cpus => "fits".to_owned(),
                Some(used) if used <= allowed => format!(
                    "overcommitted within {CPU_OVERCOMMIT}× ({} of {}): busy services throttle one another",
                    round(used),
                    round(allowed)
                ),
                Some(used) => format!(
                    "**over {CPU_OVERCOMMIT}× the host** ({} of {})",
                    round(used),
                    round(allowed)
                ),
                None => "cannot tell: a service has no limit".to_owned(),
            };
            let unit = if cpus == 1.0 { "CPU" } else { "CPUs" };
            (format!("{} {unit}", round(cpus)), verdict)
        }
        None => (not_given(), "—".to_owned()),
    };
    let _ = writeln!(
        out,
        "| CPU | {cpu_limits} | {} | {cpu_host} | {cpu_budget} |",
        none_if_zero(totals.cpus_reserved, |v| round(v).to_string())
    );
    out
}

/// Nothing reserved reads as a dash, as in the service table.
fn none_if_zero(value: f64, show: impl Fn(f64) -> String) -> String {
    if value == 0.0 {
        "—".to_owned()
    } else {
        show(value)
    }
}

fn not_given() -> String {
    "not given (`host` in the target, or `--host`)".to_owned()
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// What a target asks of its host: the limits of every service times its replicas.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// Bytes of memory limits; `None` when a service has none (the total is unbounded).
    pub memory: Option<f64>,
    /// CPU limits; `None` when a service has none.
    pub cpus: Option<f64>,
    /// Bytes of memory reservations (services without one count for nothing).
    pub memory_reserved: f64,
    /// CPU reservations.
    pub cpus_reserved: f64,
    /// The services without a memory limit.
    pub unlimited: Vec<String>,
    /// The services without a CPU limit.
    pub unlimited_cpu: Vec<String>,
    /// Memory the host leaves to containers: its memory less the engine's headroom
    /// ([`HostProfile::headroom`]), as `resource-budget` counts it.
    pub memory_available: Option<f64>,
    pub host_cpus: Option<f64>,
}

/// The totals of a target against its host, for the budget chart of the human report.
pub fn totals(project: &Project, host: Option<HostProfile>) -> Totals {
    let mut memory = Some(0.0);
    let mut cpus = Some(0.0);
    let mut memory_reserved = 0.0;
    let mut cpus_reserved = 0.0;
    let mut unlimited = Vec::new();
    let mut unlimited_cpu = Vec::new();
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
        let cpu = cpu_limit(&service);
        if !matches!(cpu, Amount::Set(..)) {
            unlimited_cpu.push(service.name.to_owned());
        }
        cpus = add(cpus, &cpu, count);
        if let Amount::Set(_, bytes) = memory_reservation(&service) {
            memory_reserved += bytes * count;
        }
        if let Amount::Set(_, value) = cpu_reservation(&service) {
            cpus_reserved += value * count;
        }
    }
    Totals {
        memory,
        cpus,
        memory_reserved,
        cpus_reserved,
        unlimited,
        unlimited_cpu,
        memory_available: host.and_then(|h| h.memory_for_containers()),
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
