use crate::facts::images::{ImageRef, datastore};
use crate::facts::mounts::{is_same_or_under, volume_entries};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;

declare_rule! {
    /// ## What it checks
    /// Fires on a datastore image (the list of `datastore-port-published`) whose data
    /// directory has no named volume or host bind mount: postgres `/var/lib/postgresql/data`,
    /// mysql and mariadb `/var/lib/mysql`, mongo `/data/db`, redis and valkey `/data`,
    /// elasticsearch and opensearch `/usr/share/*/data`, rabbitmq `/var/lib/rabbitmq`,
    /// clickhouse `/var/lib/clickhouse`, influxdb `/var/lib/influxdb2`. A mount at a parent of
    /// the data directory counts. For a repackaged image (`bitnami/postgresql`) whose layout is
    /// not known, any named volume or bind mount counts. A service marked
    /// `x-seaworthy: {ephemeral: true}` (a test database) is exempt.
    ///
    /// ## Why it matters in production
    /// Without a named volume, the data lives in an anonymous volume created from the image's
    /// `VOLUME`: `docker compose down -v`, `docker compose rm` or a recreated container leaves
    /// it behind or deletes it, and the next `up` starts an empty database.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     volumes:
    ///       - db-data:/var/lib/postgresql/data
    /// volumes:
    ///   db-data:
    /// ```
    ///
    /// ## Known false positives
    /// A cache that is allowed to start empty (a Redis used only as a cache): mark it
    /// `x-seaworthy: {ephemeral: true}`.
    ///
    /// ## References
    /// - RULES.md `stateful-named-volume` (production readiness)
    pub(crate) struct StatefulNamedVolume {
        name: "stateful-named-volume",
        code: "SW806",
        area: Mounts,
        severity: Medium,
        fix: Never,
        summary: "datastore keeps its data in an anonymous volume",
    }
}

impl Rule for StatefulNamedVolume {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(image) = service.text("image") else {
            return;
        };
        let Some(store) = datastore(&image).filter(|d| !d.data_dirs.is_empty()) else {
            return;
        };
        if service.is_true("x-seaworthy.ephemeral") {
            return;
        }
        let persistent: Vec<&str> = volume_entries(service)
            .filter(|entry| is_persistent(entry))
            .filter_map(|entry| entry.get("target").and_then(Node::as_str))
            .collect();
        let known_layout = is_official(&image, store.family);
        let covered = if known_layout {
            store.data_dirs.iter().any(|dir| {
                persistent
                    .iter()
                    .any(|t| is_same_or_under(dir, t.trim_end_matches('/')))
            })
        } else {
            !persistent.is_empty()
        };
        if covered {
            return;
        }
        let dir = store.data_dirs.first().copied().unwrap_or("/data");
        cx.report(
            format!(
                "service `{}` keeps its {} data in an anonymous volume",
                service.name, store.family
            ),
            service.declared_at(),
            "no named volume for the data directory",
        )
        .help(format!(
            "mount a named volume at the data directory (for example `{}-data:{dir}`) and declare it under top-level `volumes`",
            service.name
        ));
    }
}

/// A named volume or a bind mount; an anonymous volume or a tmpfs is not.
fn is_persistent(entry: &Node) -> bool {
    let source = entry
        .get("source")
        .and_then(Node::as_str)
        .is_some_and(|s| !s.is_empty());
    match entry.get("type").and_then(Node::as_str) {
        Some("bind") => true,
        Some("volume") => source,
        _ => false,
    }
}

/// The official image (or its vendor's), whose data directory the catalog knows.
fn is_official(image: &str, family: &str) -> bool {
    let reference = ImageRef::parse(image);
    let repository = reference
        .repository
        .strip_prefix("library/")
        .unwrap_or(reference.repository);
    let hub = matches!(
        reference.registry,
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io")
    );
    (hub && repository == family)
        || [
            "elasticsearch/elasticsearch",
            "opensearchproject/opensearch",
            "clickhouse/clickhouse-server",
            "mongodb/mongodb-community-server",
            "postgis/postgis",
            "timescale/timescaledb",
            "redis/redis-stack",
            "redis/redis-stack-server",
            "valkey/valkey",
        ]
        .contains(&repository)
}
