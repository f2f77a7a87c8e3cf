use crate::facts::built::built;
use crate::facts::dockerfile::{already_reported, chain_instructions};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_build::dockerfile::InstructionKind;

declare_rule! {
    /// ## What it checks
    /// Fires on a relative `WORKDIR` (after `ARG`/`ENV` expansion) in the stage compose builds
    /// or a stage it is built from, when no absolute `WORKDIR` comes before it in that chain:
    /// the directory then depends on the working directory of the base image.
    ///
    /// Exempt: a relative `WORKDIR` after an absolute one (`WORKDIR /app` then `WORKDIR src`
    /// is `/app/src` whatever the base), a path that depends on a variable with no value, and
    /// stages compose does not build.
    ///
    /// ## Why it matters in production
    /// A base image update that changes its `WORKDIR` silently moves the application: `COPY`
    /// lands elsewhere, relative paths in `CMD` break, and the container fails only after
    /// the rebuild.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-bookworm-slim
    /// WORKDIR app
    /// CMD ["node", "server.js"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-bookworm-slim
    /// WORKDIR /app
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Known false positives
    /// None known.
    ///
    /// ## References
    /// - Docker build check `WorkdirRelativePath`; hadolint DL3000 (no CIS or OWASP item)
    pub(crate) struct DockerfileWorkdirRelative {
        name: "dockerfile-workdir-relative",
        code: "SW1108",
        area: Dockerfile,
        severity: Low,
        fix: Never,
        summary: "WORKDIR is relative to the base image's working directory",
    }
}

impl Rule for DockerfileWorkdirRelative {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(built) = built(cx.builds, service) else {
            return;
        };
        for (_, instruction) in chain_instructions(&built) {
            let InstructionKind::Workdir(workdir) = &instruction.kind else {
                continue;
            };
            let Some(path) = workdir.path.exact() else {
                continue;
            };
            // `resolved` is set once an absolute WORKDIR anchors the chain.
            if is_absolute(path) || workdir.resolved.is_some() {
                continue;
            }
            let span = built.build.dockerfile.span(&workdir.path.span);
            if already_reported(cx, span) {
                continue;
            }
            cx.report(
                format!("`WORKDIR {path}` is relative to the base image's working directory"),
                span,
                "relative path",
            )
            .service(service.name)
            .help(format!(
                "write the absolute path (for example `WORKDIR /{path}`)"
            ));
        }
    }
}

/// Absolute on Linux, or a Windows drive path (`C:\app`) in a Windows image.
fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

#[cfg(test)]
mod tests {
    use super::DockerfileWorkdirRelative;
    use crate::facts::dockerfile::finding_lines;

    fn lines(dockerfile: &str) -> Vec<usize> {
        finding_lines(&DockerfileWorkdirRelative, dockerfile)
    }

    #[test]
    fn relative_after_absolute_in_an_ancestor_is_anchored() {
        assert_eq!(
            lines("FROM alpine:3.20\nWORKDIR app\nWORKDIR /srv\nWORKDIR x\n"),
            [2]
        );
        assert!(
            lines("FROM alpine:3.20 AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n").is_empty()
        );
        assert_eq!(
            lines("ARG DIR=app\nFROM alpine:3.20\nARG DIR\nWORKDIR $DIR\n"),
            [4]
        );
        assert!(lines("FROM alpine:3.20\nWORKDIR $HOME/app\n").is_empty());
    }
}
