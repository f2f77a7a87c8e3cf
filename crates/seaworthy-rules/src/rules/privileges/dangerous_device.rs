use crate::facts::mounts::normalize;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires when a `devices` entry maps a host block or raw-memory device (the source,
    /// normalized: `//dev/./sda` is `/dev/sda`): `/dev/sd*`, `nvme*`, `vd*`, `xvd*`,
    /// `mmcblk*`, `md*`, `dm-*`, `loop*`, `rbd*`, anything under `/dev/mapper/` or
    /// `/dev/disk/`, and `/dev/mem`, `/dev/kmem`, `/dev/port`, `/dev/kmsg`, `/dev/zfs`. Other
    /// devices (`/dev/dri`, `/dev/ttyUSB0`, `/dev/net/tun`, `/dev/fuse`) are reported at
    /// **info** as a mapped device.
    ///
    /// ## Why it matters in production
    /// Raw access to a host disk bypasses every file permission: the container can read the
    /// host's `/etc/shadow` or write a new root file system. `/dev/mem` and `/dev/kmem` are
    /// the host's memory.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   tool:
    ///     image: ghcr.io/acme/tool:1.0.0
    ///     devices:
    ///       - /dev/sda:/dev/sda
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   tool:
    ///     image: ghcr.io/acme/tool:1.0.0
    ///     volumes:
    ///       - tool-data:/data
    /// volumes:
    ///   tool-data:
    /// ```
    ///
    /// ## Known false positives
    /// GPU and serial passthrough are legitimate, which is why non-block devices are only
    /// info. Disk tools (smartctl exporters) need block devices: suppress with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.18
    pub(crate) struct DangerousDevice {
        name: "dangerous-device",
        code: "SW715",
        area: Privileges,
        severity: Critical,
        fix: Never,
        summary: "service maps a host block or memory device",
    }
}

impl Rule for DangerousDevice {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let entries = service.get("devices").and_then(Node::as_seq).unwrap_or(&[]);
        for entry in entries {
            let Some(source) = entry.get("source").and_then(Node::as_str) else {
                continue;
            };
            // CDI names (`nvidia.com/gpu=all`) are not host paths.
            if !source.starts_with('/') {
                continue;
            }
            let source = normalize(source);
            let (severity, message, label) = if is_block_or_memory(&source) {
                (
                    Severity::Critical,
                    format!("service `{}` maps host device `{source}`", service.name),
                    "raw access to host storage or memory",
                )
            } else {
                (
                    Severity::Info,
                    format!("service `{}` maps host device `{source}`", service.name),
                    "device mapped",
                )
            };
            let span = entry.get("source").map_or(entry.span, |n| n.span);
            cx.report_at(severity, message, span, label).help(
                "map only the device the service needs; for storage, mount a directory or a named volume instead of the disk",
            );
        }
    }
}

fn is_block_or_memory(source: &str) -> bool {
    let Some(device) = source.strip_prefix("/dev/") else {
        return false;
    };
    if device.starts_with("mapper/") || device.starts_with("disk/") {
        return true;
    }
    if ["mem", "kmem", "port", "kmsg", "zfs"].contains(&device) {
        return true;
    }
    let prefixes = [
        "sd", "nvme", "vd", "xvd", "mmcblk", "md", "dm-", "loop", "rbd",
    ];
    !device.contains('/') && prefixes.iter().any(|p| device.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::is_block_or_memory;

    #[test]
    fn block_devices_and_memory() {
        for dev in [
            "/dev/sda",
            "/dev/nvme0n1",
            "/dev/xvdb",
            "/dev/mapper/vg-root",
            "/dev/disk/by-id/x",
            "/dev/mem",
            "/dev/loop0",
        ] {
            assert!(is_block_or_memory(dev), "{dev}");
        }
        for dev in [
            "/dev/dri",
            "/dev/ttyUSB0",
            "/dev/net/tun",
            "/dev/fuse",
            "/dev/snd",
        ] {
            assert!(!is_block_or_memory(dev), "{dev}");
        }
    }
}
