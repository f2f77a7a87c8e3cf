use super::*;
use crate::yaml::parse_documents;
use seaworthy_source::FileId;
use serde_json::{Value as Json, json};

fn parse(text: &str) -> Node {
    parse_documents(text, FileId(0))
        .unwrap()
        .into_iter()
        .next()
        .unwrap()
}

/// The model as plain data, ignoring provenance and key order.
fn plain(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::UInt(u) => json!(u),
        Value::Float(f) => json!(f),
        Value::Str(s) | Value::Timestamp(s) => json!(s),
        Value::Seq(items) => Json::Array(items.iter().map(plain).collect()),
        Value::Map(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), plain(v))).collect()),
    }
}

fn canonical_service(service_yaml: &str) -> Json {
    let mut project = parse(&format!("services:\n  web:\n{service_yaml}"));
    canonical(&mut project, false).unwrap();
    set_defaults(&mut project).unwrap();
    plain(project.path("services.web").unwrap())
}

fn error_of(yaml: &str) -> String {
    let mut project = parse(yaml);
    canonical(&mut project, false).unwrap_err().message
}

#[test]
fn short_syntaxes_become_long_forms() {
    // recorded in probes/normalize-short-syntax (before path resolution)
    let web = canonical_service(
        "    build: ./app\n    depends_on: [db]\n    dns: 8.8.8.8\n    env_file: x.env\n    \
         devices: [\"/dev/fuse\"]\n    secrets: [s]\n    configs: [c]\n    gpus: all\n    \
         networks: [front]\n    extends: base\n    label_file: l.txt\n",
    );
    assert_eq!(
        web,
        json!({
            "build": {"context": "./app"},
            "depends_on": {"db": {"condition": "service_started", "required": true}},
            "dns": ["8.8.8.8"],
            "env_file": [{"path": "x.env", "required": true}],
            "devices": [{"source": "/dev/fuse", "target": "/dev/fuse", "permissions": "rwm"}],
            "secrets": [{"source": "s", "target": "/run/secrets/s"}],
            "configs": [{"source": "c"}],
            "gpus": [{"count": "all"}],
            "networks": {"front": null},
            "extends": {"service": "base"},
            "label_file": ["l.txt"],
        })
    );
}

#[test]
fn volumes_are_parsed_and_their_targets_cleaned() {
    let web = canonical_service(
        "    volumes:\n      - db:/var/lib/db/../db/\n      - ./rel/../x:/x:ro,nocopy\n      - /anon\n",
    );
    assert_eq!(
        web["volumes"],
        json!([
            {"type": "volume", "source": "db", "target": "/var/lib/db", "volume": {}},
            {"type": "bind", "source": "./rel/../x", "target": "/x", "read_only": true,
             "bind": {"create_host_path": true}, "volume": {"nocopy": true}},
            {"type": "volume", "target": "/anon", "volume": {}},
        ])
    );
}

#[test]
fn ports_expand_and_keep_long_entries() {
    // recorded in probes/merge-ports-ranges
    let web = canonical_service(
        "    ports:\n      - \"3000-3001\"\n      - 22\n      - \"127.0.0.1:8080:80/udp\"\n      - target: 9000\n",
    );
    assert_eq!(
        web["ports"],
        json!([
            {"mode": "ingress", "target": 3000, "protocol": "tcp"},
            {"mode": "ingress", "target": 3001, "protocol": "tcp"},
            {"mode": "ingress", "target": 22, "protocol": "tcp"},
            {"mode": "ingress", "host_ip": "127.0.0.1", "target": 80, "published": "8080", "protocol": "udp"},
            {"target": 9000, "protocol": "tcp", "mode": "ingress"},
        ])
    );
}

