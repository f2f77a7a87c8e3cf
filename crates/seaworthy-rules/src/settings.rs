//! `seaworthy.toml`'s `[rules]` and `[[ignore]]` tables, and the same choices from the command
//! line: which rules run, at which severity, and which findings are suppressed (always with a
//! reason). Every problem in the file points at its text.

use crate::registry;
use seaworthy_source::near::near_names;
use seaworthy_source::{Diagnostic, FileId, Severity, Span};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// What the user chose.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The severity from which `check` fails (default `high`).
    pub fail_on: Option<Severity>,
    /// Per-rule severity, or `None` for `"off"`.
    pub levels: BTreeMap<String, Option<Severity>>,
    pub ignores: Vec<Ignore>,
    /// `--select`: only these rules run (all when empty).
    pub select: Vec<String>,
    /// `--ignore`: these rules do not run.
    pub skip: Vec<String>,
    /// `--host`: the machine the target runs on, for `limit-out-of-range` and
    /// `resource-budget`. Without it those rules fall back to the model's `x-seaworthy.host`.
    pub host: Option<HostProfile>,
    /// `--strict` (or `strict = true` in `[rules]`): the advisory rules judge every service,
    /// not only the ones where the risk is usual (see each rule's documentation).
    pub strict: bool,
    /// `--deploy-tree`: the files are the deployment itself, not a checkout, so file modes and
    /// files git leaves out (secret files) can be judged.
    pub deploy_tree: bool,
    /// Propose the fixes `harden` writes (what the knowledge of images costs to read is
    /// spent only then).
    pub fixes: bool,
    /// `[targets.NAME]`, sorted by name.
    pub targets: Vec<Target>,
    /// `[notify]`: what `seaworthy notify` uses when its flags and variables say nothing.
    pub notify: Option<NotifySettings>,
}

/// The `[notify]` table. Paths are as written, relative to the directory of `seaworthy.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotifySettings {
    /// `webhook-url-file`: the file holding the webhook URL (a secret, so never the URL itself).
    pub webhook_url_file: Option<String>,
    /// `kind`: the payload to send, instead of the one the URL's host suggests.
    pub kind: Option<NotifyKind>,
    /// `project`: the name notifications carry (default: the directory's name).
    pub project: Option<String>,
}

/// `kind = "slack" | "discord" | "generic"` in `[notify]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyKind {
    Slack,
    Discord,
    Generic,
}

const NOTIFY_KEYS: [&str; 3] = ["webhook-url-file", "kind", "project"];

/// The CPUs and memory of the host a target is deployed to.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HostProfile {
    pub cpus: Option<f64>,
    /// Bytes.
    pub memory: Option<f64>,
}

impl HostProfile {
    /// What the engine and the operating system keep for themselves out of `memory` bytes:
    /// the larger of 10 % and 512 MiB.
    pub fn headroom(memory: f64) -> f64 {
        (memory * 0.1).max(512.0 * 1024.0 * 1024.0)
    }

    /// The memory left to containers, in bytes.
    pub fn memory_for_containers(&self) -> Option<f64> {
        self.memory.map(|bytes| bytes - Self::headroom(bytes))
    }

    /// `cpus=8,memory=16GiB` (either part may be left out).
    pub fn parse(text: &str) -> Result<HostProfile, String> {
        let mut host = HostProfile::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not `cpus=N` or `memory=SIZE`"))?;
            match key.trim() {
                "cpus" => {
                    let cpus: f64 = value
                        .trim()
                        .parse()
                        .ok()
                        .filter(|c: &f64| *c > 0.0)
                        .ok_or_else(|| format!("`{value}` is not a number of CPUs"))?;
                    host.cpus = Some(cpus);
                }
                "memory" => {
                    let node = seaworthy_compose::Node::synthetic(seaworthy_compose::Value::Str(
                        value.trim().to_owned(),
                    ));
                    let bytes = crate::values::bytes(&node)
                        .filter(|b| *b > 0.0)
                        .ok_or_else(|| format!("`{value}` is not a memory size (like 16GiB)"))?;
                    host.memory = Some(bytes);
                }
                other => {
                    return Err(format!(
                        "unknown host property `{other}` (use cpus, memory)"
                    ));
                }
            }
        }
        Ok(host)
    }

    /// `x-seaworthy: {host: {cpus: 4, memory: 8GiB}}` at the top of a compose file.
    pub fn from_model(model: &seaworthy_compose::Node) -> Option<HostProfile> {
        let host = model.path("x-seaworthy.host")?;
        let cpus = host.get("cpus").and_then(|n| {
            n.scalar_text()
                .and_then(|t| t.trim().parse::<f64>().ok())
                .filter(|c| *c > 0.0)
        });
        let memory = host
            .get("memory")
            .and_then(crate::values::bytes)
            .filter(|b| *b > 0.0);
        (cpus.is_some() || memory.is_some()).then_some(HostProfile { cpus, memory })
    }
}

