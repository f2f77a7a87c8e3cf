use crate::facts::health::{Healthcheck, effective_healthcheck};
use crate::facts::images::is_datastore;
use crate::facts::restart::is_one_shot;
use crate::patch::{Patch, PatchValue};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;

declare_rule! {
    /// ## What it checks
    /// Fires when a service depends on another with the short form or
    /// `condition: service_started`, while the dependency has a healthcheck declared in
    /// compose or is a datastore image (postgres, mysql, redis, ...). Dependencies that are
    /// one-shot jobs are exempt, and so are dependencies whose healthcheck is disabled
    /// (`service_healthy` would fail on them).
    ///
    /// ## Why it matters in production
    /// `service_started` only waits for the container to exist. The dependent service then
    /// races the database's start-up and fails its first connections, or crashes, on every
    /// deploy and reboot.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     depends_on:
    ///       - db
    ///   db:
    ///     image: postgres:16.4
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    ///   db:
    ///     image: postgres:16.4
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U postgres"]
    /// ```
    ///
    /// ## Known false positives
    /// Applications that retry their connections until the dependency answers; this rule is
    /// advisory.
    ///
    /// ## What harden writes
    /// `depends_on.<dependency>.condition: service_healthy`, when the dependency has a health
    /// check or the same overlay gives it one (never otherwise: the service would wait
    /// forever). Safe: the service starts once its dependency answers, instead of failing its
    /// first connections and counting on restarts.
    ///
    /// ## References
    /// - Compose specification, `depends_on`
    pub(crate) struct DependsOnNoHealthCondition {
        name: "depends-on-no-health-condition",
        code: "SW205",
        area: Health,
        severity: Low,
        fix: Sometimes,
        summary: "a dependency is only waited for until it starts",
    }
}

impl Rule for DependsOnNoHealthCondition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(dependencies) = service.get("depends_on").and_then(Node::as_map) else {
            return;
        };
        for (dependency, entry) in dependencies {
            let condition = entry.get("condition");
            if condition.and_then(Node::as_str) != Some("service_started") {
                continue;
            }
            let Some(node) = cx
                .project
                .model
                .path("services")
                .and_then(|s| s.get(dependency))
            else {
                continue;
            };
            let target = Service {
                name: dependency,
                node,
            };
            if is_one_shot(cx.project, &target) {
                continue;
            }
            let (reason, has_healthcheck) = match effective_healthcheck(&target, cx.builds) {
                Healthcheck::Disabled { .. } => continue,
                Healthcheck::Declared(_) | Healthcheck::InDockerfile(_) => {
                    ("has a healthcheck", true)
                }
                Healthcheck::Unknown(_) => {
                    let image = target.text("image").unwrap_or_default();
                    if !is_datastore(&image) {
                        continue;
                    }
                    ("is a datastore", false)
                }
            };
            let mut fix = Patch::at(
                service.name,
                &["depends_on", dependency, "condition"],
                PatchValue::Str("service_healthy".to_owned()),
                format!("start only once `{dependency}` reports healthy"),
            );
            if !has_healthcheck {
                fix = fix.needs_healthcheck_of(dependency);
            }
            // The short form has no condition text: point at the dependency's entry.
            let span = condition
                .map(|c| c.span)
                .filter(|s| !s.is_synthetic())
                .unwrap_or(if entry.key_span.is_synthetic() {
                    entry.span
                } else {
                    entry.key_span
                });
            cx.report(
                format!(
                    "service `{}` only waits for `{dependency}` to start, though `{dependency}` {reason}",
                    service.name
                ),
                span,
                "starts before the dependency is ready",
            )
            .help(format!(
                "use `condition: service_healthy` for `{dependency}` (with a healthcheck on it)"
            ))
            .fix(fix);
        }
    }
}
