use super::security_opts;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on a `security_opt` entry `apparmor:unconfined` or `apparmor=unconfined`. A
    /// missing profile is not reported: Docker applies `docker-default` on AppArmor hosts, and
    /// SELinux hosts have no AppArmor at all.
    ///
    /// ## Why it matters in production
    /// The `docker-default` profile denies writes to `/proc` and `/sys` and `mount`, which
    /// stops several known escapes. `unconfined` removes all of it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    ///     security_opt:
    ///       - apparmor=unconfined
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: ghcr.io/acme/app:2.3.0
    /// ```
    ///
    /// ## Known false positives
    /// None known: a service that needs more than `docker-default` should get its own profile.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.2
    /// - OWASP Docker Security Cheat Sheet, rule 6
    pub(crate) struct ApparmorUnconfined {
        name: "apparmor-unconfined",
        code: "SW706",
        area: Privileges,
        severity: High,
        fix: Never,
        summary: "service runs without an AppArmor profile",
    }
}

impl Rule for ApparmorUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        for opt in security_opts(service) {
            if opt.key == "apparmor" && opt.value == Some("unconfined") {
                cx.report(
                    format!("service `{}` runs without an AppArmor profile", service.name),
                    opt.node.span,
                    "AppArmor confinement disabled",
                )
                .help("remove `apparmor=unconfined`, or load a profile for this service and name it with `apparmor=<profile>`");
            }
        }
    }
}
