use crate::facts::mounts::bind_mounts;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires on a bind mount of a single configuration or credential file (`*.conf`, `*.cfg`,
    /// `*.ini`, `*.yml`, `*.yaml`, `*.json`, `*.toml`, `*.pem`, `*.crt`, `*.key`, judged by
    /// the source's extension) that is not read-only (`:ro` or `read_only: true`).
    ///
    /// ## Why it matters in production
    /// A writable config mount lets a compromised container rewrite the file on the host:
    /// change where it sends data, disable authentication, or plant a key that survives
    /// redeploys, since the host file is reused.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: nginx:1.27.2
    ///     volumes:
    ///       - ./nginx.conf:/etc/nginx/nginx.conf
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: nginx:1.27.2
    ///     volumes:
    ///       - ./nginx.conf:/etc/nginx/nginx.conf:ro
    /// ```
    ///
    /// ## Known false positives
    /// Some applications rewrite their own configuration (Home Assistant, some UIs with a
    /// settings page): suppress the finding for that service with a reason.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 8
    /// - CIS Docker Benchmark v1.6.0, 5.6
    pub(crate) struct ConfigMountWritable {
        name: "config-mount-writable",
        code: "SW804",
        area: Mounts,
        severity: Low,
        fix: Never,
        summary: "configuration file is mounted writable",
    }
}

const CONFIG_EXTENSIONS: &[&str] = &[
    "conf", "cfg", "ini", "yml", "yaml", "json", "toml", "pem", "crt", "key",
];

impl Rule for ConfigMountWritable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        for mount in bind_mounts(service) {
            if mount.read_only || !is_config_file(&mount.source) {
                continue;
            }
            cx.report(
                format!(
                    "service `{}` mounts `{}` writable",
                    service.name, mount.target
                ),
                mount.source_node.span,
                "the container can rewrite this host file",
            )
            .help("add `:ro` (or `read_only: true` in long syntax)");
        }
    }
}

fn is_config_file(source: &str) -> bool {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    name.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty() && CONFIG_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::is_config_file;

    #[test]
    fn config_files_by_extension() {
        assert!(is_config_file("/project/nginx.conf"));
        assert!(is_config_file("/project/certs/tls.KEY"));
        assert!(!is_config_file("/project/data"));
        assert!(!is_config_file("/project/.json"));
        assert!(!is_config_file("/project/app.sqlite"));
    }
}
