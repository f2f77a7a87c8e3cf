//! The unhardened example (`examples/unhardened-stack`) shows every kind of finding: its
//! production combination, checked as a person would check it, must report exactly the
//! findings recorded in `tests/unhardened/expected-findings.txt`, one line per finding
//! (`rule  file:line  service  severity`, sorted).
//!
//! Rules keep being added, so the golden file is rewritten rather than edited by hand:
//!
//! ```sh
//! SEAWORTHY_BLESS=1 cargo test -p seaworthy --test unhardened_example
//! ```
//!
//! then read the diff as a person would: every new line must be a finding the example is
//! meant to show (see the example's README), not a false positive.
#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;
use std::process::Command;

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/unhardened-stack")
}

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/unhardened/expected-findings.txt")
}

/// Exit code and JSON report of `check` on the base file plus the production overlay.
fn check_production_combination() -> (Option<i32>, serde_json::Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_seaworthy"))
        .args([
            "-f",
            "docker/docker-compose.yml",
            "-f",
            "docker/compose.prod.yaml",
            "check",
            "--format",
            "json",
        ])
        .current_dir(example_dir())
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/nonexistent-home")
        .output()
        .expect("run seaworthy");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "check did not print a JSON report ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), report)
}

/// Rules whose findings depend on the example being inside a git work tree.
const GIT_RULES: &[&str] = &[
    "dotenv-secrets-not-ignored ",
    "secret-file-exposed ",
    // the mount's source is beside the compose files' directory, inside the repository
    "source-bind-mount ",
];

fn in_git_work_tree() -> bool {
    example_dir()
        .canonicalize()
        .is_ok_and(|dir| dir.ancestors().any(|d| d.join(".git").exists()))
}

/// The stable part of each finding: rule, where it points, which service, how severe.
/// Messages and help texts are left out so that rewording them needs no re-bless.
fn projection(report: &serde_json::Value) -> Vec<String> {
    let findings = report["findings"].as_array().expect("findings array");
    let mut lines: Vec<String> = findings
        .iter()
        .map(|finding| {
            let text = |value: &serde_json::Value| value.as_str().unwrap_or("-").to_owned();
            format!(
                "{}  {}:{}  {}  {}",
                text(&finding["rule"]),
                text(&finding["location"]["file"]),
                finding["location"]["line"],
                text(&finding["service"]),
                text(&finding["severity"]),
            )
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn unhardened_example_reports_the_recorded_findings() {
    let (code, report) = check_production_combination();
    let lines = projection(&report);
    let actual = lines
        .iter()
        .map(|line| format!("{line}\n"))
        .collect::<String>();

    if std::env::var_os("SEAWORTHY_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden_path().parent().expect("golden directory"))
            .expect("create golden directory");
        std::fs::write(golden_path(), &actual).expect("write golden file");
    } else {
        let mut expected = std::fs::read_to_string(golden_path()).expect("golden file");
        if !in_git_work_tree() {
            // An exported tree (no `.git`): the rules that ask git what it ignores are quiet.
            expected = expected
                .lines()
                .filter(|line| !GIT_RULES.iter().any(|rule| line.starts_with(rule)))
                .map(|line| format!("{line}\n"))
                .collect();
        }
        assert!(
            actual == expected,
            "findings differ from tests/unhardened/expected-findings.txt \
             (re-bless with SEAWORTHY_BLESS=1 after reading the diff):\n{}",
            diff(&expected, &actual)
        );
    }

    assert_eq!(
        code,
        Some(1),
        "the unhardened stack fails the default --fail-on"
    );
    assert!(
        report["errors"].as_array().is_some_and(Vec::is_empty),
        "the example loads without errors: {}",
        report["errors"]
    );
}

/// The golden file can never be trivially empty: the findings the example exists to show
/// are there, each at least once.
#[test]
fn unhardened_example_shows_the_headline_findings() {
    let (_, report) = check_production_combination();
    let lines = projection(&report);
    for rule in [
        "docker-socket",
        "plaintext-secret-env",
        "secret-in-url",
        "known-token-pattern",
        "datastore-port-published",
        "memory-limit",
        "log-rotation-missing",
        "no-privileged",
        "restart-unbounded-on-failure",
        "healthcheck-timing",
        "depends-on-healthy-without-healthcheck",
        "image-mutable-tag",
        "interpolation-unset",
        "debug-port-published",
        "dev-server-command",
    ] {
        assert!(
            lines
                .iter()
                .any(|line| line.starts_with(&format!("{rule}  "))),
            "`{rule}` does not fire on the unhardened example"
        );
    }
}

/// Lines only in one side, marked `-` (expected) and `+` (actual).
fn diff(expected: &str, actual: &str) -> String {
    let expected_lines: Vec<&str> = expected.lines().collect();
    let actual_lines: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    for line in &expected_lines {
        if !actual_lines.contains(line) {
            out.push_str(&format!("- {line}\n"));
        }
    }
    for line in &actual_lines {
        if !expected_lines.contains(line) {
            out.push_str(&format!("+ {line}\n"));
        }
    }
    if out.is_empty() {
        out.push_str("(same lines, different counts or order)\n");
    }
    out
}
