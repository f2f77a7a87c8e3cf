//! Shared knowledge that several rules read the same way: published port bindings, bind and
//! tmpfs mounts, image references and the catalog's lists of well-known images, the effective
//! healthcheck, restart policy and resource limits of a service, and Go durations.
pub(crate) mod build_steps;
pub(crate) mod built;
pub(crate) mod command;
pub(crate) mod dockerfile;
pub(crate) mod durations;
pub(crate) mod files;
pub(crate) mod health;
pub(crate) mod images;
pub(crate) mod limits;
pub(crate) mod mounts;
pub(crate) mod packages;
pub(crate) mod ports;
pub(crate) mod problems;
pub(crate) mod restart;
pub(crate) mod secrets;
pub(crate) mod shell;
pub(crate) mod sizing;
pub(crate) mod tokens;

use seaworthy_compose::{Node, Value};
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

/// Every string scalar under `node` (values only, not keys), in document order. Nesting past
/// a depth no compose file reaches is not followed.
pub(crate) fn strings(node: &Node) -> Vec<&Node> {
    fn walk<'a>(node: &'a Node, depth: usize, out: &mut Vec<&'a Node>) {
        if depth > 64 {
            return;
        }
        match &node.value {
            Value::Str(_) => out.push(node),
            Value::Seq(items) => items.iter().for_each(|i| walk(i, depth + 1, out)),
            Value::Map(map) => map.values().for_each(|v| walk(v, depth + 1, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(node, 0, &mut out);
    out
}

/// The entries of a keyed sequence (`build.args`, `labels`, `environment`) in either form: a
/// mapping, or a list of `KEY=value` (a bare `KEY` has a null value). A list entry keeps its
/// span and its raw text (`KEY=${VAR:-default}`).
pub(crate) fn keyed_entries(node: &Node) -> Vec<(String, Node)> {
    match &node.value {
        Value::Map(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| {
                let text = item.as_str()?;
                Some(match text.split_once('=') {
                    Some((key, value)) => (
                        key.to_owned(),
                        item.with_value(Value::Str(value.to_owned())),
                    ),
                    None => (text.to_owned(), item.with_value(Value::Null)),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}
