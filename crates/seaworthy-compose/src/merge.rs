//! Merging one file's dict onto the accumulated dict of the previous files (and a service onto
//! the service it extends), with compose-go's per-field rules (spec §6.2), then the uniqueness
//! pass that collapses keyed sequences (spec §6.3). Merging moves nodes, it never re-creates
//! them, so every surviving value keeps the span of the file that set it; a replaced scalar
//! remembers the spans it replaced.

use crate::node::{Map, Node, Value};
use crate::tree_path::{Pattern, TreePath};
use seaworthy_source::Span;
use std::sync::LazyLock;

/// A merge that compose refuses (`cannot override services.a.ports`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeError {
    pub message: String,
    pub span: Span,
}

#[derive(Clone, Copy)]
enum Special {
    ToSequence,
    Replace,
    Build,
    DependsOn,
    KeyedMapping,
    ExtraHosts,
    Logging,
    Ulimit,
    IpamConfig,
}

fn special_for(path: &TreePath) -> Option<Special> {
    const RULES: &[(Pattern<'static>, Special)] = &[
        (Pattern::new("networks.*.ipam.config"), Special::IpamConfig),
        (Pattern::new("networks.*.labels"), Special::ToSequence),
        (Pattern::new("volumes.*.labels"), Special::ToSequence),
        (Pattern::new("services.*.annotations"), Special::ToSequence),
        (Pattern::new("services.*.build"), Special::Build),
        (Pattern::new("services.*.build.args"), Special::ToSequence),
        (
            Pattern::new("services.*.build.additional_contexts"),
            Special::ToSequence,
        ),
        (
            Pattern::new("services.*.build.extra_hosts"),
            Special::ExtraHosts,
        ),
        (Pattern::new("services.*.build.labels"), Special::ToSequence),
        (Pattern::new("services.*.command"), Special::Replace),
        (Pattern::new("services.*.depends_on"), Special::DependsOn),
        (
            Pattern::new("services.*.deploy.labels"),
            Special::ToSequence,
        ),
        (Pattern::new("services.*.dns"), Special::ToSequence),
        (Pattern::new("services.*.dns_opt"), Special::ToSequence),
        (Pattern::new("services.*.dns_search"), Special::ToSequence),
        (Pattern::new("services.*.entrypoint"), Special::Replace),
        (Pattern::new("services.*.env_file"), Special::ToSequence),
        (Pattern::new("services.*.label_file"), Special::ToSequence),
        (Pattern::new("services.*.environment"), Special::ToSequence),
        (Pattern::new("services.*.extra_hosts"), Special::ExtraHosts),
        (
            Pattern::new("services.*.healthcheck.test"),
            Special::Replace,
        ),
        (Pattern::new("services.*.labels"), Special::ToSequence),
        (
            Pattern::new("services.*.volumes.*.volume.labels"),
            Special::ToSequence,
        ),
        (Pattern::new("services.*.logging"), Special::Logging),
        (Pattern::new("services.*.models"), Special::KeyedMapping),
        (Pattern::new("services.*.networks"), Special::KeyedMapping),
        (Pattern::new("services.*.sysctls"), Special::ToSequence),
        (Pattern::new("services.*.tmpfs"), Special::ToSequence),
        (Pattern::new("services.*.ulimits.*"), Special::Ulimit),
    ];
    RULES
        .iter()
        .find(|(pattern, _)| path.matches_pattern(pattern))
        .map(|(_, s)| *s)
}

/// Merges `over` (this file's dict) onto `base` (the previous files' result).
pub fn merge_documents(base: Node, over: Node) -> Result<Node, MergeError> {
    merge(base, over, &TreePath::root())
}

/// compose-go's `ExtendService`: the child service merged onto a copy of its base, with the
/// same per-field rules as between files.
pub fn extend_service(base: Node, child: Node) -> Result<Node, MergeError> {
    merge(base, child, &TreePath::from_dotted("services.x"))
}

fn merge(base: Node, over: Node, path: &TreePath) -> Result<Node, MergeError> {
    if let Some(special) = special_for(path) {
        return merge_special(special, base, over, path);
    }
    if over.is_null() {
        return Ok(base);
    }
    let cannot_override = |span| MergeError {
        message: format!("cannot override {path}"),
        span,
    };
    match (&base.value, &over.value) {
        (Value::Map(_), Value::Map(_)) => merge_mapping_nodes(base, over, path),
        (Value::Seq(_), Value::Seq(_)) => Ok(append_sequences(base, over)),
        (Value::Map(_) | Value::Seq(_), _) => Err(cannot_override(over.span)),
        _ => Ok(replaced(base.span, base.overridden, base.key_span, over)),
    }
}

fn append_sequences(mut base: Node, over: Node) -> Node {
    if let (Value::Seq(items), Value::Seq(more)) = (&mut base.value, over.value) {
        items.extend(more);
    }
    base
}

/// The overlay's node wins; it remembers the base value it replaced.
fn replaced(base_span: Span, base_overridden: Vec<Span>, base_key: Span, mut over: Node) -> Node {
    let mut overridden = base_overridden;
    if !base_span.is_synthetic() {
        overridden.push(base_span);
    }
    overridden.append(&mut over.overridden);
    over.overridden = overridden;
    if over.key_span.is_synthetic() {
        over.key_span = base_key;
    }
    over
}

fn merge_maps(mut base: Map, over: Map, path: &TreePath) -> Result<Map, MergeError> {
    for (key, value) in over {
        match base.shift_remove_full(&key) {
            None => {
                base.insert(key, value);
            }
            Some((index, _, existing)) => {
                let merged = merge(existing, value, &path.next(&key))?;
                base.insert(key.clone(), merged);
                let last = base.len() - 1;
                base.move_index(last, index);
            }
        }
    }
    Ok(base)
}

fn merge_special(
    special: Special,
    base: Node,
    over: Node,
    path: &TreePath,
) -> Result<Node, MergeError> {
    match special {
        Special::Replace => Ok(replaced(base.span, base.overridden, base.key_span, over)),
        Special::ToSequence => {
            let (span, key_span) = (base.span, base.key_span);
            let mut items = into_sequence(base);
            items.extend(into_sequence(over));
            let mut node = Node::seq(items, span);
            node.key_span = key_span;
            Ok(node)
        }
        Special::ExtraHosts => {
            let (span, key_span) = (base.span, base.key_span);
            let mut items = into_sequence(base);
            for item in into_sequence(over) {
                if !items.iter().any(|i| i.value == item.value) {
                    items.push(item);
                }
            }
            let mut node = Node::seq(items, span);
            node.key_span = key_span;
            Ok(node)
        }
        Special::Build => {
            let base = build_to_map(base);
            let over = build_to_map(over);
            merge_mapping_nodes(base, over, path)
        }
        Special::DependsOn => {
            let base = into_mapping(base, true);
            let over = into_mapping(over, true);
            merge_mapping_nodes(base, over, path)
        }
        Special::KeyedMapping => {
            let base = into_mapping(base, false);
            let over = into_mapping(over, false);
            merge_mapping_nodes(base, over, path)
        }
        Special::Logging => {
            let same_driver = match (over.get("driver"), base.get("driver")) {
                (Some(a), Some(b)) => a.value == b.value,
                _ => true,
            };
            if same_driver && base.as_map().is_some() && over.as_map().is_some() {
                merge_mapping_nodes(base, over, path)
            } else {
                Ok(replaced(base.span, base.overridden, base.key_span, over))
            }
        }
        Special::Ulimit => {
            // A per-name ulimit is replaced whole (compose-go merges the override with itself).
            Ok(replaced(base.span, base.overridden, base.key_span, over))
        }
        Special::IpamConfig => merge_ipam_config(base, over, path),
    }
}

fn merge_mapping_nodes(base: Node, over: Node, path: &TreePath) -> Result<Node, MergeError> {
    let mut base = base;
    let base_map = match std::mem::replace(&mut base.value, Value::Null) {
        Value::Map(m) => m,
        _ => Map::default(),
    };
    let over_map = match over.value {
        Value::Map(m) => m,
        _ => Map::default(),
    };
    base.value = Value::Map(merge_maps(base_map, over_map, path)?);
    Ok(base)
}

fn build_to_map(node: Node) -> Node {
    match &node.value {
        Value::Str(context) => {
            let mut map = Map::default();
            let mut context_node = Node::str(context.clone(), node.span);
            context_node.key_span = node.key_span;
            map.insert("context".into(), context_node);
            let mut out = Node::map(map, node.span);
            out.key_span = node.key_span;
            out
        }
        _ => node,
    }
}

/// compose-go's `convertIntoMapping`: a list of names becomes a mapping of names to `null`, or
/// to `{condition: service_started, required: true}` for `depends_on`.
fn into_mapping(node: Node, depends_on_defaults: bool) -> Node {
    let Value::Seq(items) = node.value else {
        return node;
    };
    let mut map = Map::default();
    for item in items {
        let Some(name) = item.as_str().map(str::to_owned) else {
            continue;
        };
        let value = if depends_on_defaults {
            let mut entry = Map::default();
            entry.insert("condition".into(), Node::str("service_started", item.span));
            entry.insert("required".into(), Node::new(Value::Bool(true), item.span));
            Node::map(entry, item.span)
        } else {
            Node::new(Value::Null, item.span)
        };
        let mut value = value;
        value.key_span = item.span;
        map.insert(name, value);
    }
    let mut out = Node::map(map, node.span);
    out.key_span = node.key_span;
    out
}

/// compose-go's `convertIntoSequence`: a mapping becomes `KEY=VALUE` strings sorted, `KEY` for
/// null values, one entry per item of a list value; a string becomes a one-item list.
pub fn into_sequence(node: Node) -> Vec<Node> {
    match node.value {
        Value::Seq(items) => items,
        Value::Str(_) => vec![node],
        Value::Map(map) => {
            let mut items: Vec<Node> = Vec::with_capacity(map.len());
            for (key, value) in map {
                let span = if value.span.is_synthetic() {
                    value.key_span
                } else {
                    value.span
                };
                match &value.value {
                    Value::Null => items.push(derived(key, span, &value)),
                    Value::Seq(list) => {
                        for item in list {
                            let text = format!("{key}={}", go_value_text(item));
                            items.push(keyed(derived(text, item.span, item), &key));
                        }
                    }
                    _ => {
                        let text = format!("{key}={}", go_value_text(&value));
                        items.push(keyed(derived(text, span, &value), &key));
                    }
                }
            }
            items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            items
        }
        _ => Vec::new(),
    }
}

/// A `KEY=value` item keeps its raw text in the same shape as a written list item
/// (`KEY=${VAR}`), so secret rules read the value's raw text whatever form the files used.
fn keyed(mut item: Node, key: &str) -> Node {
    item.raw = item.raw.map(|raw| format!("{key}={raw}").into_boxed_str());
    item
}

fn derived(text: String, span: Span, from: &Node) -> Node {
    let mut node = Node::str(text, span);
    node.key_span = from.key_span;
    node.via_alias = from.via_alias;
    node.raw = from.raw.clone();
    node
}

/// Go's `%v` of a decoded YAML value.
fn go_value_text(node: &Node) -> String {
    match &node.value {
        Value::Null => "<nil>".into(),
        Value::Seq(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(go_value_text)
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
        Value::Map(map) => {
            let mut entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_value_text(v)))
                .collect();
            entries.sort();
            format!("map[{}]", entries.join(" "))
        }
        other => other.scalar_text().unwrap_or_default(),
    }
}

