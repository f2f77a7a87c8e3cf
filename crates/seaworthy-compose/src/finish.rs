//! The last steps of `docker compose config` on the merged model: profiles, consistency
//! checks (undefined references, dependency cycles, conflicting settings), `env_file` and
//! `label_file` folded into `environment` and `labels`, the services named on the command line
//! with their dependencies, unused resources pruned, unique container names.

use crate::dotenv;
use crate::error::LoadError;
use crate::loader::Context;
use crate::node::{Map, Node, Value};
use crate::options::{LoadOptions, Resolved};
use seaworthy_source::{Diagnostic, Span};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

pub(crate) struct Finished {
    pub model: Node,
    pub all_profiles: Vec<String>,
    pub disabled_services: Vec<String>,
    pub problems: Vec<Diagnostic>,
}

/// The problems a project can have and still be checked as a whole (`LoadOptions::keep_going`):
/// recorded under the name of the rule that reports them, or refused as docker compose does.
struct Refusals {
    keep_going: bool,
    problems: Vec<Diagnostic>,
}

impl Refusals {
    /// `finding` is the problem in seaworthy's words (docker compose's are for `config`).
    fn refuse(&mut self, error: LoadError, rule: &str, finding: String) -> Result<(), LoadError> {
        if !self.keep_going {
            return Err(error);
        }
        let mut problem = error.to_diagnostic();
        problem.code = rule.to_owned();
        problem.message = finding;
        self.problems.push(problem);
        Ok(())
    }
}

pub(crate) fn finish(
    cx: &mut Context<'_>,
    mut dict: Node,
    resolved: &Resolved,
    options: &LoadOptions,
) -> Result<Finished, LoadError> {
    let mut services = match dict.as_map_mut().and_then(|m| m.shift_remove("services")) {
        Some(Node {
            value: Value::Map(map),
            ..
        }) => map,
        _ => Map::default(),
    };
    for (name, service) in services.iter_mut() {
        environment_to_map(name, service)?;
    }
    let all_profiles: BTreeSet<String> = services
        .values()
        .flat_map(|s| profiles_of(s).into_iter())
        .collect();

    let mut refusals = Refusals {
        keep_going: options.keep_going,
        problems: Vec::new(),
    };
    let (mut enabled, mut disabled) = split_by_profiles(services, &resolved.profiles);
    check_consistency(&enabled, &disabled, &dict, &mut refusals)?;

    if !options.services.is_empty() {
        let mut profiles = resolved.profiles.clone();
        for name in &options.services {
            if !enabled.contains_key(name)
                && let Some(service) = disabled.get(name)
            {
                profiles.extend(profiles_of(service));
            }
        }
        let mut all = enabled;
        all.extend(disabled);
        (enabled, disabled) = split_by_profiles(all, &profiles);
    }
    for service in enabled.values_mut() {
        resolve_env_files(cx, service, resolved, &mut refusals)?;
        resolve_label_files(cx, service)?;
    }
    if !options.services.is_empty() {
        enabled = select_services(enabled, &options.services, &mut disabled)?;
    }
    check_container_names(&enabled, &mut refusals)?;

    let mut model = dict;
    let disabled_services: Vec<String> = disabled.keys().cloned().collect();
    if let Some(map) = model.as_map_mut() {
        map.insert_before(1, "services".into(), Node::map(enabled, Span::SYNTHETIC));
    }
    prune_resources(&mut model);
    Ok(Finished {
        model,
        all_profiles: all_profiles.into_iter().collect(),
        disabled_services,
        problems: refusals.problems,
    })
}

fn profiles_of(service: &Node) -> Vec<String> {
    service
        .get("profiles")
        .and_then(Node::as_seq)
        .map(|items| items.iter().filter_map(Node::scalar_text).collect())
        .unwrap_or_default()
}

/// A service without profiles is always on; otherwise one of its profiles (or `*`) must be.
fn split_by_profiles(services: Map, active: &[String]) -> (Map, Map) {
    let mut enabled = Map::default();
    let mut disabled = Map::default();
    for (name, service) in services {
        let own = profiles_of(&service);
        let on = own.is_empty()
            || active
                .iter()
                .any(|p| p == "*" || own.iter().any(|o| o == p));
        if on {
            enabled.insert(name, service);
        } else {
            disabled.insert(name, service);
        }
    }
    (enabled, disabled)
}

