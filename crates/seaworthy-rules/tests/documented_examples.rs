//! Every rule's documentation is true: its `## Example` makes the rule fire and its
//! `Use instead:` does not (each loaded as a compose file, as docker compose would load it).

use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_rules::{Finding, Rule, check, registry::RULES};
use seaworthy_source::{MapEnv, MemoryFs};
use std::path::Path;

/// The example as the only file of a project, with the findings of `rule` on it.
fn findings(yaml: &str, rule: &dyn Rule) -> Vec<Finding> {
    let mut fs = MemoryFs::new();
    fs.insert(Path::new("/project/compose.yaml"), yaml.as_bytes().to_vec());
    let options = LoadOptions {
        cwd: Path::new("/project").to_path_buf(),
        keep_going: true,
        ..LoadOptions::default()
    };
    let project = load(&options, &fs, &MapEnv::new(), &mut Sources::new())
        .unwrap_or_else(|e| panic!("example does not load: {e}\n{yaml}"));
    check(&project, &[rule], &fs)
}

#[test]
fn examples_fire_and_use_instead_does_not() {
    for rule in RULES {
        let meta = rule.meta();
        let (example, fixed) = meta.examples();
        let example = example.unwrap_or_else(|| panic!("{}: no ## Example yaml block", meta.name));
        let fixed = fixed.unwrap_or_else(|| panic!("{}: no Use instead yaml block", meta.name));
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
