//! SARIF 2.1.0 for code scanning, written with our own serde structs: one run, the rule
//! catalog as the driver's rules, 1-based regions in code points, secondary labels as related
//! locations, suppressed findings with an external suppression, and fingerprints that survive
//! edits which only move a finding to another line.

use crate::view::{Item, Location, View};
use seaworthy_source::Severity;
use serde::Serialize;
use std::collections::BTreeMap;

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The base that relative artifact URIs resolve against: the project directory.
const SRCROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "seaworthy/v1";

#[derive(Serialize)]
struct Log<'v> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'v>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'v> {
    tool: Tool<'v>,
    /// Our columns count code points, not SARIF's default UTF-16 units.
    column_kind: &'static str,
    results: Vec<SarifResult<'v>>,
}

#[derive(Serialize)]
struct Tool<'v> {
    driver: Driver<'v>,
}

#[derive(Serialize)]
struct Driver<'v> {
    name: &'v str,
    version: &'v str,
    rules: Vec<Descriptor<'v>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'v> {
    id: &'v str,
    short_description: Text<'v>,
    full_description: Text<'v>,
    help: Markdown<'v>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'v str>,
    default_configuration: Configuration,
    properties: DescriptorProperties<'v>,
}

#[derive(Serialize)]
struct Text<'v> {
    text: &'v str,
}

#[derive(Serialize)]
struct Markdown<'v> {
    text: &'v str,
    markdown: &'v str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties<'v> {
    tags: [&'v str; 1],
    code: &'v str,
    severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'v> {
    rule_id: &'v str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'v>,
    locations: Vec<SarifLocation<'v>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'v>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties<'v>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'v> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'v>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
}

#[derive(Serialize)]
struct ResultProperties<'v> {
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'v str>,
    targets: &'v [String],
}

pub(crate) fn render(view: &View<'_>) -> String {
    let report = view.report;
    let rules = view
        .rules
        .iter()
        .map(|rule| Descriptor {
            id: &rule.name,
            short_description: Text {
                text: &rule.summary,
            },
            full_description: Text {
                text: &rule.docs_markdown,
            },
            help: Markdown {
                text: &rule.summary,
                markdown: &rule.docs_markdown,
            },
            help_uri: rule.help_uri.as_deref(),
            default_configuration: Configuration {
                level: level(rule.severity),
            },
            properties: DescriptorProperties {
                tags: [&rule.area],
                code: &rule.code,
                severity: rule.severity.as_str(),
            },
        })
        .collect();
    let results = view
        .errors
        .iter()
        .chain(&view.findings)
        .map(|item| result(view, item))
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: &report.tool.name,
                    version: &report.tool.version,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn result<'v>(view: &View<'_>, item: &'v Item<'_>) -> SarifResult<'v> {
    let locations = match &item.location {
        Some(location) => vec![SarifLocation {
            id: None,
            physical_location: physical(location),
            message: item.primary_label.as_deref().map(|text| Text { text }),
        }],
        // A finding about a whole target (a budget, a missing file) is shown on the target's
        // first compose file, without a region: code scanning needs a file to show it on.
        None => first_target_file(view, item)
            .map(|file| SarifLocation {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&file),
                    region: None,
                },
                message: None,
            })
            .into_iter()
            .collect(),
    };
    let file = item.location.as_ref().map_or("", |l| l.file.as_str());
    let fingerprint = fingerprint(&[
        item.rule,
        file,
        item.finding.service.as_deref().unwrap_or(""),
        &item.message,
    ]);
    SarifResult {
        rule_id: item.rule,
        rule_index: view.rule(item.rule).map(|(index, _)| index),
        level: level(item.severity),
        message: Text {
            text: &item.message,
        },
        locations,
        related_locations: item
            .related
            .iter()
            .enumerate()
            .map(|(i, related)| SarifLocation {
                id: Some(i + 1),
                physical_location: physical(&related.location),
                message: Some(Text {
                    text: &related.label,
                }),
            })
            .collect(),
        suppressions: item
            .suppression(&view.masker)
            .map(|justification| Suppression {
                kind: "external",
                justification,
            })
            .into_iter()
            .collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        properties: ResultProperties {
            severity: item.severity.as_str(),
            service: item.finding.service.as_deref(),
            targets: &item.finding.targets,
        },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error | Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

fn physical(location: &Location) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(&location.file),
        region: Some(Region {
            start_line: location.line,
            start_column: location.column,
            end_line: location.end_line,
            end_column: location.end_column,
        }),
    }
}

/// A relative path resolves against the project directory; a path outside it is an absolute
/// `file:` URI.
fn artifact(file: &str) -> ArtifactLocation {
    if file.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", percent_encode(file)),
            uri_base_id: None,
        }
    } else if std::path::Path::new(file).is_absolute() {
        ArtifactLocation {
            uri: format!("file:///{}", percent_encode(file)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(file),
            uri_base_id: Some(SRCROOT),
        }
    }
}

fn first_target_file(view: &View<'_>, item: &Item<'_>) -> Option<String> {
    let name = item.finding.targets.first()?;
    let target = view.report.targets.iter().find(|t| &t.name == name)?;
    view.target_files(target.files.get(..1)?).into_iter().next()
}

/// Keeps the characters a URI path may hold as they are, and percent-encodes every other
/// byte (spaces, `%`, `#`, `?`, non-ASCII).
fn percent_encode(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// FNV-1a (64 bits) over the parts, each followed by a NUL: stable across versions and
/// platforms, which is all a fingerprint needs (it is no defence against forgery).
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_what_a_uri_path_cannot_hold() {
        assert_eq!(percent_encode("docker/compose.yml"), "docker/compose.yml");
        assert_eq!(percent_encode("my app/ü#1.yml"), "my%20app/%C3%BC%231.yml");
        let outside = artifact("/srv/other/compose.yml");
        assert_eq!(outside.uri, "file:///srv/other/compose.yml");
        assert!(outside.uri_base_id.is_none());
    }

    #[test]
    fn fingerprints_are_fnv1a_and_separate_their_parts() {
        // The FNV-1a test vector for the single byte "a".
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        hash ^= u64::from(b'a');
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        assert_eq!(hash, 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["x"]), fingerprint(&["x"]));
    }
}
