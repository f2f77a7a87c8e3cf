//! One module per catalog area, one file per rule.
pub(crate) mod correctness;
pub(crate) mod privileges;
pub(crate) mod resources;
