use crate::facts::build_steps::{Image, Once, images};
use crate::facts::images::ImageRef;
use crate::facts::packages::installed;
use crate::facts::shell::{Command, run_commands};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_build::dockerfile::{CopyFrom, Instruction, InstructionKind};
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires when the image a service builds is made in one stage (neither the stage
    /// compose builds nor the stages it is `FROM` copy from another stage with
    /// `COPY --from` or `RUN --mount=from=`) and either
    /// - it starts from a toolchain image: `golang`, `rust`, `maven`, `gradle`, an image
    ///   whose name or tag says `jdk` (not `jre`), `mcr.microsoft.com/dotnet/sdk`, or a
    ///   `node` image that is not `-slim` with a `RUN npm run build` / `yarn build`; or
    /// - a `RUN` installs `build-essential`, `build-base`, `gcc`, `g++` or `make` and does not
    ///   remove packages again in the same `RUN` (`apk del .build-deps`, `apt-get purge`).
    ///
    /// The finding points at the `FROM` of the toolchain image, or at the installing `RUN`.
    ///
    /// ## Why it matters in production
    /// Compilers, SDKs, source code and build caches ship to every host: the image is
    /// hundreds of megabytes larger, slower to pull and scale, and every vulnerability in
    /// the toolchain is reported against the service.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// WORKDIR /src
    /// COPY . .
    /// RUN go build -o /usr/local/bin/app .
    /// CMD ["app"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12:nonroot
    /// COPY --from=build /out/app /app
    /// CMD ["/app"]
    /// ```
    ///
    /// ## Known false positives
    /// A heuristic: interpreted services that need a compiler at runtime (native extensions
    /// built on first start) and development targets are reported too. Info only.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.3
    pub(crate) struct Multistage {
        name: "dockerfile-multistage",
        code: "SW1116",
        area: Dockerfile,
        severity: Info,
        fix: Never,
        summary: "the image is built in one stage and ships its build toolchain",
    }
}

const COMPILER_PACKAGES: &[&str] = &["build-essential", "build-base", "gcc", "g++", "make"];

impl Rule for Multistage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let mut once = Once::default();
        for image in images(cx) {
            if uses_other_stages(&image) {
                continue;
            }
            let instructions = image.instructions();
            let toolchain = image.root().zip(image.base_image()).filter(|(_, base)| {
                is_toolchain(base, || instructions.iter().any(|i| runs_node_build(i)))
            });
            if let Some((root, base)) = toolchain {
                let span = root.from.span.clone();
                // The `FROM` is not an instruction of a stage: key it by its own span.
                if once.first_span(image.span(&span)) {
                    cx.report(
                        format!(
                            "the image is built in one stage from the toolchain image `{base}`"
                        ),
                        image.span(&span),
                        "toolchain base of the shipped image",
                    )
                    .service(image.service.name)
                    .help(help());
                }
                continue;
            }
            for instruction in instructions {
                let InstructionKind::Run(run) = &instruction.kind else {
                    continue;
                };
                let Some(package) = kept_compiler(&run_commands(run)) else {
                    continue;
                };
                if once.first(&image, instruction) {
                    cx.report(
                        format!("the shipped image keeps `{package}`, installed in its only stage"),
                        image.span(&instruction.span),
                        "installed here",
                    )
                    .service(image.service.name)
                    .help(help());
                }
                break;
            }
        }
    }
}

fn help() -> &'static str {
    "build in a first stage and `COPY --from=` only the artifacts into a small runtime image \
     (distroless, `-slim`, alpine)"
}

