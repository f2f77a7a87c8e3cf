use crate::facts::limits::{Amount, memory_limit, show_bytes};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_compose::{Node, Value};

/// The share of the memory limit a heap may take before the rest of the process (metaspace,
/// thread stacks, native buffers) no longer fits.
const MAX_HEAP_SHARE: f64 = 0.9;

const JVM_OPTION_VARIABLES: &[&str] = &[
    "JAVA_OPTS",
    "JAVA_TOOL_OPTIONS",
    "ES_JAVA_OPTS",
    "_JAVA_OPTIONS",
];

declare_rule! {
    /// ## What it checks
    /// Fires when a JVM heap (`-Xmx`, `-XX:MaxRAM=` in `JAVA_OPTS`, `JAVA_TOOL_OPTIONS`,
    /// `ES_JAVA_OPTS`, `_JAVA_OPTIONS` or `command`) or a Node.js heap
    /// (`--max-old-space-size` in `NODE_OPTIONS` or `command`) is at least 90 % of the
    /// service's effective memory limit. Percentage settings (`-XX:MaxRAMPercentage`) scale
    /// with the limit and are exempt.
    ///
    /// ## Why it matters in production
    /// The heap is only part of the process: metaspace, thread stacks and native buffers come
    /// on top. A heap sized to the limit lets the kernel OOM-kill the container before the
    /// runtime's garbage collector ever feels pressure.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   search:
    ///     image: ghcr.io/acme/search:3.1.0
    ///     environment:
    ///       JAVA_OPTS: -Xms1g -Xmx2g
    ///     mem_limit: 2g
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   search:
    ///     image: ghcr.io/acme/search:3.1.0
    ///     environment:
    ///       JAVA_OPTS: -XX:MaxRAMPercentage=75
    ///     mem_limit: 2g
    /// ```
    ///
    /// ## Known false positives
    /// Heaps set in a file inside the image (`jvm.options`) are not seen, in either
    /// direction.
    ///
    /// ## References
    /// - JVM `-Xmx` and Node.js `--max-old-space-size` documentation
    pub(crate) struct HeapExceedsLimit {
        name: "heap-exceeds-limit",
        code: "SW108",
        area: Resources,
        severity: Medium,
        fix: Never,
        summary: "the runtime heap leaves no room under the memory limit",
    }
}

/// A JVM size: `2g`, `2048m`, `512K`, or bytes.
fn jvm_size(text: &str) -> Option<f64> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: f64 = digits.parse().ok()?;
    let factor = match unit {
        "" => 1.0,
        "k" | "K" => 1024.0,
        "m" | "M" => 1024.0 * 1024.0,
        "g" | "G" => 1024.0f64.powi(3),
        "t" | "T" => 1024.0f64.powi(4),
        _ => return None,
    };
    Some(number * factor)
}

/// The heap a set of options asks for, in bytes (the last flag wins, as in the JVM).
fn heap_in(options: &str) -> Option<f64> {
    let mut heap = None;
    for word in options.split_whitespace() {
        let word = word.trim_matches(|c| c == '"' || c == '\'');
        if let Some(size) = word
            .strip_prefix("-Xmx")
            .or_else(|| word.strip_prefix("-XX:MaxRAM="))
        {
            heap = jvm_size(size).or(heap);
        } else if let Some(megabytes) = word
            .strip_prefix("--max-old-space-size=")
            .or_else(|| word.strip_prefix("--max_old_space_size="))
        {
            heap = megabytes
                .parse::<f64>()
                .ok()
                .map(|mb| mb * 1024.0 * 1024.0)
                .or(heap);
        }
    }
    heap
}

fn joined(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(text) => Some(text.clone()),
        Value::Seq(items) => Some(
            items
                .iter()
                .filter_map(Node::scalar_text)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => None,
    }
}

impl Rule for HeapExceedsLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Amount::Set(limit_node, limit) = memory_limit(service) else {
            return;
        };
        let mut sources: Vec<(&Node, String)> = Vec::new();
        if let Some(environment) = service.get("environment").and_then(Node::as_map) {
            for (key, value) in environment {
                if JVM_OPTION_VARIABLES.contains(&key.as_str()) || key == "NODE_OPTIONS" {
                    sources.push((value, format!("`{key}`")));
                }
            }
        }
        if let Some(command) = service.get("command") {
            sources.push((command, "`command`".to_owned()));
        }
        for (node, source) in sources {
            let Some(heap) = joined(node).as_deref().and_then(heap_in) else {
                continue;
            };
            if heap < MAX_HEAP_SHARE * limit {
                continue;
            }
            cx.report(
                format!(
                    "service `{}` sets a {} heap in {source}, {:.0} % of its {} memory limit",
                    service.name,
                    show_bytes(heap),
                    heap / limit * 100.0,
                    show_bytes(limit)
                ),
                node.span,
                "heap too close to the limit",
            )
            .secondary(limit_node.span, "the memory limit")
            .help("keep the heap at about 75 % of the limit (`-XX:MaxRAMPercentage=75`), or raise the limit");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: f64 = 1024.0 * 1024.0;

    #[test]
    fn heap_flags_parse_with_jvm_units() {
        assert_eq!(heap_in("-Xms1g -Xmx2g"), Some(2048.0 * MIB));
        assert_eq!(heap_in("-Xmx2048m"), Some(2048.0 * MIB));
        assert_eq!(heap_in("-Xmx1073741824"), Some(1024.0 * MIB));
        assert_eq!(heap_in("-XX:MaxRAM=512M"), Some(512.0 * MIB));
        assert_eq!(heap_in("--max-old-space-size=1536"), Some(1536.0 * MIB));
        assert_eq!(heap_in("-Xmx1g -Xmx3g"), Some(3072.0 * MIB));
    }

    #[test]
    fn percentages_and_other_flags_set_no_heap() {
        assert_eq!(heap_in("-XX:MaxRAMPercentage=75"), None);
        assert_eq!(heap_in("-Xms2g -Dfoo=bar"), None);
        assert_eq!(heap_in("-Xmx2q"), None);
    }
}
