use super::uses_host_network;
use crate::facts::ports::bindings;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on a published host port below 1024 other than 80 and 443 (a host range counts
    /// when it includes such a port).
    ///
    /// ## Why it matters in production
    /// Ports below 1024 are where system services live (22 ssh, 25 smtp, 53 dns, 111
    /// rpcbind): publishing a container there can shadow or be mistaken for a host service.
    /// Since Docker 20.10 it gives the container no extra privilege, which is why this is info.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   mail:
    ///     image: ghcr.io/acme/mail:1.0.0
    ///     ports:
    ///       - "127.0.0.1:25:2525"
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   mail:
    ///     image: ghcr.io/acme/mail:1.0.0
    ///     ports:
    ///       - "127.0.0.1:2525:2525"
    /// ```
    ///
    /// ## Known false positives
    /// DNS and mail servers must listen on their well-known ports: suppress with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.8
    pub(crate) struct PrivilegedHostPort {
        name: "privileged-host-port",
        code: "SW603",
        area: Network,
        severity: Info,
        fix: Never,
        summary: "service publishes a privileged host port",
    }
}

impl Rule for PrivilegedHostPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if uses_host_network(service) {
            return;
        }
        for binding in bindings(service) {
            let Some(published) = binding.published else {
                continue;
            };
            let privileged =
                (published.start..=published.end.min(1023)).any(|port| port != 80 && port != 443);
            if !privileged {
                continue;
            }
            cx.report(
                format!(
                    "service `{}` publishes privileged host port {published}",
                    service.name
                ),
                binding.span_node().span,
                "host port below 1024",
            )
            .help("publish on a port of 1024 or above unless clients need the well-known port");
        }
    }
}