/// `environment` as a mapping of names to strings or `null`, as compose-go binds it. List
/// entries may not have a key ending in whitespace.
fn environment_to_map(name: &str, service: &mut Node) -> Result<(), LoadError> {
    let Some(environment) = service.get_mut("environment") else {
        return Ok(());
    };
    let Value::Seq(items) = &environment.value else {
        return Ok(());
    };
    let mut map = Map::default();
    for item in items {
        let text = item.scalar_text().unwrap_or_default();
        let (key, value) = match text.split_once('=') {
            Some((k, v)) => (k.to_owned(), Value::Str(v.to_owned())),
            None => (text.clone(), Value::Null),
        };
        if key.ends_with(char::is_whitespace) {
            return Err(LoadError::at(
                format!("environment variable {key} is declared with a trailing space"),
                item.span,
            )
            .with_code("invalid-value")
            .with_help(format!("remove the space before `=` in service `{name}`")));
        }
        let mut node = item.with_value(value);
        node.key_span = item.span;
        // The value's raw text is what followed `=` (secret rules judge `${PASS:-changeme}`).
        node.raw = item
            .raw
            .as_deref()
            .and_then(|raw| raw.split_once('='))
            .map(|(_, raw_value)| raw_value.into());
        map.insert(key, node);
    }
    environment.value = Value::Map(map);
    Ok(())
}

fn resolve_env_files(
    cx: &mut Context<'_>,
    service: &mut Node,
    resolved: &Resolved,
    refusals: &mut Refusals,
) -> Result<(), LoadError> {
    let Some(map) = service.as_map_mut() else {
        return Ok(());
    };
    let env_files = match map.shift_remove("env_file") {
        Some(node) => match node.value {
            Value::Seq(items) => items,
            Value::Str(_) => vec![node],
            _ => Vec::new(),
        },
        None => return Ok(()),
    };
    let own: BTreeMap<String, Option<String>> = map
        .get("environment")
        .and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.scalar_text()))
                .collect()
        })
        .unwrap_or_default();
    let mut from_files: Map = Map::default();
    for entry in env_files {
        let (path, required, raw) = match &entry.value {
            Value::Str(p) => (p.clone(), true, false),
            Value::Map(m) => (
                m.get("path")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
                m.get("required").and_then(Node::as_bool).unwrap_or(true),
                m.get("format").and_then(Node::as_str) == Some("raw"),
            ),
            _ => continue,
        };
        let path_buf = PathBuf::from(&path);
        if !cx.fs.exists(&path_buf) {
            if required {
                refusals.refuse(
                    LoadError::at(
                        format!(
                            "env file {path} not found: stat {path}: no such file or directory"
                        ),
                        entry.span,
                    )
                    .with_code("env-file")
                    .with_help("create the file, or mark it `required: false`"),
                    "env-file-missing",
                    format!(
                        "env file `{}` does not exist",
                        path_buf
                            .strip_prefix(&resolved.working_dir)
                            .unwrap_or(&path_buf)
                            .display()
                    ),
                )?;
            }
            continue;
        }
        let text = cx.fs.read_to_string(&path_buf).map_err(|e| {
            LoadError::at(format!("failed to read {path}: {e}"), entry.span).with_code("env-file")
        })?;
        let file_id = cx.env_file_read(&path_buf, text.clone(), false);
        let lookup = |name: &str| {
            resolved
                .environment
                .get(name)
                .map(str::to_owned)
                .or_else(|| own.get(name).cloned().flatten())
                .or_else(|| from_files.get(name).and_then(Node::scalar_text))
        };
        let parsed = if raw {
            dotenv::parse_raw(&text, &lookup)
                .map_err(|e| format!("failed to parse env_file {path}: {}", e.message))
        } else {
            dotenv::parse(&text, &lookup)
                .map_err(|e| format!("failed to read {path}: {}", e.message))
        };
        let entries = parsed.map_err(|m| LoadError::at(m, entry.span).with_code("env-file"))?;
        for env in entries {
            let span = Span::new(file_id, env.range.start, env.range.end);
            let mut node = Node::new(Value::Str(env.value), span);
            node.key_span = span;
            from_files.insert(env.key, node);
        }
    }
    let environment = map
        .entry("environment".to_owned())
        .or_insert_with(|| Node::map(Map::default(), Span::SYNTHETIC));
    if let Some(own_map) = environment.as_map_mut() {
        for (key, value) in from_files {
            if !own_map.contains_key(&key) {
                own_map.insert(key, value);
            }
        }
    }
    Ok(())
}

