//! Defaults of the long forms, filled in once every file is merged (compose-go's
//! `SetDefaultValues`): a build context of `.`, a secret's target under `/run/secrets/`,
//! a port's protocol and mode, and a device request for every device when it names none.

use super::{TransformError, entries_mut, items_mut};
use crate::node::{Node, Value};

pub fn set_defaults(project: &mut Node) -> Result<(), TransformError> {
    let Some(services) = project.get_mut("services") else {
        return Ok(());
    };
    for (name, service) in entries_mut(services) {
        let path = format!("services.{name}");
        let Some(fields) = service.as_map_mut() else {
            continue;
        };
        if let Some(build) = fields.get_mut("build")
            && let Some(build_fields) = build.as_map_mut()
            && !build_fields.contains_key("context")
        {
            let context = build.with_value(Value::Str(".".into()));
            if let Some(build_fields) = build.as_map_mut() {
                build_fields.insert("context".to_owned(), context);
            }
        }
        if let Some(secrets) = fields.get_mut("secrets") {
            for secret in items_mut(secrets) {
                secret_target(&format!("{path}.secrets.[]"), secret)?;
            }
        }
        if let Some(ports) = fields.get_mut("ports") {
            for port in items_mut(ports) {
                default_field(port, "protocol", "tcp");
                default_field(port, "mode", "ingress");
            }
        }
        if let Some(gpus) = fields.get_mut("gpus") {
            for request in items_mut(gpus) {
                device_request(&format!("{path}.gpus.[]"), request)?;
            }
        }
        if let Some(devices) = fields
            .get_mut("deploy")
            .and_then(|d| d.get_mut("resources"))
            .and_then(|r| r.get_mut("reservations"))
            .and_then(|r| r.get_mut("devices"))
        {
            let path = format!("{path}.deploy.resources.reservations.devices.[]");
            for request in items_mut(devices) {
                device_request(&path, request)?;
            }
        }
    }
    Ok(())
}

fn secret_target(path: &str, secret: &mut Node) -> Result<(), TransformError> {
    let Some(fields) = secret.as_map_mut() else {
        let message = format!("{path}: unsupported type {}", secret.value.go_type_name());
        return Err(TransformError::new(path, message, secret));
    };
    if !fields.contains_key("target") {
        // Go's `%s` of whatever the source holds
        let source = match fields.get("source") {
            None => "%!s(<nil>)".to_owned(),
            Some(node) => match (&node.value, node.scalar_text()) {
                (Value::Str(s), _) => s.clone(),
                (value, Some(text)) => format!("%!s({}={text})", value.go_type_name()),
                (value, None) => format!("%!s({})", value.go_type_name()),
            },
        };
        fields.insert(
            "target".to_owned(),
            Node::synthetic(Value::Str(format!("/run/secrets/{source}"))),
        );
    }
    Ok(())
}

fn default_field(node: &mut Node, key: &str, value: &str) {
    if let Some(fields) = node.as_map_mut() {
        fields
            .entry(key.to_owned())
            .or_insert_with(|| Node::synthetic(Value::Str(value.to_owned())));
    }
}

/// A GPU or device reservation with neither `count` nor `device_ids` asks for every device.
fn device_request(path: &str, request: &mut Node) -> Result<(), TransformError> {
    let Some(fields) = request.as_map_mut() else {
        // compose-go prints the type of its (nil) map here, whatever the value was
        let message = format!("{path}: invalid type map[string]interface {{}} for device request");
        return Err(TransformError::new(path, message, request));
    };
    if !fields.contains_key("count") && !fields.contains_key("device_ids") {
        fields.insert(
            "count".to_owned(),
            Node::synthetic(Value::Str("all".into())),
        );
    }
    Ok(())
}
