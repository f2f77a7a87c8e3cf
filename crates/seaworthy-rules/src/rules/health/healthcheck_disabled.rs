use crate::facts::health::{DisabledForm, Healthcheck, effective_healthcheck};
use crate::facts::restart::is_one_shot;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when a long-running service turns its healthcheck off: `disable: true` or
    /// `test: ["NONE"]`. It also fires on `test: NONE` written as a string: compose turns a
    /// string into `["CMD-SHELL", "NONE"]`, a shell command that does not exist, so the check
    /// is not off but fails forever and the container turns unhealthy. One-shot services are
    /// exempt.
    ///
    /// ## Why it matters in production
    /// Disabling a healthcheck also removes the one the image defines: nothing gates
    /// `depends_on`, and a hung process looks fine. compose-lint withdrew its version of this
    /// check as "no runtime delta"; for production readiness the lost gating is the delta.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     restart: unless-stopped
    ///     healthcheck:
    ///       disable: true
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     restart: unless-stopped
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U postgres"]
    /// ```
    ///
    /// ## Known false positives
    /// Images whose own `HEALTHCHECK` is wrong for this deployment, disabled on purpose:
    /// suppress the rule for that service with the reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.27
    pub(crate) struct HealthcheckDisabled {
        name: "healthcheck-disabled",
        code: "SW202",
        area: Health,
        severity: Medium,
        fix: Never,
        summary: "long-running service disables its healthcheck",
    }
}

impl Rule for HealthcheckDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Healthcheck::Disabled {
            span,
            form,
            overridden,
        } = effective_healthcheck(service, cx.builds)
        else {
            return;
        };
        if is_one_shot(cx.project, service) {
            return;
        }
        let name = service.name;
        let finding = match form {
            DisabledForm::ShellNone => cx
                .report(
                    format!(
                        "service `{name}` runs `NONE` as a shell command for its healthcheck, \
                         which always fails"
                    ),
                    span,
                    "a string test is a shell command, not the disable marker",
                )
                .help("write `test: [\"NONE\"]` or `disable: true` to turn the check off, or a real test"),
            DisabledForm::DockerfileNone => cx
                .report(
                    format!("service `{name}` builds an image whose Dockerfile disables the healthcheck"),
                    span,
                    "turns off the base image's healthcheck too",
                )
                .help(format!(
                    "replace `HEALTHCHECK NONE` with a working `HEALTHCHECK CMD`, or declare a `healthcheck.test` for `{name}` in compose"
                )),
            _ => cx
                .report(
                    format!("service `{name}` disables its healthcheck"),
                    span,
                    "turns off any image healthcheck too",
                )
                .help(format!("declare a working `healthcheck.test` for `{name}`")),
        };
        for earlier in overridden {
            finding.secondary(*earlier, "replaced by the later file");
        }
    }
}
