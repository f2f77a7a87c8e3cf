use crate::facts::build_steps::{Once, images};
use crate::facts::images::ImageRef;
use crate::facts::packages::installed;
use crate::facts::shell::{Command, base_name, is_posix_shell, run_commands};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_build::dockerfile::{CommandLine, InstructionKind};
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires on a shell-form `RUN` of the image a service builds (the stage compose builds
    /// and the stages it is `FROM`) with a pipe (`a | b`) when the shell does not fail on a
    /// failed pipe member: no earlier `SHELL` sets `-o pipefail`, and the `RUN` does not run
    /// `set -o pipefail` before its first pipe. A pipe inside `sh -c '…'` is that shell's
    /// business and is not judged.
    ///
    /// Exempt: stages built on an Alpine image (`alpine`, `*-alpine` tags) until an earlier
    /// `RUN` installs `bash` or a `SHELL` selects it, since their `/bin/sh` has no bash to
    /// switch to; and a `SHELL` that is not a POSIX shell (PowerShell, `cmd`).
    ///
    /// ## Why it matters in production
    /// `/bin/sh -c` reports the exit status of the last command of a pipe only:
    /// `curl -f https://… | tar xz` succeeds when the download fails, and the image is built
    /// and shipped without the files it needs, to fail at runtime instead of at build.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
    /// ```
    ///
    /// ## Known false positives
    /// A pipe whose first command cannot fail in a way that matters (`echo x | tee file`) is
    /// still reported. Images whose `/bin/sh` is bash or a BusyBox with `pipefail` can also
    /// use `set -o pipefail` inside the `RUN`.
    ///
    /// ## References
    /// - hadolint DL4006
    pub(crate) struct Pipefail {
        name: "dockerfile-pipefail",
        code: "SW1115",
        area: Dockerfile,
        severity: Low,
        fix: Never,
        summary: "a RUN pipe hides the failure of its first commands",
    }
}

impl Rule for Pipefail {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let mut once = Once::default();
        for image in images(cx) {
            let base = image
                .root()
                .map(|s| s.from.image.exact().unwrap_or(&s.from.image.raw))
                .unwrap_or_default();
            let mut bash_available = !is_alpine(base);
            // `None`: the default `/bin/sh -c`.
            let mut shell: Option<&[String]> = None;
            for instruction in image.instructions() {
                let run = match &instruction.kind {
                    InstructionKind::Shell(args) => {
                        shell = Some(args);
                        bash_available |= args.first().is_some_and(|p| base_name(p) == "bash");
                        continue;
                    }
                    InstructionKind::Run(run) => run,
                    _ => continue,
                };
                let commands = run_commands(run);
                let silent = shell.is_some_and(|s| !is_posix(s) || sets_pipefail(s))
                    || !bash_available
                    || !matches!(run.command, CommandLine::Shell { .. });
                let pipe = if silent {
                    None
                } else {
                    unguarded_pipe(&commands)
                };
                bash_available |= commands
                    .iter()
                    .filter_map(installed)
                    .any(|(_, packages)| packages.contains(&"bash"));
                let Some((first, last)) = pipe else {
                    continue;
                };
                if !once.first(&image, instruction) {
                    continue;
                }
                cx.report(
                    format!("`RUN` pipes `{first}` into `{last}` without `pipefail`: a failure of `{first}` does not fail the build"),
                    image.span(&instruction.span),
                    "this `RUN`",
                )
                .service(image.service.name)
                .help(
                    "add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before it, or start \
                     the `RUN` with `set -o pipefail &&` when its shell supports it",
                );
            }
        }
    }
}

/// The base image is Alpine: its `/bin/sh` is BusyBox and bash is not installed.
fn is_alpine(reference: &str) -> bool {
    let image = ImageRef::parse(reference);
    image.name() == "alpine" || image.tag.is_some_and(|t| t.contains("alpine"))
}

fn is_posix(shell: &[String]) -> bool {
    shell.first().is_some_and(|p| is_posix_shell(base_name(p)))
}

/// `-o pipefail` (or a flag group ending in `o`, `-euo pipefail`) among shell options.
fn sets_pipefail(args: &[String]) -> bool {
    args.windows(2).any(|pair| {
        matches!(pair, [flag, value] if value == "pipefail"
            && flag.starts_with('-')
            && !flag.starts_with("--")
            && flag.ends_with('o'))
    })
}

/// The first and last programs of the first pipe of the `RUN`'s own script, unless a
/// `set -o pipefail` comes before it.
fn unguarded_pipe(commands: &[Command]) -> Option<(String, String)> {
    let top: Vec<&Command> = commands.iter().filter(|c| !c.nested).collect();
    for (index, command) in top.iter().enumerate() {
        let launch = command.launch();
        if launch.is_some_and(|l| l.program == "set" && sets_pipefail(l.args)) {
            return None;
        }
        let members: Vec<&&Command> = top
            .iter()
            .skip(index)
            .take_while(|c| c.pipeline == command.pipeline)
            .collect();
        if members.len() > 1 {
            let name = |c: &Command| c.program().unwrap_or("…").to_owned();
            return Some((
                name(command),
                members.last().map_or_else(String::new, |c| name(c)),
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::shell::commands;

    fn pipe(script: &str) -> Option<(String, String)> {
        unguarded_pipe(&commands(script))
    }

    #[test]
    fn the_first_pipe_is_named() {
        assert_eq!(
            pipe("apt-get update && curl -fsSL x | gpg --dearmor | tee /k > /dev/null"),
            Some(("curl".into(), "tee".into()))
        );
    }

    #[test]
    fn set_pipefail_before_the_pipe_guards_it() {
        assert_eq!(pipe("set -euxo pipefail; curl x | tar xz"), None);
        assert_eq!(pipe("set -o errexit -o pipefail && curl x | tar xz"), None);
        assert!(pipe("curl x | tar xz; set -o pipefail").is_some());
    }

    #[test]
    fn pipes_in_nested_scripts_and_logical_or_are_not_pipes() {
        assert_eq!(pipe("sh -c 'curl x | tar xz'"), None);
        assert_eq!(pipe("make || true"), None);
    }

    #[test]
    fn shells_and_bases() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(sets_pipefail(&words(&[
            "/bin/bash",
            "-eo",
            "pipefail",
            "-c"
        ])));
        assert!(!sets_pipefail(&words(&["/bin/bash", "-c"])));
        assert!(is_alpine("node:20-alpine") && is_alpine("alpine:3.20"));
        assert!(!is_alpine("debian:bookworm"));
    }
}
