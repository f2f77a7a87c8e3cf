//! The canonical form of the compose dict: every short syntax rewritten to its long form
//! (compose-go's `transform.Canonical`, run after each file is merged), and the defaults of
//! the long forms filled in once all files are merged (`transform.SetDefaultValues`).
//!
//! Rewritten nodes keep the provenance of the text they came from: `ports: ["8080:80"]`
//! becomes a mapping whose `published` and `target` both point at `"8080:80"`. Defaults that
//! no text set (`required: true` of a `depends_on` entry) are synthetic.

mod defaults;
mod port_spec;
mod volume_spec;

use crate::node::{Map, Node, Value};
use seaworthy_source::Span;

pub use defaults::set_defaults;
pub use port_spec::{PortSpec, parse_port_spec};
pub use volume_spec::{BindOptions, VolumeOptions, VolumeSpec, parse_volume_spec};

/// A value that has no long form, with docker compose's message.
#[derive(Clone, Debug, PartialEq)]
pub struct TransformError {
    pub path: String,
    pub message: String,
    pub span: Span,
}

impl TransformError {
    fn new(path: &str, message: String, node: &Node) -> Self {
        TransformError {
            path: path.to_owned(),
            message,
            span: node.span,
        }
    }

    fn invalid_type(path: &str, node: &Node, what: &str) -> Self {
        let message = format!(
            "{path}: invalid type {} for {what}",
            node.value.go_type_name()
        );
        TransformError::new(path, message, node)
    }
}

/// Something compose accepts but asks the user to change (deprecated `external.name`).
#[derive(Clone, Debug, PartialEq)]
pub struct TransformWarning {
    pub message: String,
    pub span: Span,
}

/// Rewrites every short syntax of `project` to its long form. With `ignore_parse_errors`
/// (compose's `--no-interpolate`, where `${PORT}:80` cannot be parsed yet) an unparsable port
/// or volume spec is left as written.
pub fn canonical(
    project: &mut Node,
    ignore_parse_errors: bool,
) -> Result<Vec<TransformWarning>, TransformError> {
    let mut cx = Canonical {
        ignore_parse_errors,
        warnings: Vec::new(),
    };
    let Some(top) = project.as_map_mut() else {
        return Ok(Vec::new());
    };
    for (key, node) in top.iter_mut() {
        match key.as_str() {
            "services" => {
                for (name, service) in entries_mut(node) {
                    cx.service(&format!("services.{name}"), service)?;
                }
            }
            "volumes" | "networks" | "secrets" | "configs" => {
                for (name, resource) in entries_mut(node) {
                    cx.maybe_external(&format!("{key}.{name}"), resource)?;
                }
            }
            "include" => {
                for item in items_mut(node) {
                    include_item(item)?;
                }
            }
            _ => {}
        }
    }
    Ok(cx.warnings)
}

struct Canonical {
    ignore_parse_errors: bool,
    warnings: Vec<TransformWarning>,
}

impl Canonical {
    fn service(&mut self, path: &str, service: &mut Node) -> Result<(), TransformError> {
        let Some(fields) = service.as_map_mut() else {
            return Ok(());
        };
        for (key, node) in fields.iter_mut() {
            let path = format!("{path}.{key}");
            match key.as_str() {
                "build" => build(&path, node)?,
                "depends_on" => depends_on(&path, node)?,
                "env_file" => env_file(&path, node)?,
                "label_file" | "dns" => string_to_list(node),
                "extends" => extends(&path, node)?,
                "gpus" => gpus(&path, node)?,
                "networks" | "models" => list_to_null_map(node),
                "volumes" => self.volumes(&path, node)?,
                "devices" => self.devices(&path, node)?,
                "secrets" | "configs" => {
                    for item in items_mut(node) {
                        file_mount(&format!("{path}.[]"), item)?;
                    }
                }
                "ports" => self.ports(&path, node)?,
                "ulimits" => ulimits(&path, node)?,
                "develop" => develop(node),
                _ => {}
            }
        }
        Ok(())
    }

