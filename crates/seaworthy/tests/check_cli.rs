//! `seaworthy check` end to end: the built binary on real projects, its exit codes and its
//! findings for a person.
#![allow(clippy::disallowed_methods)] // tests write their projects to disk

mod common;

use assert_cmd::Command;
use common::{project, run as check};

const UNBOUNDED: &str = "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n";
const OVERLAY: &str =
    "services:\n  api:\n    deploy:\n      resources:\n        limits:\n          memory: 512M\n";

#[test]
fn a_high_finding_fails_the_check_and_points_at_the_service() {
    let dir = project(&[("compose.yaml", UNBOUNDED)]);
    let (code, stdout) = check(dir.path(), &["check", "--select", "memory-limit"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[memory-limit]: service `api` has no memory limit"),
        "{stdout}"
    );
    assert!(stdout.contains("--> compose.yaml:2:3"), "{stdout}");
    assert!(stdout.contains("\n1 finding: 1 high\n"), "{stdout}");
}

#[test]
fn fail_on_and_exit_zero_set_the_threshold() {
    let dir = project(&[("compose.yaml", UNBOUNDED)]);
    assert_eq!(check(dir.path(), &["check", "--fail-on", "critical"]).0, 0);
    assert_eq!(check(dir.path(), &["check", "--exit-zero"]).0, 0);
    assert_eq!(check(dir.path(), &["check", "--fail-on", "medium"]).0, 1);
}

#[test]
fn the_overlay_that_sets_the_limit_clears_the_finding() {
    let dir = project(&[("compose.yaml", UNBOUNDED), ("compose.prod.yaml", OVERLAY)]);
    let (code, stdout) = check(
        dir.path(),
        &[
            "-f",
            "compose.yaml",
            "-f",
            "compose.prod.yaml",
            "check",
            "--select",
            "memory-limit",
        ],
    );
    assert_eq!((code, stdout.as_str()), (0, "no findings\n"));
}

#[test]
fn paths_name_independent_projects() {
    let dir = project(&[
        ("a/compose.yaml", UNBOUNDED),
        (
            "b/docker-compose.yml",
            "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 64m\n",
        ),
    ]);
    let (code, stdout) = check(
        dir.path(),
        &[
            "check",
            "--select",
            "memory-limit",
            "a",
            "b/docker-compose.yml",
        ],
    );
    assert_eq!(code, 1);
    assert!(stdout.contains("service `api`"), "{stdout}");
    assert!(!stdout.contains("service `web`"), "{stdout}");
}

#[test]
fn a_project_that_does_not_load_fails_with_its_load_error() {
    let dir = project(&[("compose.yaml", "services:\n  api:\n    imagee: x\n")]);
    let (code, stdout) = check(dir.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("additional properties 'imagee' not allowed"),
        "{stdout}"
    );
    assert!(stdout.contains("compose.yaml:3:5"), "{stdout}");
}

const PRIVILEGED: &str = "services:\n  agent:\n    image: ghcr.io/acme/agent:2.1.0\n    privileged: true\n    mem_limit: 64m\n";

#[test]
fn settings_turn_rules_off_and_suppress_with_a_reason() {
    let dir = project(&[
        ("compose.yaml", PRIVILEGED),
        (
            "seaworthy.toml",
            "[[ignore]]\nrule = \"no-privileged\"\nservice = \"agent\"\nreason = \"docker in docker for CI\"\n",
        ),
    ]);
    let (code, stdout) = check(dir.path(), &["check", "--select", "no-privileged"]);
    assert_eq!((code, stdout.as_str()), (0, "no findings (1 suppressed)\n"));
    let dir = project(&[
        ("compose.yaml", UNBOUNDED),
        ("seaworthy.toml", "[rules]\nmemory-limit = \"off\"\n"),
    ]);
    assert_eq!(
        check(dir.path(), &["check", "--select", "memory-limit"]),
        (0, "no findings\n".to_owned())
    );
}

#[test]
fn a_compose_file_can_suppress_for_its_service() {
    let with_reason = format!(
        "{PRIVILEGED}    x-seaworthy:\n      ignore:\n        no-privileged: \"docker in docker for CI\"\n"
    );
    let dir = project(&[("compose.yaml", &with_reason)]);
    let rules = ["check", "--select", "no-privileged,invalid-suppression"];
    assert_eq!(
        check(dir.path(), &rules),
        (0, "no findings (1 suppressed)\n".to_owned())
    );
    let without =
        format!("{PRIVILEGED}    x-seaworthy:\n      ignore:\n        no-privileged: \"\"\n");
    let dir = project(&[("compose.yaml", &without)]);
    let (code, stdout) = check(dir.path(), &rules);
    assert_eq!(
        code, 1,
        "the suppression without a reason does not count: {stdout}"
    );
    assert!(stdout.contains("error[no-privileged]"), "{stdout}");
    assert!(stdout.contains("warning[invalid-suppression]: service `agent` suppresses `no-privileged` without a reason"), "{stdout}");
}

#[test]
fn unknown_rule_names_stop_the_run_with_near_matches() {
    let dir = project(&[
        ("compose.yaml", UNBOUNDED),
        ("seaworthy.toml", "[rules]\nmemory-limt = \"off\"\n"),
    ]);
    let output = Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(dir.path())
        .env_clear()
        .arg("check")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("unknown rule `memory-limt` in [rules]"),
        "{stderr}"
    );
    assert!(stderr.contains("seaworthy.toml:2:1"), "{stderr}");
    assert!(stderr.contains("did you mean `memory-limit`?"), "{stderr}");
    let dir = project(&[("compose.yaml", UNBOUNDED)]);
    let output = Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(dir.path())
        .env_clear()
        .args(["check", "--select", "no-privilege"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did you mean `no-privileged`"), "{stderr}");
}

#[test]
fn select_and_ignore_choose_the_rules() {
    let dir = project(&[("compose.yaml", UNBOUNDED)]);
    assert_eq!(
        check(dir.path(), &["check", "--select", "no-privileged"]).0,
        0
    );
    assert_eq!(
        check(
            dir.path(),
            &[
                "check",
                "--select",
                "memory-limit,no-privileged",
                "--ignore",
                "memory-limit"
            ]
        )
        .0,
        0
    );
    assert_eq!(
        check(
            dir.path(),
            &["check", "--select", "memory-limit,no-privileged"]
        )
        .0,
        1
    );
}

#[test]
fn host_profile_from_the_command_line_judges_the_budget() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    deploy:\n      replicas: 3\n      resources:\n        limits: {memory: 1G}\n",
    )]);
    let rules = ["check", "--select", "resource-budget"];
    assert_eq!(check(dir.path(), &rules), (0, "no findings\n".to_owned()));
    let (code, stdout) = check(
        dir.path(),
        &[
            "check",
            "--select",
            "resource-budget",
            "--host",
            "cpus=2,memory=2GiB",
        ],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "memory limits add up to 3GiB, more than the 1.5GiB this host can give containers"
        ),
        "{stdout}"
    );
    let output = common::seaworthy(dir.path())
        .args(["check", "--host", "memory=lots"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a memory size"));
}

#[test]
fn a_missing_env_file_is_a_finding_and_the_rest_is_still_checked() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    env_file: app.production.env\n",
    )]);
    let (code, stdout) = check(
        dir.path(),
        &["check", "--select", "env-file-missing,memory-limit"],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[env-file-missing]: env file `app.production.env` does not exist"),
        "{stdout}"
    );
    assert!(stdout.contains("--> compose.yaml:4:15"), "{stdout}");
    assert!(stdout.contains("error[memory-limit]"), "{stdout}");
    assert!(
        stdout.contains("\n2 findings: 1 error, 1 high\n"),
        "{stdout}"
    );
}

