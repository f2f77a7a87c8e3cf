//! The Dockerfiles of services that build (RULES.md section 11), judged on the stage compose
//! builds (`build.target`, or the last stage) and the stages it is built from. Findings point
//! at the instruction in the Dockerfile.
pub(crate) mod dockerfile_add;
pub(crate) mod dockerfile_add_url;
pub(crate) mod dockerfile_apt_hygiene;
pub(crate) mod dockerfile_base_digest;
pub(crate) mod dockerfile_base_mutable;
pub(crate) mod dockerfile_curl_pipe_shell;
pub(crate) mod dockerfile_exec_form;
pub(crate) mod dockerfile_invalid;
pub(crate) mod dockerfile_multistage;
pub(crate) mod dockerfile_pipefail;
pub(crate) mod dockerfile_pkg_cache;
pub(crate) mod dockerfile_root_user;
pub(crate) mod dockerfile_secret_arg_env;
pub(crate) mod dockerfile_secret_copy;
pub(crate) mod dockerfile_ssh;
pub(crate) mod dockerfile_sudo;
pub(crate) mod dockerfile_workdir_relative;
