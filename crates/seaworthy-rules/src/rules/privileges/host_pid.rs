use super::report_host_mode;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on `pid: host`.
    ///
    /// ## Why it matters in production
    /// The container sees every process on the host and, as root, can signal them, read their
    /// environment (often secrets) and `ptrace` them when it holds `SYS_PTRACE`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: ghcr.io/acme/agent:2.1.0
    ///     pid: host
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: ghcr.io/acme/agent:2.1.0
    /// ```
    ///
    /// ## Known false positives
    /// Host monitoring agents that list host processes need it: suppress the finding for that
    /// service with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.16
    pub(crate) struct HostPid {
        name: "host-pid",
        code: "SW710",
        area: Privileges,
        severity: High,
        fix: Never,
        summary: "service shares the host's process namespace",
    }
}

impl Rule for HostPid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        report_host_mode(
            cx,
            service,
            "pid",
            "every host process is visible",
            "remove `pid: host`; to see another container's processes use `pid: service:<name>`",
        );
    }
}