fn resolve_label_files(cx: &mut Context<'_>, service: &mut Node) -> Result<(), LoadError> {
    let Some(map) = service.as_map_mut() else {
        return Ok(());
    };
    let Some(files) = map.shift_remove("label_file") else {
        return Ok(());
    };
    let mut labels = Map::default();
    for file in files.as_seq().unwrap_or_default() {
        let Some(path) = file.as_str() else { continue };
        let text = cx.fs.read_to_string(&PathBuf::from(path)).map_err(|e| {
            LoadError::at(format!("failed to read {path}: {e}"), file.span).with_code("label-file")
        })?;
        let lookup = |name: &str| labels.get(name).and_then(Node::scalar_text);
        let entries = dotenv::parse(&text, &lookup).map_err(|e| {
            LoadError::at(format!("failed to read {path}: {}", e.message), file.span)
        })?;
        for entry in entries {
            labels.insert(entry.key, Node::new(Value::Str(entry.value), file.span));
        }
    }
    let target = map
        .entry("labels".to_owned())
        .or_insert_with(|| Node::map(Map::default(), Span::SYNTHETIC));
    if let Value::Seq(items) = &target.value {
        let mut converted = Map::default();
        for item in items {
            let text = item.scalar_text().unwrap_or_default();
            let (k, v) = text.split_once('=').unwrap_or((&text, ""));
            converted.insert(k.to_owned(), item.with_value(Value::Str(v.to_owned())));
        }
        target.value = Value::Map(converted);
    }
    if let Some(own) = target.as_map_mut() {
        for (key, value) in labels {
            own.entry(key).or_insert(value);
        }
    }
    Ok(())
}

/// The services named on the command line and everything they depend on.
fn select_services(
    mut enabled: Map,
    names: &[String],
    disabled: &mut Map,
) -> Result<Map, LoadError> {
    let mut selected: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = names.to_vec();
    while let Some(name) = queue.pop() {
        if !selected.insert(name.clone()) {
            continue;
        }
        let Some(service) = enabled.get(&name) else {
            return Err(
                LoadError::new(format!("no such service: {name}")).with_code("unknown-service")
            );
        };
        if let Some(deps) = service.get("depends_on").and_then(Node::as_map) {
            queue.extend(deps.keys().filter(|d| enabled.contains_key(*d)).cloned());
        }
    }
    let mut kept = Map::default();
    for (name, mut service) in std::mem::take(&mut enabled) {
        if selected.contains(&name) {
            if let Some(deps) = service.get_mut("depends_on").and_then(Node::as_map_mut) {
                deps.retain(|d, _| selected.contains(d));
            }
            kept.insert(name, service);
        } else {
            disabled.insert(name, service);
        }
    }
    Ok(kept)
}

fn check_container_names(services: &Map, refusals: &mut Refusals) -> Result<(), LoadError> {
    let mut seen: BTreeMap<String, (&str, Span)> = BTreeMap::new();
    for (name, service) in services {
        let Some(container) = service.get("container_name") else {
            continue;
        };
        let Some(text) = container.as_str().filter(|s| !s.is_empty()) else {
            continue;
        };
        if let Some((other, first)) = seen.get(text) {
            let error = LoadError::at(
                format!("services.{name}: container name \"{text}\" is already in use by service {other}"),
                container.span,
            )
            .with_code("container-name-conflict")
            .with_secondary(*first, format!("`{other}` takes the name here"))
            .with_help("container names must be unique: remove `container_name` from one service");
            refusals.refuse(
                error,
                "container-name-scaled",
                format!("services `{other}` and `{name}` both take the container name `{text}`"),
            )?;
            continue;
        }
        seen.insert(text.to_owned(), (name, container.span));
    }
    Ok(())
}

