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
    Dockerfile,
    BuildContext,
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
            Area::Dockerfile => "dockerfile",
            Area::BuildContext => "build-context",
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

/// A code block of a rule's documentation that the tests run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub language: ExampleLanguage,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExampleLanguage {
    Compose,
    Dockerfile,
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

    /// The `## Example` block and the `Use instead:` block: each a compose file (`yaml`) or,
    /// for the Dockerfile rules, a Dockerfile (`dockerfile`).
    pub fn examples(&self) -> (Option<Example>, Option<Example>) {
        let docs = self.documentation();
        let block_after = |marker: &str| {
            let start = docs.find(marker)?;
            let rest = &docs[start..];
            let fence = rest.find("```")? + 3;
            let newline = rest[fence..].find('\n')? + fence;
            let language = rest[fence..newline].trim();
            let close = rest[newline + 1..].find("```")? + newline + 1;
            let language = match language {
                "yaml" => ExampleLanguage::Compose,
                "dockerfile" => ExampleLanguage::Dockerfile,
                _ => return None,
            };
            Some(Example {
                language,
                text: rest[newline + 1..close].to_owned(),
            })
        };
        (block_after("## Example"), block_after("Use instead:"))
    }
}
