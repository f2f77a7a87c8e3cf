use crate::facts::build_steps::{Once, images};
use crate::facts::shell::{base_name, is_assignment, run_commands};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_build::dockerfile::InstructionKind;
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires on a `RUN` of the image a service builds (the stage compose builds and the
    /// stages it is `FROM`) that runs a command through `sudo`, including inside
    /// `sh -c '…'`. Installing the `sudo` package or mentioning it in an argument does not
    /// count.
    ///
    /// ## Why it matters in production
    /// A build step already runs as the stage's `USER`; `sudo` in a Dockerfile means the
    /// image ships a setuid-root binary and a sudoers rule that let the runtime user become
    /// root again, undoing the point of a non-root `USER`. Its TTY and PAM behaviour also
    /// make builds fail in surprising ways.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// USER app
    /// RUN sudo mkdir -p /srv/app
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN mkdir -p /srv/app && chown app /srv/app
    /// USER app
    /// ```
    ///
    /// ## Known false positives
    /// None known: switch with `USER root` for the steps that need it.
    ///
    /// ## References
    /// - hadolint DL3004
    pub(crate) struct Sudo {
        name: "dockerfile-sudo",
        code: "SW1113",
        area: Dockerfile,
        severity: Low,
        fix: Never,
        summary: "a build step runs a command with sudo",
    }
}

impl Rule for Sudo {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let mut once = Once::default();
        for image in images(cx) {
            for instruction in image.instructions() {
                let InstructionKind::Run(run) = &instruction.kind else {
                    continue;
                };
                if !once.first(&image, instruction) {
                    continue;
                }
                let uses_sudo = run_commands(run).iter().any(|command| {
                    match command.launch() {
                        Some(launch) => launch.wrappers.contains(&"sudo"),
                        // `sudo -v` and the like: nothing runs after the options.
                        None => command
                            .words
                            .iter()
                            .find(|w| !is_assignment(w))
                            .is_some_and(|w| base_name(w) == "sudo"),
                    }
                });
                if uses_sudo {
                    cx.report(
                        "`RUN` uses `sudo`",
                        image.span(&instruction.span),
                        "this `RUN`",
                    )
                    .service(image.service.name)
                    .help(
                        "drop `sudo`: put `USER root` before the steps that need root and switch \
                         back to the runtime user after them, and do not install sudo in the image",
                    );
                }
            }
        }
    }
}
