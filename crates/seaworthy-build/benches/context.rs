//! Scanning a build context of 100,000 files on disk, against `find` listing the same tree.
//! The tree has a `node_modules` that `.dockerignore` leaves out (pruned: it is not walked)
//! and a `web/node_modules` that it sends (walked, counted as one heavy tree, not read).
//! The aim is at most twice `find`'s time.

#![allow(clippy::disallowed_methods)] // the benchmark writes its tree once, up front

use criterion::{Criterion, criterion_group, criterion_main};
use seaworthy_build::context::{Limits, scan};
use seaworthy_build::dockerignore::DockerIgnore;
use seaworthy_source::RealFs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

const FILES: usize = 100_000;

/// `src/` (10,000 files), `node_modules/` (45,000, ignored), `web/node_modules/` (45,000,
/// sent); 100 files per directory. Written once and reused by later runs.
fn tree() -> PathBuf {
    let root = std::env::temp_dir().join("seaworthy-bench-context-100k");
    let done = root.join(".complete");
    if done.is_file() {
        return root;
    }
    let _ = std::fs::remove_dir_all(&root);
    let parts = [
        ("src", FILES / 10),
        ("node_modules", FILES * 9 / 20),
        ("web/node_modules", FILES * 9 / 20),
    ];
    for (dir, count) in parts {
        for i in 0..count {
            let sub = root.join(dir).join(format!("pkg{:04}", i / 100));
            if i % 100 == 0 {
                std::fs::create_dir_all(&sub).unwrap();
            }
            std::fs::write(sub.join(format!("file{i}.js")), "module.exports = 1;\n").unwrap();
        }
    }
    std::fs::write(root.join(".dockerignore"), "node_modules\n.git\n").unwrap();
    std::fs::write(root.join("Dockerfile"), "FROM node:22-alpine\nCOPY . .\n").unwrap();
    std::fs::write(&done, "").unwrap();
    root
}

fn no_token(_: &[u8]) -> Option<String> {
    None
}

fn benches(c: &mut Criterion) {
    let root = tree();
    let ignore = DockerIgnore::parse("node_modules\n.git\n").unwrap();
    let always = ["Dockerfile".to_owned(), ".dockerignore".to_owned()];
    let mut group = c.benchmark_group("context-100k");
    group.sample_size(10);
    group.bench_function("seaworthy-scan", |b| {
        b.iter(|| {
            let result = scan(
                &RealFs,
                black_box(Path::new(&root)),
                &ignore,
                &always,
                &no_token,
                Limits::default(),
            );
            assert_eq!(result.heavy_dirs.len(), 1);
            result.files_sent
        })
    });
    group.bench_function("find", |b| {
        b.iter(|| {
            let out = Command::new("find").arg(&root).output().unwrap();
            out.stdout.len()
        })
    });
    group.finish();
}

criterion_group!(context, benches);
criterion_main!(context);
