//! Docker image references (`registry:5000/team/app:1.2@sha256:…`) and the catalog's lists of
//! well-known images: datastores, caches and brokers with their container ports and data
//! directories (RULES.md `datastore-port-published`, `stateful-named-volume`), reverse
//! proxies (the public edge that `port-all-interfaces` treats as intended on 80/443), tags
//! that move, images a service builds itself, and images that read credentials from files.

use crate::Service;

/// A parsed image reference. Parsing never fails: odd input yields odd parts, not a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    /// The registry host, with its port (`localhost:5000`, `ghcr.io`); `None` for Docker Hub.
    pub registry: Option<&'a str>,
    /// The path without registry, tag or digest (`library/postgres` stays `postgres`).
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    /// The digest after `@` (`sha256:…`).
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    pub fn parse(reference: &'a str) -> ImageRef<'a> {
        let reference = reference.trim();
        let (rest, digest) = match reference.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest)),
            None => (reference, None),
        };
        // Like the distribution reference grammar: the first component is a registry when it
        // has a dot or a port, or is `localhost`.
        let (registry, path) = match rest.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first), path)
            }
            _ => (None, rest),
        };
        let last_slash = path.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match path.get(last_slash..).and_then(|last| last.rfind(':')) {
            Some(colon) => {
                let at = last_slash + colon;
                (
                    path.get(..at).unwrap_or(path),
                    path.get(at + 1..).filter(|t| !t.is_empty()),
                )
            }
            None => (path, None),
        };
        ImageRef {
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// The last path component, lowercase (`bitnami/postgresql` → `postgresql`).
    pub fn name(&self) -> String {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(self.repository)
            .to_ascii_lowercase()
    }
}

/// Tags that name a moving target rather than a release.
const MUTABLE_TAGS: &[&str] = &[
    "latest", "stable", "edge", "nightly", "dev", "develop", "test", "beta", "canary", "lts",
    "main", "master", "head", "rolling",
];

/// The tag names a moving target (`latest`, `main`, `nightly`, …), in any case.
pub(crate) fn is_mutable_tag(tag: &str) -> bool {
    MUTABLE_TAGS.contains(&tag.to_ascii_lowercase().as_str())
}

/// The service builds its own image and `image:` only names the result: `pull_policy: build`,
/// or a name without a registry host.
pub(crate) fn names_local_build(service: &Service<'_>, image: &ImageRef<'_>) -> bool {
    service.get("build").is_some()
        && (service.text("pull_policy").as_deref() == Some("build") || image.registry.is_none())
}

/// The reference names a registry host other than this machine (`ghcr.io`,
/// `registry.example.com:5000`; not `localhost:5000` or `127.0.0.1:5000`).
pub(crate) fn names_remote_registry(image: &ImageRef<'_>) -> bool {
    image.registry.is_some_and(|host| {
        let host = host.rsplit_once(':').map_or(host, |(name, _)| name);
        !matches!(host, "localhost" | "127.0.0.1" | "[::1]")
    })
}

/// Official images whose entrypoint reads `<VAR>_FILE` (grafana: `<VAR>__FILE`) for its own
/// variables: the image, the prefixes of the variables it reads that way, and the suffix.
const FILE_SECRET_IMAGES: &[(&str, &[&str], &str)] = &[
    ("postgres", &["POSTGRES_"], "_FILE"),
    ("postgis", &["POSTGRES_"], "_FILE"),
    ("timescaledb", &["POSTGRES_"], "_FILE"),
    ("mysql", &["MYSQL_"], "_FILE"),
    ("mariadb", &["MARIADB_", "MYSQL_"], "_FILE"),
    ("mongo", &["MONGO_INITDB_"], "_FILE"),
    ("minio", &["MINIO_"], "_FILE"),
    ("wordpress", &["WORDPRESS_"], "_FILE"),
    ("grafana", &["GF_"], "__FILE"),
];

/// An image that can read a variable from a file instead of its environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileSecretSupport {
    /// The image family (`postgres`).
    pub image: &'static str,
    /// The variable that names the file (`POSTGRES_PASSWORD_FILE`).
    pub file_variable: String,
}

/// Whether `image` reads `key` from a file: `POSTGRES_PASSWORD` on `postgres:16` can be
/// given as `POSTGRES_PASSWORD_FILE`; `APP_SECRET` on the same image cannot.
pub(crate) fn file_secret_support(image: &str, key: &str) -> Option<FileSecretSupport> {
    let name = ImageRef::parse(image).name();
    let (family, prefixes, suffix) = FILE_SECRET_IMAGES
        .iter()
        .find(|(family, _, _)| name == *family)?;
    prefixes
        .iter()
        .any(|p| key.starts_with(p))
        .then(|| FileSecretSupport {
            image: family,
            file_variable: format!("{key}{suffix}"),
        })
}