/// A `[targets.NAME]` table: one combination of files that is deployed. Paths are as
/// written, relative to the directory of `seaworthy.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub name: String,
    pub files: Vec<String>,
    pub env_files: Vec<String>,
    pub profiles: Vec<String>,
    pub project_directory: Option<String>,
    /// The machine it is deployed to (`host = { cpus = 8, memory = "16GiB" }`).
    pub host: Option<HostProfile>,
}

/// An `[[ignore]]` entry: findings of `rule` (for `service`, or every service) are suppressed.
#[derive(Clone, Debug)]
pub struct Ignore {
    pub rule: String,
    pub service: Option<String>,
    pub reason: String,
    pub span: Span,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
    #[serde(default)]
    targets: BTreeMap<String, Spanned<RawTarget>>,
    #[serde(default)]
    notify: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTarget {
    files: Vec<String>,
    #[serde(default)]
    env_files: Vec<String>,
    #[serde(default)]
    profiles: Vec<String>,
    project_directory: Option<String>,
    host: Option<Spanned<toml::Table>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    rule: Spanned<String>,
    service: Option<String>,
    reason: Option<Spanned<String>>,
}

impl Settings {
    /// Reads `seaworthy.toml` (its text was added to the source map as `file`).
    pub fn parse(text: &str, file: FileId) -> Result<Settings, Box<Diagnostic>> {
        let span = |range: std::ops::Range<usize>| Span::new(file, range.start, range.end);
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let mut diagnostic =
                Diagnostic::error("config", format!("invalid seaworthy.toml: {}", e.message()));
            if let Some(range) = e.span() {
                diagnostic = diagnostic.with_primary(span(range), "");
            }
            Box::new(diagnostic)
        })?;
        let mut settings = Settings {
            notify: raw
                .notify
                .map(|table| parse_notify(&table, &span))
                .transpose()?,
            ..Settings::default()
        };
        for (name, target) in raw.targets {
            let target_span = span(target.span());
            let target = target.into_inner();
            if target.files.is_empty() {
                return Err(Box::new(
                    Diagnostic::error("config", format!("target `{name}` names no files"))
                        .with_primary(target_span, "")
                        .with_help("list its compose files in order: `files = [\"compose.yaml\", \"compose.prod.yaml\"]`"),
                ));
            }
            let host = match target.host {
                Some(host) => {
                    let host_span = span(host.span());
                    let text = host
                        .into_inner()
                        .iter()
                        .map(|(key, value)| match value {
                            toml::Value::String(s) => format!("{key}={s}"),
                            toml::Value::Integer(n) => format!("{key}={n}"),
                            toml::Value::Float(n) => format!("{key}={n}"),
                            _ => format!("{key}=?"),
                        })
                        .collect::<Vec<_>>()
                        .join(",");
                    let parsed = HostProfile::parse(&text).map_err(|message| {
                        Box::new(
                            Diagnostic::error("config", format!("target `{name}`: {message}"))
                                .with_primary(host_span, "")
                                .with_help("write `host = { cpus = 4, memory = \"8GiB\" }`"),
                        )
                    })?;
                    Some(parsed)
                }
                None => None,
            };
            settings.targets.push(Target {
                name,
                files: target.files,
                env_files: target.env_files,
                profiles: target.profiles,
                project_directory: target.project_directory,
                host,
            });
        }
        for (key, value) in &raw.rules {
            if key.get_ref() == "strict" {
                settings.strict = value.get_ref().as_bool().ok_or_else(|| {
                    Box::new(
                        Diagnostic::error("config", "`strict` is `true` or `false`")
                            .with_primary(span(value.span()), ""),
                    )
                })?;
                continue;
            }
            let value = &text_of(value, &span)?;
            if key.get_ref() == "fail-on" {
                settings.fail_on = Some(parse_severity(value, &span)?);
                continue;
            }
            known_rule(key, &span, "[rules]")?;
            let level = match value.get_ref().as_str() {
                "off" => None,
                _ => Some(parse_severity(value, &span)?),
            };
            settings.levels.insert(key.get_ref().clone(), level);
        }
        for entry in raw.ignore {
            let entry_span = span(entry.span());
            let entry = entry.into_inner();
            known_rule(&entry.rule, &span, "[[ignore]]")?;
            let reason = entry
                .reason
                .map(Spanned::into_inner)
                .filter(|r| !r.trim().is_empty())
                .ok_or_else(|| {
                    Box::new(
                        Diagnostic::error("config", "an `[[ignore]]` entry has no reason")
                            .with_primary(entry_span, "suppressed without a reason")
                            .with_help(
                                "say why with `reason = \"...\"`: the next person needs to know",
                            ),
                    )
                })?;
            settings.ignores.push(Ignore {
                rule: entry.rule.into_inner(),
                service: entry.service,
                reason,
                span: entry_span,
            });
        }
        Ok(settings)
    }

    /// The severity a finding of `rule` gets, or `None` when the rule is off or not selected.
    pub fn level(&self, rule: &str, default: Severity) -> Option<Severity> {
        if !self.select.is_empty() && !self.select.iter().any(|r| r == rule) {
            return None;
        }
        if self.skip.iter().any(|r| r == rule) {
            return None;
        }
        match self.levels.get(rule) {
            Some(level) => *level,
            None => Some(default),
        }
    }
}

