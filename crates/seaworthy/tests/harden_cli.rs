//! `seaworthy harden` from the command line: where the overlay goes, that nothing the user
//! has is replaced, what it prints, and that the target passes its fixed findings with it.

#![allow(clippy::disallowed_methods)] // the tests write projects and read back the overlay

mod common;

use common::{project, seaworthy};
use std::fs;
use std::path::Path;

const BASE: &str = "services:
  api:
    image: ghcr.io/acme/api:1.4.2
    depends_on: [db]
  db:
    image: postgres:17.2
    restart: always
    healthcheck:
      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]
";

/// Exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = seaworthy(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_overlay_goes_beside_the_last_file_and_fixes_what_it_says() {
    let dir = project(&[
        ("docker/compose.yaml", BASE),
        (
            "docker/compose.prod.yaml",
            "services:\n  api:\n    logging:\n      driver: json-file\n",
        ),
    ]);
    let files = [
        "-f",
        "docker/compose.yaml",
        "-f",
        "docker/compose.prod.yaml",
    ];
    let (code, stdout, stderr) = run(dir.path(), &[&files[..], &["harden"]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    let written = dir.path().join("docker/compose.hardened.yaml");
    assert!(
        stderr.starts_with("wrote docker/compose.hardened.yaml: "),
        "{stderr}"
    );
    let overlay = fs::read_to_string(&written).unwrap();
    assert!(
        overlay.contains("    restart: unless-stopped\n"),
        "{overlay}"
    );
    assert!(
        overlay.contains("      db:\n        condition: service_healthy\n"),
        "{overlay}"
    );
    assert!(overlay.contains("(log-rotation-missing)"), "{overlay}");
    // With the overlay as the last file, the fixed findings are gone.
    let hardened = [&files[..], &["-f", "docker/compose.hardened.yaml"]].concat();
    let (_, before, _) = run(
        dir.path(),
        &[&files[..], &["check", "--format", "json"]].concat(),
    );
    let (_, after, _) = run(
        dir.path(),
        &[&hardened[..], &["check", "--format", "json"]].concat(),
    );
    for rule in [
        "restart-policy-missing",
        "log-rotation-missing",
        "depends-on-no-health-condition",
    ] {
        assert!(
            before.contains(&format!("\"rule\": \"{rule}\"")),
            "{rule}: {before}"
        );
        assert!(
            !after.contains(&format!("\"rule\": \"{rule}\"")),
            "{rule}: {after}"
        );
    }
    // Again on the result: nothing left to add.
    let (code, stdout, stderr) = run(
        dir.path(),
        &[&hardened[..], &["harden", "-o", "-"]].concat(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("services: {}"), "{stdout}");
    assert!(stderr.contains(": 0 values fixing 0 findings"), "{stderr}");
}

#[test]
fn an_existing_file_is_never_replaced_without_force() {
    let dir = project(&[
        ("compose.yaml", BASE),
        ("compose.hardened.yaml", "# mine\n"),
    ]);
    let (code, _, stderr) = run(dir.path(), &["harden"]);
    assert_eq!(code, 1);
    assert!(
        stderr
            .contains("compose.hardened.yaml exists; harden never replaces a file without --force"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("compose.hardened.yaml")).unwrap(),
        "# mine\n"
    );
    let (code, _, stderr) = run(dir.path(), &["harden", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    let overlay = fs::read_to_string(dir.path().join("compose.hardened.yaml")).unwrap();
    assert!(overlay.starts_with("# Production overlay written by seaworthy harden"));
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn printing_and_diffing_write_nothing() {
    let dir = project(&[("compose.yaml", BASE)]);
    let (code, stdout, _) = run(dir.path(), &["harden", "-o", "-"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("# Production overlay"), "{stdout}");
    let (code, stdout, _) = run(dir.path(), &["harden", "--diff"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("services.api.restart: (unset) → unless-stopped"),
        "{stdout}"
    );
    assert!(!dir.path().join("compose.hardened.yaml").exists());
}

#[test]
fn several_targets_need_one_chosen() {
    let dir = project(&[
        ("compose.yaml", BASE),
        ("compose.big.yaml", "services: {}\n"),
        (
            "seaworthy.toml",
            "[targets.a]\nfiles = [\"compose.yaml\"]\n[targets.b]\nfiles = [\"compose.yaml\", \"compose.big.yaml\"]\n",
        ),
    ]);
    let (code, _, stderr) = run(dir.path(), &["harden"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("choose one with --target (a, b)"),
        "{stderr}"
    );
    let (code, _, stderr) = run(dir.path(), &["harden", "--target", "b"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.path().join("compose.hardened.yaml").exists());
}

/// The overlays recorded with docker compose as conformance probes
/// (`tests/conformance/probes/harden-*`) are the ones harden writes today.
#[test]
fn the_overlays_docker_compose_accepted_are_what_harden_writes() {
    let probes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/probes");
    let mut seen = 0;
    for entry in fs::read_dir(&probes).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("harden-") {
            continue;
        }
        seen += 1;
        let input = entry.path().join("input");
        let dir = tempfile::tempdir().unwrap();
        // Named as the recorded directory: the overlay's first line names the target.
        let copy = dir.path().join("input");
        fs::create_dir(&copy).unwrap();
        fs::copy(input.join("compose.yaml"), copy.join("compose.yaml")).unwrap();
        let (code, stdout, stderr) = run(&copy, &["harden", "-o", "-"]);
        assert_eq!(code, 0, "{name}: {stderr}");
        let recorded = fs::read_to_string(input.join("compose.hardened.yaml")).unwrap();
        assert_eq!(
            stdout, recorded,
            "{name}: harden now writes another overlay; record it again with docker compose"
        );
    }
    assert_eq!(seen, 3);
}

#[test]
fn services_join_the_loki_driver_the_project_already_uses_but_loki_does_not() {
    let compose = "services:
  api:
    image: ghcr.io/acme/api:1.4.2
    logging:
      driver: loki
      options:
        loki-url: http://127.0.0.1:3100/loki/api/v1/push
        mode: non-blocking
        max-size: 10m
  worker:
    image: ghcr.io/acme/worker:1.4.2
  loki:
    image: grafana/loki:3.2.0
    ports: [\"127.0.0.1:3100:3100\"]
";
    let dir = project(&[("compose.yaml", compose)]);
    let (code, stdout, stderr) = run(dir.path(), &["harden", "-o", "-"]);
    assert_eq!(code, 0, "{stderr}");
    let worker = stdout.split("  worker:\n").nth(1).unwrap_or_default();
    let worker = worker.split("\n  loki:").next().unwrap_or_default();
    assert!(worker.contains("      driver: loki\n"), "{stdout}");
    assert!(
        worker.contains("        loki-url: \"http://127.0.0.1:3100/loki/api/v1/push\"\n"),
        "{stdout}"
    );
    assert!(worker.contains("        mode: non-blocking\n"), "{stdout}");
    let loki = stdout.split("  loki:\n").nth(1).unwrap_or_default();
    assert!(loki.contains("      driver: json-file\n"), "{stdout}");
}
