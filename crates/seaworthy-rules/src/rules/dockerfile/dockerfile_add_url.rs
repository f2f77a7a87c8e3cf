use crate::facts::built::built;
use crate::facts::dockerfile::{AddSource, add_source, already_reported, chain_instructions};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_build::dockerfile::{CopySource, InstructionKind};

declare_rule! {
    /// ## What it checks
    /// Fires on an `ADD`, in the stage compose builds or a stage it is built from, that
    /// downloads an `http://` or `https://` source without `--checksum=sha256:…`, or adds a
    /// git repository whose ref is not a full commit id (and has no `--checksum`).
    ///
    /// Exempt: `ADD --checksum=…`, git sources pinned to a commit (`repo.git#<40 hex>`),
    /// sources that depend on a variable with no value, stages compose does not build.
    ///
    /// ## Why it matters in production
    /// A remote file without an integrity check is whatever the server returns on the day of
    /// the build: a compromised release page or a moved tag ships straight into the image,
    /// and two builds of the same commit differ.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
    /// ```
    ///
    /// ## Known false positives
    /// None known; a checksum may need updating when the upstream file is legitimately
    /// re-published.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 13
    pub(crate) struct DockerfileAddUrl {
        name: "dockerfile-add-url",
        code: "SW1110",
        area: Dockerfile,
        severity: Medium,
        fix: Never,
        summary: "ADD fetches a remote source without an integrity check",
    }
}

impl Rule for DockerfileAddUrl {
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
            if add.checksum().is_some() {
                continue;
            }
            for source in &add.sources {
                let CopySource::Path(word) = source else {
                    continue;
                };
                let Some(text) = word.exact() else {
                    continue;
                };
                let message = match add_source(text) {
                    AddSource::Url => format!("`ADD {text}` downloads a file without `--checksum`"),
                    AddSource::Git {
                        commit_pinned: false,
                    } => format!(
                        "`ADD {text}` adds a git repository at a ref that can move, without `--checksum`"
                    ),
                    _ => continue,
                };
                let span = built.build.dockerfile.span(&word.span);
                if already_reported(cx, span) {
                    continue;
                }
                cx.report(message, span, "not verified")
                    .service(service.name)
                    .help("add `--checksum=sha256:<digest>` (git: pin the commit, `repo.git#<commit>`)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DockerfileAddUrl;
    use crate::facts::dockerfile::finding_lines;

    fn lines(dockerfile: &str) -> Vec<usize> {
        finding_lines(&DockerfileAddUrl, dockerfile)
    }

    #[test]
    fn checksums_and_commit_pins_are_quiet() {
        let dockerfile = "FROM alpine:3.20\nADD --checksum=sha256:abc https://example.com/a /a\nADD https://github.com/acme/tool.git#0123456789abcdef0123456789abcdef01234567 /src\nADD https://github.com/acme/tool.git#v1 /src2\nADD http://example.com/b /b\nADD local.txt /c\n";
        assert_eq!(lines(dockerfile), [4, 5]);
    }
}
