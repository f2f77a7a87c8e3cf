//! Shared knowledge that several rules read the same way: the effective healthcheck and
//! restart policy of a service, Go durations, and the catalog's lists of well-known images.
pub(crate) mod durations;
pub(crate) mod health;
pub(crate) mod image_names;
pub(crate) mod limits;
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
