//! A fixture case as the tests load it: its files (with `flags` and `modes` applied, and
//! `gitignore` read as `.gitignore`), its load options and its settings.
#![allow(clippy::disallowed_methods, dead_code)] // fixtures are read from disk

use seaworthy_compose::LoadOptions;
use seaworthy_rules::settings::Settings;
use seaworthy_source::{DirEntry, FileId, FileSystem, Metadata, RealFs};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The real files of a case, with its `flags` and `modes` applied.
pub struct FixtureFs {
    case: PathBuf,
    git: bool,
    modes: BTreeMap<PathBuf, u32>,
}

impl FixtureFs {
    pub fn new(case: &Path, flags: &[String]) -> FixtureFs {
        let modes = fs::read_to_string(case.join("modes"))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once(' '))
            .map(|(path, mode)| {
                let mode = u32::from_str_radix(mode.trim(), 8).expect("an octal mode");
                (case.join(path), mode)
            })
            .collect();
        FixtureFs {
            case: case.to_path_buf(),
            git: flags.iter().any(|f| f == "git"),
            modes,
        }
    }
}

impl FixtureFs {
    /// Where a path of the case really is: `.gitignore` is spelled `gitignore`.
    fn real(&self, path: &Path) -> PathBuf {
        if path.starts_with(&self.case) && path.file_name().is_some_and(|n| n == ".gitignore") {
            path.with_file_name("gitignore")
        } else {
            path.to_path_buf()
        }
    }
}

impl FileSystem for FixtureFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        RealFs.read(&self.real(path))
    }

    fn read_prefix(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>> {
        RealFs.read_prefix(&self.real(path), limit)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut entries = RealFs.read_dir(&self.real(path))?;
        for entry in &mut entries {
            if entry.name == "gitignore" {
                entry.name = ".gitignore".to_owned();
            }
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let path = &self.real(path);
        if path.file_name().is_some_and(|n| n == ".git") {
            return if self.git && *path == self.case.join(".git") {
                Ok(Metadata {
                    is_file: false,
                    is_dir: true,
                    mode: None,
                    len: 0,
                })
            } else {
                Err(io::ErrorKind::NotFound.into())
            };
        }
        let mut meta = RealFs.metadata(path)?;
        meta.mode = self.modes.get(path).copied().or(meta.mode);
        Ok(meta)
    }
}

/// The words of the case's `flags` file.
pub fn flags(case: &Path) -> Vec<String> {
    fs::read_to_string(case.join("flags"))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// The case's files in `-f` order (its `files` list; without it, docker compose's discovery).
pub fn options(case: &Path) -> LoadOptions {
    let files: Vec<PathBuf> = fs::read_to_string(case.join("files"))
        .map(|list| list.lines().map(|f| case.join(f.trim())).collect())
        .unwrap_or_default();
    LoadOptions {
        files,
        cwd: case.to_path_buf(),
        keep_going: true,
        ..LoadOptions::default()
    }
}

/// The case's `seaworthy.toml` with its `strict` and `deploy-tree` flags.
pub fn settings(case: &Path, flags: &[String]) -> Settings {
    let mut settings = match fs::read_to_string(case.join("seaworthy.toml")) {
        Ok(text) => Settings::parse(&text, FileId(u32::MAX))
            .unwrap_or_else(|e| panic!("{}: bad seaworthy.toml: {e:?}", case.display())),
        Err(_) => Settings::default(),
    };
    settings.strict |= flags.iter().any(|f| f == "strict");
    settings.deploy_tree = flags.iter().any(|f| f == "deploy-tree");
    settings
}
