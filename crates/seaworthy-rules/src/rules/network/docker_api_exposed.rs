use super::{DOCKER_API_PORTS, uses_host_network};
use crate::facts::ports::{HostAddress, bindings, classify};
use crate::values::is_operator_supplied;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::{Node, Project};

declare_rule! {
    /// ## What it checks
    /// Fires when a service publishes container port 2375 or 2376 (the Docker engine API) on
    /// any address other than loopback, and when a service sets
    /// `DOCKER_HOST=tcp://<host>:2375` (plain TCP, no TLS) to a host that is neither loopback
    /// nor another service of the project. A socket proxy reached over the compose network
    /// (`expose:` only, `DOCKER_HOST=tcp://socket-proxy:2375`) is the recommended pattern and
    /// is not reported.
    ///
    /// ## Why it matters in production
    /// Whoever reaches the Docker API can start a privileged container that mounts the host's
    /// root file system: it is root on the host, with no password. Scanners look for port
    /// 2375 constantly.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   socket-proxy:
    ///     image: tecnativa/docker-socket-proxy:0.3.0
    ///     ports:
    ///       - "2375:2375"
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   socket-proxy:
    ///     image: tecnativa/docker-socket-proxy:0.3.0
    ///     expose:
    ///       - "2375"
    /// ```
    ///
    /// ## Known false positives
    /// A remote daemon protected by a VPN or a firewall outside the host: suppress the finding
    /// with a reason, or better, use TLS on 2376 or `ssh://`.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 1
    pub(crate) struct DockerApiExposed {
        name: "docker-api-exposed",
        code: "SW605",
        area: Network,
        severity: Critical,
        fix: Never,
        summary: "the docker engine API is reachable beyond loopback",
    }
}

impl Rule for DockerApiExposed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        let Some(services) = project.model.get("services").and_then(Node::as_map) else {
            return;
        };
        let internal = internal_names(services);
        for (name, node) in services {
            let service = Service { name, node };
            if !uses_host_network(&service) {
                published_api(cx, &service);
            }
            plain_docker_host(cx, &service, &internal);
        }
    }
}

fn published_api(cx: &mut Context<'_>, service: &Service<'_>) {
    for binding in bindings(service) {
        let Some(target) = binding.target.filter(|t| DOCKER_API_PORTS.contains(t)) else {
            continue;
        };
        if binding.address() == HostAddress::Loopback || binding.operator_supplied() {
            continue;
        }
        cx.report(
            format!(
                "service `{}` publishes the docker API port {target} beyond loopback",
                service.name
            ),
            binding.span_node().span,
            &format!("{} -> {target}/{}", binding.host_text(), binding.protocol),
        )
        .service(service.name)
        .help("remove the port and reach the API over an internal compose network with `expose:`; anyone who reaches it is root on the host");
    }
}

fn plain_docker_host(cx: &mut Context<'_>, service: &Service<'_>, internal: &[&str]) {
    let Some(node) = service.get("environment.DOCKER_HOST") else {
        return;
    };
    if is_operator_supplied(node) {
        return;
    }
    let Some(url) = node.as_str() else { return };
    let Some((host, port)) = tcp_endpoint(url) else {
        return;
    };
    let tls = service.get("environment.DOCKER_TLS_VERIFY").is_some();
    let plain = port == Some(2375) || (port.is_none() && !tls);
    if !plain || classify(host) == HostAddress::Loopback || internal.contains(&host) {
        return;
    }
    cx.report(
        format!(
            "service `{}` uses the docker API over plain TCP at `{url}`",
            service.name
        ),
        node.span,
        "no TLS: the daemon there is open to its network",
    )
    .service(service.name)
    .help("use a socket proxy on an internal compose network, `tcp://<host>:2376` with TLS, or `ssh://`");
}

/// Host and port of a `tcp://host:port` URL (IPv6 in brackets).
fn tcp_endpoint(url: &str) -> Option<(&str, Option<u32>)> {
    let rest = url.trim().strip_prefix("tcp://")?;
    let authority = rest.split('/').next().unwrap_or(rest);
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        return Some((host, after.strip_prefix(':').and_then(|p| p.parse().ok())));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host, port.parse().ok())),
        None => Some((authority, None)),
    }
}

/// Names other services reach each other by on compose networks.
fn internal_names(services: &seaworthy_compose::Map) -> Vec<&str> {
    let mut names = Vec::new();
    for (name, node) in services {
        names.push(name.as_str());
        if let Some(container) = node.get("container_name").and_then(Node::as_str) {
            names.push(container);
        }
        if let Some(hostname) = node.get("hostname").and_then(Node::as_str) {
            names.push(hostname);
        }
        for network in node
            .get("networks")
            .and_then(Node::as_map)
            .into_iter()
            .flatten()
        {
            let aliases = network
                .1
                .get("aliases")
                .and_then(Node::as_seq)
                .unwrap_or(&[]);
            names.extend(aliases.iter().filter_map(Node::as_str));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::tcp_endpoint;

    #[test]
    fn reads_tcp_urls() {
        assert_eq!(
            tcp_endpoint("tcp://10.0.0.5:2375"),
            Some(("10.0.0.5", Some(2375)))
        );
        assert_eq!(tcp_endpoint("tcp://proxy"), Some(("proxy", None)));
        assert_eq!(tcp_endpoint("tcp://[::1]:2375/"), Some(("::1", Some(2375))));
        assert_eq!(tcp_endpoint("unix:///var/run/docker.sock"), None);
    }
}
