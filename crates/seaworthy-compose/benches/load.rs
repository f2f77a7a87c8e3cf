//! Load + merge + normalize of real projects, from memory (no disk I/O in the measurement):
//! the bundled example's targets, and, when `../shared/corpus` (or `$SEAWORTHY_CORPUS`) is present, the getsentry and
//! opentelemetry-demo overlay sets. Also measures a second target on a warm `Sources`, where
//! the shared files are not parsed again.

#![allow(clippy::disallowed_methods)] // the benchmark reads its projects from disk once, up front

use criterion::{Criterion, criterion_group, criterion_main};
use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_source::{FileId, MapEnv, MemoryFs};
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// Every file under `dir` (skipping VCS and dependency trees), read into memory at `/bench/...`.
fn memory_tree(dir: &Path) -> MemoryFs {
    let mut fs = MemoryFs::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !matches!(entry.file_name().to_str(), Some(".git" | "node_modules")) {
                    stack.push(path);
                }
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.len() < 1 << 20
            {
                let relative = path.strip_prefix(dir).unwrap_or(&path);
                fs.insert(Path::new("/bench").join(relative), bytes);
            }
        }
    }
    fs
}

/// A target: `-f` files, then `--env-file`s (those whose name starts with `.env`).
fn options(files: &[&str], cwd: &str) -> LoadOptions {
    let (env_files, files): (Vec<&str>, Vec<&str>) =
        files.iter().partition(|f| f.starts_with(".env"));
    LoadOptions {
        files: files.iter().map(|f| Path::new("/bench").join(f)).collect(),
        env_files: env_files
            .iter()
            .map(|f| Path::new("/bench").join(f))
            .collect(),
        cwd: Path::new("/bench").join(cwd),
        ..LoadOptions::default()
    }
}

fn bench_project(c: &mut Criterion, name: &str, root: &Path, targets: &[(&str, &[&str])]) {
    if !root.is_dir() {
        eprintln!("skipping {name}: {} not found", root.display());
        return;
    }
    let fs = memory_tree(root);
    let env = MapEnv::new();
    for (target, files) in targets {
        let opts = options(files, ".");
        if let Err(e) = load(&opts, &fs, &env, &mut Sources::new()) {
            eprintln!("skipping {name}/{target}: {e}");
            continue;
        }
        c.bench_function(&format!("load/{name}/{target}"), |b| {
            b.iter(|| black_box(load(&opts, &fs, &env, &mut Sources::new()).ok()))
        });
    }
    if targets.len() > 1 {
        let all: Vec<LoadOptions> = targets
            .iter()
            .map(|(_, files)| options(files, "."))
            .collect();
        c.bench_function(&format!("load/{name}/all-targets-shared-sources"), |b| {
            b.iter(|| {
                let mut sources = Sources::new();
                for opts in &all {
                    black_box(load(opts, &fs, &env, &mut sources).ok());
                }
            })
        });
    }
}

fn benches(c: &mut Criterion) {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The YAML parser alone, in bytes per second: the part of a load every file pays.
    let text =
        std::fs::read_to_string(repo.join("examples/production-stack/docker/compose.prod.yaml"))
            .expect("the example's production overlay");
    let mut group = c.benchmark_group("yaml");
    group.throughput(criterion::Throughput::Bytes(text.len() as u64));
    group.bench_function("parse/compose.prod.yaml", |b| {
        b.iter(|| black_box(seaworthy_compose::yaml::parse_documents(&text, FileId(0)).ok()))
    });
    group.finish();
    bench_project(
        c,
        "production-stack",
        &repo.join("examples/production-stack"),
        &[
            (
                "selfhosted",
                &[
                    "docker/docker-compose.yml",
                    "docker/compose.prod.yaml",
                    "docker/compose.selfhosted.yaml",
                ],
            ),
            (
                "digitalocean",
                &[
                    "docker/docker-compose.yml",
                    "docker/compose.prod.yaml",
                    "docker/compose.digitalocean.yaml",
                ],
            ),
        ],
    );
    // `SEAWORTHY_CORPUS` points elsewhere when the checkout is not next to `shared/`.
    let corpus = std::env::var_os("SEAWORTHY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("../shared/corpus"))
        .join("real-world");
    bench_project(
        c,
        "getsentry",
        &corpus.join("getsentry__self-hosted"),
        &[("base", &["docker-compose.yml"])],
    );
    bench_project(
        c,
        "opentelemetry-demo",
        &corpus.join("open-telemetry__opentelemetry-demo"),
        &[(
            "full",
            &[
                "compose.yaml",
                "compose.full.yaml",
                "compose.observability.yaml",
                ".env",
                ".env.override",
            ],
        )],
    );
}

criterion_group!(load_benches, benches);
criterion_main!(load_benches);