/// The `[notify]` table, every key checked: a typo must not silently send nothing.
fn parse_notify(
    table: &BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    span: &impl Fn(std::ops::Range<usize>) -> Span,
) -> Result<NotifySettings, Box<Diagnostic>> {
    let mut notify = NotifySettings::default();
    for (key, value) in table {
        let text = || match value.get_ref() {
            toml::Value::String(text) if !text.trim().is_empty() => Ok(text.clone()),
            other => Err(Box::new(
                Diagnostic::error(
                    "config",
                    format!("`{}` in [notify] is not a non-empty string", key.get_ref()),
                )
                .with_primary(span(value.span()), format!("found {}", other.type_str())),
            )),
        };
        match key.get_ref().as_str() {
            "webhook-url-file" => notify.webhook_url_file = Some(text()?),
            "project" => notify.project = Some(text()?),
            "kind" => {
                let kind = match text()?.as_str() {
                    "slack" => NotifyKind::Slack,
                    "discord" => NotifyKind::Discord,
                    "generic" => NotifyKind::Generic,
                    other => {
                        return Err(Box::new(
                            Diagnostic::error(
                                "config",
                                format!("`{other}` is not a kind of webhook"),
                            )
                            .with_primary(span(value.span()), "")
                            .with_help("use \"slack\", \"discord\" or \"generic\""),
                        ));
                    }
                };
                notify.kind = Some(kind);
            }
            other => {
                let near = near_names(other, NOTIFY_KEYS);
                let help = match near.first() {
                    Some(name) => format!("did you mean `{name}`?"),
                    None => "[notify] takes `webhook-url-file`, `kind` and `project`".to_owned(),
                };
                return Err(Box::new(
                    Diagnostic::error("config", format!("unknown key `{other}` in [notify]"))
                        .with_primary(span(key.span()), "")
                        .with_help(help),
                ));
            }
        }
    }
    Ok(notify)
}

/// A `[rules]` value other than `strict`: a severity or `"off"`, as text.
fn text_of(
    value: &Spanned<toml::Value>,
    span: &impl Fn(std::ops::Range<usize>) -> Span,
) -> Result<Spanned<String>, Box<Diagnostic>> {
    match value.get_ref() {
        toml::Value::String(text) => Ok(Spanned::new(value.span(), text.clone())),
        other => Err(Box::new(
            Diagnostic::error(
                "config",
                format!("expected a severity in quotes, found {}", other.type_str()),
            )
            .with_primary(span(value.span()), "")
            .with_help("use one of \"info\", \"low\", \"medium\", \"high\", \"critical\", \"error\" or \"off\""),
        )),
    }
}

