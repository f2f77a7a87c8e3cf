//! The Dockerfiles of services that build (RULES.md section 11), judged on the stage compose
//! builds (`build.target`, or the last stage) and the stages it is built from. Findings point
//! at the instruction in the Dockerfile.
pub(crate) mod apt_hygiene;
pub(crate) mod curl_pipe_shell;
pub(crate) mod multistage;
pub(crate) mod pipefail;
pub(crate) mod pkg_cache;
pub(crate) mod ssh;
pub(crate) mod sudo;
