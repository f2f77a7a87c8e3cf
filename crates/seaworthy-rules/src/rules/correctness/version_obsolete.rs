use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires on a top-level `version:` in any of the compose files. Docker compose ignores it
    /// and prints a warning on every command; the loader records that warning, and this rule
    /// reports it once per file, at the `version` key.
    ///
    /// ## Why it matters in production
    /// It is not a risk in itself, but it suggests the file was written for Compose v1 or
    /// Swarm semantics (where `deploy` and `version` meant something else), and the warning
    /// on every deploy trains people to ignore compose warnings.
    ///
    /// ## Example
    /// ```yaml
    /// version: "3.8"
    /// services:
    ///   web:
    ///     image: nginx:1.27.2
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27.2
    /// ```
    ///
    /// ## Known false positives
    /// Files also read by old tools that still require `version`.
    ///
    /// ## References
    /// - Compose specification, "Version top-level element (obsolete)"
    /// - dclint no-version-field
    pub(crate) struct VersionObsolete {
        name: "version-obsolete",
        code: "SW1305",
        area: Correctness,
        severity: Info,
        fix: Never,
        summary: "top-level `version` is obsolete and ignored",
    }
}

/// The loader's warning for an ignored `version`, as docker compose words it.
const OBSOLETE_VERSION: &str = "the attribute `version` is obsolete";

impl Rule for VersionObsolete {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        for warning in &project.warnings {
            if !warning.message.contains(OBSOLETE_VERSION) {
                continue;
            }
            let Some(label) = &warning.primary else {
                continue;
            };
            cx.report(
                "top-level `version` is obsolete and ignored by docker compose",
                label.span,
                "ignored",
            )
            .help("remove the `version:` line; compose always uses the latest specification");
        }
    }
}
