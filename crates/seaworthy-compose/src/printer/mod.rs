//! The typed printer: turns the final model into the [`Out`] tree that `docker compose config`
//! prints. docker compose decodes its dict into compose-go's `types.Project` (mapstructure with
//! decode hooks) and marshals that with go-yaml v3 or `encoding/json`; this module replays both
//! steps on the spanned tree: struct field order and tags ([`model`]), `omitempty` as each
//! encoder understands it, the custom types (durations, byte sizes, shell commands, host lists,
//! ulimits...), Go map ordering, and the decode errors with docker compose's texts.

pub(crate) mod go;
mod model;
#[cfg(test)]
mod tests;

use crate::emit::sort_yaml_keys;
use crate::node::{Node, Value};
use crate::out::Out;
use model::{Field, Kind, Spec};
use seaworthy_source::Span;
use std::fmt;

/// Which encoder docker compose runs: `--format yaml` (go-yaml v3) or `--format json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Yaml,
    Json,
}

/// A value the loader accepted that compose-go's typed decoding rejects (an invalid duration or
/// size, a value of the wrong shape).
#[derive(Clone, Debug, PartialEq)]
pub struct PrintError {
    /// The field as mapstructure names it: `services[web].healthcheck.interval`; empty for an
    /// error of the JSON encoder, which names no field.
    pub path: String,
    /// The decoder's message: `time: unknown unit "x" in duration "10x"`.
    pub message: String,
    pub span: Span,
}

impl fmt::Display for PrintError {
    /// The text docker compose prints for the error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return f.write_str(&self.message);
        }
        write!(
            f,
            "decoding failed due to the following error(s):\n\n'{}' {}",
            self.path, self.message
        )
    }
}

/// The output tree `docker compose config` prints for the final `project` model.
pub fn project_to_out(project: &Node, flavor: Flavor) -> Result<Out, PrintError> {
    let printer = Printer { flavor, depth: 0 };
    let entries = printer.struct_entries(project, &model::PROJECT, "")?;
    if flavor == Flavor::Yaml {
        return Ok(Out::Map(entries));
    }
    // compose-go marshals the project as a Go map: keys in byte order, `name` and `services`
    // always there, the other sections only when not empty, models never, and the top-level
    // extensions alongside.
    let mut entries = entries;
    // compose-go always makes the services map, so it is never null.
    for (key, value) in &mut entries {
        if key == "services" && *value == Out::Null {
            *value = Out::Map(Vec::new());
        }
    }
    if !entries.iter().any(|(key, _)| key == "name") {
        entries.push(("name".into(), Out::str("")));
    }
    for (key, value) in extensions(project) {
        entries.push((key.clone(), printer.any(value, 0)));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Out::Map(entries))
}

/// The output of `docker compose config --no-interpolate`: compose prints its dict as it is,
/// untyped (`${PORT}:80` cannot be decoded yet), with every mapping in Go map order.
pub fn raw_to_out(project: &Node, flavor: Flavor) -> Out {
    Printer { flavor, depth: 0 }.any(project, 0)
}

/// A decoded field: its output and whether Go sees the zero value that `omitempty` drops.
struct Typed {
    out: Out,
    empty: bool,
}

impl Typed {
    fn new(out: Out, empty: bool) -> Typed {
        Typed { out, empty }
    }
}

struct Printer {
    flavor: Flavor,
    /// How deep free-form values (extensions) are nested, to bound recursion.
    depth: usize,
}

/// Free-form values deeper than this are printed as null; the YAML loader caps depth well below.
const MAX_DEPTH: usize = 512;

fn extensions(node: &Node) -> Vec<(&String, &Node)> {
    node.as_map()
        .map(|map| map.iter().filter(|(k, _)| k.starts_with("x-")).collect())
        .unwrap_or_default()
}

