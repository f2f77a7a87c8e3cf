use crate::facts::problems::report_recorded;
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires when an active service `depends_on` a service that the target's profiles leave
    /// out, and the dependency is required (the default). docker compose refuses the
    /// project; seaworthy reports it here and checks the rest.
    ///
    /// ## Why it matters in production
    /// The deploy stops with "depends on undefined service" although the service is right
    /// there in the file: it is only disabled by a profile that the production command does
    /// not activate. Either the dependency belongs in production too, or the dependent
    /// service can start without it and should say so.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     depends_on: [mailpit]
    ///   mailpit:
    ///     image: axllent/mailpit:v1.21
    ///     profiles: [dev]
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     depends_on:
    ///       mailpit:
    ///         condition: service_started
    ///         required: false
    ///   mailpit:
    ///     image: axllent/mailpit:v1.21
    ///     profiles: [dev]
    /// ```
    ///
    /// ## Known false positives
    /// None: docker compose refuses every such project.
    ///
    /// ## References
    /// - Compose specification, services `depends_on` (`required`) and `profiles`
    /// - compose-go `checkConsistency`
    pub(crate) struct DependsOnInactiveProfile {
        name: "depends-on-inactive-profile",
        code: "SW1303",
        area: Correctness,
        severity: Error,
        fix: Never,
        summary: "a required dependency is left out by its profiles",
    }
}

impl Rule for DependsOnInactiveProfile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        report_recorded(cx, project, "left out by the active profiles");
    }
}
