use crate::facts::health::{Healthcheck, ImageSource, effective_healthcheck};
use crate::facts::restart::is_one_shot;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a long-running service has no effective healthcheck: the merged compose
    /// `healthcheck` has no `test`. Compose then keeps whatever `HEALTHCHECK` the image
    /// defines. For a built image that is the `HEALTHCHECK` of the Dockerfile stage compose
    /// builds or of a stage it is built from: with one, the service is healthy-checked and
    /// quiet; without, the finding also points at that stage's `FROM` (this is the catalog's
    /// `dockerfile-healthcheck`). A pulled image's metadata is not read, so the finding says
    /// the image may define one.
    /// One-shot services (restart policy `no`, and either awaited with
    /// `condition: service_completed_successfully` or `deploy.restart_policy.condition: none`)
    /// and services of inactive profiles are exempt. A disabled healthcheck is reported by
    /// `healthcheck-disabled` instead.
    ///
    /// ## Why it matters in production
    /// Without a healthcheck the engine only knows whether the process runs, not whether it
    /// serves: `depends_on: condition: service_healthy` cannot gate on it, rolling updates
    /// cannot wait for readiness, and a hung process looks healthy forever.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     restart: unless-stopped
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     restart: unless-stopped
    ///     healthcheck:
    ///       test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]
    ///       interval: 30s
    ///       timeout: 5s
    ///       retries: 3
    /// ```
    ///
    /// ## Known false positives
    /// Images that define their own `HEALTHCHECK` (many official images do not; some vendor
    /// images do): compose inherits it, but seaworthy cannot read a pulled image's metadata,
    /// nor the base image of a Dockerfile whose stages set none.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.6 and 5.27
    pub(crate) struct HealthcheckMissing {
        name: "healthcheck-missing",
        code: "SW201",
        area: Health,
        severity: Medium,
        fix: Never,
        summary: "long-running service has no healthcheck",
    }
}

impl Rule for HealthcheckMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Healthcheck::Unknown(source) = effective_healthcheck(service, cx.builds) else {
            return;
        };
        if is_one_shot(cx.project, service) {
            return;
        }
        let overlay = cx.overlay_for_fixes();
        let help = match source {
            ImageSource::PulledImage => format!(
                "add a `healthcheck:` with a `test` for `{}` in {overlay}, unless the image \
                 defines a HEALTHCHECK (`docker image inspect` shows it)",
                service.name
            ),
            ImageSource::UnreadDockerfile | ImageSource::DockerfileWithout { .. } => format!(
                "add a `healthcheck:` with a `test` for `{}` in {overlay}, or a HEALTHCHECK \
                 to the stage its Dockerfile builds",
                service.name
            ),
        };
        let finding = cx.report(
            format!("service `{}` has {}", service.name, source.missing_phrase()),
            service.declared_at(),
            "declared here without a healthcheck",
        );
        finding.help(help);
        if let ImageSource::DockerfileWithout { stage } = source {
            finding.secondary(stage, "the stage it builds has no HEALTHCHECK");
        }
    }
}