/// compose-go's `checkConsistency` on the services that profiles left enabled.
fn check_consistency(
    enabled: &Map,
    disabled: &Map,
    dict: &Node,
    refusals: &mut Refusals,
) -> Result<(), LoadError> {
    let top = |kind: &str| dict.get(kind).and_then(Node::as_map);
    let defined = |kind: &str, name: &str| top(kind).is_some_and(|m| m.contains_key(name));
    let invalid = |message: String, span: Span| {
        Err(
            LoadError::at(format!("{message}: invalid compose project"), span)
                .with_code("undefined-reference"),
        )
    };
    for (name, service) in enabled {
        let field = |key: &str| service.get(key);
        if field("build").is_none()
            && field("image")
                .and_then(Node::as_str)
                .is_none_or(str::is_empty)
            && field("provider").is_none()
        {
            return invalid(
                format!("service \"{name}\" has neither an image nor a build context specified"),
                service.key_span,
            )
            .map_err(|e: LoadError| {
                let near = seaworthy_source::near::near_names(name, enabled.keys().map(String::as_str));
                e.with_help(match near.first() {
                    Some(near) => format!(
                        "did you mean `{near}`? A file that misspells a service's name adds a new service; otherwise add `image:` or `build:` to it"
                    ),
                    None => "add `image:` or `build:` to the service".to_owned(),
                })
            });
        }
        let non_empty = |node: &Node, key: &str| {
            node.get(key)
                .and_then(Node::as_str)
                .is_some_and(|s| !s.is_empty())
        };
        if let Some(build) = field("build")
            && non_empty(build, "dockerfile_inline")
            && non_empty(build, "dockerfile")
        {
            return invalid(
                format!(
                    "service \"{name}\" declares mutualy exclusive dockerfile and dockerfile_inline"
                ),
                build.span,
            );
        }
        let networks = field("networks").and_then(Node::as_map);
        if let Some(mode) = field("network_mode").and_then(Node::as_str)
            && !mode.is_empty()
            && networks.is_some_and(|n| !n.is_empty())
        {
            return invalid(
                format!("service {name} declares mutually exclusive `network_mode` and `networks`"),
                field("network_mode").map_or(service.key_span, |n| n.span),
            );
        }
        for (network, node) in networks.into_iter().flatten() {
            if !defined("networks", network) {
                return invalid(
                    format!("service \"{name}\" refers to undefined network {network}"),
                    node.key_span,
                );
            }
        }
        if let Some(test) = field("healthcheck").and_then(|h| h.get("test"))
            && let Some(first) = match &test.value {
                Value::Seq(items) => items.first().and_then(Node::scalar_text),
                _ => None,
            }
            && !matches!(first.as_str(), "CMD" | "CMD-SHELL" | "NONE")
        {
            return Err(LoadError::at(
                "healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"",
                test.span,
            )
            .with_code("invalid-value"));
        }
        for (dependency, config) in field("depends_on")
            .and_then(Node::as_map)
            .into_iter()
            .flatten()
        {
            if enabled.contains_key(dependency) {
                continue;
            }
            let required = config
                .get("required")
                .and_then(Node::as_bool)
                .unwrap_or(true);
            if disabled.contains_key(dependency) {
                if required {
                    refusals.refuse(
                        LoadError::at(
                            format!(
                                "service \"{name}\" depends on undefined service \"{dependency}\": invalid compose project"
                            ),
                            config.key_span,
                        )
                        .with_code("undefined-reference")
                        .with_help(format!(
                            "`{dependency}` is left out by its profiles: activate one of them, or mark the dependency `required: false`"
                        )),
                        "depends-on-inactive-profile",
                        format!("service `{name}` requires `{dependency}`, which its profiles leave out"),
                    )?;
                }
                continue;
            }
            return invalid(
                format!("service \"{name}\" depends on undefined service \"{dependency}\""),
                config.key_span,
            );
        }
        if let Some(shared) = field("network_mode")
            .and_then(Node::as_str)
            .and_then(|m| m.strip_prefix("service:"))
            && !enabled.contains_key(shared)
        {
            return Err(LoadError::at(
                format!("service \"{shared}\" not found for network_mode 'service:{shared}'"),
                field("network_mode").map_or(service.key_span, |n| n.span),
            )
            .with_code("undefined-reference"));
        }
        for volume in field("volumes").and_then(Node::as_seq).unwrap_or_default() {
            if volume.get("type").and_then(Node::as_str) == Some("volume")
                && let Some(source) = volume.get("source").and_then(Node::as_str)
                && !source.is_empty()
                && !defined("volumes", source)
            {
                return invalid(
                    format!("service \"{name}\" refers to undefined volume {source}"),
                    volume.span,
                );
            }
        }
        let references = [
            ("build.secrets", "secrets", "build secret"),
            ("configs", "configs", "config"),
            ("secrets", "secrets", "secret"),
        ];
        for (path, kind, label) in references {
            for item in service
                .path(path)
                .and_then(Node::as_seq)
                .unwrap_or_default()
            {
                let source = mount_source(item);
                if !defined(kind, &source) {
                    return invalid(
                        format!("service \"{name}\" refers to undefined {label} {source}"),
                        item.span,
                    );
                }
            }
        }
        for (model, node) in field("models").and_then(Node::as_map).into_iter().flatten() {
            if !defined("models", model) {
                return invalid(
                    format!("service \"{name}\" refers to undefined model {model}"),
                    node.key_span,
                );
            }
        }
        check_mount_targets(name, service)?;
        check_scale(name, service, refusals)?;
        check_legacy_resources(name, service)?;
    }
    for (name, secret) in top("secrets").into_iter().flatten() {
        if secret.get("external").and_then(Node::as_bool) == Some(true) {
            continue;
        }
        let has = |k: &str| {
            secret
                .get(k)
                .and_then(Node::as_str)
                .is_some_and(|s| !s.is_empty())
        };
        if !has("file") && !has("environment") {
            return invalid(
                format!("secret \"{name}\" must declare either `file` or `environment`"),
                secret.key_span,
            );
        }
    }
    check_cycles(enabled)
}

