//! Just enough image-reference reading to recognise well-known images whatever registry or
//! mirror they come from: the repository path without registry, tag or digest, and the
//! catalog's lists of datastores, Loki and log-pipeline images.

/// The repository path of an image reference, lowercased, without registry host, tag or
/// digest: `ghcr.io/grafana/loki:3.0@sha256:…` gives `grafana/loki`, `postgres:16` gives
/// `postgres`.
pub(crate) fn repository(image: &str) -> String {
    let image = image.trim();
    let without_digest = image.split_once('@').map_or(image, |(name, _)| name);
    let mut parts: Vec<&str> = without_digest.split('/').collect();
    // A first part with a dot, a colon (port) or `localhost` is a registry host.
    if parts.len() > 1
        && parts
            .first()
            .is_some_and(|p| p.contains('.') || p.contains(':') || *p == "localhost")
    {
        parts.remove(0);
    }
    let mut path = parts.join("/");
    let last_slash = path.rfind('/').map_or(0, |i| i + 1);
    if let Some(colon) = path.get(last_slash..).and_then(|name| name.find(':')) {
        path.truncate(last_slash + colon);
    }
    let path = path.strip_prefix("library/").unwrap_or(&path);
    path.to_ascii_lowercase()
}

/// The last path component of the repository (`bitnami/postgresql` gives `postgresql`).
pub(crate) fn short_name(image: &str) -> String {
    let repository = repository(image);
    repository
        .rsplit('/')
        .next()
        .unwrap_or(&repository)
        .to_owned()
}

/// Datastores, caches and brokers (RULES.md §6 `datastore-port-published` image list).
const DATASTORES: &[&str] = &[
    "postgres",
    "mysql",
    "mariadb",
    "mongo",
    "redis",
    "valkey",
    "memcached",
    "elasticsearch",
    "opensearch",
    "rabbitmq",
    "kafka",
    "zookeeper",
    "clickhouse",
    "cockroach",
    "etcd",
    "consul",
    "nats",
    "influxdb",
    "neo4j",
    "couchdb",
    "cassandra",
    "pgbouncer",
];

/// The image is a datastore, cache or broker: its short name is one of the list, or one of
/// them followed by a variant (`postgresql`, `mongodb`, `clickhouse-server`, `cp-kafka`,
/// `redis-stack`), or a well-known derived image (`postgis`, `timescaledb`).
pub(crate) fn is_datastore(image: &str) -> bool {
    let name = short_name(image);
    let name = name.strip_prefix("cp-").unwrap_or(&name);
    matches!(name, "postgis" | "timescaledb")
        || DATASTORES.iter().any(|store| name.starts_with(store))
}

/// A Loki server image (`grafana/loki`, mirrored or behind any registry).
pub(crate) fn is_loki(image: &str) -> bool {
    let repository = repository(image);
    let name = short_name(image);
    name == "loki"
        || name == "grafana-loki"
        || repository
            .rsplit_once('/')
            .is_some_and(|(owner, name)| owner.ends_with("grafana") && name.starts_with("loki"))
}

/// A log shipper that can sit between containers and Loki.
pub(crate) fn is_log_pipeline(image: &str) -> bool {
    let repository = repository(image);
    let name = short_name(image);
    let owned_by = |owner: &str| {
        repository
            .rsplit_once('/')
            .is_some_and(|(path, _)| path.ends_with(owner))
    };
    name.starts_with("promtail")
        || name.starts_with("fluent-bit")
        || (name.starts_with("alloy") && owned_by("grafana"))
        || (name == "vector" && owned_by("timberio"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_drops_registry_tag_and_digest() {
        assert_eq!(repository("postgres:16"), "postgres");
        assert_eq!(repository("docker.io/library/postgres:16"), "postgres");
        assert_eq!(repository("localhost:5000/app:1"), "app");
        assert_eq!(
            repository("ghcr.io/grafana/loki:3.0@sha256:abc"),
            "grafana/loki"
        );
        assert_eq!(repository("Grafana/Loki"), "grafana/loki");
        assert_eq!(repository("registry:5000/team/app"), "team/app");
    }

    #[test]
    fn datastores_match_variants_and_mirrors() {
        for image in [
            "postgres:16",
            "bitnami/postgresql:16",
            "mirror.gcr.io/library/redis:7",
            "mongo",
            "clickhouse/clickhouse-server:24",
            "confluentinc/cp-kafka:7.6.0",
            "postgis/postgis:16-3.4",
        ] {
            assert!(is_datastore(image), "{image}");
        }
        for image in ["nginx:1.27", "ghcr.io/acme/api:1.0", "grafana/grafana"] {
            assert!(!is_datastore(image), "{image}");
        }
    }

    #[test]
    fn loki_and_pipelines_match_behind_registries() {
        assert!(is_loki("grafana/loki:3.0.0"));
        assert!(is_loki("registry.example.com:5000/grafana/loki"));
        assert!(is_loki("bitnami/grafana-loki:3"));
        assert!(!is_loki("grafana/grafana:11"));
        assert!(!is_loki("grafana/promtail:3"));
        assert!(is_log_pipeline("grafana/promtail:3.0.0"));
        assert!(is_log_pipeline("grafana/alloy:latest"));
        assert!(is_log_pipeline("fluent/fluent-bit:3"));
        assert!(is_log_pipeline("timberio/vector:0.39.0-alpine"));
        assert!(!is_log_pipeline("acme/vector:1"));
        assert!(!is_log_pipeline("grafana/loki"));
    }
}
