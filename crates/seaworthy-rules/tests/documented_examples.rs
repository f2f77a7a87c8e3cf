//! Every rule's documentation is true: its `## Example` makes the rule fire and its
//! `Use instead:` does not (each loaded as a compose file, as docker compose would load it).
//!
//! Each runs as `-f compose.yaml` in a git work tree. A `dockerfile` block is the `Dockerfile`
//! of a project whose compose file is `services: {app: {build: .}}`. A comment line
//! `# beside it: PATH` puts a file at PATH next to it (`# beside it: PATH = TEXT` gives it that
//! line of text, and may replace the compose file; `# beside it: PATH =` makes it empty), for
//! the rules that read more than one file;
//! `# files: A B` loads those files, in that order, instead of `compose.yaml` alone.

use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_rules::builds::{BuildCache, gather};
use seaworthy_rules::{Example, ExampleLanguage, Finding, Rule, check, registry::RULES};
use seaworthy_source::{MapEnv, MemoryFs};
use std::path::Path;

/// The example as a project, with the findings of `rule` on it.
fn findings(example: &Example, rule: &dyn Rule) -> Vec<Finding> {
    let root = Path::new("/project");
    let mut fs = MemoryFs::new();
    let text = example.text.as_str();
    match example.language {
        ExampleLanguage::Compose => fs.insert(root.join("compose.yaml"), text),
        ExampleLanguage::Dockerfile => fs
            .insert(
                root.join("compose.yaml"),
                "services:\n  app:\n    build: .\n",
            )
            .insert(root.join("Dockerfile"), text),
    };
    fs.insert(root.join(".git/HEAD"), "ref: refs/heads/main\n");
    for line in text.lines() {
        if let Some(file) = line.trim().strip_prefix("# beside it: ") {
            let (path, text) = match (file.split_once(" = "), file.strip_suffix(" =")) {
                (Some((path, text)), _) => (path, format!("{text}\n")),
                (None, Some(path)) => (path, String::new()),
                (None, None) => (file, "placeholder\n".to_owned()),
            };
            fs.insert(root.join(path.trim()), text);
        }
    }
    let files = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("# files: "))
        .map_or_else(
            || vec![root.join("compose.yaml")],
            |list| list.split_whitespace().map(|f| root.join(f)).collect(),
        );
    let options = LoadOptions {
        files,
        cwd: root.to_path_buf(),
        keep_going: true,
        ..LoadOptions::default()
    };
    let mut sources = Sources::new();
    let project = load(&options, &fs, &MapEnv::new(), &mut sources)
        .unwrap_or_else(|e| panic!("example does not load: {e}\n{text}"));
    let builds = gather(&project, &fs, &mut sources.map, &mut BuildCache::default());
    check(&project, &[rule], &fs, &builds)
}

#[test]
fn examples_fire_and_use_instead_does_not() {
    for rule in RULES {
        let meta = rule.meta();
        let (example, fixed) = meta.examples();
        let example = example
            .unwrap_or_else(|| panic!("{}: no ## Example yaml or dockerfile block", meta.name));
        let fixed = fixed
            .unwrap_or_else(|| panic!("{}: no Use instead yaml or dockerfile block", meta.name));
        let fired = findings(&example, *rule);
        assert!(
            !fired.is_empty(),
            "{}: the Example does not fire",
            meta.name
        );
        let quiet = findings(&fixed, *rule);
        assert!(
            quiet.is_empty(),
            "{}: Use instead fires: {quiet:?}",
            meta.name
        );
    }
}
