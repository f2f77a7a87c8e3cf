use crate::values::is_operator_supplied;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when `cgroup_parent` is set.
    ///
    /// ## Why it matters in production
    /// The container's resources are then accounted and limited under a cgroup the host
    /// defines, not Docker's default: its limits depend on a host setting the compose file
    /// does not show, and a wrong parent can put it next to host services.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   batch:
    ///     image: ghcr.io/acme/batch:1.0.0
    ///     cgroup_parent: batch.slice
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   batch:
    ///     image: ghcr.io/acme/batch:1.0.0
    /// ```
    ///
    /// ## Known false positives
    /// Placing containers in a systemd slice is a legitimate way to budget a host, which is
    /// why this is only info.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.25
    pub(crate) struct CgroupParent {
        name: "cgroup-parent",
        code: "SW717",
        area: Privileges,
        severity: Info,
        fix: Never,
        summary: "service runs under a custom parent cgroup",
    }
}

impl Rule for CgroupParent {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(node) = service.get("cgroup_parent") else {
            return;
        };
        let Some(parent) = node.as_str().filter(|p| !p.is_empty()) else {
            return;
        };
        if is_operator_supplied(node) {
            return;
        }
        cx.report(
            format!(
                "service `{}` runs under parent cgroup `{parent}`",
                service.name
            ),
            node.span,
            "limits also depend on this host cgroup",
        )
        .help("make sure the host defines this cgroup with the limits you expect, or remove `cgroup_parent`");
    }
}
