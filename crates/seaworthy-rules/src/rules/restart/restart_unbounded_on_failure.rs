use crate::facts::restart::{RestartMode, effective_restart};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

/// The most restarts CIS 5.15 accepts before a human should look.
const MAX_ATTEMPTS: i64 = 5;

declare_rule! {
    /// ## What it checks
    /// Fires when the effective restart policy is `on-failure` with no bound, or a bound above
    /// 5: `restart: on-failure` without `:N` (or `:0`), `on-failure:N` with N > 5, or a
    /// `deploy.restart_policy` with `condition: on-failure` and no `max_attempts` (or one
    /// above 5). Any N from 1 to 5 is accepted.
    ///
    /// ## Why it matters in production
    /// A service that fails on start (a bad config, a missing secret) is restarted forever,
    /// burning CPU and flooding logs, instead of stopping where someone notices.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: ghcr.io/acme/worker:2.0.1
    ///     restart: on-failure
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: ghcr.io/acme/worker:2.0.1
    ///     restart: on-failure:5
    /// ```
    ///
    /// ## Known false positives
    /// Services that are expected to retry until a dependency appears; `unless-stopped` says
    /// that more clearly.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.15
    /// - OWASP Docker Security Cheat Sheet, rule 7
    pub(crate) struct RestartUnboundedOnFailure {
        name: "restart-unbounded-on-failure",
        code: "SW302",
        area: Restart,
        severity: Info,
        fix: Never,
        summary: "`on-failure` restarts without a small bound",
    }
}

impl Rule for RestartUnboundedOnFailure {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let policy = effective_restart(service);
        if policy.mode != RestartMode::OnFailure {
            return;
        }
        let attempts = policy.max_attempts.unwrap_or(0);
        if (1..=MAX_ATTEMPTS).contains(&attempts) {
            return;
        }
        let Some(node) = policy.node() else {
            return;
        };
        let name = service.name;
        let message = if attempts <= 0 {
            format!("service `{name}` restarts on failure without a limit")
        } else {
            format!("service `{name}` restarts on failure up to {attempts} times")
        };
        let span = service
            .get("deploy.restart_policy.max_attempts")
            .filter(|_| attempts > 0)
            .map_or(node.span, |n| n.span);
        cx.report(message, span, "unbounded restarts").help(format!(
            "bound it with at most {MAX_ATTEMPTS} attempts (`on-failure:5` or `max_attempts: 5`)"
        ));
    }
}