fn join_field(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn error(path: &str, node: &Node, message: impl Into<String>) -> PrintError {
    PrintError {
        path: path.to_owned(),
        message: message.into(),
        span: node.span,
    }
}

/// Go's name of the type mapstructure found (`string`, `int`, `map[string]interface {}`...).
fn go_type(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::UInt(_) => "uint64",
        Value::Float(_) => "float64",
        Value::Str(_) | Value::Timestamp(_) => "string",
        Value::Seq(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
}

/// mapstructure's kind names, used in its "expected a map" texts.
fn go_kind(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::UInt(_) => "uint64",
        Value::Float(_) => "float64",
        Value::Str(_) | Value::Timestamp(_) => "string",
        Value::Seq(_) => "slice",
        Value::Map(_) => "map",
    }
}

fn text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) | Value::Timestamp(s) => Some(s.clone()),
        _ => None,
    }
}

fn sprint(node: &Node) -> String {
    match &node.value {
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(sprint).collect::<Vec<_>>().join(" ")
        ),
        Value::Map(map) => format!(
            "map[{}]",
            map.iter()
                .map(|(k, v)| format!("{k}:{}", sprint(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Null => "<nil>".into(),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

impl Printer {
    fn sort(&self, entries: &mut Vec<(String, Out)>) {
        match self.flavor {
            Flavor::Yaml => sort_yaml_keys(entries),
            Flavor::Json => entries.sort_by(|a, b| a.0.cmp(&b.0)),
        }
    }

    fn struct_entries(
        &self,
        node: &Node,
        spec: &Spec,
        path: &str,
    ) -> Result<Vec<(String, Out)>, PrintError> {
        let Some(map) = node.as_map() else {
            if node.is_null() {
                return self.zero_struct(spec);
            }
            return Err(error(
                path,
                node,
                format!("expected a map, got '{}'", go_kind(node)),
            ));
        };
        let mut entries = Vec::new();
        for field in spec.fields {
            let Some(name) = self.name(field) else {
                continue;
            };
            let field_path = join_field(path, field.yaml);
            let typed = match map.get(field.yaml).filter(|n| !n.is_null()) {
                Some(value) => self.field(value, field, &field_path)?,
                None => self.zero(field)?,
            };
            if typed.empty && self.omits(field) {
                continue;
            }
            entries.push((name.to_owned(), typed.out));
        }
        if spec.extensions && self.flavor == Flavor::Yaml {
            let mut extra: Vec<(String, Out)> = extensions(node)
                .into_iter()
                .map(|(k, v)| (k.clone(), self.any(v, 0)))
                .collect();
            sort_yaml_keys(&mut extra);
            entries.extend(extra);
        }
        Ok(entries)
    }

    fn zero_struct(&self, spec: &Spec) -> Result<Vec<(String, Out)>, PrintError> {
        let mut entries = Vec::new();
        for field in spec.fields {
            let Some(name) = self.name(field) else {
                continue;
            };
            let typed = self.zero(field)?;
            if typed.empty && self.omits(field) {
                continue;
            }
            entries.push((name.to_owned(), typed.out));
        }
        Ok(entries)
    }

    fn name<'a>(&self, field: &'a Field) -> Option<&'a str> {
        match self.flavor {
            Flavor::Yaml => Some(field.yaml),
            Flavor::Json => field.json,
        }
    }

    fn omits(&self, field: &Field) -> bool {
        match self.flavor {
            Flavor::Yaml => field.omit_yaml,
            Flavor::Json => field.omit_json,
        }
    }

    /// The Go zero value of an absent field.
    fn zero(&self, field: &Field) -> Result<Typed, PrintError> {
        if field.ptr {
            return Ok(Typed::new(Out::Null, true));
        }
        Ok(self.zero_kind(field.kind))
    }

    fn zero_kind(&self, kind: Kind) -> Typed {
        let json = self.flavor == Flavor::Json;
        let out = match kind {
            Kind::Str => Out::str(""),
            Kind::Bool => Out::Bool(false),
            Kind::Int | Kind::DeviceCount => Out::Int(0),
            Kind::UInt => Out::UInt(0),
            Kind::Float32 | Kind::NanoCpus => Out::Float32(0.0),
            Kind::Duration => Out::str("0s"),
            Kind::Bytes => Out::str("0"),
            Kind::FileMode => Out::str("00"),
            Kind::Struct(spec) => {
                let entries = self.zero_struct(spec).unwrap_or_default();
                return Typed::new(Out::Map(entries), !json);
            }
            // nil slices and maps: go-yaml writes `[]`/`{}`, encoding/json `null`; a nil
            // ShellCommand marshals to null in both.
            Kind::Shell => Out::Null,
            Kind::StrList
            | Kind::NumList
            | Kind::HealthTest
            | Kind::Hosts
            | Kind::Ssh
            | Kind::Seq(..) => {
                if json {
                    Out::Null
                } else {
                    Out::Seq(Vec::new())
                }
            }
            Kind::EnvMap | Kind::StrMap | Kind::MultiOptions | Kind::Map(..) => {
                if json {
                    Out::Null
                } else {
                    Out::Map(Vec::new())
                }
            }
            Kind::Ulimit | Kind::EnvFile | Kind::Secret | Kind::ConfigObj => Out::Null,
        };
        Typed::new(out, true)
    }

    fn field(&self, node: &Node, field: &Field, path: &str) -> Result<Typed, PrintError> {
        let mut typed = self.value(node, field.kind, path)?;
        if field.ptr {
            // A set pointer is never empty, even when it points to a zero value.
            typed.empty = false;
        }
        Ok(typed)
    }

    fn value(&self, node: &Node, kind: Kind, path: &str) -> Result<Typed, PrintError> {
        match kind {
            Kind::Str => {
                let s = match &node.value {
                    Value::Str(s) | Value::Timestamp(s) => s.clone(),
                    Value::Int(i) => i.to_string(),
                    _ => {
                        return Err(error(
                            path,
                            node,
                            format!(
                                "expected type 'string', got unconvertible type '{}', value: '{}'",
                                go_type(node),
                                sprint(node)
                            ),
                        ));
                    }
                };
                let empty = s.is_empty();
                Ok(Typed::new(Out::Str(s), empty))
            }
            Kind::Bool => {
                let b = match &node.value {
                    Value::Bool(b) => *b,
                    Value::Str(s) => match s.to_lowercase().as_str() {
                        "true" | "y" | "yes" | "on" => true,
                        "false" | "n" | "no" | "off" => false,
                        _ => {
                            return Err(error(path, node, format!("invalid boolean: {s}")));
                        }
                    },
                    _ => return Err(self.unconvertible(node, "bool", path)),
                };
                Ok(Typed::new(Out::Bool(b), !b))
            }
            Kind::Int => {
                let i = self.int(node, path)?;
                Ok(Typed::new(Out::Int(i), i == 0))
            }
            Kind::UInt => {
                let u = match &node.value {
                    Value::Int(i) => u64::try_from(*i).map_err(|_| {
                        error(
                            path,
                            node,
                            format!("cannot parse '{i}', {i} overflows uint"),
                        )
                    })?,
                    Value::UInt(u) => *u,
                    Value::Str(s) => s.parse().map_err(|_| {
                        error(
                            path,
                            node,
                            format!(
                                "expected type 'uint64', got unconvertible type 'string', value: '{s}'"
                            ),
                        )
                    })?,
                    _ => return Err(self.unconvertible(node, "uint64", path)),
                };
                Ok(Typed::new(Out::UInt(u), u == 0))
            }
            Kind::Float32 | Kind::NanoCpus => {
                let f = match &node.value {
                    Value::Int(i) => *i as f64,
                    Value::UInt(u) => *u as f64,
                    Value::Float(f) => *f,
                    Value::Str(s) => go::parse_go_float(s).ok_or_else(|| {
                        error(
                            path,
                            node,
                            format!("strconv.ParseFloat: parsing \"{s}\": invalid syntax"),
                        )
                    })?,
                    _ if kind == Kind::NanoCpus => {
                        return Err(error(
                            path,
                            node,
                            format!("unexpected value type {} for cpus", go_type(node)),
                        ));
                    }
                    _ => return Err(self.unconvertible(node, "float32", path)),
                };
                let f = f as f32;
                Ok(Typed::new(Out::Float32(f), f == 0.0))
            }
            Kind::Duration => {
                let nanos = go::parse_duration(&sprint(node)).map_err(|m| error(path, node, m))?;
                Ok(Typed::new(Out::Str(go::format_duration(nanos)), nanos == 0))
            }
            Kind::Bytes => {
                let bytes = match &node.value {
                    Value::Int(i) => *i,
                    Value::Str(s) => go::ram_in_bytes(s).map_err(|m| error(path, node, m))?,
                    // compose-go ignores other types and keeps zero.
                    _ => 0,
                };
                Ok(Typed::new(Out::Str(bytes.to_string()), bytes == 0))
            }
            Kind::FileMode => {
                let mode = match &node.value {
                    Value::Int(i) => *i,
                    Value::Str(s) => i64::from_str_radix(s, 8).map_err(|_| {
                        error(
                            path,
                            node,
                            format!("strconv.ParseInt: parsing \"{s}\": invalid syntax"),
                        )
                    })?,
                    _ => {
                        return Err(error(
                            path,
                            node,
                            format!("unexpected value type {} for mode", go_type(node)),
                        ));
                    }
                };
                let printed = if mode < 0 {
                    format!("0-{:o}", mode.unsigned_abs())
                } else {
                    format!("0{mode:o}")
                };
                Ok(Typed::new(Out::Str(printed), mode == 0))
            }
            Kind::DeviceCount => {
                let count = match &node.value {
                    Value::Int(i) => *i,
                    Value::Str(s) if s.eq_ignore_ascii_case("all") => -1,
                    Value::Str(s) => s.parse().map_err(|_| {
                        error(
                            path,
                            node,
                            format!(
                                "invalid value \"{s}\", the only value allowed is 'all' or a number"
                            ),
                        )
                    })?,
                    _ => {
                        return Err(error(
                            path,
                            node,
                            format!("invalid type {} for device count", go_type(node)),
                        ));
                    }
                };
                Ok(Typed::new(Out::Int(count), count == 0))
            }
            Kind::StrList | Kind::NumList => {
                let items: Vec<String> = match &node.value {
                    Value::Str(s) => vec![s.clone()],
                    Value::Seq(items) => {
                        let mut list = Vec::with_capacity(items.len());
                        for item in items {
                            match text(item) {
                                Some(s) => list.push(s),
                                None if kind == Kind::NumList => list.push(sprint(item)),
                                None => {
                                    return Err(error(
                                        path,
                                        node,
                                        "invalid type []interface {} for string list",
                                    ));
                                }
                            }
                        }
                        list
                    }
                    _ => {
                        return Err(error(
                            path,
                            node,
                            format!("invalid type {} for string list", go_type(node)),
                        ));
                    }
                };
                Ok(string_seq(items))
            }
            Kind::Shell => {
                let words = match &node.value {
                    Value::Str(s) => go::split_shell_words(s).map_err(|m| error(path, node, m))?,
                    Value::Seq(items) => items.iter().map(sprint).collect(),
                    _ => Vec::new(),
                };
                Ok(Typed::new(
                    Out::Seq(words.into_iter().map(Out::Str).collect()),
                    false,
                ))
            }
            Kind::HealthTest => {
                let words = match &node.value {
                    Value::Str(s) => vec!["CMD-SHELL".to_owned(), s.clone()],
                    Value::Seq(items) => items.iter().map(sprint).collect(),
                    _ => {
                        return Err(error(
                            path,
                            node,
                            format!(
                                "unexpected value type {} for healthcheck.test",
                                go_type(node)
                            ),
                        ));
                    }
                };
                Ok(string_seq(words))
            }
            Kind::EnvMap => {
                let mut entries: Vec<(String, Out)> = match &node.value {
                    Value::Map(map) => map
                        .iter()
                        .map(|(k, v)| {
                            let value = if v.is_null() {
                                Out::Null
                            } else {
                                Out::Str(sprint(v))
                            };
                            (k.clone(), value)
                        })
                        .collect(),
                    Value::Seq(items) => {
                        let mut entries: Vec<(String, Out)> = Vec::new();
                        for item in items {
                            let line = sprint(item);
                            let (key, value) = match line.split_once('=') {
                                Some((k, v)) => (k.to_owned(), Out::str(v)),
                                None => (line.clone(), Out::Null),
                            };
                            if key.ends_with(char::is_whitespace) {
                                return Err(error(
                                    path,
                                    item,
                                    format!(
                                        "environment variable {key} is declared with a trailing space"
                                    ),
                                ));
                            }
                            upsert(&mut entries, key, value);
                        }
                        entries
                    }
                    _ => {
                        return Err(error(
                            path,
                            node,
                            format!("unexpected value type {} for mapping", go_type(node)),
                        ));
                    }
                };
                self.sort(&mut entries);
                let empty = entries.is_empty();
                Ok(Typed::new(Out::Map(entries), empty))
            }
            Kind::StrMap => {
                let mut entries: Vec<(String, Out)> = match &node.value {
                    Value::Map(map) => map
                        .iter()
                        .map(|(k, v)| {
                            let value = if v.is_null() {
                                String::new()
                            } else {
                                sprint(v)
                            };
                            (k.clone(), Out::Str(value))
                        })
                        .collect(),
                    Value::Seq(items) => {
                        let mut entries = Vec::new();
                        for item in items {
                            let line = sprint(item);
                            let (key, value) = line.split_once('=').unwrap_or((&line, ""));
                            upsert(&mut entries, key.to_owned(), Out::str(value));
                        }
                        entries
                    }
                    _ => {
                        return Err(error(
                            path,
                            node,
                            format!("unexpected value type {} for mapping", go_type(node)),
                        ));
                    }
                };
                self.sort(&mut entries);
                let empty = entries.is_empty();
                Ok(Typed::new(Out::Map(entries), empty))
            }
            Kind::MultiOptions => {
                let Some(map) = node.as_map() else {
                    return Err(error(
                        path,
                        node,
                        format!("invalid type {} for options", go_type(node)),
                    ));
                };
                let mut entries: Vec<(String, Out)> = map
                    .iter()
                    .map(|(k, v)| {
                        let values = match &v.value {
                            Value::Seq(items) => items.iter().map(sprint).collect(),
                            _ => vec![sprint(v)],
                        };
                        (
                            k.clone(),
                            Out::Seq(values.into_iter().map(Out::Str).collect()),
                        )
                    })
                    .collect();
                self.sort(&mut entries);
                let empty = entries.is_empty();
                Ok(Typed::new(Out::Map(entries), empty))
            }
            Kind::Hosts => self.hosts(node, path),
            Kind::Ssh => {
                let Some(map) = node.as_map() else {
                    return Err(error(
                        path,
                        node,
                        format!("invalid ssh config type {}", go_type(node)),
                    ));
                };
                // compose-go fills the list from a Go map, so its order is random; sorting by
                // id at least makes the output stable.
                let mut keys: Vec<(String, Out)> = map
                    .iter()
                    .map(|(id, path)| {
                        let text = if path.is_null() {
                            id.clone()
                        } else {
                            format!("{id}: {}", sprint(path))
                        };
                        (id.clone(), Out::Str(text))
                    })
                    .collect();
                keys.sort_by(|a, b| a.0.cmp(&b.0));
                if self.flavor == Flavor::Json && map.values().any(|path| !path.is_null()) {
                    // compose-go's JSON for a key with a path is not valid JSON, so
                    // encoding/json gives up on the whole project.
                    return Err(PrintError {
                        path: String::new(),
                        message: "json: error calling MarshalJSON for type types.SSHKey: \
                                  invalid character ':' after top-level value"
                            .into(),
                        span: node.span,
                    });
                }
                let items: Vec<Out> = keys.into_iter().map(|(_, v)| v).collect();
                let empty = items.is_empty();
                Ok(Typed::new(Out::Seq(items), empty))
            }
            Kind::Ulimit => self.ulimit(node, path),
            Kind::EnvFile => self.env_file(node, path),
            Kind::Secret | Kind::ConfigObj => self.file_object(node, kind, path),
            Kind::Struct(spec) => {
                let entries = self.struct_entries(node, spec, path)?;
                // go-yaml drops a struct whose fields are all zero; encoding/json never does.
                let empty = self.flavor == Flavor::Yaml && entries.is_empty();
                Ok(Typed::new(Out::Map(entries), empty))
            }
            Kind::Seq(item_kind, ptr_items) => {
                let Some(items) = node.as_seq() else {
                    return Err(error(
                        path,
                        node,
                        format!(
                            "source data must be an array or slice, got {}",
                            go_kind(node)
                        ),
                    ));
                };
                let mut out = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{index}]");
                    if item.is_null() && ptr_items {
                        out.push(Out::Null);
                    } else if item.is_null() {
                        out.push(self.zero_kind(*item_kind).out);
                    } else {
                        out.push(self.value(item, *item_kind, &item_path)?.out);
                    }
                }
                let empty = out.is_empty();
                Ok(Typed::new(Out::Seq(out), empty))
            }
            Kind::Map(value_kind, ptr_values) => {
                let Some(map) = node.as_map() else {
                    return Err(error(
                        path,
                        node,
                        format!("expected a map, got '{}'", go_kind(node)),
                    ));
                };
                let mut entries = Vec::with_capacity(map.len());
                for (key, value) in map {
                    let entry_path = format!("{path}[{key}]");
                    let out = if value.is_null() && ptr_values {
                        Out::Null
                    } else if value.is_null() {
                        self.zero_kind(*value_kind).out
                    } else {
                        self.value(value, *value_kind, &entry_path)?.out
                    };
                    entries.push((key.clone(), out));
                }
                self.sort(&mut entries);
                let empty = entries.is_empty();
                Ok(Typed::new(Out::Map(entries), empty))
            }
        }
    }

    fn unconvertible(&self, node: &Node, expected: &str, path: &str) -> PrintError {
        error(
            path,
            node,
            format!(
                "expected type '{expected}', got unconvertible type '{}', value: '{}'",
                go_type(node),
                sprint(node)
            ),
        )
    }

    fn int(&self, node: &Node, path: &str) -> Result<i64, PrintError> {
        match &node.value {
            Value::Int(i) => Ok(*i),
            Value::Str(s) => s.parse().map_err(|_| {
                error(
                    path,
                    node,
                    format!("strconv.ParseInt: parsing \"{s}\": invalid syntax"),
                )
            }),
            Value::Float(f) if f.fract() == 0.0 => Ok(*f as i64),
            _ => Err(self.unconvertible(node, "int", path)),
        }
    }

    fn hosts(&self, node: &Node, path: &str) -> Result<Typed, PrintError> {
        let mut hosts: Vec<(String, Vec<String>)> = Vec::new();
        let mut add = |host: String, ips: Vec<String>| match hosts.iter_mut().find(|h| h.0 == host)
        {
            Some(entry) => entry.1.extend(ips),
            None => hosts.push((host, ips)),
        };
        match &node.value {
            Value::Map(map) => {
                for (host, value) in map {
                    let ips = match &value.value {
                        Value::Null => vec![String::new()],
                        Value::Str(s) => vec![s.clone()],
                        Value::Seq(items) => items.iter().map(sprint).collect(),
                        _ => {
                            return Err(error(
                                path,
                                node,
                                "unexpected value type map[string]interface {} for extra_hosts entry",
                            ));
                        }
                    };
                    add(host.clone(), ips);
                }
            }
            Value::Seq(items) => {
                for item in items {
                    let line = sprint(item);
                    let split = line.split_once('=').or_else(|| line.split_once(':'));
                    let Some((host, ips)) = split else {
                        return Err(error(
                            path,
                            node,
                            format!("invalid additional host, missing IP: {line}"),
                        ));
                    };
                    add(host.to_owned(), ips.split(',').map(str::to_owned).collect());
                }
            }
            _ => {
                return Err(error(
                    path,
                    node,
                    format!("unexpected value type {} for extra_hosts", go_type(node)),
                ));
            }
        }
        let mut lines = Vec::new();
        for (host, ips) in hosts {
            if host.is_empty() || host.contains([':', '=']) {
                return Err(error(path, node, format!("bad host name '{host}'")));
            }
            for ip in ips {
                let ip = match ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')) {
                    Some(inner) if ip.len() > 2 => inner.to_owned(),
                    _ => ip,
                };
                lines.push(format!("{host}={ip}"));
            }
        }
        lines.sort();
        Ok(string_seq(lines))
    }

    fn ulimit(&self, node: &Node, path: &str) -> Result<Typed, PrintError> {
        let (single, soft, hard) = match &node.value {
            Value::Int(i) => (*i, 0, 0),
            Value::Map(map) => {
                let read = |key: &str| -> Result<i64, PrintError> {
                    match map.get(key) {
                        Some(value) => self.int(value, &format!("{path}.{key}")),
                        None => Ok(0),
                    }
                };
                (0, read("soft")?, read("hard")?)
            }
            Value::Str(_) => (self.int(node, path)?, 0, 0),
            _ => {
                return Err(error(
                    path,
                    node,
                    format!("unexpected value type {} for ulimit", go_type(node)),
                ));
            }
        };
        if single != 0 {
            return Ok(Typed::new(Out::Int(single), false));
        }
        let mut entries = Vec::new();
        for (key, value) in [("soft", soft), ("hard", hard)] {
            // go-yaml prints the anonymous struct's fields; encoding/json the tagged,
            // `omitempty` fields of the config.
            if self.flavor == Flavor::Yaml || value != 0 {
                entries.push((key.to_owned(), Out::Int(value)));
            }
        }
        Ok(Typed::new(Out::Map(entries), false))
    }

    fn env_file(&self, node: &Node, path: &str) -> Result<Typed, PrintError> {
        if let Value::Str(s) = &node.value {
            return Ok(Typed::new(Out::str(s.clone()), false));
        }
        let entries = self.struct_entries(node, &model::ENV_FILE, path)?;
        let required = matches!(
            entries.iter().find(|(k, _)| k == "required"),
            Some((_, Out::Bool(true)))
        );
        let file_path = entries
            .iter()
            .find(|(k, _)| k == "path")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| Out::str(""));
        if required {
            return Ok(Typed::new(file_path, false));
        }
        if self.flavor == Flavor::Yaml {
            // compose-go marshals an optional env file as a map of path and required only.
            return Ok(Typed::new(
                Out::map([("path", file_path), ("required", Out::Bool(false))]),
                false,
            ));
        }
        Ok(Typed::new(Out::Map(entries), false))
    }

    fn file_object(&self, node: &Node, kind: Kind, path: &str) -> Result<Typed, PrintError> {
        let mut node = node.clone();
        if let Some(map) = node.as_map_mut() {
            // compose-go moves a secret's inline value into its content, which is never printed.
            let inline_value = map
                .get("x-#value")
                .is_some_and(|v| matches!(v.value, Value::Str(_)));
            if kind == Kind::Secret && inline_value {
                map.shift_remove("x-#value");
            }
            let drop_content = kind == Kind::Secret
                || map
                    .get("environment")
                    .is_some_and(|e| e.as_str().is_some_and(|s| !s.is_empty()));
            if drop_content {
                map.shift_remove("content");
            }
        }
        let entries = self.struct_entries(&node, &model::FILE_OBJECT, path)?;
        let empty = self.flavor == Flavor::Yaml && entries.is_empty();
        Ok(Typed::new(Out::Map(entries), empty))
    }

    /// A free-form value (`x-*` extensions): scalars as go-yaml decoded them, maps sorted.
    fn any(&self, node: &Node, depth: usize) -> Out {
        if depth + self.depth > MAX_DEPTH {
            return Out::Null;
        }
        match &node.value {
            Value::Null => Out::Null,
            Value::Bool(b) => Out::Bool(*b),
            Value::Int(i) => Out::Int(*i),
            Value::UInt(u) => Out::UInt(*u),
            Value::Float(f) => Out::Float(*f),
            Value::Str(s) | Value::Timestamp(s) => Out::Str(s.clone()),
            Value::Seq(items) => Out::Seq(items.iter().map(|i| self.any(i, depth + 1)).collect()),
            Value::Map(map) => {
                let mut entries: Vec<(String, Out)> = map
                    .iter()
                    .map(|(k, v)| (k.clone(), self.any(v, depth + 1)))
                    .collect();
                self.sort(&mut entries);
                Out::Map(entries)
            }
        }
    }
}

fn string_seq(items: Vec<String>) -> Typed {
    let empty = items.is_empty();
    Typed::new(Out::Seq(items.into_iter().map(Out::Str).collect()), empty)
}

/// Sets a Go map entry: a later key replaces the earlier value in place.
fn upsert(entries: &mut Vec<(String, Out)>, key: String, value: Out) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}
