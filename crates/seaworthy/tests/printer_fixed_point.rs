//! The typed printer on docker compose's own output: every `docker compose config` output is a
//! fixed point (loading it and printing it again gives the same text), and it is already in the
//! canonical long form the printer expects. For each recorded successful run of the oracle
//! probes (`tests/conformance/probes/`) and, when `../shared/corpus` exists, of the real-world
//! overlay sets (never copied into the repository), the recorded YAML is loaded from a memory
//! file system, printed as YAML and as JSON, and compared byte for byte with the recorded YAML
//! and JSON outputs.

#![allow(clippy::disallowed_methods)] // tests read their fixtures from disk directly

use seaworthy_compose::emit::{to_json, to_yaml};
use seaworthy_compose::printer::{Flavor, project_to_out};
use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_source::{MapEnv, MemoryFs};
use std::fs;
use std::path::{Path, PathBuf};

/// Where the recorded outputs' placeholders point in the memory file system.
const PROJECT_DIR: &str = "/project";
const HOME_DIR: &str = "/home/user";

struct Case {
    label: String,
    /// The recorded `config` output.
    stdout: PathBuf,
    /// `--format json` was given: the recorded output is docker compose's JSON text.
    stdout_is_json: bool,
    /// The recorded `--format json` output, re-indented and with sorted keys: compared as data.
    json: PathBuf,
}

/// Cases that are not fixed points of docker compose itself, or that the loader (not the
/// printer) does not reload yet.
const NOT_FIXED_POINTS: &[(&str, &str)] = &[
    (
        "probes/interp-keys",
        "mapping keys are not interpolated, so an escaped `$$` in a key doubles again",
    ),
    (
        "probes/merge-all-fields",
        "the merged `extra_hosts` repeats an entry, which the schema rejects on reload",
    ),
    (
        "probes/merge-extra-hosts-separator",
        "the merged `extra_hosts` repeats an entry, which the schema rejects on reload",
    ),
    (
        "probes/profiles-x-optional-dep",
        "loader: reloading rejects the optional dependency on a service left out by profiles",
    ),
    (
        "real-world/13-zammad__zammad-docker-compose",
        "loader: an unused external network gets a `name` on reload",
    ),
];

/// Arguments after which `config` prints something other than the model.
const LISTINGS: &[&str] = &[
    "--services",
    "--profiles",
    "--volumes",
    "--networks",
    "--images",
    "--hash",
    "--variables",
    "-q",
    "--quiet",
];

fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn case(label: String, args: &[String], stdout: PathBuf, json: PathBuf) -> Option<Case> {
    if args.iter().any(|a| LISTINGS.contains(&a.as_str()))
        || NOT_FIXED_POINTS.iter().any(|(name, _)| *name == label)
    {
        return None;
    }
    let stdout_is_json = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json");
    Some(Case {
        label,
        stdout,
        stdout_is_json,
        json,
    })
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn probe_cases() -> Vec<Case> {
    let root = manifest_dir().join("tests/conformance/probes");
    let mut cases = Vec::new();
    for entry in fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let rc = fs::read_to_string(dir.join("docker-compose-v2.40.3.rc")).unwrap_or_default();
        if rc.trim() != "0" {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let meta: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.join("cmd.json")).unwrap_or_default())
                .unwrap_or_default();
        cases.extend(case(
            format!("probes/{name}"),
            &strings(&meta["args"]),
            dir.join("docker-compose-v2.40.3.stdout"),
            dir.join("docker-compose-v2.40.3.json"),
        ));
    }
    cases.sort_by(|a, b| a.label.cmp(&b.label));
    cases
}

fn real_world_cases(corpus: &Path) -> Vec<Case> {
    let expected = corpus.join("real-world/_expected");
    let mut cases = Vec::new();
    for entry in fs::read_dir(&expected).unwrap() {
        let dir = entry.unwrap().path();
        let meta: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.join("cmd.json")).unwrap_or_default())
                .unwrap_or_default();
        if meta["rc"].as_i64() != Some(0) {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        cases.extend(case(
            format!("real-world/{name}"),
            &strings(&meta["argv"]),
            dir.join("stdout.yaml"),
            dir.join("stdout.json"),
        ));
    }
    cases.sort_by(|a, b| a.label.cmp(&b.label));
    cases
}

fn fill_placeholders(text: &str) -> String {
    text.replace("${CASE_DIR}", PROJECT_DIR)
        .replace("${PROJECT_ROOT}", PROJECT_DIR)
        .replace("${HOME}", HOME_DIR)
}

