use super::security_opts;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on a `security_opt` entry `seccomp:unconfined` or `seccomp=unconfined`, and on
    /// `systempaths=unconfined`, which unmasks the `/proc` and `/sys` paths Docker hides. A
    /// custom profile (`seccomp=./seccomp.json`, read relative to the project directory) is
    /// fine.
    ///
    /// ## Why it matters in production
    /// Docker's default seccomp profile blocks about 50 system calls (`keyctl`, `unshare`,
    /// `mount`, `bpf`, ...) that most container escapes need. Without it, one kernel bug in
    /// any of them is a way out.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   builder:
    ///     image: ghcr.io/acme/builder:5.0.0
    ///     security_opt:
    ///       - seccomp:unconfined
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   builder:
    ///     image: ghcr.io/acme/builder:5.0.0
    ///     security_opt:
    ///       - no-new-privileges:true
    /// ```
    ///
    /// ## Known false positives
    /// Tools that need a blocked system call (some debuggers, rootless builders): write a
    /// profile that allows only that call instead of disabling filtering.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.22
    /// - OWASP Docker Security Cheat Sheet, rule 6
    pub(crate) struct SeccompUnconfined {
        name: "seccomp-unconfined",
        code: "SW705",
        area: Privileges,
        severity: High,
        fix: Never,
        summary: "service disables seccomp filtering or unmasks system paths",
    }
}

impl Rule for SeccompUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        for opt in security_opts(service) {
            if opt.value != Some("unconfined") {
                continue;
            }
            let (message, label, help) = match opt.key {
                "seccomp" => (
                    "runs without a seccomp profile",
                    "every system call allowed",
                    "remove `seccomp:unconfined`; if one system call is missing, write a profile that allows it and set `seccomp=<file>.json`",
                ),
                "systempaths" => (
                    "unmasks the host's /proc and /sys paths",
                    "masked kernel paths exposed",
                    "remove `systempaths=unconfined`",
                ),
                _ => continue,
            };
            cx.report(
                format!("service `{}` {message}", service.name),
                opt.node.span,
                label,
            )
            .help(help);
        }
    }
}
