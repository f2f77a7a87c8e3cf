use super::report_host_mode;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on `uts: host`.
    ///
    /// ## Why it matters in production
    /// The container shares the host's host name and domain name; with `SYS_ADMIN` it can
    /// change them for the whole host.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    ///     uts: host
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    /// ```
    ///
    /// ## Known false positives
    /// It has no effect without `SYS_ADMIN`, which is why it is only low; tools that report
    /// the host's name need it.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.21
    pub(crate) struct HostUts {
        name: "host-uts",
        code: "SW712",
        area: Privileges,
        severity: Low,
        fix: Never,
        summary: "service shares the host's UTS namespace",
    }
}

impl Rule for HostUts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        report_host_mode(
            cx,
            service,
            "uts",
            "host name shared with the host",
            "remove `uts: host`",
        );
    }
}
