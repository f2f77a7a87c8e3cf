use crate::facts::command::{command_nodes, split};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::{Node, Value};
use seaworthy_source::{Severity, Span};

declare_rule! {
    /// ## What it checks
    /// Fires when a log level is set to `debug`, `trace`, `verbose` or `all` (any case): an
    /// environment variable named `*LOG_LEVEL`, `LOGLEVEL` or `LOG_LVL` (`LOG_LEVEL`,
    /// `APP_LOG_LEVEL`, `REDIS_LOGLEVEL`), a global `RUST_LOG` level (`RUST_LOG=debug`), or
    /// `--log-level`/`--loglevel` in `command` or `entrypoint` (`--log-level debug`,
    /// `--loglevel=trace`). `RUST_LOG` that raises only some modules
    /// (`RUST_LOG=info,my_crate=debug`) is reported at info. Values the operator supplies
    /// (`${LOG_LEVEL}`) are quiet.
    ///
    /// ## Why it matters in production
    /// Debug logs multiply log volume (disk, shipping and storage costs, slower requests on
    /// blocking log drivers) and routinely include request bodies, headers, SQL parameters
    /// and tokens, which then live in every log store they reach.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     environment:
    ///       LOG_LEVEL: debug
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     environment:
    ///       LOG_LEVEL: info
    /// ```
    ///
    /// ## Known false positives
    /// A short-lived debugging session on production on purpose: accept it with a reason
    /// and remove it afterwards. Per-module `RUST_LOG` directives are often deliberate,
    /// hence info for them.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 10 (the daemon-level analogue)
    pub(crate) struct DebugLogLevel {
        name: "debug-log-level",
        code: "SW1002",
        area: DevLeftovers,
        severity: Low,
        fix: Never,
        summary: "service logs at debug or trace level",
    }
}

/// Levels that log everything a developer wants to see.
fn is_debug_level(level: &str) -> bool {
    matches!(
        level.trim().to_ascii_lowercase().as_str(),
        "debug" | "trace" | "verbose" | "all"
    )
}

fn is_log_level_key(key: &str) -> bool {
    let key = key.to_ascii_uppercase();
    key.ends_with("LOG_LEVEL") || key.ends_with("LOGLEVEL") || key.ends_with("LOG_LVL")
}

/// How verbose a `RUST_LOG` filter is.
#[derive(Debug, PartialEq, Eq)]
enum RustLog {
    /// The default level is debug or trace.
    Global,
    /// Only some targets log at debug or trace (`info,my_crate=debug`, or a bare target
    /// name, which enables all its levels).
    Modules,
    Quiet,
}

fn rust_log(filter: &str) -> RustLog {
    let mut verbose = RustLog::Quiet;
    for directive in filter.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        match directive.rsplit_once('=') {
            Some((_, level)) if is_debug_level(level) => verbose = RustLog::Modules,
            Some(_) => {}
            None if is_debug_level(directive) => return RustLog::Global,
            None if is_level(directive) => {}
            None => verbose = RustLog::Modules,
        }
    }
    verbose
}

fn is_level(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "off" | "error" | "warn" | "info" | "debug" | "trace"
    )
}

/// The words of `command`/`entrypoint` with the span of the item each came from.
fn spanned_words(node: &Node) -> Vec<(String, Span)> {
    let items = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![node],
    };
    items
        .into_iter()
        .filter_map(|item| Some((item.scalar_text()?, item.span)))
        .flat_map(|(text, span)| split(&text).into_iter().map(move |w| (w, span)))
        .collect()
}

/// `--log-level debug` or `--loglevel=trace`: the level and where it was written.
fn flag_levels(words: &[(String, Span)]) -> Vec<(String, Span)> {
    let mut found = Vec::new();
    for (index, (word, span)) in words.iter().enumerate() {
        for flag in ["--log-level", "--loglevel"] {
            if word == flag
                && let Some((level, level_span)) = words.get(index + 1)
            {
                found.push((format!("{flag} {level}"), *level_span));
            } else if let Some(level) = word.strip_prefix(flag).and_then(|w| w.strip_prefix('=')) {
                found.push((format!("{flag}={level}"), *span));
            }
        }
    }
    found
        .into_iter()
        .filter(|(setting, _)| {
            setting
                .rsplit([' ', '='])
                .next()
                .is_some_and(is_debug_level)
        })
        .collect()
}

impl Rule for DebugLogLevel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let overlay = cx.overlay_for_fixes();
        let help = format!(
            "log at `info` or `warn` in production: set the level in {overlay}, or leave it to a variable the operator sets (`${{LOG_LEVEL}}`)"
        );
        let mut found: Vec<(Severity, String, Span)> = Vec::new();
        if let Some(environment) = service.get("environment").and_then(Node::as_map) {
            for (key, value) in environment {
                let Some(text) = value.scalar_text() else {
                    continue;
                };
                if crate::values::is_operator_supplied(value) {
                    continue;
                }
                let severity = if key == "RUST_LOG" {
                    match rust_log(&text) {
                        RustLog::Global => Severity::Low,
                        RustLog::Modules => Severity::Info,
                        RustLog::Quiet => continue,
                    }
                } else if is_log_level_key(key) && is_debug_level(&text) {
                    Severity::Low
                } else {
                    continue;
                };
                found.push((severity, format!("`{key}={text}`"), value.span));
            }
        }
        for (_, node) in command_nodes(service) {
            for (setting, span) in flag_levels(&spanned_words(node)) {
                found.push((Severity::Low, format!("`{setting}`"), span));
            }
        }
        for (severity, setting, span) in found {
            let label = if severity == Severity::Info {
                "debug logging for some modules"
            } else {
                "debug logging"
            };
            cx.report_at(
                severity,
                format!("service `{}` sets {setting}", service.name),
                span,
                label,
            )
            .help(help.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_tells_global_from_per_module_levels() {
        assert_eq!(rust_log("debug"), RustLog::Global);
        assert_eq!(rust_log("TRACE"), RustLog::Global);
        assert_eq!(rust_log("info,my_crate=debug"), RustLog::Modules);
        assert_eq!(rust_log("my_crate"), RustLog::Modules);
        assert_eq!(rust_log("warn,hyper=info"), RustLog::Quiet);
        assert_eq!(rust_log("info"), RustLog::Quiet);
        assert_eq!(rust_log(""), RustLog::Quiet);
        assert_eq!(rust_log("my_crate=debug,trace"), RustLog::Global);
    }

    #[test]
    fn log_level_keys() {
        assert!(is_log_level_key("LOG_LEVEL"));
        assert!(is_log_level_key("app_log_level"));
        assert!(is_log_level_key("REDIS_LOGLEVEL"));
        assert!(is_log_level_key("LOG_LVL"));
        assert!(!is_log_level_key("LOG_LEVEL_FILE"));
        assert!(!is_log_level_key("LOGGING"));
    }

    #[test]
    fn flags_in_one_word_or_two() {
        let words = |s: &str| {
            split(s)
                .into_iter()
                .map(|w| (w, Span::SYNTHETIC))
                .collect::<Vec<_>>()
        };
        let settings = |s: &str| {
            flag_levels(&words(s))
                .into_iter()
                .map(|(setting, _)| setting)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            settings("uvicorn app:app --log-level debug"),
            vec!["--log-level debug"]
        );
        assert_eq!(
            settings("redis-server --loglevel=verbose"),
            vec!["--loglevel=verbose"]
        );
        assert!(settings("gunicorn --log-level info app").is_empty());
        assert!(settings("app --log-level").is_empty());
    }
}
