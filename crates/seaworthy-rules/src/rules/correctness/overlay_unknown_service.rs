use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::{Node, Project};
use seaworthy_source::near::near_names;

declare_rule! {
    /// ## What it checks
    /// Fires when a service first appears in an overlay (a later `-f` file, not the base) and
    /// its name is a few edits away from a service of the base file: `wroker` beside `worker`.
    /// Compose does not match services by similarity: the overlay adds a new service, and the
    /// one it meant to change ships as the base file has it. (An overlay-only service without
    /// `image` or `build` does not load at all; that load error suggests the near name too.)
    ///
    /// ## Why it matters in production
    /// The production settings of the overlay (limits, restart policy, secrets) silently miss
    /// the service they were written for, and an extra container may start.
    ///
    /// ## Example
    /// ```yaml
    /// # files: compose.yaml compose.prod.yaml
    /// # beside it: compose.prod.yaml = services: {wroker: {image: "ghcr.io/acme/worker:1.4.2", restart: unless-stopped}}
    /// services:
    ///   worker:
    ///     image: ghcr.io/acme/worker:1.4.2
    /// ```
    /// Use instead:
    /// ```yaml
    /// # files: compose.yaml compose.prod.yaml
    /// # beside it: compose.prod.yaml = services: {worker: {restart: unless-stopped}}
    /// services:
    ///   worker:
    ///     image: ghcr.io/acme/worker:1.4.2
    /// ```
    ///
    /// ## Known false positives
    /// A new service whose name is close to an existing one on purpose (`api` and `app`):
    /// ignore the rule for it with a reason.
    ///
    /// ## References
    /// - Compose specification, "Merge and override" (services are matched by name)
    pub(crate) struct OverlayUnknownService {
        name: "overlay-unknown-service",
        code: "SW1308",
        area: Correctness,
        severity: Medium,
        fix: Never,
        summary: "an overlay adds a service whose name is a near miss of the base's",
    }
}

impl Rule for OverlayUnknownService {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        let Some(&base) = project.file_ids.first() else {
            return;
        };
        let Some(services) = project.model.get("services").and_then(Node::as_map) else {
            return;
        };
        let declared_in = |node: &Node| node.key_span.file;
        let in_base: Vec<&str> = services
            .iter()
            .filter(|(_, node)| declared_in(node) == base)
            .map(|(name, _)| name.as_str())
            .collect();
        for (name, node) in services {
            if node.key_span.is_synthetic() || declared_in(node) == base {
                continue;
            }
            let Some(near) = near_names(name, in_base.iter().copied()).first().copied() else {
                continue;
            };
            cx.report(
                format!("service `{name}` first appears in an overlay, which no earlier file defines: a misspelling of `{near}`?"),
                node.key_span,
                "adds a new service",
            )
            .service(name)
            .help(format!(
                "rename it `{near}` to change that service; a new service needs a name further from `{near}`"
            ));
        }
    }
}
