//! What a service's build context sends to the builder (RULES.md section 12), after the
//! ignore file BuildKit reads, with Docker's matching. Findings name the file and point at the
//! service's `build` in compose, or at the Dockerfile instruction and the ignore file's line.
pub(crate) mod context_secret_files;
pub(crate) mod context_too_broad;
pub(crate) mod context_unreadable;
pub(crate) mod context_vcs_dir;
pub(crate) mod copy_ignored_file;
pub(crate) mod dockerignore_missing;