/// compose-go's check that the legacy resource keys (`cpus`, `mem_limit`, `mem_reservation`,
/// `pids_limit`) agree with `deploy.resources`. As in compose-go, a set legacy key is compared
/// as soon as the `limits` (or `reservations`) block exists, even when that block leaves the
/// value out: `mem_limit: 1g` beside `limits: {cpus: "1"}` is refused.
fn check_legacy_resources(name: &str, service: &Node) -> Result<(), LoadError> {
    let Some(resources) = service.path("deploy.resources") else {
        return Ok(());
    };
    let block = |key: &str| resources.get(key).filter(|b| b.as_map().is_some());
    let cpus = |node: &Node| -> Option<f32> {
        let value = match &node.value {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            Value::Str(s) => crate::printer::go::parse_go_float(s)?,
            _ => return None,
        };
        Some(value as f32)
    };
    let bytes = |node: &Node| match &node.value {
        Value::Int(i) => Some(*i),
        Value::Str(s) => crate::printer::go::ram_in_bytes(s).ok(),
        _ => None,
    };
    let int = |node: &Node| match node.value {
        Value::Int(i) => Some(i),
        _ => None,
    };
    type Reader<'a> = &'a dyn Fn(&Node) -> Option<f64>;
    let as_cpus = |n: &Node| cpus(n).map(f64::from);
    let as_bytes = |n: &Node| bytes(n).map(|b| b as f64);
    let as_int = |n: &Node| int(n).map(|i| i as f64);
    let pairs: [(&str, &str, &str, Reader<'_>); 4] = [
        ("cpus", "limits", "cpus", &as_cpus),
        ("mem_limit", "limits", "memory", &as_bytes),
        ("mem_reservation", "reservations", "memory", &as_bytes),
        ("pids_limit", "limits", "pids", &as_int),
    ];
    for (legacy, block_name, key, read) in pairs {
        let Some(node) = service.get(legacy) else {
            continue;
        };
        let Some(value) = read(node).filter(|v| *v != 0.0) else {
            continue;
        };
        let Some(block) = block(block_name) else {
            continue;
        };
        let deployed = block.get(key);
        if deployed.and_then(read).unwrap_or(0.0) == value {
            continue;
        }
        let mut error = LoadError::at(
            format!(
                "services.{name}: can't set distinct values on '{legacy}' and 'deploy.resources.{block_name}.{key}': invalid compose project"
            ),
            node.span,
        )
        .with_code("invalid-value")
        .with_help(format!(
            "keep one of them: `deploy.resources.{block_name}.{key}` is the current form"
        ));
        if let Some(deployed) = deployed {
            error = error.with_secondary(deployed.span, "differs from this");
        }
        return Err(error);
    }
    Ok(())
}

/// compose-go's checks on `scale` and `deploy.replicas`: they agree, are not negative, and a
/// service with a fixed `container_name` runs once.
fn check_scale(name: &str, service: &Node, refusals: &mut Refusals) -> Result<(), LoadError> {
    let int = |node: &Node| match node.value {
        Value::Int(i) => Some(i),
        _ => None,
    };
    let scale = service.get("scale");
    let replicas = service.path("deploy.replicas");
    let invalid =
        |message: String, span: Span| Err(LoadError::at(message, span).with_code("invalid-value"));
    if let (Some(scale), Some(replicas)) = (scale, replicas)
        && int(scale) != int(replicas)
    {
        return invalid(
            format!(
                "services.{name}: can't set distinct values on 'scale' and 'deploy.replicas': invalid compose project"
            ),
            replicas.span,
        );
    }
    if let Some(scale) = scale
        && int(scale).is_some_and(|s| s < 0)
    {
        return invalid(
            format!("services.{name}.scale: must be greater than or equal to 0"),
            scale.span,
        );
    }
    if let Some(replicas) = replicas
        && int(replicas).is_some_and(|r| r < 0)
    {
        return invalid(
            format!("services.{name}.deploy.replicas: must be greater than or equal to 0"),
            replicas.span,
        );
    }
    let (attribute, count) = match (scale, replicas) {
        (Some(scale), _) => ("scale", scale),
        (None, Some(replicas)) => ("deploy.replicas", replicas),
        (None, None) => return Ok(()),
    };
    let container_name = service
        .get("container_name")
        .and_then(Node::as_str)
        .filter(|c| !c.is_empty());
    if int(count).is_some_and(|c| c > 1) && container_name.is_some() {
        // docker compose's text, whose arguments compose-go swaps
        return refusals.refuse(LoadError::at(
            format!(
                "services.{attribute}: can't set container_name and {name} as container name must be unique: invalid compose project"
            ),
            count.span,
        )
        .with_code("invalid-value")
        .with_help(format!(
            "service `{name}` runs {} containers that cannot share one `container_name`: remove `container_name` or run one replica",
            count.scalar_text().unwrap_or_default()
        )), "container-name-scaled", format!(
            "service `{name}` runs {} replicas under one `container_name`",
            count.scalar_text().unwrap_or_default()
        ));
    }
    Ok(())
}

/// The secret or config a service's `secrets:`/`configs:` entry names, in either syntax.
fn mount_source(item: &Node) -> String {
    match &item.value {
        Value::Str(s) => s.clone(),
        _ => item
            .get("source")
            .and_then(Node::scalar_text)
            .unwrap_or_default(),
    }
}

fn check_mount_targets(name: &str, service: &Node) -> Result<(), LoadError> {
    let mut mounts: BTreeMap<String, String> = BTreeMap::new();
    for (i, tmpfs) in service
        .get("tmpfs")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let location = format!("services.{name}.tmpfs[{i}]");
        let text = tmpfs.scalar_text().unwrap_or_default();
        let path = text.split(':').next().unwrap_or_default().to_owned();
        if let Some(previous) = mounts.get(&path) {
            return Err(LoadError::at(
                format!("{location}: target {path} already mounted as {previous}"),
                tmpfs.span,
            ));
        }
        mounts.insert(path, location);
    }
    for (i, volume) in service
        .get("volumes")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let location = format!("services.{name}.volumes[{i}]");
        let target = volume
            .get("target")
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        if let Some(previous) = mounts.get(&target) {
            return Err(LoadError::at(
                format!("{location}: target {target} already mounted as {previous}"),
                volume.span,
            )
            .with_code("invalid-value"));
        }
        mounts.insert(target, location);
    }
    Ok(())
}

