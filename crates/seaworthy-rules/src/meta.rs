//! What every rule declares about itself: its stable name and code, the area it belongs to,
//! how bad its findings are by default, whether seaworthy can fix it, and its documentation.

use seaworthy_source::Severity;

/// The catalog sections of `RULES.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    Resources,
    Health,
    Restart,
    Logging,
    Secrets,
    Network,
    Privileges,
    Mounts,
    Images,
    DevLeftovers,
    Correctness,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Resources => "resources",
            Area::Health => "health",
            Area::Restart => "restart",
            Area::Logging => "logging",
            Area::Secrets => "secrets",
            Area::Network => "network",
            Area::Privileges => "privileges",
            Area::Mounts => "mounts",
            Area::Images => "images",
            Area::DevLeftovers => "dev-leftovers",
            Area::Correctness => "correctness",
        }
    }
}

/// Whether `harden` can write the fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fix {
    Never,
    Sometimes,
    Always,
}

/// A rule's declaration, as `declare_rule!` writes it.
#[derive(Debug)]
pub struct RuleMeta {
    /// The id of the catalog (`memory-limit`); never changes once released.
    pub name: &'static str,
    /// A short stable code (`SW201`).
    pub code: &'static str,
    pub area: Area,
    pub severity: Severity,
    pub fix: Fix,
    /// One line, lowercase: what a finding means.
    pub summary: &'static str,
    /// The documentation (Markdown): What it checks, Why it matters in production, Example,
    /// Use instead, Known false positives, References.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The documentation as Markdown (doc comments keep the space after `///`).
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The YAML of the `## Example` block and of the `Use instead:` block.
    pub fn examples(&self) -> (Option<String>, Option<String>) {
        let docs = self.documentation();
        let block_after = |marker: &str| {
            let start = docs.find(marker)?;
            let rest = &docs[start..];
            let open = rest.find("```yaml\n")? + "```yaml\n".len();
            let close = rest[open..].find("```")?;
            Some(rest[open..open + close].to_owned())
        };
        (block_after("## Example"), block_after("Use instead:"))
    }
}
