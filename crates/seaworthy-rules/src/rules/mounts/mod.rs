//! Rules about what a service mounts from the host (RULES.md section 8).
pub(crate) mod config_mount_writable;
pub(crate) mod docker_socket;
pub(crate) mod mount_propagation_shared;
pub(crate) mod sensitive_host_mount;
pub(crate) mod stateful_named_volume;