fn parse_severity(
    value: &Spanned<String>,
    span: &impl Fn(std::ops::Range<usize>) -> Span,
) -> Result<Severity, Box<Diagnostic>> {
    severity_named(value.get_ref()).ok_or_else(|| {
        Box::new(
            Diagnostic::error("config", format!("`{}` is not a severity", value.get_ref()))
                .with_primary(span(value.span()), "")
                .with_help(
                    "use one of info, low, medium, high, critical, error (or \"off\" for a rule)",
                ),
        )
    })
}

pub fn severity_named(name: &str) -> Option<Severity> {
    Some(match name {
        "info" => Severity::Info,
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        "error" => Severity::Error,
        _ => return None,
    })
}

fn known_rule(
    name: &Spanned<String>,
    span: &impl Fn(std::ops::Range<usize>) -> Span,
    table: &str,
) -> Result<(), Box<Diagnostic>> {
    if registry::find(name.get_ref()).is_some() {
        return Ok(());
    }
    let mut diagnostic = Diagnostic::error(
        "config",
        format!("unknown rule `{}` in {table}", name.get_ref()),
    )
    .with_primary(span(name.span()), "no rule has this name");
    diagnostic.help = Some(unknown_rule_help(name.get_ref()));
    Err(Box::new(diagnostic))
}