/// `depends_on` must not loop (`dependency cycle detected: a -> b -> a`).
fn check_cycles(services: &Map) -> Result<(), LoadError> {
    let deps = |name: &str| -> Vec<String> {
        services
            .get(name)
            .and_then(|s| s.get("depends_on"))
            .and_then(Node::as_map)
            .map(|m| {
                m.keys()
                    .filter(|d| services.contains_key(*d))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    // Iterative depth-first search with colours, so deep chains cannot overflow the stack.
    let mut state: BTreeMap<String, u8> = BTreeMap::new();
    for start in services.keys() {
        if state.contains_key(start) {
            continue;
        }
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), deps(start))];
        state.insert(start.clone(), 1);
        while let Some((node, children)) = stack.last_mut() {
            let Some(child) = children.pop() else {
                state.insert(node.clone(), 2);
                stack.pop();
                continue;
            };
            match state.get(&child) {
                Some(1) => {
                    let at = stack.iter().position(|(n, _)| *n == child).unwrap_or(0);
                    let mut cycle: Vec<String> =
                        stack[at..].iter().map(|(n, _)| n.clone()).collect();
                    cycle.push(child.clone());
                    let span = services.get(&child).map_or(Span::SYNTHETIC, |s| s.key_span);
                    return Err(LoadError::at(
                        format!("dependency cycle detected: {}", cycle.join(" -> ")),
                        span,
                    )
                    .with_code("dependency-cycle"));
                }
                Some(_) => {}
                None => {
                    state.insert(child.clone(), 1);
                    let grandchildren = deps(&child);
                    stack.push((child, grandchildren));
                }
            }
        }
    }
    Ok(())
}

