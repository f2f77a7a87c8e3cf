use crate::facts::images::{ImageRef, is_mutable_tag, names_local_build};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires when `image:` (after interpolation) has a release tag but no digest
    /// (`postgres:16.4` rather than `postgres:16.4@sha256:…`).
    ///
    /// Quiet: references with a digest; references without a tag or with a moving tag
    /// (`latest`, `main`, …), which `image-mutable-tag` reports; images the service builds
    /// itself (`build:` with `pull_policy: build`, or a name without a registry host); images
    /// given by the operator (`image: ${IMAGE}`).
    ///
    /// It is `info` (advisory); `--strict` raises it to `low`.
    ///
    /// ## Why it matters in production
    /// A tag is a pointer the publisher can move: a re-pushed `16.4` (a rebuilt base, a
    /// compromised publisher account) reaches the next deploy or the next host that pulls,
    /// without any change in the file. A digest names exactly one image, so every host and
    /// every rollback runs the bytes that were tested.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4@sha256:d0f363f8366fbc3f52d172c6e76bc27151c3d643b870e1062b4e8bfe65baf609
    /// ```
    ///
    /// ## Known false positives
    /// About half of all compose files pin tags only, and official images do get rebuilt
    /// under the same tag for security fixes, which a digest then holds back: pinning
    /// digests needs a process that updates them (Renovate, Dependabot). Hence info.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 13
    /// - compose-lint CL-0019
    pub(crate) struct ImageNoDigest {
        name: "image-no-digest",
        code: "SW902",
        area: Images,
        severity: Info,
        fix: Never,
        summary: "image is pinned by tag, not by digest",
    }
}

impl Rule for ImageNoDigest {
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
        if crate::values::is_operator_supplied(node) {
            return;
        }
        let image = ImageRef::parse(text);
        let Some(tag) = image.tag else {
            return;
        };
        if image.digest.is_some() || is_mutable_tag(tag) || names_local_build(service, &image) {
            return;
        }
        // Advisory by default: about half of all compose files fire it.
        let severity = if cx.strict {
            Severity::Low
        } else {
            Severity::Info
        };
        cx.report_at(
            severity,
            format!(
                "service `{}` pins image `{text}` by tag only",
                service.name
            ),
            node.span,
            "no `@sha256:` digest",
        )
        .help(format!(
            "append the digest the tag points at today (`{text}@sha256:…`, from `docker buildx imagetools inspect {text}`) and let a dependency bot update it"
        ));
    }
}