/// `did you mean ...` with the closest rule names, or how to list them.
pub fn unknown_rule_help(name: &str) -> String {
    let near = near_rule_names(name);
    if near.is_empty() {
        "`seaworthy rules` lists every rule".to_owned()
    } else {
        format!(
            "did you mean {}?",
            near.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    }
}

/// Rule names within a small edit distance of `name`, closest first.
pub fn near_rule_names(name: &str) -> Vec<&'static str> {
    near_names(name, registry::RULES.iter().map(|r| r.meta().name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, Box<Diagnostic>> {
        Settings::parse(text, FileId(0))
    }

    #[test]
    fn rules_table_sets_fail_on_and_levels() {
        let settings = parse(
            "[rules]\nfail-on = \"medium\"\nmemory-limit = \"off\"\nno-privileged = \"high\"\n",
        )
        .unwrap();
        assert_eq!(settings.fail_on, Some(Severity::Medium));
        assert_eq!(settings.level("memory-limit", Severity::High), None);
        assert_eq!(
            settings.level("no-privileged", Severity::Critical),
            Some(Severity::High)
        );
    }

    #[test]
    fn unknown_rule_names_are_errors_with_near_matches() {
        let text = "[rules]\nmemory-limt = \"off\"\n";
        let error = parse(text).unwrap_err();
        assert_eq!(error.message, "unknown rule `memory-limt` in [rules]");
        assert_eq!(error.help.as_deref(), Some("did you mean `memory-limit`?"));
        let span = error.primary.unwrap().span;
        assert_eq!(&text[span.range()], "memory-limt");
    }

    #[test]
    fn an_ignore_needs_a_known_rule_and_a_reason() {
        let settings = parse("[[ignore]]\nrule = \"no-privileged\"\nservice = \"dind\"\nreason = \"docker in docker for CI\"\n").unwrap();
        assert_eq!(settings.ignores[0].service.as_deref(), Some("dind"));
        let error = parse("[[ignore]]\nrule = \"no-privileged\"\n").unwrap_err();
        assert_eq!(error.message, "an `[[ignore]]` entry has no reason");
        assert!(parse("[[ignore]]\nrule = \"nope\"\nreason = \"x\"\n").is_err());
    }

    #[test]
    fn bad_severities_and_unknown_tables_are_errors() {
        assert!(parse("[rules]\nfail-on = \"severe\"\n").is_err());
        assert!(parse("[rule]\n").is_err());
    }

    #[test]
    fn targets_name_their_files_env_files_profiles_and_host() {
        let settings = parse(
            "[targets.selfhosted]\nfiles = [\"docker/a.yml\", \"docker/b.yml\"]\nenv-files = [\"docker/.env.prod\"]\nprofiles = [\"ops\"]\nhost = { cpus = 8, memory = \"16GiB\" }\n\n[targets.cloud]\nfiles = [\"a.yml\"]\nproject-directory = \"docker\"\n",
        )
        .unwrap();
        let names: Vec<&str> = settings.targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["cloud", "selfhosted"]);
        let selfhosted = &settings.targets[1];
        assert_eq!(selfhosted.files, ["docker/a.yml", "docker/b.yml"]);
        assert_eq!(selfhosted.env_files, ["docker/.env.prod"]);
        assert_eq!(selfhosted.profiles, ["ops"]);
        assert_eq!(selfhosted.host.and_then(|h| h.cpus), Some(8.0));
        assert_eq!(
            settings.targets[0].project_directory.as_deref(),
            Some("docker")
        );
        assert_eq!(settings.targets[0].host, None);
        assert!(parse("[targets.x]\nfiles = []\n").is_err());
        assert!(parse("[targets.x]\nfiles = [\"a\"]\nhost = { disk = \"1T\" }\n").is_err());
        assert!(parse("[targets.x]\nfile = [\"a\"]\n").is_err());
    }

    #[test]
    fn notify_table_names_the_url_file_kind_and_project() {
        let settings = parse(
            "[notify]\nwebhook-url-file = \"secrets/webhook-url\"\nkind = \"discord\"\nproject = \"shop\"\n",
        )
        .unwrap();
        assert_eq!(
            settings.notify,
            Some(NotifySettings {
                webhook_url_file: Some("secrets/webhook-url".into()),
                kind: Some(NotifyKind::Discord),
                project: Some("shop".into()),
            })
        );
        assert_eq!(parse("").unwrap().notify, None);
        assert_eq!(
            parse("[notify]\n").unwrap().notify,
            Some(NotifySettings::default())
        );
    }

    #[test]
    fn notify_table_rejects_unknown_keys_and_bad_values_with_their_span() {
        let text = "[notify]\nwebhook-url = \"https://hooks.slack.com/x\"\n";
        let error = parse(text).unwrap_err();
        assert_eq!(error.message, "unknown key `webhook-url` in [notify]");
        assert_eq!(
            error.help.as_deref(),
            Some("did you mean `webhook-url-file`?")
        );
        assert_eq!(&text[error.primary.unwrap().span.range()], "webhook-url");
        let text = "[notify]\nkind = \"teams\"\n";
        let error = parse(text).unwrap_err();
        assert_eq!(error.message, "`teams` is not a kind of webhook");
        assert_eq!(&text[error.primary.unwrap().span.range()], "\"teams\"");
        let error = parse("[notify]\nproject = 3\n").unwrap_err();
        assert_eq!(
            error.message,
            "`project` in [notify] is not a non-empty string"
        );
        let error = parse("[notify]\ncolour = \"red\"\n").unwrap_err();
        assert_eq!(
            error.help.as_deref(),
            Some("[notify] takes `webhook-url-file`, `kind` and `project`")
        );
    }

    #[test]
    fn host_profiles_read_cpus_and_memory() {
        let host = HostProfile::parse("cpus=8,memory=16GiB").unwrap();
        assert_eq!(host.cpus, Some(8.0));
        assert_eq!(host.memory, Some(16.0 * 1024.0 * 1024.0 * 1024.0));
        assert_eq!(HostProfile::parse("memory=512m").unwrap().cpus, None);
        assert!(HostProfile::parse("cpus=many").is_err());
        assert!(HostProfile::parse("disk=1T").is_err());
        assert!(HostProfile::parse("cpus").is_err());
    }

    #[test]
    fn cli_select_and_skip_narrow_the_rules() {
        let settings = Settings {
            select: vec!["memory-limit".into()],
            ..Settings::default()
        };
        assert_eq!(settings.level("no-privileged", Severity::Critical), None);
        let settings = Settings {
            skip: vec!["memory-limit".into()],
            ..Settings::default()
        };
        assert_eq!(settings.level("memory-limit", Severity::High), None);
    }
}
