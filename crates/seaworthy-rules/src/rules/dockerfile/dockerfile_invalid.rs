use crate::builds::{DockerfileProblem, ServiceBuild};
use crate::facts::block_anchor;
use crate::facts::dockerfile::{already_reported, copy_sources, reachable_stages, stage_label};
use crate::facts::files::shown;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_build::dockerfile::{CopyFrom, Dockerfile, InstructionKind};
use seaworthy_source::{Severity, Span};

declare_rule! {
    /// ## What it checks
    /// Mistakes in a service's Dockerfile that break the build (`error`) or that Docker
    /// silently ignores (`low`):
    /// - the Dockerfile is missing, unreadable, or does not parse, which includes an
    ///   instruction other than `ARG` before the first `FROM` (`error`, at compose's
    ///   `build.dockerfile` or `build`);
    /// - `build.target` names no stage (`error`, at compose's `build.target`);
    /// - `COPY --from` names the stage itself, a stage index that does not exist, or a later
    ///   stage that copies back from it: a cycle (`error`);
    /// - two stages share a name (`error`: one of them is silently unreachable by name);
    /// - `EXPOSE` of a port above 65535 or of a range that runs backwards, in a stage the
    ///   build runs (`error`);
    /// - several `CMD`, `ENTRYPOINT` or `HEALTHCHECK` in one stage of the chain compose
    ///   builds: only the last applies (`low`, at each earlier one).
    ///
    /// `COPY --from=<name>` where the name is no stage is an image (or a named build context)
    /// and is valid; so is a `--from` that depends on a variable, and a `COPY --from` of a
    /// later stage that does not copy back.
    ///
    /// ## Why it matters in production
    /// A build that fails on the deploy host turns a routine release into an outage, and an
    /// instruction Docker ignores means the image does something other than what its
    /// Dockerfile says.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// RUN go build -o /out/app .
    /// COPY --from=build /out/app /app
    /// CMD ["/app"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static-debian12:nonroot
    /// COPY --from=build /out/app /app
    /// CMD ["/app"]
    /// ```
    ///
    /// ## Known false positives
    /// A Dockerfile written for another frontend (a `# syntax=` directive naming something
    /// other than `docker/dockerfile`) may use syntax the standard parser refuses: suppress
    /// the finding for that service with a reason.
    ///
    /// ## References
    /// - hadolint DL3011, DL3012, DL3022, DL3023, DL3024, DL3061, DL4003, DL4004 (no CIS or
    ///   OWASP item)
    pub(crate) struct DockerfileInvalid {
        name: "dockerfile-invalid",
        code: "SW1107",
        area: Dockerfile,
        severity: Error,
        fix: Never,
        summary: "Dockerfile breaks the build or has instructions Docker ignores",
    }
}

impl Rule for DockerfileInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(build) = cx.builds.get(service.name) else {
            return;
        };
        let dockerfile = match &build.dockerfile.parsed {
            Ok(dockerfile) => dockerfile,
            Err(problem) => return unusable(cx, service, build, problem),
        };
        let Some(target) = build.dockerfile.target else {
            if let Some(node) = service.get("build.target") {
                let stages: Vec<String> = dockerfile
                    .stages
                    .iter()
                    .filter_map(|s| s.name.as_ref().map(|(n, _)| format!("`{n}`")))
                    .collect();
                cx.report(
                    format!(
                        "`build.target` of service `{}` names stage `{}`, which its Dockerfile does not define",
                        service.name,
                        node.scalar_text().unwrap_or_default()
                    ),
                    node.span,
                    "no such stage",
                )
                .help(format!("name one of the stages: {}", stages.join(", ")));
            }
            return;
        };
        let mut found: Vec<(Severity, Span, String, Option<Span>)> = Vec::new();
        stage_structure(build, dockerfile, &mut found);
        exposed_ports(build, dockerfile, target, &mut found);
        ignored_instructions(build, dockerfile, target, &mut found);
        for (severity, span, message, earlier) in found {
            if already_reported(cx, span) {
                continue;
            }
            let finding = cx
                .report_at(severity, message, span, "here")
                .service(service.name);
            if let Some(other) = earlier {
                finding.secondary(other, "the other one");
            }
        }
    }
}

