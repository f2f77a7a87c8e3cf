//! What every format starts from: the findings in their fixed order (file, position, rule,
//! service), with positions turned into 1-based lines and character columns, paths made
//! relative to the root, and every secret masked. Formats read only this.

use crate::redact::Masker;
use crate::{Finding, Report, RuleInfo};
use seaworthy_source::{Diagnostic, Severity, SourceMap, Span};
use std::path::Path;

/// A place in a file, as every machine format prints it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Location {
    /// Relative to the root, with `/` separators.
    pub file: String,
    pub line: usize,
    /// 1-based, counted in Unicode code points.
    pub column: usize,
    pub end_line: usize,
    /// The column just past the last character (a range that ends where it starts is empty).
    pub end_column: usize,
}

impl Location {
    pub fn of(span: Span, sources: &SourceMap, root: &Path) -> Option<Location> {
        let file = sources.get(span.file)?;
        let start = file.line_col(span.start as usize);
        let end = file.line_col(span.end as usize);
        Some(Location {
            file: relative_path(&file.path, root),
            line: start.line,
            column: start.column_chars,
            end_line: end.line,
            end_column: end.column_chars,
        })
    }

    /// `file:line:column`.
    pub fn text(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A secondary place with its label.
#[derive(Clone, Debug)]
pub(crate) struct Related {
    pub location: Location,
    pub label: String,
}

/// One finding (or load error), masked and located.
#[derive(Debug)]
pub(crate) struct Item<'r> {
    pub finding: &'r Finding,
    pub rule: &'r str,
    /// The rule's short code, when the rule is in the catalog.
    pub code: Option<&'r str>,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub location: Option<Location>,
    pub primary_label: Option<String>,
    pub related: Vec<Related>,
}

impl Item<'_> {
    pub fn is_suppressed(&self) -> bool {
        self.finding.suppressed.is_some()
    }

    pub fn diagnostic(&self) -> &Diagnostic {
        &self.finding.diagnostic
    }

    pub fn suppression(&self, masker: &Masker) -> Option<String> {
        self.finding
            .suppressed
            .as_deref()
            .map(|r| masker.mask_owned(r))
    }
}

/// Counts for summary lines, suppressed findings apart.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    /// Indexed by `Severity as usize`.
    pub by_severity: [usize; 6],
    pub total: usize,
    pub suppressed: usize,
    pub load_errors: usize,
}

#[derive(Debug)]
pub(crate) struct View<'r> {
    pub report: &'r Report<'r>,
    pub rules: &'r [RuleInfo],
    pub masker: Masker,
    pub findings: Vec<Item<'r>>,
    pub errors: Vec<Item<'r>>,
    pub summary: Summary,
}

impl<'r> View<'r> {
    /// The target loaded and no finding it has (suppressed ones aside) reaches its `fail_on`.
    pub fn target_passes(&self, target: &crate::TargetInfo) -> bool {
        self.report.target_passes(target)
    }

    pub fn new(report: &'r Report<'r>, rules: &'r [RuleInfo]) -> Self {
        // Every secret of every finding is masked everywhere: two findings can quote the
        // same line, and only one of them may know the value is secret.
        let masker = Masker::new(
            report
                .findings
                .iter()
                .chain(&report.load_errors)
                .flat_map(|f| f.diagnostic.redactions.iter().map(String::as_str)),
        );
        let item = |finding: &'r Finding| Item::new(finding, report, rules, &masker);
        let mut findings: Vec<Item<'r>> = report.findings.iter().map(item).collect();
        let mut errors: Vec<Item<'r>> = report.load_errors.iter().map(item).collect();
        findings.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        errors.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        let mut summary = Summary {
            load_errors: errors.len(),
            ..Summary::default()
        };
        for item in &findings {
            if item.is_suppressed() {
                summary.suppressed += 1;
            } else {
                summary.total += 1;
                if let Some(count) = summary.by_severity.get_mut(item.severity as usize) {
                    *count += 1;
                }
            }
        }
        View {
            report,
            rules,
            masker,
            findings,
            errors,
            summary,
        }
    }

