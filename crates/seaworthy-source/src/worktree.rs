//! What git keeps out of a repository: the work tree a path belongs to, and whether its ignore
//! rules (`.gitignore` files from the root down, then `.git/info/exclude`) leave a file out.
//! Secret files and env files must be left out; a checkout of the repository then cannot hold
//! them, which the secret rules need to know.
//!
//! The patterns themselves are matched by the `ignore` crate, which implements gitignore
//! syntax; the walk from the root down is ours because files are read through `FileSystem`.
//! Git's global `core.excludesFile` is the user's, not the repository's, and is not read.

use crate::{FileSystem, git_index};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A git work tree: the directory that holds `.git`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkTree {
    root: PathBuf,
}

impl WorkTree {
    /// The work tree `path` is in: the nearest directory, from `path` up, that holds a `.git`
    /// directory (a repository) or file (a linked work tree or submodule).
    pub fn containing(fs: &dyn FileSystem, path: &Path) -> Option<WorkTree> {
        path.ancestors()
            .find(|dir| fs.exists(&dir.join(".git")))
            .map(|root| WorkTree {
                root: root.to_path_buf(),
            })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether git tracks `path` (its index holds it): committed, or staged to be. `None`
    /// when the index cannot be read or answer (a split index, an unknown version) or the
    /// path is outside the work tree.
    pub fn tracks(&self, fs: &dyn FileSystem, path: &Path) -> Option<bool> {
        self.tracks_with(fs, path, &IgnoreCache::default())
    }

    /// The same, with the index read once per `cache` (a large repository's index is
    /// megabytes, and every secret file asks).
    pub fn tracks_with(
        &self,
        fs: &dyn FileSystem,
        path: &Path,
        cache: &IgnoreCache,
    ) -> Option<bool> {
        let relative = path.strip_prefix(&self.root).ok()?;
        let relative: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let dot_git = self.root.join(".git");
        let linked = if fs.is_file(&dot_git) {
            Some(fs.read_to_string(&dot_git).ok()?)
        } else {
            None
        };
        let git_dir = git_index::git_dir(&dot_git, linked.as_deref())?;
        // A linked work tree keeps its config (and the object format) in the common directory.
        let common = fs
            .read_to_string(&git_dir.join("commondir"))
            .ok()
            .map_or_else(|| git_dir.clone(), |c| git_dir.join(c.trim()));
        let config = fs
            .read_to_string(&common.join("config"))
            .unwrap_or_default();
        let index = git_dir.join("index");
        let entries = cache.index(&index, || {
            let bytes = fs.read(&index).ok()?;
            git_index::Entries::read(&bytes, git_index::hash_len(&config))
        })?;
        Some(entries.contains(&relative.join("/")))
    }

    /// Whether the repository's ignore rules leave `path` out of git. A file under an ignored
    /// directory is ignored whatever later patterns say, as in git. `false` for paths outside
    /// the work tree.
    pub fn ignores(&self, fs: &dyn FileSystem, path: &Path, is_dir: bool) -> bool {
        self.ignores_with(fs, path, is_dir, &IgnoreCache::default())
    }

    /// The same, with the ignore files compiled once per `cache` (one run over one file
    /// system): compiling a file's patterns costs far more than matching them.
    pub fn ignores_with(
        &self,
        fs: &dyn FileSystem,
        path: &Path,
        is_dir: bool,
        cache: &IgnoreCache,
    ) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return false;
        };
        let names: Vec<_> = relative.components().collect();
        // One matcher per directory from the root to the file's parent; deeper files win.
        let mut matchers = Vec::with_capacity(names.len());
        let mut dir = self.root.clone();
        for (index, name) in names.iter().enumerate() {
            matchers.push(cache.rules_in(fs, &dir, &dir.join(".gitignore")));
            if index + 1 < names.len() {
                dir.push(name);
            }
        }
        let exclude = cache.rules_in(fs, &self.root, &self.root.join(".git/info/exclude"));
        let mut candidate = self.root.clone();
        for (depth, name) in names.iter().enumerate() {
            candidate.push(name);
            let candidate_is_dir = depth + 1 < names.len() || is_dir;
            // Only the files of directories above the candidate apply to it.
            let applicable = matchers.iter().take(depth + 1).rev().chain([&exclude]);
            for matcher in applicable {
                let verdict = matcher.matched(&candidate, candidate_is_dir);
                if verdict.is_ignore() {
                    return true;
                }
                if verdict.is_whitelist() {
                    break;
                }
            }
        }
        false
    }
}

/// Compiled ignore files and read indexes, by path, for one run over one file system.
#[derive(Debug, Default)]
pub struct IgnoreCache {
    compiled: Mutex<HashMap<PathBuf, Arc<Gitignore>>>,
    indexes: Mutex<HashMap<PathBuf, Option<Arc<git_index::Entries>>>>,
}

