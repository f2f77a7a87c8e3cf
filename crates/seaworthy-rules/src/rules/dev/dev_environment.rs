use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;

/// Variables that select a framework's environment.
const MODE_KEYS: &[&str] = &[
    "NODE_ENV",
    "RAILS_ENV",
    "RACK_ENV",
    "APP_ENV",
    "FLASK_ENV",
    "ENVIRONMENT",
    "ASPNETCORE_ENVIRONMENT",
    "DOTNET_ENVIRONMENT",
    "SPRING_PROFILES_ACTIVE",
    "MIX_ENV",
    "GIN_MODE",
];

/// Variables that turn a framework's debug mode on.
const DEBUG_KEYS: &[&str] = &[
    "DEBUG",
    "APP_DEBUG",
    "FLASK_DEBUG",
    "DJANGO_DEBUG",
    "WP_DEBUG",
];

declare_rule! {
    /// ## What it checks
    /// Fires on an environment value that selects a development mode: `NODE_ENV`,
    /// `RAILS_ENV`, `RACK_ENV`, `APP_ENV`, `FLASK_ENV`, `ENVIRONMENT`,
    /// `ASPNETCORE_ENVIRONMENT`, `DOTNET_ENVIRONMENT`, `SPRING_PROFILES_ACTIVE`, `MIX_ENV` or
    /// `GIN_MODE` set to `development`, `dev`, `local` or `debug` (for Spring, one of the
    /// active profiles); `DEBUG`, `APP_DEBUG`, `FLASK_DEBUG`, `DJANGO_DEBUG` or `WP_DEBUG` set
    /// to `true`, `1`, `yes` or `on`; `XDEBUG_MODE` containing `debug`; `PYTHONDEVMODE=1`.
    /// `DEBUG=false` and `0` are quiet, as are values the operator supplies (`${NODE_ENV}`).
    /// The bare `ENV` key is not judged: ops images use it for unrelated purposes.
    ///
    /// ## Why it matters in production
    /// Development modes print stack traces and configuration to visitors, disable caches
    /// and template compilation, and sometimes enable interactive debuggers (Werkzeug's
    /// console is remote code execution).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ghcr.io/acme/web:2.0.1
    ///     environment:
    ///       NODE_ENV: development
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ghcr.io/acme/web:2.0.1
    ///     environment:
    ///       NODE_ENV: production
    /// ```
    ///
    /// ## Known false positives
    /// A staging combination checked on purpose with development settings: check the
    /// production combination instead.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet (development leftovers, no specific rule)
    pub(crate) struct DevEnvironment {
        name: "dev-environment",
        code: "SW1001",
        area: DevLeftovers,
        severity: Medium,
        fix: Never,
        summary: "environment selects a development or debug mode",
    }
}

/// Whether `key=value` selects a development or debug mode.
pub(crate) fn selects_dev_mode(key: &str, value: &str) -> bool {
    let value = value.trim().to_ascii_lowercase();
    let is_dev = |v: &str| matches!(v, "development" | "dev" | "local" | "debug");
    if key == "SPRING_PROFILES_ACTIVE" {
        return value.split(',').any(|p| is_dev(p.trim()));
    }
    if MODE_KEYS.contains(&key) {
        return is_dev(&value);
    }
    if DEBUG_KEYS.contains(&key) {
        return matches!(value.as_str(), "true" | "1" | "yes" | "on");
    }
    match key {
        "XDEBUG_MODE" => value.split(',').any(|m| m.trim() == "debug"),
        "PYTHONDEVMODE" => value == "1",
        _ => false,
    }
}

impl Rule for DevEnvironment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(environment) = service.get("environment").and_then(Node::as_map) else {
            return;
        };
        for (key, value) in environment {
            let Some(text) = value.scalar_text() else {
                continue;
            };
            if crate::values::is_operator_supplied(value) || !selects_dev_mode(key, &text) {
                continue;
            }
            let overlay = cx.overlay_for_fixes();
            cx.report(
                format!("service `{}` sets `{key}={text}`", service.name),
                value.span,
                "development mode",
            )
            .help(format!(
                "set the production value in {overlay} (`NODE_ENV=production`, `DEBUG=false`)"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_modes_and_debug_switches() {
        assert!(selects_dev_mode("NODE_ENV", "Development"));
        assert!(selects_dev_mode("SPRING_PROFILES_ACTIVE", "db,dev"));
        assert!(selects_dev_mode("DEBUG", "1"));
        assert!(selects_dev_mode("XDEBUG_MODE", "develop,debug"));
        assert!(!selects_dev_mode("DEBUG", "false"));
        assert!(!selects_dev_mode("DEBUG", "0"));
        assert!(!selects_dev_mode("NODE_ENV", "production"));
        assert!(!selects_dev_mode("XDEBUG_MODE", "off"));
        assert!(!selects_dev_mode("ENV", "dev"));
    }
}
