use crate::facts::built::{context_span, contexts};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::Project;
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires when a service's build context cannot be sent as it is:
    /// - its ignore file is one Docker rejects (an `!` alone, a pattern `filepath.Match`
    ///   refuses): every build fails, and the finding points at the line;
    /// - it holds entries that cannot be read (permission denied): the builder fails on them
    ///   unless the ignore file leaves them out;
    /// - (info) it is so large that the scan stopped after 200,000 entries, so the other
    ///   context rules saw only part of it.
    ///
    /// Each context is reported once.
    ///
    /// ## Why it matters in production
    /// A build that fails on the release day is an outage of the deploy: these are found
    /// before it.
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: Dockerfile = FROM alpine:3.20
    /// # beside it: .dockerignore = !
    /// services:
    ///   api:
    ///     build: .
    /// ```
    /// Use instead:
    /// ```yaml
    /// # beside it: Dockerfile = FROM alpine:3.20
    /// # beside it: .dockerignore = .git
    /// services:
    ///   api:
    ///     build: .
    /// ```
    ///
    /// ## Known false positives
    /// Entries seaworthy cannot read but the builder can (seaworthy runs as another user
    /// than the build).
    ///
    /// ## References
    /// - Docker docs, "Build context" (`.dockerignore` syntax)
    pub(crate) struct ContextUnreadable {
        name: "context-unreadable",
        code: "SW1206",
        area: BuildContext,
        severity: Error,
        fix: Never,
        summary: "a build context that cannot be sent as it is",
    }
}

impl Rule for ContextUnreadable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let services = cx.services();
        for (service, build) in contexts(cx.builds, &services) {
            let at = context_span(&service);
            if let Some(ignore) = &build.ignore
                && let Err(error) = &ignore.parsed
            {
                let name = ignore
                    .path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy();
                let span = if error.line > 0 {
                    ignore.line_span(error.line)
                } else {
                    at
                };
                cx.report(
                    format!(
                        "docker rejects `{name}`, the ignore file of `{}`'s build: {}",
                        service.name, error.message
                    ),
                    span,
                    "every build fails here",
                )
                .service(service.name)
                .help("fix the pattern: `!` needs a path after it, and `[` classes must close");
            }
            for (path, why) in &build.scan.unreadable {
                cx.report(
                    format!(
                        "the build context of `{}` holds `{path}`, which cannot be read ({why})",
                        service.name
                    ),
                    at,
                    "this context",
                )
                .service(service.name)
                .help(format!(
                    "leave `{path}` out with the ignore file, or give the build user access to it"
                ));
            }
            if build.scan.truncated {
                cx.report_at(
                    Severity::Info,
                    format!(
                        "the build context of `{}` is larger than seaworthy scans (200,000 entries): the rest was not checked",
                        service.name
                    ),
                    at,
                    "this context",
                )
                .service(service.name)
                .help("give the service a smaller context, or leave the bulk out with the ignore file");
            }
        }
    }
}
