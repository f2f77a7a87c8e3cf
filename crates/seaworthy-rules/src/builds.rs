//! What the rules know about the services a target builds: the Dockerfile compose would use
//! (read once, parsed with the service's build arguments), the stage its `build.target`
//! selects, the ignore file BuildKit would read, and what the build context sends. Gathered
//! before the rules run, because Dockerfiles and ignore files must join the source map that
//! findings point into; each file and each context is read once per run, whatever the number
//! of services and targets that share it.

use crate::facts::tokens;
use rayon::prelude::*;
use seaworthy_build::context::{self, ContextScan, Exclusions, Limits, SendEverything};
use seaworthy_build::dockerfile::{ByteSpan, Dockerfile, DockerfileError};
use seaworthy_build::dockerignore::{DockerIgnore, IgnoreError, ignore_file_for};
use seaworthy_compose::{Node, Project, Value};
use seaworthy_source::{FileId, FileSystem, SourceMap, Span, lexical_clean};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The build facts of one target, by service name.
#[derive(Debug, Default)]
pub struct Builds {
    services: BTreeMap<String, ServiceBuild>,
}

impl Builds {
    /// No service builds (or the facts were not gathered).
    pub fn none() -> Builds {
        Builds::default()
    }

    /// The facts of a service that builds from a local context that exists.
    pub fn get(&self, service: &str) -> Option<&ServiceBuild> {
        self.services.get(service)
    }

    /// Every service that builds, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ServiceBuild)> {
        self.services
            .iter()
            .map(|(name, build)| (name.as_str(), build))
    }
}

#[derive(Debug)]
pub struct ServiceBuild {
    pub context: PathBuf,
    pub dockerfile: DockerfileFacts,
    pub ignore: Option<IgnoreFacts>,
    pub scan: Arc<ContextScan>,
}

#[derive(Debug)]
pub struct DockerfileFacts {
    /// The file, or `<context>/<service>.dockerfile_inline` for `build.dockerfile_inline`.
    pub path: PathBuf,
    /// Its text in the source map, when it could be read.
    pub file: Option<FileId>,
    pub parsed: Result<Dockerfile, DockerfileProblem>,
    /// The stage compose builds: `build.target`, or the last one. `None` when the target
    /// names no stage (or the Dockerfile did not parse).
    pub target: Option<usize>,
}

impl DockerfileFacts {
    /// A byte range of the Dockerfile as a span of the source map.
    pub fn span(&self, range: &ByteSpan) -> Span {
        match self.file {
            Some(file) => Span::new(file, range.start, range.end),
            None => Span::SYNTHETIC,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DockerfileProblem {
    Missing,
    Unreadable(String),
    Invalid(DockerfileError),
}

#[derive(Debug)]
pub struct IgnoreFacts {
    pub path: PathBuf,
    pub file: Option<FileId>,
    pub text: Arc<str>,
    pub parsed: Result<DockerIgnore, IgnoreError>,
}

impl ServiceBuild {
    /// Whether the context sends `path` (absolute) to the builder: it is inside the context
    /// and the ignore file does not leave it out (an ignore file docker cannot read leaves
    /// nothing out).
    pub fn sends(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.context) else {
            return false;
        };
        let relative = slash_path(relative);
        match self.ignore.as_ref().map(|i| &i.parsed) {
            Some(Ok(ignore)) => !ignore.is_excluded(&relative),
            _ => true,
        }
    }
}

impl IgnoreFacts {
    /// The span of a 1-based line of the ignore file (without its line break).
    pub fn line_span(&self, line: usize) -> Span {
        let Some(file) = self.file else {
            return Span::SYNTHETIC;
        };
        let mut start = 0;
        for (index, text) in self.text.split_inclusive('\n').enumerate() {
            if index + 1 == line {
                let trimmed = text.trim_end_matches(['\n', '\r']);
                return Span::new(file, start, start + trimmed.len());
            }
            start += text.len();
        }
        Span::new(file, 0, 0)
    }
}

/// Work shared by the targets of one run: file ids in the shared source map, and scans.
#[derive(Debug, Default)]
pub struct BuildCache {
    files: HashMap<PathBuf, Result<(FileId, Arc<str>), String>>,
    /// Dockerfiles parsed, by path and build arguments (which `FROM` and `ARG` expand).
    dockerfiles: HashMap<(PathBuf, BTreeMap<String, String>), Result<Dockerfile, DockerfileError>>,
    ignores: HashMap<PathBuf, Result<DockerIgnore, IgnoreError>>,
    scans: HashMap<ScanKey, Arc<ContextScan>>,
}

impl BuildCache {
    fn read(
        &mut self,
        fs: &dyn FileSystem,
        map: &mut SourceMap,
        path: &Path,
    ) -> Result<(FileId, Arc<str>), String> {
        self.files
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = fs.read_to_string(path).map_err(|e| e.to_string())?;
                let file = map.add(path, text.clone());
                Ok((file, Arc::from(text)))
            })
            .clone()
    }
}

/// Where a context scan is kept: the context and its ignore file.
type ScanKey = (PathBuf, Option<PathBuf>);

