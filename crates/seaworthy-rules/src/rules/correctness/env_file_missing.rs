use crate::facts::problems::report_recorded;
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires when a service's `env_file:` names a file that does not exist and the entry is
    /// not marked `required: false`. docker compose refuses the whole project; seaworthy
    /// reports it here and checks the rest as if the file were empty.
    ///
    /// ## Why it matters in production
    /// `docker compose up` stops before starting anything. The usual cause is a file kept
    /// only on the server (`app.production.env`) that a new host or a CI job does not have,
    /// or a path written relative to the wrong directory: `env_file` paths are relative to
    /// the compose file that names them.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     env_file: ./api.production.env
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     env_file:
    ///       - path: ./api.production.env
    ///         required: false
    /// ```
    ///
    /// ## Known false positives
    /// A check run where the deployment's env files are deliberately absent (a CI checkout
    /// of a repository that keeps them on the server). Give that job the file it would
    /// have, an empty stand-in, or mark the entry `required: false` if the service really
    /// starts without it.
    ///
    /// ## References
    /// - Compose specification, services `env_file` (`required`)
    pub(crate) struct EnvFileMissing {
        name: "env-file-missing",
        code: "SW1302",
        area: Correctness,
        severity: Error,
        fix: Never,
        summary: "an env_file that does not exist stops the deploy",
    }
}

impl Rule for EnvFileMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        report_recorded(cx, project, "no such file");
    }
}
