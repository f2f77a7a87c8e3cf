use crate::facts::secrets::masked;
use crate::facts::tokens;
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::{Node, Project, Value};
use seaworthy_source::Severity;

declare_rule! {
    /// ## What it checks
    /// Fires on a credential whose format alone identifies it, anywhere in the merged compose
    /// model (raw text before interpolation, and the interpolated value): AWS access key ids
    /// (`AKIA…`, `ASIA…`), GitHub tokens (`ghp_`, `gho_`, `ghs_`, `github_pat_`), GitLab
    /// tokens (`glpat-`), Slack tokens (`xoxb-`…) and webhook URLs, Stripe live keys
    /// (`sk_live_`, `rk_live_`), Google API keys (`AIza…`) and private-key blocks
    /// (`-----BEGIN … PRIVATE KEY-----`). Certificates and public keys are not secrets. AWS's
    /// documented example key and key blocks with almost no body are test data, reported at
    /// low. env_files, Dockerfiles and build contexts are not read yet. The token is never
    /// printed.
    ///
    /// ## Why it matters in production
    /// These are live credentials to cloud accounts, source code and payment systems.
    /// Scanners harvest them from public repositories within minutes; once committed, rotate
    /// the credential: removing it from the file does not remove it from history.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   uploader:
    ///     image: ghcr.io/acme/uploader:1.0.3
    ///     environment:
    ///       GITHUB_AUTH: ghp_R8x2mK9qL4vN7pT1wZ5cB3dF6hJ0sY2uE8aQ
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   uploader:
    ///     image: ghcr.io/acme/uploader:1.0.3
    ///     environment:
    ///       GITHUB_AUTH: ${GITHUB_AUTH}
    /// ```
    ///
    /// ## Known false positives
    /// Deliberately fake tokens in documentation that match the real format exactly.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rule 12
    /// - KICS passwords_and_secrets regex rules
    pub(crate) struct KnownTokenPattern {
        name: "known-token-pattern",
        code: "SW506",
        area: Secrets,
        severity: Critical,
        fix: Never,
        summary: "a known credential format appears in the compose files",
    }
}

/// A step of the path to a value: a key, or an index in a sequence.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `services.api.environment.TOKEN`, `command[2]`.
fn dotted(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

type Found<'a> = (String, &'a Node, Vec<tokens::Token>);

/// Every string of the model that holds a token, with its path (built only for those).
fn walk<'a>(node: &'a Node, path: &mut Vec<Step<'a>>, out: &mut Vec<Found<'a>>) {
    if path.len() > 64 {
        return;
    }
    match &node.value {
        Value::Str(_) => {
            let mut found: Vec<tokens::Token> = Vec::new();
            for text in [node.raw.as_deref(), node.as_str()].into_iter().flatten() {
                for token in tokens::find(text) {
                    if !found.iter().any(|t| t.secret == token.secret) {
                        found.push(token);
                    }
                }
            }
            if !found.is_empty() {
                out.push((dotted(path), node, found));
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(item, path, out);
                path.pop();
            }
        }
        Value::Map(map) => {
            for (key, value) in map {
                path.push(Step::Key(key));
                walk(value, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

impl Rule for KnownTokenPattern {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        let mut strings = Vec::new();
        walk(&project.model, &mut Vec::new(), &mut strings);
        // a value shared through an anchor or `<<` sits in the model once per copy: report it
        // once, where it is written
        let mut reported: Vec<(seaworthy_source::Span, String)> = Vec::new();
        for (path, node, found) in strings {
            for token in found {
                if reported.contains(&(node.span, token.secret.clone())) {
                    continue;
                }
                reported.push((node.span, token.secret.clone()));
                let severity = if token.test_data {
                    Severity::Low
                } else {
                    Severity::Critical
                };
                cx.report_at(
                    severity,
                    format!("{} appears in `{path}`", token.kind),
                    node.span,
                    &format!("`{}`", masked(&token.secret)),
                )
                .help("revoke and rotate the credential, then pass it through a compose secret or a variable the operator sets; it stays in the history of every copy of this file")
                .redact(token.secret);
            }
        }
    }
}