/// `networks.*.ipam.config`: items with the same subnet merge, new subnets are appended.
fn merge_ipam_config(base: Node, over: Node, path: &TreePath) -> Result<Node, MergeError> {
    let (span, key_span) = (base.span, base.key_span);
    let (Value::Seq(configs), Value::Seq(overrides)) = (base.value, over.value) else {
        return Err(MergeError {
            message: format!("{path}: unexpected type"),
            span: over.span,
        });
    };
    let subnet = |n: &Node| n.get("subnet").map(|s| s.value.clone());
    let mut result: Vec<Node> = Vec::new();
    for original in configs {
        for override_item in &overrides {
            if subnet(override_item) != subnet(&original)
                && !result.iter().any(|r| subnet(r) == subnet(override_item))
            {
                result.push(override_item.clone());
                continue;
            }
            let merged = merge_mapping_nodes(original.clone(), override_item.clone(), path)?;
            match result.iter().position(|r| subnet(r) == subnet(&merged)) {
                Some(i) => result[i] = merged,
                None => result.push(merged),
            }
        }
    }
    let mut node = Node::seq(result, span);
    node.key_span = key_span;
    Ok(node)
}

// ---------------------------------------------------------------------------------------------
// Uniqueness (compose-go `EnforceUnicity`)
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Indexer {
    KeyValue,
    Volume,
    Device,
    Expose,
    Mount(&'static str),
    Port,
    EnvFile,
}

const UNIQUE_ITEMS: &[(Pattern<'static>, Indexer)] = &[
    (Pattern::new("networks.*.labels"), Indexer::KeyValue),
    (Pattern::new("networks.*.ipam.options"), Indexer::KeyValue),
    (Pattern::new("services.*.annotations"), Indexer::KeyValue),
    (Pattern::new("services.*.build.args"), Indexer::KeyValue),
    (
        Pattern::new("services.*.build.additional_contexts"),
        Indexer::KeyValue,
    ),
    (Pattern::new("services.*.build.platform"), Indexer::KeyValue),
    (Pattern::new("services.*.build.tags"), Indexer::KeyValue),
    (Pattern::new("services.*.build.labels"), Indexer::KeyValue),
    (Pattern::new("services.*.cap_add"), Indexer::KeyValue),
    (Pattern::new("services.*.cap_drop"), Indexer::KeyValue),
    (Pattern::new("services.*.configs"), Indexer::Mount("")),
    (Pattern::new("services.*.deploy.labels"), Indexer::KeyValue),
    (Pattern::new("services.*.dns"), Indexer::KeyValue),
    (Pattern::new("services.*.dns_opt"), Indexer::KeyValue),
    (Pattern::new("services.*.dns_search"), Indexer::KeyValue),
    (Pattern::new("services.*.environment"), Indexer::KeyValue),
    (Pattern::new("services.*.env_file"), Indexer::EnvFile),
    (Pattern::new("services.*.expose"), Indexer::Expose),
    (Pattern::new("services.*.labels"), Indexer::KeyValue),
    (Pattern::new("services.*.links"), Indexer::KeyValue),
    (
        Pattern::new("services.*.networks.*.aliases"),
        Indexer::KeyValue,
    ),
    (
        Pattern::new("services.*.networks.*.link_local_ips"),
        Indexer::KeyValue,
    ),
    (Pattern::new("services.*.ports"), Indexer::Port),
    (Pattern::new("services.*.profiles"), Indexer::KeyValue),
    (
        Pattern::new("services.*.secrets"),
        Indexer::Mount("/run/secrets"),
    ),
    (Pattern::new("services.*.sysctls"), Indexer::KeyValue),
    (Pattern::new("services.*.tmpfs"), Indexer::KeyValue),
    (Pattern::new("services.*.volumes"), Indexer::Volume),
    (Pattern::new("services.*.devices"), Indexer::Device),
];

// A set of `UNIQUE_ITEMS` patterns is a bitmask.
const _: () = assert!(UNIQUE_ITEMS.len() <= 64);

/// The segments of each `UNIQUE_ITEMS` pattern.
static UNIQUE_ITEMS_SEGMENTS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    UNIQUE_ITEMS
        .iter()
        .map(|(pattern, _)| pattern.text().split('.').collect())
        .collect()
});

