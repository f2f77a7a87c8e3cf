//! The loading pipeline, in docker compose's order (spec §1): for each file and each document,
//! parse, interpolate, `extends`, `!reset`/`!override`, `include`, merge, uniqueness, schema
//! validation and canonical form; then defaults, path resolution, normalization, profiles and
//! consistency checks. The result is a [`Project`] whose every value keeps its span.

use crate::error::LoadError;
use crate::interpolate_dict::{UnsetVariable, interpolate_document};
use crate::merge::{enforce_unicity, merge_documents};
use crate::node::{Map, Node, Value};
use crate::options::{Environment, LoadOptions, Resolved, normalize_project_name, resolve};
use crate::repeats::{self, RepeatedValue};
use crate::reset::ResetPaths;
use crate::{finish, include, normalize, paths, schema, transform, yaml};
use rayon::prelude::*;
use seaworthy_source::{Diagnostic, Env, FileId, FileSystem, Severity, SourceMap, Span};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A loaded project: the model as `docker compose config` would print it, with provenance.
#[derive(Debug)]
pub struct Project {
    pub name: String,
    pub working_dir: PathBuf,
    /// The compose files, in the order they were merged.
    pub files: Vec<PathBuf>,
    /// Their ids in the source map, in the same order.
    pub file_ids: Vec<FileId>,
    /// The merged, normalized model (`name`, `services`, `networks`, ...), pruned to the active
    /// services as `config` prints it.
    pub model: Node,
    pub environment: Environment,
    /// Every profile named by any service, sorted.
    pub all_profiles: Vec<String>,
    /// Services left out because their profiles are not active.
    pub disabled_services: Vec<String>,
    /// Every use of a variable that is not set (compose substitutes an empty string), with
    /// the span of the value it is in.
    pub unset_variables: Vec<UnsetVariable>,
    /// Overlay values that set exactly what the earlier files had set (noise).
    pub repeated_values: Vec<RepeatedValue>,
    /// Every env file read: the project's (`.env`, `--env-file`) and the services' `env_file`s,
    /// each once, in the order they were read.
    pub env_files: Vec<EnvFile>,
    /// What docker compose would refuse, recorded instead when `LoadOptions::keep_going` is
    /// set; each carries the name of the rule that reports it as its code.
    pub problems: Vec<Diagnostic>,
    /// Warnings docker compose would print (unset variables, obsolete `version`, ...).
    pub warnings: Vec<Diagnostic>,
}

/// An env file the project read, with its text (it is in the source map as `file`).
#[derive(Clone, Debug)]
pub struct EnvFile {
    pub path: PathBuf,
    pub file: FileId,
    pub text: String,
    /// Read for interpolation (`.env`, `--env-file`) rather than by a service's `env_file`.
    pub for_interpolation: bool,
}

/// What a file load may skip (compose-go's loader options for `extends: file:` and `include`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stages {
    pub interpolate: bool,
    pub extends: bool,
    pub include: bool,
    pub validation: bool,
    pub resolve_paths: bool,
    pub defaults: bool,
}

impl Stages {
    pub(crate) const FULL: Stages = Stages {
        interpolate: true,
        extends: true,
        include: true,
        validation: true,
        resolve_paths: true,
        defaults: true,
    };
}

/// Parsed documents of every file read, so a file shared by several loads is parsed once.
#[derive(Default, Debug)]
pub struct Sources {
    pub map: SourceMap,
    parsed: HashMap<PathBuf, (FileId, Result<Vec<Node>, yaml::YamlError>)>,
    /// The model after the first files of a load, for a later load that starts with the same
    /// files in the same environment (targets share the base and production files).
    prefixes: Vec<Prefix>,
    /// The files of the loads announced with [`Sources::expect`] and not done yet.
    expected: Vec<Vec<PathBuf>>,
}

