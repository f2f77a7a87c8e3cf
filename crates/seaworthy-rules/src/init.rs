//! `seaworthy init`: the targets a repository probably deploys, found from its compose files.
//! In each directory that holds a base file (`compose.yaml`, `docker-compose.yml`, ...), the
//! overlays beside it (`compose.NAME.yaml`, `docker-compose.NAME.yml`, also in subdirectories
//! without a base of their own, such as `reverse-proxy/`) are sorted into a
//! production overlay (its name says `prod`), development ones (left out: `dev`, `local`,
//! `test`, `ci`, `debug`, the override files docker compose loads by itself) and the rest,
//! which are deployment targets. Each target is base + production overlay + target overlay;
//! without target overlays, base + production overlay; without either, the base alone.

use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_source::{EntryKind, Env, FileSystem};
use std::fmt::Write as _;
use std::path::Path;

/// The base files docker compose looks for, in its order.
const BASE_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// Overlay names that are for development, tests or CI, not for a deployment.
const NOT_DEPLOYED: [&str; 12] = [
    "dev",
    "development",
    "local",
    "test",
    "tests",
    "ci",
    "debug",
    "override",
    "example",
    "windows",
    "mac",
    "macos",
];

/// Directories that hold no deployed compose files: dependencies, tests, CI, dev containers.
const SKIPPED_DIRS: [&str; 11] = [
    "node_modules",
    "target",
    "vendor",
    "dist",
    "venv",
    "testdata",
    "test",
    "tests",
    "ci",
    "e2e",
    "fixtures",
];

/// How deep below the repository root compose files are looked for.
const MAX_DEPTH: usize = 3;

/// A target `init` proposes: its name and its files, relative to the repository root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub name: String,
    pub files: Vec<String>,
    /// Why the chain does not load as it is, when [`check_loads`] found out.
    pub problem: Option<String>,
}

/// The targets of the repository at `root`, in directory order.
pub fn propose(fs: &dyn FileSystem, root: &Path) -> Vec<Proposal> {
    let directories = walk(fs, root);
    let has_base = |files: &[String]| files.iter().any(|f| BASE_FILES.contains(&f.as_str()));
    let mut proposals = Vec::new();
    for (relative, files) in &directories {
        let Some(base) = BASE_FILES.iter().find(|b| files.iter().any(|f| f == *b)) else {
            continue;
        };
        // Overlays beside the base, and in subdirectories that hold no base of their own
        // (`reverse-proxy/docker-compose.caddy.yml`), up to two levels down.
        let mut overlays: Vec<(String, String)> = files
            .iter()
            .filter_map(|f| Some((join(relative, f), overlay_name(f)?)))
            .collect();
        for (sub, sub_files) in &directories {
            let Some(rest) = below(sub, relative) else {
                continue;
            };
            if rest.split('/').count() > 2 || has_base(sub_files) {
                continue;
            }
            overlays.extend(
                sub_files
                    .iter()
                    .filter_map(|f| Some((join(sub, f), overlay_name(f)?))),
            );
        }
        proposals.extend(in_directory(relative, base, overlays));
    }
    proposals
}

/// Every directory to look at, with its file names, parents first.
fn walk(fs: &dyn FileSystem, root: &Path) -> Vec<(String, Vec<String>)> {
    let mut directories = Vec::new();
    let mut stack = vec![(String::new(), 0usize)];
    while let Some((relative, depth)) = stack.pop() {
        let Ok(entries) = fs.read_dir(&root.join(&relative)) else {
            continue;
        };
        let files = entries
            .iter()
            .filter(|e| e.kind == EntryKind::File)
            .map(|e| e.name.clone())
            .collect();
        if depth < MAX_DEPTH {
            for entry in entries.iter().rev() {
                if entry.kind == EntryKind::Dir
                    && !entry.name.starts_with('.')
                    && !SKIPPED_DIRS.contains(&entry.name.as_str())
                    && !entry.name.contains("devcontainer")
                {
                    stack.push((join(&relative, &entry.name), depth + 1));
                }
            }
        }
        directories.push((relative, files));
    }
    directories
}

