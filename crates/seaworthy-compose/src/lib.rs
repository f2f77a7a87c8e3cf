//! Loads a Docker Compose project exactly as `docker compose` (v2.40.3) loads it: files and
//! environment, YAML with spans, interpolation, `include`, `extends`, merge, profiles,
//! normalization and validation; and prints the result as `docker compose config` does.
//! Every value keeps the span of the text that set it.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod dotenv;
pub mod emit;
pub mod error;
mod extends;
mod finish;
pub mod gofmt;
mod include;
pub mod interpolate;
pub mod interpolate_dict;
pub mod loader;
pub mod merge;
pub mod node;
pub mod normalize;
pub mod options;
pub mod out;
pub mod paths;
pub mod printer;
pub mod repeats;
pub mod reset;
pub mod schema;
mod semantic;
pub mod transform;
pub mod tree_path;
pub mod yaml;

pub use error::LoadError;
pub use loader::{EnvFile, Project, Sources, load};
pub use node::{Map, Node, Tag, Value};
pub use options::LoadOptions;
