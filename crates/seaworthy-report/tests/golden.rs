//! One golden file per format, rendered from the fixture's findings and compared byte for
//! byte. `SEAWORTHY_BLESS=1 cargo test -p seaworthy-report --test golden` rewrites them;
//! review the diff before committing.
#![allow(clippy::disallowed_methods)] // golden files are read from and written to disk

mod common;

use common::{Fixture, rules};
use seaworthy_report::{Format, render};
use std::path::PathBuf;

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn assert_golden(format: Format, file_name: &str) {
    let fixture = Fixture::new();
    let actual = render(&fixture.report(), format, &rules());
    let path = golden_path(file_name);
    if std::env::var_os("SEAWORTHY_BLESS").is_some() {
        std::fs::write(&path, &actual).expect("golden file is writable");
        return;
    }
    let expected = std::fs::read(&path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs from the golden file {file_name} (rerun with SEAWORTHY_BLESS=1 to rewrite it)\n--- expected\n{expected}\n--- actual\n{actual}",
        format
    );
}

#[test]
fn human_matches_golden() {
    assert_golden(Format::Human, "report.human.txt");
}

#[test]
fn json_matches_golden() {
    assert_golden(Format::Json, "report.json");
}

#[test]
fn sarif_matches_golden() {
    assert_golden(Format::Sarif, "report.sarif");
}

#[test]
fn junit_matches_golden() {
    assert_golden(Format::Junit, "report.junit.xml");
}

#[test]
fn github_matches_golden() {
    assert_golden(Format::Github, "report.github.txt");
}

#[test]
fn markdown_matches_golden() {
    assert_golden(Format::Markdown, "report.md");
}
