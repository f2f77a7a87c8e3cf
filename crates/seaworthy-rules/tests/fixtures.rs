//! Data-driven rule fixtures: `tests/fixtures/<rule>/<case>/` is a small compose project (a
//! `files` list gives the `-f` order; without it, docker compose's default discovery). The
//! rule's findings must land exactly on the lines marked `# expect: <rule>`, no more, no less
//! (in a Dockerfile, a comment line `# expect-next-line: <rule>` marks the line below it).
//!
//! A case may also hold `seaworthy.toml` (its settings apply), `flags` (words: `git` makes the
//! case directory a git work tree, `deploy-tree` and `strict` are the `check` options) and
//! `modes` (lines `PATH OCTAL`: the permission bits a file has on the deploy host, since git
//! keeps none). Fixtures never see the repository's own `.git`, so they mean the same in any
//! checkout; a case's ignore rules are written in files named `gitignore` (read as
//! `.gitignore`), which leave this repository's own files alone.
#![allow(clippy::disallowed_methods)] // fixtures are read from disk

use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_rules::builds::{BuildCache, gather};
use seaworthy_rules::settings::Settings;
use seaworthy_rules::{check_with, registry};
use seaworthy_source::{DirEntry, FileId, FileSystem, MapEnv, Metadata, RealFs};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The real files of a case, with its `flags` and `modes` applied.
struct FixtureFs {
    case: PathBuf,
    git: bool,
    modes: BTreeMap<PathBuf, u32>,
}

impl FixtureFs {
    fn new(case: &Path, flags: &[String]) -> FixtureFs {
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

type Marks = BTreeSet<(String, usize)>;

fn expected_marks(case: &Path, rule: &str) -> Marks {
    let mut marks = Marks::new();
    for entry in fs::read_dir(case).unwrap().flatten() {
        let path = entry.path();
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for (index, line) in text.lines().enumerate() {
            // `# expect-next-line:` marks the line below: a Dockerfile has no end-of-line
            // comments.
            let (expect, line_no) = match line.split_once("# expect-next-line:") {
                Some((_, expect)) => (expect, index + 2),
                None => match line.split_once("# expect:") {
                    Some((_, expect)) => (expect, index + 1),
                    None => continue,
                },
            };
            if expect.split(',').any(|r| r.trim() == rule) {
                marks.insert((file.clone(), line_no));
            }
        }
    }
    marks
}

fn found_marks(case: &Path, rule: &str) -> Marks {
    let files_list = case.join("files");
    let files: Vec<PathBuf> = fs::read_to_string(&files_list)
        .map(|list| list.lines().map(|f| case.join(f.trim())).collect())
        .unwrap_or_default();
    let options = LoadOptions {
        files,
        cwd: case.to_path_buf(),
        keep_going: true,
        ..LoadOptions::default()
    };
    let flags: Vec<String> = fs::read_to_string(case.join("flags"))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let fixture_fs = FixtureFs::new(case, &flags);
    let mut sources = Sources::new();
    let project = load(&options, &fixture_fs, &MapEnv::new(), &mut sources)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", case.display()));
    let mut settings = match fs::read_to_string(case.join("seaworthy.toml")) {
        Ok(text) => Settings::parse(&text, FileId(u32::MAX))
            .unwrap_or_else(|e| panic!("{}: bad seaworthy.toml: {e:?}", case.display())),
        Err(_) => Settings::default(),
    };
    registry::find(rule).unwrap_or_else(|| panic!("no rule named {rule}"));
    settings.select = vec![rule.to_owned()];
    settings.strict |= flags.iter().any(|f| f == "strict");
    settings.deploy_tree = flags.iter().any(|f| f == "deploy-tree");
    let builds = gather(
        &project,
        &fixture_fs,
        &mut sources.map,
        &mut BuildCache::default(),
    );
    check_with(&project, &settings, &fixture_fs, &builds)
        .iter()
        .map(|finding| {
            let label = finding
                .diagnostic
                .primary
                .as_ref()
                .unwrap_or_else(|| panic!("finding without location: {finding:?}"));
            let (path, position) = sources.map.locate(label.span).unwrap();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            (file, position.line)
        })
        .collect()
}

#[test]
fn every_fixture_fires_exactly_on_its_marks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    let mut rules_with_fixtures = BTreeSet::new();
    for rule_dir in fs::read_dir(&root).unwrap().flatten() {
        let rule = rule_dir.file_name().to_string_lossy().into_owned();
        for case in fs::read_dir(rule_dir.path()).unwrap().flatten() {
            let expected = expected_marks(&case.path(), &rule);
            let found = found_marks(&case.path(), &rule);
            rules_with_fixtures.insert((rule.clone(), !expected.is_empty()));
            if expected != found {
                failures.push(format!(
                    "{rule}/{}: expected {expected:?}, found {found:?}",
                    case.file_name().to_string_lossy()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for rule in registry::RULES {
        let name = rule.meta().name;
        assert!(
            rules_with_fixtures.contains(&(name.to_owned(), true)),
            "{name} has no firing fixture"
        );
        assert!(
            rules_with_fixtures.contains(&(name.to_owned(), false)),
            "{name} has no quiet fixture"
        );
    }
}
