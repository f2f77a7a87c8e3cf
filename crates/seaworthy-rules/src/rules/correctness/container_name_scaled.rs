use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::{Node, Value};

declare_rule! {
    /// ## What it checks
    /// Fires when a service sets `container_name` and runs more than one container
    /// (`scale` or `deploy.replicas` above 1). Docker compose rejects this combination,
    /// because container names are unique per engine. Duplicate `container_name` values
    /// across services are rejected by the loader itself and reported as a load error.
    ///
    /// ## Why it matters in production
    /// The deploy fails at `docker compose up` (or `config`) with "can't set container_name
    /// and … as container name must be unique", typically only on the host whose overlay
    /// raises the replica count.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: ghcr.io/acme/worker:1.4.2
    ///     container_name: worker
    ///     deploy:
    ///       replicas: 3
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: ghcr.io/acme/worker:1.4.2
    ///     deploy:
    ///       replicas: 3
    /// ```
    ///
    /// ## Known false positives
    /// None.
    ///
    /// ## References
    /// - compose-go `loader/validate.go` (container_name with scale)
    /// - dclint no-duplicate-container-names
    pub(crate) struct ContainerNameScaled {
        name: "container-name-scaled",
        code: "SW1304",
        area: Correctness,
        severity: Error,
        fix: Sometimes,
        summary: "`container_name` on a service with several replicas",
    }
}

fn count(node: &Node) -> Option<i64> {
    match &node.value {
        Value::Int(i) => Some(*i),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Rule for ContainerNameScaled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(name) = service.get("container_name") else {
            return;
        };
        // `scale` wins over `deploy.replicas`, as in compose-go's `GetScale`.
        let Some((field, replicas_node, replicas)) =
            [("scale", "scale"), ("deploy.replicas", "deploy.replicas")]
                .into_iter()
                .find_map(|(field, path)| {
                    let node = service.get(path)?;
                    Some((field, node, count(node)?))
                })
        else {
            return;
        };
        if replicas <= 1 {
            return;
        }
        cx.report(
            format!(
                "service `{}` sets `container_name` and runs {replicas} replicas",
                service.name
            ),
            replicas_node.span,
            &format!("`{field}: {replicas}`"),
        )
        .secondary(name.span, "a single fixed container name")
        .help("remove `container_name` (compose names replicas `<project>-<service>-<n>`), or run one replica");
    }
}
