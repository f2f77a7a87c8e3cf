//! Normalization after all files are merged (spec §9; compose-go `Normalize` and
//! `ResolveEnvironment`): the implicit `default` network, `pull_policy` aliases, build
//! defaults, bare `environment`/`build.args` entries resolved from the project environment,
//! implicit `depends_on` from links, shared namespaces and `volumes_from`, cleaned mount
//! targets, and the `name` of every network, volume, secret and config.

use crate::node::{Map, Node, Value};
use crate::options::Environment;
use seaworthy_source::Span;

pub fn normalize(dict: &mut Node, environment: &Environment) {
    normalize_networks(dict);
    let project_name = dict
        .get("name")
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_owned();
    if let Some(services) = dict.get_mut("services").and_then(Node::as_map_mut) {
        for service in services.values_mut() {
            normalize_service(service, environment);
        }
    }
    set_names_from_keys(dict, &project_name);
}

fn normalize_service(service: &mut Node, environment: &Environment) {
    let Some(map) = service.as_map_mut() else {
        return;
    };
    if let Some(policy) = map.get_mut("pull_policy")
        && policy.as_str() == Some("if_not_present")
    {
        policy.value = Value::Str("missing".into());
    }
    if let Some(build) = map.get_mut("build").and_then(Node::as_map_mut) {
        if build.get("context").is_none_or(Node::is_null) {
            build.insert("context".into(), Node::synthetic(Value::Str(".".into())));
        }
        if build.get("dockerfile").is_none_or(Node::is_null)
            && build.get("dockerfile_inline").is_none_or(Node::is_null)
        {
            build.insert(
                "dockerfile".into(),
                Node::synthetic(Value::Str("Dockerfile".into())),
            );
        }
        if let Some(args) = build.get_mut("args") {
            resolve_bare_entries(args, environment, false);
        }
    }
    if let Some(env) = map.get_mut("environment") {
        resolve_bare_entries(env, environment, true);
    }

    let mut implicit: Vec<(String, bool, Span)> = Vec::new();
    if let Some(links) = map.get("links").and_then(Node::as_seq) {
        for link in links {
            let Some(text) = link.as_str() else { continue };
            let parts: Vec<&str> = text.split(':').collect();
            let name = if parts.len() == 2 { parts[0] } else { text };
            implicit.push((name.to_owned(), true, link.span));
        }
    }
    for namespace in ["network_mode", "ipc", "pid", "uts", "cgroup"] {
        if let Some(node) = map.get(namespace)
            && let Some(shared) = node.as_str().and_then(|r| r.strip_prefix("service:"))
        {
            implicit.push((shared.to_owned(), true, node.span));
        }
    }
    if let Some(volumes) = map.get_mut("volumes").and_then(Node::as_seq_mut) {
        for volume in volumes {
            if let Some(target) = volume.get_mut("target")
                && let Value::Str(t) = &mut target.value
            {
                *t = clean_unix_path(t);
            }
        }
    }
    if let Some(volumes_from) = map.get("volumes_from").and_then(Node::as_seq) {
        for entry in volumes_from {
            let Some(text) = entry.as_str() else { continue };
            if !text.starts_with("container:") {
                let name = text.split(':').next().unwrap_or(text);
                implicit.push((name.to_owned(), false, entry.span));
            }
        }
    }
    if implicit.is_empty() {
        return;
    }
    let depends_on = map
        .entry("depends_on".to_owned())
        .or_insert_with(|| Node::map(Map::default(), Span::SYNTHETIC));
    let Some(depends_on) = depends_on.as_map_mut() else {
        return;
    };
    for (name, restart, span) in implicit {
        if depends_on.contains_key(&name) {
            continue;
        }
        let mut entry = Map::default();
        entry.insert(
            "condition".into(),
            Node::new(Value::Str("service_started".into()), span),
        );
        entry.insert("restart".into(), Node::new(Value::Bool(restart), span));
        entry.insert("required".into(), Node::new(Value::Bool(true), span));
        depends_on.insert(name, Node::map(entry, span));
    }
}

