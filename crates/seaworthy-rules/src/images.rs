//! What seaworthy knows about well-known images, for the overlay `seaworthy harden` writes: each
//! family's role (which sets its resources and restart policy), default ports, a health check
//! that runs with the tools the image ships, whether a read-only root filesystem is safe, the
//! capabilities to add back after `cap_drop: [ALL]`, and a non-root user. The data lives in
//! `data/images.toml`, compiled into the binary and parsed once; [`lookup`] matches image
//! references as compose files write them.

use crate::facts::images::ImageRef;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

const DATA: &str = include_str!("../data/images.toml");

/// What a service does, which decides its resources and restart policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Datastore,
    Cache,
    Queue,
    Search,
    ObjectStore,
    Proxy,
    App,
    Observability,
    OneShot,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Datastore,
        Role::Cache,
        Role::Queue,
        Role::Search,
        Role::ObjectStore,
        Role::Proxy,
        Role::App,
        Role::Observability,
        Role::OneShot,
    ];

    /// The name used in `images.toml` and in messages (`object-store`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Datastore => "datastore",
            Role::Cache => "cache",
            Role::Queue => "queue",
            Role::Search => "search",
            Role::ObjectStore => "object-store",
            Role::Proxy => "proxy",
            Role::App => "app",
            Role::Observability => "observability",
            Role::OneShot => "one-shot",
        }
    }

    /// The role in a sentence, with its article: `a datastore`, `an application`.
    pub fn noun(self) -> &'static str {
        match self {
            Role::Datastore => "a datastore",
            Role::Cache => "a cache",
            Role::Queue => "a message queue",
            Role::Search => "a search engine",
            Role::ObjectStore => "an object store",
            Role::Proxy => "a proxy",
            Role::App => "an application",
            Role::Observability => "an observability service",
            Role::OneShot => "a one-shot job",
        }
    }
}

/// A compose `healthcheck` known to work inside the image. Durations are Go duration text as
/// compose writes them (`10s`); `$` meant for the container's shell is already escaped as `$$`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Healthcheck {
    /// `["CMD", …]` or `["CMD-SHELL", "command"]`.
    pub test: Vec<String>,
    pub interval: String,
    pub timeout: String,
    pub retries: u32,
    pub start_period: String,
}

/// Whether `read_only: true` is safe, and the `tmpfs` paths it then needs.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadOnly {
    pub safe: bool,
    #[serde(default)]
    pub tmpfs: Vec<String>,
}

/// One image family.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// Repository paths without tag or digest (`postgres`, `quay.io/prometheus/prometheus`).
    pub names: Vec<String>,
    /// Substrings that must all appear in the tag for this entry to apply (`["alpine",
    /// "slim"]`); empty for the entry that covers every tag.
    #[serde(default)]
    pub tags: Vec<String>,
    pub role: Role,
    /// A memory limit replacing the role's, for images whose own defaults need more (a JVM
    /// with a fixed heap); see [`Image::memory`].
    #[serde(default, rename = "memory")]
    pub memory_override: Option<String>,
    pub ports: Vec<u16>,
    pub healthcheck: Option<Healthcheck>,
    pub read_only: ReadOnly,
    /// Capabilities to add back after `cap_drop: [ALL]`; `None` when what the entrypoint
    /// needs is unknown, so no capability should be dropped.
    pub cap_add: Option<Vec<String>>,
    /// A non-root user for an image that starts as root but supports running as this user.
    pub user: Option<String>,
    /// Why the choices are safe, for the generated overlay's comments.
    pub note: String,
}

impl Image {
    /// The resources and restart policy of the image's role.
    pub fn role_defaults(&self) -> &'static RoleDefaults {
        role_defaults(self.role)
    }

    /// The memory limit to write: the image's own when it has one, else its role's.
    pub fn memory(&self) -> &str {
        match &self.memory_override {
            Some(memory) => memory,
            None => &self.role_defaults().memory,
        }
    }
}

/// Default resources and restart policy for a role. Sizes are compose size text (`1GiB`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDefaults {
    pub memory: String,
    pub memory_reservation: String,
    pub cpus: f64,
    pub restart: String,
}

impl RoleDefaults {
    pub fn memory_bytes(&self) -> Option<f64> {
        size_bytes(&self.memory)
    }

    pub fn memory_reservation_bytes(&self) -> Option<f64> {
        size_bytes(&self.memory_reservation)
    }
}

