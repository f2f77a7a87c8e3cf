//! Deployment operations that sit beside the checks: posting a deployment notification to a
//! webhook, and generating the file secrets a project declares. Network code lives here so that `check` never links an HTTP client path it does
//! not use, and so that the binary stays a thin layer of argument parsing and printing.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod notify;
pub mod secrets;
