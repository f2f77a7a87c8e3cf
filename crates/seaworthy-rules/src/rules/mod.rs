//! One module per catalog area, one file per rule.
pub(crate) mod context;
pub(crate) mod correctness;
pub(crate) mod dev;
pub(crate) mod dockerfile;
pub(crate) mod health;
pub(crate) mod images;
pub(crate) mod logging;
pub(crate) mod mounts;
pub(crate) mod network;
pub(crate) mod privileges;
pub(crate) mod resources;
pub(crate) mod restart;
pub(crate) mod secrets;