/// A `COPY --from=<stage>` or `RUN --mount=from=<stage>` anywhere in the image's stages.
fn uses_other_stages(image: &Image<'_>) -> bool {
    let dockerfile = image.built.dockerfile;
    image.stages().iter().any(|stage| {
        stage.instructions.iter().any(|i| match &i.kind {
            InstructionKind::Copy(copy) => copy
                .from()
                .and_then(|f| f.value.as_deref())
                .is_some_and(|from| {
                    matches!(dockerfile.copy_from(stage.index, from), CopyFrom::Stage(_))
                }),
            InstructionKind::Run(run) => run.mounts().filter_map(|m| m.value.as_deref()).any(|v| {
                v.split(',')
                    .filter_map(|o| o.strip_prefix("from="))
                    .any(|from| {
                        matches!(
                            dockerfile.copy_from(stage.index, from.trim_matches('"')),
                            CopyFrom::Stage(_)
                        )
                    })
            }),
            _ => false,
        })
    })
}

fn is_toolchain(reference: &str, node_build: impl FnOnce() -> bool) -> bool {
    let image = ImageRef::parse(reference);
    let name = image.name();
    let lower = reference.to_ascii_lowercase();
    let tag = image.tag.unwrap_or("").to_ascii_lowercase();
    matches!(name.as_str(), "golang" | "rust" | "maven" | "gradle")
        || (lower.contains("jdk") && !lower.contains("jre"))
        || (image.registry == Some("mcr.microsoft.com")
            && matches!(image.repository, "dotnet/sdk" | "dotnet/core/sdk"))
        || (name == "node" && !tag.contains("slim") && node_build())
}

/// `npm run build…`, `yarn build`, `yarn run build`, `pnpm build`, `pnpm run build`.
fn runs_node_build(instruction: &Instruction) -> bool {
    let InstructionKind::Run(run) = &instruction.kind else {
        return false;
    };
    run_commands(run)
        .iter()
        .filter_map(Command::launch)
        .any(|l| {
            let words: Vec<&str> = l
                .args
                .iter()
                .map(String::as_str)
                .filter(|a| !a.starts_with('-'))
                .collect();
            let script = match (l.program, words.as_slice()) {
                ("npm" | "yarn" | "pnpm", ["run" | "run-script", script, ..]) => *script,
                ("yarn" | "pnpm", [script, ..]) => *script,
                _ => return false,
            };
            script.starts_with("build")
        })
}

/// The first compiler package the `RUN` installs, unless it removes packages after.
fn kept_compiler(commands: &[Command]) -> Option<String> {
    for (index, command) in commands.iter().enumerate() {
        let Some((_, packages)) = installed(command) else {
            continue;
        };
        let Some(package) = packages.into_iter().find(|p| COMPILER_PACKAGES.contains(p)) else {
            continue;
        };
        let removed_later = commands.get(index + 1..).unwrap_or(&[]).iter().any(|c| {
            c.launch().is_some_and(|l| {
                let sub = l
                    .args
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .map(String::as_str);
                matches!(
                    (l.program, sub),
                    ("apk", Some("del"))
                        | ("apt-get" | "apt", Some("purge" | "remove" | "autoremove"))
                        | (
                            "yum" | "dnf" | "microdnf" | "zypper",
                            Some("remove" | "erase" | "rm")
                        )
                )
            })
        });
        if !removed_later {
            return Some(package.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::shell::commands;

    #[test]
    fn toolchain_images() {
        for base in [
            "golang:1.22",
            "docker.io/library/rust:1.80-slim",
            "eclipse-temurin:21-jdk",
            "openjdk:21",
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "maven:3-eclipse-temurin-21",
        ] {
            assert!(is_toolchain(base, || false), "{base}");
        }
        for base in [
            "eclipse-temurin:21-jre",
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "python:3.12",
            "node:20",
        ] {
            assert!(!is_toolchain(base, || false), "{base}");
        }
        assert!(is_toolchain("node:20", || true));
        assert!(!is_toolchain("node:20-slim", || true));
    }

    #[test]
    fn compilers_removed_in_the_same_run_are_not_kept() {
        assert_eq!(
            kept_compiler(&commands("apt-get install -y build-essential")),
            Some("build-essential".into())
        );
        assert_eq!(
            kept_compiler(&commands(
                "apk add --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps"
            )),
            None
        );
    }
}
