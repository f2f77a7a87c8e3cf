//! A fixed report for the format tests: a base file and a production overlay, two targets,
//! findings with primary and secondary labels in both files, one suppressed, one without a
//! place, and a secret that a finding redacts.
#![allow(dead_code)]

use seaworthy_report::{Finding, Report, RuleInfo, TargetInfo, ToolInfo};
use seaworthy_source::{Diagnostic, FileId, Severity, SourceMap, Span};
use std::path::{Path, PathBuf};

pub const ROOT: &str = "/project";
pub const SECRET: &str = "changeme-please-42";

pub const BASE: &str = "\
services:
  web:
    image: nginx:1.27
    ports:
      - \"8080:80\"
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: app
  worker:
    image: busybox
    privileged: true
";

pub const PROD: &str = "\
# production: limits and the réal password
services:
  db:
    environment: { GREETING: \"héllo\", POSTGRES_PASSWORD: changeme-please-42 }
  web:
    healthcheck:
      disable: true
";

pub struct Fixture {
    pub sources: SourceMap,
    pub base: FileId,
    pub prod: FileId,
}

impl Fixture {
    pub fn new() -> Self {
        let mut sources = SourceMap::new();
        let base = sources.add(
            PathBuf::from(ROOT).join("docker/docker-compose.yml"),
            BASE.to_owned(),
        );
        let prod = sources.add(
            PathBuf::from(ROOT).join("docker/compose.prod.yaml"),
            PROD.to_owned(),
        );
        Fixture {
            sources,
            base,
            prod,
        }
    }

    /// The span of the `nth` (0-based) occurrence of `needle` in a file.
    pub fn span(&self, file: FileId, needle: &str, nth: usize) -> Span {
        let text = &self.sources.get(file).expect("fixture file").text;
        let start = text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("`{needle}` is in the fixture"))
            .0;
        Span::new(file, start, start + needle.len())
    }

    /// The findings, deliberately out of order: every format must sort them.
    pub fn findings(&self) -> Vec<Finding> {
        let both = vec!["selfhosted".to_owned(), "digitalocean".to_owned()];
        let mut secret = Diagnostic::new(
            "plaintext-secret-env",
            Severity::Critical,
            format!("service `db` sets `POSTGRES_PASSWORD` to the literal `{SECRET}`"),
        )
        .with_primary(self.span(self.prod, SECRET, 0), "literal secret")
        .with_secondary(
            self.span(self.base, "environment", 0),
            "the base environment it extends",
        )
        .with_help("read it from a file secret (`secrets:`) or interpolate `${POSTGRES_PASSWORD}`");
        secret.redactions.push(SECRET.to_owned());
        let memory = Diagnostic::new(
            "memory-limit",
            Severity::High,
            "service `web` has no memory limit",
        )
        .with_primary(self.span(self.base, "web", 0), "declared here")
        .with_help("set `deploy.resources.limits.memory` in `compose.prod.yaml`");
        let healthcheck = Diagnostic::new(
            "healthcheck-disabled",
            Severity::Medium,
            "service `web` disables its healthcheck",
        )
        .with_primary(self.span(self.prod, "disable: true", 0), "disabled here")
        .with_secondary(self.span(self.base, "web", 0), "service declared here");
        let privileged = Diagnostic::new(
            "no-privileged",
            Severity::Critical,
            "service `worker` runs privileged",
        )
        .with_primary(self.span(self.base, "privileged: true", 0), "privileged")
        .with_help("remove `privileged: true` and add only the capabilities it needs");
        let budget = Diagnostic::new(
            "resource-budget",
            Severity::Info,
            "memory limits add up to 12GiB, the host has 8GiB",
        )
        .with_help("lower the limits in `compose.digitalocean.yaml`, or use a larger host");
        vec![
            Finding {
                diagnostic: budget,
                service: None,
                targets: vec!["digitalocean".to_owned()],
                suppressed: None,
            },
            Finding {
                diagnostic: privileged,
                service: Some("worker".to_owned()),
                targets: both.clone(),
                suppressed: Some("needs raw sockets for its network probes".to_owned()),
            },
            Finding {
                diagnostic: healthcheck,
                service: Some("web".to_owned()),
                targets: both.clone(),
                suppressed: None,
            },
            Finding {
                diagnostic: secret,
                service: Some("db".to_owned()),
                targets: vec!["selfhosted".to_owned()],
                suppressed: None,
            },
            Finding {
                diagnostic: memory,
                service: Some("web".to_owned()),
                targets: both,
                suppressed: None,
            },
        ]
    }

    pub fn report(&self) -> Report<'_> {
        let docker = |name: &str| PathBuf::from(ROOT).join("docker").join(name);
        Report {
            tool: ToolInfo {
                name: "seaworthy".to_owned(),
                version: "0.1.0".to_owned(),
            },
            targets: vec![
                TargetInfo {
                    name: "selfhosted".to_owned(),
                    files: vec![
                        docker("docker-compose.yml"),
                        docker("compose.prod.yaml"),
                        docker("compose.selfhosted.yaml"),
                    ],
                    fail_on: Severity::High,
                },
                TargetInfo {
                    name: "digitalocean".to_owned(),
                    files: vec![
                        docker("docker-compose.yml"),
                        docker("compose.prod.yaml"),
                        docker("compose.digitalocean.yaml"),
                    ],
                    fail_on: Severity::High,
                },
            ],
            findings: self.findings(),
            load_errors: Vec::new(),
            sources: &self.sources,
            root: Path::new(ROOT),
            styled: false,
        }
    }
}

/// The catalog of the rules the fixture's findings come from (and one that found nothing).
pub fn rules() -> Vec<RuleInfo> {
    let rule = |name: &str, code: &str, area: &str, severity, summary: &str| RuleInfo {
        name: name.to_owned(),
        code: code.to_owned(),
        area: area.to_owned(),
        severity,
        summary: summary.to_owned(),
        help_uri: Some(format!("https://seaworthy.dev/rules/{name}")),
        docs_markdown: format!(
            "## What it checks\n\n{summary}.\n\n## Example\n\n```yaml\nservices:\n  web:\n    image: nginx\n```\n"
        ),
    };
    vec![
        rule(
            "healthcheck-disabled",
            "SW302",
            "health",
            Severity::Medium,
            "service disables its healthcheck",
        ),
        rule(
            "memory-limit",
            "SW201",
            "resources",
            Severity::High,
            "service has no memory limit",
        ),
        rule(
            "no-privileged",
            "SW701",
            "privileges",
            Severity::Critical,
            "service runs privileged",
        ),
        rule(
            "plaintext-secret-env",
            "SW501",
            "secrets",
            Severity::High,
            "credential in plain text in `environment`",
        ),
        rule(
            "read-only-rootfs",
            "SW710",
            "privileges",
            Severity::Low,
            "service root filesystem is writable",
        ),
        rule(
            "resource-budget",
            "SW207",
            "resources",
            Severity::High,
            "limits exceed the host",
        ),
    ]
}
