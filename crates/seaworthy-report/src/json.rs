//! The JSON format: a versioned, documented object that scripts can rely on
//! (`docs/schema/report-v1.json`). Suppressed findings are included, marked with their reason.
//! Adding a field is compatible; renaming or removing one bumps `schema_version`.

use crate::view::{Item, Location, View};
use seaworthy_source::Severity;
use serde::Serialize;

pub(crate) const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'v> {
    schema_version: u32,
    tool: JsonTool<'v>,
    targets: Vec<JsonTarget<'v>>,
    findings: Vec<JsonFinding<'v>>,
    errors: Vec<JsonFinding<'v>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonTool<'v> {
    name: &'v str,
    version: &'v str,
}

#[derive(Serialize)]
struct JsonTarget<'v> {
    name: &'v str,
    files: Vec<String>,
    fail_on: &'static str,
    passed: bool,
}

#[derive(Serialize)]
struct JsonFinding<'v> {
    rule: &'v str,
    code: Option<&'v str>,
    severity: &'static str,
    message: &'v str,
    service: Option<&'v str>,
    targets: &'v [String],
    location: Option<JsonLocation<'v>>,
    related: Vec<JsonLocation<'v>>,
    help: Option<&'v str>,
    suppressed: Option<JsonSuppression>,
}

#[derive(Serialize)]
struct JsonLocation<'v> {
    file: &'v str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'v str>,
}

#[derive(Serialize)]
struct JsonSuppression {
    reason: String,
}

#[derive(Serialize)]
struct JsonSummary {
    /// Findings not suppressed.
    total: usize,
    suppressed: usize,
    /// Targets that did not load.
    errors: usize,
    by_severity: BySeverity,
}

/// Not-suppressed findings per severity, every severity present, worst first.
#[derive(Serialize)]
struct BySeverity {
    error: usize,
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

pub(crate) fn render(view: &View<'_>) -> String {
    let report = view.report;
    let count = |severity: Severity| {
        let counts = &view.summary.by_severity;
        counts.get(severity as usize).copied().unwrap_or(0)
    };
    let json = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: JsonTool {
            name: &report.tool.name,
            version: &report.tool.version,
        },
        targets: report
            .targets
            .iter()
            .map(|t| JsonTarget {
                name: &t.name,
                files: view.target_files(&t.files),
                fail_on: t.fail_on.as_str(),
                passed: view.target_passes(t),
            })
            .collect(),
        findings: view.findings.iter().map(|i| finding(view, i)).collect(),
        errors: view.errors.iter().map(|i| finding(view, i)).collect(),
        summary: JsonSummary {
            total: view.summary.total,
            suppressed: view.summary.suppressed,
            errors: view.summary.load_errors,
            by_severity: BySeverity {
                error: count(Severity::Error),
                critical: count(Severity::Critical),
                high: count(Severity::High),
                medium: count(Severity::Medium),
                low: count(Severity::Low),
                info: count(Severity::Info),
            },
        },
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
    text.push('\n');
    text
}

fn finding<'v>(view: &View<'_>, item: &'v Item<'_>) -> JsonFinding<'v> {
    JsonFinding {
        rule: item.rule,
        code: item.code,
        severity: item.severity.as_str(),
        message: &item.message,
        service: item.finding.service.as_deref(),
        targets: &item.finding.targets,
        location: item.location.as_ref().map(|l| location(l, None)),
        related: item
            .related
            .iter()
            .map(|r| location(&r.location, Some(&r.label)))
            .collect(),
        help: item.help.as_deref(),
        suppressed: item
            .suppression(&view.masker)
            .map(|reason| JsonSuppression { reason }),
    }
}

fn location<'v>(location: &'v Location, label: Option<&'v str>) -> JsonLocation<'v> {
    JsonLocation {
        file: &location.file,
        line: location.line,
        column: location.column,
        end_line: location.end_line,
        end_column: location.end_column,
        label,
    }
}
