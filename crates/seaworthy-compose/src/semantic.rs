//! compose-go's semantic checks that run after the defaults (`validation.Validate`): file-backed
//! resources declare exactly one source, external volumes carry nothing else, published ports
//! name a valid IP, device requests use `count` or `device_ids`, watch paths are not blank.

use crate::error::LoadError;
use crate::node::{Node, Value};
use crate::tree_path::TreePath;
use std::net::IpAddr;

pub fn validate(dict: &Node) -> Result<(), LoadError> {
    check(dict, &TreePath::root())
}

fn check(node: &Node, path: &TreePath) -> Result<(), LoadError> {
    let fail = |message: String| Err(LoadError::at(message, node.span).with_code("invalid-value"));
    if path.matches("volumes.*") {
        return check_external(node, path);
    }
    if path.matches("configs.*") {
        return check_file_object(node, path, &["file", "environment", "content"]);
    }
    if path.matches("secrets.*") {
        return check_file_object(node, path, &["file", "environment"]);
    }
    if path.matches("services.*.ports.[]") {
        if let Some(ip) = node.get("host_ip").and_then(Node::as_str)
            && ip.parse::<IpAddr>().is_err()
        {
            return fail(format!("{path}: invalid ip address: {ip}"));
        }
        return Ok(());
    }
    if path.matches("services.*.develop.watch.[].path") {
        if node.as_str() == Some("") {
            return fail(format!("{path}: value can't be blank"));
        }
        return Ok(());
    }
    if path.matches("services.*.deploy.resources.reservations.devices.[]")
        || path.matches("services.*.gpus.[]")
    {
        if node.get("count").is_some() && node.get("device_ids").is_some() {
            return fail(format!(
                "{path}: \"count\" and \"device_ids\" attributes are exclusive"
            ));
        }
        return Ok(());
    }
    match &node.value {
        Value::Map(map) => {
            for (key, child) in map {
                check(child, &path.next(key))?;
            }
        }
        Value::Seq(items) => {
            let item_path = path.next("[]");
            for item in items {
                check(item, &item_path)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_file_object(node: &Node, path: &TreePath, keys: &[&str]) -> Result<(), LoadError> {
    let Some(map) = node.as_map() else {
        return Ok(());
    };
    let count = keys.iter().filter(|k| map.contains_key(**k)).count();
    let fail =
        |message: String| Err(LoadError::at(message, node.key_span).with_code("invalid-value"));
    if count > 1 {
        return fail(format!(
            "{path}: {} attributes are mutually exclusive",
            keys.join("|")
        ));
    }
    if count == 0 && !map.contains_key("driver") && !map.contains_key("external") {
        return fail(format!("{path}: one of {} must be set", keys.join("|")));
    }
    Ok(())
}

fn check_external(node: &Node, path: &TreePath) -> Result<(), LoadError> {
    let Some(map) = node.as_map() else {
        return Ok(());
    };
    if map.get("external").and_then(Node::as_bool) != Some(true) {
        return Ok(());
    }
    for (key, value) in map {
        if key == "name" || key == "external" || key.starts_with("x-") {
            continue;
        }
        return Err(LoadError::at(
            format!("{path}: conflicting parameters \"external\" and {key:?} specified"),
            value.key_span,
        )
        .with_code("invalid-value"));
    }
    Ok(())
}
