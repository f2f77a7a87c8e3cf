use crate::facts::built::built;
use crate::facts::dockerfile::{BasePin, already_reported, base_pin, chain_froms};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a `FROM` of the stage compose builds, or of a stage it is built from, names an
    /// image by a version tag without a digest (`@sha256:…`). `ARG`s are resolved first.
    ///
    /// Exempt: `FROM <earlier stage>`, `scratch`, stages compose does not build, and bases with
    /// no tag or `latest` (`dockerfile-base-mutable` reports those). A tag that an `ARG` with no
    /// value decides is not judged.
    ///
    /// ## Why it matters in production
    /// A version tag is a promise the publisher can break: `python:3.12-slim` is re-pushed for
    /// every patch release and OS update. Only a digest makes a rebuild produce the same
    /// image, and it lets tools such as Dependabot or Renovate propose the update as a reviewed
    /// change.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim@sha256:2a6386ad2db20e7f55073f69a98d6da2cf9f168e05e7487d2670baeb9b7601c5
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// ## Known false positives
    /// Noisy by design (hence `info`): many teams accept patch-level drift of the base in
    /// exchange for security updates on every rebuild.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 13
    pub(crate) struct DockerfileBaseDigest {
        name: "dockerfile-base-digest",
        code: "SW1103",
        area: Dockerfile,
        severity: Info,
        fix: Never,
        summary: "base image is pinned by tag only, without a digest",
    }
}

impl Rule for DockerfileBaseDigest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(built) = built(cx.builds, service) else {
            return;
        };
        for from in chain_froms(&built) {
            let BasePin::Tag(tag) = base_pin(from) else {
                continue;
            };
            let span = built.build.dockerfile.span(&from.image.span);
            if already_reported(cx, span) {
                continue;
            }
            let image = from.image.exact().unwrap_or(&from.image.raw);
            cx.report(
                format!("base image `{image}` is pinned by the tag `{tag}` only, without a digest"),
                span,
                "the tag can be re-pushed",
            )
            .service(service.name)
            .help("append the digest the tag points to today (`docker buildx imagetools inspect IMAGE`), and let a bot propose updates");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DockerfileBaseDigest;
    use crate::facts::dockerfile::findings_of;

    #[test]
    fn only_tagged_bases_without_digest_fire() {
        let dockerfile = "FROM node:latest AS a\nFROM a AS b\nFROM node:20@sha256:abc AS c\nCOPY --from=a / /\nFROM c\n";
        let compose = "services:\n  app:\n    build: .\n";
        assert!(
            findings_of(
                &DockerfileBaseDigest,
                compose,
                &[("Dockerfile", dockerfile)]
            )
            .is_empty()
        );
        let dockerfile = "ARG PY=3.12\nFROM python:${PY}-slim\n";
        let lines: Vec<usize> = findings_of(
            &DockerfileBaseDigest,
            compose,
            &[("Dockerfile", dockerfile)],
        )
        .into_iter()
        .map(|f| f.1)
        .collect();
        assert_eq!(lines, [2]);
    }
}
