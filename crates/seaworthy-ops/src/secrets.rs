//! File secrets: which secrets a project declares and where each comes from, values drawn
//! from the operating system's generator, and files created so that a secret is never half
//! written, never readable by others and never written over.

mod create;
mod generate;
mod sources;

pub use create::{Created, create_secret_file};
pub use generate::{Charset, generate, holds_a_plain_value};
pub use sources::{Declared, Source, declared};