/// The model merged from the first files of a load, and what reading them added to the load.
/// Every step up to the merge of a file depends only on what the key holds (and on the files,
/// which do not change during a run), so a load that starts the same way starts from here.
#[derive(Debug)]
struct Prefix {
    files: Vec<PathBuf>,
    working_dir: PathBuf,
    environment: Environment,
    home: Option<PathBuf>,
    stages: Stages,
    dict: Node,
    effects: Effects,
}

/// What processing files adds to a load's [`Context`].
#[derive(Clone, Debug, Default)]
struct Effects {
    warnings: Vec<Diagnostic>,
    unset: Vec<UnsetVariable>,
    unset_uses: Vec<UnsetVariable>,
    env_files: Vec<EnvFile>,
    repeated: Vec<RepeatedValue>,
}

impl Effects {
    /// What `cx` gained since it held `before` warnings, unset variables, uses and env files.
    fn since(cx: &Context<'_>, before: [usize; 5]) -> Effects {
        Effects {
            warnings: cx.warnings[before[0]..].to_vec(),
            unset: cx.unset[before[1]..].to_vec(),
            unset_uses: cx.unset_uses[before[2]..].to_vec(),
            env_files: cx.env_files[before[3]..].to_vec(),
            repeated: cx.repeated[before[4]..].to_vec(),
        }
    }

    /// Applies them to `cx` as processing the files would have, duplicates left out.
    fn replay(&self, cx: &mut Context<'_>) {
        cx.warnings.extend(self.warnings.iter().cloned());
        for unset in &self.unset {
            if !cx.unset.iter().any(|u| u.name == unset.name) {
                cx.unset.push(unset.clone());
            }
        }
        cx.unset_uses.extend(self.unset_uses.iter().cloned());
        cx.repeated.extend(self.repeated.iter().cloned());
        for file in &self.env_files {
            if !cx.env_files.iter().any(|f| f.path == file.path) {
                cx.env_files.push(file.clone());
            }
        }
    }
}

impl Sources {
    pub fn new() -> Self {
        Sources::default()
    }

    /// The documents of a file, parsed on first use, as a copy the pipeline may change.
    pub(crate) fn documents(
        &mut self,
        path: &Path,
        fs: &dyn FileSystem,
    ) -> Result<(FileId, Vec<Node>), LoadError> {
        let (id, documents) = self.parsed(path, fs)?;
        Ok((id, documents.to_vec()))
    }

    /// The documents of a file, parsed on first use, borrowed from the cache.
    pub(crate) fn parsed(
        &mut self,
        path: &Path,
        fs: &dyn FileSystem,
    ) -> Result<(FileId, &[Node]), LoadError> {
        if !self.parsed.contains_key(path) {
            let text = fs.read_to_string(path).map_err(|e| read_error(path, &e))?;
            self.insert(path, text);
        }
        self.cached(path)
    }

    /// Registers content that did not come from the file system (standard input).
    pub(crate) fn insert(&mut self, path: &Path, text: String) {
        let parsed = yaml::parse_documents(&text, FileId(self.map.files().count() as u32));
        let id = self.map.add(path, text);
        self.parsed.insert(path.to_path_buf(), (id, parsed));
    }

    /// Announces a load through these sources. A load keeps the model of its first files (all
    /// but the last) only when an announced load starts with the same files, and the last load
    /// that can use it takes it instead of copying it. A load that would fail is not awaited.
    pub fn expect(&mut self, options: &LoadOptions, fs: &dyn FileSystem, env: &dyn Env) {
        if let Ok(resolved) = resolve(options, fs, env) {
            self.expected.push(resolved.files);
        }
    }

    /// Reads and parses the compose files of the announced loads that are not parsed yet, on
    /// every core. Files join the source map in the loads' order, so ids do not depend on
    /// the threads. A file that cannot be read is left for its load to report.
    pub fn prefetch(&mut self, fs: &dyn FileSystem) {
        let mut paths: Vec<&PathBuf> = Vec::new();
        for path in self.expected.iter().flatten() {
            if path.as_os_str() != "-" && !self.parsed.contains_key(path) && !paths.contains(&path)
            {
                paths.push(path);
            }
        }
        let first = self.map.files().count();
        let texts: Vec<(PathBuf, String)> = paths
            .into_iter()
            .filter_map(|path| Some((path.clone(), fs.read_to_string(path).ok()?)))
            .collect();
        let parsed: Vec<_> = texts
            .par_iter()
            .enumerate()
            .map(|(index, (_, text))| yaml::parse_documents(text, FileId((first + index) as u32)))
            .collect();
        for ((path, text), parsed) in texts.into_iter().zip(parsed) {
            let id = self.map.add(&path, text);
            self.parsed.insert(path, (id, parsed));
        }
    }

