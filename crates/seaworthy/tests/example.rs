//! The bundled example stack (`examples/production-stack`) loads in every target exactly as
//! docker compose v2.40.3 printed it (outputs recorded with the real binary; the example's
//! absolute path is replaced by `${EXAMPLE_DIR}`).
#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;
use std::process::Command;

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/production-stack")
}

/// The binary, run in the example's directory with a clean environment.
fn seaworthy_in_example(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_seaworthy"))
        .args(args)
        .current_dir(example_dir().canonicalize().expect("example directory"))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/nonexistent-home")
        .output()
        .expect("run seaworthy")
}

fn config(args: &[&str]) -> String {
    let dir = example_dir().canonicalize().expect("example directory");
    let output = seaworthy_in_example(args);
    assert!(
        output.status.success(),
        "seaworthy {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "warnings on {args:?}"
    );
    String::from_utf8(output.stdout)
        .expect("utf-8 output")
        .replace(&dir.display().to_string(), "${EXAMPLE_DIR}")
}

fn recorded(name: &str) -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/example")
            .join(name),
    )
    .expect("recorded output")
}

fn target(overlay: &str) -> Vec<String> {
    ["docker-compose.yml", "compose.prod.yaml", overlay]
        .iter()
        .flat_map(|f| ["-f".to_owned(), format!("docker/{f}")])
        .collect()
}

fn assert_target(overlay: &str, name: &str) {
    let files = target(overlay);
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.push("config");
    assert_eq!(
        config(&args),
        recorded(&format!("{name}.yaml")),
        "{name} as YAML"
    );
    args.extend(["--format", "json"]);
    assert_eq!(
        config(&args),
        recorded(&format!("{name}.json")),
        "{name} as JSON"
    );
}

#[test]
fn selfhosted_target_matches_docker_compose() {
    assert_target("compose.selfhosted.yaml", "selfhosted");
}

#[test]
fn digitalocean_target_matches_docker_compose() {
    assert_target("compose.digitalocean.yaml", "digitalocean");
}

#[test]
fn base_with_debug_profile_matches_docker_compose() {
    let output = config(&[
        "-f",
        "docker/docker-compose.yml",
        "--profile",
        "debug",
        "config",
    ]);
    assert_eq!(output, recorded("base-debug.yaml"));
}

/// The example is what a hardened stack looks like: every production combination passes at
/// the default `--fail-on` (what remains is medium or lower, listed in its README).
#[test]
fn production_targets_pass_the_check_at_the_default_threshold() {
    for overlay in ["compose.selfhosted.yaml", "compose.digitalocean.yaml"] {
        let mut args = target(overlay);
        args.push("check".to_owned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = seaworthy_in_example(&args);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{overlay}:\n{stdout}");
        assert!(!stdout.contains("error["), "{overlay}:\n{stdout}");
    }
}

#[test]
fn check_in_the_example_directory_checks_every_target_and_passes() {
    let output = seaworthy_in_example(&["check", "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let targets: Vec<&str> = report["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(targets, ["digitalocean", "selfhosted"]);
}

/// The verification report of the example's targets: `tests/example/report.md`, rewritten
/// with `SEAWORTHY_BLESS=1` (then read it rendered, as a reviewer would). The totals were added
/// up by hand from the overlays.
#[test]
fn the_markdown_report_lists_every_service_with_its_totals() {
    let output = seaworthy_in_example(&["check", "--format", "markdown"]);
    let report = String::from_utf8(output.stdout).expect("utf-8 report");
    // digitalocean: limits api 768M + worker 512M + migrate 256M + frontend 128M + redis 384M;
    // reservations api 256M + worker 256M + frontend 64M + redis 128M; CPUs 0.75 + 0.5 + 0.5 +
    // 0.25 + 0.5, reserved 0.25 (api). Host 8GiB less max(10 %, 512MiB) = 7.2GiB.
    assert!(
        report.contains("| Memory | 2GiB | 704MiB | 7.2GiB for containers (8GiB less 819.2MiB for the engine and the system) | fits, 5.2GiB to spare |"),
        "{report}"
    );
    assert!(
        report.contains("| CPU | 2.5 | 0.25 | 4 CPUs | fits |"),
        "{report}"
    );
    // selfhosted: 13 services, 10752 MiB of limits, 1920 MiB reserved (api 256, worker 256,
    // frontend 64, postgres 512, redis 256, minio 512, caddy 64), 9.75 CPUs of limits and 0.75
    // reserved (api 0.25, postgres 0.5) on 8 CPUs.
    assert!(
        report.contains("| Memory | 10.5GiB | 1.88GiB | 14.4GiB for containers (16GiB less 1.6GiB for the engine and the system) | fits, 3.9GiB to spare |"),
        "{report}"
    );
    assert!(
        report.contains("| CPU | 9.75 | 0.75 | 8 CPUs | overcommitted within 2× (9.75 of 16)"),
        "{report}"
    );
    assert!(report.contains("**Result: both targets pass**"), "{report}");
    assert!(
        report.contains("| `api` | build `../backend` (stage `production`) |"),
        "{report}"
    );
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/example/report.md");
    if std::env::var_os("SEAWORTHY_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&golden, &report).expect("write golden report");
    } else {
        let expected = std::fs::read_to_string(&golden).expect("golden report");
        assert!(
            report == expected,
            "the report differs from tests/example/report.md (re-bless with SEAWORTHY_BLESS=1 after reading it):\n{report}"
        );
    }
}
