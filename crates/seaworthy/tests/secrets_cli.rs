//! `seaworthy secrets init` and `seaworthy secrets check` on real files: permissions set and
//! checked, existing secrets left byte for byte, values never printed, a secret git tracks
//! and one a build context sends reported, the bundled example going through both.

#![allow(clippy::disallowed_methods)] // the tests write projects and read back what was created
#![cfg(unix)]

mod common;

use common::{project, seaworthy};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// Exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = seaworthy(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

const COMPOSE: &str = "services:
  api:
    image: ghcr.io/acme/api:1.4.2
    secrets: [db_password, api_token, tls, session_key]
secrets:
  db_password:
    file: ./secrets/db_password.txt
  session_key:
    file: ./secrets/session_key
  api_token:
    environment: API_TOKEN
  tls:
    external: true
";

/// A git work tree that ignores `secrets/`, with the compose file committed.
fn repository(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![("compose.yaml", COMPOSE), (".gitignore", "secrets/\n")];
    files.extend_from_slice(extra);
    let dir = project(&files);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "compose.yaml", ".gitignore"]);
    git(dir.path(), &["commit", "-qm", "compose"]);
    dir
}

#[test]
fn init_creates_owner_only_secrets_and_never_prints_them() {
    let dir = repository(&[]);
    let (code, stdout, stderr) = run(
        dir.path(),
        &["secrets", "init", "--length", "40", "--charset", "hex"],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let secrets = dir.path().join("secrets");
    assert_eq!(
        mode(&secrets),
        0o700,
        "a directory it creates is owner-only"
    );
    for name in ["db_password.txt", "session_key"] {
        let path = secrets.join(name);
        assert_eq!(mode(&path), 0o600, "{name}");
        let value = fs::read_to_string(&path).unwrap();
        assert_eq!(value.len(), 40, "{name}");
        assert!(value.bytes().all(|b| b.is_ascii_hexdigit()), "{value}");
        assert!(!stdout.contains(&value) && !stderr.contains(&value));
        assert!(
            stdout.contains(&format!("created secrets/{name}")),
            "{stdout}"
        );
    }
    assert_ne!(
        fs::read(secrets.join("db_password.txt")).unwrap(),
        fs::read(secrets.join("session_key")).unwrap()
    );
    assert!(stderr.contains("2 secret files created"), "{stderr}");
    // Environment and external secrets have no file to create.
    assert_eq!(fs::read_dir(&secrets).unwrap().count(), 2);
}

#[test]
fn init_leaves_an_existing_secret_byte_for_byte_and_dry_run_writes_nothing() {
    let dir = repository(&[("secrets/db_password.txt", "production password\n")]);
    let existing = dir.path().join("secrets/db_password.txt");
    set_mode(&existing, 0o640);
    let (code, stdout, _) = run(dir.path(), &["secrets", "init", "--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "would create secrets/session_key (secret `session_key`)\n"
    );
    assert!(!dir.path().join("secrets/session_key").exists());
    let (code, stdout, stderr) = run(dir.path(), &["secrets", "init"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "created secrets/session_key (secret `session_key`, mode 0600)\n"
    );
    assert!(
        stderr.contains("1 secret file created, 1 already there"),
        "{stderr}"
    );
    assert_eq!(fs::read(&existing).unwrap(), b"production password\n");
    assert_eq!(mode(&existing), 0o640, "the owner's mode is kept");
    // The directory existed (with the umask's mode): reported, not changed.
    let secrets_mode = mode(&dir.path().join("secrets"));
    if secrets_mode & 0o077 != 0 {
        assert!(stderr.contains("`chmod 700 secrets`"), "{stderr}");
    }
    let again = fs::read(dir.path().join("secrets/session_key")).unwrap();
    let (_, stdout, stderr) = run(dir.path(), &["secrets", "init"]);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("0 secret files created, 2 already there"),
        "{stderr}"
    );
    assert_eq!(
        fs::read(dir.path().join("secrets/session_key")).unwrap(),
        again
    );
}

#[test]
fn check_passes_owner_only_ignored_secrets_and_lists_the_others() {
    let dir = repository(&[
        ("secrets/db_password.txt", "a-long-generated-value\n"),
        ("secrets/session_key", "another-generated-value\n"),
    ]);
    set_mode(&dir.path().join("secrets/db_password.txt"), 0o600);
    set_mode(&dir.path().join("secrets/session_key"), 0o400);
    let (code, stdout, stderr) = run(dir.path(), &["secrets", "check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("no findings"), "{stdout}");
    assert!(
        stdout.contains("api_token    environment variable `API_TOKEN` (provided elsewhere)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("tls          external secret `tls` (provided elsewhere)"),
        "{stdout}"
    );
    assert!(!stdout.contains("a-long-generated-value"));
}

#[test]
fn check_reports_loose_modes_empty_files_and_missing_ones() {
    let dir = repository(&[
        ("secrets/db_password.txt", "value\n"),
        ("secrets/session_key", ""),
    ]);
    set_mode(&dir.path().join("secrets/db_password.txt"), 0o640);
    set_mode(&dir.path().join("secrets/session_key"), 0o600);
    let (code, stdout, _) = run(dir.path(), &["secrets", "check", "--format", "json"]);
    assert_eq!(code, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "secret-file-exposed",
                "secret `db_password` reads `secrets/db_password.txt`, which users other than its owner can access"
            ),
            (
                "secret-file-unusable",
                "secret `session_key` reads `secrets/session_key`, which is empty"
            ),
        ],
        "{stdout}"
    );
    fs::remove_file(dir.path().join("secrets/session_key")).unwrap();
    let (code, stdout, _) = run(dir.path(), &["secrets", "check"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("error[secret-file-missing]: secret `session_key` reads `secrets/session_key`, which does not exist"),
        "{stdout}"
    );
    assert!(stdout.contains("`seaworthy secrets init`"), "{stdout}");
}

#[test]
fn a_tracked_secret_is_reported_even_when_gitignore_lists_it() {
    let dir = repository(&[
        ("secrets/db_password.txt", "committed by mistake\n"),
        ("secrets/session_key", "fine\n"),
    ]);
    git(dir.path(), &["add", "-f", "secrets/db_password.txt"]);
    git(dir.path(), &["commit", "-qm", "oops"]);
    for file in ["secrets/db_password.txt", "secrets/session_key"] {
        set_mode(&dir.path().join(file), 0o600);
    }
    let (code, stdout, _) = run(dir.path(), &["secrets", "check"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[secret-file-exposed]: secret `db_password` reads `secrets/db_password.txt`, which git tracks"),
        "{stdout}"
    );
    assert!(
        stdout.contains("git rm --cached secrets/db_password.txt"),
        "{stdout}"
    );
    assert!(!stdout.contains("`session_key` reads"), "{stdout}");
}

#[test]
fn a_secret_inside_a_build_context_is_reported_unless_dockerignore_leaves_it_out() {
    let compose = "services:
  api:
    build: .
    secrets: [db_password]
secrets:
  db_password:
    file: ./secrets/db_password.txt
";
    let dir = project(&[
        ("compose.yaml", compose),
        ("Dockerfile", "FROM alpine:3.20\nUSER 1000\n"),
        (".gitignore", "secrets/\n"),
        ("secrets/db_password.txt", "value\n"),
    ]);
    git(dir.path(), &["init", "-q"]);
    set_mode(&dir.path().join("secrets/db_password.txt"), 0o600);
    let (code, stdout, _) = run(dir.path(), &["secrets", "check"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("which the build context of `api` sends to the builder"),
        "{stdout}"
    );
    fs::write(dir.path().join(".dockerignore"), "secrets/\n").unwrap();
    let (code, stdout, _) = run(dir.path(), &["secrets", "check"]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn the_bundled_example_goes_through_init_then_check() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/production-stack");
    let dir = tempfile::tempdir().unwrap();
    let copy = Command::new("cp")
        .arg("-R")
        .arg(&example)
        .arg(dir.path().join("stack"))
        .status()
        .unwrap();
    assert!(copy.success());
    let root = dir.path().join("stack");
    git(&root, &["init", "-q"]);
    let (code, stdout, stderr) = run(&root, &["secrets", "init"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 5, "{stdout}");
    // pgbouncer's files have formats of their own: written by hand, as the example's
    // secrets/README.md says.
    assert!(
        stderr.contains("docker/secrets/pgbouncer.ini has a format of its own"),
        "{stderr}"
    );
    let secrets = root.join("docker/secrets");
    fs::write(secrets.join("pgbouncer.ini"), "[databases]\n").unwrap();
    fs::write(secrets.join("pgbouncer_userlist.txt"), "\"app\" \"md5x\"\n").unwrap();
    set_mode(&secrets.join("pgbouncer.ini"), 0o600);
    set_mode(&secrets.join("pgbouncer_userlist.txt"), 0o600);
    let (code, stdout, stderr) = run(&root, &["secrets", "check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("secrets of `selfhosted`:"), "{stdout}");
}
