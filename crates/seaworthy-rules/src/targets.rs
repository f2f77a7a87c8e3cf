//! Several targets checked in one run, as `seaworthy check` runs a `seaworthy.toml`: loaded
//! one after the other through one source map (a file the targets share is parsed and merged
//! once, a Dockerfile read and a build context scanned once), and judged in parallel, since
//! the rules of one target read nothing the others write.

use crate::builds::{self, BuildCache, Builds};
use crate::engine::{Finding, check_with};
use crate::settings::Settings;
use seaworthy_compose::{LoadError, LoadOptions, Project, Sources, load};
use seaworthy_source::{Env, FileSystem};
use std::sync::Mutex;

/// A target to check: how docker compose would load it, and the settings that judge it.
pub struct Unit {
    pub name: String,
    pub options: LoadOptions,
    pub settings: Settings,
}

/// A target checked: its project, build facts and findings, or why it did not load.
pub struct Checked {
    pub unit: Unit,
    pub outcome: Result<Loaded, LoadError>,
}

/// A target that loaded, with its findings in the engine's order.
pub struct Loaded {
    pub project: Project,
    pub builds: Builds,
    pub findings: Vec<Finding>,
}

/// Loads the units one after the other on this thread and judges each on the thread pool as
/// soon as it is loaded, so the rules of one target run while the next one loads. The results
/// come back in the units' order whatever the threads did.
pub fn check_targets(
    units: Vec<Unit>,
    fs: &dyn FileSystem,
    env: &dyn Env,
    sources: &mut Sources,
    cache: &mut BuildCache,
) -> Vec<Checked> {
    let judge = |unit: Unit, outcome: Result<(Project, Builds), LoadError>| Checked {
        outcome: outcome.map(|(project, builds)| Loaded {
            findings: check_with(&project, &unit.settings, fs, &builds),
            project,
            builds,
        }),
        unit,
    };
    if units.len() > 1 {
        for unit in &units {
            sources.expect(&unit.options, fs, env);
        }
        sources.prefetch(fs);
    }
    let mut load_one = |unit: &Unit| {
        load(&unit.options, fs, env, sources).map(|project| {
            let builds = builds::gather(&project, fs, &mut sources.map, cache);
            (project, builds)
        })
    };
    // One target is judged on this thread: starting the pool would cost more than it saves.
    if units.len() < 2 {
        return units
            .into_iter()
            .map(|unit| {
                let outcome = load_one(&unit);
                judge(unit, outcome)
            })
            .collect();
    }
    let slots: Vec<Mutex<Option<Checked>>> = units.iter().map(|_| Mutex::new(None)).collect();
    rayon::scope(|scope| {
        for (unit, slot) in units.into_iter().zip(&slots) {
            let outcome = load_one(&unit);
            scope.spawn(move |_| {
                let checked = judge(unit, outcome);
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(checked);
                }
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_source::{MapEnv, MemoryFs};
    use std::path::{Path, PathBuf};

    const BASE: &str = "services:\n  app:\n    image: app:1.0\n    ports: [\"8080:8080\"]\n  db:\n    image: postgres\n";
    const PROD: &str = "services:\n  app:\n    restart: unless-stopped\n";
    const SMALL: &str =
        "services:\n  db:\n    mem_limit: 64g\nx-seaworthy:\n  host: {cpus: 1, memory: 1GiB}\n";
    const BIG: &str = "services:\n  app:\n    privileged: true\n";

    fn fs() -> MemoryFs {
        MemoryFs::new()
            .with("/p/compose.yaml", BASE)
            .with("/p/compose.prod.yaml", PROD)
            .with("/p/compose.small.yaml", SMALL)
            .with("/p/compose.big.yaml", BIG)
    }

    fn unit(name: &str, overlay: &str) -> Unit {
        Unit {
            name: name.to_owned(),
            options: LoadOptions {
                files: ["compose.yaml", "compose.prod.yaml", overlay]
                    .iter()
                    .map(|f| Path::new("/p").join(f))
                    .collect(),
                cwd: PathBuf::from("/p"),
                ..LoadOptions::default()
            },
            settings: Settings::default(),
        }
    }

    /// Each finding as code, file and line: ids differ between source maps.
    fn described(findings: &[Finding], sources: &Sources) -> Vec<String> {
        findings
            .iter()
            .map(|f| {
                let at = f
                    .diagnostic
                    .primary
                    .as_ref()
                    .and_then(|p| sources.map.locate(p.span))
                    .map(|(path, position)| format!("{}:{}", path.display(), position.line));
                format!("{} {}", f.diagnostic.code, at.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn targets_checked_together_come_back_in_order_with_the_findings_each_has_alone() {
        let fs = fs();
        let units = vec![
            unit("small", "compose.small.yaml"),
            unit("missing", "compose.missing.yaml"),
            unit("big", "compose.big.yaml"),
        ];
        let mut sources = Sources::new();
        let checked = check_targets(
            units,
            &fs,
            &MapEnv::new(),
            &mut sources,
            &mut BuildCache::default(),
        );
        let names: Vec<&str> = checked.iter().map(|c| c.unit.name.as_str()).collect();
        assert_eq!(names, ["small", "missing", "big"]);
        assert!(
            checked[1].outcome.is_err(),
            "a missing overlay does not load"
        );
        for (index, overlay) in [(0, "compose.small.yaml"), (2, "compose.big.yaml")] {
            let alone = unit("alone", overlay);
            let mut own = Sources::new();
            let project = load(&alone.options, &fs, &MapEnv::new(), &mut own).expect("loads");
            let builds = builds::gather(&project, &fs, &mut own.map, &mut BuildCache::default());
            let expected = check_with(&project, &alone.settings, &fs, &builds);
            let together = &checked[index].outcome.as_ref().expect("loads").findings;
            assert!(!expected.is_empty());
            assert_eq!(described(together, &sources), described(&expected, &own));
        }
        let codes = |index: usize| {
            let loaded = checked[index].outcome.as_ref().expect("loads");
            loaded
                .findings
                .iter()
                .map(|f| f.diagnostic.code.clone())
                .collect::<Vec<_>>()
        };
        assert!(codes(0).iter().any(|c| c == "resource-budget"));
        assert!(!codes(2).iter().any(|c| c == "resource-budget"));
        assert!(codes(2).iter().any(|c| c == "no-privileged"));
    }
}
