//! A service's Dockerfile as the rules read it: the file and the stage compose builds.

use crate::Service;
use crate::builds::{Builds, ServiceBuild};
use seaworthy_build::dockerfile::{CopySource, Dockerfile, Instruction, InstructionKind};

/// The parsed Dockerfile of a service that builds, with the stage compose builds.
#[derive(Clone, Copy)]
pub(crate) struct Built<'a> {
    pub build: &'a ServiceBuild,
    pub dockerfile: &'a Dockerfile,
    /// Index of the stage compose builds.
    pub target: usize,
}

/// `None` when the service does not build locally, its Dockerfile does not parse, or its
/// `build.target` names no stage (other rules report those).
pub(crate) fn built<'a>(builds: &'a Builds, service: &Service<'_>) -> Option<Built<'a>> {
    let build = builds.get(service.name)?;
    let dockerfile = build.dockerfile.parsed.as_ref().ok()?;
    Some(Built {
        build,
        dockerfile,
        target: build.dockerfile.target?,
    })
}

/// Each build context once, with the first service (in model order) that builds from it and
/// its build: a context problem is one finding, however many services share the context.
pub(crate) fn contexts<'a>(
    builds: &'a Builds,
    services: &[Service<'a>],
) -> Vec<(Service<'a>, &'a ServiceBuild)> {
    let mut seen: Vec<&std::path::Path> = Vec::new();
    let mut out = Vec::new();
    for service in services {
        let Some(build) = builds.get(service.name) else {
            continue;
        };
        if seen.contains(&build.context.as_path()) {
            continue;
        }
        seen.push(&build.context);
        out.push((*service, build));
    }
    out
}

/// Where a context finding points in compose: the service's `build.context` value (the
/// string of `build: ./dir` in the short form).
pub(crate) fn context_span(service: &Service<'_>) -> seaworthy_source::Span {
    service
        .get("build.context")
        .or_else(|| service.get("build"))
        .map_or_else(|| service.declared_at(), |node| node.span)
}

/// The `COPY` and `ADD` instructions of the stage compose builds and the stages it is built
/// from that read the build context (no `--from`), with their context-relative sources.
pub(crate) fn context_copies<'a>(built: &Built<'a>) -> Vec<ContextCopy<'a>> {
    let mut out = Vec::new();
    for stage in built.dockerfile.chain(built.target) {
        let Some(stage) = built.dockerfile.stages.get(stage) else {
            continue;
        };
        for instruction in &stage.instructions {
            let (InstructionKind::Copy(copy) | InstructionKind::Add(copy)) = &instruction.kind
            else {
                continue;
            };
            if copy.from().is_some() {
                continue;
            }
            let sources = copy
                .sources
                .iter()
                .filter_map(|source| match source {
                    CopySource::Path(word) => {
                        let text = word.exact().unwrap_or(&word.raw);
                        // URLs and git sources of ADD are not in the context.
                        (!text.contains("://") && !text.starts_with("git@"))
                            .then(|| context_relative(text))
                    }
                    CopySource::HereDoc(_) => None,
                })
                .collect();
            out.push(ContextCopy {
                instruction,
                sources,
            });
        }
    }
    out
}

/// A `COPY`/`ADD` from the build context.
pub(crate) struct ContextCopy<'a> {
    pub instruction: &'a Instruction,
    /// Cleaned, slash-separated, relative to the context; `""` for the whole context.
    pub sources: Vec<String>,
}

impl ContextCopy<'_> {
    /// Whether the instruction copies `path` (a context-relative file): the whole context,
    /// the file, or a directory holding it. Wildcards are not expanded.
    pub(crate) fn copies(&self, path: &str) -> bool {
        self.sources.iter().any(|source| {
            source.is_empty()
                || source == path
                || path
                    .strip_prefix(source.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// A `COPY` source as a context-relative path: `./a/../b/` is `b`, `.` and `/` are `""`.
fn context_relative(source: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_sources_are_cleaned_relative_to_the_context() {
        assert_eq!(context_relative("."), "");
        assert_eq!(context_relative("./"), "");
        assert_eq!(context_relative("/"), "");
        assert_eq!(context_relative("./src/../app/"), "app");
        assert_eq!(context_relative("config/app.yaml"), "config/app.yaml");
    }
}
