//! What a service's build context sends to the builder (RULES.md section 12), after the
//! ignore file BuildKit reads, with Docker's matching. Findings name the file and point at the
//! service's `build` in compose, or at the ignore file's line.