/// A size as docker reads it (`512MiB`, `1g`), in bytes.
pub fn size_bytes(text: &str) -> Option<f64> {
    use seaworthy_compose::{Node, Value};
    crate::values::bytes(&Node::synthetic(Value::Str(text.into())))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Roles {
    datastore: RoleDefaults,
    cache: RoleDefaults,
    queue: RoleDefaults,
    search: RoleDefaults,
    #[serde(rename = "object-store")]
    object_store: RoleDefaults,
    proxy: RoleDefaults,
    app: RoleDefaults,
    observability: RoleDefaults,
    #[serde(rename = "one-shot")]
    one_shot: RoleDefaults,
}

impl Roles {
    fn get(&self, role: Role) -> &RoleDefaults {
        match role {
            Role::Datastore => &self.datastore,
            Role::Cache => &self.cache,
            Role::Queue => &self.queue,
            Role::Search => &self.search,
            Role::ObjectStore => &self.object_store,
            Role::Proxy => &self.proxy,
            Role::App => &self.app,
            Role::Observability => &self.observability,
            Role::OneShot => &self.one_shot,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    roles: Roles,
    #[serde(default)]
    image: Vec<Image>,
}

/// One name of one entry, as the index keeps it.
#[derive(Debug)]
struct Candidate {
    /// The registry host the name requires; `None` for Docker Hub and its mirrors.
    host: Option<String>,
    entry: usize,
}

#[derive(Debug)]
struct Catalog {
    file: File,
    /// Normalised repository path → the entries naming it, those with tag filters first so
    /// that a variant's entry wins over the family's.
    index: BTreeMap<String, Vec<Candidate>>,
}

fn parse(text: &str) -> Result<Catalog, toml::de::Error> {
    let file: File = toml::from_str(text)?;
    let mut index: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    for (entry, image) in file.image.iter().enumerate() {
        for name in &image.names {
            let (host, path) = normalize(&ImageRef::parse(name));
            index
                .entry(path)
                .or_default()
                .push(Candidate { host, entry });
        }
    }
    for candidates in index.values_mut() {
        // Stable: entries keep file order within the same precedence.
        candidates.sort_by_key(|c| {
            (
                file.image.get(c.entry).is_none_or(|i| i.tags.is_empty()),
                c.host.is_none(),
            )
        });
    }
    Ok(Catalog { file, index })
}

fn catalog() -> Option<&'static Catalog> {
    static CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();
    // The data is compiled in and a test parses it, so `None` never happens in a release; it
    // only keeps a broken edit from panicking the tool.
    CATALOG.get_or_init(|| parse(DATA).ok()).as_ref()
}

/// The registry host (`None` for Docker Hub) and the repository path, lowercase, without the
/// Hub's `library/` prefix.
fn normalize(reference: &ImageRef<'_>) -> (Option<String>, String) {
    let host = reference
        .registry
        .map(str::to_ascii_lowercase)
        .filter(|host| {
            !matches!(
                host.as_str(),
                "docker.io" | "index.docker.io" | "registry-1.docker.io"
            )
        });
    let path = reference.repository.to_ascii_lowercase();
    let path = match path.strip_prefix("library/") {
        Some(rest) => rest.to_owned(),
        None => path,
    };
    (host, path)
}

/// The entry for an image reference as written in compose (`postgres:16.4-alpine`,
/// `docker.io/library/postgres@sha256:…`, `quay.io/prometheus/prometheus:v2.53.0`); `None`
/// for images seaworthy knows nothing about (`ghcr.io/acme/api:1`).
pub fn lookup(image: &str) -> Option<&'static Image> {
    let catalog = catalog()?;
    let reference = ImageRef::parse(image);
    let (host, path) = normalize(&reference);
    let tag = reference.tag.map(str::to_ascii_lowercase);
    catalog
        .index
        .get(&path)?
        .iter()
        .filter(|c| c.host.is_none() || c.host == host)
        .filter_map(|c| catalog.file.image.get(c.entry))
        .find(|entry| {
            entry.tags.is_empty()
                || tag
                    .as_deref()
                    .is_some_and(|tag| entry.tags.iter().all(|part| tag.contains(part.as_str())))
        })
}

/// Every entry, in file order.
pub fn all() -> &'static [Image] {
    catalog().map_or(&[], |c| c.file.image.as_slice())
}

