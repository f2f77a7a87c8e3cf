//! `check` from files in memory to sorted findings: the bundled example's two targets, and a
//! monorepo of 200 generated projects checked one after the other and on every core.

#![allow(clippy::disallowed_methods)] // the benchmark reads the example from disk once, up front

use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_rules::builds::{BuildCache, gather};
use seaworthy_rules::check_with;
use seaworthy_rules::settings::Settings;
use seaworthy_rules::targets::{Unit, check_targets};
use seaworthy_source::{MapEnv, MemoryFs};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn example_fs() -> MemoryFs {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/production-stack");
    let mut fs = MemoryFs::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let relative = path.strip_prefix(&root).unwrap_or(&path);
                fs.insert(Path::new("/example").join(relative), bytes);
            }
        }
    }
    fs
}

fn target(overlay: &str) -> LoadOptions {
    LoadOptions {
        files: ["docker-compose.yml", "compose.prod.yaml", overlay]
            .iter()
            .map(|f| Path::new("/example/docker").join(f))
            .collect(),
        cwd: PathBuf::from("/example"),
        ..LoadOptions::default()
    }
}

/// A project of a realistic shape: an app with a database, a cache and a proxy, each project
/// slightly different so nothing is shared between them.
fn generated_project(fs: &mut MemoryFs, index: usize) -> LoadOptions {
    let dir = PathBuf::from(format!("/mono/service-{index}"));
    let compose = format!(
        "services:\n  app:\n    image: ghcr.io/acme/app-{index}:1.{index}.0\n    ports: [\"{port}:8080\"]\n    \
         environment:\n      DATABASE_URL: postgres://app:${{DB_PASSWORD}}@db:5432/app\n      LOG_LEVEL: info\n    \
         depends_on:\n      db: {{condition: service_healthy}}\n    healthcheck:\n      test: [\"CMD\", \"wget\", \"-qO-\", \"http://127.0.0.1:8080/health\"]\n    \
         restart: unless-stopped\n    deploy:\n      resources:\n        limits: {{cpus: \"1\", memory: 512M}}\n  \
         db:\n    image: postgres:16.{minor}\n    volumes: [\"db-{index}:/var/lib/postgresql/data\"]\n    \
         healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U app\"]\n    restart: unless-stopped\n    mem_limit: 1g\n  \
         cache:\n    image: redis:7.{minor}-alpine\n    restart: unless-stopped\n    logging:\n      driver: json-file\n      options: {{max-size: 10m}}\n  \
         proxy:\n    image: caddy:2.8\n    ports: [\"80:80\", \"443:443\"]\n    volumes: [\"./Caddyfile:/etc/caddy/Caddyfile:ro\"]\n\
         volumes:\n  db-{index}: {{}}\n",
        port = 8000 + index,
        minor = index % 10,
    );
    fs.insert(dir.join("compose.yaml"), compose.into_bytes());
    LoadOptions {
        cwd: dir,
        ..LoadOptions::default()
    }
}

fn check_one(options: &LoadOptions, fs: &MemoryFs, settings: &Settings) -> usize {
    let mut sources = Sources::new();
    match load(options, fs, &MapEnv::new(), &mut sources) {
        Ok(project) => {
            let builds = gather(&project, fs, &mut sources.map, &mut BuildCache::default());
            check_with(&project, settings, fs, &builds).len()
        }
        Err(_) => 0,
    }
}

/// Several targets in one run, as `check` runs them: one source map and one build cache, so
/// the files they share are parsed and merged and the contexts scanned once; then the rules
/// of all targets at once.
fn check_run(targets: &[LoadOptions], fs: &MemoryFs, settings: &Settings) -> usize {
    let units = targets
        .iter()
        .enumerate()
        .map(|(index, options)| Unit {
            name: format!("target-{index}"),
            options: options.clone(),
            settings: settings.clone(),
        })
        .collect();
    let mut sources = Sources::new();
    let mut cache = BuildCache::default();
    check_targets(units, fs, &MapEnv::new(), &mut sources, &mut cache)
        .iter()
        .filter_map(|checked| checked.outcome.as_ref().ok())
        .map(|loaded| loaded.findings.len())
        .sum()
}

fn benches(c: &mut Criterion) {
    let settings = Settings::default();
    let fs = example_fs();
    let targets = [
        target("compose.selfhosted.yaml"),
        target("compose.digitalocean.yaml"),
    ];
    c.bench_function("check/production-stack/both-targets", |b| {
        b.iter(|| {
            targets
                .iter()
                .map(|t| black_box(check_one(t, &fs, &settings)))
                .sum::<usize>()
        })
    });
    // Four targets that share the base, the production overlay, the Dockerfiles and the build
    // contexts, checked in one run (one source map, one build cache) against one target alone.
    let mut shared_fs = fs.clone();
    for (copy, of) in [
        ("compose.staging.yaml", "compose.selfhosted.yaml"),
        ("compose.edge.yaml", "compose.digitalocean.yaml"),
    ] {
        let text = std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../examples/production-stack/docker")
                .join(of),
        )
        .expect("example overlay");
        shared_fs.insert(Path::new("/example/docker").join(copy), text);
    }
    let four: Vec<LoadOptions> = [
        "compose.selfhosted.yaml",
        "compose.digitalocean.yaml",
        "compose.staging.yaml",
        "compose.edge.yaml",
    ]
    .iter()
    .map(|o| target(o))
    .collect();
    let mut group = c.benchmark_group("check/targets-sharing-files");
    group.bench_function("one-target", |b| {
        b.iter(|| black_box(check_run(&four[..1], &shared_fs, &settings)))
    });
    group.bench_function("four-targets", |b| {
        b.iter(|| black_box(check_run(&four, &shared_fs, &settings)))
    });
    group.finish();
    let mut mono = MemoryFs::new();
    let projects: Vec<LoadOptions> = (0..200).map(|i| generated_project(&mut mono, i)).collect();
    assert!(
        check_one(&projects[0], &mono, &settings) > 0,
        "generated project must load"
    );
    let mut group = c.benchmark_group("check/monorepo-200");
    group.sample_size(20);
    group.bench_function("sequential", |b| {
        b.iter(|| {
            projects
                .iter()
                .map(|p| black_box(check_one(p, &mono, &settings)))
                .sum::<usize>()
        })
    });
    group.bench_function("parallel", |b| {
        b.iter(|| {
            projects
                .par_iter()
                .map(|p| black_box(check_one(p, &mono, &settings)))
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(check_benches, benches);
criterion_main!(check_benches);