impl IgnoreCache {
    fn index(
        &self,
        path: &Path,
        read: impl FnOnce() -> Option<git_index::Entries>,
    ) -> Option<Arc<git_index::Entries>> {
        if let Some(known) = self.indexes.lock().ok().and_then(|c| c.get(path).cloned()) {
            return known;
        }
        let entries = read().map(Arc::new);
        if let Ok(mut indexes) = self.indexes.lock() {
            indexes.insert(path.to_path_buf(), entries.clone());
        }
        entries
    }

    fn rules_in(&self, fs: &dyn FileSystem, dir: &Path, file: &Path) -> Arc<Gitignore> {
        if let Some(known) = self.compiled.lock().ok().and_then(|c| c.get(file).cloned()) {
            return known;
        }
        let rules = Arc::new(rules_in(fs, dir, file));
        if let Ok(mut compiled) = self.compiled.lock() {
            compiled.insert(file.to_path_buf(), Arc::clone(&rules));
        }
        rules
    }
}

/// The patterns of one ignore file, rooted at `dir`; an unreadable file or a bad pattern is
/// skipped, as git skips it.
fn rules_in(fs: &dyn FileSystem, dir: &Path, file: &Path) -> Gitignore {
    let mut builder = GitignoreBuilder::new(dir);
    if let Ok(text) = fs.read_to_string(file) {
        for line in text.lines() {
            let _ = builder.add_line(Some(file.to_path_buf()), line);
        }
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryFs;

    fn tree(files: &[(&str, &str)]) -> MemoryFs {
        let mut fs = MemoryFs::new();
        fs.insert("/repo/.git/HEAD", "ref: refs/heads/main\n");
        for (path, text) in files {
            fs.insert(Path::new("/repo").join(path), text.as_bytes().to_vec());
        }
        fs
    }

    fn ignored(fs: &MemoryFs, path: &str) -> bool {
        let tree = WorkTree::containing(fs, Path::new("/repo/a/b")).expect("a work tree");
        tree.ignores(fs, &Path::new("/repo").join(path), false)
    }

    #[test]
    fn the_nearest_directory_with_git_is_the_root() {
        let fs = tree(&[]);
        let found = WorkTree::containing(&fs, Path::new("/repo/docker/secrets"));
        assert_eq!(found.map(|t| t.root), Some(PathBuf::from("/repo")));
        let mut linked = MemoryFs::new();
        linked.insert("/wt/.git", "gitdir: /repo/.git/worktrees/wt\n");
        let found = WorkTree::containing(&linked, Path::new("/wt/x"));
        assert_eq!(found.map(|t| t.root), Some(PathBuf::from("/wt")));
        assert_eq!(
            WorkTree::containing(&MemoryFs::new(), Path::new("/x/y")),
            None
        );
    }

    #[test]
    fn patterns_without_slash_match_at_any_depth() {
        let fs = tree(&[(".gitignore", ".env\n*.key\n")]);
        assert!(ignored(&fs, ".env"));
        assert!(ignored(&fs, "docker/.env"));
        assert!(ignored(&fs, "certs/site.key"));
        assert!(!ignored(&fs, "docker/.env.example"));
    }

    #[test]
    fn anchored_patterns_and_directories() {
        let fs = tree(&[(".gitignore", "/secrets/\nbuild/\n")]);
        assert!(ignored(&fs, "secrets/db.txt"));
        assert!(!ignored(&fs, "docker/secrets/db.txt"));
        assert!(ignored(&fs, "docker/build/out.bin"));
    }

    #[test]
    fn deeper_files_win_and_negations_re_include() {
        let fs = tree(&[
            (".gitignore", "*.txt\n"),
            ("docker/secrets/.gitignore", "*\n!.gitignore\n!README.md\n"),
            ("docs/.gitignore", "!notes.txt\n"),
        ]);
        assert!(ignored(&fs, "docker/secrets/postgres_password.txt"));
        assert!(!ignored(&fs, "docker/secrets/README.md"));
        assert!(!ignored(&fs, "docs/notes.txt"));
        assert!(ignored(&fs, "docs/other.txt"));
    }

    #[test]
    fn a_file_under_an_ignored_directory_cannot_be_re_included() {
        let fs = tree(&[(".gitignore", "private/\n!private/keep.txt\n")]);
        assert!(ignored(&fs, "private/keep.txt"));
    }

    #[test]
    fn info_exclude_counts_below_every_gitignore() {
        let fs = tree(&[
            (".git/info/exclude", "*.pem\n"),
            (".gitignore", "!ok.pem\n"),
        ]);
        assert!(ignored(&fs, "tls/site.pem"));
        assert!(!ignored(&fs, "ok.pem"));
    }

    #[test]
    fn comments_blank_lines_and_paths_outside_are_not_ignored() {
        let fs = tree(&[(".gitignore", "# .env\n\n")]);
        assert!(!ignored(&fs, ".env"));
        let tree = WorkTree::containing(&fs, Path::new("/repo")).unwrap();
        assert!(!tree.ignores(&fs, Path::new("/elsewhere/.env"), false));
    }
}
