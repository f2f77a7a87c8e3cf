use crate::facts::limits::memory_limit;
use crate::patch::{Patch, PatchValue};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires on `oom_kill_disable: true`. It is **high** when the service has no memory limit:
    /// the kernel cannot kill the container when memory runs out, so it kills host processes
    /// instead (Docker warns about this combination). With a memory limit it is **low**: the
    /// container's processes hang at the limit rather than being killed.
    ///
    /// ## Why it matters in production
    /// Out-of-memory is when the host most needs a victim. Exempting a container without a
    /// limit turns its leak into the host's outage; with a limit, a container stuck at its
    /// limit hangs instead of restarting.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     oom_kill_disable: true
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     mem_limit: 2g
    /// ```
    ///
    /// ## Known false positives
    /// None known.
    ///
    /// ## What harden writes
    /// `oom_kill_disable: false`. Safe: at its limit the service is stopped and its restart
    /// policy brings it back, instead of hanging or taking the host's processes with it.
    ///
    /// ## References
    /// - Docker run reference, `--oom-kill-disable`
    pub(crate) struct OomKillDisable {
        name: "oom-kill-disable",
        code: "SW109",
        area: Resources,
        severity: High,
        fix: Always,
        summary: "the OOM killer is disabled for the container",
    }
}

impl Rule for OomKillDisable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if !service.is_true("oom_kill_disable") {
            return;
        }
        let Some(node) = service.get("oom_kill_disable") else {
            return;
        };
        let name = service.name;
        if memory_limit(service).is_bounded() {
            cx.report_at(
                Severity::Low,
                format!(
                    "service `{name}` disables the OOM killer, so it hangs at its memory limit \
                     instead of restarting"
                ),
                node.span,
                "OOM killer disabled",
            )
            .help("remove `oom_kill_disable` and let the restart policy recover the service")
            .fix(Patch::new(
                name,
                "oom_kill_disable",
                PatchValue::Bool(false),
                "at its limit the service is stopped and restarted, not frozen",
            ));
        } else {
            cx.report(
                format!(
                    "service `{name}` disables the OOM killer without a memory limit, so the \
                     host's processes are killed instead"
                ),
                node.span,
                "OOM killer disabled",
            )
            .help("remove `oom_kill_disable`, and set `deploy.resources.limits.memory`")
            .fix(Patch::new(
                name,
                "oom_kill_disable",
                PatchValue::Bool(false),
                "at its limit the service is stopped and restarted, not frozen",
            ));
        }
    }
}
