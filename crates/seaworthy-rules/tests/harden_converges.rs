//! `harden` converges, on every rule fixture and on the bundled unhardened example: the
//! overlay it writes loads, the target checked with it reports none of the findings whose
//! fixes went in, and hardening that result again writes nothing.
#![allow(clippy::disallowed_methods)] // fixtures and the example are read from disk

mod support;

use seaworthy_compose::LoadOptions;
use seaworthy_rules::harden::{Hardened, harden};
use seaworthy_rules::settings::Settings;
use seaworthy_source::{FileSystem, MapEnv, RealFs, Severity, WithFile};
use std::fs;
use std::path::Path;
use support::FixtureFs;

const OVERLAY: &str = "compose.hardened.yaml";

/// Hardens the target, then hardens the hardened target; returns a description of what went
/// wrong, if anything.
fn converges(
    name: &str,
    options: &LoadOptions,
    settings: &Settings,
    fs: &dyn FileSystem,
) -> Result<usize, String> {
    let env = MapEnv::new();
    let output = options.cwd.join(OVERLAY);
    let first = match harden(options, settings, fs, &env, &output, false, &[]) {
        Ok(first) => first,
        // Cases made to fail loading belong to the loader's own tests.
        Err(_) => return Ok(0),
    };
    let after = first.after.as_ref().map_err(|e| {
        format!(
            "{name}: the overlay does not load: {}\n{}",
            e.message, first.text
        )
    })?;
    for fixed in &first.overlay.fixed {
        if after.findings.iter().any(|f| fixed.is(f)) {
            return Err(format!(
                "{name}: `{}` ({}) is still found with its fix\n{}",
                fixed.rule, fixed.message, first.text
            ));
        }
    }
    // Nothing the overlay writes may bring a new problem of its own.
    for finding in &after.findings {
        let new =
            !first.before.findings.iter().any(|b| {
                b.diagnostic.code == finding.diagnostic.code && b.service == finding.service
            });
        if new && finding.diagnostic.severity >= Severity::Medium {
            return Err(format!(
                "{name}: the overlay brings `{}`: {}\n{}",
                finding.diagnostic.code, finding.diagnostic.message, first.text
            ));
        }
    }
    let second = again(&first, options, settings, fs, &output)?;
    if !second.overlay.is_empty() {
        return Err(format!(
            "{name}: hardening the hardened target writes more:\n{}\nafter the first overlay:\n{}",
            second.text, first.text
        ));
    }
    Ok(first.overlay.fixed.len())
}

fn again(
    first: &Hardened,
    options: &LoadOptions,
    settings: &Settings,
    fs: &dyn FileSystem,
    output: &Path,
) -> Result<Hardened, String> {
    let with_overlay = WithFile {
        inner: fs,
        path: output.to_path_buf(),
        content: first.text.clone().into_bytes(),
    };
    let mut files = first
        .after
        .as_ref()
        .map(|a| a.project.files.clone())
        .unwrap_or_default();
    if files.is_empty() {
        files.push(output.to_path_buf());
    }
    let options = LoadOptions {
        files,
        ..options.clone()
    };
    let second_output = options.cwd.join("compose.hardened-again.yaml");
    harden(
        &options,
        settings,
        &with_overlay,
        &MapEnv::new(),
        &second_output,
        false,
        &[],
    )
    .map_err(|e| format!("the hardened target does not load: {}", e.message))
}

#[test]
fn hardening_every_fixture_converges() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    let mut fixed = 0;
    for rule_dir in fs::read_dir(&root).unwrap().flatten() {
        for case in fs::read_dir(rule_dir.path()).unwrap().flatten() {
            let case = case.path();
            let flags = support::flags(&case);
            let fixture_fs = FixtureFs::new(&case, &flags);
            let name = format!(
                "{}/{}",
                rule_dir.file_name().to_string_lossy(),
                case.file_name().unwrap_or_default().to_string_lossy()
            );
            match converges(
                &name,
                &support::options(&case),
                &support::settings(&case, &flags),
                &fixture_fs,
            ) {
                Ok(n) => fixed += n,
                Err(failure) => failures.push(failure),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        fixed > 50,
        "only {fixed} findings fixed across the fixtures"
    );
}

#[test]
fn hardening_the_unhardened_example_converges() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/unhardened-stack");
    let options = LoadOptions {
        files: vec![
            root.join("docker/docker-compose.yml"),
            root.join("docker/compose.prod.yaml"),
        ],
        cwd: root.clone(),
        keep_going: true,
        ..LoadOptions::default()
    };
    let fixed = converges("unhardened-stack", &options, &Settings::default(), &RealFs)
        .unwrap_or_else(|failure| panic!("{failure}"));
    assert!(fixed >= 25, "only {fixed} findings fixed");
}
