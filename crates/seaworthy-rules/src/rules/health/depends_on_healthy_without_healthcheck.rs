use crate::facts::health::{DisabledForm, Healthcheck, effective_healthcheck};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires when a `depends_on` entry waits for `condition: service_healthy` but the
    /// dependency has no healthcheck, or disables it. Docker compose then fails at `up`
    /// ("container … has no healthcheck configured"). When compose declares no test, the
    /// image's `HEALTHCHECK` would apply; seaworthy does not read it yet, so that case is
    /// reported at **medium** and says so. A `test: NONE` string is a shell command that
    /// never succeeds, so the dependency never becomes healthy either.
    ///
    /// ## Why it matters in production
    /// The deployment does not come up: `docker compose up` stops with an error before the
    /// dependent service starts.
    ///
    /// ## Example
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
    ///       disable: true
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
    /// A dependency whose image defines a `HEALTHCHECK` and whose compose file declares
    /// none: reported at medium, since the image is not inspected.
    ///
    /// ## References
    /// - Compose specification, `depends_on` (`condition: service_healthy`)
    pub(crate) struct DependsOnHealthyWithoutHealthcheck {
        name: "depends-on-healthy-without-healthcheck",
        code: "SW204",
        area: Health,
        severity: Error,
        fix: Never,
        summary: "a service waits for a dependency that can never become healthy",
    }
}

impl Rule for DependsOnHealthyWithoutHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(dependencies) = service.get("depends_on").and_then(Node::as_map) else {
            return;
        };
        for (dependency, entry) in dependencies {
            let Some(condition) = entry.get("condition") else {
                continue;
            };
            if condition.as_str() != Some("service_healthy") {
                continue;
            }
            // A dependency left out by profiles is the business of `depends-on-inactive-profile`.
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
            let name = service.name;
            match effective_healthcheck(&target, cx.builds) {
                Healthcheck::Declared(_) | Healthcheck::InDockerfile(_) => {}
                Healthcheck::Disabled { span, form, .. } => {
                    let why = match form {
                        DisabledForm::ShellNone => format!(
                            "`{dependency}`'s healthcheck `test: NONE` runs a shell command \
                             that never succeeds"
                        ),
                        _ => format!("`{dependency}` disables its healthcheck"),
                    };
                    cx.report(
                        format!(
                            "service `{name}` waits for `{dependency}` to be healthy, but {why}"
                        ),
                        condition.span,
                        "`up` fails here",
                    )
                    .secondary(span, form.describe())
                    .help(format!(
                        "give `{dependency}` a working `healthcheck.test`, or wait with \
                         `condition: service_started`"
                    ));
                }
                Healthcheck::Unknown(source) => {
                    let overlay = cx.overlay_for_fixes();
                    cx.report_at(
                        Severity::Medium,
                        format!(
                            "service `{name}` waits for `{dependency}` to be healthy, but \
                             `{dependency}` has {}",
                            source.missing_phrase()
                        ),
                        condition.span,
                        "`up` fails here unless the image defines a healthcheck",
                    )
                    .secondary(target.declared_at(), "declared here without a healthcheck")
                    .help(format!(
                        "add a `healthcheck:` with a `test` to `{dependency}` in {overlay}"
                    ));
                }
            }
        }
    }
}
