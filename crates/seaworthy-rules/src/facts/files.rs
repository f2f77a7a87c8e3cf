//! The files a target reads besides its compose files, as the file-system rules see them:
//! secret files, and how to name a path in a message (relative to the project directory).

use crate::{Context, Resource, ResourceKind};
use seaworthy_compose::{Node, Project};
use seaworthy_source::WorkTree;
use std::path::{Path, PathBuf};

/// A top-level secret read from a file.
pub(crate) struct SecretFile<'a> {
    pub name: &'a str,
    /// The `file:` value (already absolute: the loader resolves it).
    pub node: &'a Node,
    pub path: PathBuf,
}

/// A top-level secret read from a file; `None` for other resources and for secrets that come
/// from the environment or are external.
pub(crate) fn file_secret<'a>(resource: &Resource<'a>) -> Option<SecretFile<'a>> {
    if resource.kind != ResourceKind::Secret {
        return None;
    }
    let node = resource.get("file")?;
    let text = node.as_str().filter(|t| !t.is_empty())?;
    Some(SecretFile {
        name: resource.name,
        node,
        path: PathBuf::from(text),
    })
}

/// Whether a value's text came through a variable that is not set: `interpolation-unset`
/// reports that, and the path it produced means nothing.
pub(crate) fn has_unset_variable(project: &Project, node: &Node) -> bool {
    project.unset_variables.iter().any(|u| u.span == node.span)
}

/// Whether the repository the path is in tracks it (its index holds it): committed, or staged.
/// `None` outside a repository or when the index cannot say.
pub(crate) fn git_tracks(cx: &Context<'_>, path: &Path) -> Option<bool> {
    WorkTree::containing(cx.fs, path.parent()?)?.tracks_with(cx.fs, path, cx.ignores)
}

/// Whether the repository the path is in keeps it out of git (so a checkout cannot have it).
pub(crate) fn git_ignores(cx: &Context<'_>, path: &Path) -> Option<bool> {
    let tree = WorkTree::containing(cx.fs, path.parent()?)?;
    Some(tree.ignores_with(cx.fs, path, false, cx.ignores))
}

/// Whether a checkout of the project cannot be expected to hold `path`: the file is outside
/// the repository (or, without one, outside the project directory), or the repository's
/// ignore rules keep it out of git. Only the deploy host has such files.
pub(crate) fn only_on_the_host(cx: &Context<'_>, path: &Path) -> bool {
    let project = cx.project;
    match WorkTree::containing(cx.fs, &project.working_dir) {
        Some(tree) => {
            !path.starts_with(tree.root()) || tree.ignores_with(cx.fs, path, false, cx.ignores)
        }
        None => !path.starts_with(&project.working_dir),
    }
}

/// `path` as the user would write it: relative to the project directory when it is inside.
pub(crate) fn shown(project: &Project, path: &Path) -> String {
    path.strip_prefix(&project.working_dir)
        .unwrap_or(path)
        .display()
        .to_string()
}
