use crate::facts::build_steps::{Once, covered, discarded_dirs, images};
use crate::facts::shell::{Command, has_flag, run_commands, subcommand};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_build::dockerfile::InstructionKind;
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires on a `RUN` of the image a service builds (the stage compose builds and the
    /// stages it is `FROM`) that leaves a package manager's download cache in the layer:
    /// - `apk add` without `--no-cache`;
    /// - `pip install` without `--no-cache-dir`, when `PIP_NO_CACHE_DIR` is not set (by an
    ///   earlier `ENV` or `ARG`, or on the command);
    /// - `yum`, `dnf`, `microdnf` or `zypper` installing without `clean all` (`zypper clean`)
    ///   later in the same `RUN`;
    /// - `yarn install` without `yarn cache clean` later in the same `RUN`.
    ///
    /// Exempt: a `RUN` with a cache or tmpfs mount on that cache (`/var/cache/apk`,
    /// `/root/.cache/pip`, `/var/cache/dnf`…), and a `RUN` that deletes the cache directory
    /// itself. One finding per package manager per `RUN`.
    ///
    /// ## Why it matters in production
    /// The cache is only useful while building; in the image it is dead weight that every
    /// host pulls and stores, often tens of megabytes per layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-alpine
    /// RUN apk add curl
    /// RUN pip install flask
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-alpine
    /// ENV PIP_NO_CACHE_DIR=1
    /// RUN apk add --no-cache curl
    /// RUN pip install flask
    /// ```
    ///
    /// ## Known false positives
    /// A cache emptied by a later `RUN` is still reported (the earlier layer keeps it), and a
    /// cache directory moved elsewhere by a configuration file is not followed.
    ///
    /// ## References
    /// - hadolint DL3019, DL3032, DL3036, DL3040, DL3042, DL3060
    pub(crate) struct PkgCache {
        name: "dockerfile-pkg-cache",
        code: "SW1112",
        area: Dockerfile,
        severity: Info,
        fix: Never,
        summary: "a package manager leaves its download cache in the image",
    }
}

impl Rule for PkgCache {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let mut once = Once::default();
        for image in images(cx) {
            let mut pip_env = false;
            for instruction in image.instructions() {
                let run = match &instruction.kind {
                    InstructionKind::Env(pairs) => {
                        pip_env |= pairs.iter().any(|p| p.name == "PIP_NO_CACHE_DIR");
                        continue;
                    }
                    InstructionKind::Arg(pairs) => {
                        pip_env |= pairs
                            .iter()
                            .any(|p| p.name == "PIP_NO_CACHE_DIR" && p.value.is_some());
                        continue;
                    }
                    InstructionKind::Run(run) => run,
                    _ => continue,
                };
                if !once.first(&image, instruction) {
                    continue;
                }
                let dirs = discarded_dirs(run);
                for (tool, help) in kept_caches(&run_commands(run), &dirs, pip_env) {
                    cx.report(
                        format!("`{tool}` leaves its download cache in the image"),
                        image.span(&instruction.span),
                        "this `RUN`",
                    )
                    .service(image.service.name)
                    .help(help);
                }
            }
        }
    }
}

