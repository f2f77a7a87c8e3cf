use crate::facts::restart::{RestartMode, RestartSource, effective_restart};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when both `restart` and `deploy.restart_policy` are set and disagree. Docker
    /// compose v2 gives the engine the `deploy.restart_policy` (`getRestartPolicy`), so the
    /// `restart:` line is dead. A policy block with no `condition` counts as `no`, which
    /// disagrees with any `restart:` other than `no`. `on-failure:N` agrees with
    /// `condition: on-failure` and `max_attempts: N`.
    ///
    /// ## Why it matters in production
    /// Whoever reads `restart: always` expects the service back after a reboot; the policy
    /// that actually applies may say otherwise.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     restart: always
    ///     deploy:
    ///       restart_policy:
    ///         condition: on-failure
    ///         max_attempts: 3
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     deploy:
    ///       restart_policy:
    ///         condition: on-failure
    ///         max_attempts: 3
    /// ```
    ///
    /// ## Known false positives
    /// Files shared between Swarm and Compose on purpose; the deploy policy still wins in
    /// Compose.
    ///
    /// ## References
    /// - docker compose `getRestartPolicy` (`pkg/compose/create.go`)
    pub(crate) struct RestartPolicyConflict {
        name: "restart-policy-conflict",
        code: "SW303",
        area: Restart,
        severity: Low,
        fix: Never,
        summary: "`restart` is overridden by `deploy.restart_policy`",
    }
}

fn describe(mode: RestartMode) -> &'static str {
    match mode {
        RestartMode::No => "no",
        RestartMode::Always => "always",
        RestartMode::UnlessStopped => "unless-stopped",
        RestartMode::OnFailure => "on-failure",
        RestartMode::Unknown => "an unknown policy",
    }
}

impl Rule for RestartPolicyConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let effective = effective_restart(service);
        let RestartSource::Deploy { policy, condition } = effective.source else {
            return;
        };
        let Some(restart) = service.get("restart").filter(|n| !n.is_null()) else {
            return;
        };
        // Reading `restart` alone, as if no deploy policy were there.
        let mut without_deploy = service.node.clone();
        if let Some(map) = without_deploy
            .get_mut("deploy")
            .and_then(|d| d.as_map_mut())
        {
            map.shift_remove("restart_policy");
        }
        let written = effective_restart(&Service {
            name: service.name,
            node: &without_deploy,
        });
        if written.mode == RestartMode::Unknown || effective.mode == RestartMode::Unknown {
            return;
        }
        let attempts = |n: Option<i64>| n.unwrap_or(0);
        let agree = written.mode == effective.mode
            && (effective.mode != RestartMode::OnFailure
                || attempts(written.max_attempts) == attempts(effective.max_attempts));
        if agree {
            return;
        }
        let text = restart.scalar_text().unwrap_or_default();
        let applies = if condition.is_none() {
            "no `condition`, which means `no`".to_owned()
        } else {
            format!("`{}`", describe(effective.mode))
        };
        cx.report(
            format!(
                "service `{}` sets `restart: {text}`, but `deploy.restart_policy` wins with {applies}",
                service.name
            ),
            restart.span,
            "ignored by docker compose",
        )
        .secondary(
            condition.map_or(crate::facts::block_anchor(policy), |c| c.span),
            "the policy that applies",
        )
        .help("keep one of the two: remove `restart:` or make `deploy.restart_policy` say the same");
    }
}