#[test]
fn strict_judges_every_service_for_the_advisory_rules() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  db:\n    image: postgres:17.2\n",
    )]);
    let args = [
        "check",
        "--select",
        "image-no-digest,read-only-rootfs",
        "--format",
        "json",
    ];
    let severities = |stdout: &str| -> Vec<(String, String)> {
        let report: serde_json::Value = serde_json::from_str(stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["severity"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let (_, normal) = check(dir.path(), &args);
    assert_eq!(
        severities(&normal),
        [("image-no-digest".to_owned(), "info".to_owned())]
    );
    let (_, strict) = check(dir.path(), &[&args[..], &["--strict"]].concat());
    assert_eq!(
        severities(&strict),
        [
            ("read-only-rootfs".to_owned(), "low".to_owned()),
            ("image-no-digest".to_owned(), "low".to_owned()),
        ]
    );
}

#[cfg(unix)]
#[test]
fn deploy_tree_judges_who_can_read_a_secret_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[
        (
            "compose.yaml",
            "services:\n  db:\n    image: postgres:17.2\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./db_password.txt\n",
        ),
        ("db_password.txt", "not-a-real-password\n"),
    ]);
    let secret = dir.path().join("db_password.txt");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let args = ["check", "--select", "secret-file-exposed"];
    assert_eq!(check(dir.path(), &args), (0, "no findings\n".to_owned()));
    let (code, stdout) = check(dir.path(), &[&args[..], &["--deploy-tree"]].concat());
    assert_eq!(code, 0, "medium does not fail the default gate: {stdout}");
    assert!(
        stdout.contains(
            "secret `db_password` reads `db_password.txt`, which every user of the host can access"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("mode 644"), "{stdout}");
    assert!(!stdout.contains("not-a-real-password"), "{stdout}");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (_, stdout) = check(dir.path(), &[&args[..], &["--deploy-tree"]].concat());
    assert_eq!(stdout, "no findings\n");
}

#[test]
fn settings_are_found_above_the_compose_files() {
    let dir = project(&[
        ("docker/compose.yaml", UNBOUNDED),
        ("seaworthy.toml", "[rules]\nmemory-limit = \"off\"\n"),
    ]);
    let args = [
        "-f",
        "docker/compose.yaml",
        "check",
        "--select",
        "memory-limit,cpu-limit",
    ];
    let (code, stdout) = check(dir.path(), &args);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning[cpu-limit]"), "{stdout}");
    assert!(!stdout.contains("memory-limit"), "{stdout}");
}

/// Two targets that share a base and differ in their host.
fn two_hosts() -> tempfile::TempDir {
    project(&[
        (
            "compose.yaml",
            "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    deploy:\n      resources:\n        limits:\n          memory: 768M\n  worker:\n    image: ghcr.io/acme/worker:1.4.2\n    deploy:\n      resources:\n        limits:\n          memory: 768M\n",
        ),
        (
            "seaworthy.toml",
            "[targets.big]\nfiles = [\"compose.yaml\"]\nhost = { cpus = 4, memory = \"8GiB\" }\n\n[targets.small]\nfiles = [\"compose.yaml\"]\nhost = { cpus = 1, memory = \"1GiB\" }\n",
        ),
    ])
}

fn rules_and_targets(stdout: &str) -> Vec<(String, Vec<String>)> {
    let report: serde_json::Value = serde_json::from_str(stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let targets = f["targets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_owned())
                .collect();
            (f["rule"].as_str().unwrap().to_owned(), targets)
        })
        .collect()
}

#[test]
fn every_target_is_checked_and_the_small_host_fails_alone() {
    let dir = two_hosts();
    let args = [
        "check",
        "--select",
        "resource-budget,cpu-limit",
        "--format",
        "json",
    ];
    let (code, stdout) = check(dir.path(), &args);
    assert_eq!(code, 1, "{stdout}");
    let found = rules_and_targets(&stdout);
    let budget: Vec<&Vec<String>> = found
        .iter()
        .filter(|(rule, _)| rule == "resource-budget")
        .map(|(_, targets)| targets)
        .collect();
    assert_eq!(budget, [&vec!["small".to_owned()]], "{stdout}");
    // A finding of the shared base is reported once, for both targets.
    assert!(
        found
            .iter()
            .any(|(rule, targets)| rule == "cpu-limit" && targets == &["big", "small"]),
        "{stdout}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let passed: Vec<(&str, bool)> = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["passed"].as_bool().unwrap()))
        .collect();
    assert_eq!(passed, [("big", true), ("small", false)], "{stdout}");
    let (code, _) = check(dir.path(), &[&args[..], &["--target", "big"]].concat());
    assert_eq!(code, 0, "the big host has room");
}

#[test]
fn the_markdown_report_says_which_target_fails_and_by_how_much() {
    let dir = two_hosts();
    let args = [
        "check",
        "--select",
        "resource-budget",
        "--format",
        "markdown",
    ];
    let (code, stdout) = check(dir.path(), &args);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("**Result: 1 of 2 targets fail (`small`)**"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| `big` | `compose.yaml` | high | passes |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| `small` | `compose.yaml` | high | **fails** |"),
        "{stdout}"
    );
    // 1GiB less 512MiB of headroom leaves 512MiB for 1.5GiB of limits.
    assert!(
        stdout.contains("| Memory | 1.5GiB | — | 512MiB for containers (1GiB less 512MiB for the engine and the system) | **over by 1GiB** |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| CPU | unbounded: no CPU limit on `api`, `worker` | — | 1 CPU | cannot tell: a service has no limit |"),
        "{stdout}"
    );
}

#[test]
fn an_unknown_target_is_a_usage_error_naming_the_targets() {
    let dir = two_hosts();
    let output = common::seaworthy(dir.path())
        .args(["check", "--target", "medium"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no target `medium` in seaworthy.toml; its targets: big, small"),
        "{stderr}"
    );
}

#[test]
fn a_misspelled_service_in_an_overlay_is_caught_with_the_near_name() {
    let dir = project(&[
        (
            "compose.yaml",
            "services:\n  worker:\n    image: ghcr.io/acme/worker:1.4.2\n",
        ),
        (
            "compose.prod.yaml",
            "services:\n  wroker:\n    restart: unless-stopped\n",
        ),
        (
            "compose.other.yaml",
            "services:\n  wroker:\n    image: ghcr.io/acme/worker:1.4.2\n",
        ),
    ]);
    // Without an image the overlay's service does not load: the error names the near service.
    let (code, stdout) = check(
        dir.path(),
        &["-f", "compose.yaml", "-f", "compose.prod.yaml", "check"],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("help: did you mean `worker`?"), "{stdout}");
    // With one, it loads as a new service, and the rule says which one it probably meant.
    let (_, stdout) = check(
        dir.path(),
        &[
            "-f",
            "compose.yaml",
            "-f",
            "compose.other.yaml",
            "check",
            "--select",
            "overlay-unknown-service",
        ],
    );
    assert!(
        stdout.contains("service `wroker` first appears in an overlay, which no earlier file defines: a misspelling of `worker`?"),
        "{stdout}"
    );
}

#[test]
fn the_human_report_ends_with_each_targets_budget() {
    let dir = two_hosts();
    let (_, stdout) = check(dir.path(), &["check", "--select", "resource-budget"]);
    // 2 × 768M against 1GiB less the 512MiB headroom; 1.5GiB against 8GiB less 819MiB.
    assert!(
        stdout.contains("budget of `big`:\n  memory [█████░░░░░░░░░░░░░░░░░░░] 1.5GiB of 7.2GiB (21%)\n  cpus   unbounded: a service has no CPU limit, against 4\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "budget of `small`:\n  memory [████████████████████████] 1.5GiB of 512MiB (300%)\n"
        ),
        "{stdout}"
    );
}

#[test]
fn the_human_report_points_at_harden_when_its_rules_have_findings() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n",
    )]);
    let (_, stdout) = check(dir.path(), &["check", "--select", "restart-policy-missing"]);
    assert!(
        stdout.ends_with(
            "\n\n1 finding comes from a rule `seaworthy harden` can fix: `seaworthy harden --diff` shows what it would write\n"
        ),
        "{stdout}"
    );
    // A rule harden cannot fix leaves no hint.
    let (_, stdout) = check(dir.path(), &["check", "--select", "image-no-digest"]);
    assert!(!stdout.contains("seaworthy harden"), "{stdout}");
}
