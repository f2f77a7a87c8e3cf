use crate::rules::privileges::report_host_mode;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on `network_mode: host`.
    ///
    /// ## Why it matters in production
    /// The container uses the host's network stack: every port it listens on is open on every
    /// host interface, `ports:` and the project's networks are ignored, and it can reach
    /// services the host binds to loopback only (a database on `127.0.0.1`, the cloud metadata
    /// endpoint).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     network_mode: host
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     ports:
    ///       - "127.0.0.1:8080:8080"
    /// ```
    ///
    /// ## Known false positives
    /// Monitoring agents (node-exporter, netdata) and some VPN or discovery tools need the
    /// host's network: suppress the finding for that service with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.10
    pub(crate) struct HostNetwork {
        name: "host-network",
        code: "SW604",
        area: Network,
        severity: High,
        fix: Never,
        summary: "service uses the host's network stack",
    }
}

impl Rule for HostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        report_host_mode(
            cx,
            service,
            "network_mode",
            "listens on every host interface",
            "remove `network_mode: host` and publish only the ports that must be reachable, bound to an address (`127.0.0.1:8080:8080`)",
        );
    }
}
