use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when `build.target` (after interpolation) names a development stage: `dev`,
    /// `devel`, `development`, `debug`, `test`, `testing` or `local`, or a name ending in
    /// `-dev`, `_dev` or `-debug` (`app-dev`, `web_dev`, `api-debug`). Dockerfile stage names
    /// are case-insensitive, so is the match. A target the operator supplies (`${TARGET}`)
    /// is quiet.
    ///
    /// ## Why it matters in production
    /// Development stages carry compilers, debuggers, test tools and dev dependencies, run
    /// watchers instead of the built artifact, and often as root: a larger attack surface
    /// and a slower, less predictable service than the production stage built from the same
    /// Dockerfile.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       target: dev
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       target: runtime
    /// ```
    ///
    /// ## Known false positives
    /// None known: a stage meant for production named `dev` is a naming problem worth
    /// fixing.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet (development leftovers, no specific rule)
    pub(crate) struct BuildTargetDev {
        name: "build-target-dev",
        code: "SW903",
        area: Images,
        severity: Medium,
        fix: Never,
        summary: "service builds a development stage",
    }
}

/// The stage name is a development or test stage.
fn is_dev_stage(target: &str) -> bool {
    let target = target.trim().to_ascii_lowercase();
    matches!(
        target.as_str(),
        "dev" | "devel" | "development" | "debug" | "test" | "testing" | "local"
    ) || target.ends_with("-dev")
        || target.ends_with("_dev")
        || target.ends_with("-debug")
}

impl Rule for BuildTargetDev {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(node) = service.get("build.target") else {
            return;
        };
        let Some(target) = node.scalar_text() else {
            return;
        };
        if crate::values::is_operator_supplied(node) || !is_dev_stage(&target) {
            return;
        }
        let overlay = cx.overlay_for_fixes();
        let finding = cx
            .report(
                format!(
                    "service `{}` builds the Dockerfile stage `{target}`",
                    service.name
                ),
                node.span,
                "development stage",
            )
            .help(format!(
                "build the production stage in {overlay} (`build.target: runtime`, or the last stage when `target` is removed)"
            ));
        for earlier in &node.overridden {
            finding.secondary(*earlier, "earlier target");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_stages_match_whole_names_and_suffixes() {
        for stage in [
            "dev",
            "Development",
            "test",
            "local",
            "app-dev",
            "web_dev",
            "api-debug",
        ] {
            assert!(is_dev_stage(stage), "{stage}");
        }
        for stage in [
            "runtime",
            "production",
            "prod",
            "devops",
            "latest-test",
            "debugger",
            "",
        ] {
            assert!(!is_dev_stage(stage), "{stage}");
        }
    }
}
