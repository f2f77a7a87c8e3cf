//! Placeholder until the typed printer lands: prints the model with sorted keys.
use crate::node::{Node, Value};
use crate::out::Out;

pub enum Flavor {
    Yaml,
    Json,
}

pub struct PrintError {
    pub path: String,
    pub message: String,
    pub span: seaworthy_source::Span,
}

pub fn project_to_out(project: &Node, _flavor: Flavor) -> Result<Out, PrintError> {
    Ok(convert(project))
}

fn convert(node: &Node) -> Out {
    match &node.value {
        Value::Null => Out::Null,
        Value::Bool(b) => Out::Bool(*b),
        Value::Int(i) => Out::Int(*i),
        Value::UInt(u) => Out::UInt(*u),
        Value::Float(f) => Out::Float(*f),
        Value::Str(s) | Value::Timestamp(s) => Out::Str(s.clone()),
        Value::Seq(items) => Out::Seq(items.iter().map(convert).collect()),
        Value::Map(map) => {
            let mut entries: Vec<(String, Out)> =
                map.iter().map(|(k, v)| (k.clone(), convert(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Out::Map(entries)
        }
    }
}