#[test]
fn ports_keep_their_provenance() {
    let mut project = parse("services:\n  web:\n    ports: [\"8080:80\"]\n");
    let written = project
        .path("services.web.ports")
        .unwrap()
        .as_seq()
        .unwrap()[0]
        .span;
    canonical(&mut project, false).unwrap();
    let port = &project
        .path("services.web.ports")
        .unwrap()
        .as_seq()
        .unwrap()[0];
    assert_eq!(port.span, written);
    assert_eq!(port.get("published").unwrap().span, written);
}

#[test]
fn unparsable_specs_are_kept_without_interpolation() {
    let mut project =
        parse("services:\n  web:\n    ports: [\"${P}:80\", 81]\n    volumes: [\"/a::/b\"]\n");
    canonical(&mut project, true).unwrap();
    let web = plain(project.path("services.web").unwrap());
    assert_eq!(web["ports"], json!(["${P}:80", 81]));
    assert_eq!(web["volumes"], json!(["/a::/b"]));
}

#[test]
fn depends_on_entries_get_condition_and_required() {
    let web = canonical_service("    depends_on:\n      db: {restart: true}\n");
    assert_eq!(
        web["depends_on"],
        json!({"db": {"restart": true, "condition": "service_started", "required": true}})
    );
}

#[test]
fn build_lists_become_mappings() {
    let web = canonical_service(
        "    build:\n      context: .\n      ssh: [default, key=/k]\n      additional_contexts: [\"a=../a\"]\n      \
         secrets: [token]\n      provenance: true\n      ulimits: {nofile: 10}\n",
    );
    assert_eq!(
        web["build"],
        json!({
            "context": ".",
            "ssh": {"default": null, "key": "/k"},
            "additional_contexts": {"a": "../a"},
            "secrets": [{"source": "token"}],
            "provenance": "true",
            "ulimits": {"nofile": 10},
        })
    );
    assert_eq!(
        canonical_service("    build: {}\n")["build"],
        json!({"context": "."})
    );
}

#[test]
fn legacy_external_names_become_names_with_a_warning() {
    let mut project = parse("volumes:\n  v:\n    external:\n      name: real\n");
    let warnings = canonical(&mut project, false).unwrap();
    assert_eq!(
        plain(project.path("volumes.v").unwrap()),
        json!({"external": true, "name": "real"})
    );
    assert_eq!(
        warnings[0].message,
        "volumes.v: external.name is deprecated. Please set name and external: true"
    );
    assert_eq!(
        error_of("networks:\n  n:\n    name: a\n    external:\n      name: b\n"),
        "networks.n: name and external.name conflict; only use name"
    );
}

#[test]
fn device_requests_without_count_or_ids_ask_for_all() {
    let web = canonical_service(
        "    deploy:\n      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n            - device_ids: [\"0\"]\n",
    );
    assert_eq!(
        web["deploy"]["resources"]["reservations"]["devices"],
        json!([{"capabilities": ["gpu"], "count": "all"}, {"device_ids": ["0"]}])
    );
}

#[test]
fn include_strings_become_paths() {
    let mut project = parse("include:\n  - other.yaml\n");
    canonical(&mut project, false).unwrap();
    assert_eq!(plain(&project)["include"], json!([{"path": "other.yaml"}]));
}

#[test]
fn bad_values_get_docker_compose_messages() {
    assert_eq!(
        error_of("services:\n  a:\n    volumes: [\"/a:/b:ro:extra\"]\n"),
        "invalid spec: /a:/b:ro:extra: too many colons"
    );
    assert_eq!(
        error_of("services:\n  a:\n    ports: [\"80:80:80:80x\"]\n"),
        "invalid IP address: 80:80"
    );
    assert_eq!(
        error_of("services:\n  a:\n    devices: [\"a:b:c:d\"]\n"),
        "confusing device mapping, please use long syntax: a:b:c:d"
    );
    assert_eq!(
        error_of("services:\n  a:\n    build: 3\n"),
        "services.a.build: invalid type int for build"
    );
    assert_eq!(
        error_of("services:\n  a:\n    build:\n      ssh: [nokey]\n"),
        "invalid ssh key \"nokey\""
    );
}
