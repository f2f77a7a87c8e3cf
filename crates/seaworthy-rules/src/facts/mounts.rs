//! The bind and tmpfs mounts of a service, from docker compose's canonical long-form
//! `volumes` (`{type, source, target, read_only?, bind?}`) and the `tmpfs` list, with bind
//! sources normalized the way the kernel resolves them (`//etc/./` is `/etc`).

use crate::Service;
use seaworthy_compose::Node;

/// One `type: bind` entry of `volumes`.
#[derive(Clone, Debug)]
pub(crate) struct BindMount<'a> {
    pub entry: &'a Node,
    /// The `source` node (the whole short-syntax string carries the same span).
    pub source_node: &'a Node,
    /// The source as the loader resolved it, normalized: no `.`, `..`, doubled or trailing `/`.
    pub source: String,
    pub target: &'a str,
    /// `:ro` or `read_only: true`.
    pub read_only: bool,
    /// `bind.propagation`, when set.
    pub propagation: Option<&'a Node>,
}

/// One tmpfs mount: an entry of `tmpfs` (`/run:exec,size=1m`) or a `type: tmpfs` volume.
#[derive(Clone, Debug)]
pub(crate) struct TmpfsMount<'a> {
    pub node: &'a Node,
    pub target: &'a str,
    /// The mount options after the `:` of a `tmpfs` entry (`exec`, `size=1m`).
    pub options: Vec<&'a str>,
}

/// Every bind mount of the service, in order.
pub(crate) fn bind_mounts<'a>(service: &Service<'a>) -> Vec<BindMount<'a>> {
    volume_entries(service)
        .filter(|entry| entry.get("type").and_then(Node::as_str) == Some("bind"))
        .filter_map(|entry| {
            let source_node = entry.get("source")?;
            let source = normalize(source_node.as_str()?);
            Some(BindMount {
                entry,
                source_node,
                source,
                target: entry.get("target").and_then(Node::as_str).unwrap_or(""),
                read_only: read_only(entry),
                propagation: entry.get("bind").and_then(|b| b.get("propagation")),
            })
        })
        .collect()
}

/// Every tmpfs mount of the service: the `tmpfs` key (a string or a list) and `type: tmpfs`
/// volumes (which take no exec options in compose).
pub(crate) fn tmpfs_mounts<'a>(service: &Service<'a>) -> Vec<TmpfsMount<'a>> {
    let mut mounts = Vec::new();
    let listed: Vec<&Node> = match service.get("tmpfs") {
        Some(node) => match node.as_seq() {
            Some(items) => items.iter().collect(),
            None => vec![node],
        },
        None => Vec::new(),
    };
    for node in listed {
        let Some(text) = node.as_str() else { continue };
        let (target, options) = match text.split_once(':') {
            Some((target, options)) => (target, options.split(',').map(str::trim).collect()),
            None => (text, Vec::new()),
        };
        mounts.push(TmpfsMount {
            node,
            target,
            options,
        });
    }
    for entry in volume_entries(service)
        .filter(|entry| entry.get("type").and_then(Node::as_str) == Some("tmpfs"))
    {
        mounts.push(TmpfsMount {
            node: entry,
            target: entry.get("target").and_then(Node::as_str).unwrap_or(""),
            options: Vec::new(),
        });
    }
    mounts
}

/// The canonical `volumes` entries (maps) of the service.
pub(crate) fn volume_entries<'a>(service: &Service<'a>) -> impl Iterator<Item = &'a Node> {
    service
        .get("volumes")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter(|entry| entry.as_map().is_some())
}

fn read_only(entry: &Node) -> bool {
    match entry.get("read_only").map(|n| &n.value) {
        Some(seaworthy_compose::Value::Bool(b)) => *b,
        Some(seaworthy_compose::Value::Str(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// Normalizes an absolute path lexically: `//dev/./sda` is `/dev/sda`, `/run/../etc/` is
/// `/etc`. Relative or Windows paths keep their prefix and only lose `.` and empty segments.
pub(crate) fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if absolute => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `path` is `dir` or below it, on whole segments (`/etc` covers `/etc/ssl` but not `/etcd`).
pub(crate) fn is_same_or_under(path: &str, dir: &str) -> bool {
    if dir == "/" {
        return path.starts_with('/');
    }
    match path.strip_prefix(dir) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_the_kernel_resolves() {
        assert_eq!(normalize("//etc/./"), "/etc");
        assert_eq!(
            normalize("/var/run/../run/docker.sock"),
            "/var/run/docker.sock"
        );
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize("/.."), "/");
        assert_eq!(normalize("//dev/./sda"), "/dev/sda");
    }

    #[test]
    fn under_means_whole_segments() {
        assert!(is_same_or_under("/etc", "/etc"));
        assert!(is_same_or_under("/etc/ssl/certs", "/etc"));
        assert!(!is_same_or_under("/etcd/data", "/etc"));
        assert!(is_same_or_under("/anything", "/"));
        assert!(!is_same_or_under("/run", "/run/containerd"));
    }
}
