//! `cargo xtask docs [--check]`: writes `docs/rules/` from the rule declarations, or checks
//! that it is up to date.
#![allow(clippy::disallowed_methods)] // a developer tool that writes the repository's files

use anyhow::{Context, bail};
use std::path::Path;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["docs"] => docs(false),
        ["docs", "--check"] => docs(true),
        _ => bail!("usage: cargo xtask docs [--check]"),
    }
}

fn docs(check: bool) -> anyhow::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules");
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let files = seaworthy_rules::docs::files();
    let mut stale = Vec::new();
    for (name, content) in &files {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        stale.push(name.clone());
        if !check {
            std::fs::write(&path, content)
                .with_context(|| format!("could not write {}", path.display()))?;
        }
    }
    for entry in std::fs::read_dir(&dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !files.iter().any(|(n, _)| *n == name) {
            stale.push(name);
            if !check {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    if check && !stale.is_empty() {
        bail!(
            "docs/rules is stale ({}); run `cargo xtask docs`",
            stale.join(", ")
        );
    }
    println!("docs/rules: {} files, {} updated", files.len(), stale.len());
    Ok(())
}
