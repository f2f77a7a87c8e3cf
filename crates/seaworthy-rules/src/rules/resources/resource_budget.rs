use crate::facts::limits::{Amount, cpu_limit, memory_limit, memory_reservation, show_bytes};
use crate::settings::HostProfile;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::{Node, Project, Value};
use seaworthy_source::{Severity, Span};

/// CPU limits may add up to this many times the host's CPUs: overcommitted CPU only throttles.
pub(crate) const CPU_OVERCOMMIT: f64 = 2.0;

declare_rule! {
    /// ## What it checks
    /// Needs a host profile (`--host cpus=N,memory=SIZE` or a top-level
    /// `x-seaworthy: {host: ...}`). Adds up every active service's memory limit times its
    /// replicas (`deploy.replicas` or `scale`) and compares it with the host's memory minus
    /// the headroom the engine and the operating system need: the larger of 10 % and 512 MiB.
    /// Over that, it fires at **high**. It also fires when the memory *reservations* add up
    /// to more than the host has, and, at **info**, when CPU limits add up to more than twice
    /// the host's CPUs (CPU overcommit only throttles). A service without a memory limit
    /// makes the budget unbounded: that is reported once, at **info**, naming the services
    /// (`memory-limit` reports each of them).
    ///
    /// ## Why it matters in production
    /// Limits that each look reasonable can add up to more than the machine has. Under load
    /// the kernel then kills containers (or dockerd) before any of them reaches its limit,
    /// and the stack that passed every per-service check falls over as a whole.
    ///
    /// ## Example
    /// ```yaml
    /// x-seaworthy:
    ///   host: {cpus: 2, memory: 4GiB}
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     deploy:
    ///       replicas: 2
    ///       resources:
    ///         limits: {memory: 1536M}
    ///   db:
    ///     image: postgres:16.4
    ///     mem_limit: 1g
    /// ```
    /// Use instead:
    /// ```yaml
    /// x-seaworthy:
    ///   host: {cpus: 2, memory: 4GiB}
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     deploy:
    ///       replicas: 2
    ///       resources:
    ///         limits: {memory: 1G}
    ///   db:
    ///     image: postgres:16.4
    ///     mem_limit: 1g
    /// ```
    ///
    /// ## Known false positives
    /// Services that never run together (one-shot jobs, profiles enabled only sometimes) are
    /// counted as if they did; leave inactive profiles out of the target.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 7 (limit resources)
    pub(crate) struct ResourceBudget {
        name: "resource-budget",
        code: "SW107",
        area: Resources,
        severity: High,
        fix: Never,
        summary: "the services' limits add up to more than the host has",
    }
}

impl Rule for ResourceBudget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let Some(host) = cx.host else {
            return;
        };
        let services = cx.services();
        let budget = Budget::of(&services);
        if let Some(host_memory) = host.memory {
            let headroom = HostProfile::headroom(host_memory);
            let available = host_memory - headroom;
            if !budget.unbounded.is_empty() {
                let names = quoted(&budget.unbounded);
                let at = budget
                    .unbounded_spans
                    .first()
                    .copied()
                    .unwrap_or(Span::SYNTHETIC);
                cx.report_at(
                    Severity::Info,
                    format!("the memory budget is unbounded: {names} have no memory limit"),
                    at,
                    "no memory limit",
                )
                .help("give every service a memory limit so the total can be checked against the host");
            }
            if budget.memory > available {
                let finding = cx.report(
                    format!(
                        "memory limits add up to {}, more than the {} this host can give containers ({} minus {} for the engine and the system)",
                        show_bytes(budget.memory),
                        show_bytes(available),
                        show_bytes(host_memory),
                        show_bytes(headroom)
                    ),
                    budget.largest_memory.first().map_or(Span::SYNTHETIC, |(_, s)| *s),
                    budget
                        .largest_memory
                        .first()
                        .map_or("the largest limit", |(label, _)| label.as_str()),
                );
                for (label, span) in budget.largest_memory.iter().skip(1).take(2) {
                    finding.secondary(*span, label.clone());
                }
                finding.help("lower the limits, run fewer replicas, or deploy to a bigger host");
            }
            if budget.reserved > host_memory {
                cx.report(
                    format!(
                        "memory reservations add up to {}, more than the host's {}",
                        show_bytes(budget.reserved),
                        show_bytes(host_memory)
                    ),
                    budget.reservation_span,
                    "reserved here and in other services",
                )
                .help(
                    "a reservation is a floor the host must be able to give every service at once",
                );
            }
        }
        if let Some(host_cpus) = host.cpus
            && budget.cpus > host_cpus * CPU_OVERCOMMIT
        {
            cx.report_at(
                Severity::Info,
                format!(
                    "CPU limits add up to {}, more than {CPU_OVERCOMMIT} times the host's {host_cpus} CPUs",
                    trim(budget.cpus)
                ),
                budget.cpu_span,
                "one of the CPU limits",
            )
            .help("CPU overcommit only throttles, but services will be slower than their limits suggest");
        }
    }
}

#[derive(Default)]
struct Budget {
    memory: f64,
    reserved: f64,
    cpus: f64,
    unbounded: Vec<String>,
    unbounded_spans: Vec<Span>,
    /// The largest memory limits, largest first, with a label naming their service.
    largest_memory: Vec<(String, Span)>,
    reservation_span: Span,
    cpu_span: Span,
}

impl Budget {
    fn of(services: &[Service<'_>]) -> Budget {
        let mut budget = Budget {
            reservation_span: Span::SYNTHETIC,
            cpu_span: Span::SYNTHETIC,
            ..Budget::default()
        };
        let mut sized = Vec::new();
        for service in services {
            let replicas = replicas(service);
            if replicas == 0.0 {
                continue;
            }
            match memory_limit(service) {
                Amount::Set(node, bytes) => {
                    budget.memory += bytes * replicas;
                    sized.push((bytes * replicas, service.name.to_owned(), node.span));
                }
                // the operator sets it at deploy time: unknown, not unbounded
                Amount::OperatorSupplied(_) => {}
                Amount::Unset | Amount::Zero(_) => {
                    budget.unbounded.push(service.name.to_owned());
                    budget.unbounded_spans.push(service.declared_at());
                }
            }
            if let Amount::Set(node, bytes) = memory_reservation(service) {
                budget.reserved += bytes * replicas;
                budget.reservation_span = node.span;
            }
            if let Amount::Set(node, cpus) = cpu_limit(service) {
                budget.cpus += cpus * replicas;
                budget.cpu_span = node.span;
            }
        }
        sized.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        budget.largest_memory = sized
            .into_iter()
            .map(|(bytes, name, span)| (format!("`{name}`: {} in all", show_bytes(bytes)), span))
            .collect();
        budget
    }
}

pub(crate) fn replicas(service: &Service<'_>) -> f64 {
    let count = |node: &Node| match node.value {
        Value::Int(i) => Some(i.max(0) as f64),
        _ => None,
    };
    service
        .get("scale")
        .and_then(count)
        .or_else(|| service.get("deploy.replicas").and_then(count))
        .unwrap_or(1.0)
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn trim(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
