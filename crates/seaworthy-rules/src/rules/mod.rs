//! One module per catalog area, one file per rule.
pub(crate) mod correctness;
pub(crate) mod mounts;
pub(crate) mod network;
pub(crate) mod privileges;
pub(crate) mod resources;