/// `dir` below `parent`, as the path between them (`traefik` for `reverse-proxy/traefik`
/// below `reverse-proxy`); `None` when it is not below it.
fn below<'a>(dir: &'a str, parent: &str) -> Option<&'a str> {
    if parent.is_empty() {
        return (!dir.is_empty()).then_some(dir);
    }
    dir.strip_prefix(parent)?.strip_prefix('/')
}

/// The proposals of the base file `base` in `relative`, with its candidate overlays (path
/// from the root, and name).
fn in_directory(relative: &str, base: &str, overlays: Vec<(String, String)>) -> Vec<Proposal> {
    let mut production: Option<(String, String)> = None;
    let mut targets: Vec<(String, String)> = Vec::new();
    for (file, name) in overlays {
        let lower = name.to_ascii_lowercase();
        if lower
            .split(['.', '-', '_'])
            .any(|part| NOT_DEPLOYED.contains(&part))
        {
            continue;
        }
        if lower.contains("prod") && production.is_none() {
            production = Some((file, name));
        } else {
            targets.push((file, name));
        }
    }
    let prefix = |name: &str| {
        let dir = relative.rsplit('/').next().unwrap_or("");
        if dir.is_empty() || dir == "docker" || dir == "deploy" {
            name.to_owned()
        } else {
            format!("{dir}-{name}")
        }
    };
    let mut chain = vec![join(relative, base)];
    if let Some((file, _)) = &production {
        chain.push(file.clone());
    }
    if targets.is_empty() {
        let name = match &production {
            Some((_, name)) => prefix(name),
            // A stand-alone stack: named after its directory.
            None => match relative.rsplit('/').next() {
                Some(dir) if !dir.is_empty() => dir.to_owned(),
                _ => "default".to_owned(),
            },
        };
        return vec![Proposal {
            name,
            files: chain,
            problem: None,
        }];
    }
    targets
        .into_iter()
        .map(|(file, name)| {
            let mut files = chain.clone();
            files.push(file);
            Proposal {
                name: prefix(&name),
                files,
                problem: None,
            }
        })
        .collect()
}

/// `selfhosted` for `compose.selfhosted.yaml` or `docker-compose.selfhosted.yml`; `None` for
/// base files and anything else.
fn overlay_name(file: &str) -> Option<String> {
    let stem = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))?;
    let name = stem
        .strip_prefix("compose.")
        .or_else(|| stem.strip_prefix("docker-compose."))
        .or_else(|| stem.strip_prefix("docker-compose-"))?;
    (!name.is_empty()).then(|| name.to_owned())
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}/{name}")
    }
}

/// `seaworthy.toml` with the proposed targets.
pub fn settings_text(proposals: &[Proposal]) -> String {
    let mut out = String::from(
        "# Proposed by `seaworthy init`: one target per deployed combination of compose files.\n\
         # Check the chains, then add each target's `host = { cpus = N, memory = \"SIZE\" }`.\n",
    );
    for proposal in proposals {
        let files: Vec<String> = proposal.files.iter().map(|f| format!("{f:?}")).collect();
        if let Some(problem) = &proposal.problem {
            let _ = write!(
                out,
                "\n# This chain does not load as it is: {problem}.\n# Add the overlays it needs, or the variables, before relying on it."
            );
        }
        let _ = write!(
            out,
            "\n[targets.{}]\nfiles = [{}]\n",
            toml_key(&proposal.name),
            files.join(", ")
        );
    }
    out.push_str("\n[rules]\nfail-on = \"high\"\n");
    out
}

