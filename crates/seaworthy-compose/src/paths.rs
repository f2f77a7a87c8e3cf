//! Relative paths made absolute against the project's working directory (spec §2.2): build
//! contexts (not remote ones), env files, label files, bind mount sources, secret and config
//! files, `extends.file`, watch paths and local bind volumes' devices. `~` is the home
//! directory. Only these paths are touched, as in compose-go's `ResolveRelativePaths`.

use crate::node::{Node, Value};
use crate::tree_path::{Pattern, TreePath};
use seaworthy_source::lexical_clean;
use std::path::Path;

#[derive(Clone, Copy)]
enum Resolver {
    Context,
    Plain,
    Volume,
    DriverOpts,
}

const RESOLVERS: &[(Pattern<'static>, Resolver)] = &[
    (Pattern::new("services.*.build.context"), Resolver::Context),
    (
        Pattern::new("services.*.build.additional_contexts.*"),
        Resolver::Context,
    ),
    (Pattern::new("services.*.build.ssh.*"), Resolver::Plain),
    (Pattern::new("services.*.env_file.*.path"), Resolver::Plain),
    (Pattern::new("services.*.label_file.*"), Resolver::Plain),
    (Pattern::new("services.*.extends.file"), Resolver::Plain),
    (
        Pattern::new("services.*.develop.watch.*.path"),
        Resolver::Plain,
    ),
    (Pattern::new("services.*.volumes.*"), Resolver::Volume),
    (Pattern::new("configs.*.file"), Resolver::Plain),
    (Pattern::new("secrets.*.file"), Resolver::Plain),
    (Pattern::new("include.path"), Resolver::Plain),
    (Pattern::new("include.project_directory"), Resolver::Plain),
    (Pattern::new("include.env_file"), Resolver::Plain),
    (Pattern::new("volumes.*"), Resolver::DriverOpts),
];

pub fn resolve_relative_paths(dict: &mut Node, working_dir: &Path, home: Option<&Path>) {
    walk(dict, &TreePath::root(), working_dir, home);
}

fn walk(node: &mut Node, path: &TreePath, dir: &Path, home: Option<&Path>) {
    if let Some((_, resolver)) = RESOLVERS.iter().find(|(p, _)| path.matches_pattern(p)) {
        apply(*resolver, node, dir, home);
        return;
    }
    match &mut node.value {
        Value::Map(map) => {
            for (key, child) in map.iter_mut() {
                walk(child, &path.next(key), dir, home);
            }
        }
        Value::Seq(items) => {
            let item_path = path.next("[]");
            for item in items.iter_mut() {
                walk(item, &item_path, dir, home);
            }
        }
        _ => {}
    }
}

fn apply(resolver: Resolver, node: &mut Node, dir: &Path, home: Option<&Path>) {
    match resolver {
        Resolver::Context => {
            if let Some(context) = node.as_str()
                && !is_remote_context(context)
            {
                node.value = Value::Str(absolute(context, dir, home));
            }
        }
        Resolver::Plain => match &mut node.value {
            Value::Str(s) => *s = absolute(s, dir, home),
            Value::Seq(items) => {
                for item in items {
                    if let Value::Str(s) = &mut item.value {
                        *s = absolute(s, dir, home);
                    }
                }
            }
            _ => {}
        },
        Resolver::Volume => {
            if node.get("type").and_then(Node::as_str) == Some("bind")
                && let Some(source) = node.get_mut("source")
                && let Value::Str(s) = &mut source.value
            {
                *s = absolute_bind_source(s, dir, home);
            }
        }
        Resolver::DriverOpts => {
            if node.get("driver").and_then(Node::as_str) != Some("local") {
                return;
            }
            let Some(opts) = node.get_mut("driver_opts") else {
                return;
            };
            if opts.get("o").and_then(Node::as_str) == Some("bind")
                && let Some(device) = opts.get_mut("device")
                && let Value::Str(s) = &mut device.value
            {
                *s = absolute(s, dir, home);
            }
        }
    }
}

/// A bind mount's source: unlike other paths, an empty one means the project directory
/// (`source: ${UNSET}`), and a Windows absolute path (`C:\\data`) is kept for a Windows engine.
fn absolute_bind_source(value: &str, dir: &Path, home: Option<&Path>) -> String {
    if value.is_empty() {
        return dir.display().to_string();
    }
    if is_windows_absolute(value) {
        return value.to_owned();
    }
    absolute(value, dir, home)
}

fn is_windows_absolute(path: &str) -> bool {
    let separator = |b: Option<&u8>| matches!(b, Some(b'/' | b'\\'));
    let bytes = path.as_bytes();
    let unc = separator(bytes.first()) && separator(bytes.get(1));
    let drive = bytes.get(1) == Some(&b':') && separator(bytes.get(2));
    unc || drive
}

/// Build contexts that are URLs, git remotes or other services are left alone.
pub fn is_remote_context(context: &str) -> bool {
    context.contains("://")
        || context.starts_with("service:")
        || [
            "https://",
            "http://",
            "git://",
            "ssh://",
            "github.com/",
            "git@",
        ]
        .iter()
        .any(|p| context.starts_with(p))
}

/// `~` expanded, then joined to the directory and cleaned unless already absolute; `""` stays.
pub fn absolute(value: &str, dir: &Path, home: Option<&Path>) -> String {
    let expanded = match (value.strip_prefix('~'), home) {
        (Some(rest), Some(home)) => lexical_clean(&home.join(rest.trim_start_matches('/')))
            .display()
            .to_string(),
        _ => value.to_owned(),
    };
    if expanded.is_empty() || Path::new(&expanded).is_absolute() {
        return expanded;
    }
    lexical_clean(&dir.join(&expanded)).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;
    use seaworthy_source::FileId;

    #[test]
    fn only_known_paths_are_resolved() {
        let text = "services:\n  a:\n    build: {context: ./app}\n    image: ./not-a-path\n    volumes:\n      - {type: bind, source: ./data, target: /d}\n      - {type: volume, source: data, target: /v}\nsecrets:\n  s: {file: ../s.txt}\n";
        let mut doc = parse_documents(text, FileId(0)).unwrap().remove(0);
        resolve_relative_paths(&mut doc, Path::new("/p/docker"), None);
        assert_eq!(
            doc.path("services.a.build.context").unwrap().as_str(),
            Some("/p/docker/app")
        );
        assert_eq!(
            doc.path("services.a.image").unwrap().as_str(),
            Some("./not-a-path")
        );
        let volumes = doc.path("services.a.volumes").unwrap().as_seq().unwrap();
        assert_eq!(
            volumes[0].get("source").unwrap().as_str(),
            Some("/p/docker/data")
        );
        assert_eq!(volumes[1].get("source").unwrap().as_str(), Some("data"));
        assert_eq!(
            doc.path("secrets.s.file").unwrap().as_str(),
            Some("/p/s.txt")
        );
    }

    #[test]
    fn remote_contexts_and_home_paths() {
        assert!(is_remote_context("https://github.com/x/y.git"));
        assert!(is_remote_context("git@github.com:x/y"));
        assert!(!is_remote_context("./app"));
        assert_eq!(
            absolute("~/data", Path::new("/p"), Some(Path::new("/home/u"))),
            "/home/u/data"
        );
    }

    #[test]
    fn bind_sources_empty_means_project_dir_and_windows_paths_stay() {
        // recorded with docker compose v2.40.3 (`source: ${UNSET}` in coolify's compose file)
        let dir = Path::new("/p");
        assert_eq!(absolute_bind_source("", dir, None), "/p");
        assert_eq!(absolute_bind_source(r"C:\data", dir, None), r"C:\data");
        assert_eq!(absolute_bind_source("C:/x", dir, None), "C:/x");
        assert_eq!(absolute_bind_source("./d", dir, None), "/p/d");
    }
}