    /// Marks a load as started.
    fn started(&mut self, files: &[PathBuf]) {
        if let Some(index) = self.expected.iter().position(|e| e == files) {
            self.expected.swap_remove(index);
        }
    }

    fn awaited(&self, first_files: &[PathBuf]) -> bool {
        self.expected.iter().any(|e| e.starts_with(first_files))
    }

    /// The model of the longest list of first files already merged in the same environment,
    /// with what merging them added to the load.
    fn take_prefix(
        &mut self,
        files: &[PathBuf],
        working_dir: &Path,
        environment: &Environment,
        home: Option<&Path>,
        stages: Stages,
    ) -> Option<(Node, Effects, usize)> {
        let (index, _) = self
            .prefixes
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                files.starts_with(&p.files)
                    && p.stages == stages
                    && p.working_dir == working_dir
                    && p.home.as_deref() == home
                    && p.environment == *environment
            })
            .max_by_key(|(_, p)| p.files.len())?;
        if self.awaited(&self.prefixes[index].files) {
            let prefix = &self.prefixes[index];
            return Some((
                prefix.dict.clone(),
                prefix.effects.clone(),
                prefix.files.len(),
            ));
        }
        let prefix = self.prefixes.swap_remove(index);
        Some((prefix.dict, prefix.effects, prefix.files.len()))
    }

    fn cached(&self, path: &Path) -> Result<(FileId, &[Node]), LoadError> {
        let Some((id, parsed)) = self.parsed.get(path) else {
            return Err(LoadError::new(format!("{} was not read", path.display())));
        };
        match parsed {
            Ok(docs) => Ok((*id, docs)),
            Err(e) => Err(LoadError::at(
                format!("failed to parse {}: {}", path.display(), e.message),
                e.span,
            )
            .with_code("yaml-syntax")),
        }
    }
}

fn read_error(path: &Path, error: &std::io::Error) -> LoadError {
    let reason = match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    };
    LoadError::new(format!("open {}: {reason}", path.display()))
        .with_code("unreadable-file")
        .with_help("check the path and that the file is readable")
}

/// Everything one load needs to reach: files, environment and the warnings it collects.
pub(crate) struct Context<'a> {
    pub fs: &'a dyn FileSystem,
    pub sources: &'a mut Sources,
    pub home: Option<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    pub unset: Vec<UnsetVariable>,
    /// Every use of an unset variable, in every file read.
    pub unset_uses: Vec<UnsetVariable>,
    pub env_files: Vec<EnvFile>,
    /// Overlay values identical to what the earlier files set (top-level loads only).
    pub repeated: Vec<RepeatedValue>,
}

impl Context<'_> {
    /// Puts an env file in the source map (once per path) and returns its id.
    pub(crate) fn env_file_read(
        &mut self,
        path: &Path,
        text: String,
        for_interpolation: bool,
    ) -> FileId {
        if let Some(known) = self.env_files.iter().find(|f| f.path == path) {
            return known.file;
        }
        let file = self.sources.map.add(path, text.clone());
        self.env_files.push(EnvFile {
            path: path.to_path_buf(),
            file,
            text,
            for_interpolation,
        });
        file
    }

    pub(crate) fn warn(&mut self, message: String, span: Span) {
        let mut diagnostic = Diagnostic::new("warning", Severity::Low, message);
        diagnostic = diagnostic.with_primary(span, "");
        self.warnings.push(diagnostic);
    }
}