/// Loads each proposed chain as docker compose would in `root` (with the project's `.env`,
/// and `env` for the variables) and notes why one does not: an overlay written to go with
/// others (`overrides/compose.https.yaml` needs a database overlay too), or a variable that
/// must be set.
pub fn check_loads(proposals: &mut [Proposal], fs: &dyn FileSystem, env: &dyn Env, root: &Path) {
    let mut sources = Sources::new();
    for proposal in proposals {
        let options = LoadOptions {
            files: proposal.files.iter().map(|f| root.join(f)).collect(),
            cwd: root.to_path_buf(),
            keep_going: true,
            ..LoadOptions::default()
        };
        if let Err(error) = load(&options, fs, env, &mut sources) {
            let first = error.message.lines().next().unwrap_or_default();
            let shown = first
                .replace(&format!("{}/", root.display()), "")
                .trim_end_matches('.')
                .to_owned();
            proposal.problem = Some(shown);
        }
    }
}

/// A bare TOML key when the name allows one, else a quoted key.
fn toml_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_source::MemoryFs;

    fn proposals(files: &[&str]) -> Vec<Proposal> {
        let mut fs = MemoryFs::new();
        for file in files {
            fs.insert(Path::new("/repo").join(file), "services: {}\n");
        }
        propose(&fs, Path::new("/repo"))
    }

    #[test]
    fn base_production_and_each_target_overlay() {
        let found = proposals(&[
            "docker/docker-compose.yml",
            "docker/compose.prod.yaml",
            "docker/compose.selfhosted.yaml",
            "docker/compose.digitalocean.yaml",
            "docker/compose.dev.yaml",
            "docker/docker-compose.override.yml",
        ]);
        assert_eq!(
            found,
            [
                Proposal {
                    name: "digitalocean".into(),
                    files: vec![
                        "docker/docker-compose.yml".into(),
                        "docker/compose.prod.yaml".into(),
                        "docker/compose.digitalocean.yaml".into()
                    ],
                    problem: None,
                },
                Proposal {
                    name: "selfhosted".into(),
                    files: vec![
                        "docker/docker-compose.yml".into(),
                        "docker/compose.prod.yaml".into(),
                        "docker/compose.selfhosted.yaml".into()
                    ],
                    problem: None,
                },
            ]
        );
    }

    #[test]
    fn without_target_overlays_the_production_chain_or_the_base() {
        let found = proposals(&["compose.yaml", "compose.production.yaml", "compose.ci.yaml"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "production");
        assert_eq!(found[0].files, ["compose.yaml", "compose.production.yaml"]);
        let alone = proposals(&["stacks/mail/compose.yaml", "node_modules/x/compose.yaml"]);
        assert_eq!(
            alone,
            [Proposal {
                name: "mail".into(),
                files: vec!["stacks/mail/compose.yaml".into()],
                problem: None,
            }]
        );
    }

    #[test]
    fn overlays_in_subdirectories_without_a_base_of_their_own() {
        let found = proposals(&[
            "docker-compose.yml",
            "reverse-proxy/docker-compose.caddy-gen.yml",
            "reverse-proxy/traefik/docker-compose.traefik.yml",
            "other/compose.yaml",
            "other/compose.prod.yaml",
        ]);
        let chains: Vec<(&str, Vec<&str>)> = found
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.files.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            chains,
            [
                (
                    "caddy-gen",
                    vec![
                        "docker-compose.yml",
                        "reverse-proxy/docker-compose.caddy-gen.yml"
                    ]
                ),
                (
                    "traefik",
                    vec![
                        "docker-compose.yml",
                        "reverse-proxy/traefik/docker-compose.traefik.yml"
                    ]
                ),
                (
                    "other-prod",
                    vec!["other/compose.yaml", "other/compose.prod.yaml"]
                ),
            ]
        );
    }

    #[test]
    fn the_text_is_settings_seaworthy_reads() {
        let text = settings_text(&proposals(&["compose.yaml", "compose.prod.yaml"]));
        assert!(
            text.contains("[targets.prod]\nfiles = [\"compose.yaml\", \"compose.prod.yaml\"]\n"),
            "{text}"
        );
        let settings = crate::settings::Settings::parse(&text, seaworthy_source::FileId(0))
            .expect("init writes valid settings");
        assert_eq!(settings.targets.len(), 1);
    }
}
