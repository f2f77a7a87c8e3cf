//! The machine formats are valid against their schemas: ours for JSON
//! (`docs/schema/report-v1.json`), the official SARIF 2.1.0 schema (vendored beside this file)
//! for SARIF.

mod common;

use common::{Fixture, rules};
use seaworthy_report::{Finding, Format, render};
use seaworthy_source::{Diagnostic, Span};
use serde_json::Value;

const REPORT_SCHEMA: &str = include_str!("../../../docs/schema/report-v1.json");

fn assert_valid(schema: &str, output: &str) {
    let schema: Value = serde_json::from_str(schema).expect("the schema is JSON");
    let instance: Value = serde_json::from_str(output).expect("the output is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{output}");
}

/// The fixture with a target that did not load, so `errors` is exercised too.
fn output_with_load_error(format: Format) -> String {
    let fixture = Fixture::new();
    let mut report = fixture.report();
    let diagnostic = Diagnostic::error("yaml-syntax", "mapping values are not allowed here")
        .with_primary(Span::new(fixture.prod, 2, 9), "here");
    report.load_errors.push(Finding {
        targets: vec!["staging".to_owned()],
        ..Finding::new(diagnostic)
    });
    render(&report, format, &rules())
}

#[test]
fn json_output_is_valid_against_the_published_schema() {
    let fixture = Fixture::new();
    assert_valid(
        REPORT_SCHEMA,
        &render(&fixture.report(), Format::Json, &rules()),
    );
    assert_valid(REPORT_SCHEMA, &output_with_load_error(Format::Json));
}

#[test]
fn json_schema_rejects_what_version_1_does_not_allow() {
    let schema: Value = serde_json::from_str(REPORT_SCHEMA).unwrap();
    let fixture = Fixture::new();
    let mut output: Value =
        serde_json::from_str(&render(&fixture.report(), Format::Json, &rules())).unwrap();
    output["findings"][0]["location"]["line"] = Value::from(0);
    assert!(
        !jsonschema::is_valid(&schema, &output),
        "line 0 must be rejected"
    );
    output["findings"][0]["location"]["line"] = Value::from(1);
    output["findings"][0]["location"]["label"] = Value::from("primary locations have none");
    assert!(
        !jsonschema::is_valid(&schema, &output),
        "unknown keys must be rejected"
    );
}

#[test]
fn json_counts_load_errors_and_keeps_their_target() {
    let output: Value = serde_json::from_str(&output_with_load_error(Format::Json)).unwrap();
    assert_eq!(output["summary"]["errors"], 1);
    assert_eq!(output["errors"][0]["rule"], "yaml-syntax");
    assert_eq!(output["errors"][0]["targets"][0], "staging");
    assert_eq!(
        output["errors"][0]["location"]["file"],
        "docker/compose.prod.yaml"
    );
}

const SARIF_SCHEMA: &str = include_str!("schemas/sarif-schema-2.1.0.json");

#[test]
fn sarif_output_is_valid_against_the_official_schema() {
    let fixture = Fixture::new();
    assert_valid(
        SARIF_SCHEMA,
        &render(&fixture.report(), Format::Sarif, &rules()),
    );
    assert_valid(SARIF_SCHEMA, &output_with_load_error(Format::Sarif));
}

#[test]
fn sarif_schema_rejects_a_result_without_a_message() {
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).unwrap();
    let fixture = Fixture::new();
    let mut output: Value =
        serde_json::from_str(&render(&fixture.report(), Format::Sarif, &rules())).unwrap();
    output["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!jsonschema::is_valid(&schema, &output));
}
