//! Targets that share their first files (base, production overlay) are loaded through one
//! `Sources`, which merges those files once. Each load must still come out exactly as if it
//! had been alone: the same model, warnings, unset variables and env files, at the same places.

use seaworthy_compose::emit::to_yaml;
use seaworthy_compose::printer::{Flavor, project_to_out};
use seaworthy_compose::{LoadOptions, Project, Sources, load};
use seaworthy_source::{MapEnv, MemoryFs, Span};
use std::path::{Path, PathBuf};

const FILES: &[(&str, &str)] = &[
    (
        "compose.yaml",
        "services:\n  app:\n    image: app:${TAG}\n    env_file: [app.env]\n    extends:\n      file: common.yaml\n      service: base\n    ports: [\"8080:8080\"]\n  db:\n    image: postgres:17\n",
    ),
    (
        "common.yaml",
        "services:\n  base:\n    restart: always\n    labels: [\"team=${TEAM}\"]\n",
    ),
    ("app.env", "LOG_LEVEL=info\n"),
    (
        "compose.prod.yaml",
        "version: \"3.8\"\nservices:\n  app:\n    restart: unless-stopped\n    ports: !reset []\n",
    ),
    (
        "compose.selfhosted.yaml",
        "services:\n  db:\n    mem_limit: 1g\n    environment: [\"PGDATA=${PGDATA}\"]\n",
    ),
    (
        "compose.cloud.yaml",
        "services:\n  app:\n    image: registry.example.com/app:${TAG:-1.0}\n",
    ),
];

fn fs() -> MemoryFs {
    let mut fs = MemoryFs::new();
    for (name, text) in FILES {
        fs.insert(Path::new("/p").join(name), text.as_bytes().to_vec());
    }
    fs
}

fn options(files: &[&str], profiles: &[&str]) -> LoadOptions {
    LoadOptions {
        files: files.iter().map(|f| Path::new("/p").join(f)).collect(),
        profiles: profiles.iter().map(|p| (*p).to_owned()).collect(),
        cwd: PathBuf::from("/p"),
        ..LoadOptions::default()
    }
}

/// Everything a load produced, with places as file, line and column (ids differ between
/// source maps).
fn summary(project: &Project, sources: &Sources) -> String {
    let at = |span: Span| {
        sources.map.locate(span).map_or_else(
            || "synthetic".to_owned(),
            |(path, position)| format!("{}:{}:{}", path.display(), position.line, position.column),
        )
    };
    let mut out = to_yaml(&project_to_out(&project.model, Flavor::Yaml).expect("printable"));
    for warning in &project.warnings {
        out.push_str(&format!(
            "warning {} at {}\n",
            warning.message,
            warning
                .primary
                .as_ref()
                .map_or_else(String::new, |p| at(p.span))
        ));
    }
    for unset in &project.unset_variables {
        out.push_str(&format!("unset {} at {}\n", unset.name, at(unset.span)));
    }
    for file in &project.env_files {
        out.push_str(&format!(
            "env file {} {}\n",
            file.path.display(),
            file.for_interpolation
        ));
    }
    out
}

fn alone(options: &LoadOptions) -> String {
    let mut sources = Sources::new();
    let project = load(options, &fs(), &MapEnv::new(), &mut sources).expect("loads");
    summary(&project, &sources)
}

#[test]
fn targets_loaded_through_one_sources_match_each_loaded_alone() {
    let targets = [
        options(
            &[
                "compose.yaml",
                "compose.prod.yaml",
                "compose.selfhosted.yaml",
            ],
            &[],
        ),
        options(
            &["compose.yaml", "compose.prod.yaml", "compose.cloud.yaml"],
            &[],
        ),
        // Only the base in common with the others.
        options(&["compose.yaml", "compose.cloud.yaml"], &[]),
        // The same files as the first, again, after a target that shares only the base.
        options(
            &[
                "compose.yaml",
                "compose.prod.yaml",
                "compose.selfhosted.yaml",
            ],
            &[],
        ),
    ];
    let fs = fs();
    let mut sources = Sources::new();
    for target in &targets {
        sources.expect(target, &fs, &MapEnv::new());
    }
    for target in &targets {
        let project = load(target, &fs, &MapEnv::new(), &mut sources).expect("loads");
        let expected = alone(target);
        assert_eq!(summary(&project, &sources), expected, "{:?}", target.files);
    }
}

#[test]
fn a_different_environment_does_not_reuse_the_merged_files() {
    let fs = fs();
    let mut sources = Sources::new();
    let files = ["compose.yaml", "compose.prod.yaml", "compose.cloud.yaml"];
    sources.expect(&options(&files, &[]), &fs, &MapEnv::new());
    sources.expect(&options(&files, &[]), &fs, &MapEnv::new());
    let first = load(&options(&files, &[]), &fs, &MapEnv::new(), &mut sources).expect("loads");
    let env = MapEnv::new().with("TAG", "2.0");
    let second = load(&options(&files, &[]), &fs, &env, &mut sources).expect("loads");
    let image = |project: &Project| {
        project
            .model
            .path("services.app.image")
            .and_then(|n| n.as_str().map(str::to_owned))
    };
    assert_eq!(
        image(&first).as_deref(),
        Some("registry.example.com/app:1.0")
    );
    assert_eq!(
        image(&second).as_deref(),
        Some("registry.example.com/app:2.0")
    );
    assert!(first.unset_variables.iter().any(|u| u.name == "TAG"));
    assert!(!second.unset_variables.iter().any(|u| u.name == "TAG"));
}