/// A family of stateful images from the catalog's datastore list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Datastore {
    /// The catalog's name for it (`postgres`).
    pub family: &'static str,
    /// Where the image keeps its data, when the catalog knows it.
    pub data_dirs: &'static [&'static str],
}

/// The datastore, cache and broker families of RULES.md, with the image names they ship
/// under besides their own.
const DATASTORES: &[(&str, &[&str], &[&str])] = &[
    (
        "postgres",
        &["postgresql", "postgis", "timescaledb", "timescaledb-ha"],
        &["/var/lib/postgresql/data", "/var/lib/postgresql"],
    ),
    ("mysql", &["mysql-server"], &["/var/lib/mysql"]),
    ("mariadb", &[], &["/var/lib/mysql"]),
    (
        "mongo",
        &["mongodb", "mongodb-community-server"],
        &["/data/db"],
    ),
    ("redis", &["redis-stack", "redis-stack-server"], &["/data"]),
    ("valkey", &[], &["/data"]),
    ("memcached", &[], &[]),
    ("elasticsearch", &[], &["/usr/share/elasticsearch/data"]),
    ("opensearch", &[], &["/usr/share/opensearch/data"]),
    ("rabbitmq", &[], &["/var/lib/rabbitmq"]),
    ("kafka", &["cp-kafka"], &[]),
    ("zookeeper", &["cp-zookeeper"], &[]),
    (
        "clickhouse",
        &["clickhouse-server"],
        &["/var/lib/clickhouse"],
    ),
    ("cockroach", &["cockroachdb"], &[]),
    ("etcd", &[], &[]),
    ("consul", &[], &[]),
    ("nats", &[], &[]),
    ("influxdb", &[], &["/var/lib/influxdb2"]),
    ("neo4j", &[], &[]),
    ("couchdb", &[], &[]),
    ("cassandra", &[], &[]),
    ("pgbouncer", &[], &[]),
];

/// The datastore family of an image, matched on its last path component (`postgres`,
/// `bitnami/postgresql`, `confluentinc/cp-kafka`), never on a substring: `postgrest` (an HTTP
/// API) and `redis-commander` (a UI) are not datastores.
pub(crate) fn datastore(image: &str) -> Option<Datastore> {
    let name = ImageRef::parse(image).name();
    DATASTORES
        .iter()
        .find(|(family, aliases, _)| name == *family || aliases.contains(&name.as_str()))
        .map(|(family, _, data_dirs)| Datastore { family, data_dirs })
}

/// The image is a datastore, cache or broker of the catalog.
pub(crate) fn is_datastore(image: &str) -> bool {
    datastore(image).is_some()
}

/// The repository path, lowercase, without a Docker Hub `library/` prefix.
fn repository_path(image: &ImageRef<'_>) -> String {
    let path = image.repository.to_ascii_lowercase();
    path.strip_prefix("library/")
        .map_or_else(|| path.clone(), str::to_owned)
}

/// A Loki server image (`grafana/loki`, mirrored or behind any registry).
pub(crate) fn is_loki(image: &str) -> bool {
    let image = ImageRef::parse(image);
    let name = image.name();
    name == "loki"
        || name == "grafana-loki"
        || repository_path(&image)
            .rsplit_once('/')
            .is_some_and(|(owner, name)| owner.ends_with("grafana") && name.starts_with("loki"))
}

