use crate::facts::images::{is_log_pipeline, is_loki};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;

declare_rule! {
    /// ## What it checks
    /// Fires when a service's logs reach Loki through a path that depends on the service
    /// itself: (a) a Loki server (image `grafana/loki*`, from any registry or mirror) logs
    /// through the `loki` driver; (b) the host of a service's own `loki-url` is that service
    /// (its name, `container_name`, `hostname` or a network alias); (c) a log-pipeline
    /// service (`grafana/promtail*`, `grafana/alloy*`, `fluent/fluent-bit*`,
    /// `timberio/vector*`) or a service that some `loki-url` names logs through `loki`.
    ///
    /// ## Why it matters in production
    /// When Loki or its pipeline stops, its own log lines cannot be delivered, the driver
    /// blocks, and the service that should recover logging hangs on its own output
    /// (grafana/loki#2063).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   loki:
    ///     image: grafana/loki:3.2.0
    ///     logging:
    ///       driver: loki
    ///       options:
    ///         loki-url: http://localhost:3100/loki/api/v1/push
    ///         mode: non-blocking
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   loki:
    ///     image: grafana/loki:3.2.0
    ///     logging:
    ///       driver: local
    /// ```
    ///
    /// ## Known false positives
    /// None known.
    ///
    /// ## References
    /// - grafana/loki#2063 (using the docker driver to log the Loki container itself)
    pub(crate) struct LokiCircular {
        name: "loki-circular",
        code: "SW404",
        area: Logging,
        severity: High,
        fix: Never,
        summary: "a service logs through the Loki path it is part of",
    }
}

/// The host of a URL: `http://user@loki:3100/path` gives `loki`.
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if let Some(bracketed) = host.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or(bracketed);
    }
    host.split(':').next().unwrap_or(host)
}

/// Every name under which other containers reach this service.
fn answers_to(service: &Service<'_>, host: &str) -> bool {
    if host.eq_ignore_ascii_case(service.name) {
        return true;
    }
    let named = |key: &str| {
        service
            .text(key)
            .is_some_and(|n| n.eq_ignore_ascii_case(host))
    };
    if named("container_name") || named("hostname") {
        return true;
    }
    service
        .get("networks")
        .and_then(Node::as_map)
        .is_some_and(|networks| {
            networks.values().any(|network| {
                network
                    .get("aliases")
                    .and_then(Node::as_seq)
                    .is_some_and(|aliases| {
                        aliases
                            .iter()
                            .any(|a| a.as_str().is_some_and(|a| a.eq_ignore_ascii_case(host)))
                    })
            })
        })
}

fn loki_url(node: &Node) -> Option<&str> {
    node.path("logging.options.loki-url").and_then(Node::as_str)
}

impl Rule for LokiCircular {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(driver) = service.get("logging.driver") else {
            return;
        };
        if !driver.as_str().is_some_and(|d| d.contains("loki")) {
            return;
        }
        let name = service.name;
        let image = service.text("image").unwrap_or_default();
        let named_by = cx
            .project
            .model
            .get("services")
            .and_then(Node::as_map)
            .and_then(|services| {
                services.iter().find_map(|(other, node)| {
                    let host = url_host(loki_url(node)?);
                    answers_to(service, host).then_some(other.as_str())
                })
            });
        let why = if is_loki(&image) {
            "it is the Loki server".to_owned()
        } else if is_log_pipeline(&image) {
            "it is a log pipeline on the way to Loki".to_owned()
        } else if let Some(other) = named_by {
            if other == name {
                "its own `loki-url` points at itself".to_owned()
            } else {
                format!("the `loki-url` of `{other}` points at it")
            }
        } else {
            return;
        };
        // A driver shared through a YAML anchor is fixed where this service uses it.
        let span = service
            .get("logging")
            .and_then(|l| l.via_alias)
            .or(driver.via_alias)
            .unwrap_or(driver.span);
        let finding = cx.report(
            format!("service `{name}` ships its logs through Loki, but {why}"),
            span,
            "circular log path",
        );
        if span != driver.span {
            finding.secondary(driver.span, "the loki driver");
        }
        finding.help(format!(
            "log `{name}` with the `local` or `json-file` driver (with rotation) instead"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::url_host;

    #[test]
    fn loki_url_hosts_are_extracted() {
        assert_eq!(url_host("http://loki:3100/loki/api/v1/push"), "loki");
        assert_eq!(
            url_host("https://user:pw@logs.example.com/x"),
            "logs.example.com"
        );
        assert_eq!(url_host("http://[::1]:3100/push"), "::1");
        assert_eq!(url_host("loki:3100"), "loki");
    }
}
