use crate::facts::restart::{RestartMode, RestartSource, effective_restart, is_one_shot};
use crate::patch::{Patch, PatchValue};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a long-running service's effective restart policy is `no`: neither
    /// `restart` nor `deploy.restart_policy` is set, `restart: "no"` is written, or a
    /// `deploy.restart_policy` block has no `condition` (docker compose then replaces any
    /// `restart:` with an empty policy, which the engine reads as `no`). One-shot services are
    /// exempt: policy `no` and either awaited with `condition: service_completed_successfully`
    /// or `deploy.restart_policy.condition: none`.
    ///
    /// ## Why it matters in production
    /// A container that crashes, or a host that reboots, leaves the service down until
    /// someone runs `docker compose up` again.
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
    ///     restart: unless-stopped
    /// ```
    ///
    /// ## Known false positives
    /// Jobs run by hand (`docker compose run`) that no service waits for: mark them one-shot
    /// with `deploy.restart_policy.condition: none`, or put them behind a profile.
    ///
    /// ## What harden writes
    /// `restart: unless-stopped` for the service, or `deploy.restart_policy.condition: any`
    /// when the service's `deploy.restart_policy` decides. Safe: it only brings back a
    /// container that stopped on its own or with the host, and one-shot services (migrations,
    /// `service_completed_successfully` dependencies) are never reported, so never restarted.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.15
    /// - OWASP Docker Security Cheat Sheet, rule 7
    pub(crate) struct RestartPolicyMissing {
        name: "restart-policy-missing",
        code: "SW301",
        area: Restart,
        severity: High,
        fix: Always,
        summary: "long-running service is not restarted after a crash or reboot",
    }
}

impl Rule for RestartPolicyMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let policy = effective_restart(service);
        if policy.mode != RestartMode::No || is_one_shot(cx.project, service) {
            return;
        }
        let overlay = cx.overlay_for_fixes();
        let help = format!(
            "set `restart: unless-stopped` (or `always`) for `{}` in {overlay}",
            service.name
        );
        let name = service.name;
        match policy.source {
            RestartSource::Unset => {
                cx.report(
                    format!("service `{name}` has no restart policy"),
                    service.declared_at(),
                    "declared here without a restart policy",
                )
                .help(help)
                .fix(restart_fix(name));
            }
            RestartSource::Restart(node) => {
                cx.report(
                    format!("service `{name}` is never restarted"),
                    node.span,
                    "restart policy `no`",
                )
                .help(help)
                .fix(restart_fix(name));
            }
            RestartSource::Deploy { policy, condition } => {
                let (span, message) = match condition {
                    Some(condition) => (
                        condition.span,
                        format!("service `{name}` is never restarted"),
                    ),
                    None => (
                        crate::facts::block_anchor(policy),
                        format!(
                            "service `{name}` is never restarted: its `deploy.restart_policy` \
                             has no `condition`, which docker compose runs as `no`"
                        ),
                    ),
                };
                let finding = cx.report(message, span, "restart policy `no`");
                if let Some(restart) = service.get("restart") {
                    finding.secondary(restart.span, "ignored: `deploy.restart_policy` wins");
                }
                finding
                    .help(format!(
                        "set `deploy.restart_policy.condition: any` for `{name}` in {overlay}"
                    ))
                    .fix(Patch::new(
                        name,
                        "deploy.restart_policy.condition",
                        PatchValue::Str("any".to_owned()),
                        "restart after a crash; `deploy.restart_policy` wins over `restart`",
                    ));
            }
        }
    }
}

/// `restart: unless-stopped`: back after a crash or a reboot, and still stoppable by hand.
fn restart_fix(service: &str) -> Patch {
    Patch::new(
        service,
        "restart",
        PatchValue::Str("unless-stopped".to_owned()),
        "start again after a crash or a reboot of the host, unless stopped by hand",
    )
}
