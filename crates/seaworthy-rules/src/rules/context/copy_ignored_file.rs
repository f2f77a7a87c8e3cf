use crate::facts::built::{built, context_copies};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_build::dockerignore::DockerIgnore;
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires when a `COPY` or `ADD` of the Dockerfile stage compose builds (or a stage it is
    /// built from) names a path of the build context that the ignore file leaves out, and no
    /// `!` pattern can send anything under it back. The finding points at the instruction and
    /// at the pattern that excludes the path. Sources with wildcards are not judged, and a
    /// pattern list that re-includes part of a directory (`*` then `!app/**`) never fires for
    /// that directory: only a source every file of which is left out.
    ///
    /// ## Why it matters in production
    /// The builder never receives the file, so the build fails with "not found" on a release
    /// day, usually after someone tightened the ignore file for a good reason.
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: nginx.conf = events {}
    /// # beside it: .dockerignore = *.conf
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       dockerfile_inline: |
    ///         FROM nginx:1.27-alpine
    ///         COPY nginx.conf /etc/nginx/nginx.conf
    /// ```
    /// Use instead:
    /// ```yaml
    /// # beside it: nginx.conf = events {}
    /// # beside it: .dockerignore = *.log
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       dockerfile_inline: |
    ///         FROM nginx:1.27-alpine
    ///         COPY nginx.conf /etc/nginx/nginx.conf
    /// ```
    ///
    /// ## Known false positives
    /// None known: BuildKit's own `CopyIgnoredFile` check fires on `COPY . /src` with `*` plus
    /// `!` patterns (moby/buildkit#6512); this rule does not, by design.
    ///
    /// ## References
    /// - Docker build checks, `CopyIgnoredFile`
    pub(crate) struct CopyIgnoredFile {
        name: "copy-ignored-file",
        code: "SW1204",
        area: BuildContext,
        severity: Error,
        fix: Never,
        summary: "COPY names a file the ignore file leaves out",
    }
}

impl Rule for CopyIgnoredFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let mut seen = Vec::new();
        for service in cx.services() {
            let Some(built) = built(cx.builds, &service) else {
                continue;
            };
            let Some(ignore_facts) = &built.build.ignore else {
                continue;
            };
            let Ok(ignore) = &ignore_facts.parsed else {
                continue;
            };
            // One Dockerfile built by several services is one set of findings.
            let key = (
                built.build.dockerfile.path.clone(),
                built.build.context.clone(),
            );
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            for copy in context_copies(&built) {
                for source in &copy.sources {
                    if source.is_empty()
                        || source.contains(['*', '?', '['])
                        || !ignore.is_excluded(source)
                        || ignore.may_reinclude_under(source)
                    {
                        continue;
                    }
                    let finding = cx.report(
                        format!(
                            "`{}` copies `{source}`, which `{}` leaves out of the build context",
                            copy.instruction.kind.keyword(),
                            ignore_facts
                                .path
                                .file_name()
                                .unwrap_or_default()
                                .to_string_lossy()
                        ),
                        built.build.dockerfile.span(&copy.instruction.span),
                        "the builder never receives it",
                    );
                    finding.service(service.name).help(format!(
                        "add `!{source}` after the pattern that excludes it, or copy something else"
                    ));
                    if let Some(line) = excluding_line(ignore, source) {
                        finding.secondary(ignore_facts.line_span(line), "excluded by this pattern");
                    }
                }
            }
        }
    }
}

/// The line of the last pattern that excludes `path` or a directory holding it.
fn excluding_line(ignore: &DockerIgnore, path: &str) -> Option<usize> {
    let mut candidates = vec![path.to_owned()];
    let mut rest = path;
    while let Some((parent, _)) = rest.rsplit_once('/') {
        candidates.push(parent.to_owned());
        rest = parent;
    }
    ignore
        .patterns()
        .iter()
        .rev()
        .find(|p| !p.is_exception() && candidates.iter().any(|c| p.matches(c)))
        .map(|p| p.line())
}
