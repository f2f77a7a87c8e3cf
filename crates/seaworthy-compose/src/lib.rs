//! Loads a Docker Compose project exactly as `docker compose` (v2.40.3) loads it: files and
//! environment, YAML with spans, interpolation, `include`, `extends`, merge, profiles,
//! normalization and validation; and prints the result as `docker compose config` does.
//! Every value keeps the span of the text that set it.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod gofmt;
pub mod node;
pub mod out;
pub mod yaml;

pub use node::{Map, Node, Tag, Value};
pub mod schema;
