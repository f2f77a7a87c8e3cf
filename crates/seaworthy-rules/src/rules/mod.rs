//! One module per catalog area, one file per rule.
pub(crate) mod health;
pub(crate) mod logging;
pub(crate) mod privileges;
pub(crate) mod resources;
pub(crate) mod restart;
