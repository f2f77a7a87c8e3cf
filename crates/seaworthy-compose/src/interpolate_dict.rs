//! Interpolation of a whole document (spec §4.1, §4.7): every string value (never a key) goes
//! through the template language, then the values at a few paths are cast to the type
//! compose-go expects there. The raw text of each interpolated scalar is kept on its node.

use crate::interpolate::substitute;
use crate::node::{Node, Value};
use crate::tree_path::{Pattern, TreePath};
use seaworthy_source::Span;

/// An interpolation failure with compose's message and the scalar at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterpolationError {
    pub message: String,
    pub span: Span,
}

/// A variable referenced without a default that is not set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsetVariable {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Copy)]
enum Cast {
    Int,
    Int64,
    Float,
    Float32,
    Bool,
}

const CASTS: &[(Pattern<'static>, Cast)] = &[
    (Pattern::new("services.*.cpu_count"), Cast::Int64),
    (Pattern::new("services.*.cpu_percent"), Cast::Float),
    (Pattern::new("services.*.cpu_period"), Cast::Int64),
    (Pattern::new("services.*.cpu_quota"), Cast::Int64),
    (Pattern::new("services.*.cpu_rt_period"), Cast::Int64),
    (Pattern::new("services.*.cpu_rt_runtime"), Cast::Int64),
    (Pattern::new("services.*.cpus"), Cast::Float32),
    (Pattern::new("services.*.cpu_shares"), Cast::Int64),
    (Pattern::new("services.*.init"), Cast::Bool),
    (Pattern::new("services.*.deploy.replicas"), Cast::Int),
    (
        Pattern::new("services.*.deploy.update_config.parallelism"),
        Cast::Int,
    ),
    (
        Pattern::new("services.*.deploy.update_config.max_failure_ratio"),
        Cast::Float,
    ),
    (
        Pattern::new("services.*.deploy.rollback_config.parallelism"),
        Cast::Int,
    ),
    (
        Pattern::new("services.*.deploy.rollback_config.max_failure_ratio"),
        Cast::Float,
    ),
    (
        Pattern::new("services.*.deploy.restart_policy.max_attempts"),
        Cast::Int,
    ),
    (
        Pattern::new("services.*.deploy.placement.max_replicas_per_node"),
        Cast::Int,
    ),
    (Pattern::new("services.*.healthcheck.retries"), Cast::Int),
    (Pattern::new("services.*.healthcheck.disable"), Cast::Bool),
    (Pattern::new("services.*.oom_kill_disable"), Cast::Bool),
    (Pattern::new("services.*.oom_score_adj"), Cast::Int64),
    (Pattern::new("services.*.pids_limit"), Cast::Int64),
    (Pattern::new("services.*.ports.[].target"), Cast::Int),
    (Pattern::new("services.*.privileged"), Cast::Bool),
    (Pattern::new("services.*.read_only"), Cast::Bool),
    (Pattern::new("services.*.scale"), Cast::Int),
    (Pattern::new("services.*.stdin_open"), Cast::Bool),
    (Pattern::new("services.*.tty"), Cast::Bool),
    (Pattern::new("services.*.ulimits.*"), Cast::Int),
    (Pattern::new("services.*.ulimits.*.hard"), Cast::Int),
    (Pattern::new("services.*.ulimits.*.soft"), Cast::Int),
    (Pattern::new("services.*.volumes.[].read_only"), Cast::Bool),
    (
        Pattern::new("services.*.volumes.[].volume.nocopy"),
        Cast::Bool,
    ),
    (Pattern::new("networks.*.external"), Cast::Bool),
    (Pattern::new("networks.*.internal"), Cast::Bool),
    (Pattern::new("networks.*.attachable"), Cast::Bool),
    (Pattern::new("networks.*.enable_ipv4"), Cast::Bool),
    (Pattern::new("networks.*.enable_ipv6"), Cast::Bool),
    (Pattern::new("volumes.*.external"), Cast::Bool),
    (Pattern::new("secrets.*.external"), Cast::Bool),
    (Pattern::new("configs.*.external"), Cast::Bool),
];

/// What interpolating a document found besides errors.
#[derive(Default, Debug)]
pub struct Interpolated {
    pub unset: Vec<UnsetVariable>,
    /// compose's warnings for YAML 1.1 booleans in boolean fields (`"yes" for boolean ...`).
    pub warnings: Vec<(String, Span)>,
}

/// Interpolates every string value of `document` in place.
pub fn interpolate_document(
    document: &mut Node,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Interpolated, InterpolationError> {
    let mut found = Interpolated::default();
    let Value::Map(map) = &mut document.value else {
        return Ok(found);
    };
    for (key, child) in map.iter_mut() {
        interpolate(child, &TreePath::root().next(key), lookup, &mut found)?;
    }
    Ok(found)
}

fn interpolate(
    node: &mut Node,
    path: &TreePath,
    lookup: &dyn Fn(&str) -> Option<String>,
    found: &mut Interpolated,
) -> Result<(), InterpolationError> {
    match &mut node.value {
        Value::Str(text) => {
            if text.contains('$') {
                let result = substitute(text, lookup).map_err(|e| InterpolationError {
                    message: e.message(&path.to_string()),
                    span: node.span,
                })?;
                // every use, so checks can judge where each empty value lands; the loader
                // warns once per name, as compose does
                for name in result.unset {
                    let span = node.span;
                    if !found.unset.iter().any(|u| u.name == name && u.span == span) {
                        found.unset.push(UnsetVariable { name, span });
                    }
                }
                node.raw = Some(std::mem::take(text).into_boxed_str());
                *text = result.value;
            }
            if let Some(cast) = CASTS
                .iter()
                .find(|(p, _)| path.matches_pattern(p))
                .map(|(_, c)| *c)
            {
                let text = node.as_str().unwrap_or_default().to_owned();
                node.value = cast_value(cast, &text, node.span, found).map_err(|reason| {
                    InterpolationError {
                        message: format!(
                            "error while interpolating {path}: failed to cast to expected type: {reason}"
                        ),
                        span: node.span,
                    }
                })?;
            }
        }
        Value::Map(map) => {
            for (key, child) in map.iter_mut() {
                interpolate(child, &path.next(key), lookup, found)?;
            }
        }
        Value::Seq(items) => {
            let item_path = path.next("[]");
            for item in items.iter_mut() {
                interpolate(item, &item_path, lookup, found)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn cast_value(
    cast: Cast,
    text: &str,
    span: Span,
    found: &mut Interpolated,
) -> Result<Value, String> {
    match cast {
        Cast::Int | Cast::Int64 => text.parse::<i64>().map(Value::Int).map_err(|_| {
            let func = if matches!(cast, Cast::Int) {
                "Atoi"
            } else {
                "ParseInt"
            };
            format!("strconv.{func}: parsing {text:?}: invalid syntax")
        }),
        Cast::Float => parse_go_float(text).map(Value::Float),
        Cast::Float32 => parse_go_float(text).map(|f| Value::Float(f64::from(f as f32))),
        Cast::Bool => match text.to_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            legacy @ ("y" | "yes" | "on" | "n" | "no" | "off") => {
                let value = matches!(legacy, "y" | "yes" | "on");
                found.warnings.push((
                    format!(
                        "\"{text}\" for boolean is not supported by YAML 1.2, please use `{value}`"
                    ),
                    span,
                ));
                Ok(Value::Bool(value))
            }
            _ => Err(format!("invalid boolean: {text}")),
        },
    }
}

fn parse_go_float(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .map_err(|_| format!("strconv.ParseFloat: parsing {text:?}: invalid syntax"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;
    use seaworthy_source::FileId;

    fn run(text: &str, vars: &[(&str, &str)]) -> Result<(Node, Interpolated), InterpolationError> {
        let mut doc = parse_documents(text, FileId(0)).unwrap().remove(0);
        let lookup = |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        };
        let found = interpolate_document(&mut doc, &lookup)?;
        Ok((doc, found))
    }

    #[test]
    fn values_are_interpolated_and_keep_their_raw_text() {
        let (doc, _) = run(
            "services:\n  a:\n    image: \"app:${TAG}\"\n",
            &[("TAG", "1.2")],
        )
        .unwrap();
        let image = doc.path("services.a.image").unwrap();
        assert_eq!(image.as_str(), Some("app:1.2"));
        assert_eq!(image.raw.as_deref(), Some("app:${TAG}"));
    }

    #[test]
    fn keys_are_never_interpolated() {
        let (doc, _) = run("labels:\n  $KEY: x\n", &[("KEY", "k")]).unwrap();
        assert!(doc.get("labels").unwrap().get("$KEY").is_some());
    }

    #[test]
    fn strings_are_cast_at_typed_paths() {
        let text = "services:\n  a:\n    privileged: \"${P}\"\n    cpus: \"${C}\"\n    deploy:\n      replicas: \"${N}\"\n";
        let (doc, found) = run(text, &[("P", "yes"), ("C", "0.5"), ("N", "3")]).unwrap();
        assert_eq!(
            doc.path("services.a.privileged").unwrap().value,
            Value::Bool(true)
        );
        assert_eq!(
            doc.path("services.a.cpus").unwrap().value,
            Value::Float(0.5)
        );
        assert_eq!(
            doc.path("services.a.deploy.replicas").unwrap().value,
            Value::Int(3)
        );
        assert_eq!(found.warnings.len(), 1);
    }

    #[test]
    fn a_bad_cast_names_the_path() {
        let err = run(
            "services:\n  a:\n    privileged: \"${P}\"\n",
            &[("P", "maybe")],
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "error while interpolating services.a.privileged: failed to cast to expected type: invalid boolean: maybe"
        );
    }

    #[test]
    fn list_items_are_addressed_with_brackets_in_errors() {
        let err = run("services:\n  a:\n    labels: [\"${X:?need X}\"]\n", &[]).unwrap_err();
        assert!(
            err.message
                .starts_with("error while interpolating services.a.labels.[]"),
            "{}",
            err.message
        );
    }
}
