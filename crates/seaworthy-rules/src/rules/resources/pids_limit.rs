use crate::facts::limits::number;
use crate::values::is_operator_supplied;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a service sets no explicit bound on its number of processes: neither
    /// `deploy.resources.limits.pids` nor `pids_limit` is greater than zero (`0` and `-1`
    /// mean unlimited). Services scaled to `deploy.replicas: 0` are exempt.
    ///
    /// ## Why it matters in production
    /// A fork bomb or a thread leak in one container exhausts the host's process table, and
    /// nothing else on the host can start a process.
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
    ///           pids: 256
    /// ```
    ///
    /// ## Known false positives
    /// On systemd hosts, dockerd's `TasksMax` may already bound every container together
    /// (compose-lint withdrew its rule for this reason); this rule only says there is no
    /// explicit per-service bound, hence low.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.29
    /// - OWASP Docker Security Cheat Sheet, rule 7
    pub(crate) struct PidsLimit {
        name: "pids-limit",
        code: "SW103",
        area: Resources,
        severity: Low,
        fix: Never,
        summary: "service has no explicit process limit",
    }
}

impl Rule for PidsLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if service.text("deploy.replicas").as_deref() == Some("0") {
            return;
        }
        let keys = ["deploy.resources.limits.pids", "pids_limit"];
        let written: Vec<_> = keys.iter().filter_map(|key| service.get(key)).collect();
        if written
            .iter()
            .any(|node| is_operator_supplied(node) || number(node).is_some_and(|n| n > 0.0))
        {
            return;
        }
        let name = service.name;
        let help = format!(
            "set `deploy.resources.limits.pids` (for example 256) for `{name}` in {}",
            cx.overlay_for_fixes()
        );
        match written.first() {
            Some(node) => {
                cx.report(
                    format!("service `{name}` sets its process limit to unlimited"),
                    node.span,
                    "no bound",
                )
                .help(help);
            }
            None => {
                cx.report(
                    format!("service `{name}` has no explicit process limit"),
                    service.declared_at(),
                    "declared here without a pids limit",
                )
                .help(help);
            }
        }
    }
}
