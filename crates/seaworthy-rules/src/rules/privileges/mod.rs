//! Rules about privileges and kernel isolation (RULES.md section 7, CIS Docker Benchmark 5.x),
//! and the reading of `security_opt` and host namespaces that several of them share.
pub(crate) mod apparmor_unconfined;
pub(crate) mod cap_add_dangerous;
pub(crate) mod cap_drop_all;
pub(crate) mod cgroup_parent;
pub(crate) mod dangerous_device;
pub(crate) mod host_cgroupns;
pub(crate) mod host_ipc;
pub(crate) mod host_pid;
pub(crate) mod host_userns;
pub(crate) mod host_uts;
pub(crate) mod no_new_privileges;
pub(crate) mod no_privileged;
pub(crate) mod read_only_rootfs;
pub(crate) mod seccomp_unconfined;
pub(crate) mod selinux_disabled;
pub(crate) mod sysctls_host;
pub(crate) mod tmpfs_exec;
pub(crate) mod user_root;

use crate::values::is_operator_supplied;
use crate::{Context, Service};
use seaworthy_compose::Node;

/// One `security_opt` entry split as docker compose splits it before handing it to the
/// engine: at the first `=`, else at the first `:` (`label:type:spc_t` is `label` /
/// `type:spc_t`); a bare `no-new-privileges` has no value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SecurityOpt<'a> {
    pub node: &'a Node,
    pub key: &'a str,
    pub value: Option<&'a str>,
}

pub(crate) fn security_opts<'a>(service: &Service<'a>) -> Vec<SecurityOpt<'a>> {
    service
        .get("security_opt")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter(|node| !is_operator_supplied(node))
        .filter_map(|node| {
            let text = node.as_str()?.trim();
            let (key, value) = match text.split_once('=').or_else(|| text.split_once(':')) {
                Some((key, value)) => (key.trim(), Some(value.trim())),
                None => (text, None),
            };
            Some(SecurityOpt { node, key, value })
        })
        .collect()
}

/// Reports `key: host` (`pid`, `ipc`, `uts`, `userns_mode`, `cgroup`, `network_mode`).
pub(crate) fn report_host_mode(
    cx: &mut Context<'_>,
    service: &Service<'_>,
    key: &str,
    label: &str,
    help: &str,
) {
    let Some(node) = service.get(key) else {
        return;
    };
    if node.as_str().map(str::trim) != Some("host") {
        return;
    }
    cx.report(
        format!("service `{}` sets `{key}: host`", service.name),
        node.span,
        label,
    )
    .help(help.to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_compose::Value;

    #[test]
    fn security_opts_split_like_docker_compose() {
        let list = Node::synthetic(Value::Seq(
            [
                "no-new-privileges",
                "no-new-privileges:true",
                "label:type:spc_t",
                "seccomp=unconfined",
                "apparmor=docker-default",
            ]
            .into_iter()
            .map(|s| Node::synthetic(Value::Str(s.into())))
            .collect(),
        ));
        let mut map = seaworthy_compose::Map::default();
        map.insert("security_opt".into(), list);
        let node = Node::synthetic(Value::Map(map));
        let service = Service {
            name: "s",
            node: &node,
        };
        let parsed: Vec<(&str, Option<&str>)> = security_opts(&service)
            .iter()
            .map(|o| (o.key, o.value))
            .collect();
        assert_eq!(
            parsed,
            [
                ("no-new-privileges", None),
                ("no-new-privileges", Some("true")),
                ("label", Some("type:spc_t")),
                ("seccomp", Some("unconfined")),
                ("apparmor", Some("docker-default")),
            ]
        );
    }
}
