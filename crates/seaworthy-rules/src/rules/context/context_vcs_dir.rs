use crate::facts::built::{context_span, contexts};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires when a build context sends a version-control directory (`.git`, `.hg`, `.svn`)
    /// to the builder: the ignore file does not leave it out. Each context is reported once.
    ///
    /// ## Why it matters in production
    /// The repository's history travels with every build, including secrets that were
    /// committed and "removed" since; `COPY . .` puts it in the image. It also changes on
    /// every commit, so the layer cache of `COPY . .` never hits.
    ///
    /// ## Example
    /// ```yaml
    /// # a git work tree: .git/ sits beside this file
    /// # beside it: Dockerfile = FROM python:3.12-slim
    /// # beside it: .dockerignore = *.pyc
    /// services:
    ///   api:
    ///     build: .
    /// ```
    /// Use instead:
    /// ```yaml
    /// # a git work tree: .git/ sits beside this file
    /// # beside it: Dockerfile = FROM python:3.12-slim
    /// # beside it: .dockerignore = .git
    /// services:
    ///   api:
    ///     build: .
    /// ```
    ///
    /// ## Known false positives
    /// Builds that read the repository on purpose (a version stamp from `git describe`):
    /// pass the version as a build argument instead, or ignore the rule with a reason.
    ///
    /// ## References
    /// - Docker docs, "Build best practices" (exclude with .dockerignore)
    pub(crate) struct ContextVcsDir {
        name: "context-vcs-dir",
        code: "SW1203",
        area: BuildContext,
        severity: Low,
        fix: Never,
        summary: "the repository's history is sent to the builder",
    }
}

impl Rule for ContextVcsDir {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let services = cx.services();
        for (service, build) in contexts(cx.builds, &services) {
            for dir in &build.scan.vcs_dirs {
                cx.report(
                    format!(
                        "the build context of `{}` sends `{}` ({} files) to the builder",
                        service.name, dir.path, dir.files
                    ),
                    context_span(&service),
                    "this context",
                )
                .service(service.name)
                .help(format!("add `{}` to the context's ignore file", dir.path));
            }
        }
    }
}