    fn volumes(&mut self, path: &str, volumes: &mut Node) -> Result<(), TransformError> {
        let path = format!("{path}.[]");
        for item in items_mut(volumes) {
            match &item.value {
                Value::Map(_) => {}
                Value::Str(spec) => match parse_volume_spec(spec) {
                    Ok(mut spec) => {
                        if !spec.target.is_empty() {
                            spec.target = crate::normalize::clean_unix_path(&spec.target);
                        }
                        *item = volume_node(&spec, item);
                    }
                    Err(_) if self.ignore_parse_errors => {}
                    Err(message) => return Err(TransformError::new(&path, message, item)),
                },
                _ => {
                    return Err(TransformError::invalid_type(
                        &path,
                        item,
                        "service volume mount",
                    ));
                }
            }
        }
        Ok(())
    }

    fn devices(&mut self, path: &str, devices: &mut Node) -> Result<(), TransformError> {
        let path = format!("{path}.[]");
        for item in items_mut(devices) {
            match &item.value {
                Value::Map(_) => {}
                Value::Str(spec) => {
                    let parts: Vec<&str> = spec.split(':').collect();
                    let (source, target, permissions) = match parts.as_slice() {
                        [source] => (*source, "", "rwm"),
                        [source, target] => (*source, *target, "rwm"),
                        [source, target, permissions] => (*source, *target, *permissions),
                        _ if self.ignore_parse_errors => ("", "", "rwm"),
                        _ => {
                            let message =
                                format!("confusing device mapping, please use long syntax: {spec}");
                            return Err(TransformError::new(&path, message, item));
                        }
                    };
                    let target = if target.is_empty() { source } else { target };
                    let fields = [
                        ("source", source),
                        ("target", target),
                        ("permissions", permissions),
                    ];
                    *item = string_map(item, &fields);
                }
                _ => {
                    return Err(TransformError::invalid_type(
                        &path,
                        item,
                        "service volume mount",
                    ));
                }
            }
        }
        Ok(())
    }

    /// One short spec may stand for several ports (a range), so the list is rebuilt whole.
    fn ports(&mut self, path: &str, ports: &mut Node) -> Result<(), TransformError> {
        let Value::Seq(items) = &ports.value else {
            return Err(TransformError::invalid_type(path, ports, "port"));
        };
        let mut rewritten = Vec::with_capacity(items.len());
        for item in items {
            let spec = match &item.value {
                Value::Map(_) => {
                    rewritten.push(item.clone());
                    continue;
                }
                Value::Int(i) => i.to_string(),
                Value::Str(s) => s.clone(),
                _ => return Err(TransformError::invalid_type(path, item, "port")),
            };
            match parse_port_spec(&spec) {
                Ok(parsed) => rewritten.extend(parsed.iter().map(|port| port_node(port, item))),
                // compose keeps the whole list as written when one entry cannot be parsed yet
                Err(_) if self.ignore_parse_errors && matches!(item.value, Value::Str(_)) => {
                    return Ok(());
                }
                Err(message) => return Err(TransformError::new(path, message, item)),
            }
        }
        ports.value = Value::Seq(rewritten);
        Ok(())
    }

    /// A top-level volume, network, secret or config declared with the legacy
    /// `external: {name: x}` becomes `external: true` with `name: x`.
    fn maybe_external(&mut self, path: &str, resource: &mut Node) -> Result<(), TransformError> {
        let Some(fields) = resource.as_map_mut() else {
            return Ok(());
        };
        let Some(external) = fields.get_mut("external") else {
            return Ok(());
        };
        let Value::Map(legacy) = &external.value else {
            return Ok(());
        };
        let legacy_name = legacy.get("name").cloned();
        *external = external.with_value(Value::Bool(true));
        let Some(legacy_name) = legacy_name else {
            return Ok(());
        };
        self.warnings.push(TransformWarning {
            message: format!(
                "{path}: external.name is deprecated. Please set name and external: true"
            ),
            span: legacy_name.span,
        });
        match fields.get("name") {
            Some(name) if name.value != legacy_name.value => Err(TransformError::new(
                path,
                format!("{path}: name and external.name conflict; only use name"),
                &legacy_name,
            )),
            Some(_) => Ok(()),
            None => {
                fields.insert("name".to_owned(), legacy_name);
                Ok(())
            }
        }
    }
}