/// `config` prints only the networks, volumes, secrets, configs and models that an enabled
/// service uses.
fn prune_resources(model: &mut Node) {
    let mut used: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    if let Some(services) = model.get("services").and_then(Node::as_map) {
        for service in services.values() {
            for network in service
                .get("networks")
                .and_then(Node::as_map)
                .into_iter()
                .flatten()
            {
                used.entry("networks")
                    .or_default()
                    .insert(network.0.clone());
            }
            for volume in service
                .get("volumes")
                .and_then(Node::as_seq)
                .unwrap_or_default()
            {
                if volume.get("type").and_then(Node::as_str) == Some("volume")
                    && let Some(source) = volume.get("source").and_then(Node::as_str)
                    && !source.is_empty()
                {
                    used.entry("volumes").or_default().insert(source.to_owned());
                }
            }
            for (path, kind) in [
                ("secrets", "secrets"),
                ("build.secrets", "secrets"),
                ("configs", "configs"),
            ] {
                for item in service
                    .path(path)
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                {
                    used.entry(kind).or_default().insert(mount_source(item));
                }
            }
            for model_name in service
                .get("models")
                .and_then(Node::as_map)
                .into_iter()
                .flatten()
            {
                used.entry("models")
                    .or_default()
                    .insert(model_name.0.clone());
            }
        }
    }
    let Some(map) = model.as_map_mut() else {
        return;
    };
    for kind in ["networks", "volumes", "secrets", "configs", "models"] {
        let keep = used.get(kind);
        if let Some(resources) = map.get_mut(kind).and_then(Node::as_map_mut) {
            resources.retain(|name, _| keep.is_some_and(|k| k.contains(name)));
        }
        if map
            .get(kind)
            .is_some_and(|r| r.as_map().is_none_or(Map::is_empty))
        {
            map.shift_remove(kind);
        }
    }
}
