use crate::facts::build_steps::{Once, covered, discarded_dirs, images};
use crate::facts::shell::{Command, has_flag, run_commands, subcommand};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_build::dockerfile::InstructionKind;
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Looks at the `RUN` instructions of the image a service builds (the stage compose
    /// builds and the stages it is `FROM`) that use `apt-get` or `apt`, and reports each of
    /// these problems as its own finding on the `RUN`:
    /// - `install` without `--no-install-recommends` (or `-o APT::Install-Recommends=false`);
    /// - `install` or `upgrade` without `-y`, `--yes`, `--assume-yes` or `-qq` (nor `yes |`);
    /// - `apt-get update` in a `RUN` that installs nothing;
    /// - the package lists that `apt-get update` writes not removed in the same `RUN`
    ///   (`rm -rf /var/lib/apt/lists/*`), unless a cache or tmpfs mount covers
    ///   `/var/lib/apt/lists`;
    /// - `apt` instead of `apt-get`;
    /// - `upgrade`, `dist-upgrade` or `full-upgrade`.
    ///
    /// Version pinning is not asked for. Commands inside `sh -c '…'`, substitutions and a
    /// `RUN <<EOF` script count; builder stages that the image only copies from do not.
    ///
    /// ## Why it matters in production
    /// Recommended packages and package lists are megabytes of software nobody asked for,
    /// shipped to every host and scanned for CVEs forever. An install without `-y` aborts the
    /// build at the confirmation prompt. An `apt-get update` cached in its own layer makes
    /// later installs read stale lists, which fails or installs old versions. `apt`'s output
    /// and options are not a stable interface for scripts. Upgrading the whole base image in
    /// a build makes two builds of the same Dockerfile differ; a newer base tag does it
    /// reproducibly.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update
    /// RUN apt-get install curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update \
    ///     && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Known false positives
    /// An earlier `RUN` of the image that writes `APT::Install-Recommends` or
    /// `APT::Get::Assume-Yes` into apt's configuration is honoured; a configuration file
    /// brought in with `COPY` is not seen. A stage whose lists are removed by a later `RUN`
    /// is still reported: the earlier layer keeps them.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.7
    /// - hadolint DL3009, DL3014, DL3015, DL3027 (DL3008, version pinning, is left out)
    pub(crate) struct AptHygiene {
        name: "dockerfile-apt-hygiene",
        code: "SW1111",
        area: Dockerfile,
        severity: Low,
        fix: Never,
        summary: "apt is used in a way that bloats the image or breaks the build",
    }
}

/// apt-get options whose value is the next word.
const VALUE_OPTIONS: &[&str] = &[
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
];

#[derive(Clone, Debug, PartialEq, Eq)]
enum Problem {
    Recommends(String),
    NoYes(String),
    UpdateAlone(String),
    ListsKept(String),
    AptTool(String),
    Upgrade(String),
}

impl Problem {
    fn message(&self) -> (String, &'static str) {
        match self {
            Problem::Recommends(cmd) => (
                format!("`{cmd}` runs without `--no-install-recommends`"),
                "add `--no-install-recommends`: recommended packages are not needed to run and \
                 grow the image and what its scanners report",
            ),
            Problem::NoYes(cmd) => (
                format!("`{cmd}` runs without `-y`"),
                "add `-y`: without a terminal apt aborts at its confirmation prompt",
            ),
            Problem::UpdateAlone(cmd) => (
                format!("`{cmd}` runs in a `RUN` that installs nothing"),
                "update and install in one `RUN` (`apt-get update && apt-get install -y …`): a \
                 cached update layer leaves later installs with stale package lists",
            ),
            Problem::ListsKept(cmd) => (
                format!("the package lists `{cmd}` downloads stay in the image"),
                "end the same `RUN` with `rm -rf /var/lib/apt/lists/*`, or mount a cache there \
                 (`RUN --mount=type=cache,target=/var/lib/apt/lists …`)",
            ),
            Problem::AptTool(cmd) => (
                format!("`{cmd}` uses `apt`, whose interface is not stable for scripts"),
                "use `apt-get` (or `apt-cache`) in a Dockerfile",
            ),
            Problem::Upgrade(cmd) => (
                format!("`{cmd}` upgrades the packages of the base image"),
                "use a newer base image tag instead, so two builds of this Dockerfile match; \
                 install the one fixed package by name if you must",
            ),
        }
    }
}

impl Rule for AptHygiene {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let mut once = Once::default();
        for image in images(cx) {
            let mut configured = Configured::default();
            for instruction in image.instructions() {
                let InstructionKind::Run(run) = &instruction.kind else {
                    continue;
                };
                let script = run.script();
                configured.learn(&script);
                if !once.first(&image, instruction) {
                    continue;
                }
                let lists_discarded = covered(&discarded_dirs(run), "/var/lib/apt/lists");
                for problem in problems(&run_commands(run), configured, lists_discarded) {
                    let (message, help) = problem.message();
                    cx.report(message, image.span(&instruction.span), "this `RUN`")
                        .service(image.service.name)
                        .help(help);
                }
            }
        }
    }
}

/// apt configuration written by the image's `RUN`s so far.
#[derive(Clone, Copy, Default)]
struct Configured {
    no_recommends: bool,
    assume_yes: bool,
}

impl Configured {
    fn learn(&mut self, script: &str) {
        self.no_recommends |= script.contains("APT::Install-Recommends");
        self.assume_yes |= script.contains("APT::Get::Assume-Yes");
    }
}

