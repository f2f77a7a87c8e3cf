//! Where a rule reports what it found. The context knows the rule and the target, so a rule
//! only says what is wrong, where, and what to do.

use crate::builds::Builds;
use crate::patch::Patch;
use crate::settings::HostProfile;
use crate::{Resource, ResourceKind, RuleMeta, Service};
use seaworthy_compose::{Node, Project};
use seaworthy_source::{Diagnostic, FileSystem, IgnoreCache, Severity, Span};

/// One finding of one rule in one target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    /// The service the finding is about, when it is about one.
    pub service: Option<String>,
    /// Why the user accepts it (`[[ignore]]` or `x-seaworthy.ignore`): still reported in machine
    /// formats, never counted against `--fail-on`.
    pub suppressed: Option<String>,
    /// What `harden` writes to fix it, when the rule knows.
    pub fixes: Vec<Patch>,
}

pub struct Context<'a> {
    pub(crate) meta: &'static RuleMeta,
    pub project: &'a Project,
    /// The project's files beyond the compose model (secret files, `.gitignore`, build
    /// contexts).
    pub fs: &'a dyn FileSystem,
    /// The host the target runs on, when the user said (`--host`, `x-seaworthy.host`).
    pub host: Option<HostProfile>,
    /// `--strict`: advisory rules judge every service.
    pub strict: bool,
    /// `--deploy-tree`: the files are the deployment, not a checkout.
    pub deploy_tree: bool,
    /// Dockerfiles and build contexts of the services that build.
    pub builds: &'a Builds,
    /// Whether findings should carry their fixes (`harden`).
    pub fixes: bool,
    /// The repository's ignore files, compiled once for every rule of the run.
    pub ignores: &'a IgnoreCache,
    pub(crate) findings: Vec<Finding>,
}

/// How a run sees the world besides the model: shared by every rule of one target.
#[derive(Clone, Copy)]
pub struct Surroundings<'a> {
    pub fs: &'a dyn FileSystem,
    pub host: Option<HostProfile>,
    pub strict: bool,
    pub deploy_tree: bool,
    pub builds: &'a Builds,
    pub fixes: bool,
    pub ignores: &'a IgnoreCache,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        meta: &'static RuleMeta,
        project: &'a Project,
        around: Surroundings<'a>,
    ) -> Self {
        Context {
            meta,
            project,
            fs: around.fs,
            host: around.host,
            strict: around.strict,
            deploy_tree: around.deploy_tree,
            builds: around.builds,
            fixes: around.fixes,
            ignores: around.ignores,
            findings: Vec::new(),
        }
    }

    /// The active services of the target, in model order.
    pub fn services(&self) -> Vec<Service<'a>> {
        services_of(self.project)
    }

    /// Starts a finding at the rule's default severity, pointing at `span`.
    pub fn report(&mut self, message: impl Into<String>, span: Span, label: &str) -> &mut Finding {
        self.report_at(self.meta.severity, message, span, label)
    }

    /// Starts a finding at an explicit severity (rules whose severity depends on the case).
    pub fn report_at(
        &mut self,
        severity: Severity,
        message: impl Into<String>,
        span: Span,
        label: &str,
    ) -> &mut Finding {
        let diagnostic =
            Diagnostic::new(self.meta.name, severity, message).with_primary(span, label);
        self.findings.push(Finding {
            diagnostic,
            service: None,
            suppressed: None,
            fixes: Vec::new(),
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Where a production fix belongs: the last overlay of the target, or a production
    /// overlay to create when the target is a single file.
    pub fn overlay_for_fixes(&self) -> String {
        let last = self.project.files.last().and_then(|f| f.file_name());
        match last {
            Some(name) if self.project.files.len() > 1 => {
                format!("`{}`", name.to_string_lossy())
            }
            _ => "a production overlay (for example `compose.prod.yaml`)".to_owned(),
        }
    }
}

impl Finding {
    pub fn service(&mut self, name: &str) -> &mut Self {
        self.service = Some(name.to_owned());
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.diagnostic.help = Some(help.into());
        self
    }

    pub fn secondary(&mut self, span: Span, label: impl Into<String>) -> &mut Self {
        if !span.is_synthetic() {
            self.diagnostic
                .secondary
                .push(seaworthy_source::Label::new(span, label));
        }
        self
    }

    /// The values of `patches`, when there are any.
    pub fn fix_all(&mut self, patches: impl IntoIterator<Item = Patch>) -> &mut Self {
        self.fixes.extend(patches);
        self
    }

    /// A value `harden` sets in the overlay to fix this finding.
    pub fn fix(&mut self, patch: Patch) -> &mut Self {
        self.fixes.push(patch);
        self
    }

    /// A value that must never be printed in any output.
    pub fn redact(&mut self, secret: impl Into<String>) -> &mut Self {
        self.diagnostic.redactions.push(secret.into());
        self
    }
}

pub(crate) fn resources_of(project: &Project) -> Vec<Resource<'_>> {
    ResourceKind::ALL
        .iter()
        .flat_map(|(kind, key)| {
            project
                .model
                .get(key)
                .and_then(Node::as_map)
                .into_iter()
                .flatten()
                .map(|(name, node)| Resource {
                    kind: *kind,
                    name,
                    node,
                })
        })
        .collect()
}

pub(crate) fn services_of(project: &Project) -> Vec<Service<'_>> {
    project
        .model
        .get("services")
        .and_then(Node::as_map)
        .map(|services| {
            services
                .iter()
                .map(|(name, node)| Service { name, node })
                .collect()
        })
        .unwrap_or_default()
}
