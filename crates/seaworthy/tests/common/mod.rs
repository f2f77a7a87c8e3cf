//! Running the built binary on small projects written to a temporary directory.
#![allow(clippy::disallowed_methods, dead_code)] // tests write projects to disk; not every test file uses every helper

use assert_cmd::Command;
use std::fs;
use std::path::Path;

/// A temporary project holding these files (paths relative to its root).
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// The binary, run in `dir` with a clean environment.
pub fn seaworthy(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("seaworthy").unwrap();
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir);
    command
}

/// Exit code and standard output of one run.
pub fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = seaworthy(dir).args(args).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    (output.status.code().unwrap_or(-1), stdout)
}
