use crate::facts::built::built;
use crate::facts::dockerfile::{AddSource, add_source, already_reported, chain_instructions};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_build::dockerfile::{CopySource, InstructionKind};

declare_rule! {
    /// ## What it checks
    /// Fires on an `ADD`, in the stage compose builds or a stage it is built from, whose
    /// sources are all local files or directories that are not archives: `COPY` does the same.
    ///
    /// Exempt: sources that are archives (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`,
    /// `.zip`…), which `ADD` unpacks; URLs and git sources (`dockerfile-add-url` judges their
    /// pinning); here-documents; sources that depend on a variable with no value; stages
    /// compose does not build.
    ///
    /// ## Why it matters in production
    /// `ADD` also unpacks archives and fetches URLs. Used for plain files it hides that
    /// behaviour behind a familiar name: a renamed file that becomes a tarball is silently
    /// unpacked into the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ADD requirements.txt /app/
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt /app/
    /// ADD vendor/wheels.tar.gz /app/wheels/
    /// ```
    ///
    /// ## Known false positives
    /// An archive whose name has no archive extension: rename it, or suppress the finding.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.9
    /// - OWASP Docker Security Cheat Sheet, rule 9
    pub(crate) struct DockerfileAdd {
        name: "dockerfile-add",
        code: "SW1109",
        area: Dockerfile,
        severity: Low,
        fix: Never,
        summary: "ADD used where COPY does the same",
    }
}

impl Rule for DockerfileAdd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(built) = built(cx.builds, service) else {
            return;
        };
        for (_, instruction) in chain_instructions(&built) {
            let InstructionKind::Add(add) = &instruction.kind else {
                continue;
            };
            let sources: Option<Vec<&str>> = add
                .sources
                .iter()
                .map(|source| match source {
                    CopySource::Path(word) => word.exact(),
                    CopySource::HereDoc(_) => None,
                })
                .collect();
            let Some(sources) = sources.filter(|s| !s.is_empty()) else {
                continue;
            };
            if !sources.iter().all(|s| add_source(s) == AddSource::Local) {
                continue;
            }
            let span = built.build.dockerfile.span(&instruction.keyword_span);
            if already_reported(cx, span) {
                continue;
            }
            cx.report(
                format!("`ADD {}` copies local files, which `COPY` does without unpacking or fetching anything", sources.join(" ")),
                span,
                "use COPY",
            )
            .service(service.name)
            .help("replace `ADD` with `COPY`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DockerfileAdd;
    use crate::facts::dockerfile::finding_lines;

    fn lines(dockerfile: &str) -> Vec<usize> {
        finding_lines(&DockerfileAdd, dockerfile)
    }

    #[test]
    fn archives_urls_and_variables_are_exempt() {
        let dockerfile = "FROM alpine:3.20\nADD rootfs.tar.xz /\nADD https://example.com/x /x\nARG JAR\nADD ${JAR} /app.jar\nADD --chown=app a.txt b.json /app/\n";
        assert_eq!(lines(dockerfile), [6]);
    }
}
