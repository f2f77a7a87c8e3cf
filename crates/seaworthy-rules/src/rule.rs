//! The `Rule` trait: a rule looks at the whole project, at each service, at each top-level
//! network, volume, secret or config, or at several of these.

use crate::{Context, Resource, RuleMeta, Service};
use seaworthy_compose::Project;

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks that span services (a host budget, two services on one port).
    fn check_project(&self, _cx: &mut Context<'_>, _project: &Project) {}

    /// Checks one active service of the merged model.
    fn check_service(&self, _cx: &mut Context<'_>, _service: &Service<'_>) {}

    /// Checks one top-level network, volume, secret or config.
    fn check_resource(&self, _cx: &mut Context<'_>, _resource: &Resource<'_>) {}
}
