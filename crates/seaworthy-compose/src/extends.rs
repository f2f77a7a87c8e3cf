//! `extends` (spec §7.1), resolved per file before the file is merged: the base is looked up in
//! the same file or in the named file (loaded with the main environment, its relative paths
//! rebased on its directory), chains are resolved bottom-up, cycles are reported, and the child
//! is merged onto a copy of its base with the multi-file merge rules.

use crate::error::LoadError;
use crate::loader::{Context, Stages, load_file};
use crate::merge::extend_service;
use crate::node::{Map, Node, Value};
use crate::options::{Environment, absolute};
use crate::paths::resolve_relative_paths;
use crate::reset::ResetPaths;
use std::path::{Path, PathBuf};

pub(crate) fn apply_extends(
    cx: &mut Context<'_>,
    document: &mut Node,
    file: &Path,
    working_dir: &Path,
    environment: &Environment,
    resets: &ResetPaths,
) -> Result<(), LoadError> {
    let Some(services_node) = document.get_mut("services") else {
        return Ok(());
    };
    let span = services_node.span;
    let Some(services) = services_node.as_map_mut() else {
        if services_node.is_null() {
            return Ok(());
        }
        return Err(LoadError::at("services must be a mapping", span).with_code("yaml-structure"));
    };
    let names: Vec<String> = services.keys().cloned().collect();
    let resolver = Resolver {
        working_dir,
        environment,
    };
    for name in names {
        // A service that extends nothing stays as it is (`extend` would hand back a copy).
        if services
            .get(&name)
            .and_then(Node::as_map)
            .is_some_and(|service| !service.contains_key("extends"))
        {
            continue;
        }
        if let Some(merged) = resolver.extend(cx, &name, services, file, &[], &[resets])? {
            services.insert(name, merged);
        }
    }
    Ok(())
}

struct Resolver<'a> {
    working_dir: &'a Path,
    environment: &'a Environment,
}

