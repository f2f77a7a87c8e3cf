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

mod support;

use seaworthy_compose::{Sources, load};
use seaworthy_rules::builds::{BuildCache, gather};
use seaworthy_rules::{check_with, registry};
use seaworthy_source::MapEnv;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use support::FixtureFs;

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
    let options = support::options(case);
    let flags = support::flags(case);
    let fixture_fs = FixtureFs::new(case, &flags);
    let mut sources = Sources::new();
    let project = load(&options, &fixture_fs, &MapEnv::new(), &mut sources)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", case.display()));
    let mut settings = support::settings(case, &flags);
    registry::find(rule).unwrap_or_else(|| panic!("no rule named {rule}"));
    settings.select = vec![rule.to_owned()];
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
