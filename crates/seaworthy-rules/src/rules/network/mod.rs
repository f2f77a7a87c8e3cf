//! Rules about what a stack exposes on the host's network (RULES.md section 6), and the
//! split between them: a wildcard binding is reported once, by the most specific rule.
pub(crate) mod datastore_port_published;
pub(crate) mod docker_api_exposed;
pub(crate) mod host_network;
pub(crate) mod port_all_interfaces;
pub(crate) mod port_conflict;
pub(crate) mod privileged_host_port;

use crate::Service;
use crate::facts::images::{datastore, is_datastore_port};
use crate::facts::ports::Binding;

/// Container ports of the Docker engine API (plain and TLS).
pub(crate) const DOCKER_API_PORTS: [u32; 2] = [2375, 2376];

/// Ports are ignored with the host's network stack: `host-network` reports that instead.
pub(crate) fn uses_host_network(service: &Service<'_>) -> bool {
    service.text("network_mode").as_deref().map(str::trim) == Some("host")
}

/// Whether the binding reaches a datastore, cache, broker or admin port: by container port,
/// or because the image is a datastore (then every published port counts).
pub(crate) fn is_datastore_binding(service: &Service<'_>, binding: &Binding<'_>) -> bool {
    let image = service.text("image");
    datastore(image.as_deref().unwrap_or("")).is_some()
        || binding
            .target
            .is_some_and(|t| is_datastore_port(t, image.as_deref()))
}
