use crate::context::services_of;
use crate::facts::health::{Healthcheck, ImageSource, effective_healthcheck};
use crate::facts::restart::is_one_shot;
use crate::facts::sizing::role_of;
use crate::patch::{Patch, PatchValue};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Project;

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
    /// ## What harden writes
    /// For an image seaworthy knows (postgres, mysql, redis, nginx, grafana... see
    /// `crates/seaworthy-rules/data/images.toml`), a `healthcheck` whose `test` uses only a
    /// tool that image ships (`pg_isready`, `redis-cli`, `wget` in Alpine images), with
    /// interval, timeout, retries and start period; and for every service that waits for it
    /// with `service_started`, `condition: service_healthy`. Safe: the check is one the image
    /// can run. For other images nothing: a check calling a missing tool would mark a working
    /// service unhealthy.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.6 and 5.27
    pub(crate) struct HealthcheckMissing {
        name: "healthcheck-missing",
        code: "SW201",
        area: Health,
        severity: Medium,
        fix: Sometimes,
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
        let fixes = if cx.fixes {
            fixes(cx.project, service)
        } else {
            Vec::new()
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
        finding.fix_all(fixes);
    }
}

/// The health check seaworthy knows for the service's image, with the keys the service does
/// not set yet. Nothing for images it does not know: a check that calls a tool the image
/// lacks would mark a working service unhealthy.
fn fixes(project: &Project, service: &Service<'_>) -> Vec<Patch> {
    let (_, Some(image)) = role_of(service) else {
        return Vec::new();
    };
    let Some(check) = &image.healthcheck else {
        return Vec::new();
    };
    let why = format!("{}: {}", check_reason(check), image.note);
    let mut fixes = vec![Patch::new(
        service.name,
        "healthcheck.test",
        PatchValue::List(check.test.clone()),
        why.clone(),
    )];
    for (key, value) in [
        ("interval", PatchValue::Str(check.interval.clone())),
        ("timeout", PatchValue::Str(check.timeout.clone())),
        ("retries", PatchValue::Int(i64::from(check.retries))),
        ("start_period", PatchValue::Str(check.start_period.clone())),
    ] {
        if service.get(&format!("healthcheck.{key}")).is_none() {
            fixes.push(Patch::new(
                service.name,
                &format!("healthcheck.{key}"),
                value,
                why.clone(),
            ));
        }
    }
    // What only waited for the service to start can now wait for it to be ready.
    for dependent in services_of(project) {
        let waits_for_start = dependent
            .get("depends_on")
            .and_then(|d| d.get(service.name))
            .and_then(|entry| entry.get("condition"))
            .and_then(seaworthy_compose::Node::as_str)
            == Some("service_started");
        if waits_for_start && !is_one_shot(project, &dependent) {
            fixes.push(Patch::at(
                dependent.name,
                &["depends_on", service.name, "condition"],
                PatchValue::Str("service_healthy".to_owned()),
                format!("start only once `{}` reports healthy", service.name),
            ));
        }
    }
    fixes
}

fn check_reason(check: &crate::images::Healthcheck) -> &'static str {
    if check.test.first().is_some_and(|t| t == "CMD-SHELL") {
        "a check the image's own tools can run"
    } else {
        "a check with a tool the image ships"
    }
}
