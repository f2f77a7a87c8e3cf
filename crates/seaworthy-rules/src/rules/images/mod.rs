//! Which image a service runs and whether that is reproducible (RULES.md section 9).
pub(crate) mod build_and_image;
pub(crate) mod build_target_dev;
pub(crate) mod image_mutable_tag;
pub(crate) mod image_no_digest;
