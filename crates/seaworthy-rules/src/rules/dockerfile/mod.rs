//! The Dockerfiles of services that build (RULES.md section 11), judged on the stage compose
//! builds (`build.target`, or the last stage) and the stages it is built from. Findings point
//! at the instruction in the Dockerfile.
pub(crate) mod dockerfile_apt_hygiene;
pub(crate) mod dockerfile_curl_pipe_shell;
pub(crate) mod dockerfile_multistage;
pub(crate) mod dockerfile_pipefail;
pub(crate) mod dockerfile_pkg_cache;
pub(crate) mod dockerfile_ssh;
pub(crate) mod dockerfile_sudo;
