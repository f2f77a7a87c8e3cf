//! `.dockerignore` with the semantics of moby/patternmatcher.