/// What the printer gives for the recorded YAML: (yaml, json), or why it could not run.
fn reprint(yaml: &str) -> Result<(String, String), String> {
    let file = format!("{PROJECT_DIR}/compose.yaml");
    let fs = MemoryFs::new().with(&file, yaml.as_bytes().to_vec());
    let mut env = MapEnv::new();
    env.0.insert("HOME".into(), HOME_DIR.into());
    let options = LoadOptions {
        files: vec![PathBuf::from(&file)],
        cwd: PathBuf::from(PROJECT_DIR),
        // Every service of the output was active; some only under a profile.
        profiles: vec!["*".into()],
        ..LoadOptions::default()
    };
    let mut sources = Sources::new();
    let project = load(&options, &fs, &env, &mut sources).map_err(|e| format!("{e:?}"))?;
    let print = |flavor| {
        project_to_out(&project.model, flavor).map_err(|e| format!("{}: {}", e.path, e.message))
    };
    let yaml = to_yaml(&print(Flavor::Yaml)?).replace('$', "$$");
    let json = to_json(&print(Flavor::Json)?).replace('$', "$$");
    Ok((yaml, json))
}

struct Outcome {
    yaml_same: usize,
    /// Recorded `--format json` outputs printed byte for byte.
    json_exact: usize,
    json_same: usize,
    failures: Vec<String>,
}

fn check(cases: &[Case]) -> Outcome {
    let mut outcome = Outcome {
        yaml_same: 0,
        json_exact: 0,
        json_same: 0,
        failures: Vec::new(),
    };
    for case in cases {
        let recorded = fill_placeholders(&fs::read_to_string(&case.stdout).unwrap());
        // A few probes recorded no JSON run.
        let recorded_json = fs::read_to_string(&case.json)
            .ok()
            .map(|text| fill_placeholders(&text));
        let (yaml, json) = match reprint(&recorded) {
            Ok(printed) => printed,
            Err(why) => {
                outcome
                    .failures
                    .push(format!("{}: does not load: {why}", case.label));
                continue;
            }
        };
        let (exact, exact_printed) = if case.stdout_is_json {
            (&recorded, &json)
        } else {
            (&recorded, &yaml)
        };
        if exact.trim_end() == exact_printed.trim_end() {
            if case.stdout_is_json {
                outcome.json_exact += 1;
            } else {
                outcome.yaml_same += 1;
            }
        } else {
            outcome.failures.push(format!(
                "{}: output differs\n{}",
                case.label,
                diff(exact, exact_printed)
            ));
        }
        let Some(recorded_json) = recorded_json else {
            continue;
        };
        let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
        if parse(&json).is_some() && parse(&json) == parse(&recorded_json) {
            outcome.json_same += 1;
        } else {
            outcome.failures.push(format!(
                "{}: json differs as data\n{}",
                case.label,
                diff(&pretty(&recorded_json), &pretty(&json))
            ));
        }
    }
    outcome
}

/// JSON text in one layout with sorted keys, for showing differences.
fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .and_then(|value| serde_json::to_string_pretty(&value))
        .unwrap_or_else(|_| json.to_owned())
}

/// The first differing line, with its neighbours.
fn diff(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let at = (0..expected.len().max(actual.len()))
        .find(|i| expected.get(*i) != actual.get(*i))
        .unwrap_or(0);
    let from = at.saturating_sub(3);
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(from)
            .take(7)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "  at line {}\n  expected:\n{}\n  actual:\n{}",
        at + 1,
        show(&expected),
        show(&actual)
    )
}

fn report(suite: &str, cases: &[Case], outcome: &Outcome) {
    eprintln!(
        "{suite}: {} cases, yaml identical {}, json text identical {}, json data equal {}",
        cases.len(),
        outcome.yaml_same,
        outcome.json_exact,
        outcome.json_same
    );
    for failure in &outcome.failures {
        eprintln!("{failure}\n");
    }
}

#[test]
fn probe_outputs_print_back_identically() {
    let cases = probe_cases();
    let outcome = check(&cases);
    report("probes", &cases, &outcome);
    assert!(
        outcome.failures.is_empty(),
        "{} failures",
        outcome.failures.len()
    );
}

#[test]
fn real_world_outputs_print_back_identically() {
    // `SEAWORTHY_CORPUS` points elsewhere when the checkout is not next to `shared/`.
    let corpus = std::env::var_os("SEAWORTHY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../../shared/corpus"));
    if !corpus.join("real-world/_expected").is_dir() {
        eprintln!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let cases = real_world_cases(&corpus);
    let outcome = check(&cases);
    report("real-world", &cases, &outcome);
    assert!(
        outcome.failures.is_empty(),
        "{} failures",
        outcome.failures.len()
    );
}
