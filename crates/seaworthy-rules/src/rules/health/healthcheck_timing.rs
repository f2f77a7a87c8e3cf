use crate::facts::block_anchor;
use crate::facts::durations::{self, SECOND};
use crate::facts::health::{Healthcheck, effective_healthcheck};
use crate::facts::limits::number;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;
use seaworthy_source::{Severity, Span};

const MINUTE: u64 = 60 * SECOND;

declare_rule! {
    /// ## What it checks
    /// Fires on healthcheck timings that defeat the check, read after the overlay merge (the
    /// timing fields merge key by key) and with Docker's defaults (interval 30s, timeout 30s,
    /// retries 3, start_period 0): (a) `timeout` at or above `interval`; (b) `interval` under
    /// 5s with no `start_interval`, which is churn; (c) `interval` above 5m, which detects a
    /// failure slowly; (d) `retries` above 10, or interval × retries above 10 minutes;
    /// (e) `start_interval` without `start_period`. Docker compose v2.40 refuses (e) at `up`
    /// ("healthcheck.start_interval requires healthcheck.start_period to be set"), so that
    /// case is reported as an **error**; with an explicit zero `start_period` it only has no
    /// effect.
    ///
    /// ## Why it matters in production
    /// A healthcheck that times out after the next one starts, runs every second, or needs an
    /// hour of failures before it reports one, gates nothing.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     healthcheck:
    ///       test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]
    ///       interval: 10s
    ///       timeout: 30s
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     healthcheck:
    ///       test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]
    ///       interval: 10s
    ///       timeout: 3s
    /// ```
    ///
    /// ## Known false positives
    /// Slow batch services where a 10-minute detection window is a choice.
    ///
    /// ## References
    /// - Compose specification, `healthcheck`
    /// - Docker `HEALTHCHECK` reference
    pub(crate) struct HealthcheckTiming {
        name: "healthcheck-timing",
        code: "SW203",
        area: Health,
        severity: Low,
        fix: Never,
        summary: "healthcheck timings defeat the check",
    }
}

/// A timing field after defaults, and the span to point at (the field, else the block).
fn timing(healthcheck: &Node, key: &str, default: u64) -> (u64, Span) {
    match healthcheck.get(key) {
        Some(node) => (durations::of(node).unwrap_or(default), node.span),
        None => (default, block_anchor(healthcheck)),
    }
}

impl Rule for HealthcheckTiming {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if matches!(
            effective_healthcheck(service, cx.builds),
            Healthcheck::Disabled { .. }
        ) {
            return;
        }
        let Some(healthcheck) = service.get("healthcheck") else {
            return;
        };
        let name = service.name;
        let show = durations::show;
        let (interval, interval_at) = timing(healthcheck, "interval", 30 * SECOND);
        let (timeout, timeout_at) = timing(healthcheck, "timeout", 30 * SECOND);
        let start_interval = healthcheck.get("start_interval");
        let retries_node = healthcheck.get("retries");
        let retries = retries_node.and_then(number).unwrap_or(3.0).max(0.0) as u64;
        if timeout >= interval {
            cx.report(
                format!(
                    "service `{name}`'s healthcheck timeout ({}) is not shorter than its interval ({})",
                    show(timeout),
                    show(interval)
                ),
                timeout_at,
                "timeout at or above the interval",
            )
            .secondary(interval_at, "the interval")
            .help("make `timeout` a fraction of `interval` (for example 5s of 30s)");
        }
        if interval < 5 * SECOND && start_interval.is_none() {
            cx.report(
                format!(
                    "service `{name}` runs its healthcheck every {}",
                    show(interval)
                ),
                interval_at,
                "under 5s",
            )
            .help("use `interval: 30s` with `start_period` and `start_interval` for a fast start");
        }
        if interval > 5 * MINUTE {
            cx.report(
                format!(
                    "service `{name}` runs its healthcheck only every {}, so failures are seen late",
                    show(interval)
                ),
                interval_at,
                "over 5m",
            )
            .help("check at least every few minutes");
        }
        let detection = interval.saturating_mul(retries);
        if retries > 10 || detection > 10 * MINUTE {
            cx.report(
                format!(
                    "service `{name}` is marked unhealthy only after {retries} failed checks ({})",
                    show(detection)
                ),
                retries_node.map_or(interval_at, |n| n.span),
                "slow failure detection",
            )
            .help("keep `retries` × `interval` within 10 minutes");
        }
        if let Some(start_interval) = start_interval {
            match healthcheck.get("start_period") {
                None => {
                    cx.report_at(
                        Severity::Error,
                        format!(
                            "service `{name}` sets `start_interval` without `start_period`, \
                             which docker compose refuses at `up`"
                        ),
                        start_interval.span,
                        "needs `start_period`",
                    )
                    .help("set `healthcheck.start_period` (for example `30s`)");
                }
                Some(period) if durations::of(period) == Some(0) => {
                    cx.report(
                        format!(
                            "service `{name}`'s `start_interval` has no effect with a zero `start_period`"
                        ),
                        start_interval.span,
                        "no effect",
                    )
                    .secondary(period.span, "zero start period")
                    .help("set a positive `healthcheck.start_period`");
                }
                Some(_) => {}
            }
        }
    }
}
