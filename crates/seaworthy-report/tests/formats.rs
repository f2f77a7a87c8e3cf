//! What each format promises beyond its golden file: stable SARIF fingerprints, escaping,
//! one JUnit case per rule and target, suppressed findings hidden from people.

mod common;

use common::{Fixture, rules};
use seaworthy_report::{Format, render};
use seaworthy_source::{SourceMap, Span};
use serde_json::Value;

fn sarif_fingerprints(output: &str) -> Vec<String> {
    let log: Value = serde_json::from_str(output).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["seaworthy/v1"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn sarif_fingerprints_do_not_change_when_a_finding_moves_to_another_line() {
    let fixture = Fixture::new();
    let before = sarif_fingerprints(&render(&fixture.report(), Format::Sarif, &rules()));

    // The same files with two comment lines on top: every span moves by their length.
    let header = "# moved\n# down\n";
    let mut moved = SourceMap::new();
    for (_, file) in fixture.sources.files() {
        moved.add(file.path.clone(), format!("{header}{}", file.text));
    }
    let mut report = fixture.report();
    report.sources = &moved;
    let shift = |span: Span| {
        Span::new(
            span.file,
            span.start as usize + header.len(),
            span.end as usize + header.len(),
        )
    };
    for finding in &mut report.findings {
        let diagnostic = &mut finding.diagnostic;
        for label in diagnostic
            .primary
            .iter_mut()
            .chain(diagnostic.secondary.iter_mut())
        {
            label.span = shift(label.span);
        }
    }
    let output = render(&report, Format::Sarif, &rules());
    assert!(
        output.contains("\"startLine\": 14"),
        "the privileged line moved: {output}"
    );
    assert_eq!(sarif_fingerprints(&output), before);
    assert_eq!(before.len(), 5);
    let mut distinct = before.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 5, "every finding has its own fingerprint");
}

#[test]
fn junit_has_one_suite_per_target_and_a_case_per_rule_or_finding() {
    let fixture = Fixture::new();
    let xml = render(&fixture.report(), Format::Junit, &rules());
    assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
    // Six rules, each passing or with exactly one finding, in each target.
    assert!(
        xml.contains(
            r#"<testsuite name="selfhosted" tests="6" skipped="1" errors="0" failures="3">"#
        ),
        "{xml}"
    );
    assert!(
        xml.contains(
            r#"<testsuite name="digitalocean" tests="6" skipped="1" errors="0" failures="3">"#
        ),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testcase name="read-only-rootfs" classname="selfhosted"/>"#),
        "{xml}"
    );
    assert!(
        xml.contains(
            r#"<skipped message="suppressed: needs raw sockets for its network probes"/>"#
        ),
        "{xml}"
    );
}

#[test]
fn junit_reports_a_target_that_did_not_load_as_its_load_problem() {
    let fixture = Fixture::new();
    let mut report = fixture.report();
    let diagnostic =
        seaworthy_source::Diagnostic::error("yaml-syntax", "did not find expected key")
            .with_primary(Span::new(fixture.prod, 0, 1), "here");
    report.load_errors.push(seaworthy_report::Finding {
        targets: vec!["staging".to_owned()],
        ..seaworthy_report::Finding::new(diagnostic)
    });
    let xml = render(&report, Format::Junit, &rules());
    assert!(
        xml.contains(r#"<testsuite name="staging" tests="1" skipped="0" errors="0" failures="1">"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testcase name="yaml-syntax" classname="staging">"#),
        "{xml}"
    );
    assert!(
        xml.contains("docker/compose.prod.yaml:1:1: did not find expected key"),
        "{xml}"
    );
}

#[test]
fn markdown_puts_extra_sections_between_the_targets_and_the_findings() {
    let fixture = Fixture::new();
    let section = seaworthy_report::Section {
        heading: "Inventory: selfhosted".to_owned(),
        body: "| Service | Memory |\n|---|---|\n| `web` | 512M |\n".to_owned(),
    };
    let markdown = seaworthy_report::render_markdown(&fixture.report(), &rules(), &[section]);
    let targets = markdown.find("| Target | Files |").unwrap();
    let inventory = markdown
        .find("## Inventory: selfhosted\n\n| Service | Memory |")
        .unwrap();
    let findings = markdown.find("## Findings").unwrap();
    assert!(targets < inventory && inventory < findings, "{markdown}");
    assert_eq!(
        render(&fixture.report(), Format::Markdown, &rules()),
        seaworthy_report::render_markdown(&fixture.report(), &rules(), &[])
    );
}

#[test]
fn people_do_not_see_suppressed_findings_but_machines_do() {
    let fixture = Fixture::new();
    let report = fixture.report();
    for format in [Format::Human, Format::Github] {
        let output = render(&report, format, &rules());
        assert!(!output.contains("runs privileged"), "{format}: {output}");
    }
    for format in [Format::Json, Format::Sarif, Format::Junit, Format::Markdown] {
        let output = render(&report, format, &rules());
        assert!(output.contains("needs raw sockets"), "{format}: {output}");
    }
}

#[test]
fn human_summary_counts_unsuppressed_findings_and_targets_that_did_not_load() {
    let fixture = Fixture::new();
    let mut report = fixture.report();
    let output = render(&report, Format::Human, &rules());
    assert!(
        output.ends_with("\n\n4 findings: 1 critical, 1 high, 1 medium, 1 info (1 suppressed)\n"),
        "{output}"
    );
    report.findings.clear();
    assert_eq!(render(&report, Format::Human, &rules()), "no findings\n");
    report.load_errors.push(seaworthy_report::Finding {
        targets: vec!["staging".to_owned()],
        ..seaworthy_report::Finding::new(seaworthy_source::Diagnostic::error(
            "missing-file",
            "file `compose.staging.yaml` not found",
        ))
    });
    let output = render(&report, Format::Human, &rules());
    assert!(
        output.starts_with("error[missing-file]: file `compose.staging.yaml` not found\n"),
        "{output}"
    );
    assert!(output.contains("= note: in target staging"), "{output}");
    assert!(
        output.ends_with("\n\nno findings; 1 target did not load\n"),
        "{output}"
    );
}
