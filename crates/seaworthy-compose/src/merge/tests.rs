use super::*;
use crate::yaml::parse_documents;
use seaworthy_source::FileId;

fn doc(text: &str, file: u32) -> Node {
    parse_documents(text, FileId(file)).unwrap().remove(0)
}

fn merged(base: &str, over: &str) -> Node {
    let mut node = merge_documents(doc(base, 0), doc(over, 1)).unwrap();
    enforce_unicity(&mut node).unwrap();
    node
}

fn strings(node: &Node) -> Vec<String> {
    node.as_seq()
        .unwrap()
        .iter()
        .map(|n| n.scalar_text().unwrap())
        .collect()
}

#[test]
fn merging_with_an_empty_overlay_is_the_identity() {
    let base = doc("services:\n  a:\n    image: x\n    ports: ['80:80']\n", 0);
    let result = merge_documents(base.clone(), doc("{}", 1)).unwrap();
    assert_eq!(result, base);
}

#[test]
fn scalars_are_replaced_and_remember_what_they_replaced() {
    let result = merged(
        "services:\n  a:\n    image: x\n",
        "services:\n  a:\n    image: y\n",
    );
    let image = result.path("services.a.image").unwrap();
    assert_eq!(image.as_str(), Some("y"));
    assert_eq!(image.span.file, FileId(1));
    assert_eq!(image.overridden.len(), 1);
    assert_eq!(image.overridden[0].file, FileId(0));
}

#[test]
fn command_entrypoint_and_healthcheck_test_are_replaced_not_appended() {
    let result = merged(
        "services:\n  a:\n    command: [a, b]\n    healthcheck: {test: [CMD, x], interval: 5s}\n",
        "services:\n  a:\n    command: [c]\n    healthcheck: {test: [CMD, y]}\n",
    );
    assert_eq!(strings(result.path("services.a.command").unwrap()), ["c"]);
    assert_eq!(
        strings(result.path("services.a.healthcheck.test").unwrap()),
        ["CMD", "y"]
    );
    assert!(result.path("services.a.healthcheck.interval").is_some());
}

#[test]
fn environment_map_and_list_merge_keeping_first_position_and_last_value() {
    let result = merged(
        "services:\n  a:\n    environment: [A=1, B=2]\n",
        "services:\n  a:\n    environment: {B: \"3\", C: \"4\", D: null}\n",
    );
    assert_eq!(
        strings(result.path("services.a.environment").unwrap()),
        ["A=1", "B=3", "C=4", "D"]
    );
}

#[test]
fn ports_append_and_deduplicate_on_the_whole_spec() {
    let result = merged(
        "services:\n  a:\n    ports: ['80:80', '443:443']\n",
        "services:\n  a:\n    ports: ['80:80', '8080:80']\n",
    );
    assert_eq!(
        strings(result.path("services.a.ports").unwrap()),
        ["80:80", "443:443", "8080:80"]
    );
}

