//! `seaworthy config`: the merged model exactly as `docker compose config` prints it, or one of
//! its lists (`--services`, `--profiles`, ...), or annotated with where each value came from.

use crate::cli::{ConfigArgs, ConfigFormat, GlobalOptions};
use crate::commands::load_options;
use crate::render::render;
use anyhow::Context as _;
use seaworthy_compose::emit::{to_json, to_yaml};
use seaworthy_compose::out::Out;
use seaworthy_compose::printer::{Flavor, project_to_out, raw_to_out};
use seaworthy_compose::{LoadError, Node, Project, Sources, load};
use seaworthy_source::{OsEnv, RealFs, SourceMap};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

pub fn run(global: &GlobalOptions, args: ConfigArgs) -> anyhow::Result<ExitCode> {
    let mut options = load_options(global)?;
    options.no_interpolate = args.no_interpolate;
    options.services = args.service_names.clone();
    let mut sources = Sources::new();
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let project = match load(&options, &RealFs, &OsEnv::capture(), &mut sources) {
        Ok(project) => project,
        Err(error) => {
            let text = render(&error.to_diagnostic(), &sources.map, &options.cwd, styled);
            anstream::eprintln!("{text}");
            return Ok(ExitCode::from(1));
        }
    };
    for warning in &project.warnings {
        anstream::eprintln!("{}", render(warning, &sources.map, &options.cwd, styled));
    }
    let flavor = match args.format {
        ConfigFormat::Yaml => Flavor::Yaml,
        ConfigFormat::Json => Flavor::Json,
    };
    // docker compose decodes the model into its types even for `--quiet` and the listings,
    // so a bad duration or size fails every form of `config`.
    let out = if args.no_interpolate {
        raw_to_out(&project.model, flavor)
    } else {
        match project_to_out(&project.model, flavor) {
            Ok(out) => out,
            Err(error) => {
                let error = LoadError::at(error.to_string(), error.span).with_code("decode");
                let text = render(&error.to_diagnostic(), &sources.map, &options.cwd, styled);
                anstream::eprintln!("{text}");
                return Ok(ExitCode::from(1));
            }
        }
    };
    if args.quiet {
        return Ok(ExitCode::SUCCESS);
    }
    let text = match listing(&project, &args) {
        Some(lines) => lines,
        None => model_text(&out, &project, &args, &sources.map, &options.cwd),
    };
    match &args.output {
        Some(path) => std::fs::write(path, &text)
            .with_context(|| format!("could not write {}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn names(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::as_map)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn listing(project: &Project, args: &ConfigArgs) -> Option<String> {
    let lines: Vec<String> = if args.services {
        names(project.model.get("services"))
    } else if args.profiles {
        project.all_profiles.clone()
    } else if args.volumes {
        names(project.model.get("volumes"))
    } else if args.networks {
        names(project.model.get("networks"))
    } else if args.images {
        let services = project.model.get("services").and_then(Node::as_map)?;
        services
            .iter()
            .map(|(name, service)| {
                service
                    .get("image")
                    .and_then(Node::as_str)
                    .filter(|i| !i.is_empty())
                    .map_or_else(|| format!("{}-{name}", project.name), str::to_owned)
            })
            .collect()
    } else {
        return None;
    };
    let mut lines = lines;
    lines.sort();
    Some(lines.iter().map(|l| format!("{l}\n")).collect())
}

fn model_text(
    out: &Out,
    project: &Project,
    args: &ConfigArgs,
    sources: &SourceMap,
    cwd: &Path,
) -> String {
    let mut text = match args.format {
        ConfigFormat::Yaml => to_yaml(out),
        ConfigFormat::Json => to_json(out),
    };
    if !args.no_interpolate {
        // docker compose escapes every `$` of its output so the text reloads to the same model.
        text = text.replace('$', "$$");
    }
    if args.origins && args.format == ConfigFormat::Yaml {
        text = crate::commands::origins::annotate(&text, &project.model, sources, cwd);
    }
    text
}
