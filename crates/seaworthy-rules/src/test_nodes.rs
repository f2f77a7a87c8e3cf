//! Building model nodes by hand in unit tests.

use seaworthy_compose::{Map, Node, Value};

/// A mapping node of the given entries, in order.
pub(crate) fn map(entries: &[(&str, Node)]) -> Node {
    let map: Map = entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    Node::synthetic(Value::Map(map))
}

pub(crate) fn text(s: &str) -> Node {
    Node::synthetic(Value::Str(s.into()))
}
