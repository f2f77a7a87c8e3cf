//! The effective restart policy of a service, as docker compose computes it
//! (`getRestartPolicy`): a `deploy.restart_policy` block, when present, replaces `restart`
//! entirely, even with no `condition` (the engine then gets an empty policy, which means
//! `no`). Also what makes a service a one-shot job rather than a long-running one.

use crate::Service;
use crate::values::is_operator_supplied;
use seaworthy_compose::{Node, Project, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RestartMode {
    No,
    Always,
    UnlessStopped,
    OnFailure,
    /// A value only the operator knows (`${RESTART}`) or one the engine will reject.
    Unknown,
}

/// Which setting decides the policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RestartSource<'a> {
    /// Neither `restart` nor `deploy.restart_policy`: the engine default, `no`.
    Unset,
    Restart(&'a Node),
    /// The `deploy.restart_policy` block and its `condition`, if any.
    Deploy {
        policy: &'a Node,
        condition: Option<&'a Node>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RestartPolicy<'a> {
    pub mode: RestartMode,
    /// `on-failure:N` or `max_attempts`; `None` (or `Some(0)`) retries forever.
    pub max_attempts: Option<i64>,
    pub source: RestartSource<'a>,
}

impl RestartPolicy<'_> {
    /// The node a finding about the policy points at, if the policy is written anywhere.
    pub(crate) fn node(&self) -> Option<&Node> {
        match self.source {
            RestartSource::Unset => None,
            RestartSource::Restart(node) => Some(node),
            RestartSource::Deploy { policy, condition } => Some(condition.unwrap_or(policy)),
        }
    }
}

fn mode_of(condition: &str) -> RestartMode {
    match condition {
        "" | "no" | "none" => RestartMode::No,
        "always" | "any" => RestartMode::Always,
        "unless-stopped" => RestartMode::UnlessStopped,
        "on-failure" => RestartMode::OnFailure,
        _ => RestartMode::Unknown,
    }
}

fn integer(node: &Node) -> Option<i64> {
    match &node.value {
        Value::Int(i) => Some(*i),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The policy the engine receives for this service's containers.
pub(crate) fn effective_restart<'a>(service: &Service<'a>) -> RestartPolicy<'a> {
    if let Some(policy) = service.get("deploy.restart_policy")
        && !policy.is_null()
    {
        let condition = policy.get("condition");
        let mode = match condition {
            Some(node) if is_operator_supplied(node) => RestartMode::Unknown,
            Some(node) => mode_of(node.scalar_text().unwrap_or_default().trim()),
            None => RestartMode::No,
        };
        return RestartPolicy {
            mode,
            max_attempts: policy.get("max_attempts").and_then(integer),
            source: RestartSource::Deploy { policy, condition },
        };
    }
    let Some(restart) = service.get("restart").filter(|n| !n.is_null()) else {
        return RestartPolicy {
            mode: RestartMode::No,
            max_attempts: None,
            source: RestartSource::Unset,
        };
    };
    let text = restart.scalar_text().unwrap_or_default();
    let (name, attempts) = match text.split_once(':') {
        // docker compose ignores a count it cannot read (`Atoi` error leaves 0).
        Some((name, count)) => (name, Some(count.trim().parse().unwrap_or(0))),
        None => (text.as_str(), None),
    };
    let mode = if is_operator_supplied(restart) {
        RestartMode::Unknown
    } else {
        mode_of(name.trim())
    };
    RestartPolicy {
        mode,
        max_attempts: attempts,
        source: RestartSource::Restart(restart),
    }
}

/// Another active service waits for this one with `condition: service_completed_successfully`.
pub(crate) fn awaited_to_complete(project: &Project, name: &str) -> bool {
    let Some(services) = project.model.get("services").and_then(Node::as_map) else {
        return false;
    };
    services.values().any(|other| {
        other
            .get("depends_on")
            .and_then(|deps| deps.get(name))
            .and_then(|dep| dep.get("condition"))
            .and_then(Node::as_str)
            == Some("service_completed_successfully")
    })
}

/// A one-shot job (a migration, a seeder): its effective policy is `no`, and either another
/// service waits for it to complete or `deploy.restart_policy.condition` is `none`. Rules
/// about long-running services leave these alone.
pub(crate) fn is_one_shot(project: &Project, service: &Service<'_>) -> bool {
    let policy = effective_restart(service);
    if policy.mode != RestartMode::No {
        return false;
    }
    let condition_none = matches!(
        policy.source,
        RestartSource::Deploy { condition: Some(c), .. } if c.as_str() == Some("none")
    );
    condition_none || awaited_to_complete(project, service.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_nodes::{map, text};

    fn policy_of(node: &Node) -> (RestartMode, Option<i64>) {
        let policy = effective_restart(&Service { name: "app", node });
        (policy.mode, policy.max_attempts)
    }

    #[test]
    fn restart_values_map_like_docker_compose() {
        let cases = [
            ("always", RestartMode::Always, None),
            ("unless-stopped", RestartMode::UnlessStopped, None),
            ("no", RestartMode::No, None),
            ("on-failure", RestartMode::OnFailure, None),
            ("on-failure:3", RestartMode::OnFailure, Some(3)),
            ("on-failure:x", RestartMode::OnFailure, Some(0)),
        ];
        for (value, mode, attempts) in cases {
            let node = map(&[("restart", text(value))]);
            assert_eq!(policy_of(&node), (mode, attempts), "{value}");
        }
        assert_eq!(policy_of(&map(&[])), (RestartMode::No, None));
    }

    #[test]
    fn deploy_policy_replaces_restart_even_without_condition() {
        let with_condition = map(&[
            ("restart", text("always")),
            (
                "deploy",
                map(&[(
                    "restart_policy",
                    map(&[
                        ("condition", text("on-failure")),
                        ("max_attempts", Node::synthetic(Value::Int(5))),
                    ]),
                )]),
            ),
        ]);
        assert_eq!(
            policy_of(&with_condition),
            (RestartMode::OnFailure, Some(5))
        );
        let without_condition = map(&[
            ("restart", text("always")),
            (
                "deploy",
                map(&[(
                    "restart_policy",
                    map(&[("max_attempts", Node::synthetic(Value::Int(3)))]),
                )]),
            ),
        ]);
        assert_eq!(policy_of(&without_condition), (RestartMode::No, Some(3)));
        let any = map(&[(
            "deploy",
            map(&[("restart_policy", map(&[("condition", text("any"))]))]),
        )]);
        assert_eq!(policy_of(&any), (RestartMode::Always, None));
    }

    #[test]
    fn an_operator_supplied_policy_is_unknown() {
        let mut restart = text("");
        restart.raw = Some("${RESTART}".into());
        let node = map(&[("restart", restart)]);
        assert_eq!(policy_of(&node).0, RestartMode::Unknown);
    }
}
