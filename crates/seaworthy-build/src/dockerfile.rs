//! Dockerfiles: parsed with spans, their stages and the facts of the stage compose builds.