/// Of the patterns in `candidates`, those whose segment number `depth` is `key` or `*`.
fn narrow(candidates: u64, depth: usize, key: &str) -> u64 {
    let mut kept = 0;
    let mut rest = candidates;
    while rest != 0 {
        let index = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        if UNIQUE_ITEMS_SEGMENTS
            .get(index)
            .and_then(|segments| segments.get(depth))
            .is_some_and(|segment| *segment == "*" || *segment == key)
        {
            kept |= 1 << index;
        }
    }
    kept
}

fn indexer_for(path: &TreePath) -> Option<Indexer> {
    UNIQUE_ITEMS
        .iter()
        .find(|(pattern, _)| path.matches_pattern(pattern))
        .map(|(_, i)| *i)
}

/// Collapses keyed sequences: the first occurrence of a key fixes the position, later items
/// with the same key replace its value.
pub fn enforce_unicity(node: &mut Node) -> Result<(), MergeError> {
    let every_pattern = u64::MAX >> (64 - UNIQUE_ITEMS.len());
    unicity(node, &TreePath::root(), every_pattern)
}

/// `candidates` are the patterns whose first segments match `path`: the walk enters only the
/// mappings where one can still match (it ran on the whole dict twice per file, making a path
/// for every node).
fn unicity(node: &mut Node, path: &TreePath, candidates: u64) -> Result<(), MergeError> {
    match &mut node.value {
        Value::Map(map) => {
            for (key, child) in map.iter_mut() {
                let narrowed = narrow(candidates, path.len(), key);
                if narrowed != 0 {
                    unicity(child, &path.next(key), narrowed)?;
                }
            }
        }
        Value::Seq(items) => {
            if let Some(indexer) = indexer_for(path) {
                // Most keyed sequences hold no duplicate: then they stay as they are.
                let mut keys = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    keys.push(index_key(indexer, item, path, i)?);
                }
                let unique = if keys.len() <= 16 {
                    keys.iter()
                        .enumerate()
                        .all(|(i, key)| !keys[..i].contains(key))
                } else {
                    let mut seen = std::collections::HashSet::with_capacity(keys.len());
                    keys.iter().all(|key| seen.insert(key.as_str()))
                };
                if unique {
                    return Ok(());
                }
                let mut result: Vec<Node> = Vec::with_capacity(items.len());
                let mut positions: std::collections::HashMap<String, usize> =
                    std::collections::HashMap::new();
                for (i, item) in std::mem::take(items).into_iter().enumerate() {
                    let key = index_key(indexer, &item, path, i)?;
                    match positions.get(&key) {
                        Some(&at) => {
                            let old =
                                std::mem::replace(&mut result[at], Node::synthetic(Value::Null));
                            result[at] = replaced(old.span, old.overridden, old.key_span, item);
                        }
                        None => {
                            positions.insert(key, result.len());
                            result.push(item);
                        }
                    }
                }
                *items = result;
            }
        }
        _ => {}
    }
    Ok(())
}

