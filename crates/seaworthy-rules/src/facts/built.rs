//! A service's Dockerfile as the rules read it: the file and the stage compose builds.

use crate::Service;
use crate::builds::{Builds, ServiceBuild};
use seaworthy_build::dockerfile::Dockerfile;

/// The parsed Dockerfile of a service that builds, with the stage compose builds.
#[derive(Clone, Copy)]
pub(crate) struct Built<'a> {
    pub build: &'a ServiceBuild,
    pub dockerfile: &'a Dockerfile,
    /// Index of the stage compose builds.
    pub target: usize,
}

/// `None` when the service does not build locally, its Dockerfile does not parse, or its
/// `build.target` names no stage (other rules report those).
pub(crate) fn built<'a>(builds: &'a Builds, service: &Service<'_>) -> Option<Built<'a>> {
    let build = builds.get(service.name)?;
    let dockerfile = build.dockerfile.parsed.as_ref().ok()?;
    Some(Built {
        build,
        dockerfile,
        target: build.dockerfile.target?,
    })
}
