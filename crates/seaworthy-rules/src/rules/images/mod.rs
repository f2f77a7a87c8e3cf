//! Which image a service runs and whether that is reproducible (RULES.md section 9).
pub(crate) mod image_mutable_tag;
