use crate::settings::unknown_rule_help;
use crate::{Context, Rule, RuleMeta, Service, declare_rule, registry};
use seaworthy_compose::Node;

declare_rule! {
    /// ## What it checks
    /// Fires on an entry of a service's `x-seaworthy: {ignore: {RULE: reason}}` that has no
    /// reason (empty or not a string), or that names no rule seaworthy has. Such an entry
    /// suppresses nothing.
    ///
    /// ## Why it matters in production
    /// A suppression is a decision someone made about a risk. Without the reason, the next
    /// person cannot tell an accepted risk from a silenced one; a misspelt rule name silently
    /// suppresses nothing while looking as if it did.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: ghcr.io/acme/agent:2.1.0
    ///     x-seaworthy:
    ///       ignore:
    ///         no-privileged: ""
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: ghcr.io/acme/agent:2.1.0
    ///     x-seaworthy:
    ///       ignore:
    ///         no-privileged: "runs docker-in-docker for CI builds, on a dedicated host"
    /// ```
    ///
    /// ## Known false positives
    /// None.
    ///
    /// ## References
    /// - compose-lint ADR-010 (suppressions carry a reason)
    pub(crate) struct InvalidSuppression {
        name: "invalid-suppression",
        code: "SW1306",
        area: Correctness,
        severity: Medium,
        fix: Never,
        summary: "suppression without a reason or for an unknown rule",
    }
}

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(entries) = service.get("x-seaworthy.ignore").and_then(Node::as_map) else {
            return;
        };
        for (rule, reason) in entries {
            let key_span = if reason.key_span.is_synthetic() {
                reason.span
            } else {
                reason.key_span
            };
            if registry::find(rule).is_none() {
                cx.report(
                    format!(
                        "service `{}` suppresses `{rule}`, which is not a rule",
                        service.name
                    ),
                    key_span,
                    "no rule has this name",
                )
                .help(unknown_rule_help(rule));
                continue;
            }
            if reason.as_str().is_none_or(|r| r.trim().is_empty()) {
                cx.report(
                    format!(
                        "service `{}` suppresses `{rule}` without a reason",
                        service.name
                    ),
                    key_span,
                    "suppressed without a reason",
                )
                .help("write why the risk is accepted as the value; until then the finding stays");
            }
        }
    }
}