/// Loads a project as `docker compose config` would.
pub fn load(
    options: &LoadOptions,
    fs: &dyn FileSystem,
    env: &dyn Env,
    sources: &mut Sources,
) -> Result<Project, LoadError> {
    let resolved = resolve(options, fs, env)?;
    let home = env.get("HOME").map(PathBuf::from);
    let mut cx = Context {
        fs,
        sources,
        home,
        warnings: Vec::new(),
        unset: Vec::new(),
        unset_uses: Vec::new(),
        env_files: Vec::new(),
        repeated: Vec::new(),
    };
    load_resolved(&mut cx, options, resolved)
}

fn load_resolved(
    cx: &mut Context<'_>,
    options: &LoadOptions,
    mut resolved: Resolved,
) -> Result<Project, LoadError> {
    let mut file_ids = Vec::with_capacity(resolved.files.len());
    for file in &resolved.files {
        if file.as_os_str() == "-" {
            let text = options.stdin.clone().unwrap_or_default();
            cx.sources.insert(file, text);
        }
        file_ids.push(cx.sources.parsed(file, cx.fs)?.0);
    }
    for path in &resolved.env_files {
        // `resolve` read them already; a failure here only loses the file's own findings.
        if let Ok(text) = cx.fs.read_to_string(path) {
            cx.env_file_read(path, text, true);
        }
    }
    let name = project_name(cx, &resolved, options)?;
    resolved.environment.set("COMPOSE_PROJECT_NAME", &name);

    let stages = Stages {
        interpolate: !options.no_interpolate,
        ..Stages::FULL
    };
    let mut dict = load_model(
        cx,
        &resolved.files,
        &resolved.working_dir,
        &resolved.environment,
        stages,
        &[],
    )?;
    if dict.as_map().is_none_or(Map::is_empty) {
        return Err(LoadError::new("empty compose file")
            .with_help("add a `services:` section to the compose file"));
    }
    if name.is_empty() {
        return Err(LoadError::new("project name must not be empty")
            .with_help("set `name:` in the compose file or pass -p NAME"));
    }
    if let Some(map) = dict.as_map_mut() {
        map.shift_remove("name");
        map.insert_before(0, "name".into(), Node::synthetic(Value::Str(name.clone())));
    }
    normalize::normalize(&mut dict, &resolved.environment);
    for unset in std::mem::take(&mut cx.unset) {
        cx.warn(
            format!(
                "The \"{}\" variable is not set. Defaulting to a blank string.",
                unset.name
            ),
            unset.span,
        );
    }
    let finished = finish::finish(cx, dict, &resolved, options)?;
    Ok(Project {
        name,
        working_dir: resolved.working_dir,
        files: resolved.files,
        file_ids,
        model: finished.model,
        environment: resolved.environment,
        all_profiles: finished.all_profiles,
        disabled_services: finished.disabled_services,
        unset_variables: std::mem::take(&mut cx.unset_uses),
        repeated_values: std::mem::take(&mut cx.repeated),
        env_files: std::mem::take(&mut cx.env_files),
        problems: finished.problems,
        warnings: std::mem::take(&mut cx.warnings),
    })
}