/// The Dockerfile compose would build cannot be used at all.
fn unusable(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    build: &ServiceBuild,
    problem: &DockerfileProblem,
) {
    let written = service
        .get("build.dockerfile")
        .or_else(|| service.get("build.dockerfile_inline"))
        .filter(|n| !n.span.is_synthetic());
    let Some(anchor) = written
        .map(|n| n.span)
        .or_else(|| service.get("build").map(block_anchor))
    else {
        return;
    };
    let path = shown(cx.project, &build.dockerfile.path);
    let (message, label) = match problem {
        DockerfileProblem::Missing => (
            format!(
                "the Dockerfile `{path}` of service `{}` does not exist",
                service.name
            ),
            "no such file",
        ),
        DockerfileProblem::Unreadable(why) => (
            format!(
                "the Dockerfile `{path}` of service `{}` cannot be read: {why}",
                service.name
            ),
            "unreadable",
        ),
        DockerfileProblem::Invalid(error) => (
            format!(
                "the Dockerfile `{path}` of service `{}` does not parse: {error}",
                service.name
            ),
            "does not parse",
        ),
    };
    let finding = cx.report(message, anchor, label);
    if let DockerfileProblem::Invalid(error) = problem {
        let at = build.dockerfile.span(&(error.offset..error.offset));
        finding.secondary(at, "the problem");
    }
}

type Found = Vec<(Severity, Span, String, Option<Span>)>;

/// Duplicate stage names and `COPY --from` that BuildKit refuses, in every stage: BuildKit
/// checks them before it decides which stages to build.
fn stage_structure(build: &ServiceBuild, dockerfile: &Dockerfile, found: &mut Found) {
    let facts = &build.dockerfile;
    for stage in &dockerfile.stages {
        if let (Some((name, range)), Some(lookup)) = (&stage.name, stage.lookup_name()) {
            let first = dockerfile
                .stages
                .iter()
                .take(stage.index)
                .find(|s| s.lookup_name().as_deref() == Some(&*lookup));
            if let Some(first) = first.and_then(|s| s.name.as_ref()) {
                found.push((
                    Severity::Error,
                    facts.span(range),
                    format!("two stages are named `{name}`"),
                    Some(facts.span(&first.1)),
                ));
            }
        }
        for instruction in &stage.instructions {
            let InstructionKind::Copy(copy) = &instruction.kind else {
                continue;
            };
            let Some(flag) = copy.from() else {
                continue;
            };
            let Some(from) = flag.value.as_deref().filter(|f| !f.contains('$')) else {
                continue;
            };
            let here = stage_label(dockerfile, stage.index);
            let message = match dockerfile.copy_from(stage.index, from) {
                CopyFrom::MissingIndex => {
                    format!("`COPY --from={from}` names a stage index that does not exist")
                }
                CopyFrom::NotEarlierStage(i) if i == stage.index => {
                    format!("`COPY --from={from}` in {here} copies from the stage itself")
                }
                CopyFrom::NotEarlierStage(i) if reaches(dockerfile, i, stage.index) => format!(
                    "`COPY --from={from}` in {here} copies from {}, which is built from {here}: a cycle",
                    stage_label(dockerfile, i)
                ),
                _ => continue,
            };
            found.push((Severity::Error, facts.span(&flag.span), message, None));
        }
    }
}

/// Whether building `from` needs `stage` (through bases and `COPY --from`).
fn reaches(dockerfile: &Dockerfile, from: usize, stage: usize) -> bool {
    let mut seen = vec![false; dockerfile.stages.len()];
    let mut pending = vec![from];
    while let Some(i) = pending.pop() {
        if i == stage {
            return true;
        }
        match seen.get_mut(i) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        pending.extend(dockerfile.stages.get(i).and_then(|s| s.from.base_stage));
        pending.extend(copy_sources(dockerfile, i));
    }
    false
}

/// `EXPOSE` values BuildKit rejects, in the stages the build runs.
fn exposed_ports(build: &ServiceBuild, dockerfile: &Dockerfile, target: usize, found: &mut Found) {
    let reached = reachable_stages(dockerfile, target);
    for stage in dockerfile
        .stages
        .iter()
        .filter(|s| reached.get(s.index) == Some(&true))
    {
        for instruction in &stage.instructions {
            let InstructionKind::Expose(ports) = &instruction.kind else {
                continue;
            };
            for port in ports {
                let Some((first, last)) = port.range else {
                    continue;
                };
                if last <= 65535 && first <= last {
                    continue;
                }
                let text = port.word.exact().unwrap_or(&port.word.raw);
                found.push((
                    Severity::Error,
                    build.dockerfile.span(&port.word.span),
                    format!("`EXPOSE {text}` is not a valid port or port range"),
                    None,
                ));
            }
        }
    }
}

