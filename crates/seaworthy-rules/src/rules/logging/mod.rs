//! Rules about container logging: rotation, drivers, and Loki (RULES.md section 4).
pub(crate) mod log_driver_none;
pub(crate) mod log_rotation_missing;
pub(crate) mod loki_blocking_mode;
pub(crate) mod loki_circular;