fn build(path: &str, build: &mut Node) -> Result<(), TransformError> {
    if matches!(build.value, Value::Str(_)) {
        *build = string_field_map(build, "context");
        return Ok(());
    }
    match &mut build.value {
        Value::Map(fields) => {
            for (key, node) in fields.iter_mut() {
                let path = format!("{path}.{key}");
                match key.as_str() {
                    "secrets" => {
                        for item in items_mut(node) {
                            file_mount(&format!("{path}.[]"), item)?;
                        }
                    }
                    "provenance" | "sbom" if !matches!(node.value, Value::Str(_)) => {
                        let text = node.scalar_text().unwrap_or_else(|| "<nil>".into());
                        *node = node.with_value(Value::Str(text));
                    }
                    "additional_contexts" => additional_contexts(&path, node)?,
                    "ssh" => ssh(&path, node)?,
                    "ulimits" => ulimits(&path, node)?,
                    _ => {}
                }
            }
            Ok(())
        }
        _ => Err(TransformError::invalid_type(path, build, "build")),
    }
}

fn depends_on(path: &str, depends_on: &mut Node) -> Result<(), TransformError> {
    match &mut depends_on.value {
        Value::Map(entries) => {
            for (name, entry) in entries.iter_mut() {
                let Some(fields) = entry.as_map_mut() else {
                    let message = format!("{path}.{name}: unsupported value");
                    return Err(TransformError::new(path, message, entry));
                };
                fields
                    .entry("condition".to_owned())
                    .or_insert_with(|| Node::synthetic(Value::Str("service_started".into())));
                fields
                    .entry("required".to_owned())
                    .or_insert_with(|| Node::synthetic(Value::Bool(true)));
            }
            Ok(())
        }
        Value::Seq(items) => {
            let mut entries = Map::default();
            for item in items.iter() {
                let Some(name) = item.scalar_text() else {
                    continue;
                };
                let mut fields = Map::default();
                fields.insert(
                    "condition".to_owned(),
                    Node::synthetic(Value::Str("service_started".into())),
                );
                fields.insert("required".to_owned(), Node::synthetic(Value::Bool(true)));
                let mut entry = item.with_value(Value::Map(fields));
                entry.key_span = item.span;
                entries.insert(name, entry);
            }
            depends_on.value = Value::Map(entries);
            Ok(())
        }
        _ => Err(TransformError::invalid_type(path, depends_on, "depend_on")),
    }
}

fn env_file(path: &str, env_file: &mut Node) -> Result<(), TransformError> {
    fn entry(item: &mut Node) {
        match &mut item.value {
            Value::Str(_) => {
                let mut entry = string_field_map(item, "path");
                if let Some(fields) = entry.as_map_mut() {
                    fields.insert("required".to_owned(), Node::synthetic(Value::Bool(true)));
                }
                *item = entry;
            }
            Value::Map(fields) => {
                fields
                    .entry("required".to_owned())
                    .or_insert_with(|| Node::synthetic(Value::Bool(true)));
            }
            _ => *item = item.with_value(Value::Null),
        }
    }
    match &mut env_file.value {
        Value::Str(_) => {
            let mut item = env_file.clone();
            entry(&mut item);
            env_file.value = Value::Seq(vec![item]);
            Ok(())
        }
        Value::Seq(items) => {
            items.iter_mut().for_each(entry);
            Ok(())
        }
        _ => Err(TransformError::invalid_type(path, env_file, "env_file")),
    }
}

fn extends(path: &str, extends: &mut Node) -> Result<(), TransformError> {
    match &extends.value {
        Value::Map(_) => Ok(()),
        Value::Str(_) => {
            *extends = string_field_map(extends, "service");
            Ok(())
        }
        _ => Err(TransformError::invalid_type(path, extends, "extends")),
    }
}

