//! Values an overlay sets to exactly what the earlier files already set (`restart:
//! unless-stopped` in `compose.prod.yaml` when the base says so too). They change nothing, and
//! they hide which settings the overlay really changes.
//!
//! The overlay's text is compared, before interpolation, with the text that set the merged
//! value of the earlier files: the same text in the same environment is the same value. Only
//! what removing the line would leave unchanged is recorded, so the walk stops at whatever
//! merges differently: a service that `extends` another (its own keys beat the extended
//! ones), a node tagged `!reset` or `!override`, a value written through an alias (the anchor
//! serves other places), sequences (compose appends or merges their items by key) and `x-`
//! extensions.

use crate::node::{Node, Tag, Value};
use seaworthy_source::Span;

/// An overlay value identical to the one it overrides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatedValue {
    /// Where the value sits: `services.app.restart`.
    pub path: String,
    /// The overlay's value.
    pub span: Span,
    /// The value the earlier files had set.
    pub earlier: Span,
}

/// The repeated values of one overlay document against the model merged so far.
pub(crate) fn find(merged: &Node, document: &Node, found: &mut Vec<RepeatedValue>) {
    let (Some(earlier), Some(overlay)) = (
        merged.get("services").and_then(Node::as_map),
        document.get("services").and_then(Node::as_map),
    ) else {
        return;
    };
    for (name, service) in overlay {
        let Some(before) = earlier.get(name) else {
            continue;
        };
        if service.tag != Tag::None || service.get("extends").is_some() {
            continue;
        }
        walk(before, service, &format!("services.{name}"), found);
    }
}

fn walk(before: &Node, overlay: &Node, path: &str, found: &mut Vec<RepeatedValue>) {
    let (Value::Map(earlier), Value::Map(own)) = (&before.value, &overlay.value) else {
        return;
    };
    for (key, value) in own {
        if key.starts_with("x-") || value.tag != Tag::None || value.via_alias.is_some() {
            continue;
        }
        let Some(previous) = earlier.get(key) else {
            continue;
        };
        let path = format!("{path}.{key}");
        if matches!(value.value, Value::Map(_)) {
            walk(previous, value, &path, found);
        } else if same_scalar(previous, value) && previous.span.file != value.span.file {
            found.push(RepeatedValue {
                path,
                span: value.span,
                earlier: previous.span,
            });
        }
    }
}

/// The same kind of scalar written with the same text (before interpolation).
fn same_scalar(earlier: &Node, overlay: &Node) -> bool {
    let kind = |node: &Node| std::mem::discriminant(&node.value);
    if kind(earlier) != kind(overlay) || earlier.span.is_synthetic() {
        return false;
    }
    let text = |node: &Node| {
        node.raw
            .as_deref()
            .map(str::to_owned)
            .or_else(|| node.scalar_text())
    };
    matches!((text(earlier), text(overlay)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;
    use seaworthy_source::FileId;

    fn repeats(base: &str, overlay: &str) -> Vec<String> {
        let base = parse_documents(base, FileId(0)).unwrap().remove(0);
        let overlay = parse_documents(overlay, FileId(1)).unwrap().remove(0);
        let mut found = Vec::new();
        find(&base, &overlay, &mut found);
        found.into_iter().map(|r| r.path).collect()
    }

    #[test]
    fn a_scalar_set_again_to_the_same_text_is_found_at_any_depth() {
        let base = "services:\n  app:\n    image: app:1\n    restart: always\n    deploy:\n      resources:\n        limits: {memory: 512M}\n";
        let overlay = "services:\n  app:\n    restart: always\n    deploy:\n      resources:\n        limits: {memory: 512M, cpus: \"1\"}\n";
        assert_eq!(
            repeats(base, overlay),
            [
                "services.app.restart",
                "services.app.deploy.resources.limits.memory"
            ]
        );
    }

    #[test]
    fn changed_values_types_and_interpolations_are_not_repeats() {
        let base = "services:\n  app:\n    restart: always\n    mem_limit: 512m\n    image: app:${TAG}\n    stop_grace_period: \"10\"\n";
        let overlay = "services:\n  app:\n    restart: unless-stopped\n    mem_limit: 1g\n    image: app:${OTHER}\n    stop_grace_period: 10\n";
        assert!(repeats(base, overlay).is_empty());
    }

    #[test]
    fn what_merges_differently_is_left_alone() {
        let base = "services:\n  app:\n    restart: always\n    command: [run]\n    labels: {a: b}\n    x-note: same\n";
        let extends = "services:\n  app:\n    extends: {service: common}\n    restart: always\n  common:\n    image: x\n";
        assert!(repeats(base, extends).is_empty(), "extends");
        let reset = "services:\n  app:\n    labels: !override {a: b}\n    command: [run]\n    x-note: same\n";
        assert!(
            repeats(base, reset).is_empty(),
            "override, sequences, extensions"
        );
        let alias =
            "x-defaults: &defaults\n  restart: always\nservices:\n  app:\n    <<: *defaults\n";
        assert!(repeats(base, alias).is_empty(), "alias");
    }
}
