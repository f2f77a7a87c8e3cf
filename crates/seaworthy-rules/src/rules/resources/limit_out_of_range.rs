use crate::facts::limits::{Amount, cpu_limit, memory_limit, show_bytes};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_source::Severity;

/// The engine refuses a memory limit below this ("Minimum memory limit allowed is 6MB").
const ENGINE_MINIMUM_MEMORY: f64 = 6.0 * 1024.0 * 1024.0;

declare_rule! {
    /// ## What it checks
    /// Fires on a limit the host cannot honour. A CPU limit above the host's CPUs is an
    /// **error**: the engine refuses to start the container ("range of CPUs is from 0.01 to
    /// N"). A memory limit above the host's memory is **medium**: it bounds nothing. A memory
    /// limit below the engine's minimum of 6 MiB is an **error** with or without a host
    /// profile. The host comes from `--host cpus=N,memory=SIZE` or from a top-level
    /// `x-seaworthy: {host: {cpus: N, memory: SIZE}}` in the target's files; without one, only
    /// the 6 MiB check runs: seaworthy never guesses the host.
    ///
    /// ## Why it matters in production
    /// A CPU limit written for a bigger machine stops the service from starting on a smaller
    /// one, typically the first time the stack is deployed to a new, cheaper droplet.
    ///
    /// ## Example
    /// ```yaml
    /// x-seaworthy:
    ///   host: {cpus: 2, memory: 4GiB}
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     deploy:
    ///       resources:
    ///         limits: {cpus: "4", memory: 512M}
    /// ```
    /// Use instead:
    /// ```yaml
    /// x-seaworthy:
    ///   host: {cpus: 2, memory: 4GiB}
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     deploy:
    ///       resources:
    ///         limits: {cpus: "1.5", memory: 512M}
    /// ```
    ///
    /// ## Known false positives
    /// None when the host profile is right; a profile for the wrong host gives wrong results.
    ///
    /// ## References
    /// - Docker Engine resource constraints (`--cpus`, `--memory` validation)
    pub(crate) struct LimitOutOfRange {
        name: "limit-out-of-range",
        code: "SW106",
        area: Resources,
        severity: Error,
        fix: Never,
        summary: "a limit is outside what the engine or the host allows",
    }
}

impl Rule for LimitOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let host = cx.host;
        if let Amount::Set(node, bytes) = memory_limit(service) {
            if bytes < ENGINE_MINIMUM_MEMORY {
                cx.report(
                    format!(
                        "service `{}` has a memory limit of {}, below the engine's minimum of 6MiB",
                        service.name,
                        show_bytes(bytes)
                    ),
                    node.span,
                    "the container will not start",
                )
                .help("raise the limit: the engine refuses anything under 6MiB");
            } else if let Some(host_memory) = host.and_then(|h| h.memory)
                && bytes > host_memory
            {
                cx.report_at(
                    Severity::Medium,
                    format!(
                        "service `{}` has a memory limit of {}, more than the host's {}",
                        service.name,
                        show_bytes(bytes),
                        show_bytes(host_memory)
                    ),
                    node.span,
                    "bounds nothing on this host",
                )
                .help("size the limit for this host, leaving room for the other services");
            }
        }
        if let (Amount::Set(node, cpus), Some(host_cpus)) =
            (cpu_limit(service), host.and_then(|h| h.cpus))
            && cpus > host_cpus
        {
            cx.report(
                format!(
                    "service `{}` has a CPU limit of {cpus}, more than the host's {host_cpus}",
                    service.name
                ),
                node.span,
                "the engine refuses to start the container",
            )
            .help(format!(
                "the engine accepts 0.01 to {host_cpus} CPUs on this host"
            ));
        }
    }
}