/// The default resources and restart policy of a role.
pub fn role_defaults(role: Role) -> &'static RoleDefaults {
    // Only reached if the compiled-in data failed to parse, which a test rules out.
    static UNPARSED: LazyLock<RoleDefaults> = LazyLock::new(|| RoleDefaults {
        memory: "512MiB".into(),
        memory_reservation: "128MiB".into(),
        cpus: 1.0,
        restart: "unless-stopped".into(),
    });
    match catalog() {
        Some(catalog) => catalog.file.roles.get(role),
        None => &UNPARSED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::durations;
    use std::collections::BTreeSet;

    const CAPABILITIES: &[&str] = &[
        "AUDIT_CONTROL",
        "AUDIT_READ",
        "AUDIT_WRITE",
        "BLOCK_SUSPEND",
        "BPF",
        "CHECKPOINT_RESTORE",
        "CHOWN",
        "DAC_OVERRIDE",
        "DAC_READ_SEARCH",
        "FOWNER",
        "FSETID",
        "IPC_LOCK",
        "IPC_OWNER",
        "KILL",
        "LEASE",
        "LINUX_IMMUTABLE",
        "MAC_ADMIN",
        "MAC_OVERRIDE",
        "MKNOD",
        "NET_ADMIN",
        "NET_BIND_SERVICE",
        "NET_BROADCAST",
        "NET_RAW",
        "PERFMON",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYSLOG",
        "SYS_ADMIN",
        "SYS_BOOT",
        "SYS_CHROOT",
        "SYS_MODULE",
        "SYS_NICE",
        "SYS_PACCT",
        "SYS_PTRACE",
        "SYS_RAWIO",
        "SYS_RESOURCE",
        "SYS_TIME",
        "SYS_TTY_CONFIG",
        "WAKE_ALARM",
    ];

    fn family(image: &str) -> Option<&'static str> {
        lookup(image)
            .and_then(|entry| entry.names.first())
            .map(String::as_str)
    }

    /// Every `$` is doubled: compose would otherwise interpolate it from the host's variables.
    fn dollars_are_escaped(text: &str) -> bool {
        text.split("$$").all(|part| !part.contains('$'))
    }

    #[test]
    fn the_data_parses() {
        if let Err(error) = parse(DATA) {
            panic!("images.toml does not parse: {error}");
        }
        assert!(all().len() >= 40, "{} entries", all().len());
    }

    #[test]
    fn every_entry_is_valid() {
        for image in all() {
            let name = image.names.first().map_or("<no name>", String::as_str);
            assert!(!image.names.is_empty(), "an entry has no names");
            for n in &image.names {
                assert_eq!(n, &n.to_ascii_lowercase(), "{n}: names are lowercase");
                assert!(!n.contains('@'), "{n}: no digest in names");
                let reference = ImageRef::parse(n);
                assert_eq!(reference.tag, None, "{n}: no tag in names");
                let (host, path) = normalize(&reference);
                assert_eq!(
                    host.as_deref(),
                    reference.registry,
                    "{n}: write Hub names without a host"
                );
                assert_eq!(
                    path, reference.repository,
                    "{n}: write Hub names without library/"
                );
            }
            for part in &image.tags {
                assert!(
                    !part.is_empty() && part == &part.to_ascii_lowercase(),
                    "{name}: tags"
                );
            }
            assert!(image.ports.iter().all(|p| *p > 0), "{name}: port 0");
            if let Some(memory) = &image.memory_override {
                assert!(
                    size_bytes(memory).is_some_and(|b| b > 0.0),
                    "{name}: memory {memory}"
                );
            }
            if let Some(check) = &image.healthcheck {
                match check.test.first().map(String::as_str) {
                    Some("CMD") => assert!(check.test.len() >= 2, "{name}: CMD without a command"),
                    Some("CMD-SHELL") => {
                        assert_eq!(check.test.len(), 2, "{name}: CMD-SHELL takes one string")
                    }
                    Some("NONE") => assert_eq!(check.test.len(), 1, "{name}: NONE takes nothing"),
                    other => panic!("{name}: test starts with {other:?}"),
                }
                for word in &check.test {
                    assert!(dollars_are_escaped(word), "{name}: unescaped `$` in {word}");
                }
                for duration in [&check.interval, &check.timeout, &check.start_period] {
                    assert!(
                        durations::parse(duration).is_some_and(|n| n > 0),
                        "{name}: duration {duration}"
                    );
                }
                let (interval, timeout) = (
                    durations::parse(&check.interval),
                    durations::parse(&check.timeout),
                );
                assert!(
                    timeout <= interval,
                    "{name}: timeout longer than the interval"
                );
                assert!(check.retries >= 1, "{name}: retries");
            }
            for path in &image.read_only.tmpfs {
                assert!(
                    path.starts_with('/'),
                    "{name}: tmpfs {path} is not absolute"
                );
            }
            if let Some(caps) = &image.cap_add {
                for cap in caps {
                    assert!(
                        CAPABILITIES.contains(&cap.as_str()),
                        "{name}: unknown capability {cap}"
                    );
                }
            }
            if let Some(user) = &image.user {
                let uid = user.split(':').next().unwrap_or(user);
                assert!(
                    !uid.is_empty() && uid != "root" && uid != "0",
                    "{name}: user {user}"
                );
            }
            assert!(
                !image.note.is_empty() && !image.note.ends_with('.'),
                "{name}: note"
            );
        }
    }

    #[test]
    fn no_name_is_claimed_twice() {
        let mut seen = BTreeSet::new();
        for image in all() {
            for name in &image.names {
                let (host, path) = normalize(&ImageRef::parse(name));
                assert!(
                    seen.insert((host, path, image.tags.clone())),
                    "{name} {:?} appears twice",
                    image.tags
                );
            }
        }
    }

    #[test]
    fn every_role_has_sane_defaults() {
        for role in Role::ALL {
            let defaults = role_defaults(role);
            let memory = defaults.memory_bytes();
            let reservation = defaults.memory_reservation_bytes();
            assert!(memory.is_some_and(|m| m > 0.0), "{}: memory", role.as_str());
            assert!(
                reservation.is_some_and(|r| r > 0.0),
                "{}: reservation",
                role.as_str()
            );
            assert!(
                reservation < memory,
                "{}: reservation above the limit",
                role.as_str()
            );
            assert!(defaults.cpus > 0.0, "{}: cpus", role.as_str());
            assert!(
                ["no", "always", "on-failure", "unless-stopped"]
                    .contains(&defaults.restart.as_str()),
                "{}: restart {}",
                role.as_str(),
                defaults.restart
            );
        }
        assert_eq!(role_defaults(Role::OneShot).restart, "no");
        assert_eq!(role_defaults(Role::Datastore).restart, "unless-stopped");
        // Databases and object stores get more memory than proxies.
        let bytes = |role| role_defaults(role).memory_bytes().unwrap_or_default();
        assert!(bytes(Role::Datastore) > bytes(Role::Proxy));
        assert!(bytes(Role::ObjectStore) > bytes(Role::Proxy));
        assert!(bytes(Role::Search) >= bytes(Role::Datastore));
    }

    #[test]
    fn references_find_their_family() {
        let cases = [
            ("postgres", "postgres"),
            ("postgres:16.4-alpine", "postgres"),
            ("postgres:18.4", "postgres"),
            ("docker.io/library/postgres@sha256:0123abcd", "postgres"),
            ("docker.io/postgres:16-alpine", "postgres"),
            ("index.docker.io/library/postgres:15", "postgres"),
            ("registry-1.docker.io/library/postgres:15", "postgres"),
            ("library/postgres:15-alpine", "postgres"),
            ("postgis/postgis:16-3.4", "postgres"),
            ("timescale/timescaledb:latest-pg16", "postgres"),
            ("bitnami/postgresql:16", "bitnami/postgresql"),
            ("mirror.gcr.io/library/redis:7", "redis"),
            ("docker.io/redis:alpine", "redis"),
            ("docker.io/valkey/valkey:8.0-alpine", "valkey/valkey"),
            ("ghcr.io/valkey-io/valkey:9.0.4-alpine3.23", "valkey/valkey"),
            ("mariadb:10.6.4-focal", "mariadb"),
            ("MySQL:8.0", "mysql"),
            ("mongo:4.2.0", "mongo"),
            ("quay.io/prometheus/prometheus:v2.53.0", "prom/prometheus"),
            ("docker.io/prom/prometheus:v3.4.2", "prom/prometheus"),
            ("grafana/grafana:13.2.0@sha256:3fd54ae1", "grafana/grafana"),
            ("docker.n8n.io/n8nio/n8n:1.100.0", "n8nio/n8n"),
            ("localhost:5000/frappe/erpnext:v15", "frappe/erpnext"),
            ("minio/minio:RELEASE.2024-02-24T17-11-14Z", "minio/minio"),
            (
                "clickhouse/clickhouse-server:23.3.7.5-alpine",
                "clickhouse/clickhouse-server",
            ),
            ("edoburu/pgbouncer:v1.24.1-p1", "edoburu/pgbouncer"),
            ("traefik:v3.1", "traefik"),
            ("postgrest/postgrest:v12", "postgrest/postgrest"),
            (
                "ghcr.io/immich-app/postgres:14-vectorchord0.3.0",
                "postgres",
            ),
            (
                "nginxinc/nginx-unprivileged:1.27-alpine",
                "nginxinc/nginx-unprivileged",
            ),
        ];
        for (reference, expected) in cases {
            assert_eq!(family(reference), Some(expected), "{reference}");
        }
    }

    #[test]
    fn tag_filters_pick_the_variant() {
        let slim = lookup("nginx:1.27.2-alpine3.20-slim");
        assert_eq!(
            slim.map(|i| i.tags.as_slice()),
            Some(&["alpine".to_owned(), "slim".to_owned()][..])
        );
        assert_eq!(slim.and_then(|i| i.healthcheck.as_ref()), None);
        assert_eq!(lookup("nginx:alpine-slim").map(|i| i.tags.len()), Some(2));
        for full in [
            "nginx:1.27-alpine",
            "nginx:latest",
            "nginx",
            "nginx@sha256:abc",
            "nginx:1.22.1",
        ] {
            let entry = lookup(full);
            assert_eq!(entry.map(|i| i.tags.len()), Some(0), "{full}");
            assert!(entry.is_some_and(|i| i.healthcheck.is_some()), "{full}");
        }
        assert_eq!(
            lookup("gitea/gitea:1.22-rootless").map(|i| i.ports.as_slice()),
            Some(&[3000, 2222][..])
        );
        assert_eq!(
            lookup("gitea/gitea:1.22").map(|i| i.ports.as_slice()),
            Some(&[3000, 22][..])
        );
    }

    #[test]
    fn unknown_images_are_none() {
        for reference in [
            "ghcr.io/acme/api:1",
            "ghcr.io/acme/postgres:16",
            "acme/postgres:16",
            "acme/postgrest:1",
            "rediscommander/redis-commander",
            "sentry-self-hosted-local",
            "quay.io/acme/redis:7",
            "",
            ":",
            "@",
        ] {
            assert_eq!(family(reference), None, "{reference}");
        }
    }

    #[test]
    fn well_known_choices_hold() {
        let postgres = lookup("postgres:16").expect("postgres is known");
        assert_eq!(postgres.role, Role::Datastore);
        assert_eq!(postgres.ports, [5432]);
        assert_eq!(
            postgres.healthcheck.as_ref().map(|h| h.test.clone()),
            Some(vec![
                "CMD-SHELL".to_owned(),
                "pg_isready -h 127.0.0.1 -U \"$${POSTGRES_USER:-postgres}\"".to_owned()
            ])
        );
        assert!(postgres.read_only.safe);
        assert_eq!(postgres.memory(), "1GiB");

        let kafka = lookup("confluentinc/cp-kafka:7.6.0").expect("kafka is known");
        assert_eq!(kafka.role, Role::Queue);
        assert_eq!(kafka.memory(), "2GiB");

        let caddy = lookup("caddy:2").expect("caddy is known");
        assert_eq!(
            caddy.cap_add.as_deref(),
            Some(&["NET_BIND_SERVICE".to_owned()][..])
        );

        // Loki 3 is distroless: no command can run inside it.
        assert_eq!(
            lookup("grafana/loki:3.0.0").and_then(|i| i.healthcheck.as_ref()),
            None
        );
        assert_eq!(lookup("redis:7-alpine").map(|i| i.role), Some(Role::Cache));
        assert_eq!(lookup("minio/mc").map(|i| i.role), Some(Role::OneShot));
        assert_eq!(
            lookup("node:24-alpine").and_then(|i| i.user.as_deref()),
            Some("node")
        );
        assert_eq!(lookup("haproxy:3.0").and_then(|i| i.cap_add.as_ref()), None);
    }

    #[test]
    fn lookups_reuse_the_parsed_catalog() {
        let first = lookup("postgres:16").map(std::ptr::from_ref);
        let second = lookup("docker.io/library/postgres:17").map(std::ptr::from_ref);
        assert!(first.is_some());
        assert_eq!(first, second);
    }
}
