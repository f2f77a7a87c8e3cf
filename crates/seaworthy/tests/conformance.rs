//! Conformance with docker compose v2.40.3, on recorded outputs: the oracle probes (copied into
//! `tests/conformance/probes/`, written for this project) always, and the real-world overlay
//! sets of `../shared/corpus/real-world` when that directory exists (they are never copied into
//! the repository). Each case runs the built binary exactly as `docker compose` was run and
//! compares its YAML byte for byte and its `--format json` output as data.
//!
//! Cases that still differ are listed in `tests/conformance/known-differences-<suite>.txt`; the test
//! fails when an unlisted case differs, and when a listed case has started to agree (so the list
//! only shrinks). `SEAWORTHY_CONFORMANCE_RECORD=1` rewrites the list from the current results.

#![allow(clippy::disallowed_methods)] // tests read their fixtures from disk directly

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Clone)]
struct Case {
    label: String,
    /// The directory copied to a temporary place and run in.
    source: PathBuf,
    /// Name of the copy (it feeds the default project name).
    dir_name: String,
    placeholder: &'static str,
    args: Vec<String>,
    env: Vec<(String, String)>,
    cwd: String,
    setup: Vec<String>,
    rc: i32,
    yaml: PathBuf,
    json: PathBuf,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn pairs(value: &Value) -> Vec<(String, String)> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
        .collect()
}

fn probe_cases() -> Vec<Case> {
    let root = manifest_dir().join("tests/conformance/probes");
    let mut names: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let name = name.to_string_lossy().into_owned();
            let dir = root.join(&name);
            let meta: Value =
                serde_json::from_str(&fs::read_to_string(dir.join("cmd.json")).ok()?).ok()?;
            Some(Case {
                label: format!("probes/{name}"),
                source: dir.join("input"),
                dir_name: name.clone(),
                placeholder: "${CASE_DIR}",
                args: strings(&meta["args"]),
                env: pairs(&meta["env"]),
                cwd: meta["cwd"].as_str().unwrap_or(".").to_owned(),
                setup: Vec::new(),
                rc: fs::read_to_string(dir.join("docker-compose-v2.40.3.rc"))
                    .ok()?
                    .trim()
                    .parse()
                    .ok()?,
                yaml: dir.join("docker-compose-v2.40.3.stdout"),
                json: dir.join("docker-compose-v2.40.3.json"),
            })
        })
        .collect()
}

fn real_world_cases(corpus: &Path) -> Vec<Case> {
    let expected = corpus.join("real-world/_expected");
    let mut names: Vec<_> = fs::read_dir(&expected)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let name = name.to_string_lossy().into_owned();
            let dir = expected.join(&name);
            let meta: Value =
                serde_json::from_str(&fs::read_to_string(dir.join("cmd.json")).ok()?).ok()?;
            let project = meta["project"].as_str()?.to_owned();
            Some(Case {
                label: format!("real-world/{name}"),
                source: corpus.join("real-world").join(&project),
                dir_name: project,
                placeholder: "${PROJECT_ROOT}",
                args: strings(&meta["argv"]).into_iter().skip(2).collect(),
                env: pairs(&meta["env"]),
                cwd: meta["cwd"].as_str().unwrap_or(".").to_owned(),
                setup: strings(&meta["setup"]),
                rc: meta["rc"].as_i64()? as i32,
                yaml: dir.join("stdout.yaml"),
                json: dir.join("stdout.json"),
            })
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            let link = fs::read_link(entry.path()).unwrap();
            std::os::unix::fs::symlink(link, &target).unwrap();
        } else if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

struct Run {
    rc: i32,
    stdout: String,
    stderr: String,
}

fn run(case: &Case, extra: &[&str]) -> Run {
    let mut case_args = case.args.clone();
    case_args.extend(extra.iter().map(|a| (*a).to_owned()));
    run_full(&Case {
        args: case_args,
        ..case.clone()
    })
}

