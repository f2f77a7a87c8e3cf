//! A top-level network, volume, secret or config of the merged model, as rules see it. The
//! loader keeps only those an active service uses (as `config` prints them).

use seaworthy_compose::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    Network,
    Volume,
    Secret,
    Config,
}

impl ResourceKind {
    /// Every kind, with its top-level key, in the order rules see them.
    pub const ALL: [(ResourceKind, &'static str); 4] = [
        (ResourceKind::Network, "networks"),
        (ResourceKind::Volume, "volumes"),
        (ResourceKind::Secret, "secrets"),
        (ResourceKind::Config, "configs"),
    ];
}

#[derive(Debug, Clone, Copy)]
pub struct Resource<'a> {
    pub kind: ResourceKind,
    pub name: &'a str,
    pub node: &'a Node,
}

impl<'a> Resource<'a> {
    /// A value by dotted path (`file`, `driver_opts.type`).
    pub fn get(&self, dotted: &str) -> Option<&'a Node> {
        self.node.path(dotted)
    }
}