/// `gpus: all` asks for every GPU.
fn gpus(path: &str, gpus: &mut Node) -> Result<(), TransformError> {
    match &gpus.value {
        Value::Seq(_) => Ok(()),
        Value::Str(_) => {
            let mut request = Map::default();
            request.insert(
                "count".to_owned(),
                gpus.with_value(Value::Str("all".into())),
            );
            let request = gpus.with_value(Value::Map(request));
            gpus.value = Value::Seq(vec![request]);
            Ok(())
        }
        _ => Err(TransformError::invalid_type(path, gpus, "gpus")),
    }
}

fn ulimits(path: &str, ulimits: &mut Node) -> Result<(), TransformError> {
    for (name, limit) in entries_mut(ulimits) {
        if !matches!(limit.value, Value::Map(_) | Value::Int(_)) {
            let path = format!("{path}.{name}");
            // compose-go's message really says "external" here
            return Err(TransformError::invalid_type(&path, limit, "external"));
        }
    }
    Ok(())
}

fn additional_contexts(path: &str, contexts: &mut Node) -> Result<(), TransformError> {
    let items = match &contexts.value {
        Value::Map(_) => return Ok(()),
        Value::Seq(items) => items,
        _ => {
            let message = format!("{path}: invalid type {}", contexts.value.go_type_name());
            return Err(TransformError::new(path, message, contexts));
        }
    };
    let mut entries = Map::default();
    for item in items {
        let text = item.scalar_text().unwrap_or_default();
        let Some((name, value)) = text.split_once('=') else {
            let message = format!("{path}: invalid value {text}, expected key=value");
            return Err(TransformError::new(path, message, item));
        };
        let mut entry = item.with_value(Value::Str(value.to_owned()));
        entry.key_span = item.span;
        entries.insert(name.to_owned(), entry);
    }
    contexts.value = Value::Map(entries);
    Ok(())
}

/// `ssh: [default, key=path]` becomes a mapping of ids to paths (`default` with none).
fn ssh(path: &str, ssh: &mut Node) -> Result<(), TransformError> {
    let items = match &ssh.value {
        Value::Map(_) => return Ok(()),
        Value::Seq(items) => items,
        _ => return Err(TransformError::invalid_type(path, ssh, "ssh")),
    };
    let mut entries = Map::default();
    for item in items {
        let Value::Str(text) = &item.value else {
            let message = format!("invalid ssh key type {}", item.value.go_type_name());
            return Err(TransformError::new(path, message, item));
        };
        let mut entry = match text.split_once('=') {
            Some((id, key_path)) => (id, item.with_value(Value::Str(key_path.to_owned()))),
            None if text == "default" => (text.as_str(), item.with_value(Value::Null)),
            None => {
                let message = format!("invalid ssh key {text:?}");
                return Err(TransformError::new(path, message, item));
            }
        };
        entry.1.key_span = item.span;
        entries.insert(entry.0.to_owned(), entry.1);
    }
    ssh.value = Value::Map(entries);
    Ok(())
}

fn develop(develop: &mut Node) {
    let Some(watch) = develop.get_mut("watch") else {
        return;
    };
    for rule in items_mut(watch) {
        for key in ["ignore", "include"] {
            if let Some(patterns) = rule.get_mut(key) {
                string_to_list(patterns);
            }
        }
    }
}

fn include_item(item: &mut Node) -> Result<(), TransformError> {
    match &item.value {
        Value::Map(_) => Ok(()),
        Value::Str(_) => {
            *item = string_field_map(item, "path");
            Ok(())
        }
        // compose-go's message really says "external" here
        _ => Err(TransformError::invalid_type("include.[]", item, "external")),
    }
}

/// A secret or config reference by name becomes `{source: name}`.
fn file_mount(path: &str, item: &mut Node) -> Result<(), TransformError> {
    match &item.value {
        Value::Map(_) => Ok(()),
        Value::Str(_) => {
            *item = string_field_map(item, "source");
            Ok(())
        }
        _ => {
            let message = format!("{path}: unsupported type {}", item.value.go_type_name());
            Err(TransformError::new(path, message, item))
        }
    }
}

