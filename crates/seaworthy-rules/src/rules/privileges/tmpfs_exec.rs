use crate::facts::mounts::tmpfs_mounts;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on a `tmpfs` entry whose options include `exec`, `suid` or `dev`
    /// (`/run:exec,size=64m`). Docker mounts tmpfs `noexec,nosuid,nodev` unless told
    /// otherwise.
    ///
    /// ## Why it matters in production
    /// A writable, executable scratch directory is where an attacker drops and runs a payload
    /// (`curl ... > /tmp/x && /tmp/x`); `suid` and `dev` add setuid binaries and device nodes
    /// to that. On a read-only root file system, an `exec` tmpfs undoes much of the benefit.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     read_only: true
    ///     tmpfs:
    ///       - /tmp:exec,size=64m
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     read_only: true
    ///     tmpfs:
    ///       - /tmp:size=64m
    /// ```
    ///
    /// ## Known false positives
    /// Some runtimes extract native libraries to `/tmp` and load them (JNI, Python wheels):
    /// point them at another directory or suppress the finding with a reason.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 8
    pub(crate) struct TmpfsExec {
        name: "tmpfs-exec",
        code: "SW718",
        area: Privileges,
        severity: Low,
        fix: Never,
        summary: "tmpfs mount allows executing, setuid or device files",
    }
}

impl Rule for TmpfsExec {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        for mount in tmpfs_mounts(service) {
            let risky: Vec<&str> = mount
                .options
                .iter()
                .copied()
                .filter(|o| matches!(*o, "exec" | "suid" | "dev"))
                .collect();
            if risky.is_empty() {
                continue;
            }
            cx.report(
                format!(
                    "service `{}` mounts tmpfs `{}` with `{}`",
                    service.name,
                    mount.target,
                    risky.join(",")
                ),
                mount.node.span,
                "writable and executable scratch space",
            )
            .help("drop these options so Docker keeps its `noexec,nosuid,nodev` default");
        }
    }
}
