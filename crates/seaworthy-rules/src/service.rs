//! A service of the merged model, as rules see it: its name, its node (every value with the
//! span of the text that set it) and where it was first declared.

use seaworthy_compose::{Node, Value};
use seaworthy_source::Span;

#[derive(Debug, Clone, Copy)]
pub struct Service<'a> {
    pub name: &'a str,
    pub node: &'a Node,
}

impl<'a> Service<'a> {
    /// A value by dotted path (`deploy.resources.limits.memory`).
    pub fn get(&self, dotted: &str) -> Option<&'a Node> {
        self.node.path(dotted)
    }

    /// The service's key in the file that first declares it: a missing setting is reported
    /// there, since every overlay inherits the service from that file.
    pub fn declared_at(&self) -> Span {
        if self.node.key_span.is_synthetic() {
            self.node.span
        } else {
            self.node.key_span
        }
    }

    /// The value as a string, for scalars (numbers and booleans in their YAML spelling).
    pub fn text(&self, dotted: &str) -> Option<String> {
        self.get(dotted).and_then(Node::scalar_text)
    }

    pub fn is_true(&self, dotted: &str) -> bool {
        match self.get(dotted).map(|n| &n.value) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Str(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }
}