/// The project name (spec §2.5): imperative (`-p`, `COMPOSE_PROJECT_NAME`), else the last
/// non-empty `name:` of the files (interpolated, normalized), else the working directory's.
fn project_name(
    cx: &mut Context<'_>,
    resolved: &Resolved,
    options: &LoadOptions,
) -> Result<String, LoadError> {
    let mut from_files = None;
    for file in &resolved.files {
        let (_, documents) = cx.sources.parsed(file, cx.fs)?;
        // docker compose reads `name:` from each file's first document before loading, and
        // fails there on a document that is not a mapping (unless -p named the project).
        if options.project_name.is_none()
            && let Some(first) = documents.first()
            && !matches!(first.value, Value::Map(_) | Value::Null)
        {
            return Err(LoadError::at(
                format!(
                    "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!{} into cli.named",
                    yaml_kind(first)
                ),
                first.span,
            )
            .with_code("yaml-structure")
            .with_help("a compose file is a mapping with `services:` at its top level"));
        }
        for document in documents {
            if let Some(name) = document.get("name").and_then(Node::scalar_text)
                && !name.is_empty()
            {
                from_files = Some((name, document.get("name").map(|n| n.span)));
            }
        }
    }
    if let Some(name) = &resolved.imperative_name {
        return Ok(name.clone());
    }
    let mut name = String::new();
    if let Some((raw, span)) = from_files {
        let interpolated = if options.no_interpolate {
            raw
        } else {
            let lookup = resolved.environment.lookup();
            crate::interpolate::substitute(&raw, &lookup)
                .map_err(|e| {
                    LoadError::new(e.message("name")).with_span(span.unwrap_or(Span::SYNTHETIC))
                })?
                .value
        };
        name = normalize_project_name(&interpolated);
    }
    if name.is_empty() {
        let dir = resolved
            .working_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        name = normalize_project_name(&dir.unwrap_or_default());
    }
    Ok(name)
}

fn yaml_kind(node: &Node) -> &'static str {
    match node.value {
        Value::Seq(_) => "seq",
        Value::Map(_) => "map",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::UInt(_) => "int",
        Value::Float(_) => "float",
        Value::Timestamp(_) => "timestamp",
        _ => "str",
    }
}

/// compose-go's `loadYamlModel`: every file merged in order, then defaults, semantic checks,
/// relative paths and environment resolution.
pub(crate) fn load_model(
    cx: &mut Context<'_>,
    files: &[PathBuf],
    working_dir: &Path,
    environment: &Environment,
    stages: Stages,
    included: &[PathBuf],
) -> Result<Node, LoadError> {
    // Included files are loaded in their own environment, as part of a file: only a load's
    // own list of files is shared.
    let shared = included.is_empty();
    let before = [
        cx.warnings.len(),
        cx.unset.len(),
        cx.unset_uses.len(),
        cx.env_files.len(),
        cx.repeated.len(),
    ];
    if shared {
        cx.sources.started(files);
    }
    let known = if shared {
        cx.sources
            .take_prefix(files, working_dir, environment, cx.home.as_deref(), stages)
    } else {
        None
    };
    let (mut dict, done) = match known {
        Some((dict, effects, done)) => {
            effects.replay(cx);
            (dict, done)
        }
        None => (Node::map(Map::default(), Span::SYNTHETIC), 0),
    };
    for (index, file) in files.iter().enumerate().skip(done) {
        if shared && index > 0 {
            // A file that does not parse is reported by `load_file`.
            if let Ok((_, documents)) = cx.sources.parsed(file, cx.fs) {
                for document in documents {
                    repeats::find(&dict, document, &mut cx.repeated);
                }
            }
        }
        load_file(
            cx,
            file,
            stages,
            working_dir,
            environment,
            &mut dict,
            included,
        )?;
        // Targets share their first files and differ by their last (the target's overlay):
        // the files before it are what the next target can start from. Remembering more
        // would copy the model for every file of every load.
        if shared && index + 2 == files.len() && cx.sources.awaited(&files[..=index]) {
            let effects = Effects::since(cx, before);
            cx.sources.prefixes.push(Prefix {
                files: files[..=index].to_vec(),
                working_dir: working_dir.to_path_buf(),
                environment: environment.clone(),
                home: cx.home.clone(),
                stages,
                dict: dict.clone(),
                effects,
            });
        }
    }
    if stages.defaults {
        transform::set_defaults(&mut dict).map_err(transform_error)?;
    }
    if stages.validation {
        crate::semantic::validate(&dict)?;
    }
    if stages.resolve_paths {
        paths::resolve_relative_paths(&mut dict, working_dir, cx.home.as_deref());
    }
    normalize::resolve_environment(&mut dict, environment);
    Ok(dict)
}

pub(crate) fn transform_error(e: transform::TransformError) -> LoadError {
    LoadError::at(e.message, e.span).with_code("invalid-value")
}

