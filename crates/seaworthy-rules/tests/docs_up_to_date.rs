//! `docs/rules/` is what `cargo xtask docs` generates from the rule declarations today.
#![allow(clippy::disallowed_methods)] // reads the committed docs

use std::path::Path;

#[test]
fn generated_rule_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let mut stale = Vec::new();
    for (name, content) in seaworthy_rules::docs::files() {
        if std::fs::read_to_string(dir.join(&name)).ok().as_deref() != Some(content.as_str()) {
            stale.push(name);
        }
    }
    let expected: Vec<String> = seaworthy_rules::docs::files()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !expected.contains(&name) {
            stale.push(format!("{name} (no such rule)"));
        }
    }
    assert!(
        stale.is_empty(),
        "stale docs/rules: {stale:?}; run `cargo xtask docs`"
    );
}
