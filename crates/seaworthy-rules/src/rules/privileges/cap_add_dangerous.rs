use crate::facts::mounts::bind_mounts;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires on `cap_add` entries beyond Docker's default set (names compared without the
    /// `CAP_` prefix and case): **critical** for `ALL`, `SYS_ADMIN`, `SYS_MODULE` and
    /// `SYS_RAWIO`; **high** for `NET_ADMIN`, `BPF`, `SYS_BOOT`, `PERFMON`, `SYS_TIME`,
    /// `SYSLOG`, `SYS_NICE`, `IPC_LOCK`, `LEASE`, `MAC_ADMIN` and `MAC_OVERRIDE`; **medium**
    /// for `SYS_PTRACE` and `DAC_READ_SEARCH` (high when the service also bind-mounts a host
    /// path); **low** for the other non-default capabilities. Capabilities Docker grants
    /// anyway (`CHOWN`, `NET_BIND_SERVICE`, `SETUID`, ...) are not reported: adding them back
    /// after `cap_drop: [ALL]` is the recommended pattern.
    ///
    /// ## Why it matters in production
    /// `SYS_ADMIN` alone allows `mount` and most known container escapes; `SYS_MODULE` loads
    /// kernel code; `NET_ADMIN` rewrites the host-facing network of the container;
    /// `DAC_READ_SEARCH` enables `open_by_handle_at`, which reads any file of a mounted host
    /// file system.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: ghcr.io/acme/vpn:1.0.0
    ///     cap_add:
    ///       - SYS_ADMIN
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: ghcr.io/acme/vpn:1.0.0
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## Known false positives
    /// VPN and network tools need `NET_ADMIN`; suppress the finding for that service with a
    /// reason. Docker's default set is already excluded.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.4
    /// - OWASP Docker Security Cheat Sheet, rule 3
    pub(crate) struct CapAddDangerous {
        name: "cap-add-dangerous",
        code: "SW702",
        area: Privileges,
        severity: High,
        fix: Never,
        summary: "service adds a dangerous capability",
    }
}

/// The capabilities Docker grants every container (moby's default set).
const DEFAULT_SET: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

const CRITICAL: &[&str] = &["ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_RAWIO"];

const HIGH: &[&str] = &[
    "NET_ADMIN",
    "BPF",
    "SYS_BOOT",
    "PERFMON",
    "SYS_TIME",
    "SYSLOG",
    "SYS_NICE",
    "IPC_LOCK",
    "LEASE",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
];

/// Capabilities outside the default set that the catalog does not grade higher.
const LOW: &[&str] = &[
    "AUDIT_CONTROL",
    "AUDIT_READ",
    "BLOCK_SUSPEND",
    "CHECKPOINT_RESTORE",
    "LINUX_IMMUTABLE",
    "NET_BROADCAST",
    "SYS_PACCT",
    "SYS_RESOURCE",
    "SYS_TTY_CONFIG",
    "WAKE_ALARM",
];

impl Rule for CapAddDangerous {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(entries) = service.get("cap_add").and_then(Node::as_seq) else {
            return;
        };
        let has_bind_mount = !bind_mounts(service).is_empty();
        for entry in entries {
            let Some(text) = entry.as_str() else { continue };
            let cap = normalize(text);
            let Some(severity) = severity_of(&cap, has_bind_mount) else {
                continue;
            };
            cx.report_at(
                severity,
                format!("service `{}` adds capability `{cap}`", service.name),
                entry.span,
                if cap == "ALL" {
                    "every capability"
                } else {
                    "not in Docker's default set"
                },
            )
            .help("drop this capability; if the service truly needs it, suppress the finding for this service with a reason");
        }
    }
}

/// `cap_sys_admin` and `SYS_ADMIN` name the same capability.
fn normalize(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or(upper.clone(), str::to_owned)
}

fn severity_of(cap: &str, has_bind_mount: bool) -> Option<Severity> {
    if DEFAULT_SET.contains(&cap) {
        None
    } else if CRITICAL.contains(&cap) {
        Some(Severity::Critical)
    } else if HIGH.contains(&cap) || (cap == "DAC_READ_SEARCH" && has_bind_mount) {
        Some(Severity::High)
    } else if cap == "SYS_PTRACE" || cap == "DAC_READ_SEARCH" {
        Some(Severity::Medium)
    } else if LOW.contains(&cap) {
        Some(Severity::Low)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_prefix_and_case() {
        assert_eq!(normalize("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(normalize(" Net_Admin "), "NET_ADMIN");
        assert_eq!(normalize("CAP_ALL"), "ALL");
    }

    #[test]
    fn severities_follow_the_catalog() {
        assert_eq!(severity_of("SYS_ADMIN", false), Some(Severity::Critical));
        assert_eq!(severity_of("NET_ADMIN", false), Some(Severity::High));
        assert_eq!(
            severity_of("DAC_READ_SEARCH", false),
            Some(Severity::Medium)
        );
        assert_eq!(severity_of("DAC_READ_SEARCH", true), Some(Severity::High));
        assert_eq!(severity_of("NET_BIND_SERVICE", false), None);
        assert_eq!(severity_of("SYS_RESOURCE", false), Some(Severity::Low));
        assert_eq!(severity_of("NOT_A_CAP", false), None);
    }
}