fn run_full(case: &Case) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let root = tmp.path().join(&case.dir_name);
    copy_dir(&case.source, &root);
    for step in &case.setup {
        let _ = Command::new("sh")
            .arg("-c")
            .arg(step)
            .current_dir(&root)
            .status();
    }
    let mut command = Command::new(env!("CARGO_BIN_EXE_seaworthy"));
    command
        .args(&case.args)
        .current_dir(root.join(&case.cwd))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &home)
        .env("DOCKER_HOST", "unix:///nonexistent.sock")
        .env("DOCKER_CONFIG", home.join(".docker"))
        .stdin(Stdio::null());
    for (k, v) in &case.env {
        command.env(k, v);
    }
    let output = command.output().unwrap();
    let root_text = root.display().to_string();
    let stdout = String::from_utf8_lossy(&output.stdout)
        .replace(&root_text, case.placeholder)
        .replace(&home.display().to_string(), "${HOME}");
    Run {
        rc: output.status.code().unwrap_or(-1),
        stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn plain_config(args: &[String]) -> bool {
    args.last().is_some_and(|a| a == "config")
}

/// Compares one case; returns (semantic agreement, exact YAML agreement).
fn compare(case: &Case) -> (bool, bool) {
    let got = run(case, &[]);
    let expected_yaml = fs::read_to_string(&case.yaml).unwrap_or_default();
    if case.rc != 0 {
        let ok = got.rc != 0 && got.stdout.trim().is_empty();
        return (ok, ok);
    }
    let listing = [
        "--services",
        "--profiles",
        "--volumes",
        "--networks",
        "--images",
    ];
    let exact = if case.args.iter().any(|a| listing.contains(&a.as_str())) {
        let mut a: Vec<&str> = got.stdout.lines().collect();
        let mut b: Vec<&str> = expected_yaml.lines().collect();
        a.sort();
        b.sort();
        got.rc == 0 && a == b
    } else {
        got.rc == 0 && got.stdout == expected_yaml
    };
    if plain_config(&case.args) && case.json.is_file() {
        let json = run(case, &["--format", "json"]);
        let want: Value = serde_json::from_str(&fs::read_to_string(&case.json).unwrap()).unwrap();
        let got: Option<Value> = if json.rc == 0 {
            serde_json::from_str(&json.stdout).ok()
        } else {
            None
        };
        return (got.as_ref() == Some(&want), exact);
    }
    (exact, exact)
}

fn known_differences_path(suite: &str) -> PathBuf {
    manifest_dir().join(format!("tests/conformance/known-differences-{suite}.txt"))
}

fn known_differences(suite: &str) -> BTreeSet<String> {
    let text = fs::read_to_string(known_differences_path(suite)).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn check(suite: &str, cases: Vec<Case>) {
    let known = known_differences(suite);
    let mut failing = BTreeSet::new();
    let (mut semantic_ok, mut exact_ok) = (0, 0);
    for case in &cases {
        let (semantic, exact) = compare(case);
        semantic_ok += usize::from(semantic);
        exact_ok += usize::from(exact);
        for (kind, ok) in [("semantic", semantic), ("exact", exact)] {
            if !ok {
                failing.insert(format!("{kind} {}", case.label));
            }
        }
    }
    let total = cases.len();
    eprintln!("{suite}: {semantic_ok}/{total} agree as data, {exact_ok}/{total} byte for byte");
    if std::env::var_os("SEAWORTHY_CONFORMANCE_RECORD").is_some() {
        let mut text = String::from(
            "# Cases that still differ from docker compose v2.40.3 (see tests/conformance.rs).\n",
        );
        for line in failing {
            text.push_str(&line);
            text.push('\n');
        }
        fs::write(known_differences_path(suite), text).unwrap();
        return;
    }
    let unexpected: Vec<&String> = failing.iter().filter(|f| !known.contains(*f)).collect();
    let fixed: Vec<&String> = known.iter().filter(|k| !failing.contains(*k)).collect();
    assert!(
        unexpected.is_empty(),
        "cases that differ from docker compose:\n{unexpected:#?}"
    );
    assert!(
        fixed.is_empty(),
        "cases that now agree: remove them from known-differences-{suite}.txt:\n{fixed:#?}"
    );
}

#[test]
fn oracle_probes_agree_with_docker_compose() {
    check("probes", probe_cases());
}

/// The shared corpus, when this checkout sits next to it (`SEAWORTHY_CORPUS` points
/// elsewhere when it does not).
fn corpus() -> Option<PathBuf> {
    let corpus = std::env::var_os("SEAWORTHY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../../shared/corpus"));
    if corpus.join("real-world/_expected").is_dir() {
        Some(corpus)
    } else {
        eprintln!("skipped: no corpus at {}", corpus.display());
        None
    }
}

#[test]
fn real_world_overlay_sets_agree_with_docker_compose() {
    let Some(corpus) = corpus() else {
        return;
    };
    check("real-world", real_world_cases(&corpus));
}

/// `harden` on every real-world set docker compose loads: it must write an overlay that loads
/// with the set. The findings before and after are printed (`-- --nocapture`), so a change in
/// what harden fixes shows.
#[test]
fn hardening_every_real_world_set_that_loads_succeeds() {
    let Some(corpus) = corpus() else {
        return;
    };
    let mut failures = Vec::new();
    let (mut before_total, mut after_total) = (0, 0);
    eprintln!("{:<48} {:>7} {:>6}", "set", "before", "after");
    for case in real_world_cases(&corpus) {
        if case.rc != 0 || !plain_config(&case.args) {
            continue;
        }
        let mut harden = case.args[..case.args.len() - 1].to_vec();
        harden.extend(["harden", "-o", "-"].map(str::to_owned));
        let case = Case {
            args: harden,
            ..case
        };
        let got = run_full(&case);
        let counts = got
            .stderr
            .split("the target goes from ")
            .nth(1)
            .and_then(|rest| {
                let mut words = rest.split_whitespace();
                let before = words.next()?.parse::<usize>().ok()?;
                let after = words.nth(2)?.trim_end_matches(',').parse::<usize>().ok()?;
                Some((before, after))
            });
        match (got.rc, counts) {
            (0, Some((before, after))) => {
                eprintln!("{:<48} {before:>7} {after:>6}", case.label);
                before_total += before;
                after_total += after;
            }
            _ => failures.push(format!("{}: exit {}\n{}", case.label, got.rc, got.stderr)),
        }
    }
    eprintln!("{:<48} {before_total:>7} {after_total:>6}", "total");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
