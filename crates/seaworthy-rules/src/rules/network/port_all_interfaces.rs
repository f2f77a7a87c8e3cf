use super::{DOCKER_API_PORTS, is_datastore_binding, uses_host_network};
use crate::facts::images::is_reverse_proxy;
use crate::facts::ports::{HostAddress, bindings};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires on a published port that listens on every host interface: no host IP, or any
    /// spelling of the unspecified address (`0.0.0.0`, `::`, `[::]`, `::ffff:0.0.0.0`), in
    /// short or long syntax. A bare `"3000"` fires too (an ephemeral host port on every
    /// interface). Ports 80 and 443 of a reverse proxy (traefik, nginx, caddy, haproxy, envoy)
    /// are the intended public edge and are reported at **info** only.
    ///
    /// Not reported here: loopback and explicit addresses, `expose:` (not published),
    /// `network_mode: host` (see `host-network`), datastore ports (see
    /// `datastore-port-published`) and the Docker API ports (see `docker-api-exposed`).
    ///
    /// ## Why it matters in production
    /// Docker writes its own iptables rules for published ports, ahead of UFW and firewalld:
    /// a port published on `0.0.0.0` is reachable from the internet even when the host
    /// firewall says it is closed.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     ports:
    ///       - "8080:8080"
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     ports:
    ///       - "127.0.0.1:8080:8080"
    /// ```
    ///
    /// ## Known false positives
    /// A service that must be public but is not recognised as a reverse proxy: suppress the
    /// finding for that service with a reason, or put it behind the proxy.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.14
    /// - OWASP Docker Security Cheat Sheet, rule 5a
    pub(crate) struct PortAllInterfaces {
        name: "port-all-interfaces",
        code: "SW601",
        area: Network,
        severity: Medium,
        fix: Never,
        summary: "port is published on every host interface",
    }
}

impl Rule for PortAllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if uses_host_network(service) {
            return;
        }
        let proxy = service.text("image").is_some_and(|i| is_reverse_proxy(&i));
        for binding in bindings(service) {
            if binding.address() != HostAddress::Wildcard
                || binding.operator_supplied()
                || is_datastore_binding(service, &binding)
                || binding
                    .target
                    .is_some_and(|t| DOCKER_API_PORTS.contains(&t))
            {
                continue;
            }
            let public_edge = proxy
                && binding
                    .published
                    .is_some_and(|p| p.start == p.end && (p.start == 80 || p.start == 443));
            let severity = if public_edge {
                Severity::Info
            } else {
                Severity::Medium
            };
            let port = binding
                .published
                .map_or_else(|| "an ephemeral port".to_owned(), |p| format!("port {p}"));
            let target = binding.target.map_or(String::new(), |t| t.to_string());
            cx.report_at(
                severity,
                format!(
                    "service `{}` publishes {port} on all interfaces, past UFW and firewalld",
                    service.name
                ),
                binding.span_node().span,
                &format!("{} -> {target}/{}", binding.host_text(), binding.protocol),
            )
            .help(if public_edge {
                "this looks like the public edge of the stack; nothing to do if it is meant to be public".to_owned()
            } else {
                format!(
                    "bind it to loopback (`127.0.0.1:{}:{target}`) and reach it through a reverse proxy, or to the one address that must reach it",
                    binding.published.map_or(String::new(), |p| p.to_string())
                )
            });
        }
    }
}
