use crate::facts::limits::{Amount, cpu_limit, number};
use crate::facts::sizing::{Bound, compose_cpus, limit_key, sizing};
use crate::patch::{Patch, PatchValue};
use crate::values::is_operator_supplied;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a service has no CPU bound: none of `deploy.resources.limits.cpus`, `cpus`
    /// or `cpu_quota` is greater than zero. `cpu_shares` alone does not count: it is a
    /// relative weight under contention, not a bound. A bare `${VAR}` without a default is set
    /// by the operator and does not fire. Services scaled to `deploy.replicas: 0` are exempt.
    ///
    /// ## Why it matters in production
    /// A busy loop or a traffic spike in one container takes every core of the host, and the
    /// other services (the database, the reverse proxy) slow to a crawl with it. CIS 5.12 asks
    /// for CPU shares, which only set priority; for production readiness a bound is what
    /// keeps one service from starving the others.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           cpus: "1.5"
    /// ```
    ///
    /// ## Known false positives
    /// Hosts that run one service only, where a bound protects nothing.
    ///
    /// ## What harden writes
    /// The CPUs of the service's role (0.5 for proxies, caches and observability, 1 for the
    /// others), never more than the host has, under `deploy.resources.limits.cpus` (or the
    /// legacy `cpus`). Safe: a CPU limit only slows a busy service down.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.12
    /// - OWASP Docker Security Cheat Sheet, rule 7
    pub(crate) struct CpuLimit {
        name: "cpu-limit",
        code: "SW102",
        area: Resources,
        severity: Medium,
        fix: Sometimes,
        summary: "service has no CPU limit",
    }
}

impl Rule for CpuLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if service.text("deploy.replicas").as_deref() == Some("0") {
            return;
        }
        let limit = cpu_limit(service);
        if limit.is_bounded() {
            return;
        }
        if let Some(quota) = service.get("cpu_quota")
            && (is_operator_supplied(quota) || number(quota).is_some_and(|q| q > 0.0))
        {
            return;
        }
        let name = service.name;
        let fix = cx.fixes.then(|| {
            let sizing = sizing(cx, service);
            Patch::new(
                name,
                limit_key(service, Bound::Cpus),
                PatchValue::Str(compose_cpus(sizing.cpus)),
                format!(
                    "{}'s CPUs: a busy service is slowed down, never stopped",
                    sizing.role.noun()
                ),
            )
        });
        let help = format!(
            "set a positive `deploy.resources.limits.cpus` for `{name}` in {}",
            cx.overlay_for_fixes()
        );
        match limit {
            Amount::Zero(node) => {
                cx.report(
                    format!("service `{name}` sets its CPU limit to zero, which means unlimited"),
                    node.span,
                    "no limit",
                )
                .help(help)
                .fix_all(fix);
            }
            _ => {
                let finding = cx.report(
                    format!("service `{name}` has no CPU limit"),
                    service.declared_at(),
                    "declared here without a CPU limit",
                );
                if let Some(shares) = service.get("cpu_shares") {
                    finding.secondary(shares.span, "a relative weight, not a bound");
                }
                finding.help(help).fix_all(fix);
            }
        }
    }
}
