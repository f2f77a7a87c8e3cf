//! Problems with the compose files themselves, across overlays (RULES.md section 13), and with
//! seaworthy's own annotations in them.
pub(crate) mod interpolation_unset;
pub(crate) mod invalid_suppression;
pub(crate) mod version_obsolete;
