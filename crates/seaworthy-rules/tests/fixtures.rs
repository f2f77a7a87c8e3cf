//! Data-driven rule fixtures: `tests/fixtures/<rule>/<case>/` is a small compose project (a
//! `files` list gives the `-f` order; without it, docker compose's default discovery). The
//! rule's findings must land exactly on the lines marked `# expect: <rule>`, no more, no less.
#![allow(clippy::disallowed_methods)] // fixtures are read from disk

use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_rules::{check, registry};
use seaworthy_source::{MapEnv, RealFs};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

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
            let Some((_, expect)) = line.split_once("# expect:") else {
                continue;
            };
            if expect.split(',').any(|r| r.trim() == rule) {
                marks.insert((file.clone(), index + 1));
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
        ..LoadOptions::default()
    };
    let mut sources = Sources::new();
    let project = load(&options, &RealFs, &MapEnv::new(), &mut sources)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", case.display()));
    let rule = registry::find(rule).unwrap_or_else(|| panic!("no rule named {rule}"));
    check(&project, &[rule])
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
