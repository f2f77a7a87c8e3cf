use crate::facts::built::built;
use crate::facts::dockerfile::already_reported;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_build::dockerfile::{CommandLine, EffectiveCmd, Instruction};
use seaworthy_compose::{Node, Value};

declare_rule! {
    /// ## What it checks
    /// Fires when the `ENTRYPOINT` or `CMD` the built image ends with (the last one of the stage
    /// compose builds or the stages it is built from) is in shell form (`CMD node server.js`)
    /// and the container would run it: PID 1 is then `/bin/sh -c`.
    ///
    /// Exempt: a compose `entrypoint` (it replaces both the image's `ENTRYPOINT` and `CMD`); a
    /// compose `command` (it replaces `CMD`); `init: true` (an init process forwards signals);
    /// a `CMD` behind a shell-form `ENTRYPOINT` (never run; the `ENTRYPOINT` is reported); a
    /// shell form that starts with `exec ` (the shell replaces itself). `HEALTHCHECK` is never
    /// judged: a shell there is fine.
    ///
    /// ## Why it matters in production
    /// `/bin/sh` as PID 1 does not forward `SIGTERM` to the application: `docker stop` and
    /// every rolling update wait out `stop_grace_period`, then `SIGKILL` the process with
    /// requests in flight and files half-written.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-bookworm-slim
    /// CMD node server.js
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-bookworm-slim
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Known false positives
    /// Images whose shell-form command is a script that `exec`s the server itself as its last
    /// step: the script still runs under `/bin/sh -c` until then. Use the exec form, or set
    /// `init: true`.
    ///
    /// ## References
    /// - Docker build check `JSONArgsRecommended`; hadolint DL3025 (no CIS or OWASP item)
    pub(crate) struct DockerfileExecForm {
        name: "dockerfile-exec-form",
        code: "SW1106",
        area: Dockerfile,
        severity: Medium,
        fix: Never,
        summary: "CMD or ENTRYPOINT in shell form runs under /bin/sh as PID 1",
    }
}

impl Rule for DockerfileExecForm {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(built) = built(cx.builds, service) else {
            return;
        };
        if service.is_true("init") || non_empty(service.get("entrypoint")) {
            return;
        }
        let dockerfile = built.dockerfile;
        // `entrypoint: []` in compose drops the image's ENTRYPOINT but keeps its CMD.
        let entrypoint = match service.get("entrypoint") {
            Some(_) => None,
            None => dockerfile.entrypoint(built.target),
        };
        let shell_entrypoint = entrypoint.as_ref().is_some_and(|e| !e.value.is_exec());
        let judged: Option<(&Instruction, &CommandLine)> = if shell_entrypoint {
            entrypoint.map(|e| (e.instruction, e.value))
        } else if non_empty(service.get("command")) {
            None
        } else {
            match dockerfile.cmd(built.target) {
                EffectiveCmd::Set(cmd) => Some((cmd.instruction, cmd.value)),
                EffectiveCmd::FromBaseImage | EffectiveCmd::ClearedBy(_) => None,
            }
        };
        let Some((instruction, CommandLine::Shell { text, .. })) = judged else {
            return;
        };
        if text.trim_start().starts_with("exec ") {
            return;
        }
        let keyword = instruction.kind.keyword();
        let span = built.build.dockerfile.span(&instruction.span);
        if already_reported(cx, span) {
            return;
        }
        let overlay = cx.overlay_for_fixes();
        cx.report(
            format!(
                "`{keyword}` of the image of service `{}` is in shell form, so `/bin/sh -c` is PID 1 and does not forward SIGTERM",
                service.name
            ),
            span,
            "shell form",
        )
        .service(service.name)
        .help(format!(
            "write it in exec form (`{keyword} [\"program\", \"arg\"]`), or set `init: true` for the service in {overlay}"
        ));
    }
}

/// A compose `command`/`entrypoint` that replaces the image's.
fn non_empty(node: Option<&Node>) -> bool {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => !items.is_empty(),
        Some(Value::Str(text)) => !text.trim().is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::DockerfileExecForm;
    use crate::facts::dockerfile::findings_of;

    fn lines(compose: &str, dockerfile: &str) -> Vec<usize> {
        findings_of(&DockerfileExecForm, compose, &[("Dockerfile", dockerfile)])
            .into_iter()
            .map(|f| f.1)
            .collect()
    }

    const BUILD: &str = "services:\n  app:\n    build: .\n";

    #[test]
    fn a_shell_entrypoint_hides_the_cmd() {
        let dockerfile = "FROM alpine:3.20\nENTRYPOINT ./start.sh\nCMD run\n";
        assert_eq!(lines(BUILD, dockerfile), [2]);
        let dockerfile = "FROM alpine:3.20\nENTRYPOINT [\"/entry.sh\"]\nCMD run --port 80\n";
        assert_eq!(lines(BUILD, dockerfile), [3]);
    }

    #[test]
    fn compose_overrides_init_and_exec_are_quiet() {
        let dockerfile = "FROM alpine:3.20\nCMD ./server --port 80\n";
        for compose in [
            "services:\n  app:\n    build: .\n    command: [\"./server\"]\n",
            "services:\n  app:\n    build: .\n    entrypoint: ./server\n",
            "services:\n  app:\n    build: .\n    init: true\n",
        ] {
            assert!(lines(compose, dockerfile).is_empty(), "{compose}");
        }
        assert!(lines(BUILD, "FROM alpine:3.20\nCMD exec ./server\n").is_empty());
        let healthcheck =
            "FROM alpine:3.20\nHEALTHCHECK CMD wget -qO- localhost\nCMD [\"./server\"]\n";
        assert!(lines(BUILD, healthcheck).is_empty());
    }

    #[test]
    fn an_entrypoint_resets_an_inherited_cmd() {
        let dockerfile = "FROM alpine:3.20 AS base\nCMD ./old\nFROM base\nENTRYPOINT [\"/app\"]\n";
        assert!(lines(BUILD, dockerfile).is_empty());
    }
}