impl Resolver<'_> {
    fn extend(
        &self,
        cx: &mut Context<'_>,
        name: &str,
        services: &mut Map,
        filename: &Path,
        chain: &[(PathBuf, String)],
        post: &[&ResetPaths],
    ) -> Result<Option<Node>, LoadError> {
        let Some(service) = services.get(name) else {
            return Ok(None);
        };
        if service.is_null() {
            return Ok(None);
        }
        if service.as_map().is_none() {
            return Err(
                LoadError::at(format!("services.{name} must be a mapping"), service.span)
                    .with_code("yaml-structure"),
            );
        }
        let Some(extends) = service.get("extends") else {
            return Ok(Some(service.clone()));
        };
        let extends_span = extends.span;
        let (reference, ref_file) = match &extends.value {
            Value::Str(s) => (s.clone(), None),
            Value::Map(map) => {
                let Some(reference) = map.get("service").and_then(Node::as_str) else {
                    return Err(LoadError::at(
                        format!("extends.{name}.service is required"),
                        extends_span,
                    )
                    .with_code("extends"));
                };
                let file = map.get("file").and_then(Node::as_str).map(str::to_owned);
                (reference.to_owned(), file)
            }
            _ => return Ok(Some(service.clone())),
        };
        let service = service.clone();

        let mut other_services;
        let mut other_resets = ResetPaths::default();
        let (base_services, base_filename): (&mut Map, PathBuf) = match &ref_file {
            Some(ref_path) => {
                let (services, resets, path) = self.services_from_file(
                    cx,
                    name,
                    &reference,
                    filename,
                    ref_path,
                    extends_span,
                )?;
                other_services = services;
                other_resets = resets;
                (&mut other_services, path)
            }
            None => {
                if !services.contains_key(&reference) {
                    return Err(LoadError::at(
                        format!(
                            "cannot extend service \"{name}\" in {}: service \"{reference}\" not found",
                            filename.display()
                        ),
                        extends_span,
                    )
                    .with_code("extends")
                    .with_help("extends only sees services of the same file, or of the file named in `extends.file`"));
                }
                (services, filename.to_path_buf())
            }
        };

        let shown_filename = match &ref_file {
            Some(raw) => PathBuf::from(raw),
            None => base_filename.clone(),
        };
        let link = (shown_filename.clone(), name.to_owned());
        if chain.contains(&link) {
            let mut lines = vec!["Circular reference:".to_owned()];
            let mut all: Vec<&(PathBuf, String)> = chain.iter().collect();
            all.push(&link);
            lines.push(format!("  {} in {}", all[0].1, all[0].0.display()));
            for (path, service) in &all[1..] {
                lines.push(format!("  extends {service} in {}", path.display()));
            }
            return Err(LoadError::at(lines.join("\n"), extends_span).with_code("extends-cycle"));
        }
        let mut next_chain = chain.to_vec();
        next_chain.push(link);

        let base = self.extend(
            cx,
            &reference,
            base_services,
            &base_filename,
            &next_chain,
            &[&other_resets],
        )?;
        let Some(base) = base else {
            return Ok(Some(service));
        };

        // The child's `!reset`/`!override` paths apply to its copy of the base.
        let mut wrapper = Map::default();
        let mut inner = Map::default();
        inner.insert(name.to_owned(), base);
        wrapper.insert("services".into(), Node::map(inner, extends_span));
        let mut wrapper = Node::map(wrapper, extends_span);
        for resets in post {
            resets.apply(&mut wrapper);
        }
        let base = wrapper
            .get_mut("services")
            .and_then(Node::as_map_mut)
            .and_then(|m| m.shift_remove(name))
            .unwrap_or_else(|| Node::map(Map::default(), extends_span));
        let key_span = service.key_span;
        let mut merged = extend_service(base, service)
            .map_err(|e| LoadError::at(e.message, e.span).with_code("merge"))?;
        merged.key_span = key_span;
        if let Some(map) = merged.as_map_mut() {
            map.shift_remove("extends");
        }
        services.insert(name.to_owned(), merged.clone());
        Ok(Some(merged))
    }

    /// The services of an `extends.file`, loaded like compose-go does: interpolated with the
    /// main environment, no include, no nested extends at load time, no validation, relative
    /// paths rebased on the file's directory.
    fn services_from_file(
        &self,
        cx: &mut Context<'_>,
        name: &str,
        reference: &str,
        filename: &Path,
        ref_path: &str,
        span: seaworthy_source::Span,
    ) -> Result<(Map, ResetPaths, PathBuf), LoadError> {
        let local = absolute(self.working_dir, Path::new(ref_path));
        let relative_dir = local
            .parent()
            .map(|dir| {
                dir.strip_prefix(self.working_dir)
                    .map(Path::to_path_buf)
                    .unwrap_or(dir.to_path_buf())
            })
            .unwrap_or_default();
        let stages = Stages {
            interpolate: true,
            extends: false,
            include: false,
            validation: false,
            resolve_paths: false,
            defaults: false,
        };
        let mut source = Node::map(Map::default(), span);
        let resets = load_file(
            cx,
            &local,
            stages,
            &relative_dir,
            self.environment,
            &mut source,
            &[],
        )
        .map_err(|e| {
            if e.span.is_none() {
                e.with_span(span)
            } else {
                e
            }
        })?;
        let Some(services) = source.get("services") else {
            return Err(LoadError::at(
                format!(
                    "cannot extend service \"{name}\" in {}: no services section",
                    local.display()
                ),
                span,
            )
            .with_code("extends"));
        };
        if services.as_map().is_none() {
            return Err(LoadError::at(
                format!(
                    "cannot extend service \"{name}\" in {}: services must be a mapping",
                    local.display()
                ),
                span,
            )
            .with_code("extends"));
        }
        if services.get(reference).is_none() {
            return Err(LoadError::at(
                format!(
                    "cannot extend service \"{name}\" in {}: service \"{reference}\" not found in {ref_path}",
                    filename.display()
                ),
                span,
            )
            .with_code("extends"));
        }
        let dir = if relative_dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            relative_dir
        };
        resolve_relative_paths(&mut source, &dir, cx.home.as_deref());
        let services = match source.as_map_mut().and_then(|m| m.shift_remove("services")) {
            Some(Node {
                value: Value::Map(m),
                ..
            }) => m,
            _ => Map::default(),
        };
        Ok((services, resets, local))
    }
}