fn string_to_list(node: &mut Node) {
    if matches!(node.value, Value::Str(_)) {
        let item = node.clone();
        node.value = Value::Seq(vec![item]);
    }
}

/// `networks: [front]` becomes `networks: {front: null}`.
fn list_to_null_map(node: &mut Node) {
    let Value::Seq(items) = &node.value else {
        return;
    };
    let mut entries = Map::default();
    for item in items {
        if let Some(name) = item.scalar_text() {
            let mut entry = item.with_value(Value::Null);
            entry.key_span = item.span;
            entries.insert(name, entry);
        }
    }
    node.value = Value::Map(entries);
}

/// `{field: <the string>}` with the string's provenance on both the mapping and the value.
fn string_field_map(from: &Node, field: &str) -> Node {
    let mut fields = Map::default();
    let mut value = from.clone();
    value.tag = crate::node::Tag::None;
    fields.insert(field.to_owned(), value);
    from.with_value(Value::Map(fields))
}

/// A mapping of string fields, all derived from the text of `from`.
fn string_map(from: &Node, fields: &[(&str, &str)]) -> Node {
    let map = fields
        .iter()
        .map(|(k, v)| {
            (
                (*k).to_owned(),
                from.with_value(Value::Str((*v).to_owned())),
            )
        })
        .collect();
    from.with_value(Value::Map(map))
}

fn volume_node(spec: &VolumeSpec, from: &Node) -> Node {
    let text = |s: &str| from.with_value(Value::Str(s.to_owned()));
    let mut fields = Map::default();
    fields.insert("type".to_owned(), text(spec.kind));
    if !spec.source.is_empty() {
        fields.insert("source".to_owned(), text(&spec.source));
    }
    if !spec.target.is_empty() {
        fields.insert("target".to_owned(), text(&spec.target));
    }
    if spec.read_only {
        fields.insert("read_only".to_owned(), from.with_value(Value::Bool(true)));
    }
    if let Some(bind) = &spec.bind {
        let mut options = Map::default();
        if !bind.propagation.is_empty() {
            options.insert("propagation".to_owned(), text(&bind.propagation));
        }
        if bind.create_host_path {
            options.insert(
                "create_host_path".to_owned(),
                from.with_value(Value::Bool(true)),
            );
        }
        if !bind.selinux.is_empty() {
            options.insert("selinux".to_owned(), text(&bind.selinux));
        }
        fields.insert("bind".to_owned(), from.with_value(Value::Map(options)));
    }
    if let Some(volume) = &spec.volume {
        let mut options = Map::default();
        if volume.nocopy {
            options.insert("nocopy".to_owned(), from.with_value(Value::Bool(true)));
        }
        fields.insert("volume".to_owned(), from.with_value(Value::Map(options)));
    }
    from.with_value(Value::Map(fields))
}

fn port_node(port: &PortSpec, from: &Node) -> Node {
    let text = |s: &str| from.with_value(Value::Str(s.to_owned()));
    let mut fields = Map::default();
    fields.insert("mode".to_owned(), text("ingress"));
    if !port.host_ip.is_empty() {
        fields.insert("host_ip".to_owned(), text(&port.host_ip));
    }
    if port.target != 0 {
        fields.insert(
            "target".to_owned(),
            from.with_value(Value::Int(i64::from(port.target))),
        );
    }
    if !port.published.is_empty() {
        fields.insert("published".to_owned(), text(&port.published));
    }
    fields.insert("protocol".to_owned(), text(&port.protocol));
    from.with_value(Value::Map(fields))
}

fn entries_mut(node: &mut Node) -> impl Iterator<Item = (&String, &mut Node)> {
    node.as_map_mut().into_iter().flat_map(|map| map.iter_mut())
}

fn items_mut(node: &mut Node) -> impl Iterator<Item = &mut Node> {
    node.as_seq_mut()
        .into_iter()
        .flat_map(|items| items.iter_mut())
}

#[cfg(test)]
mod tests;