fn index_key(
    indexer: Indexer,
    item: &Node,
    path: &TreePath,
    index: usize,
) -> Result<String, MergeError> {
    let error = |message: String| MergeError {
        message,
        span: item.span,
    };
    let item_path = || format!("{path}.[{index}]");
    match indexer {
        Indexer::KeyValue => match &item.value {
            Value::Str(s) => Ok(s.split_once('=').map_or(s.as_str(), |(k, _)| k).to_owned()),
            _ => Err(error(format!(
                "{}: unexpected type {}",
                item_path(),
                item.value.go_type_name()
            ))),
        },
        Indexer::Volume => match &item.value {
            Value::Map(map) => match map.get("target").and_then(Node::as_str) {
                Some(target) => Ok(target.to_owned()),
                None => Err(error(format!(
                    "service volume {} is missing a mount target",
                    item_path()
                ))),
            },
            Value::Str(spec) => crate::transform::parse_volume_spec(spec)
                .map(|v| v.target)
                .map_err(error),
            _ => Ok(String::new()),
        },
        Indexer::Device => match &item.value {
            Value::Map(map) => match map.get("target").and_then(Node::as_str) {
                Some(target) => Ok(target.to_owned()),
                None => Err(error(format!(
                    "service device {} is missing a mount target",
                    item_path()
                ))),
            },
            Value::Str(spec) => {
                let mut parts = spec.split(':');
                let first = parts.next().unwrap_or_default();
                Ok(parts.next().unwrap_or(first).to_owned())
            }
            _ => Ok(String::new()),
        },
        Indexer::Expose => match &item.value {
            Value::Str(s) => Ok(s.clone()),
            Value::Int(i) => Ok(i.to_string()),
            _ => Err(error(format!("{}: unsupported expose value", item_path()))),
        },
        Indexer::Mount(default_dir) => match &item.value {
            Value::Str(s) => Ok(format!("{default_dir}/{s}")),
            Value::Map(map) => match map.get("target") {
                Some(target) => Ok(target.scalar_text().unwrap_or_default()),
                None => Ok(format!(
                    "{default_dir}/{}",
                    map.get("source")
                        .and_then(Node::scalar_text)
                        .unwrap_or_else(|| "%!s(<nil>)".into())
                )),
            },
            _ => Err(error(format!("{}: unsupported expose value", item_path()))),
        },
        Indexer::Port => match &item.value {
            Value::Int(i) => Ok(i.to_string()),
            Value::Str(s) => Ok(s.clone()),
            Value::Map(map) => {
                let Some(target) = map.get("target") else {
                    return Err(error(format!(
                        "service ports {} is missing a target port",
                        item_path()
                    )));
                };
                let go_s = |n: Option<&Node>, default: &str| match n.map(|n| &n.value) {
                    None => default.to_owned(),
                    Some(Value::Str(s)) => s.clone(),
                    Some(Value::Int(i)) => format!("%!s(int={i})"),
                    Some(other) => format!("%!s({})", other.scalar_text().unwrap_or_default()),
                };
                let target = match &target.value {
                    Value::Int(i) => i.to_string(),
                    other => format!("%!d(string={})", other.scalar_text().unwrap_or_default()),
                };
                Ok(format!(
                    "{}:{}:{}/{}",
                    go_s(map.get("host_ip"), "0.0.0.0"),
                    go_s(map.get("published"), "%!s(<nil>)"),
                    target,
                    go_s(map.get("protocol"), "tcp"),
                ))
            }
            _ => Ok(String::new()),
        },
        Indexer::EnvFile => match &item.value {
            Value::Str(s) => Ok(s.clone()),
            Value::Map(map) => match map.get("path") {
                Some(p) => Ok(p.scalar_text().unwrap_or_default()),
                None => Err(error(format!(
                    "environment path attribute {} is missing",
                    item_path()
                ))),
            },
            _ => Ok(String::new()),
        },
    }
}

#[cfg(test)]
mod tests;
