use crate::facts::block_anchor;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a service of the checked combination still has a `develop:` section
    /// (Compose Watch: `watch` rules that sync, rebuild or restart on file changes).
    /// An overlay that removes it (`develop: !reset null`) silences it.
    ///
    /// ## Why it matters in production
    /// Nothing happens until someone runs `docker compose watch` (or `up --watch`) on the
    /// host; then edits in the checkout are copied into running containers or trigger
    /// rebuilds, bypassing the release process. Its presence also says the combination was
    /// written for development.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ghcr.io/acme/web:2.0.1
    ///     develop:
    ///       watch:
    ///         - action: sync
    ///           path: ./src
    ///           target: /app/src
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ghcr.io/acme/web:2.0.1
    /// ```
    ///
    /// ## Known false positives
    /// A base file shared by development and production: harmless as long as nobody runs
    /// `watch` on the server, which is why this is info. Remove it in the production overlay
    /// to make that explicit.
    ///
    /// ## References
    /// - Compose spec, `develop` (Compose Watch)
    pub(crate) struct DevelopWatch {
        name: "develop-watch",
        code: "SW1005",
        area: DevLeftovers,
        severity: Info,
        fix: Never,
        summary: "service keeps a Compose Watch `develop` section",
    }
}

impl Rule for DevelopWatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(develop) = service.get("develop").filter(|d| !d.is_null()) else {
            return;
        };
        let overlay = cx.overlay_for_fixes();
        cx.report(
            format!(
                "service `{}` has a `develop` section for Compose Watch",
                service.name
            ),
            block_anchor(develop),
            "development file sync",
        )
        .help(format!(
            "remove it for production with `develop: !reset null` in {overlay}"
        ));
    }
}
