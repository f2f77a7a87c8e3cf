use crate::context::services_of;
use crate::facts::block_anchor;
use crate::facts::images::{is_log_pipeline, is_loki};
use crate::patch::{Patch, PatchValue};
use crate::values::{bytes, is_operator_supplied};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires when a service logs through the `json-file` driver (written, or by default when
    /// `logging.driver` is absent) without a positive `max-size` option. `max-file` alone has
    /// no effect and still fires. The `local` driver rotates by default, and drivers that keep
    /// no local file (`syslog`, `journald`, `fluentd`, `gelf`, `awslogs`, `loki`, ...) are
    /// exempt. A `logging` block in an overlay that names another driver replaces the base
    /// block, so only the merged block counts.
    ///
    /// ## Why it matters in production
    /// `json-file` keeps every line a container prints, forever. A chatty or crash-looping
    /// service fills `/var/lib/docker` and then the disk, and every service on the host fails
    /// with it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     logging:
    ///       driver: json-file
    ///       options:
    ///         max-size: 10m
    ///         max-file: "3"
    /// ```
    ///
    /// ## Known false positives
    /// Hosts whose `/etc/docker/daemon.json` sets `log-opts` (or another default
    /// `log-driver`): seaworthy cannot see the daemon configuration.
    ///
    /// ## What harden writes
    /// `logging.options.max-size: "10m"` and `max-file: "5"` (when no `max-file` is set), and
    /// `logging.driver: json-file` when no driver is named, so the options stay valid whatever
    /// the daemon's default driver is. When other services of the project already log with
    /// the Loki driver (so its plugin is installed), the service gets the same driver and
    /// `loki-url`, in `non-blocking` mode, with the same rotation of its local copy; Loki
    /// itself and the log pipeline (promtail, alloy...) keep json-file. Safe: only the oldest
    /// log lines go, and each container keeps at most 50 MB of them.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 7
    pub(crate) struct LogRotationMissing {
        name: "log-rotation-missing",
        code: "SW401",
        area: Logging,
        severity: Medium,
        fix: Always,
        summary: "container logs grow without bound",
    }
}

/// Why the Loki fix.
const LOKI: &str =
    "ship the logs to the project's Loki like the other services, rotating the local copy";

/// The Loki driver and push URL a service of the project already uses.
fn loki_in_use(project: &Project) -> Option<(String, String)> {
    services_of(project).iter().find_map(|service| {
        let driver = service.text("logging.driver")?;
        if !driver.contains("loki") {
            return None;
        }
        let url = service.text("logging.options.loki-url")?;
        Some((driver, url))
    })
}

/// Why the fix: one reason for the driver and both options.
const ROTATION: &str =
    "rotate the json-file log at 10 MB and keep 5 files: at most 50 MB per container";

impl Rule for LogRotationMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let logging = service.get("logging");
        let driver = service.get("logging.driver");
        if let Some(driver) = driver
            && (is_operator_supplied(driver) || driver.as_str() != Some("json-file"))
        {
            return;
        }
        let max_size = service.get("logging.options.max-size");
        if let Some(size) = max_size
            && (is_operator_supplied(size) || bytes(size).is_some_and(|b| b > 0.0))
        {
            return;
        }
        let name = service.name;
        let overlay = cx.overlay_for_fixes();
        let (message, span, label) = match (max_size, service.get("logging.options.max-file")) {
            (Some(size), _) => (
                format!("service `{name}` sets a json-file `max-size` that does not rotate"),
                size.span,
                "not a positive size",
            ),
            (None, Some(max_file)) => (
                format!(
                    "service `{name}` sets `max-file` without `max-size`, so its json-file log \
                     never rotates"
                ),
                max_file.span,
                "no effect without `max-size`",
            ),
            (None, None) => (
                format!("service `{name}` keeps json-file logs without rotation"),
                logging.map_or_else(|| service.declared_at(), block_anchor),
                "no `max-size`",
            ),
        };
        let loki = loki_in_use(cx.project);
        let finding = cx.report(message, span, label).help(format!(
            "set `logging.options.max-size` (for example `10m`) and `max-file` for `{name}` in \
             {overlay}, or use the `local` driver; ignore this if daemon.json sets log-opts"
        ));
        // Where the project already ships logs with the Loki driver, its plugin is installed:
        // the service joins them (Loki itself and the log pipeline never log into Loki).
        let image = service.text("image").unwrap_or_default();
        if driver.is_none()
            && !is_loki(&image)
            && !is_log_pipeline(&image)
            && let Some((loki_driver, url)) = loki
        {
            finding.fix_all([
                Patch::new(name, "logging.driver", PatchValue::Str(loki_driver), LOKI),
                Patch::new(name, "logging.options.loki-url", PatchValue::Str(url), LOKI),
                Patch::new(
                    name,
                    "logging.options.mode",
                    PatchValue::Str("non-blocking".to_owned()),
                    LOKI,
                ),
            ]);
        }
        // Naming the driver keeps the options valid whatever the daemon's default driver is.
        if driver.is_none() {
            finding.fix(Patch::new(
                name,
                "logging.driver",
                PatchValue::Str("json-file".to_owned()),
                ROTATION,
            ));
        }
        finding.fix(Patch::new(
            name,
            "logging.options.max-size",
            PatchValue::Str("10m".to_owned()),
            ROTATION,
        ));
        if service.get("logging.options.max-file").is_none() {
            finding.fix(Patch::new(
                name,
                "logging.options.max-file",
                PatchValue::Str("5".to_owned()),
                ROTATION,
            ));
        }
    }
}
