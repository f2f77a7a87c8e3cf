//! The ground every other seaworthy crate stands on: source files and the spans into them,
//! values that remember where they were set, a line index for rendering positions, the
//! `FileSystem` and `Env` traits through which all input is read, and the `Diagnostic` type.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod diagnostic;
mod env;
mod fs;
pub mod git_index;
pub mod near;
mod source_map;
mod span;
mod worktree;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use env::{Env, MapEnv, OsEnv};
pub use fs::{
    DirEntry, EntryKind, FileSystem, MemoryFs, Metadata, RealFs, WithFile, lexical_clean,
};
pub use source_map::{LineCol, SourceFile, SourceMap};
pub use span::{FileId, Span, Spanned};
pub use worktree::{IgnoreCache, WorkTree};
