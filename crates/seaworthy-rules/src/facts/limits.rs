//! Effective resource amounts as docker compose hands them to the engine
//! (`getDeployResources`): the legacy keys (`mem_limit`, `mem_reservation`, `cpus`) first,
//! then any non-zero `deploy.resources` value on top.

use crate::Service;
use crate::values::{bytes, is_operator_supplied};
use seaworthy_compose::{Node, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Amount<'a> {
    /// No key sets it.
    Unset,
    /// `${VAR}` with no default: the operator decides, rules stay silent.
    OperatorSupplied(&'a Node),
    /// Written, but zero, negative or unreadable: the engine treats it as unlimited.
    Zero(&'a Node),
    /// A positive amount (bytes or CPUs) and the node that set it.
    Set(&'a Node, f64),
}

impl<'a> Amount<'a> {
    /// A bound exists, or the operator supplies one.
    pub(crate) fn is_bounded(&self) -> bool {
        matches!(self, Amount::Set(..) | Amount::OperatorSupplied(_))
    }
}

/// A number of CPUs (or any plain number) as written: `0.5`, `"1.5"`, `2`.
pub(crate) fn number(node: &Node) -> Option<f64> {
    match &node.value {
        Value::Int(i) => Some(*i as f64),
        Value::UInt(u) => Some(*u as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The first key, in precedence order, that sets a positive amount (or leaves it to the
/// operator); else the first one written with a zero.
fn effective<'a>(
    service: &Service<'a>,
    keys_by_precedence: &[&str],
    read: fn(&Node) -> Option<f64>,
) -> Amount<'a> {
    let mut zero = None;
    for key in keys_by_precedence {
        let Some(node) = service.get(key).filter(|n| !n.is_null()) else {
            continue;
        };
        if is_operator_supplied(node) {
            return Amount::OperatorSupplied(node);
        }
        match read(node) {
            Some(value) if value > 0.0 => return Amount::Set(node, value),
            _ => {
                zero.get_or_insert(node);
            }
        }
    }
    zero.map_or(Amount::Unset, Amount::Zero)
}

pub(crate) fn memory_limit<'a>(service: &Service<'a>) -> Amount<'a> {
    effective(
        service,
        &["deploy.resources.limits.memory", "mem_limit"],
        bytes,
    )
}

pub(crate) fn memory_reservation<'a>(service: &Service<'a>) -> Amount<'a> {
    effective(
        service,
        &["deploy.resources.reservations.memory", "mem_reservation"],
        bytes,
    )
}

pub(crate) fn cpu_limit<'a>(service: &Service<'a>) -> Amount<'a> {
    effective(service, &["deploy.resources.limits.cpus", "cpus"], number)
}

/// Only Swarm reads it: `docker compose up` ignores a CPU reservation.
pub(crate) fn cpu_reservation<'a>(service: &Service<'a>) -> Amount<'a> {
    effective(service, &["deploy.resources.reservations.cpus"], number)
}

/// A byte count for messages (`512MiB`, `1.5GiB`).
pub(crate) fn show_bytes(value: f64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if value >= 1024.0 * MIB {
        format!("{}GiB", trim(value / (1024.0 * MIB)))
    } else if value >= MIB {
        format!("{}MiB", trim(value / MIB))
    } else {
        format!("{} bytes", trim(value))
    }
}

fn trim(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_nodes::{map, text};

    #[test]
    fn a_nonzero_deploy_limit_beats_the_legacy_key() {
        let node = map(&[
            ("mem_limit", text("1g")),
            (
                "deploy",
                map(&[(
                    "resources",
                    map(&[("limits", map(&[("memory", text("2g"))]))]),
                )]),
            ),
        ]);
        let service = Service {
            name: "app",
            node: &node,
        };
        let two_gib = 2.0 * 1024.0 * 1024.0 * 1024.0;
        assert!(matches!(memory_limit(&service), Amount::Set(_, v) if v == two_gib));
    }

    #[test]
    fn a_zero_deploy_limit_falls_back_to_the_legacy_key() {
        let node = map(&[
            ("cpus", Node::synthetic(Value::Float(0.5))),
            (
                "deploy",
                map(&[("resources", map(&[("limits", map(&[("cpus", text("0"))]))]))]),
            ),
        ]);
        let service = Service {
            name: "app",
            node: &node,
        };
        assert!(matches!(cpu_limit(&service), Amount::Set(_, v) if v == 0.5));
        let zero = map(&[("cpus", Node::synthetic(Value::Int(0)))]);
        let service = Service {
            name: "app",
            node: &zero,
        };
        assert!(matches!(cpu_limit(&service), Amount::Zero(_)));
        let none = map(&[]);
        let service = Service {
            name: "app",
            node: &none,
        };
        assert_eq!(cpu_limit(&service), Amount::Unset);
    }

    #[test]
    fn byte_counts_show_in_binary_units() {
        assert_eq!(show_bytes(512.0 * 1024.0 * 1024.0), "512MiB");
        assert_eq!(show_bytes(1.5 * 1024.0 * 1024.0 * 1024.0), "1.5GiB");
    }
}
