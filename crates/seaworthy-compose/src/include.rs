//! `include` (spec §7.2): each item is loaded as an independent project (its own directory and
//! `.env`, the including project's environment winning), and its services, networks, volumes,
//! secrets, configs and models are copied in. A resource defined differently on both sides is
//! an error in docker compose v2.40; include cycles are reported.

use crate::error::LoadError;
use crate::loader::{Context, Stages, load_model};
use crate::node::{Map, Node, Value};
use crate::options::{Environment, absolute, read_env_files};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) fn apply_include(
    cx: &mut Context<'_>,
    document: &mut Node,
    working_dir: &Path,
    environment: &Environment,
    stages: Stages,
    included: &[PathBuf],
) -> Result<(), LoadError> {
    let Some(map) = document.as_map_mut() else {
        return Ok(());
    };
    let Some(include) = map.shift_remove("include") else {
        return Ok(());
    };
    if include.is_null() {
        return Ok(());
    }
    let Some(items) = include.as_seq() else {
        return Err(LoadError::at("`include` must be a list", include.span).with_code("include"));
    };
    for item in items {
        let config = IncludeItem::from_node(item)?;
        let imported = load_included(cx, &config, working_dir, environment, stages, included)?;
        import_resources(imported, document)?;
    }
    Ok(())
}

struct IncludeItem {
    paths: Vec<(String, seaworthy_source::Span)>,
    project_directory: Option<String>,
    env_files: Vec<String>,
    span: seaworthy_source::Span,
}

impl IncludeItem {
    fn from_node(node: &Node) -> Result<Self, LoadError> {
        let strings = |n: Option<&Node>| -> Vec<(String, seaworthy_source::Span)> {
            match n.map(|n| &n.value) {
                Some(Value::Str(s)) => vec![(s.clone(), n.map(|n| n.span).unwrap_or_default())],
                Some(Value::Seq(items)) => items
                    .iter()
                    .filter_map(|i| Some((i.as_str()?.to_owned(), i.span)))
                    .collect(),
                _ => Vec::new(),
            }
        };
        match &node.value {
            Value::Str(path) => Ok(IncludeItem {
                paths: vec![(path.clone(), node.span)],
                project_directory: None,
                env_files: Vec::new(),
                span: node.span,
            }),
            Value::Map(map) => Ok(IncludeItem {
                paths: strings(map.get("path")),
                project_directory: map
                    .get("project_directory")
                    .and_then(Node::as_str)
                    .map(str::to_owned),
                env_files: strings(map.get("env_file"))
                    .into_iter()
                    .map(|(s, _)| s)
                    .collect(),
                span: node.span,
            }),
            _ => Err(
                LoadError::at("include entries must be a path or a mapping", node.span)
                    .with_code("include"),
            ),
        }
    }
}

fn load_included(
    cx: &mut Context<'_>,
    item: &IncludeItem,
    working_dir: &Path,
    environment: &Environment,
    stages: Stages,
    included: &[PathBuf],
) -> Result<Node, LoadError> {
    let Some((_, first_span)) = item.paths.first() else {
        return Err(LoadError::at("include entry has no path", item.span).with_code("include"));
    };
    let files: Vec<PathBuf> = item
        .paths
        .iter()
        .map(|(p, _)| absolute(working_dir, Path::new(p)))
        .collect();
    let main = &files[0];
    if included.contains(main) {
        let mut chain: Vec<String> = included.iter().map(|p| p.display().to_string()).collect();
        chain.push(main.display().to_string());
        return Err(LoadError::at(
            format!(
                "include cycle detected:\n{}\n include {}",
                chain[0],
                chain[1..].join("\n include ")
            ),
            *first_span,
        )
        .with_code("include-cycle"));
    }
    let project_dir = match &item.project_directory {
        None => main.parent().map(Path::to_path_buf).unwrap_or_default(),
        Some(dir) => absolute(working_dir, Path::new(dir)),
    };
    let env_files: Vec<PathBuf> = if item.env_files.is_empty() {
        let default = project_dir.join(".env");
        if cx.fs.is_file(&default) {
            vec![default]
        } else {
            Vec::new()
        }
    } else {
        let mut files = Vec::new();
        for f in &item.env_files {
            let path = absolute(working_dir, Path::new(f));
            match cx.fs.metadata(&path) {
                Ok(meta) if meta.is_dir => {
                    return Err(LoadError::at(
                        format!("{} is not a file", path.display()),
                        item.span,
                    ));
                }
                Ok(_) => files.push(path),
                Err(_) if f == "/dev/null" => {}
                Err(_) => {
                    return Err(LoadError::at(
                        format!("stat {}: no such file or directory", path.display()),
                        item.span,
                    )
                    .with_code("include"));
                }
            }
        }
        files
    };
    let parent: BTreeMap<String, String> = environment
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let from_files = read_env_files(&env_files, &parent, cx.fs)?;
    let mut child_environment = environment.clone();
    child_environment.merge_under(from_files);
    let child_stages = Stages {
        extends: true,
        include: true,
        validation: stages.validation,
        resolve_paths: true,
        defaults: stages.defaults,
        interpolate: stages.interpolate,
    };
    load_model(
        cx,
        &files,
        &project_dir,
        &child_environment,
        child_stages,
        included,
    )
}

fn import_resources(imported: Node, target: &mut Node) -> Result<(), LoadError> {
    let Value::Map(mut source) = imported.value else {
        return Ok(());
    };
    let Some(target) = target.as_map_mut() else {
        return Ok(());
    };
    for kind in [
        "services", "volumes", "networks", "secrets", "configs", "models",
    ] {
        let Some(from) = source.shift_remove(kind) else {
            continue;
        };
        let Value::Map(from) = from.value else {
            continue;
        };
        let to = target
            .entry(kind.to_owned())
            .or_insert_with(|| Node::map(Map::default(), from_span(&from)));
        if to.is_null() {
            to.value = Value::Map(Map::default());
        }
        let Some(to) = to.as_map_mut() else { continue };
        for (name, resource) in from {
            if let Some(existing) = to.get(&name) {
                if same_value(existing, &resource) {
                    continue;
                }
                return Err(LoadError::at(
                    format!("{kind}.{name} conflicts with imported resource"),
                    existing.key_span,
                )
                .with_code("include")
                .with_help("docker compose v2.40 refuses a resource defined both here and in an included project; remove one of them"));
            }
            to.insert(name, resource);
        }
    }
    Ok(())
}

fn from_span(map: &Map) -> seaworthy_source::Span {
    map.values().next().map(|n| n.key_span).unwrap_or_default()
}

/// Equality of values, ignoring where they were written.
fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_value(v, w))
        }
        (x, y) => x == y,
    }
}
