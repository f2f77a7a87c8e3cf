//! The untyped, spanned tree that compose files are loaded into and that every stage of the
//! pipeline works on (interpolation, merge, canonicalization), as compose-go works on its dicts.
//! Every node remembers the text that set it.

use indexmap::IndexMap;
use seaworthy_source::Span;

/// A scalar, sequence or mapping, and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    /// The text that set this value.
    pub span: Span,
    /// The key under which this node sits in its mapping (synthetic for sequence items).
    pub key_span: Span,
    /// `!reset` / `!override`, while the file is being processed.
    pub tag: Tag,
    /// For a node copied through an alias or a `<<` merge key: where the alias was written.
    pub via_alias: Option<Span>,
    /// For an interpolated scalar: the text before interpolation (`${DB_PASSWORD:-changeme}`).
    pub raw: Option<Box<str>>,
    /// Spans of the earlier values this node replaced while merging files.
    pub overridden: Vec<Span>,
    /// The mapping key of this node was not a string in YAML (`1: x`), which compose rejects.
    pub key_not_string: bool,
}

/// A mapping with string keys, in source order. Hashed with foldhash: the keys are short and
/// the maps many, and SipHash's resistance to flooding buys nothing for files the user wrote
/// (foldhash still seeds each map randomly).
pub type Map = IndexMap<String, Node, foldhash::fast::RandomState>;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// Integers above `i64::MAX`, as go-yaml decodes them.
    UInt(u64),
    Float(f64),
    Str(String),
    /// A plain scalar that go-yaml resolves to a timestamp (`2024-01-15`); docker compose v2.40
    /// rejects these where a string is expected. Holds the source text.
    Timestamp(String),
    Seq(Vec<Node>),
    Map(Map),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tag {
    #[default]
    None,
    Reset,
    Override,
}

impl Node {
    pub fn new(value: Value, span: Span) -> Node {
        Node {
            value,
            span,
            key_span: Span::SYNTHETIC,
            tag: Tag::None,
            via_alias: None,
            raw: None,
            overridden: Vec::new(),
            key_not_string: false,
        }
    }

    /// A value the loader made up (a default, a normalized form) with no text behind it.
    pub fn synthetic(value: Value) -> Node {
        Node::new(value, Span::SYNTHETIC)
    }

    pub fn str(s: impl Into<String>, span: Span) -> Node {
        Node::new(Value::Str(s.into()), span)
    }

    pub fn map(map: Map, span: Span) -> Node {
        Node::new(Value::Map(map), span)
    }

    pub fn seq(items: Vec<Node>, span: Span) -> Node {
        Node::new(Value::Seq(items), span)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match &mut self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A child of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.get(key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_map_mut()?.get_mut(key)
    }

    /// Follows a dotted path of mapping keys (`deploy.resources.limits.memory`).
    pub fn path(&self, dotted: &str) -> Option<&Node> {
        dotted.split('.').try_fold(self, |node, key| node.get(key))
    }

    /// The scalar as compose-go's `%v` formatting would print it (for values of `environment`,
    /// `labels` and similar string maps); `None` for null and collections.
    pub fn scalar_text(&self) -> Option<String> {
        self.value.scalar_text()
    }

    /// Same value and position, with the given value.
    pub fn with_value(&self, value: Value) -> Node {
        Node {
            value,
            span: self.span,
            key_span: self.key_span,
            tag: Tag::None,
            via_alias: self.via_alias,
            raw: self.raw.clone(),
            overridden: self.overridden.clone(),
            key_not_string: self.key_not_string,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        self.value.kind_name()
    }
}

impl Value {
    pub fn scalar_text(&self) -> Option<String> {
        Some(match self {
            Value::Null | Value::Seq(_) | Value::Map(_) => return None,
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::UInt(u) => u.to_string(),
            Value::Float(f) => crate::gofmt::format_float_v(*f),
            Value::Str(s) | Value::Timestamp(s) => s.clone(),
        })
    }

    /// The Go type compose-go's dicts hold for this value, as `%T` prints it in its errors.
    pub fn go_type_name(&self) -> &'static str {
        match self {
            Value::Null => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::UInt(_) => "uint64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::Timestamp(_) => "time.Time",
            Value::Seq(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::UInt(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Timestamp(_) => "timestamp",
            Value::Seq(_) => "array",
            Value::Map(_) => "mapping",
        }
    }
}
