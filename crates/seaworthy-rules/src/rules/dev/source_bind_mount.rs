use crate::facts::built::built;
use crate::facts::mounts::{bind_mounts, is_same_or_under};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};
use seaworthy_source::{FileSystem, WorkTree};
use std::path::Path;

/// Files that mark a directory as source code.
const SOURCE_MARKERS: [&str; 7] = [
    "package.json",
    "go.mod",
    "pyproject.toml",
    "Gemfile",
    "pom.xml",
    "Cargo.toml",
    "src",
];

/// Directory names that hold what a service writes, not its code.
const DATA_DIRS: [&str; 4] = ["data", "uploads", "backups", "certs"];

declare_rule! {
    /// ## What it checks
    /// Fires when a service that builds its image bind-mounts its own source over the image's
    /// code: the source is the service's build context, a parent of it, or a directory under
    /// it that holds source markers (`package.json`, `go.mod`, `pyproject.toml`, `Gemfile`,
    /// `pom.xml`, `Cargo.toml`, `src/`), and the target is the `WORKDIR` of the Dockerfile
    /// stage compose builds, or a path under it (a `src` directory under the context counts
    /// as source too). It is judged on the merged model, so an
    /// overlay that resets `volumes` or mounts something else at the same target clears it.
    ///
    /// Exempt: single files mounted read-only (configuration); directories named `data`,
    /// `uploads`, `backups` or `certs`; sources outside the project (its git repository, or
    /// the project directory outside one); services whose
    /// Dockerfile sets no `WORKDIR` (where the code lives is then unknown).
    ///
    /// ## Why it matters in production
    /// The live-reload mount of development replaces the code the image was built and tested
    /// with by whatever is checked out on the server, with its development dependencies and
    /// uncommitted changes; a deploy of a new image changes nothing the container runs.
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: pyproject.toml = [project]
    /// services:
    ///   api:
    ///     build:
    ///       context: .
    ///       dockerfile_inline: |
    ///         FROM python:3.12-slim
    ///         WORKDIR /app
    ///         COPY . .
    ///     volumes:
    ///       - .:/app
    /// ```
    /// Use instead: in the production overlay, `volumes: !reset []` (or only the data volume).
    /// ```yaml
    /// # beside it: pyproject.toml = [project]
    /// services:
    ///   api:
    ///     build:
    ///       context: .
    ///       dockerfile_inline: |
    ///         FROM python:3.12-slim
    ///         WORKDIR /app
    ///         COPY . .
    ///     volumes:
    ///       - ./data:/app/data
    /// ```
    ///
    /// ## Known false positives
    /// Images built to run mounted code on purpose (an interpreter image for scripts that
    /// change without a rebuild): ignore the rule for the service with a reason.
    ///
    /// ## References
    /// - Compose specification, services `volumes`; merge: `!reset`, same-`target` entries
    pub(crate) struct SourceBindMount {
        name: "source-bind-mount",
        code: "SW1008",
        area: DevLeftovers,
        severity: Medium,
        fix: Never,
        summary: "the service's source is mounted over the code of its image",
    }
}

impl Rule for SourceBindMount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(built) = built(cx.builds, service) else {
            return;
        };
        let Some(workdir) = built
            .dockerfile
            .workdir(built.target)
            .and_then(|w| w.value.resolved.clone())
        else {
            return;
        };
        let context = &built.build.context;
        // The project: its repository when it is in one (a context and the compose files
        // often sit side by side, `docker/` and `backend/`), else the project directory.
        let project_root = WorkTree::containing(cx.fs, &cx.project.working_dir).map_or_else(
            || cx.project.working_dir.clone(),
            |t| t.root().to_path_buf(),
        );
        for mount in bind_mounts(service) {
            let source = Path::new(&mount.source);
            if !source.starts_with(&project_root)
                || !is_same_or_under(mount.target, &workdir)
                || source
                    .file_name()
                    .is_some_and(|n| DATA_DIRS.contains(&n.to_string_lossy().as_ref()))
            {
                continue;
            }
            let is_dir = cx.fs.metadata(source).is_ok_and(|m| m.is_dir);
            if !is_dir && mount.read_only {
                continue;
            }
            let is_code = context.starts_with(source)
                || (source.starts_with(context) && (!is_dir || has_source_markers(cx.fs, source)));
            if !is_code {
                continue;
            }
            let overlay = cx.overlay_for_fixes();
            cx.report(
                format!(
                    "service `{}` mounts its source over `{}`, where its image keeps the code it was built with",
                    service.name, mount.target
                ),
                mount.entry.span,
                "a development mount",
            )
            .help(format!(
                "remove the mount in {overlay} (`volumes: !reset []`, or list only the data volumes)"
            ));
        }
    }
}

/// A directory of code: it holds a source marker, or is itself a `src` directory.
fn has_source_markers(fs: &dyn FileSystem, dir: &Path) -> bool {
    dir.file_name().is_some_and(|n| n == "src")
        || SOURCE_MARKERS
            .iter()
            .any(|marker| fs.exists(&dir.join(marker)))
}
