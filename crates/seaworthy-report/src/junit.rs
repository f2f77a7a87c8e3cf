//! JUnit XML for CI dashboards (quick-junit): one test suite per target, one passing test case
//! per rule that found nothing there, and one test case per finding otherwise, failed, or
//! skipped with its reason when the finding is suppressed. A target that did not load has a
//! failed case per load problem instead.

use crate::view::{Item, View};
use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

pub(crate) fn render(view: &View<'_>) -> String {
    let report = view.report;
    let mut junit = JunitReport::new(report.tool.name.as_str());
    // Rules evaluated first, in catalog order; then any rule a finding names that the catalog
    // lacks, sorted.
    let mut rule_names: Vec<&str> = view.rules.iter().map(|r| r.name.as_str()).collect();
    let mut extra: Vec<&str> = view
        .findings
        .iter()
        .map(|item| item.rule)
        .filter(|rule| !rule_names.contains(rule))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    rule_names.extend(extra);

    let mut targets: Vec<&str> = report.targets.iter().map(|t| t.name.as_str()).collect();
    for item in &view.errors {
        for target in &item.finding.targets {
            if !targets.contains(&target.as_str()) {
                targets.push(target);
            }
        }
    }
    for target in targets {
        let applies = |item: &&Item<'_>| item.finding.targets.iter().any(|t| t == target);
        let mut suite = TestSuite::new(target);
        let errors: Vec<&Item<'_>> = view.errors.iter().filter(applies).collect();
        for item in &errors {
            suite.add_test_case(case(view, item, target));
        }
        if errors.is_empty() {
            for rule in &rule_names {
                let findings: Vec<&Item<'_>> = view
                    .findings
                    .iter()
                    .filter(applies)
                    .filter(|item| item.rule == *rule)
                    .collect();
                if findings.is_empty() {
                    let mut passed = TestCase::new(*rule, TestCaseStatus::success());
                    passed.set_classname(target);
                    suite.add_test_case(passed);
                }
                for item in findings {
                    suite.add_test_case(case(view, item, target));
                }
            }
        }
        junit.add_test_suite(suite);
    }
    match junit.to_string() {
        Ok(mut xml) => {
            if !xml.ends_with('\n') {
                xml.push('\n');
            }
            xml
        }
        // Writing XML into memory only fails on a bug; say so in the document itself.
        Err(error) => format!("<!-- could not write the JUnit report: {error} -->\n"),
    }
}

fn case(view: &View<'_>, item: &Item<'_>, target: &str) -> TestCase {
    let status = match item.suppression(&view.masker) {
        Some(reason) => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(format!("suppressed: {reason}"));
            status
        }
        None => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(item.message.as_str())
                .set_type(item.severity.as_str())
                .set_description(description(item));
            status
        }
    };
    let mut case = TestCase::new(item.rule, status);
    case.set_classname(target);
    case
}

/// Where, the other places involved, and what to do, one per line.
fn description(item: &Item<'_>) -> String {
    let mut lines = Vec::new();
    match &item.location {
        Some(location) => lines.push(format!("{}: {}", location.text(), item.message)),
        None => lines.push(item.message.clone()),
    }
    if let Some(service) = &item.finding.service {
        lines.push(format!("service: {service}"));
    }
    for related in &item.related {
        lines.push(format!("{}: {}", related.location.text(), related.label));
    }
    if let Some(help) = &item.help {
        lines.push(format!("help: {help}"));
    }
    lines.join("\n")
}