/// Earlier `CMD`, `ENTRYPOINT` and `HEALTHCHECK` of a stage of the chain, which the last one
/// replaces.
fn ignored_instructions(
    build: &ServiceBuild,
    dockerfile: &Dockerfile,
    target: usize,
    found: &mut Found,
) {
    for index in dockerfile.chain(target) {
        let Some(stage) = dockerfile.stages.get(index) else {
            continue;
        };
        for keyword in ["CMD", "ENTRYPOINT", "HEALTHCHECK"] {
            let all: Vec<_> = stage
                .instructions
                .iter()
                .filter(|i| i.kind.keyword() == keyword)
                .collect();
            let Some((last, earlier)) = all.split_last() else {
                continue;
            };
            for instruction in earlier {
                found.push((
                    Severity::Low,
                    build.dockerfile.span(&instruction.keyword_span),
                    format!(
                        "{} has several `{keyword}` instructions and only the last one applies",
                        stage_label(dockerfile, index)
                    ),
                    Some(build.dockerfile.span(&last.keyword_span)),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DockerfileInvalid;
    use crate::facts::dockerfile::findings_of;
    use seaworthy_source::Severity;

    fn found(compose: &str, dockerfile: &str) -> Vec<(String, usize, Severity)> {
        findings_of(&DockerfileInvalid, compose, &[("Dockerfile", dockerfile)])
            .into_iter()
            .map(|(file, line, severity, _)| (file, line, severity))
            .collect()
    }

    const BUILD: &str = "services:\n  app:\n    build: .\n";

    #[test]
    fn forward_copies_are_valid_unless_they_close_a_cycle() {
        let forward = "FROM alpine:3.20 AS app\nCOPY --from=tools /bin/x /x\nFROM alpine:3.20 AS tools\nFROM app\n";
        assert!(found(BUILD, forward).is_empty());
        let cycle =
            "FROM alpine:3.20 AS app\nCOPY --from=tools /bin/x /x\nFROM app AS tools\nFROM app\n";
        assert_eq!(
            found(BUILD, cycle),
            [("Dockerfile".into(), 2, Severity::Error)]
        );
    }

    #[test]
    fn images_indexes_and_variables_in_copy_from() {
        let dockerfile = "FROM alpine:3.20\nARG SRC\nCOPY --from=nginx:1.27 /etc/nginx /n\nCOPY --from=$SRC /a /a\nCOPY --from=3 /b /b\nCOPY --from=0 /c /c\n";
        let lines: Vec<usize> = found(BUILD, dockerfile).into_iter().map(|f| f.1).collect();
        assert_eq!(lines, [5, 6]);
    }

    #[test]
    fn a_target_that_names_no_stage_points_at_compose() {
        let compose = "services:\n  app:\n    build:\n      context: .\n      target: prod\n";
        assert_eq!(
            found(compose, "FROM alpine:3.20 AS production\n"),
            [("compose.yaml".into(), 5, Severity::Error)]
        );
    }

    #[test]
    fn several_cmds_are_low_and_only_in_the_chain() {
        let dockerfile = "FROM alpine:3.20 AS build\nCMD a\nCMD b\nFROM alpine:3.20\nCMD [\"x\"]\nCMD [\"y\"]\nEXPOSE 8080 70000/tcp\n";
        assert_eq!(
            found(BUILD, dockerfile),
            [
                ("Dockerfile".into(), 5, Severity::Low),
                ("Dockerfile".into(), 7, Severity::Error)
            ]
        );
    }

    #[test]
    fn an_instruction_before_from_fails_the_parse_at_compose_build() {
        let found = findings_of(
            &DockerfileInvalid,
            BUILD,
            &[("Dockerfile", "ENV A=1\nFROM alpine:3.20\n")],
        );
        let [(file, line, severity, message)] = found.as_slice() else {
            panic!("{found:?}");
        };
        assert_eq!(
            (file.as_str(), *line, *severity),
            ("compose.yaml", 3, Severity::Error)
        );
        assert!(
            message.starts_with("the Dockerfile `Dockerfile` of service `app` does not parse"),
            "{message}"
        );
    }
}