/// compose-go's `resolve`: entries without a value take the project environment's value;
/// unresolved ones stay (as `null`/bare) when `keep_empty`, else they are dropped.
fn resolve_bare_entries(node: &mut Node, environment: &Environment, keep_empty: bool) {
    match &mut node.value {
        Value::Map(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let Some(value) = map.get_mut(&key) else {
                    continue;
                };
                if !value.is_null() {
                    continue;
                }
                match environment.get(&key) {
                    Some(found) => {
                        value.value = Value::Str(found.to_owned());
                        value.raw = Some(format!("${{{key}}}").into_boxed_str());
                    }
                    None if keep_empty => {}
                    None => {
                        map.shift_remove(&key);
                    }
                }
            }
        }
        Value::Seq(items) => {
            items.retain_mut(|item| {
                let Some(text) = item.as_str() else {
                    return false;
                };
                if text.contains('=') {
                    return true;
                }
                match environment.get(text) {
                    Some(found) => {
                        let raw = format!("{text}=${{{text}}}").into_boxed_str();
                        item.value = Value::Str(format!("{text}={found}"));
                        item.raw = Some(raw);
                        true
                    }
                    None => keep_empty,
                }
            });
        }
        _ => {}
    }
}

fn normalize_networks(dict: &mut Node) {
    let mut uses_default = false;
    if let Some(services) = dict.get_mut("services").and_then(Node::as_map_mut) {
        for service in services.values_mut() {
            let Some(map) = service.as_map_mut() else {
                continue;
            };
            if map.contains_key("provider") || map.contains_key("network_mode") {
                continue;
            }
            match map.get("networks") {
                Some(networks) if networks.as_map().is_some_and(|m| !m.is_empty()) => {
                    uses_default |= networks.get("default").is_some();
                }
                _ => {
                    let mut default = Map::default();
                    default.insert("default".into(), Node::synthetic(Value::Null));
                    map.insert("networks".into(), Node::map(default, Span::SYNTHETIC));
                    uses_default = true;
                }
            }
        }
    }
    let Some(top) = dict.as_map_mut() else { return };
    if uses_default {
        let networks = top
            .entry("networks".to_owned())
            .or_insert_with(|| Node::map(Map::default(), Span::SYNTHETIC));
        if networks.is_null() {
            networks.value = Value::Map(Map::default());
        }
        if let Some(map) = networks.as_map_mut()
            && !map.contains_key("default")
        {
            map.insert("default".into(), Node::synthetic(Value::Null));
        }
    }
}

fn set_names_from_keys(dict: &mut Node, project: &str) {
    for kind in ["networks", "volumes", "configs", "secrets"] {
        let Some(resources) = dict.get_mut(kind).and_then(Node::as_map_mut) else {
            continue;
        };
        for (key, resource) in resources.iter_mut() {
            if resource.is_null() {
                resource.value = Value::Map(Map::default());
            }
            let Some(map) = resource.as_map_mut() else {
                continue;
            };
            if map.get("name").is_some_and(|n| !n.is_null()) {
                continue;
            }
            let external = map.get("external").is_some_and(|e| {
                e.scalar_text()
                    .and_then(|t| crate::options::parse_go_bool(&t))
                    == Some(true)
            });
            let name = if external {
                key.clone()
            } else {
                format!("{project}_{key}")
            };
            map.insert("name".into(), Node::synthetic(Value::Str(name)));
        }
    }
}

/// compose-go's `ResolveEnvironment`: list-form `environment` entries without `=` take the
/// project environment's value.
pub fn resolve_environment(dict: &mut Node, environment: &Environment) {
    if let Some(services) = dict.get_mut("services").and_then(Node::as_map_mut) {
        for service in services.values_mut() {
            let Some(Value::Seq(items)) = service.get_mut("environment").map(|e| &mut e.value)
            else {
                continue;
            };
            items.retain(|i| i.as_str().is_some());
            for item in items {
                if let Value::Str(text) = &mut item.value
                    && let Some(found) = environment.get(text)
                {
                    // the value comes from the operator's environment, as `${KEY}` would
                    item.raw = Some(format!("{text}=${{{text}}}").into_boxed_str());
                    *text = format!("{text}={found}");
                }
            }
        }
    }
    // compose-go also copies the value of `environment:`-sourced secrets and configs into the
    // model; `config` never prints it, and seaworthy never holds secret values, so it is skipped.
}

/// Go's `path.Clean` for slash-separated paths.
pub fn clean_unix_path(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go_path_clean() {
        assert_eq!(clean_unix_path("/var/lib/db/../db/"), "/var/lib/db");
        assert_eq!(clean_unix_path("a//b/./c/.."), "a/b");
        assert_eq!(clean_unix_path("/.."), "/");
        assert_eq!(clean_unix_path("../x"), "../x");
        assert_eq!(clean_unix_path(""), ".");
    }
}
