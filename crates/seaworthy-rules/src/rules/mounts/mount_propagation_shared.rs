use crate::facts::mounts::bind_mounts;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires on a bind mount with `bind.propagation: shared` or `rshared` (`:rshared` in short
    /// syntax). `slave` and `rslave` are reported at **info**; `private` and `rprivate` (the
    /// default) are fine.
    ///
    /// ## Why it matters in production
    /// With shared propagation, mounts the container makes under that path appear on the
    /// host (and in every other container sharing it): a container that can mount can change
    /// what the host sees. With slave propagation, host mounts reach the container, which is
    /// usually intended (a storage driver) but still widens what it sees.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   storage:
    ///     image: ghcr.io/acme/storage:1.0.0
    ///     volumes:
    ///       - /mnt/data:/data:rshared
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   storage:
    ///     image: ghcr.io/acme/storage:1.0.0
    ///     volumes:
    ///       - /mnt/data:/data
    /// ```
    ///
    /// ## Known false positives
    /// CSI and storage plugins need shared propagation: suppress the finding for that service
    /// with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.20
    pub(crate) struct MountPropagationShared {
        name: "mount-propagation-shared",
        code: "SW805",
        area: Mounts,
        severity: Low,
        fix: Never,
        summary: "bind mount propagates mounts to or from the host",
    }
}

impl Rule for MountPropagationShared {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        for mount in bind_mounts(service) {
            let Some(node) = mount.propagation else {
                continue;
            };
            let Some(mode) = node.as_str().map(str::trim) else {
                continue;
            };
            let (severity, label) = match mode {
                "shared" | "rshared" => (Severity::Low, "container mounts reach the host"),
                "slave" | "rslave" => (Severity::Info, "host mounts reach the container"),
                _ => continue,
            };
            cx.report_at(
                severity,
                format!(
                    "service `{}` mounts `{}` at `{}` with `{mode}` propagation",
                    service.name, mount.source, mount.target
                ),
                span_of(node, mount.entry),
                label,
            )
            .help("remove the propagation option unless a storage plugin needs it");
        }
    }
}

/// A short-syntax option has no text of its own: point at the entry then.
fn span_of(option: &Node, entry: &Node) -> seaworthy_source::Span {
    if option.span.is_synthetic() {
        entry.span
    } else {
        option.span
    }
}
