use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on `privileged: true` (the YAML boolean or the string `"true"`).
    ///
    /// ## Why it matters in production
    /// A privileged container gets every capability, every host device and no seccomp or
    /// AppArmor confinement: a process that escapes the application owns the host.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: ghcr.io/acme/agent:2.1.0
    ///     privileged: true
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: ghcr.io/acme/agent:2.1.0
    ///     cap_add: [NET_ADMIN]
    /// ```
    ///
    /// ## Known false positives
    /// None: when a service truly needs it (Docker-in-Docker), suppress the finding for that
    /// service with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.5
    /// - OWASP Docker Security Cheat Sheet, rule 3
    pub(crate) struct NoPrivileged {
        name: "no-privileged",
        code: "SW701",
        area: Privileges,
        severity: Critical,
        fix: Never,
        summary: "service runs privileged",
    }
}

impl Rule for NoPrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if !service.is_true("privileged") {
            return;
        }
        let Some(node) = service.get("privileged") else {
            return;
        };
        cx.report(
            format!("service `{}` runs privileged", service.name),
            node.span,
            "all capabilities and host devices",
        )
        .help("remove `privileged` and add only the capabilities the service needs with `cap_add`");
    }
}