/// compose-go's `loadYamlFile`: each document of the file processed and merged onto `dict`.
/// Returns the `!reset`/`!override` paths of the last document (used by `extends: file:`).
pub(crate) fn load_file(
    cx: &mut Context<'_>,
    file: &Path,
    stages: Stages,
    working_dir: &Path,
    environment: &Environment,
    dict: &mut Node,
    included: &[PathBuf],
) -> Result<ResetPaths, LoadError> {
    let (_, documents) = cx.sources.documents(file, cx.fs)?;
    let mut last_resets = ResetPaths::default();
    for mut document in documents {
        let resets = ResetPaths::collect(&mut document);
        process_document(
            cx,
            document,
            &resets,
            file,
            stages,
            working_dir,
            environment,
            dict,
            included,
        )?;
        last_resets = resets;
    }
    Ok(last_resets)
}

#[allow(clippy::too_many_arguments)]
fn process_document(
    cx: &mut Context<'_>,
    mut document: Node,
    resets: &ResetPaths,
    file: &Path,
    stages: Stages,
    working_dir: &Path,
    environment: &Environment,
    dict: &mut Node,
    included: &[PathBuf],
) -> Result<(), LoadError> {
    schema::check_keys(&document)
        .map_err(|e| LoadError::at(e.message, e.span).with_code("yaml-structure"))?;
    if document.as_map().is_none() {
        return Err(
            LoadError::at("top-level object must be a mapping", document.span)
                .with_code("yaml-structure")
                .with_help("a compose file is a mapping with `services:` at its top level"),
        );
    }
    if stages.interpolate {
        let lookup = environment.lookup();
        let found = interpolate_document(&mut document, &lookup)
            .map_err(|e| LoadError::at(e.message, e.span).with_code("interpolation"))?;
        for unset in found.unset {
            if !cx.unset.iter().any(|u| u.name == unset.name) {
                cx.unset.push(unset.clone());
            }
            cx.unset_uses.push(unset);
        }
        for (message, span) in found.warnings {
            cx.warn(message, span);
        }
    }
    if stages.extends {
        crate::extends::apply_extends(cx, &mut document, file, working_dir, environment, resets)?;
    }
    resets.apply(dict);
    if stages.include {
        let mut chain = included.to_vec();
        chain.push(file.to_path_buf());
        include::apply_include(cx, &mut document, working_dir, environment, stages, &chain)?;
    }
    let merged = merge_documents(
        std::mem::replace(dict, Node::synthetic(Value::Null)),
        document,
    )
    .map_err(|e| LoadError::at(e.message, e.span).with_code("merge"))?;
    *dict = merged;
    enforce_unicity(dict).map_err(|e| LoadError::at(e.message, e.span).with_code("merge"))?;
    if stages.validation {
        schema::validate(dict).map_err(|e| {
            LoadError::at(
                format!("validating {}: {}", file.display(), e.message),
                e.span,
            )
            .with_code("schema")
        })?;
        if let Some(map) = dict.as_map_mut()
            && let Some(version) = map.shift_remove("version")
        {
            cx.warn(
                format!(
                    "{}: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion",
                    file.display()
                ),
                version.key_span,
            );
        }
    }
    for warning in transform::canonical(dict, !stages.interpolate).map_err(transform_error)? {
        cx.warn(warning.message, warning.span);
    }
    omit_empty_dns(dict);
    enforce_unicity(dict).map_err(|e| LoadError::at(e.message, e.span).with_code("merge"))?;
    Ok(())
}

/// compose-go's `OmitEmpty`: empty entries of `services.*.dns` are dropped.
fn omit_empty_dns(dict: &mut Node) {
    let Some(services) = dict.get_mut("services").and_then(Node::as_map_mut) else {
        return;
    };
    for service in services.values_mut() {
        let Some(Value::Seq(dns)) = service.get_mut("dns").map(|d| &mut d.value) else {
            continue;
        };
        dns.retain(|d| !matches!(&d.value, Value::Null) && d.as_str() != Some(""));
    }
}
