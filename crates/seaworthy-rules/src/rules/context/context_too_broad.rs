use crate::facts::built::{context_span, contexts};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires when a build context is the project directory or one of its parents (`..`) and
    /// sends dependency or build trees (`node_modules`, `target`, `.venv`, `venv`, `vendor`,
    /// `dist`, `__pycache__`) that the ignore file does not leave out. Each context is
    /// reported once, listing the trees with their number of files.
    ///
    /// ## Why it matters in production
    /// Performance only: every build uploads those trees to the builder (a remote builder
    /// over the network), and `COPY . .` layers change whenever they do. A context per
    /// service, or an ignore file, keeps builds fast.
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: Dockerfile = FROM node:22-alpine
    /// # beside it: web/node_modules/react/index.js = module.exports = {}
    /// services:
    ///   api:
    ///     build: .
    /// ```
    /// Use instead:
    /// ```yaml
    /// # beside it: Dockerfile = FROM node:22-alpine
    /// # beside it: web/node_modules/react/index.js = module.exports = {}
    /// # beside it: .dockerignore = **/node_modules
    /// services:
    ///   api:
    ///     build: .
    /// ```
    ///
    /// ## Known false positives
    /// A build that needs the vendored tree (`vendor/` of a Go module built offline).
    ///
    /// ## References
    /// - Docker docs, "Build best practices" (build context, .dockerignore)
    pub(crate) struct ContextTooBroad {
        name: "context-too-broad",
        code: "SW1205",
        area: BuildContext,
        severity: Info,
        fix: Never,
        summary: "a project-wide build context sends dependency trees",
    }
}

impl Rule for ContextTooBroad {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        let services = cx.services();
        for (service, build) in contexts(cx.builds, &services) {
            let heavy = &build.scan.heavy_dirs;
            if heavy.is_empty() || !project.working_dir.starts_with(&build.context) {
                continue;
            }
            let listed: Vec<String> = heavy
                .iter()
                .map(|t| format!("`{}` ({} files)", t.path, t.files))
                .collect();
            cx.report(
                format!(
                    "the build context of `{}` is the whole project and sends {}",
                    service.name,
                    listed.join(", ")
                ),
                context_span(&service),
                "the project directory",
            )
            .service(service.name)
            .help("give the service its own context directory, or leave those trees out with the ignore file");
        }
    }
}