/// A log shipper that can sit between containers and Loki.
pub(crate) fn is_log_pipeline(image: &str) -> bool {
    let image = ImageRef::parse(image);
    let repository = repository_path(&image);
    let name = image.name();
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

/// Container ports of datastores, caches, brokers and their admin interfaces. 9000 is left
/// out: it only counts for ClickHouse and MinIO images (see [`is_datastore_port`]).
const DATASTORE_PORTS: &[u32] = &[
    5432, 3306, 33060, 1433, 1521, 27017, 27018, 27019, 6379, 6380, 11211, 9200, 9300, 5984, 8086,
    9042, 7474, 7687, 5672, 15672, 9092, 2181, 8123, 26257, 6432, 2379, 8500, 4222,
];

/// Whether `target` is a datastore's container port, for a service running `image`.
pub(crate) fn is_datastore_port(target: u32, image: Option<&str>) -> bool {
    if target == 9000 {
        let name = image.map(|i| ImageRef::parse(i).name()).unwrap_or_default();
        return ["clickhouse", "clickhouse-server", "minio"].contains(&name.as_str());
    }
    DATASTORE_PORTS.contains(&target)
}

/// Reverse proxies: the intended public edge of a stack.
pub(crate) fn is_reverse_proxy(image: &str) -> bool {
    let name = ImageRef::parse(image).name();
    [
        "traefik",
        "nginx",
        "nginx-unprivileged",
        "openresty",
        "caddy",
        "haproxy",
        "envoy",
        "nginx-proxy",
        "nginx-proxy-manager",
    ]
    .contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_registry_with_port_tag_and_digest() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry, Some("localhost:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag, Some("1.2"));
        assert_eq!(r.digest, Some("sha256:abc"));
        assert_eq!(r.name(), "app");

        let r = ImageRef::parse("localhost:5000/app");
        assert_eq!(
            (r.registry, r.repository, r.tag),
            (Some("localhost:5000"), "app", None)
        );

        let r = ImageRef::parse("postgres@sha256:abc");
        assert_eq!((r.registry, r.repository, r.tag), (None, "postgres", None));

        let r = ImageRef::parse("bitnami/postgresql:16");
        assert_eq!(
            (r.registry, r.name(), r.tag),
            (None, "postgresql".into(), Some("16"))
        );
    }

    #[test]
    fn mutable_tags_ignore_case() {
        assert!(is_mutable_tag("latest"));
        assert!(is_mutable_tag("Main"));
        assert!(!is_mutable_tag("1.27.2"));
        assert!(!is_mutable_tag("latest-1.2"));
    }

    #[test]
    fn remote_registries_are_hosts_other_than_this_machine() {
        let remote = |r: &str| names_remote_registry(&ImageRef::parse(r));
        assert!(remote("ghcr.io/acme/web:1.2"));
        assert!(remote("registry.example.com:5000/web"));
        assert!(!remote("localhost:5000/web"));
        assert!(!remote("127.0.0.1:5000/web:1"));
        assert!(!remote("acme/web:1.2"));
        assert!(!remote("web"));
    }

    #[test]
    fn file_secrets_are_known_for_the_images_own_variables() {
        let support = file_secret_support("postgres:16.4", "POSTGRES_PASSWORD");
        assert_eq!(
            support,
            Some(FileSecretSupport {
                image: "postgres",
                file_variable: "POSTGRES_PASSWORD_FILE".into()
            })
        );
        assert_eq!(
            file_secret_support("grafana/grafana:11.2.0", "GF_SECURITY_ADMIN_PASSWORD")
                .map(|s| s.file_variable),
            Some("GF_SECURITY_ADMIN_PASSWORD__FILE".into())
        );
        assert_eq!(
            file_secret_support("mariadb:11", "MYSQL_PASSWORD").map(|s| s.image),
            Some("mariadb")
        );
        assert_eq!(file_secret_support("postgres:16", "APP_SECRET"), None);
        assert_eq!(
            file_secret_support("ghcr.io/acme/api:1", "POSTGRES_PASSWORD"),
            None
        );
    }

    #[test]
    fn odd_references_do_not_panic() {
        for odd in ["", ":", "@", "/", "a:", "::/::", "é/ü:1"] {
            let _ = ImageRef::parse(odd).name();
        }
    }

    #[test]
    fn datastores_match_whole_names() {
        assert_eq!(datastore("postgres:16").map(|d| d.family), Some("postgres"));
        assert_eq!(
            datastore("docker.io/bitnami/postgresql:16").map(|d| d.family),
            Some("postgres")
        );
        assert_eq!(
            datastore("confluentinc/cp-kafka:7.6.0").map(|d| d.family),
            Some("kafka")
        );
        assert_eq!(datastore("postgrest/postgrest:v12"), None);
        assert_eq!(datastore("rediscommander/redis-commander"), None);
        assert_eq!(datastore("ghcr.io/acme/api:1.0"), None);
    }

    #[test]
    fn port_9000_is_a_datastore_port_only_for_clickhouse_and_minio() {
        assert!(is_datastore_port(5432, None));
        assert!(is_datastore_port(9000, Some("minio/minio:latest")));
        assert!(is_datastore_port(
            9000,
            Some("clickhouse/clickhouse-server:24")
        ));
        assert!(!is_datastore_port(9000, Some("portainer/portainer-ce")));
        assert!(!is_datastore_port(8080, None));
    }

    #[test]
    fn reverse_proxies() {
        assert!(is_reverse_proxy("traefik:v3.1"));
        assert!(is_reverse_proxy("nginx:1.27-alpine"));
        assert!(!is_reverse_proxy("ghcr.io/acme/web:1"));
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

    #[test]
    fn datastores_match_mirrors_and_vendor_images() {
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
        for image in [
            "nginx:1.27",
            "ghcr.io/acme/api:1.0",
            "grafana/grafana",
            "postgrest/postgrest",
        ] {
            assert!(!is_datastore(image), "{image}");
        }
    }
}
