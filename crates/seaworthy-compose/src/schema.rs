//! Placeholder until schema validation lands.
use crate::node::Node;
use seaworthy_source::Span;

pub struct SchemaError {
    pub path: String,
    pub message: String,
    pub span: Span,
}

pub fn validate(_project: &Node) -> Result<(), SchemaError> {
    Ok(())
}

pub fn check_keys(_project: &Node) -> Result<(), SchemaError> {
    Ok(())
}
