use crate::facts::mounts::{bind_mounts, is_same_or_under};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires on bind sources (normalized) that are, or are under, `/etc`, `/root`, `/boot`,
    /// `/proc`, `/sys`, `/dev`, `/var/lib/docker`, `/var/lib/containerd`, `/usr`, `/lib`,
    /// `/lib64`, `/bin` or `/sbin`; that are exactly `/`, `/var/lib`, `/home`, `/home/<user>` or
    /// the deploy user's home; or that are credential directories (`~/.ssh`, `~/.aws`,
    /// `~/.docker`, `~/.kube`, `~/.gnupg`). It is **critical** when the mount is writable and
    /// root-equivalent (`/`, `/etc`, `/root`, `/boot`, `/proc`, `/var/lib/docker`,
    /// `/var/lib/containerd`, `/var/lib`), **high** otherwise.
    ///
    /// Not reported: `/etc/localtime` and `/etc/timezone` mounted read-only, `/dev/null`,
    /// `/dev/zero`, `/dev/random`, `/dev/urandom` and `/dev/full`, and paths under a home
    /// directory that are not credential directories (`~/app/data`), and paths inside the
    /// project directory (`./data`, even when the project lives in `/root`). `/etc/ssl/certs`
    /// read-only is reported at **info** only.
    ///
    /// ## Why it matters in production
    /// A writable `/etc` lets the container add a user or a cron job on the host; `/proc` and
    /// `/sys` expose kernel knobs; `/var/lib/docker` holds every other container's files;
    /// `~/.ssh` and `~/.aws` are keys to other machines. A compromised application turns any
    /// of these into a compromised host.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: ghcr.io/acme/backup:1.2.0
    ///     volumes:
    ///       - /etc:/host/etc
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: ghcr.io/acme/backup:1.2.0
    ///     volumes:
    ///       - /etc/localtime:/etc/localtime:ro
    ///       - backups:/backups
    /// volumes:
    ///   backups:
    /// ```
    ///
    /// ## Known false positives
    /// Monitoring agents read the host on purpose (node-exporter `/proc:/host/proc:ro`,
    /// cAdvisor `/:/rootfs:ro`): suppress the finding for that service with a reason. A `~`
    /// in a source is the home of whoever runs `docker compose`; the deploy user's home is
    /// judged by the `HOME` the project was loaded with.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.6
    /// - OWASP Docker Security Cheat Sheet, rule 8
    pub(crate) struct SensitiveHostMount {
        name: "sensitive-host-mount",
        code: "SW802",
        area: Mounts,
        severity: High,
        fix: Never,
        summary: "service mounts a sensitive host path",
    }
}

/// Host paths whose contents are root on the host when writable.
const ROOT_EQUIVALENT: &[&str] = &[
    "/etc",
    "/root",
    "/boot",
    "/proc",
    "/var/lib/docker",
    "/var/lib/containerd",
];

const SYSTEM: &[&str] = &["/sys", "/dev", "/usr", "/lib", "/lib64", "/bin", "/sbin"];

const HARMLESS: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/random",
    "/dev/urandom",
    "/dev/full",
];

const CREDENTIAL_DIRS: &[&str] = &[".ssh", ".aws", ".docker", ".kube", ".gnupg"];

impl Rule for SensitiveHostMount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let home = cx
            .project
            .environment
            .get("HOME")
            .map(crate::facts::mounts::normalize);
        // A project deployed as root lives under `/root`: its own `./data` is not `/root`.
        let project_dir = cx
            .project
            .working_dir
            .to_str()
            .map(crate::facts::mounts::normalize)
            .filter(|dir| dir.len() > 1);
        for mount in bind_mounts(service) {
            if project_dir
                .as_deref()
                .is_some_and(|dir| inside_project(&mount.source, dir))
            {
                continue;
            }
            let Some(severity) = classify(&mount.source, mount.read_only, home.as_deref()) else {
                continue;
            };
            let mode = if mount.read_only {
                "read-only"
            } else {
                "writable"
            };
            let help = if severity == Severity::Info {
                "mounting the host's CA bundle read-only is common; prefer building it into the image"
            } else {
                "mount only the file or directory the service needs, read-only (`:ro`), or copy it into the image or a named volume"
            };
            cx.report_at(
                severity,
                format!(
                    "service `{}` mounts host path `{}` ({mode})",
                    service.name, mount.source
                ),
                mount.source_node.span,
                if severity == Severity::Critical {
                    "writable and root-equivalent"
                } else {
                    "sensitive host path"
                },
            )
            .help(help);
        }
    }
}

