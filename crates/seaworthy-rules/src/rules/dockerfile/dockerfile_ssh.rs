use crate::facts::build_steps::{Once, images};
use crate::facts::packages::installed;
use crate::facts::shell::run_commands;
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_build::dockerfile::InstructionKind;
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires on `EXPOSE 22` (TCP, alone or in a range) and on a `RUN` that installs an SSH
    /// server (`openssh-server`, `dropbear`, `dropbear-bin`, or Alpine's `openssh`) with
    /// `apt-get`, `apt`, `apk`, `yum`, `dnf`, `microdnf` or `zypper`, in the image a service
    /// builds: the stage compose builds and the stages it is `FROM`. Builder stages the image
    /// only copies from, and SSH clients (`openssh-client`), do not count.
    ///
    /// ## Why it matters in production
    /// A container is not a host to log into: an SSH daemon is one more network service
    /// with credentials to manage, brute-force and patch, and it bypasses the audit trail
    /// of `docker exec`. Debug access belongs to the orchestrator.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-server \
    ///     && rm -rf /var/lib/apt/lists/*
    /// EXPOSE 22
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-client \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Known false positives
    /// Images whose purpose is to be an SSH endpoint (a bastion, a git server, an SFTP
    /// drop) fire by design: suppress the finding with the reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.7
    pub(crate) struct Ssh {
        name: "dockerfile-ssh",
        code: "SW1117",
        area: Dockerfile,
        severity: Low,
        fix: Never,
        summary: "the image runs or exposes an SSH server",
    }
}

const SSH_SERVERS: &[&str] = &["openssh-server", "dropbear", "dropbear-bin"];

impl Rule for Ssh {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let mut once = Once::default();
        for image in images(cx) {
            for instruction in image.instructions() {
                let message = match &instruction.kind {
                    InstructionKind::Expose(ports) => ports
                        .iter()
                        .any(|p| {
                            p.protocol == "tcp"
                                && p.range.is_some_and(|(lo, hi)| lo <= 22 && 22 <= hi)
                        })
                        .then(|| "the image exposes port 22 (SSH)".to_owned()),
                    InstructionKind::Run(run) => run_commands(run).iter().find_map(|command| {
                        let (manager, packages) = installed(command)?;
                        packages
                            .into_iter()
                            .find(|p| {
                                SSH_SERVERS.contains(p) || (manager == "apk" && *p == "openssh")
                            })
                            .map(|p| format!("`RUN` installs the SSH server `{p}`"))
                    }),
                    _ => None,
                };
                let Some(message) = message else {
                    continue;
                };
                if !once.first(&image, instruction) {
                    continue;
                }
                cx.report(
                    message,
                    image.span(&instruction.span),
                    "in the shipped image",
                )
                .service(image.service.name)
                .help(
                    "remove the SSH server and `EXPOSE 22`: use `docker exec` (or the \
                         orchestrator's exec) to reach a running container",
                );
            }
        }
    }
}
