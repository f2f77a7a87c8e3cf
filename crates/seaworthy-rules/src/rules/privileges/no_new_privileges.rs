use super::security_opts;
use crate::patch::{Patch, PatchValue};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when `security_opt` has none of `no-new-privileges`, `no-new-privileges:true` or
    /// `no-new-privileges=true`, and on an explicit `no-new-privileges:false` (the last entry
    /// wins). A privileged service is left to `no-privileged`.
    ///
    /// ## Why it matters in production
    /// Without it, a process in the container can gain privileges through setuid binaries
    /// (`su`, `sudo`, `ping` on old images) or file capabilities: an attacker with code
    /// execution as an unprivileged user becomes root in the container.
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
    ///     security_opt:
    ///       - no-new-privileges:true
    /// ```
    ///
    /// ## Known false positives
    /// Images that switch user after start with setuid `sudo` or `gosu` called by a non-root
    /// user break with it (entrypoints that start as root and drop with `gosu` are fine).
    /// Suppress the finding for that service with a reason.
    ///
    /// ## What harden writes
    /// `security_opt: ["no-new-privileges:true"]`, which compose adds to the list the earlier
    /// files have. Counted as safe: images drop privileges with `gosu`/`su-exec` as root, which
    /// keeps working; only a process that raises its privileges through a setuid binary after
    /// start (`sudo` in an entrypoint run as a user) stops, at once and visibly. Ignore the rule
    /// for such a service with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.26
    /// - OWASP Docker Security Cheat Sheet, rule 4
    pub(crate) struct NoNewPrivileges {
        name: "no-new-privileges",
        code: "SW704",
        area: Privileges,
        severity: Medium,
        fix: Always,
        summary: "service can gain privileges through setuid binaries",
    }
}

impl Rule for NoNewPrivileges {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if service.is_true("privileged") {
            return;
        }
        let last = security_opts(service)
            .into_iter()
            .rfind(|opt| opt.key == "no-new-privileges");
        match last {
            Some(opt) if matches!(opt.value, None | Some("true")) => {}
            Some(opt) => {
                cx.report(
                    format!(
                        "service `{}` allows gaining new privileges explicitly",
                        service.name
                    ),
                    opt.node.span,
                    "setuid binaries keep working",
                )
                .help("set `no-new-privileges:true`");
            }
            // An entry the operator supplies (`${SECURITY_OPT}`) may be the one: set but unknown.
            None if service
                .get("security_opt")
                .and_then(seaworthy_compose::Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .any(crate::values::is_operator_supplied) => {}
            None => {
                let overlay = cx.overlay_for_fixes();
                cx.report(
                    format!("service `{}` does not set no-new-privileges", service.name),
                    service.declared_at(),
                    "declared here without `no-new-privileges:true`",
                )
                .help(format!(
                    "add `security_opt: [\"no-new-privileges:true\"]` to `{}` in {overlay}",
                    service.name
                ))
                .fix(Patch::new(
                    service.name,
                    "security_opt",
                    PatchValue::List(vec!["no-new-privileges:true".to_owned()]),
                    "no process of the container can gain privileges through setuid binaries",
                ));
            }
        }
    }
}
