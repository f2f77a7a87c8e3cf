//! `seaworthy check --format ... [--output FILE]` end to end: the built binary writes each
//! format of `seaworthy-report` for a real project, to standard output or to a file.
#![allow(clippy::disallowed_methods)] // tests write their projects to disk and read the report

mod common;

use common::run as check;
use std::fs;

const UNBOUNDED: &str = "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n";

fn project() -> tempfile::TempDir {
    common::project(&[("shop/compose.yaml", UNBOUNDED)])
}

#[test]
fn json_names_the_target_after_the_project_directory_and_paths_relative_to_the_cwd() {
    let dir = project();
    let (code, stdout) = check(
        dir.path(),
        &[
            "check",
            "shop",
            "--select",
            "memory-limit",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["tool"]["name"], "seaworthy");
    assert_eq!(report["targets"][0]["name"], "shop");
    assert_eq!(report["targets"][0]["files"][0], "shop/compose.yaml");
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "memory-limit");
    assert_eq!(finding["code"], "SW101");
    assert_eq!(finding["service"], "api");
    assert_eq!(finding["targets"][0], "shop");
    assert_eq!(finding["location"]["file"], "shop/compose.yaml");
    assert_eq!(finding["location"]["line"], 2);
    assert_eq!(finding["location"]["column"], 3);
}

#[test]
fn output_writes_the_report_to_a_file_and_nothing_to_stdout() {
    let dir = project();
    let (code, stdout) = check(
        dir.path(),
        &[
            "check",
            "shop",
            "--select",
            "memory-limit",
            "--format",
            "sarif",
            "--output",
            "report.sarif",
        ],
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("report.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().any(|r| r["id"] == "memory-limit"), "{sarif}");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "memory-limit");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "shop/compose.yaml"
    );
}

#[test]
fn every_format_runs_and_keeps_the_exit_code() {
    let dir = project();
    for (format, expected) in [
        (
            "human",
            "error[memory-limit]: service `api` has no memory limit",
        ),
        (
            "junit",
            r#"<testcase name="memory-limit" classname="shop">"#,
        ),
        (
            "github",
            "::error file=shop/compose.yaml,line=2,col=3,endLine=2,endColumn=6,title=memory-limit::service `api` has no memory limit",
        ),
        (
            "markdown",
            "| `memory-limit` | `api` | `shop/compose.yaml:2` | service `api` has no memory limit |",
        ),
    ] {
        let (code, stdout) = check(dir.path(), &["check", "shop", "--format", format]);
        assert_eq!(code, 1, "{format}: {stdout}");
        assert!(stdout.contains(expected), "{format}: {stdout}");
    }
    let (code, _) = check(
        dir.path(),
        &["check", "shop", "--format", "json", "--exit-zero"],
    );
    assert_eq!(code, 0);
}

#[test]
fn a_project_that_does_not_load_is_reported_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("broken")).unwrap();
    fs::write(
        dir.path().join("broken/compose.yaml"),
        "services:\n  api: [\n",
    )
    .unwrap();
    let (code, stdout) = check(dir.path(), &["check", "broken", "--format", "json"]);
    assert_eq!(code, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 1, "{stdout}");
    assert_eq!(report["errors"][0]["targets"][0], "broken");
    assert_eq!(report["errors"][0]["severity"], "error");
}
