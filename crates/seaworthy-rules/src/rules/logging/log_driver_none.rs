use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on `logging.driver: none`.
    ///
    /// ## Why it matters in production
    /// With no log driver, `docker compose logs` shows nothing and no log leaves the host:
    /// when the service fails, there is no evidence of why.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     logging:
    ///       driver: none
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     logging:
    ///       driver: local
    /// ```
    ///
    /// ## Known false positives
    /// Services whose output is pure noise (some sidecars); suppress per service.
    ///
    /// ## References
    /// - Docker logging drivers documentation
    pub(crate) struct LogDriverNone {
        name: "log-driver-none",
        code: "SW402",
        area: Logging,
        severity: Low,
        fix: Never,
        summary: "container logs are discarded",
    }
}

impl Rule for LogDriverNone {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(driver) = service.get("logging.driver") else {
            return;
        };
        if driver.as_str() != Some("none") {
            return;
        }
        cx.report(
            format!("service `{}` discards its logs", service.name),
            driver.span,
            "no log driver",
        )
        .help("use the `local` driver, or ship logs with `journald`, `syslog` or `fluentd`");
    }
}
