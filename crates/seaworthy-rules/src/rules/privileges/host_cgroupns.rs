use super::report_host_mode;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on `cgroup: host`.
    ///
    /// ## Why it matters in production
    /// The container sees the host's whole cgroup hierarchy instead of its own subtree: it
    /// learns about every other container and, with write access to cgroupfs, can change
    /// their limits.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    ///     cgroup: host
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    /// ```
    ///
    /// ## Known false positives
    /// Some monitoring agents (cAdvisor) read the host cgroup tree: suppress the finding for
    /// that service with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.25 (related)
    pub(crate) struct HostCgroupns {
        name: "host-cgroupns",
        code: "SW714",
        area: Privileges,
        severity: Medium,
        fix: Never,
        summary: "service shares the host's cgroup namespace",
    }
}

impl Rule for HostCgroupns {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        report_host_mode(
            cx,
            service,
            "cgroup",
            "the host's cgroup tree is visible",
            "remove `cgroup: host`; the default `cgroup: private` gives the container its own subtree",
        );
    }
}