fn problems(commands: &[Command], configured: Configured, lists_discarded: bool) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut installs = false;
    let mut update: Option<(usize, String)> = None;
    for (index, command) in commands.iter().enumerate() {
        let Some(launch) = command.launch() else {
            continue;
        };
        if launch.program != "apt-get" && launch.program != "apt" {
            continue;
        }
        let Some((_, sub)) = subcommand(launch.args, VALUE_OPTIONS) else {
            continue;
        };
        let named = format!("{} {sub}", launch.program);
        if launch.program == "apt" && !found.iter().any(|p| matches!(p, Problem::AptTool(_))) {
            found.push(Problem::AptTool(named.clone()));
        }
        match sub {
            "install" | "upgrade" | "dist-upgrade" | "full-upgrade" => {
                installs = true;
                if sub == "install" && !configured.no_recommends && !skips_recommends(launch.args) {
                    found.push(Problem::Recommends(named.clone()));
                }
                if !configured.assume_yes
                    && !assumes_yes(launch.args)
                    && !fed_by_yes(commands, index)
                {
                    found.push(Problem::NoYes(named.clone()));
                }
                if sub != "install" {
                    found.push(Problem::Upgrade(named));
                }
            }
            "build-dep" | "source" | "reinstall" => installs = true,
            "update" => update = update.or(Some((index, named))),
            _ => {}
        }
    }
    if let Some((at, named)) = update {
        if !installs {
            found.push(Problem::UpdateAlone(named.clone()));
        }
        let removed = commands.iter().skip(at + 1).any(removes_lists);
        if !removed && !lists_discarded {
            found.push(Problem::ListsKept(named));
        }
    }
    let mut unique: Vec<Problem> = Vec::new();
    for problem in found {
        if !unique.contains(&problem) {
            unique.push(problem);
        }
    }
    unique
}

fn skips_recommends(args: &[String]) -> bool {
    has_flag(args, "no-install-recommends", None)
        || args.iter().any(|a| {
            a.strip_prefix("APT::Install-Recommends=")
                .is_some_and(|v| matches!(v, "false" | "0" | "no" | "off"))
        })
}

fn assumes_yes(args: &[String]) -> bool {
    let quiet_words = args
        .iter()
        .filter(|a| *a == "-q" || *a == "--quiet")
        .count();
    has_flag(args, "yes", Some('y'))
        || has_flag(args, "assume-yes", None)
        || has_flag(args, "force-yes", None)
        || quiet_words >= 2
        || args.iter().any(|a| {
            a == "-q=2"
                || a == "--quiet=2"
                || (a.starts_with('-')
                    && !a.starts_with("--")
                    && a.chars().filter(|&c| c == 'q').count() >= 2)
                || a.strip_prefix("APT::Get::Assume-Yes=")
                    .is_some_and(|v| matches!(v, "true" | "1" | "yes"))
        })
}

/// `yes | apt-get install …`
fn fed_by_yes(commands: &[Command], index: usize) -> bool {
    let Some(command) = commands.get(index) else {
        return false;
    };
    commands[..index]
        .iter()
        .any(|c| c.pipeline == command.pipeline && c.program() == Some("yes"))
}

/// `rm -rf /var/lib/apt/lists/*` (or `/var/lib/apt`), `find /var/lib/apt/lists … -delete`,
/// `apt-get distclean`.
fn removes_lists(command: &Command) -> bool {
    let Some(launch) = command.launch() else {
        return false;
    };
    let names_lists = |arg: &String| {
        let path = arg.trim_end_matches(['*', '/']);
        path.starts_with("/var/lib/apt/lists")
            || matches!(path, "/var/lib/apt" | "/var/lib" | "/var/lib/apt/lists")
    };
    match launch.program {
        "rm" | "find" => launch.args.iter().any(names_lists),
        "apt-get" | "apt" => launch
            .args
            .iter()
            .any(|a| a == "distclean" || a == "dist-clean"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::shell::commands;

    fn found(script: &str) -> Vec<Problem> {
        problems(&commands(script), Configured::default(), false)
    }

    #[test]
    fn a_clean_install_has_no_problem() {
        assert!(
            found(
                "apt-get update && apt-get install -yq --no-install-recommends curl \
             && rm -rf /var/lib/apt/lists/*"
            )
            .is_empty()
        );
        assert!(found("apt-get -qq install -o APT::Install-Recommends=false curl").is_empty());
        assert!(found("yes | apt-get install --no-install-recommends curl").is_empty());
    }

    #[test]
    fn each_problem_is_named_once() {
        assert_eq!(
            found("apt update && apt install curl && apt install wget"),
            [
                Problem::AptTool("apt update".into()),
                Problem::Recommends("apt install".into()),
                Problem::NoYes("apt install".into()),
                Problem::ListsKept("apt update".into()),
            ]
        );
    }

    #[test]
    fn update_alone_and_upgrades() {
        assert_eq!(
            found("apt-get update && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists"),
            [Problem::Upgrade("apt-get dist-upgrade".into())]
        );
        assert_eq!(
            found("apt-get update"),
            [
                Problem::UpdateAlone("apt-get update".into()),
                Problem::ListsKept("apt-get update".into())
            ]
        );
    }

    #[test]
    fn lists_removed_before_the_update_do_not_count() {
        assert!(found(
            "rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y --no-install-recommends x"
        )
        .contains(&Problem::ListsKept("apt-get update".into())));
    }
}
