use crate::patch::{Patch, PatchValue};
use crate::values::is_operator_supplied;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a service logs through the Loki driver (`loki`, or a plugin alias that
    /// contains `loki`, such as `grafana/loki-docker-driver:latest`) without
    /// `mode: non-blocking`.
    ///
    /// ## Why it matters in production
    /// In the default blocking mode, when Loki is slow or unreachable the driver stops reading
    /// the container's stdout: the application blocks on its next log line, and
    /// `docker stop`/`kill` can hang until dockerd is restarted (grafana/loki#2361, #4082).
    /// One logging outage becomes an outage of every service that logs to it. The driver is
    /// also a plugin that must be installed on each host
    /// (`docker plugin install grafana/loki-docker-driver`), which cannot be checked from
    /// the files.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     logging:
    ///       driver: loki
    ///       options:
    ///         loki-url: http://logs.example.internal:3100/loki/api/v1/push
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     logging:
    ///       driver: loki
    ///       options:
    ///         loki-url: http://logs.example.internal:3100/loki/api/v1/push
    ///         mode: non-blocking
    ///         max-buffer-size: 4m
    ///         loki-retries: "2"
    /// ```
    ///
    /// ## Known false positives
    /// None known. A missing `loki-retries` alone does not fire: the driver then retries
    /// 10 times, and in non-blocking mode retries never hold up the container.
    ///
    /// ## What harden writes
    /// `logging.options.mode: non-blocking`. Safe: when Loki cannot keep up or is down, the
    /// driver drops log lines from its buffer instead of blocking the service's writes.
    ///
    /// ## References
    /// - grafana/loki#2361, #4082, #2332 (the driver blocks containers or deadlocks dockerd)
    pub(crate) struct LokiBlockingMode {
        name: "loki-blocking-mode",
        code: "SW403",
        area: Logging,
        severity: High,
        fix: Always,
        summary: "the loki log driver can block the container",
    }
}

impl Rule for LokiBlockingMode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(driver) = service.get("logging.driver") else {
            return;
        };
        if !driver.as_str().is_some_and(|d| d.contains("loki")) {
            return;
        }
        let mode = service.get("logging.options.mode");
        if mode.is_some_and(|m| is_operator_supplied(m) || m.as_str() == Some("non-blocking")) {
            return;
        }
        let (span, label) = match mode {
            Some(mode) => (mode.span, "blocking mode"),
            None => (driver.span, "blocking by default"),
        };
        cx.report(
            format!(
                "service `{}` logs to Loki in blocking mode, so an unreachable Loki stalls it",
                service.name
            ),
            span,
            label,
        )
        .help(format!(
            "set `logging.options.mode: non-blocking` (with `max-buffer-size`) for `{}`; the \
             loki driver plugin must also be installed on every host",
            service.name
        ))
        .fix(Patch::new(
            service.name,
            "logging.options.mode",
            PatchValue::Str("non-blocking".to_owned()),
            "an unreachable Loki drops log lines instead of stalling the service",
        ));
    }
}
