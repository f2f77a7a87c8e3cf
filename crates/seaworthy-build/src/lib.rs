//! What a service's build feeds into production: the Dockerfile (its stages, the stage compose
//! builds, and that stage's effective user, health check, ports and environment), the
//! `.dockerignore` rules with Docker's own matching, and the files a build context would send
//! to the builder. Everything is read through `seaworthy_source::FileSystem`.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod context;
pub mod dockerfile;
pub mod dockerignore;
