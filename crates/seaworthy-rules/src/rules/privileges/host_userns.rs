use super::report_host_mode;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on `userns_mode: host`.
    ///
    /// ## Why it matters in production
    /// On a daemon started with `--userns-remap`, root in a container is an unprivileged uid
    /// on the host. `userns_mode: host` turns that off for this service: its root is the
    /// host's root again.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    ///     userns_mode: host
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    /// ```
    ///
    /// ## Known false positives
    /// It changes nothing on a daemon without `--userns-remap` (most hosts), which is why it
    /// is only low.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.31
    pub(crate) struct HostUserns {
        name: "host-userns",
        code: "SW713",
        area: Privileges,
        severity: Low,
        fix: Never,
        summary: "service opts out of user namespace remapping",
    }
}

impl Rule for HostUserns {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        report_host_mode(
            cx,
            service,
            "userns_mode",
            "uid 0 here is uid 0 on the host",
            "remove `userns_mode: host`",
        );
    }
}
