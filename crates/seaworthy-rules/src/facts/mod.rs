//! Shared knowledge that several rules read the same way: published port bindings, bind and
//! tmpfs mounts, image references and the catalog's lists of well-known images, the effective
//! healthcheck, restart policy and resource limits of a service, and Go durations.
pub(crate) mod durations;
pub(crate) mod health;
pub(crate) mod images;
pub(crate) mod limits;
pub(crate) mod mounts;
pub(crate) mod ports;
pub(crate) mod restart;

use seaworthy_compose::Node;
use seaworthy_source::Span;

/// Where a finding about a whole block (`logging:`, `healthcheck:`) points: its key when the
/// key was written, else the value.
pub(crate) fn block_anchor(node: &Node) -> Span {
    if node.key_span.is_synthetic() {
        node.span
    } else {
        node.key_span
    }
}