/// Under the project directory, unless it is a `~` the loader had no home to expand to.
fn inside_project(source: &str, project_dir: &str) -> bool {
    is_same_or_under(source, project_dir)
        && !source
            .get(project_dir.len()..)
            .is_some_and(|rest| rest == "/~" || rest.starts_with("/~/"))
}

/// How bad a bind source is, or `None` when it is fine.
fn classify(source: &str, read_only: bool, home: Option<&str>) -> Option<Severity> {
    if HARMLESS.contains(&source) {
        return None;
    }
    if read_only && (source == "/etc/localtime" || source == "/etc/timezone") {
        return None;
    }
    if read_only && is_same_or_under(source, "/etc/ssl/certs") {
        return Some(Severity::Info);
    }
    let worst = if read_only {
        Severity::High
    } else {
        Severity::Critical
    };
    // `~` expands to the home of whoever runs compose: judge it as the deploy user's home,
    // not as `/root`.
    if let Some(rest) = home
        .filter(|h| h.len() > 1)
        .and_then(|home| source.strip_prefix(home))
    {
        if rest.is_empty() {
            return Some(Severity::High);
        }
        if let Some(rest) = rest.strip_prefix('/') {
            let first = rest.split('/').next().unwrap_or(rest);
            return CREDENTIAL_DIRS.contains(&first).then_some(Severity::High);
        }
    }
    if source == "/" || source == "/var/lib" {
        return Some(worst);
    }
    if ROOT_EQUIVALENT
        .iter()
        .any(|dir| is_same_or_under(source, dir))
    {
        return Some(worst);
    }
    if SYSTEM.iter().any(|dir| is_same_or_under(source, dir)) {
        return Some(Severity::High);
    }
    let segments: Vec<&str> = source.split('/').skip(1).collect();
    match segments.as_slice() {
        ["home"] | ["home", _] => Some(Severity::High),
        _ if is_credential_dir(&segments) => Some(Severity::High),
        _ => None,
    }
}

/// A credential directory (or a file in it) right under a home: `/home/<user>/.ssh`,
/// `/Users/<user>/.aws`, or `<dir>/~/.kube` when `~` had no home to expand to.
fn is_credential_dir(segments: &[&str]) -> bool {
    segments.iter().enumerate().any(|(i, segment)| {
        CREDENTIAL_DIRS.contains(segment)
            && match i {
                0 => false,
                1 => segments.first() == Some(&"root"),
                _ => {
                    segments.get(i - 1) == Some(&"~")
                        || (i == 2 && matches!(segments.first(), Some(&"home" | &"Users")))
                }
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_equivalent_paths_are_critical_only_when_writable() {
        assert_eq!(classify("/etc", false, None), Some(Severity::Critical));
        assert_eq!(classify("/etc/nginx", true, None), Some(Severity::High));
        assert_eq!(classify("/var/lib", false, None), Some(Severity::Critical));
        assert_eq!(classify("/proc", true, None), Some(Severity::High));
        assert_eq!(classify("/sys", false, None), Some(Severity::High));
    }

    #[test]
    fn exemptions() {
        assert_eq!(classify("/etc/localtime", true, None), None);
        assert_eq!(classify("/dev/null", false, None), None);
        assert_eq!(classify("/etc/ssl/certs", true, None), Some(Severity::Info));
        assert_eq!(classify("/var/lib/myapp/data", false, None), None);
        assert_eq!(classify("/home/deploy/app/data", false, None), None);
        assert_eq!(classify("/srv/app", false, None), None);
        assert_eq!(classify("/etcd", false, None), None);
    }

    #[test]
    fn homes_and_credential_dirs() {
        assert_eq!(classify("/home", true, None), Some(Severity::High));
        assert_eq!(classify("/home/deploy", true, None), Some(Severity::High));
        assert_eq!(
            classify("/home/deploy/.ssh", true, None),
            Some(Severity::High)
        );
        assert_eq!(
            classify("/project/~/.aws", true, None),
            Some(Severity::High)
        );
        assert_eq!(classify("/project/.docker/nginx", false, None), None);
        // `~/.ssh` expanded with a lint user of root is still the deploy user's `~/.ssh`.
        assert_eq!(
            classify("/root/.ssh", false, Some("/root")),
            Some(Severity::High)
        );
        assert_eq!(classify("/root/app", false, Some("/root")), None);
        assert_eq!(
            classify("/root/.ssh", false, None),
            Some(Severity::Critical)
        );
    }
}
