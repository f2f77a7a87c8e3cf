//! What a shell command installs with the distributions' package managers (`apt-get`, `apt`,
//! `apk`, `yum`, `dnf`, `microdnf`, `zypper`): the package names it asks for, with version
//! pins cut off (`curl=8.5.0-2`, `bash>=5`).

use crate::facts::shell::{Command, subcommand};

/// A package manager's options that take their value as the next word.
fn options_with_values(manager: &str) -> &'static [&'static str] {
    match manager {
        "apt-get" | "apt" | "aptitude" => &[
            "-o",
            "-c",
            "-t",
            "--option",
            "--config-file",
            "--target-release",
            "--default-release",
        ],
        "apk" => &[
            "-t",
            "--virtual",
            "-X",
            "--repository",
            "-p",
            "--root",
            "--arch",
            "--cache-dir",
            "--keys-dir",
        ],
        "yum" | "dnf" | "microdnf" => &[
            "-c",
            "--config",
            "--installroot",
            "--releasever",
            "--enablerepo",
            "--disablerepo",
            "--repo",
            "--setopt",
            "-R",
            "-d",
            "-e",
            "-x",
            "--exclude",
        ],
        "zypper" => &[
            "-r", "--repo", "-c", "--config", "--root", "-R", "-t", "--type",
        ],
        _ => &[],
    }
}

/// The subcommands that install packages.
fn installs(manager: &str, sub: &str) -> bool {
    match manager {
        "apt-get" | "apt" | "aptitude" => sub == "install",
        "apk" => sub == "add",
        "yum" | "dnf" | "microdnf" => matches!(sub, "install" | "groupinstall" | "localinstall"),
        "zypper" => matches!(sub, "install" | "in"),
        _ => false,
    }
}

/// The package manager and the packages a command installs; `None` when it installs nothing.
pub(crate) fn installed(command: &Command) -> Option<(&str, Vec<&str>)> {
    let launch = command.launch()?;
    let takes_value = options_with_values(launch.program);
    let (at, sub) = subcommand(launch.args, takes_value)?;
    if !installs(launch.program, sub) {
        return None;
    }
    let rest = launch.args.get(at + 1..).unwrap_or(&[]);
    let mut packages = Vec::new();
    let mut i = 0;
    while let Some(arg) = rest.get(i) {
        if takes_value.contains(&arg.as_str()) {
            i += 2;
            continue;
        }
        i += 1;
        if arg.starts_with('-') {
            continue;
        }
        let name = arg.split(['=', '<', '>', '~']).next().unwrap_or(arg);
        if !name.is_empty() {
            packages.push(name);
        }
    }
    Some((launch.program, packages))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::shell::commands;

    fn packages(script: &str) -> Vec<String> {
        commands(script)
            .iter()
            .filter_map(installed)
            .flat_map(|(_, p)| p.into_iter().map(str::to_owned))
            .collect()
    }

    #[test]
    fn package_names_without_pins_or_option_values() {
        assert_eq!(
            packages(
                "apt-get -o Dpkg::Options::=--force-confnew install -y --no-install-recommends curl=8.5.0-2 openssh-server"
            ),
            ["curl", "openssh-server"]
        );
        assert_eq!(
            packages(
                "apk add --no-cache --virtual .build-deps gcc 'bash>=5' && dnf install -y --setopt=tsflags=nodocs make"
            ),
            ["gcc", "bash", "make"]
        );
        assert_eq!(
            packages("zypper --non-interactive in dropbear"),
            ["dropbear"]
        );
    }

    #[test]
    fn other_subcommands_install_nothing() {
        assert!(packages("apt-get remove gcc && apk del .build-deps && yum clean all").is_empty());
    }
}
