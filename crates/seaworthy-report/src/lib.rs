//! Every output format of `seaworthy check`: the report's data model (findings reported once
//! with the targets they apply to, the targets that did not load, the rule catalog), and one
//! module per format. Rule metadata arrives as plain [`RuleInfo`] values, so this crate never
//! depends on the rules crate. Secret values a finding names are masked before any format
//! sees the text (see [`redact`]).
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod budget;
mod github;
mod human;
mod json;
mod junit;
mod markdown;
pub mod redact;
mod sarif;
mod view;

pub use budget::{Budget, render_budgets};
pub use human::{display_path, render_diagnostic};
pub use markdown::{Section, render_markdown};

use seaworthy_source::{Diagnostic, Severity, SourceMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One finding of one rule, reported once with every target it applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    /// The service the finding is about, when it is about one.
    pub service: Option<String>,
    /// The names of the targets whose merged model has this finding.
    pub targets: Vec<String>,
    /// Why the user accepts it: still reported by the machine formats, never shown to a person
    /// as a problem.
    pub suppressed: Option<String>,
}

impl Finding {
    pub fn new(diagnostic: Diagnostic) -> Self {
        Finding {
            diagnostic,
            service: None,
            targets: Vec::new(),
            suppressed: None,
        }
    }
}

/// What a rule declares about itself, as the formats that describe rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// The stable id (`memory-limit`); a finding's `diagnostic.code` names it.
    pub name: String,
    /// The short code (`SW201`).
    pub code: String,
    /// The catalog section (`resources`).
    pub area: String,
    /// The default severity.
    pub severity: Severity,
    /// One line: what a finding means.
    pub summary: String,
    pub help_uri: Option<String>,
    pub docs_markdown: String,
}

/// The program that wrote the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

/// One combination of compose files that was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetInfo {
    pub name: String,
    pub files: Vec<PathBuf>,
    /// The least severity that fails this target (`--fail-on`, or its settings' `fail-on`).
    pub fail_on: Severity,
}

/// Everything one run of `check` found, ready for any format.
#[derive(Debug)]
pub struct Report<'a> {
    pub tool: ToolInfo,
    pub targets: Vec<TargetInfo>,
    pub findings: Vec<Finding>,
    /// Why a target did not load (invalid YAML, a missing file...): the diagnostic, with
    /// `targets` naming the target; `service` and `suppressed` stay empty.
    pub load_errors: Vec<Finding>,
    /// The text of every file a span points into.
    pub sources: &'a SourceMap,
    /// Paths are printed relative to this directory.
    pub root: &'a Path,
    /// Colours in the human format (the caller decides: a terminal, no `NO_COLOR`).
    pub styled: bool,
}

impl Report<'_> {
    /// The target loaded and no finding it has (suppressed ones aside) reaches its `fail_on`.
    pub fn target_passes(&self, target: &TargetInfo) -> bool {
        let concerns = |finding: &Finding| finding.targets.contains(&target.name);
        !self.load_errors.iter().any(concerns)
            && !self.findings.iter().any(|finding| {
                concerns(finding)
                    && finding.suppressed.is_none()
                    && finding.diagnostic.severity >= target.fail_on
            })
    }
}

/// An output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Markdown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str() == name)
            .ok_or_else(|| format!("unknown format `{name}`"))
    }
}

/// The report in `format`, ending with a newline. `rules` are the rules that were evaluated:
/// SARIF describes them and JUnit makes one test case of each.
pub fn render(report: &Report<'_>, format: Format, rules: &[RuleInfo]) -> String {
    let view = view::View::new(report, rules);
    match format {
        Format::Human => human::render(&view),
        Format::Json => json::render(&view),
        Format::Sarif => sarif::render(&view),
        Format::Junit => junit::render(&view),
        Format::Github => github::render(&view),
        Format::Markdown => markdown::render(&view, &[]),
    }
}
