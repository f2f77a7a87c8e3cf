use crate::facts::images::{ImageRef, is_mutable_tag, names_local_build};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when `image:` (after interpolation) has neither a tag nor a digest (docker then
    /// pulls `latest`), or has a tag that names a moving target: `latest`, `stable`, `edge`,
    /// `nightly`, `dev`, `develop`, `test`, `beta`, `canary`, `lts`, `main`, `master`,
    /// `head` or `rolling`. A registry port (`localhost:5000/app`) is not a tag.
    ///
    /// Exempt: any reference with a digest (`app@sha256:…`, `app:latest@sha256:…`); images
    /// built by the service itself (`build:` with `pull_policy: build`, or an image name
    /// without a registry host, which only names the local build); images given entirely by
    /// the operator (`image: ${IMAGE}`) or whose tag comes from an unset variable.
    ///
    /// ## Why it matters in production
    /// A moving tag deploys whatever the registry holds on the day: two hosts of the same
    /// stack can run different code, a rollback pulls the broken version again, and an
    /// upstream release upgrades the service without anyone deciding to.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: nginx:latest
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: nginx:1.27.2-alpine
    /// ```
    ///
    /// ## Known false positives
    /// A private registry whose `main` tag is promoted only through a release process. Pin a
    /// digest or a version tag anyway: the rollback story depends on it.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.28 and 4.2
    /// - OWASP Docker Security Cheat Sheet, rule 13
    pub(crate) struct ImageMutableTag {
        name: "image-mutable-tag",
        code: "SW901",
        area: Images,
        severity: Medium,
        fix: Never,
        summary: "image has no tag or a mutable one",
    }
}

impl Rule for ImageMutableTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(node) = service.get("image") else {
            return;
        };
        let Some(text) = node.as_str() else {
            return;
        };
        if text.trim().is_empty() || crate::values::is_operator_supplied(node) {
            return;
        }
        let image = ImageRef::parse(text);
        if image.digest.is_some() || names_local_build(service, &image) {
            return;
        }
        let message = match image.tag {
            None if node.raw.is_some() => return, // the tag is a variable left unset
            None => format!(
                "service `{}` uses image `{text}` without a tag, which pulls `latest`",
                service.name
            ),
            Some(tag) if is_mutable_tag(tag) => format!(
                "service `{}` uses image `{text}` with the mutable tag `{tag}`",
                service.name
            ),
            Some(_) => return,
        };
        cx.report(message, node.span, "mutable image reference")
            .help("pin a release tag (`nginx:1.27.2`) or a digest (`nginx:1.27.2@sha256:…`) so every deploy runs the same image");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_ports_are_not_tags() {
        let image = ImageRef::parse("localhost:5000/app");
        assert_eq!(image.tag, None);
        let image = ImageRef::parse("registry.example.com:5000/team/app:main");
        assert_eq!(image.tag, Some("main"));
    }
}
