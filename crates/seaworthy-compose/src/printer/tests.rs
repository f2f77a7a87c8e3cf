//! Expected values are what docker compose v2.40.3 printed for the same models
//! (`testdata/*.model.yaml` are models as the loader leaves them; `*.expected.*` the oracle's
//! `config` and `config --format json` output for them).

use super::*;
use crate::emit::{to_json, to_yaml};
use crate::yaml::parse_documents;
use seaworthy_source::FileId;

fn model(text: &str) -> Node {
    // The models are written as compose files; the loader hands the printer interpolated values.
    let text = text.replace("$$", "$");
    let mut documents = parse_documents(&text, FileId(0)).unwrap_or_default();
    assert_eq!(documents.len(), 1);
    documents.remove(0)
}

fn print(text: &str, flavor: Flavor) -> Result<String, PrintError> {
    let out = project_to_out(&model(text), flavor)?;
    let printed = match flavor {
        Flavor::Yaml => to_yaml(&out),
        Flavor::Json => to_json(&out),
    };
    Ok(printed.replace('$', "$$"))
}

fn check(model_text: &str, yaml: &str, json: &str) {
    let printed = print(model_text, Flavor::Yaml).unwrap();
    assert_eq!(printed, yaml);
    let printed = print(model_text, Flavor::Json).unwrap();
    assert_eq!(printed.trim_end(), json.trim_end());
}

#[test]
fn typed_fields_print_like_compose_go() {
    // Durations, sizes, cpus, ulimits, extra_hosts, gpus and device counts, blkio, deploy,
    // healthcheck test strings, environment nulls, ipam, extensions at several levels.
    check(
        include_str!("testdata/demo.model.yaml"),
        include_str!("testdata/demo.expected.yaml"),
        include_str!("testdata/demo.expected.json"),
    );
}

#[test]
fn every_section_prints_in_struct_order() {
    // Build with all fields, develop, hooks, ports and volumes in long form, models, configs
    // from content and environment, secrets, network options, single-int ulimit of zero.
    check(
        include_str!("testdata/extras.model.yaml"),
        include_str!("testdata/extras.expected.yaml"),
        include_str!("testdata/extras.expected.json"),
    );
}

fn decode_error(text: &str) -> PrintError {
    match print(text, Flavor::Yaml) {
        Err(error) => error,
        Ok(printed) => panic!("printed:\n{printed}"),
    }
}

#[test]
fn decode_errors_carry_docker_compose_texts() {
    let cases = [
        (
            "stop_grace_period: 10x",
            "services[a].stop_grace_period",
            "time: unknown unit \"x\" in duration \"10x\"",
        ),
        (
            "stop_grace_period: \"10\"",
            "services[a].stop_grace_period",
            "time: missing unit in duration \"10\"",
        ),
        (
            "stop_grace_period: \"\"",
            "services[a].stop_grace_period",
            "time: invalid duration \"\"",
        ),
        (
            "mem_limit: 10x",
            "services[a].mem_limit",
            "invalid suffix: 'x'",
        ),
        (
            "mem_limit: abc",
            "services[a].mem_limit",
            "invalid size: 'abc'",
        ),
        (
            "mem_limit: \"-1\"",
            "services[a].mem_limit",
            "invalid size: '-1'",
        ),
        (
            "command: echo \"unterminated",
            "services[a].command",
            "invalid command line string",
        ),
        (
            "gpus: [{count: xyz}]",
            "services[a].gpus[0].count",
            "invalid value \"xyz\", the only value allowed is 'all' or a number",
        ),
        (
            "deploy: {resources: {limits: {cpus: abc}}}",
            "services[a].deploy.resources.limits.cpus",
            "strconv.ParseFloat: parsing \"abc\": invalid syntax",
        ),
    ];
    for (service_line, path, message) in cases {
        let text = format!("name: e\nservices:\n  a:\n    image: x\n    {service_line}\n");
        let error = decode_error(&text);
        assert_eq!(
            (error.path.as_str(), error.message.as_str()),
            (path, message)
        );
        assert!(!error.span.is_synthetic(), "{service_line}");
    }
}

#[test]
fn decode_error_prints_as_docker_compose_does() {
    let error = decode_error("services:\n  a:\n    stop_grace_period: 10x\n");
    assert_eq!(
        error.to_string(),
        "decoding failed due to the following error(s):\n\n\
         'services[a].stop_grace_period' time: unknown unit \"x\" in duration \"10x\""
    );
}

#[test]
fn negative_memory_number_prints_as_is() {
    let printed = print(
        "name: e\nservices:\n  a:\n    mem_limit: -1\n",
        Flavor::Yaml,
    )
    .unwrap();
    assert_eq!(printed, "name: e\nservices:\n  a:\n    mem_limit: \"-1\"\n");
}

#[test]
fn empty_project_keeps_services_and_name() {
    assert_eq!(
        print("name: e\n", Flavor::Yaml).unwrap(),
        "name: e\nservices: {}\n"
    );
    assert_eq!(
        print("name: e\n", Flavor::Json).unwrap(),
        "{\n  \"name\": \"e\",\n  \"services\": {}\n}"
    );
}

#[test]
fn shell_commands_split_into_words() {
    let printed = print(
        "services:\n  a:\n    command: echo a && echo b\n    entrypoint: \"\"\n",
        Flavor::Yaml,
    )
    .unwrap();
    assert_eq!(
        printed,
        "services:\n  a:\n    command:\n      - echo\n      - a\n    entrypoint: []\n"
    );
}

#[test]
fn ssh_key_with_path_prints_in_yaml_and_fails_in_json() {
    let text = "services:\n  a:\n    build:\n      ssh:\n        mykey: /home/k\n    cpus: 0.333\n";
    assert_eq!(
        print(text, Flavor::Yaml).unwrap(),
        "services:\n  a:\n    build:\n      ssh:\n        - 'mykey: /home/k'\n    cpus: 0.333\n"
    );
    assert_eq!(
        print(text, Flavor::Json).unwrap_err().to_string(),
        "json: error calling MarshalJSON for type types.SSHKey: \
         invalid character ':' after top-level value"
    );
}

#[test]
fn go_maps_sort_per_encoder_and_scalars_stringify() {
    // Labels and annotations in go-yaml's natural order vs byte order in JSON, numbers and
    // booleans of string maps as `%v` text, extra_hosts from a map with lists and brackets,
    // iops rates as byte strings, a zero interval, soft/hard ulimits.
    check(
        include_str!("testdata/maps.model.yaml"),
        include_str!("testdata/maps.expected.yaml"),
        include_str!("testdata/maps.expected.json"),
    );
}
