use crate::facts::mounts::bind_mounts;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a bind mount's source (short or long syntax, normalized: `//var/run/./`
    /// is `/var/run`) is a container runtime's control socket (`docker.sock`,
    /// `containerd.sock`, `crio.sock`, `podman.sock`, `systemd/private`), or a directory that
    /// holds one: `/`, `/run`, `/var/run`, `/run/containerd`, `/run/systemd`, `/run/docker`,
    /// `/run/podman`, `/run/crio` (and their `/var/run` spellings). A directory *under* those
    /// (`/run/myapp`) holds no socket and is not reported. `:ro` does not help: it stops
    /// writes to the socket file, not requests to the API behind it.
    ///
    /// ## Why it matters in production
    /// The Docker API is root on the host: whoever controls the container can start a
    /// privileged container that mounts `/`. Traefik, Portainer and Watchtower setups ship
    /// this line by default.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   traefik:
    ///     image: traefik:v3.1
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock:ro
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   socket-proxy:
    ///     image: tecnativa/docker-socket-proxy:0.3.0
    ///     environment:
    ///       CONTAINERS: 1
    ///     expose: ["2375"]
    ///   traefik:
    ///     image: traefik:v3.1
    ///     command: --providers.docker.endpoint=tcp://socket-proxy:2375
    /// ```
    ///
    /// ## Known false positives
    /// The socket proxy itself must mount the socket: suppress the finding for that service
    /// with a reason ("socket proxy, read-only API").
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.32
    /// - OWASP Docker Security Cheat Sheet, rule 1
    pub(crate) struct DockerSocket {
        name: "docker-socket",
        code: "SW801",
        area: Mounts,
        severity: Critical,
        fix: Never,
        summary: "service mounts a container runtime socket",
    }
}

const SOCKET_NAMES: &[&str] = &["docker.sock", "containerd.sock", "crio.sock", "podman.sock"];

/// Directories that hold a runtime socket on common hosts.
const SOCKET_DIRS: &[&str] = &[
    "/",
    "/run",
    "/var/run",
    "/run/containerd",
    "/var/run/containerd",
    "/run/systemd",
    "/var/run/systemd",
    "/run/docker",
    "/var/run/docker",
    "/run/podman",
    "/var/run/podman",
    "/run/crio",
    "/var/run/crio",
];

impl Rule for DockerSocket {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        for mount in bind_mounts(service) {
            let Some(socket) = socket_kind(&mount.source) else {
                continue;
            };
            let message = match socket {
                Socket::Itself => format!(
                    "service `{}` mounts the container runtime socket `{}`",
                    service.name, mount.source
                ),
                Socket::Ancestor => format!(
                    "service `{}` mounts `{}`, which holds the container runtime socket",
                    service.name, mount.source
                ),
            };
            let label = if mount.read_only {
                "`:ro` does not restrict the API"
            } else {
                "root on the host"
            };
            cx.report(message, mount.source_node.span,
                label,
            )
            .help("remove the mount; if the service needs the API, put a socket proxy that allows only the endpoints it uses on an internal network");
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Socket {
    Itself,
    Ancestor,
}

/// Whether the (normalized) source is a runtime socket or a directory that holds one.
fn socket_kind(source: &str) -> Option<Socket> {
    let last = source.rsplit('/').next().unwrap_or(source);
    if SOCKET_NAMES.contains(&last) || source.ends_with("/systemd/private") {
        Some(Socket::Itself)
    } else if SOCKET_DIRS.contains(&source) {
        Some(Socket::Ancestor)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::socket_kind;

    #[test]
    fn ancestors_fire_and_descendants_do_not() {
        assert!(socket_kind("/var/run/docker.sock").is_some());
        assert!(socket_kind("/run/user/1000/docker.sock").is_some());
        assert!(socket_kind("/run/containerd/containerd.sock").is_some());
        assert!(socket_kind("/run/systemd/private").is_some());
        assert!(socket_kind("/").is_some());
        assert!(socket_kind("/var/run").is_some());
        assert!(socket_kind("/run/myapp").is_none());
        assert!(socket_kind("/srv/docker.socket.d").is_none());
    }
}
