use super::security_opts;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on a `security_opt` entry `label:disable`, `label=disable` or
    /// `label:type:spc_t` (the "super privileged container" type).
    ///
    /// ## Why it matters in production
    /// On SELinux hosts (RHEL, Fedora, CentOS) the label is what keeps a container from the
    /// host's files and other containers' files. Disabling it or running as `spc_t` removes
    /// that separation.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    ///     security_opt:
    ///       - label:disable
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    ///     security_opt:
    ///       - label:type:container_t
    /// ```
    ///
    /// ## Known false positives
    /// None known. A bind mount that fails with SELinux is fixed with the `:z` or `:Z`
    /// volume option, not by disabling labels.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.3
    /// - OWASP Docker Security Cheat Sheet, rule 6
    pub(crate) struct SelinuxDisabled {
        name: "selinux-disabled",
        code: "SW707",
        area: Privileges,
        severity: High,
        fix: Never,
        summary: "service disables SELinux separation",
    }
}

impl Rule for SelinuxDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        for opt in security_opts(service) {
            if opt.key != "label" {
                continue;
            }
            let label = match opt.value.map(str::trim) {
                Some("disable") => "SELinux labels disabled",
                Some("type:spc_t") => "super privileged container type",
                _ => continue,
            };
            cx.report(
                format!("service `{}` disables SELinux separation", service.name),
                opt.node.span,
                label,
            )
            .help("remove this `label` option; relabel bind mounts with the `:z` or `:Z` volume option instead");
        }
    }
}