    pub fn rule(&self, name: &str) -> Option<(usize, &'r RuleInfo)> {
        self.rules.iter().enumerate().find(|(_, r)| r.name == name)
    }

    /// The files of a target, relative to the root.
    pub fn target_files(&self, files: &[std::path::PathBuf]) -> Vec<String> {
        files
            .iter()
            .map(|f| relative_path(f, self.report.root))
            .collect()
    }

    /// `3 findings: 1 critical, 2 high (1 suppressed)`, or `no findings`, and the targets
    /// that did not load.
    pub fn summary_line(&self) -> String {
        let summary = &self.summary;
        let mut line = if summary.total == 0 {
            "no findings".to_owned()
        } else {
            let parts: Vec<String> = Severity::WORST_FIRST
                .iter()
                .filter_map(|s| {
                    let count = summary.by_severity.get(*s as usize).copied().unwrap_or(0);
                    (count > 0).then(|| format!("{count} {s}"))
                })
                .collect();
            format!(
                "{} {}: {}",
                summary.total,
                plural(summary.total, "finding", "findings"),
                parts.join(", ")
            )
        };
        if summary.suppressed > 0 {
            line.push_str(&format!(" ({} suppressed)", summary.suppressed));
        }
        if summary.load_errors > 0 {
            line.push_str(&format!(
                "; {} {} did not load",
                summary.load_errors,
                plural(summary.load_errors, "target", "targets")
            ));
        }
        line
    }
}

impl<'r> Item<'r> {
    fn new(
        finding: &'r Finding,
        report: &Report<'_>,
        rules: &'r [RuleInfo],
        masker: &Masker,
    ) -> Self {
        let diagnostic = &finding.diagnostic;
        let locate = |span: Span| Location::of(span, report.sources, report.root);
        Item {
            finding,
            rule: diagnostic.code.as_str(),
            code: rules
                .iter()
                .find(|r| r.name == diagnostic.code)
                .map(|r| r.code.as_str()),
            severity: diagnostic.severity,
            message: masker.mask_owned(&diagnostic.message),
            help: diagnostic.help.as_deref().map(|h| masker.mask_owned(h)),
            location: diagnostic.primary.as_ref().and_then(|l| locate(l.span)),
            primary_label: diagnostic
                .primary
                .as_ref()
                .filter(|l| !l.message.is_empty())
                .map(|l| masker.mask_owned(&l.message)),
            related: diagnostic
                .secondary
                .iter()
                .filter_map(|l| {
                    Some(Related {
                        location: locate(l.span)?,
                        label: masker.mask_owned(&l.message),
                    })
                })
                .collect(),
        }
    }
}

type OrderKey<'a> = (Option<(u32, u32)>, &'a str, Option<&'a str>, &'a str);

/// File (in the order the files were loaded: a base before its overlays), position, rule,
/// service, message; findings without a place come last.
fn order_key<'a>(item: &'a Item<'_>) -> (bool, OrderKey<'a>) {
    let place = item
        .location
        .as_ref()
        .and(item.diagnostic().primary.as_ref())
        .map(|l| (l.span.file.0, l.span.start));
    (
        place.is_none(),
        (
            place,
            item.rule,
            item.finding.service.as_deref(),
            item.message.as_str(),
        ),
    )
}

/// A path relative to the root when it is inside it, with `/` separators (the form every
/// machine format and URI expects); other paths unchanged.
pub(crate) fn relative_path(path: &Path, root: &Path) -> String {
    let shown = match path.strip_prefix(root) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative,
        _ => path,
    };
    let text = shown.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

pub(crate) fn plural<'s>(count: usize, one: &'s str, many: &'s str) -> &'s str {
    if count == 1 { one } else { many }
}
