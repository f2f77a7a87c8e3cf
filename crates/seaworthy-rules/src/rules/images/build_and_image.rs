use crate::facts::images::{ImageRef, names_remote_registry};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a service has both `build:` and an `image:` that names a remote registry
    /// host (`ghcr.io/acme/web:1.2`), and `pull_policy` is not set.
    ///
    /// Quiet: any explicit `pull_policy` (`build` builds every time, `missing`, `always` or
    /// `never` say what the author wants); image names without a registry host or on this
    /// machine (`localhost:5000/web`), which only name the local build; an image given
    /// entirely by the operator (`image: ${IMAGE}`).
    ///
    /// ## Why it matters in production
    /// With the default policy, `docker compose up` first looks for the image locally and,
    /// when it is missing (a fresh host, a pruned cache), pulls the remote tag; once the pull
    /// succeeds it does not build. The host then runs whatever was last pushed under that tag,
    /// not the source checked out next to the file, and `up --build` on another host runs
    /// something else again.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     build: .
    ///     image: ghcr.io/acme/web:1.2.0
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     build: .
    ///     image: ghcr.io/acme/web:1.2.0
    ///     pull_policy: build
    /// ```
    ///
    /// ## Known false positives
    /// `image:` that names the tag the CI pushes, on hosts that are meant to pull it (the
    /// `build:` is for developers): legitimate, and the reason this is only info. Say so
    /// with `pull_policy: missing`, or drop `build:` from the production overlay
    /// (`build: !reset null`).
    ///
    /// ## References
    /// - Compose spec, `pull_policy` and `build`
    /// - dclint no-build-and-image
    pub(crate) struct BuildAndImage {
        name: "build-and-image",
        code: "SW904",
        area: Images,
        severity: Info,
        fix: Never,
        summary: "service both builds and names a remote image, without a pull policy",
    }
}

impl Rule for BuildAndImage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(build) = service.get("build").filter(|b| !b.is_null()) else {
            return;
        };
        let Some(node) = service.get("image") else {
            return;
        };
        let Some(text) = node.as_str() else {
            return;
        };
        if service.get("pull_policy").is_some_and(|p| !p.is_null())
            || crate::values::is_operator_supplied(node)
            || !names_remote_registry(&ImageRef::parse(text))
        {
            return;
        }
        let overlay = cx.overlay_for_fixes();
        cx.report(
            format!(
                "service `{}` builds an image but also names the remote image `{text}`",
                service.name
            ),
            node.span,
            "`up` pulls this when it is missing, instead of building",
        )
        .secondary(crate::facts::block_anchor(build), "build section")
        .help(format!(
            "set `pull_policy: build` to always build, or `pull_policy: missing` if hosts should pull the pushed tag; or remove `build:` in {overlay}"
        ));
    }
}