/// A service's facts before its context scan is known.
type Partial = (
    String,
    PathBuf,
    DockerfileFacts,
    Option<IgnoreFacts>,
    ScanKey,
);

/// One build context to walk, with the ignore rules and the files always sent.
struct ScanRequest {
    key: ScanKey,
    ignore: Option<DockerIgnore>,
    always_sent: Vec<String>,
}

/// Gathers the build facts of every active service of `project` that builds from a local
/// context that exists (remote and missing contexts have none: `build-context-missing`
/// reports the latter). Contexts not scanned yet are walked in parallel when there are many.
pub fn gather(
    project: &Project,
    fs: &dyn FileSystem,
    map: &mut SourceMap,
    cache: &mut BuildCache,
) -> Builds {
    let mut pending: Vec<ScanRequest> = Vec::new();
    let mut partial: Vec<Partial> = Vec::new();
    let services = project.model.get("services").and_then(Node::as_map);
    for (name, service) in services.into_iter().flatten() {
        let Some(build) = service.get("build") else {
            continue;
        };
        let Some(context) = build
            .get("context")
            .and_then(Node::as_str)
            .map(PathBuf::from)
        else {
            continue;
        };
        // The loader makes local contexts absolute and leaves remote ones as written.
        if !context.is_absolute() || !fs.metadata(&context).is_ok_and(|m| m.is_dir) {
            continue;
        }
        let (dockerfile, dockerfile_rel) = dockerfile_facts(name, build, &context, fs, map, cache);
        let ignore_path = ignore_file_for(fs, &context, Path::new(&dockerfile_rel));
        let ignore = ignore_path.as_ref().map(|path| {
            let (file, text, parsed) = match cache.read(fs, map, path) {
                Ok((file, text)) => {
                    let parsed = cache
                        .ignores
                        .entry(path.clone())
                        .or_insert_with(|| DockerIgnore::parse(&text))
                        .clone();
                    (Some(file), text, parsed)
                }
                Err(message) => (None, Arc::from(""), Err(IgnoreError { line: 0, message })),
            };
            IgnoreFacts {
                path: path.clone(),
                file,
                text,
                parsed,
            }
        });
        let key = (context.clone(), ignore_path.clone());
        if !cache.scans.contains_key(&key) && !pending.iter().any(|p| p.key == key) {
            let mut always_sent = vec![dockerfile_rel];
            if let Some(rel) = ignore_path
                .as_ref()
                .and_then(|p| p.strip_prefix(&context).ok())
            {
                always_sent.push(slash_path(rel));
            }
            pending.push(ScanRequest {
                key: key.clone(),
                ignore: ignore.as_ref().and_then(|i| i.parsed.clone().ok()),
                always_sent,
            });
        }
        partial.push((name.clone(), context, dockerfile, ignore, key));
    }
    let scan_one = |request: ScanRequest| {
        let exclusions: &dyn Exclusions = match &request.ignore {
            Some(ignore) => ignore,
            None => &SendEverything,
        };
        let scan = context::scan(
            fs,
            &request.key.0,
            exclusions,
            &request.always_sent,
            &token_in,
            Limits::default(),
        );
        (request.key, scan)
    };
    // Starting threads costs more than walking a few small contexts (a typical project).
    let scanned: Vec<(ScanKey, ContextScan)> = if pending.len() > 3 {
        pending.into_par_iter().map(scan_one).collect()
    } else {
        pending.into_iter().map(scan_one).collect()
    };
    for (key, scan) in scanned {
        cache.scans.insert(key, Arc::new(scan));
    }
    let mut builds = Builds::default();
    for (name, context, dockerfile, ignore, key) in partial {
        let Some(scan) = cache.scans.get(&key).cloned() else {
            continue;
        };
        builds.services.insert(
            name,
            ServiceBuild {
                context,
                dockerfile,
                ignore,
                scan,
            },
        );
    }
    builds
}

/// The Dockerfile of a build, and its path relative to the context (slash-separated).
fn dockerfile_facts(
    service: &str,
    build: &Node,
    context: &Path,
    fs: &dyn FileSystem,
    map: &mut SourceMap,
    cache: &mut BuildCache,
) -> (DockerfileFacts, String) {
    let args = build_args(build);
    let target = build.get("target").and_then(Node::as_str);
    let finish =
        |path: PathBuf, file: Option<FileId>, parsed: Result<Dockerfile, DockerfileProblem>| {
            let target = parsed.as_ref().ok().and_then(|d| d.target_stage(target));
            DockerfileFacts {
                path,
                file,
                parsed,
                target,
            }
        };
    if let Some(inline) = build
        .get("dockerfile_inline")
        .and_then(Node::as_str)
        .filter(|t| !t.is_empty())
    {
        let path = context.join(format!("{service}.dockerfile_inline"));
        let file = map.add(&path, inline.to_owned());
        let parsed =
            Dockerfile::parse_with_build_args(inline, &args).map_err(DockerfileProblem::Invalid);
        return (finish(path, Some(file), parsed), "Dockerfile".to_owned());
    }
    let written = build
        .get("dockerfile")
        .and_then(Node::as_str)
        .filter(|t| !t.is_empty())
        .unwrap_or("Dockerfile");
    let path = lexical_clean(&context.join(written));
    let relative = path
        .strip_prefix(context)
        .map(slash_path)
        .unwrap_or_else(|_| written.to_owned());
    if !fs.is_file(&path) {
        return (
            finish(path, None, Err(DockerfileProblem::Missing)),
            relative,
        );
    }
    let facts = match cache.read(fs, map, &path) {
        Ok((file, text)) => {
            let parsed = cache
                .dockerfiles
                .entry((path.clone(), args))
                .or_insert_with_key(|(_, args)| Dockerfile::parse_with_build_args(&text, args))
                .clone()
                .map_err(DockerfileProblem::Invalid);
            finish(path, Some(file), parsed)
        }
        Err(message) => finish(path, None, Err(DockerfileProblem::Unreadable(message))),
    };
    (facts, relative)
}

