//! Diagnostics for a person, rendered by `seaworthy-report`'s human format (rustc-style
//! snippets, paths relative to the directory seaworthy runs in, secrets masked). Colour only on
//! a terminal and never with `NO_COLOR`: the caller decides `styled`.

pub use seaworthy_report::{display_path, render_diagnostic as render};
