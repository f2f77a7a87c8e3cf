use crate::facts::built::built;
use crate::facts::dockerfile::{BasePin, already_reported, base_pin, chain_froms};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires when a `FROM` of the stage compose builds, or of a stage it is built from, names an
    /// image with no tag (which pulls `latest`) or with the `latest` tag, and no digest. `ARG`s
    /// are resolved first (their defaults, overridden by compose `build.args`), so
    /// `ARG BASE=alpine:3.20` + `FROM $BASE` is pinned.
    ///
    /// Exempt: `FROM <earlier stage>` (that stage's own `FROM` is judged), `scratch`, and
    /// stages compose does not build. A `FROM` whose tag comes from an `ARG` with no default
    /// and no build argument cannot be judged: it is reported at `info`.
    ///
    /// ## Why it matters in production
    /// A base image that moves makes the same Dockerfile build a different image each week: a
    /// rebuild for a one-line fix can pull a new major version of the runtime, and a rollback
    /// rebuilds something that never ran before.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// CMD ["node", "server.js"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// ARG NODE_VERSION=20.17
    /// FROM node:${NODE_VERSION}-bookworm-slim
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Known false positives
    /// A base whose tag is supplied by CI through `--build-arg` with no default in the
    /// Dockerfile: seaworthy sees only compose's `build.args`, so it reports `info`. Give the
    /// `ARG` a pinned default.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.2
    /// - OWASP Docker Security Cheat Sheet, rule 9
    pub(crate) struct DockerfileBaseMutable {
        name: "dockerfile-base-mutable",
        code: "SW1102",
        area: Dockerfile,
        severity: Medium,
        fix: Never,
        summary: "base image has no tag or the latest tag",
    }
}

impl Rule for DockerfileBaseMutable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(built) = built(cx.builds, service) else {
            return;
        };
        for from in chain_froms(&built) {
            let span = built.build.dockerfile.span(&from.image.span);
            let image = from.image.exact().unwrap_or(&from.image.raw);
            let (severity, message, label) = match base_pin(from) {
                BasePin::Latest { written: true } => (
                    self.meta().severity,
                    format!("base image `{image}` uses the mutable tag `latest`"),
                    "moves with every release",
                ),
                BasePin::Latest { written: false } => (
                    self.meta().severity,
                    format!("base image `{image}` has no tag, so every build pulls `latest`"),
                    "moves with every release",
                ),
                BasePin::Unknowable(unresolved) => (
                    Severity::Info,
                    unknowable_message(&from.image.raw, &unresolved),
                    "tag decided at build time",
                ),
                BasePin::Stage | BasePin::Scratch | BasePin::Digest | BasePin::Tag(_) => {
                    continue;
                }
            };
            if already_reported(cx, span) {
                continue;
            }
            cx.report_at(severity, message, span, label)
                .service(service.name)
                .help("pin a version tag (`node:20.17-bookworm-slim`), and a digest where rebuilds must be reproducible");
        }
    }
}

fn unknowable_message(raw: &str, unresolved: &[String]) -> String {
    match unresolved {
        [] => format!("base image `{raw}` cannot be resolved, so its tag is unknown"),
        names => format!(
            "base image `{raw}` depends on {}, which has no default, so its tag is unknown",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::DockerfileBaseMutable;
    use crate::facts::dockerfile::findings_of;
    use seaworthy_source::Severity;

    fn found(compose: &str, dockerfile: &str) -> Vec<(usize, Severity)> {
        findings_of(
            &DockerfileBaseMutable,
            compose,
            &[("Dockerfile", dockerfile)],
        )
        .into_iter()
        .map(|(_, line, severity, _)| (line, severity))
        .collect()
    }

    const BUILD: &str = "services:\n  app:\n    build: .\n";

    #[test]
    fn build_args_pin_an_arg_without_default() {
        let dockerfile = "ARG TAG\nFROM node:${TAG}\n";
        assert_eq!(found(BUILD, dockerfile), [(2, Severity::Info)]);
        let compose =
            "services:\n  app:\n    build:\n      context: .\n      args:\n        TAG: \"20\"\n";
        assert!(found(compose, dockerfile).is_empty());
    }

    #[test]
    fn only_the_chain_of_the_target_is_judged() {
        let dockerfile = "FROM golang AS build\nFROM alpine:3.20 AS app\nFROM app\n";
        assert!(
            found(BUILD, dockerfile).is_empty(),
            "the builder is not in the chain"
        );
        let dockerfile = "FROM alpine AS base\nFROM base\n";
        assert_eq!(found(BUILD, dockerfile), [(1, Severity::Medium)]);
    }
}
