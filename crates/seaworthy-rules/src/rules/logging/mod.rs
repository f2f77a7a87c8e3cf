//! Rules about container logging: rotation, drivers, and Loki (RULES.md section 4).
pub(crate) mod log_rotation_missing;
