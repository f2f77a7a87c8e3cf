use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;

declare_rule! {
    /// ## What it checks
    /// Fires on every `sysctls` key of a service with `network_mode: host` (a `net.*` key then
    /// changes the host's own network stack), and on keys that are not namespaced at all
    /// (anything other than `net.*`, `kernel.shm*`, `kernel.msg*`, `kernel.sem` and
    /// `fs.mqueue.*`), which Docker refuses at start.
    ///
    /// ## Why it matters in production
    /// Kernel parameters of the host are shared by every container and the host itself:
    /// setting them from one service changes everyone's behaviour, or fails `up`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: ghcr.io/acme/proxy:1.0.0
    ///     network_mode: host
    ///     sysctls:
    ///       net.core.somaxconn: 4096
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: ghcr.io/acme/proxy:1.0.0
    ///     sysctls:
    ///       net.core.somaxconn: 4096
    /// ```
    ///
    /// ## Known false positives
    /// None known: host-wide settings belong in the host's `/etc/sysctl.d`.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.10
    pub(crate) struct SysctlsHost {
        name: "sysctls-host",
        code: "SW716",
        area: Privileges,
        severity: High,
        fix: Never,
        summary: "service sets kernel parameters of the host",
    }
}

impl Rule for SysctlsHost {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let host_network = service.text("network_mode").as_deref().map(str::trim) == Some("host");
        for (key, value) in entries(service) {
            let reason = if !is_namespaced(key) {
                "is not namespaced: Docker refuses it"
            } else if host_network {
                "changes the host with `network_mode: host`"
            } else {
                continue;
            };
            let span = if value.key_span.is_synthetic() {
                value.span
            } else {
                value.key_span
            };
            cx.report(
                format!(
                    "service `{}` sets sysctl `{key}`, which {reason}",
                    service.name
                ),
                span,
                "host kernel parameter",
            )
            .help("set host-wide kernel parameters in the host's `/etc/sysctl.d`, not in compose");
        }
    }
}

/// The keys and their nodes, in the map form or the `key=value` list form.
fn entries<'a>(service: &Service<'a>) -> Vec<(&'a str, &'a Node)> {
    let Some(sysctls) = service.get("sysctls") else {
        return Vec::new();
    };
    if let Some(map) = sysctls.as_map() {
        return map.iter().map(|(k, v)| (k.as_str(), v)).collect();
    }
    sysctls
        .as_seq()
        .unwrap_or(&[])
        .iter()
        .filter_map(|item| {
            let text = item.as_str()?;
            let key = text.split_once('=').map_or(text, |(k, _)| k).trim();
            Some((key, item))
        })
        .collect()
}

fn is_namespaced(key: &str) -> bool {
    key.starts_with("net.")
        || key.starts_with("kernel.shm")
        || key.starts_with("kernel.msg")
        || key == "kernel.sem"
        || key.starts_with("fs.mqueue.")
}
