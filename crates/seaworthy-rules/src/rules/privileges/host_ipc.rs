use super::report_host_mode;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on `ipc: host`. `shareable`, `private` and `service:<name>` are fine.
    ///
    /// ## Why it matters in production
    /// The container shares the host's System V IPC objects and POSIX shared memory
    /// (`/dev/shm`): it can read and corrupt the shared memory of host processes.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: ghcr.io/acme/worker:3.0.1
    ///     ipc: host
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: ghcr.io/acme/worker:3.0.1
    ///     ipc: shareable
    /// ```
    ///
    /// ## Known false positives
    /// None known.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.17
    pub(crate) struct HostIpc {
        name: "host-ipc",
        code: "SW711",
        area: Privileges,
        severity: High,
        fix: Never,
        summary: "service shares the host's IPC namespace",
    }
}

impl Rule for HostIpc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        report_host_mode(
            cx,
            service,
            "ipc",
            "host shared memory is reachable",
            "remove `ipc: host`; to share memory between services use `ipc: shareable` on one and `ipc: service:<name>` on the other",
        );
    }
}
