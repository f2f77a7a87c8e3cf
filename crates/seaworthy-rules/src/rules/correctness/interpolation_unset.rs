use crate::facts::secrets::is_credential_key;
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::{Node, Project, Value};
use seaworthy_source::{Severity, Span};

declare_rule! {
    /// ## What it checks
    /// Fires on each use of a `${VAR}` or `$VAR` without a default or a `:?` guard whose
    /// variable has no value in the environment, `.env` or `--env-file`. Compose substitutes
    /// an empty string and only prints a warning. It is **high** when the empty value lands in
    /// a credential-shaped key, an `image:`, a port or a secret's `file:`, and **medium**
    /// otherwise. Uses in services left out by inactive profiles are not reported.
    ///
    /// ## Why it matters in production
    /// A variable that is set on a developer's machine and missing on the server deploys an
    /// empty password, an image without its tag, or a port that is not the intended one, and
    /// `docker compose up` goes ahead without an error.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:${API_VERSION}
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:${API_VERSION:-1.4.2}
    /// ```
    /// or set the variable in `.env` or the target's `--env-file`, or make it required with
    /// `${API_VERSION:?set API_VERSION to the release tag}` so a missing value stops the load.
    ///
    /// ## Known false positives
    /// A check run without the deployment's env file reports the variables that file would
    /// set: pass it with `--env-file` (or `env-files` of the target in `seaworthy.toml`).
    ///
    /// ## References
    /// - Compose specification, interpolation
    pub(crate) struct InterpolationUnset {
        name: "interpolation-unset",
        code: "SW1301",
        area: Correctness,
        severity: Medium,
        fix: Never,
        summary: "a variable is not set, so compose substitutes an empty string",
    }
}

impl Rule for InterpolationUnset {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        if project.unset_variables.is_empty() {
            return;
        }
        let mut places = Vec::new();
        let mut path = Vec::new();
        collect_scalars(&project.model, &mut path, &mut places);
        for unset in &project.unset_variables {
            // a use outside the active model (an inactive service, an `x-` anchor that was
            // only copied elsewhere) is reported where it lands, or not at all
            let Some((_, path)) = places.iter().find(|(span, _)| *span == unset.span) else {
                continue;
            };
            let severity = if is_critical_place(path) {
                Severity::High
            } else {
                Severity::Medium
            };
            let service = (path.first().map(String::as_str) == Some("services"))
                .then(|| path.get(1).cloned())
                .flatten();
            let finding = cx.report_at(
                severity,
                format!(
                    "`{}` is not set: compose puts an empty string into `{}`",
                    unset.name,
                    path.join(".")
                ),
                unset.span,
                "substituted with an empty string",
            );
            finding.help(format!(
                "set `{}` in `.env` or the target's env file, or write `${{{}:?message}}` so a missing value stops the deploy",
                unset.name, unset.name
            ));
            if let Some(service) = service {
                finding.service(&service);
            }
        }
    }
}

/// Where an empty value breaks the deployment rather than just a setting.
fn is_critical_place(path: &[String]) -> bool {
    let segments: Vec<&str> = path.iter().map(String::as_str).collect();
    match segments.as_slice() {
        ["services", _, "image"] => true,
        ["services", _, "ports", ..] => true,
        ["services", _, "environment" | "labels", key] => is_credential_key(key),
        ["services", _, "build", "args", key] => is_credential_key(key),
        ["secrets", _, "file"] => true,
        _ => false,
    }
}

fn collect_scalars(node: &Node, path: &mut Vec<String>, places: &mut Vec<(Span, Vec<String>)>) {
    match &node.value {
        Value::Map(map) => {
            for (key, child) in map {
                path.push(key.clone());
                collect_scalars(child, path, places);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                collect_scalars(item, path, places);
                path.pop();
            }
        }
        _ if node.raw.is_some() => places.push((node.span, path.clone())),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(dotted: &str) -> Vec<String> {
        dotted.split('.').map(str::to_owned).collect()
    }

    #[test]
    fn empty_images_ports_credentials_and_secret_files_are_high() {
        assert!(is_critical_place(&path("services.api.image")));
        assert!(is_critical_place(&path("services.api.ports.0.published")));
        assert!(is_critical_place(&path(
            "services.api.environment.DB_PASSWORD"
        )));
        assert!(is_critical_place(&path("secrets.db.file")));
        assert!(!is_critical_place(&path(
            "services.api.environment.LOG_FORMAT"
        )));
        assert!(!is_critical_place(&path("services.api.command.1")));
    }
}
