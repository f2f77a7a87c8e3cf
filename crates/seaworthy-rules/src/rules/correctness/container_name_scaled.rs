use crate::facts::problems::report_recorded;
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires on a `container_name` in a service that runs more than one replica (`scale` or
    /// `deploy.replicas` above 1), and on two services that take the same `container_name`.
    /// docker compose refuses both; seaworthy reports them here and checks the rest.
    ///
    /// ## Why it matters in production
    /// Container names are unique per Docker host, so the second container cannot be
    /// created and the deploy stops. A fixed name also blocks the next deploy while the old
    /// container still exists, and it is rarely needed: services reach each other by
    /// service name.
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
    /// None: docker compose refuses every such project.
    ///
    /// ## References
    /// - Compose specification, services `container_name`
    /// - compose-go `checkConsistency`; dclint no-duplicate-container-names
    pub(crate) struct ContainerNameScaled {
        name: "container-name-scaled",
        code: "SW1304",
        area: Correctness,
        severity: Error,
        fix: Never,
        summary: "a container name that two containers would need",
    }
}

impl Rule for ContainerNameScaled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        report_recorded(cx, project, "cannot be unique");
    }
}
