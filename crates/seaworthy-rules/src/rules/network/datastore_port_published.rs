use super::{is_datastore_binding, uses_host_network};
use crate::facts::ports::{HostAddress, bindings};
use crate::patch::{Patch, PatchValue};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;

declare_rule! {
    /// ## What it checks
    /// Fires when a datastore, cache, broker or admin port is published on every host
    /// interface. A binding counts when its container port is a well-known one (5432, 3306,
    /// 33060, 1433, 1521, 27017-27019, 6379, 6380, 11211, 9200, 9300, 5984, 8086, 9042, 7474,
    /// 7687, 5672, 15672, 9092, 2181, 8123, 26257, 6432, 2379, 8500, 4222, and 9000 for
    /// ClickHouse and MinIO images), or when the image is a datastore (postgres, mysql,
    /// mariadb, mongo, redis, valkey, memcached, elasticsearch, opensearch, rabbitmq, kafka,
    /// zookeeper, clickhouse, cockroach, etcd, consul, nats, influxdb, neo4j, couchdb,
    /// cassandra, pgbouncer). It is reported instead of `port-all-interfaces`.
    ///
    /// Loopback bindings and explicit addresses (`10.0.0.5:5432:5432`, a private LAN) are
    /// fine, and so is `expose:`, which publishes nothing.
    ///
    /// ## Why it matters in production
    /// Docker's iptables rules put published ports ahead of UFW and firewalld, so a database
    /// on `0.0.0.0` is on the internet. Exposed Redis, MongoDB and Elasticsearch instances are
    /// found by scanners within hours and are a common cause of real breaches.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     ports:
    ///       - "5432:5432"
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     ports:
    ///       - "127.0.0.1:5432:5432"
    /// ```
    ///
    /// ## Known false positives
    /// A datastore meant to be reached from other hosts should be bound to the private address
    /// they use (`10.0.0.5:5432:5432`), which is not reported.
    ///
    /// ## What harden writes
    /// The service's whole `ports` list again under `!override`, with each datastore port
    /// published on all interfaces bound to `127.0.0.1` and the other entries as they were.
    /// Safe: tools on the host (backups, `psql`) still reach the port, other services reach it
    /// on the compose network, and nothing outside the host does. Nothing is written when an
    /// entry has settings the short syntax cannot carry (`name`, `app_protocol`, `mode: host`).
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.14
    /// - OWASP Docker Security Cheat Sheet, rule 5a
    pub(crate) struct DatastorePortPublished {
        name: "datastore-port-published",
        code: "SW602",
        area: Network,
        severity: High,
        fix: Sometimes,
        summary: "datastore port is published on every host interface",
    }
}

impl Rule for DatastorePortPublished {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        if uses_host_network(service) {
            return;
        }
        let rebound = rebound_ports(service);
        for binding in bindings(service) {
            if binding.address() != HostAddress::Wildcard
                || binding.operator_supplied()
                || !is_datastore_binding(service, &binding)
            {
                continue;
            }
            let target = binding.target.map_or(String::new(), |t| t.to_string());
            cx.report(
                format!(
                    "service `{}` publishes datastore port {target} on all interfaces",
                    service.name
                ),
                binding.span_node().span,
                &format!("{} -> {target}/{}", binding.host_text(), binding.protocol),
            )
            .help(format!(
                "remove the port and let other services reach it on the compose network, or bind it to loopback (`127.0.0.1:{}:{target}`); docker's iptables rules bypass UFW and firewalld",
                binding.published.map_or(String::new(), |p| p.to_string())
            ))
            .fix_all(rebound.iter().cloned().map(|ports| {
                Patch::new(
                    service.name,
                    "ports",
                    PatchValue::Replace(ports),
                    "datastore ports on loopback only: the host's tools reach them, the internet does not",
                )
            }));
        }
    }
}

/// The service's whole `ports` list in short syntax, with every datastore port published on
/// all interfaces bound to loopback instead; `None` when an entry has settings the short
/// syntax cannot say (`name`, `app_protocol`, `mode: host`), or no port changes.
fn rebound_ports(service: &Service<'_>) -> Option<Vec<String>> {
    let mut changed = false;
    let mut ports = Vec::new();
    for binding in bindings(service) {
        let expressible = binding.entry.as_map().is_some_and(|m| {
            m.keys().all(|k| {
                matches!(
                    k.as_str(),
                    "target" | "published" | "host_ip" | "protocol" | "mode"
                )
            })
        }) && binding
            .entry
            .get("mode")
            .and_then(Node::as_str)
            .is_none_or(|m| m == "ingress");
        let target = binding.target?;
        if !expressible || binding.operator_supplied() {
            return None;
        }
        let loopback =
            binding.address() == HostAddress::Wildcard && is_datastore_binding(service, &binding);
        changed |= loopback;
        let host_ip = if loopback {
            Some("127.0.0.1")
        } else {
            binding.host_ip
        };
        let published = binding.published.map_or(String::new(), |p| p.to_string());
        let address = match host_ip {
            Some(ip) if ip.contains(':') => format!("[{ip}]:{published}:"),
            Some(ip) => format!("{ip}:{published}:"),
            None if published.is_empty() => String::new(),
            None => format!("{published}:"),
        };
        ports.push(format!("{address}{target}/{}", binding.protocol));
    }
    changed.then_some(ports)
}