/// The package commands whose cache the `RUN` keeps, with the remedy.
fn kept_caches(
    commands: &[Command],
    dirs: &[String],
    pip_env: bool,
) -> Vec<(String, &'static str)> {
    let mut found: Vec<(String, &'static str)> = Vec::new();
    let mut pip_exported = pip_env;
    for (index, command) in commands.iter().enumerate() {
        let Some(launch) = command.launch() else {
            continue;
        };
        let program = launch.program;
        let later = commands.get(index + 1..).unwrap_or(&[]);
        if program == "export" {
            pip_exported |= launch
                .args
                .iter()
                .any(|a| a.starts_with("PIP_NO_CACHE_DIR="));
        }
        let sub =
            subcommand(launch.args, &["-t", "--virtual", "-X", "--repository"]).map(|(_, s)| s);
        let kept = if program == "apk" && sub == Some("add") {
            !has_flag(launch.args, "no-cache", None)
                && !covered(dirs, "/var/cache/apk")
                && !covered(dirs, "/etc/apk/cache")
                && !removes(later, "/var/cache/apk")
        } else if let Some(args) = pip_args(program, launch.args) {
            subcommand(args, &[]).is_some_and(|(_, s)| s == "install")
                && !has_flag(args, "no-cache-dir", None)
                && !pip_exported
                && !launch
                    .assignments
                    .iter()
                    .any(|a| a.starts_with("PIP_NO_CACHE_DIR="))
                && !dirs
                    .iter()
                    .any(|d| d.contains("pip") || d.ends_with("/.cache"))
        } else if matches!(program, "yum" | "dnf" | "microdnf" | "zypper") {
            let installing = matches!(
                sub,
                Some(
                    "install"
                        | "in"
                        | "groupinstall"
                        | "localinstall"
                        | "reinstall"
                        | "update"
                        | "upgrade"
                        | "up"
                )
            );
            let cache = match program {
                "zypper" => "/var/cache/zypp",
                "yum" => "/var/cache/yum",
                _ => "/var/cache/dnf",
            };
            installing
                && !later.iter().any(|c| cleans_all(c, program))
                && !covered(dirs, cache)
                && !covered(dirs, "/var/cache/libdnf5")
                && !removes(later, cache)
        } else if program == "yarn" && sub == Some("install") {
            !later.iter().any(cleans_yarn) && !dirs.iter().any(|d| d.contains("yarn"))
        } else {
            false
        };
        if !kept {
            continue;
        }
        let (name, help) = match program {
            "apk" => (
                "apk add".to_owned(),
                "add `--no-cache` (it also makes `apk update` unnecessary)",
            ),
            "yarn" => (
                "yarn install".to_owned(),
                "end the same `RUN` with `yarn cache clean`, or mount a cache on yarn's cache directory",
            ),
            "zypper" => (
                "zypper".to_owned(),
                "end the same `RUN` with `zypper clean --all`",
            ),
            p if pip_args(p, launch.args).is_some() => (
                "pip install".to_owned(),
                "add `--no-cache-dir`, or set `ENV PIP_NO_CACHE_DIR=1` before it",
            ),
            "yum" => ("yum".to_owned(), "end the same `RUN` with `yum clean all`"),
            "microdnf" => (
                "microdnf".to_owned(),
                "end the same `RUN` with `microdnf clean all`",
            ),
            other => (other.to_owned(), "end the same `RUN` with `dnf clean all`"),
        };
        if !found.iter().any(|(n, _)| *n == name) {
            found.push((name, help));
        }
    }
    found
}

/// The arguments after `pip`, `pip3.12` or `python3 -m pip`; `None` for other programs.
fn pip_args<'a>(program: &str, args: &'a [String]) -> Option<&'a [String]> {
    let version = |rest: &str| rest.chars().all(|c| c.is_ascii_digit() || c == '.');
    if program.strip_prefix("pip").is_some_and(version) {
        return Some(args);
    }
    if program.strip_prefix("python").is_some_and(version) {
        let at = args.iter().position(|a| a == "-m")?;
        if args.get(at + 1).is_some_and(|m| m == "pip") {
            return args.get(at + 2..);
        }
    }
    None
}

/// `yum clean all`, `dnf clean all`, `zypper clean` / `zypper cc`.
fn cleans_all(command: &Command, manager: &str) -> bool {
    let Some(launch) = command.launch() else {
        return false;
    };
    let words: Vec<&str> = launch
        .args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    launch.program == manager
        && match manager {
            "zypper" => matches!(words.first(), Some(&("clean" | "cc"))),
            _ => words.starts_with(&["clean", "all"]),
        }
}

fn cleans_yarn(command: &Command) -> bool {
    command.launch().is_some_and(|l| {
        l.program == "yarn"
            && l.args
                .iter()
                .map(String::as_str)
                .take(2)
                .eq(["cache", "clean"])
    })
}

/// An `rm` of `dir` (or what is in it).
fn removes(commands: &[Command], dir: &str) -> bool {
    commands
        .iter()
        .filter_map(Command::launch)
        .any(|l| l.program == "rm" && l.args.iter().any(|a| a.trim_end_matches(['*', '/']) == dir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::shell::commands;

    fn kept(script: &str) -> Vec<String> {
        kept_caches(&commands(script), &[], false)
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    }

    #[test]
    fn each_manager_is_recognised() {
        assert_eq!(
            kept(
                "apk add curl && /venv/bin/pip3 install x && python3.12 -m pip install y && dnf install -y z && yarn install"
            ),
            ["apk add", "pip install", "dnf", "yarn install"]
        );
    }

    #[test]
    fn cleaning_up_in_the_same_run_is_enough() {
        assert!(kept(
            "apk add --no-cache curl && pip install --no-cache-dir x && PIP_NO_CACHE_DIR=1 pip install y \
             && dnf install -y z && dnf clean all && zypper in -y w && zypper cc -a \
             && yarn install --frozen-lockfile && yarn cache clean && apk add x && rm -rf /var/cache/apk/*"
        )
        .is_empty());
        assert!(kept("export PIP_NO_CACHE_DIR=off; pip install x").is_empty());
    }

    #[test]
    fn pip_wrappers_and_other_subcommands_are_not_installs() {
        assert!(
            kept("pipx install black && pip download x && pipenv install && python -m venv /v")
                .is_empty()
        );
    }
}
