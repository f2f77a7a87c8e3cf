//! The production-readiness rules and the engine that runs them: every rule reads the merged
//! model of one target (a `Project` from `seaworthy-compose`) and reports findings that point
//! at the text a person must edit.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod builds;
mod context;
mod declare;
pub mod docs;
pub mod engine;
mod facts;
pub mod harden;
pub mod images;
pub mod init;
mod inventory;
mod meta;
pub mod patch;
pub mod registry;
mod resource;
mod rule;
mod rules;
mod service;
pub mod settings;
pub mod targets;
#[cfg(test)]
mod test_nodes;
pub mod values;

pub use context::Context;
pub use engine::{Finding, check, check_with};
pub use inventory::{Totals, inventory, totals};
pub use meta::{Area, Example, ExampleLanguage, Fix, RuleMeta};
pub use resource::{Resource, ResourceKind};
pub use rule::Rule;
pub use service::Service;
