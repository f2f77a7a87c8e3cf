//! Problems with the compose files themselves, across overlays (RULES.md section 13), and with
//! seaworthy's own annotations in them.
pub(crate) mod build_context_missing;
pub(crate) mod container_name_scaled;
pub(crate) mod depends_on_inactive_profile;
pub(crate) mod env_file_missing;
pub(crate) mod interpolation_unset;
pub(crate) mod invalid_suppression;
pub(crate) mod overlay_repeats_value;
pub(crate) mod overlay_unknown_service;
pub(crate) mod version_obsolete;
