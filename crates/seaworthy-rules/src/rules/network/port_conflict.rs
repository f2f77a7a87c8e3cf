use super::uses_host_network;
use crate::facts::ports::{Binding, PortRange, addresses_overlap, bindings};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::{Node, Project};

declare_rule! {
    /// ## What it checks
    /// Fires when two published bindings of the merged model, in one service or in two,
    /// claim the same host port and protocol on overlapping addresses. A binding without a
    /// host IP (or with `0.0.0.0` or `::`) overlaps every address. Ranges written as
    /// `"3000-3005:3000-3005"` are compared port by port; a host range for one container port
    /// (`"3000-3005:80"`) lets Docker pick a free port and never conflicts. Interpolation is
    /// resolved first, so `${PORT:-8080}` is compared as `8080`.
    ///
    /// ## Why it matters in production
    /// `docker compose up` fails with "port is already allocated" when it starts the second
    /// container, which leaves the stack half started. Overlays make this easy to miss: the
    /// base file publishes `8080`, a production overlay adds another service on `8080`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ghcr.io/acme/web:1.0.0
    ///     ports: ["8080:80"]
    ///   admin:
    ///     image: ghcr.io/acme/admin:1.0.0
    ///     ports: ["8080:80"]
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ghcr.io/acme/web:1.0.0
    ///     ports: ["8080:80"]
    ///   admin:
    ///     image: ghcr.io/acme/admin:1.0.0
    ///     ports: ["8081:80"]
    /// ```
    ///
    /// ## Known false positives
    /// None known: two listeners cannot share a host port.
    ///
    /// ## References
    /// - dclint `no-duplicate-exported-ports`
    pub(crate) struct PortConflict {
        name: "port-conflict",
        code: "SW606",
        area: Network,
        severity: Error,
        fix: Never,
        summary: "two bindings claim the same host port",
    }
}

impl Rule for PortConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        let Some(services) = project.model.get("services").and_then(Node::as_map) else {
            return;
        };
        let mut claimed: Vec<(&str, Binding<'_>, u32)> = Vec::new();
        for (name, node) in services {
            let service = Service { name, node };
            if uses_host_network(&service) {
                continue;
            }
            for binding in bindings(&service) {
                let Some(port) = single_port(binding.published) else {
                    continue;
                };
                if binding.operator_supplied() {
                    continue;
                }
                let earlier = claimed.iter().find(|(_, other, other_port)| {
                    *other_port == port
                        && other.protocol.eq_ignore_ascii_case(binding.protocol)
                        && addresses_overlap(other.host_ip, binding.host_ip)
                });
                if let Some((other_service, other, _)) = earlier {
                    let by = if *other_service == name.as_str() {
                        format!("twice by `{name}`")
                    } else {
                        format!("by both `{other_service}` and `{name}`")
                    };
                    cx.report(
                        format!("host port {port}/{} is published {by}", binding.protocol),
                        binding.span_node().span,
                        "already allocated when this container starts",
                    )
                    .service(name)
                    .secondary(other.span_node().span, "first claimed here")
                    .help(
                        "give each binding its own host port, or bind them to different addresses",
                    );
                    continue;
                }
                claimed.push((name, binding, port));
            }
        }
    }
}

/// The host port of a binding that names exactly one.
fn single_port(published: Option<PortRange>) -> Option<u32> {
    published.filter(|p| p.start == p.end).map(|p| p.start)
}
