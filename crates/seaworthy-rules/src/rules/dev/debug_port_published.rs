use crate::facts::command::{command_nodes, split, words};
use crate::facts::ports::{HostAddress, bindings};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::Node;
use seaworthy_source::Severity;

/// Container ports of remote debuggers: Node inspector, debugpy, JDWP, delve, vsdbg.
const DEBUG_PORTS: &[(u32, &str)] = &[
    (9229, "the Node.js inspector"),
    (9230, "the Node.js inspector"),
    (5678, "debugpy"),
    (5005, "JDWP (Java debugger)"),
    (2345, "delve (Go debugger)"),
    (4024, "vsdbg (.NET debugger)"),
];

/// Xdebug's ports, which only mean a debugger when the service configures Xdebug.
const XDEBUG_PORTS: &[u32] = &[9003, 9000];

declare_rule! {
    /// ## What it checks
    /// Fires when a port of a remote debugger is published: container port 9229 or 9230
    /// (Node.js inspector), 5678 (debugpy), 5005 (JDWP), 2345 (delve), 4024 (vsdbg), and 9003
    /// or 9000 (Xdebug) when an `XDEBUG_*` variable is set. Bound to loopback it is still a
    /// development leftover, reported at medium. It also fires when `command`, `entrypoint` or
    /// an environment value opens a debugger on every interface of the container:
    /// `--inspect=0.0.0.0`, `--inspect-brk`, `-agentlib:jdwp=…address=*:…`,
    /// `debugpy --listen 0.0.0.0`. `expose:` publishes nothing and is not reported.
    ///
    /// ## Why it matters in production
    /// A debugger port is remote code execution by design: whoever reaches it can evaluate
    /// code in the process. Docker's published ports bypass UFW and firewalld, and
    /// `--inspect-brk` also stops the service until a debugger attaches.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     ports:
    ///       - "9229:9229"
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     ports:
    ///       - "8080:8080"
    /// ```
    ///
    /// ## Known false positives
    /// An application that happens to serve on one of these ports (5005 and 9000 are common):
    /// suppress it for that service with the reason.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 5a
    /// - CIS Docker Benchmark v1.6.0, 5.9 (only needed ports)
    pub(crate) struct DebugPortPublished {
        name: "debug-port-published",
        code: "SW1004",
        area: DevLeftovers,
        severity: High,
        fix: Never,
        summary: "debugger port is published or listens on every interface",
    }
}

/// The debugger flag in `words` that listens on every interface, if any.
pub(crate) fn debugger_flag(words: &[String]) -> Option<String> {
    let everywhere = |addr: &str| {
        let addr = addr.trim_start_matches('[');
        addr.starts_with("0.0.0.0") || addr.starts_with("*:") || addr.starts_with("::]")
    };
    for (i, word) in words.iter().enumerate() {
        if word.starts_with("--inspect-brk") {
            return Some("--inspect-brk".to_owned());
        }
        if let Some(addr) = word.strip_prefix("--inspect=")
            && everywhere(addr)
        {
            return Some(word.clone());
        }
        if let Some(options) = word.strip_prefix("-agentlib:jdwp=")
            && options
                .split(',')
                .filter_map(|o| o.strip_prefix("address="))
                .any(everywhere)
        {
            return Some("-agentlib:jdwp".to_owned());
        }
        if word == "--listen"
            && words[..i].iter().any(|w| w.contains("debugpy"))
            && words.get(i + 1).is_some_and(|a| everywhere(a))
        {
            return Some("debugpy --listen 0.0.0.0".to_owned());
        }
    }
    None
}

/// Where debugger flags can be: the command, the entrypoint and every environment value.
fn flag_sources<'a>(service: &Service<'a>) -> Vec<(&'a Node, Vec<String>)> {
    let mut sources: Vec<(&Node, Vec<String>)> = command_nodes(service)
        .into_iter()
        .map(|(_, node)| (node, words(node)))
        .collect();
    if let Some(environment) = service.get("environment").and_then(Node::as_map) {
        for value in environment.values() {
            if let Some(text) = value.scalar_text() {
                sources.push((value, split(&text)));
            }
        }
    }
    sources
}

impl Rule for DebugPortPublished {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let xdebug = service
            .get("environment")
            .and_then(Node::as_map)
            .is_some_and(|env| env.keys().any(|k| k.starts_with("XDEBUG_")));
        for binding in bindings(service) {
            let Some(target) = binding.target else {
                continue;
            };
            let debugger = DEBUG_PORTS
                .iter()
                .find(|(port, _)| *port == target)
                .map(|(_, name)| *name)
                .or_else(|| (xdebug && XDEBUG_PORTS.contains(&target)).then_some("Xdebug"));
            let Some(debugger) = debugger else {
                continue;
            };
            if binding.operator_supplied() {
                continue;
            }
            let (severity, where_) = match binding.address() {
                HostAddress::Loopback => (Severity::Medium, "on loopback"),
                HostAddress::Explicit => (Severity::High, "on a host address"),
                HostAddress::Wildcard => (Severity::High, "on all interfaces"),
            };
            cx.report_at(
                severity,
                format!(
                    "service `{}` publishes port {target} of {debugger} {where_}",
                    service.name
                ),
                binding.span_node().span,
                &format!("{} -> {target}", binding.host_text()),
            )
            .help("remove the debugger port from the production combination; attach debuggers through an SSH tunnel to a development host instead");
        }
        for (node, words) in flag_sources(service) {
            if let Some(flag) = debugger_flag(&words) {
                cx.report(
                    format!(
                        "service `{}` starts a debugger that listens on every interface (`{flag}`)",
                        service.name
                    ),
                    node.span,
                    "remote debugger enabled",
                )
                .help("remove the debugger flag from the production combination");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(line: &str) -> Option<String> {
        debugger_flag(&split(line))
    }

    #[test]
    fn debugger_flags_on_every_interface() {
        assert!(flag("node --inspect=0.0.0.0:9229 server.js").is_some());
        assert!(flag("node --inspect-brk server.js").is_some());
        assert!(
            flag("java -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005 -jar app.jar")
                .is_some()
        );
        assert!(flag("python -m debugpy --listen 0.0.0.0:5678 app.py").is_some());
        assert_eq!(flag("node --inspect server.js"), None);
        assert_eq!(flag("node --inspect=127.0.0.1:9229 server.js"), None);
        assert_eq!(
            flag("python -m debugpy --listen localhost:5678 app.py"),
            None
        );
    }
}