/// `build.args` with a value (an argument without one takes the builder's environment, which
/// seaworthy does not know).
fn build_args(build: &Node) -> BTreeMap<String, String> {
    build
        .get("args")
        .and_then(Node::as_map)
        .into_iter()
        .flatten()
        .filter(|(_, value)| !matches!(value.value, Value::Null))
        .filter_map(|(key, value)| Some((key.clone(), value.scalar_text()?)))
        .collect()
}

/// The kind of live credential a file's head holds (test data and examples do not count).
fn token_in(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    tokens::find(&text)
        .into_iter()
        .find(|t| !t.test_data)
        .map(|t| t.kind.to_owned())
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_compose::{LoadOptions, Sources, load};
    use seaworthy_source::{MapEnv, MemoryFs};

    const COMPOSE: &str = "services:
  api:
    build:
      context: ./backend
      target: runtime
      args:
        PYTHON: \"3.12\"
  worker:
    build: ./backend
  docs:
    build:
      context: .
      dockerfile_inline: |
        FROM nginx:1.27
  remote:
    build: https://github.com/acme/tool.git#v1
  missing:
    build: ./nowhere
";

    const DOCKERFILE: &str = "ARG PYTHON=3.11
FROM python:${PYTHON}-slim AS base
FROM base AS runtime
USER app
FROM base AS dev
";

    fn gathered() -> (Builds, BuildCache, SourceMap) {
        let fs = MemoryFs::new()
            .with("/p/compose.yaml", COMPOSE)
            .with("/p/backend/Dockerfile", DOCKERFILE)
            .with("/p/backend/.dockerignore", ".git\n*.pyc\n")
            .with("/p/backend/.env", "DB_PASSWORD=x\n")
            .with("/p/backend/app.py", "print()\n");
        let options = LoadOptions {
            cwd: "/p".into(),
            ..LoadOptions::default()
        };
        let mut sources = Sources::new();
        let project = load(&options, &fs, &MapEnv::new(), &mut sources).unwrap();
        let mut cache = BuildCache::default();
        let builds = gather(&project, &fs, &mut sources.map, &mut cache);
        (builds, cache, sources.map)
    }

    #[test]
    fn local_builds_have_their_dockerfile_stage_ignore_file_and_scan() {
        let (builds, _, map) = gathered();
        let api = builds.get("api").expect("api builds");
        let dockerfile = api.dockerfile.parsed.as_ref().unwrap();
        assert_eq!(api.dockerfile.target, Some(1));
        assert_eq!(
            dockerfile.stages[0].from.image.exact(),
            Some("python:3.12-slim"),
            "build args reach FROM"
        );
        let file = api.dockerfile.file.unwrap();
        assert_eq!(map.path(file), Some(Path::new("/p/backend/Dockerfile")));
        assert!(api.ignore.as_ref().unwrap().parsed.is_ok());
        let secrets: Vec<&str> = api.scan.secrets.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(secrets, [".env"]);
        // Without a target, the last stage.
        assert_eq!(builds.get("worker").unwrap().dockerfile.target, Some(2));
    }

    #[test]
    fn a_shared_context_is_read_and_scanned_once() {
        let (builds, cache, map) = gathered();
        let (api, worker) = (builds.get("api").unwrap(), builds.get("worker").unwrap());
        assert!(Arc::ptr_eq(&api.scan, &worker.scan));
        assert_eq!(api.dockerfile.file, worker.dockerfile.file);
        assert_eq!(cache.scans.len(), 2, "backend and the project root");
        let dockerfiles = map
            .files()
            .filter(|(_, f)| f.path.ends_with("Dockerfile"))
            .count();
        assert_eq!(dockerfiles, 1);
    }

    #[test]
    fn inline_dockerfiles_count_and_remote_or_missing_contexts_do_not() {
        let (builds, _, _) = gathered();
        let docs = builds.get("docs").unwrap();
        assert!(docs.dockerfile.path.ends_with("docs.dockerfile_inline"));
        assert_eq!(docs.dockerfile.target, Some(0));
        assert!(builds.get("remote").is_none());
        assert!(builds.get("missing").is_none());
    }
}
