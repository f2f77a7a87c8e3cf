//! `seaworthy config` end to end: the built binary on real files, its exit codes, its error
//! messages (one clear message with `file:line:column` and a snippet, never a panic), and the
//! `--origins` annotations.

#![allow(clippy::disallowed_methods)] // tests read their fixtures from disk directly

mod common;

use common::{project, seaworthy};
use std::fs;
use std::path::Path;

/// Runs `config` expecting failure; returns stderr.
fn config_error(dir: &Path, args: &[&str]) -> String {
    let output = seaworthy(dir).args(args).arg("config").output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(output.stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    let headlines = stderr.lines().filter(|l| l.starts_with("error")).count();
    assert_eq!(headlines, 1, "one message, not a cascade: {stderr}");
    stderr
}

#[test]
fn missing_file_names_the_path() {
    let dir = project(&[]);
    let stderr = config_error(dir.path(), &["-f", "nothere.yaml"]);
    assert!(
        stderr.contains("nothere.yaml: no such file or directory"),
        "{stderr}"
    );
}

#[test]
fn invalid_yaml_points_at_line_and_column_with_a_snippet() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n   ports: [80]\n",
    )]);
    let stderr = config_error(dir.path(), &[]);
    assert!(stderr.contains("compose.yaml:4:"), "{stderr}");
    assert!(stderr.contains("ports: [80]"), "snippet expected: {stderr}");
}

#[test]
fn duplicate_key_points_at_the_second_definition() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  web:\n    image: a\n    image: b\n",
    )]);
    let stderr = config_error(dir.path(), &[]);
    assert!(
        stderr.contains("mapping key \"image\" already defined at line 3"),
        "{stderr}"
    );
    assert!(stderr.contains("compose.yaml:4:5"), "{stderr}");
}

#[test]
fn missing_required_variable_points_at_the_interpolated_value() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  web:\n    image: \"app:${TAG:?set TAG}\"\n",
    )]);
    let stderr = config_error(dir.path(), &[]);
    assert!(
        stderr.contains("required variable TAG is missing a value: set TAG"),
        "{stderr}"
    );
    assert!(stderr.contains("compose.yaml:3:12"), "{stderr}");
}

#[test]

fn unknown_key_is_reported_against_its_file() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n    imagee: typo\n",
    )]);
    let stderr = config_error(dir.path(), &[]);
    assert!(
        stderr.contains("additional properties 'imagee' not allowed"),
        "{stderr}"
    );
    assert!(stderr.contains("compose.yaml:"), "{stderr}");
}

#[test]
fn extends_cycle_is_reported() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: y\n    extends: a\n",
    )]);
    let stderr = config_error(dir.path(), &[]);
    assert!(stderr.contains("Circular reference:"), "{stderr}");
    assert!(stderr.contains("compose.yaml:"), "{stderr}");
}

#[test]
fn unreadable_file_is_an_error_not_a_panic() {
    let dir = project(&[("compose.yaml", "")]);
    fs::write(dir.path().join("compose.yaml"), [0xff, 0xfe, 0x00]).unwrap();
    let stderr = config_error(dir.path(), &[]);
    assert!(stderr.contains("compose.yaml"), "{stderr}");
}

#[test]
fn overlay_values_are_attributed_to_the_overlay() {
    let dir = project(&[
        (
            "docker-compose.yml",
            "services:\n  web:\n    image: nginx:1.25\n    restart: \"no\"\n",
        ),
        (
            "compose.prod.yaml",
            "services:\n  web:\n    restart: unless-stopped\n",
        ),
    ]);
    let output = seaworthy(dir.path())
        .args([
            "-f",
            "docker-compose.yml",
            "-f",
            "compose.prod.yaml",
            "config",
            "--origins",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let restart = stdout.lines().find(|l| l.contains("restart:")).unwrap();
    assert!(
        restart.ends_with("# compose.prod.yaml:3 (overrides docker-compose.yml:4)"),
        "{restart}"
    );
    let image = stdout.lines().find(|l| l.contains("image:")).unwrap();
    assert!(image.ends_with("# docker-compose.yml:3"), "{image}");
}

#[test]
fn listings_print_one_name_per_line() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n  debug:\n    image: busybox\n    profiles: [debug]\n",
    )]);
    let services = seaworthy(dir.path())
        .args(["config", "--services"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(services.stdout).unwrap(), "web\n");
    let profiles = seaworthy(dir.path())
        .args(["config", "--profiles"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(profiles.stdout).unwrap(), "debug\n");
    let with_profile = seaworthy(dir.path())
        .args(["--profile", "debug", "config", "--services"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(with_profile.stdout).unwrap(),
        "debug\nweb\n"
    );
}

#[test]
fn bad_usage_exits_2() {
    let dir = project(&[]);
    let output = seaworthy(dir.path())
        .args(["config", "--format", "toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn quiet_still_decodes_durations_and_points_at_the_bad_one() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  web:\n    image: x\n    healthcheck:\n      interval: 10x\n",
    )]);
    let output = seaworthy(dir.path())
        .args(["config", "-q"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // docker compose v2.40.3's text, then where to edit
    assert!(
        stderr.contains(
            r#"'services[web].healthcheck.interval' time: unknown unit "x" in duration "10x""#
        ),
        "{stderr}"
    );
    assert!(stderr.contains("compose.yaml:5:17"), "{stderr}");
}

#[test]
fn no_interpolate_prints_the_raw_model_like_docker_compose() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  web:\n    image: \"nginx:${TAG:-latest}\"\n    ports: [\"${P:-80}:80\", \"90:90\"]\n    command: echo hi\n",
    )]);
    let output = seaworthy(dir.path())
        .args(["-p", "demo", "config", "--no-interpolate"])
        .output()
        .unwrap();
    assert!(output.status.success());
    // recorded with docker compose v2.40.3: untyped, keys sorted, `$` not escaped, the
    // ports left as written because one of them cannot be parsed before interpolation
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "name: demo\nnetworks:\n  default:\n    name: demo_default\nservices:\n  web:\n    \
         command: echo hi\n    image: nginx:${TAG:-latest}\n    networks:\n      default: null\n    \
         ports:\n      - ${P:-80}:80\n      - 90:90\n"
    );
}

#[test]
fn a_fixed_container_name_with_several_replicas_is_refused() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  a:\n    image: x\n    container_name: cc\n    deploy:\n      replicas: 2\n",
    )]);
    let stderr = config_error(dir.path(), &[]);
    // docker compose v2.40.3's text (compose-go swaps its arguments), then what to do
    assert!(
        stderr.contains("services.deploy.replicas: can't set container_name and a as container name must be unique: invalid compose project"),
        "{stderr}"
    );
    assert!(stderr.contains("compose.yaml:6:17"), "{stderr}");
    assert!(
        stderr.contains("remove `container_name` or run one replica"),
        "{stderr}"
    );
}
