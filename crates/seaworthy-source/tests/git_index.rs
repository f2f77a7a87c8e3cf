//! The index reader against indexes written by git itself: a file committed before the
//! `.gitignore` line that ignores it, a file only ignored, index versions 2 and 4, and a
//! linked work tree. Needs the `git` command, as every checkout of this repository has.

#![allow(clippy::disallowed_methods)] // the test writes a real repository

use seaworthy_source::{RealFs, WorkTree};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn answers(tree: &WorkTree, root: &Path) -> Vec<(String, Option<bool>)> {
    [
        "secrets/db.txt",
        "secrets/api.txt",
        "docker/compose.yaml",
        "secrets",
    ]
    .iter()
    .map(|name| (name.to_string(), tree.tracks(&RealFs, &root.join(name))))
    .collect()
}

#[test]
fn tracked_files_are_told_from_ignored_ones_in_every_index_version() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir(&root).unwrap();
    git(&root, &["init", "-q"]);
    write(&root, "docker/compose.yaml", "services: {}\n");
    write(&root, "secrets/db.txt", "committed by mistake\n");
    git(&root, &["add", "."]);
    git(&root, &["commit", "-qm", "first"]);
    // Ignored afterwards: still tracked.
    write(&root, ".gitignore", "secrets/\n");
    write(&root, "secrets/api.txt", "only ignored\n");
    git(&root, &["add", ".gitignore"]);
    git(&root, &["commit", "-qm", "ignore secrets"]);
    let tree = WorkTree::containing(&RealFs, &root.join("secrets")).expect("a work tree");
    let expected = vec![
        ("secrets/db.txt".to_owned(), Some(true)),
        ("secrets/api.txt".to_owned(), Some(false)),
        ("docker/compose.yaml".to_owned(), Some(true)),
        ("secrets".to_owned(), Some(false)),
    ];
    assert_eq!(answers(&tree, &root), expected, "index version 2");
    git(&root, &["update-index", "--index-version", "4"]);
    assert_eq!(answers(&tree, &root), expected, "index version 4");

    git(&root, &["worktree", "add", "-q", "../linked"]);
    let linked = dir.path().join("linked");
    let tree = WorkTree::containing(&RealFs, &linked).expect("a linked work tree");
    assert_eq!(tree.root(), linked);
    assert_eq!(answers(&tree, &linked), expected, "linked work tree");
}
