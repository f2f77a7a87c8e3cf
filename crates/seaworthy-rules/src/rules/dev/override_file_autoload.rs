use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::Project;
use seaworthy_source::Span;

/// The override files docker compose merges when it finds its files itself.
const OVERRIDE_FILES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

declare_rule! {
    /// ## What it checks
    /// Fires when an override file (`compose.override.yaml`, `docker-compose.override.yml`
    /// and their other spellings) sits beside the target's first compose file but is not one
    /// of the target's files. Reported once per target, at the top of the first file.
    ///
    /// ## Why it matters in production
    /// The target is checked as `docker compose -f base -f prod ...`, but a plain
    /// `docker compose up` in that directory (a person on the server, a script that forgot
    /// `-f`) loads the base file *and the override*, which usually holds development
    /// settings: source mounts, debug ports, `build:` instead of the released image.
    ///
    /// ## Example
    /// ```yaml
    /// # checked with -f compose.yaml; a plain `up` would add the override
    /// # beside it: compose.override.yaml = services: {api: {ports: ["9229:9229"]}}
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    /// ```
    /// Use instead: rename the override to `compose.dev.yaml` and use it explicitly
    /// (`-f compose.yaml -f compose.dev.yaml`), or set `COMPOSE_FILE` on the server.
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    /// ```
    ///
    /// ## Known false positives
    /// Servers where every command sets `COMPOSE_FILE` or `-f`. The override file is still
    /// one forgotten flag away.
    ///
    /// ## References
    /// - docker compose, "Merge Compose files" (default `compose.override.yaml`)
    /// - compose-lint ADR-025
    pub(crate) struct OverrideFileAutoload {
        name: "override-file-autoload",
        code: "SW1007",
        area: DevLeftovers,
        severity: Low,
        fix: Never,
        summary: "an override file that a plain `docker compose up` would merge",
    }
}

impl Rule for OverrideFileAutoload {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, project: &Project) {
        let Some(dir) = project.files.first().and_then(|f| f.parent()) else {
            return;
        };
        let Some(&base) = project.file_ids.first() else {
            return;
        };
        let Some(name) = OVERRIDE_FILES.iter().find(|name| {
            let path = dir.join(name);
            cx.fs.is_file(&path) && !project.files.contains(&path)
        }) else {
            return;
        };
        cx.report(
            format!("`{name}` is not part of this target, but a plain `docker compose up` here merges it"),
            Span::new(base, 0, 0),
            &format!("`docker compose up` here adds `{name}` to this file"),
        )
        .help(format!(
            "rename `{name}` (for example to `compose.dev.yaml`) and name it with `-f` where it is wanted, or delete it on the server"
        ));
    }
}
