use crate::facts::built::built;
use crate::facts::dockerfile::{
    already_reported, chain_froms, is_non_root_base, is_root_user, stage_label,
};
use crate::values::is_operator_supplied;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when the image a service builds runs as root: the last `USER` of the stage compose
    /// builds (`build.target`, or the last stage) and the stages it is built from
    /// (`FROM <stage>`) is `root`, `0`, `root:<group>` or `0:<group>`; or none of them sets a
    /// `USER` and the base image is not known to run as someone else. The finding points at the
    /// `USER root` instruction, or at the `FROM` of the stage compose builds.
    ///
    /// Exempt: a compose `user:` (it replaces the image's user at runtime; `user-root` judges a
    /// root one); base images whose name or tag says `nonroot`, `rootless` or `unprivileged`
    /// (distroless `:nonroot`, `nginxinc/nginx-unprivileged`); stages compose does not build
    /// (a builder may run as root). A `USER` set only in a builder stage does not carry over to
    /// a stage that starts `FROM` an image, so that stage still fires.
    ///
    /// ## Why it matters in production
    /// A process running as root inside the container is root on the host as soon as it
    /// escapes (a kernel bug, a mounted socket, a writable host path), and it can rewrite
    /// everything in the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --uid 10001 --no-create-home app
    /// COPY app.py /app/
    /// USER 10001
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## Known false positives
    /// Base images that set a non-root `USER` without saying so in their name (seaworthy does
    /// not pull image metadata): add `USER` explicitly, or set `user:` in compose. Images that
    /// start as root to `chown` a volume and then drop privileges with `gosu`: suppress the
    /// finding for that service with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.1
    /// - OWASP Docker Security Cheat Sheet, rules 2 and 9
    pub(crate) struct DockerfileRootUser {
        name: "dockerfile-root-user",
        code: "SW1101",
        area: Dockerfile,
        severity: Medium,
        fix: Never,
        summary: "built image runs as root",
    }
}

impl Rule for DockerfileRootUser {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(built) = built(cx.builds, service) else {
            return;
        };
        if let Some(user) = service.get("user")
            && (is_operator_supplied(user)
                || user.scalar_text().is_some_and(|u| !u.trim().is_empty()))
        {
            return;
        }
        let dockerfile = built.dockerfile;
        let (range, message) = match dockerfile.effective_user(built.target) {
            Some(found) => {
                // A user from a variable without a value is set but unknown.
                let Some(name) = found.value.user() else {
                    return;
                };
                if !is_root_user(name) {
                    return;
                }
                let value = found.value.value.exact().unwrap_or(name);
                (
                    found.instruction.span.clone(),
                    format!(
                        "the image of service `{}` runs as root (`USER {value}` in {})",
                        service.name,
                        stage_label(dockerfile, found.stage)
                    ),
                )
            }
            None => {
                let Some(base) = chain_froms(&built).first().and_then(|f| f.image.exact()) else {
                    return;
                };
                if is_non_root_base(base) {
                    return;
                }
                let Some(target) = dockerfile.stages.get(built.target) else {
                    return;
                };
                let scope = if dockerfile.stages.len() == 1 {
                    "the Dockerfile".to_owned()
                } else {
                    format!(
                        "{} or the stages it is built from",
                        stage_label(dockerfile, built.target)
                    )
                };
                (
                    target.from.span.clone(),
                    format!(
                        "the image of service `{}` runs as root: no `USER` in {scope}, and `{base}` runs as root by default",
                        service.name
                    ),
                )
            }
        };
        let span = built.build.dockerfile.span(&range);
        if already_reported(cx, span) {
            return;
        }
        let overlay = cx.overlay_for_fixes();
        cx.report(message, span, "root at runtime")
            .service(service.name)
            .help(format!(
                "create an unprivileged user and end the stage with `USER <uid>`, or set `user: \"10001:10001\"` for the service in {overlay}"
            ));
    }
}

#[cfg(test)]
mod tests {
    use super::DockerfileRootUser;
    use crate::facts::dockerfile::findings_of;

    const BUILD: &str = "services:\n  app:\n    build: .\n";

    fn lines(compose: &str, dockerfile: &str) -> Vec<usize> {
        findings_of(&DockerfileRootUser, compose, &[("Dockerfile", dockerfile)])
            .into_iter()
            .map(|(_, line, _, _)| line)
            .collect()
    }

    #[test]
    fn user_only_in_the_builder_leaves_the_final_stage_root() {
        let dockerfile =
            "FROM golang:1.22 AS build\nUSER 1000\nFROM debian:12-slim\nCMD [\"/app\"]\n";
        assert_eq!(lines(BUILD, dockerfile), [3]);
    }

    #[test]
    fn user_inherited_through_from_stage_counts() {
        let dockerfile = "FROM python:3.12 AS base\nUSER app\nFROM base\nCMD [\"app\"]\n";
        assert!(lines(BUILD, dockerfile).is_empty());
        let dockerfile = "FROM python:3.12 AS base\nUSER app\nFROM base\nUSER root:root\n";
        assert_eq!(lines(BUILD, dockerfile), [4]);
    }

    #[test]
    fn a_variable_user_and_a_compose_user_are_not_judged() {
        let dockerfile = "FROM alpine:3.20\nARG UID\nUSER ${UID}\n";
        assert!(lines(BUILD, dockerfile).is_empty());
        let compose = "services:\n  app:\n    build: .\n    user: \"1000\"\n";
        assert!(lines(compose, "FROM alpine:3.20\n").is_empty());
    }

    #[test]
    fn two_services_of_one_dockerfile_make_one_finding() {
        let compose = "services:\n  a:\n    build: .\n  b:\n    build: .\n";
        assert_eq!(lines(compose, "FROM alpine:3.20\n"), [1]);
    }
}
