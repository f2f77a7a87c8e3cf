use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::{Node, Project};

declare_rule! {
    /// ## What it checks
    /// Fires when an overlay sets a value of a service to exactly what the earlier files
    /// already set: the same text, before interpolation, at the same place (`restart:
    /// unless-stopped` in `compose.prod.yaml` when the base says `unless-stopped` too).
    /// Only values that removing the line would leave unchanged are reported: not in a service
    /// that `extends` another, under `!reset` or `!override`, through an alias, in sequences
    /// (compose appends or merges their items), or in `x-` extensions.
    ///
    /// ## Why it matters in production
    /// An overlay is read as the list of what production changes. A repeated value hides the
    /// real changes among lines that change nothing, and when the base later changes the value
    /// the overlay silently pins the old one.
    ///
    /// ## Example
    /// ```yaml
    /// # files: compose.yaml compose.prod.yaml
    /// # beside it: compose.prod.yaml = services: {api: {restart: unless-stopped, mem_limit: 1g}}
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:2.3.1
    ///     restart: unless-stopped
    /// ```
    /// Use instead:
    /// ```yaml
    /// # files: compose.yaml compose.prod.yaml
    /// # beside it: compose.prod.yaml = services: {api: {mem_limit: 1g}}
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:2.3.1
    ///     restart: unless-stopped
    /// ```
    ///
    /// ## Known false positives
    /// An overlay shared by targets whose earlier files differ: the value may be needed in
    /// another target. The finding lists the targets it was found in.
    ///
    /// ## References
    /// - Compose specification, "Merge and override"
    pub(crate) struct OverlayRepeatsValue {
        name: "overlay-repeats-value",
        code: "SW1309",
        area: Correctness,
        severity: Info,
        fix: Never,
        summary: "an overlay sets a value to what the earlier files already set",
    }
}

impl Rule for OverlayRepeatsValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        let services = project.model.get("services").and_then(Node::as_map);
        for repeated in &project.repeated_values {
            let mut parts = repeated.path.splitn(3, '.');
            let (Some(_), Some(service), Some(key)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            // Services that profiles leave out are not part of this target.
            if !services.is_some_and(|s| s.contains_key(service)) {
                continue;
            }
            cx.report(
                format!(
                    "service `{service}` sets `{key}` to the value the earlier files already set"
                ),
                repeated.span,
                "changes nothing",
            )
            .service(service)
            .secondary(repeated.earlier, "already set here")
            .help("remove the line from the overlay: the overlay then lists only what it changes");
        }
    }
}