#[test]
fn volumes_with_the_same_target_replace_in_place() {
    let result = merged(
        "services:\n  a:\n    volumes: [{type: bind, source: ./a, target: /data}, {type: volume, source: c, target: /cache}]\n",
        "services:\n  a:\n    volumes: [{type: bind, source: ./b, target: /data}, {type: bind, source: ./c, target: /other}]\n",
    );
    let volumes = result.path("services.a.volumes").unwrap().as_seq().unwrap();
    let sources: Vec<_> = volumes
        .iter()
        .map(|v| v.get("source").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(sources, ["./b", "c", "./c"]);
}

#[test]
fn depends_on_list_in_an_overlay_resets_the_condition() {
    let result = merged(
        "services:\n  a:\n    depends_on: {db: {condition: service_healthy, restart: true}}\n",
        "services:\n  a:\n    depends_on: [db]\n",
    );
    let db = result.path("services.a.depends_on.db").unwrap();
    assert_eq!(
        db.get("condition").unwrap().as_str(),
        Some("service_started")
    );
    assert_eq!(db.get("restart").unwrap().as_bool(), Some(true));
}

#[test]
fn logging_merges_only_when_drivers_agree() {
    let same = merged(
        "services:\n  a:\n    logging: {driver: json-file, options: {max-size: 1m}}\n",
        "services:\n  a:\n    logging: {options: {max-file: '3'}}\n",
    );
    assert!(same.path("services.a.logging.options.max-size").is_some());
    let changed = merged(
        "services:\n  a:\n    logging: {driver: json-file, options: {max-size: 1m}}\n",
        "services:\n  a:\n    logging: {driver: loki, options: {loki-url: x}}\n",
    );
    assert!(
        changed
            .path("services.a.logging.options.max-size")
            .is_none()
    );
}

#[test]
fn build_string_over_a_mapping_changes_only_the_context() {
    let result = merged(
        "services:\n  a:\n    build: {context: ./one, dockerfile: Custom}\n",
        "services:\n  a:\n    build: ./two\n",
    );
    assert_eq!(
        result.path("services.a.build.context").unwrap().as_str(),
        Some("./two")
    );
    assert_eq!(
        result.path("services.a.build.dockerfile").unwrap().as_str(),
        Some("Custom")
    );
}

#[test]
fn ulimits_are_replaced_per_name() {
    let result = merged(
        "services:\n  a:\n    ulimits: {nofile: {soft: 1, hard: 2}, nproc: 5}\n",
        "services:\n  a:\n    ulimits: {nofile: {soft: 3}}\n",
    );
    assert!(result.path("services.a.ulimits.nofile.hard").is_none());
    assert!(result.path("services.a.ulimits.nproc").is_some());
}

#[test]
fn extra_hosts_skip_entries_already_present() {
    let result = merged(
        "services:\n  a:\n    extra_hosts: ['h:1.1.1.1']\n",
        "services:\n  a:\n    extra_hosts: ['h:1.1.1.1', 'g:2.2.2.2']\n",
    );
    assert_eq!(
        strings(result.path("services.a.extra_hosts").unwrap()),
        ["h:1.1.1.1", "g:2.2.2.2"]
    );
}

#[test]
fn a_mapping_cannot_be_overridden_by_a_sequence() {
    let err = merge_documents(
        doc("services:\n  a: {deploy: {}}\n", 0),
        doc("services:\n  a: {deploy: []}\n", 1),
    )
    .unwrap_err();
    assert_eq!(err.message, "cannot override services.a.deploy");
}

#[test]
fn security_opt_is_appended_without_deduplication() {
    let result = merged(
        "services:\n  a:\n    security_opt: [x]\n",
        "services:\n  a:\n    security_opt: [x]\n",
    );
    assert_eq!(
        strings(result.path("services.a.security_opt").unwrap()),
        ["x", "x"]
    );
}

mod properties {
    use super::*;
    use crate::reset::ResetPaths;
    use proptest::prelude::*;

    fn scalar() -> impl Strategy<Value = Node> {
        prop_oneof![
            "[a-z0-9=:/._-]{0,12}".prop_map(|s| Node::synthetic(Value::Str(s))),
            any::<i32>().prop_map(|i| Node::synthetic(Value::Int(i64::from(i)))),
            any::<bool>().prop_map(|b| Node::synthetic(Value::Bool(b))),
        ]
    }

    /// A service with fields that exercise each kind of merge rule.
    fn service() -> impl Strategy<Value = Node> {
        let fields = prop::collection::btree_map(
            prop::sample::select(vec![
                "image",
                "restart",
                "command",
                "environment",
                "labels",
                "ports",
                "volumes",
                "cap_add",
                "dns",
                "user",
                "deploy",
            ]),
            prop_oneof![
                scalar(),
                prop::collection::vec("[A-Z]{1,3}=[a-z0-9]{0,3}", 0..4).prop_map(|items| {
                    Node::synthetic(Value::Seq(
                        items
                            .into_iter()
                            .map(|s| Node::synthetic(Value::Str(s)))
                            .collect(),
                    ))
                }),
                prop::collection::btree_map("[A-Z]{1,3}", scalar(), 0..4)
                    .prop_map(|map| { Node::synthetic(Value::Map(map.into_iter().collect())) }),
            ],
            0..6,
        );
        fields.prop_map(|fields| {
            Node::synthetic(Value::Map(
                fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            ))
        })
    }

    fn project() -> impl Strategy<Value = Node> {
        prop::collection::btree_map("[a-c]", service(), 0..3).prop_map(|services| {
            let mut top = Map::default();
            top.insert(
                "services".into(),
                Node::synthetic(Value::Map(services.into_iter().collect())),
            );
            Node::synthetic(Value::Map(top))
        })
    }

    fn empty() -> Node {
        Node::synthetic(Value::Map(Map::default()))
    }

    proptest! {
        #[test]
        fn merging_an_empty_overlay_is_the_identity(base in project()) {
            prop_assert_eq!(merge_documents(base.clone(), empty()).unwrap(), base);
        }

        #[test]
        fn merging_onto_nothing_gives_the_overlay(over in project()) {
            prop_assert_eq!(merge_documents(empty(), over.clone()).unwrap(), over);
        }

        #[test]
        fn unicity_is_idempotent(base in project(), over in project()) {
            if let Ok(mut merged) = merge_documents(base, over)
                && enforce_unicity(&mut merged).is_ok()
            {
                let once = merged.clone();
                enforce_unicity(&mut merged).unwrap();
                prop_assert_eq!(merged, once);
            }
        }

        #[test]
        fn reset_then_re_adding_gives_the_overlay_value(base in project(), value in scalar()) {
            let mut base = base;
            let mut reset = doc("services:\n  a:\n    image: !reset\n", 1);
            let resets = ResetPaths::collect(&mut reset);
            resets.apply(&mut base);
            let mut merged = merge_documents(base, reset).unwrap();
            let mut overlay = Map::default();
            let mut service = Map::default();
            service.insert("image".into(), value.clone());
            let mut services = Map::default();
            services.insert("a".into(), Node::synthetic(Value::Map(service)));
            overlay.insert("services".into(), Node::synthetic(Value::Map(services)));
            merged = merge_documents(merged, Node::synthetic(Value::Map(overlay))).unwrap();
            prop_assert_eq!(&merged.path("services.a.image").unwrap().value, &value.value);
        }
    }
}
