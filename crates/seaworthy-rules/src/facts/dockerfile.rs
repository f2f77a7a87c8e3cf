//! What the Dockerfile rules read the same way: the instructions of the stage compose builds
//! and the stages it is built from, how a `FROM` is pinned once its `ARG`s are resolved,
//! whether a user is root or a base image is known to run as someone else, the stages a build
//! reaches, and the rule that one Dockerfile line is one finding however many services build it.

use crate::Context;
use crate::facts::built::Built;
use crate::facts::images::ImageRef;
use seaworthy_build::dockerfile::{CopyFrom, Dockerfile, From, Instruction, InstructionKind};
use seaworthy_source::Span;

/// The instructions of the target stage and of the stages it is built from (`FROM <stage>`),
/// oldest stage first, each with its stage index.
pub(crate) fn chain_instructions<'a>(
    built: &Built<'a>,
) -> impl Iterator<Item = (usize, &'a Instruction)> {
    let dockerfile = built.dockerfile;
    let mut chain = dockerfile.chain(built.target);
    chain.reverse();
    chain
        .into_iter()
        .filter_map(|i| dockerfile.stages.get(i))
        .flat_map(|stage| stage.instructions.iter().map(move |ins| (stage.index, ins)))
}

/// The `FROM`s of the target stage's chain, oldest first.
pub(crate) fn chain_froms<'a>(built: &Built<'a>) -> Vec<&'a From> {
    let mut chain = built.dockerfile.chain(built.target);
    chain.reverse();
    chain
        .into_iter()
        .filter_map(|i| built.dockerfile.stages.get(i).map(|s| &s.from))
        .collect()
}

/// How messages name a stage: `stage `build`` or `stage 2` (0-based, as `COPY --from` counts).
pub(crate) fn stage_label(dockerfile: &Dockerfile, index: usize) -> String {
    match dockerfile.stages.get(index).and_then(|s| s.name.as_ref()) {
        Some((name, _)) => format!("stage `{name}`"),
        None => format!("stage {index}"),
    }
}

/// Whether this rule already reported a finding whose primary label is `span`: several
/// services may build one Dockerfile, and one bad line is one finding (the first service in
/// model order keeps it).
pub(crate) fn already_reported(cx: &Context<'_>, span: Span) -> bool {
    cx.findings.iter().any(|f| {
        f.diagnostic
            .primary
            .as_ref()
            .is_some_and(|l| l.span == span)
    })
}

/// How a `FROM` names its base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BasePin {
    /// An earlier stage of the same Dockerfile: pinned by whatever that stage uses.
    Stage,
    /// `scratch`: no image at all.
    Scratch,
    Digest,
    /// A tag other than `latest`.
    Tag(String),
    /// `latest`, written or implied by a missing tag.
    Latest {
        written: bool,
    },
    /// Variables without a value decide the tag: only the builder's invocation knows it.
    Unknowable(Vec<String>),
}

/// How `from` is pinned, with its `ARG`s resolved. A reference whose unresolved variables
/// leave a tag or digest in place (`golang:1.22-${TARGETARCH}`) is judged on what is written.
pub(crate) fn base_pin(from: &From) -> BasePin {
    if from.base_stage.is_some() {
        return BasePin::Stage;
    }
    let Some(expansion) = &from.image.expanded else {
        return BasePin::Unknowable(Vec::new());
    };
    let value = expansion.value.trim();
    if expansion.is_exact() && value.eq_ignore_ascii_case("scratch") {
        return BasePin::Scratch;
    }
    let image = ImageRef::parse(value);
    match (image.digest, image.tag) {
        (Some(digest), _) if !digest.is_empty() => BasePin::Digest,
        (Some(_), _) => BasePin::Unknowable(expansion.unresolved.clone()),
        (None, Some(tag)) if tag.eq_ignore_ascii_case("latest") => {
            BasePin::Latest { written: true }
        }
        (None, Some(tag)) => BasePin::Tag(tag.to_owned()),
        (None, None) if expansion.is_exact() => BasePin::Latest { written: false },
        (None, None) => BasePin::Unknowable(expansion.unresolved.clone()),
    }
}

/// The user part (before `:`) names root: `root`, or uid 0 (`00` is still 0).
pub(crate) fn is_root_user(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("").trim();
    name == "root" || (!name.is_empty() && name.bytes().all(|b| b == b'0'))
}

/// The base image is built to run as an unprivileged user: its name or tag says `nonroot`,
/// `rootless` or `unprivileged` (distroless `:nonroot`, `nginxinc/nginx-unprivileged`,
/// `docker:dind-rootless`).
pub(crate) fn is_non_root_base(image: &str) -> bool {
    let lower = image.to_ascii_lowercase();
    ["nonroot", "non-root", "rootless", "unprivileged"]
        .iter()
        .any(|marker| lower.contains(marker))
}

/// The stages a build of `target` runs: the target, the stages it is built from, and the
/// stages their `COPY --from` read, transitively. BuildKit skips the others.
pub(crate) fn reachable_stages(dockerfile: &Dockerfile, target: usize) -> Vec<bool> {
    let mut reached = vec![false; dockerfile.stages.len()];
    let mut pending = vec![target];
    while let Some(index) = pending.pop() {
        let Some(stage) = dockerfile.stages.get(index) else {
            continue;
        };
        match reached.get_mut(index) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        pending.extend(stage.from.base_stage);
        pending.extend(copy_sources(dockerfile, index));
    }
    reached
}

/// The stages the `COPY --from` of `stage` read (earlier or later ones).
pub(crate) fn copy_sources(dockerfile: &Dockerfile, stage: usize) -> Vec<usize> {
    let Some(instructions) = dockerfile.stages.get(stage).map(|s| &s.instructions) else {
        return Vec::new();
    };
    instructions
        .iter()
        .filter_map(|instruction| match &instruction.kind {
            InstructionKind::Copy(copy) => copy.from()?.value.as_deref(),
            _ => None,
        })
        .filter(|from| !from.contains('$'))
        .filter_map(|from| match dockerfile.copy_from(stage, from) {
            CopyFrom::Stage(i) | CopyFrom::NotEarlierStage(i) => Some(i),
            CopyFrom::MissingIndex | CopyFrom::Image => None,
        })
        .collect()
}

/// What an `ADD` source is, which decides what `ADD` does with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AddSource {
    /// A git repository (`https://host/repo.git#ref`, `git@host:repo`), pinned when its ref is a
    /// full commit id.
    Git { commit_pinned: bool },
    /// An `http(s)://` download.
    Url,
    /// A local tar archive, which `ADD` unpacks (or a zip, which hadolint and the catalog
    /// accept too).
    Archive,
    /// A local file or directory: `COPY` does the same, without surprises.
    Local,
}

const ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tb2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tlz",
    ".tar.lzma",
    ".tar.z",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
    ".lz",
    ".lzma",
    ".zip",
];

pub(crate) fn add_source(source: &str) -> AddSource {
    let lower = source.to_ascii_lowercase();
    let (location, fragment) = lower.split_once('#').unwrap_or((&lower, ""));
    let is_git = lower.starts_with("git@")
        || lower.starts_with("git://")
        || lower.starts_with("ssh://")
        || (lower.contains("://") && location.ends_with(".git"));
    if is_git {
        let reference = fragment.split(':').next().unwrap_or("");
        let commit_pinned =
            matches!(reference.len(), 40 | 64) && reference.bytes().all(|b| b.is_ascii_hexdigit());
        return AddSource::Git { commit_pinned };
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return AddSource::Url;
    }
    if ARCHIVE_SUFFIXES.iter().any(|s| lower.ends_with(s)) {
        return AddSource::Archive;
    }
    AddSource::Local
}

/// Runs one rule on a project made of `compose.yaml` and the files beside it, for the rules'
/// own tests: each finding as (file name, 1-based line, severity, message).
#[cfg(test)]
pub(crate) fn findings_of(
    rule: &dyn crate::Rule,
    compose: &str,
    files: &[(&str, &str)],
) -> Vec<(String, usize, seaworthy_source::Severity, String)> {
    use seaworthy_compose::{LoadOptions, Sources, load};
    use seaworthy_source::{MapEnv, MemoryFs};
    use std::path::Path;
    let root = Path::new("/project");
    let mut fs = MemoryFs::new();
    fs.insert(root.join("compose.yaml"), compose);
    for (path, text) in files {
        fs.insert(root.join(path), *text);
    }
    let options = LoadOptions {
        cwd: root.to_path_buf(),
        keep_going: true,
        ..LoadOptions::default()
    };
    let mut sources = Sources::new();
    let project = load(&options, &fs, &MapEnv::new(), &mut sources).expect("loads");
    let builds = crate::builds::gather(
        &project,
        &fs,
        &mut sources.map,
        &mut crate::builds::BuildCache::default(),
    );
    crate::check(&project, &[rule], &fs, &builds)
        .into_iter()
        .map(|finding| {
            let d = finding.diagnostic;
            let span = d.primary.expect("a location").span;
            let (path, position) = sources.map.locate(span).expect("a known file");
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            (file, position.line, d.severity, d.message)
        })
        .collect()
}

/// The lines of a rule's findings on `dockerfile`, built by `services: {app: {build: .}}`.
#[cfg(test)]
pub(crate) fn finding_lines(rule: &dyn crate::Rule, dockerfile: &str) -> Vec<usize> {
    let compose = "services:\n  app:\n    build: .\n";
    findings_of(rule, compose, &[("Dockerfile", dockerfile)])
        .into_iter()
        .map(|f| f.1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin_of(text: &str, stage: usize) -> BasePin {
        let dockerfile = Dockerfile::parse(text).unwrap();
        base_pin(&dockerfile.stages[stage].from)
    }

    #[test]
    fn args_are_resolved_before_a_from_is_judged() {
        assert_eq!(
            pin_of("ARG BASE=alpine:3.20\nFROM $BASE\n", 0),
            BasePin::Tag("3.20".into())
        );
        assert_eq!(
            pin_of("ARG BASE=alpine\nFROM ${BASE}\n", 0),
            BasePin::Latest { written: false }
        );
        assert_eq!(
            pin_of("ARG BASE\nFROM ${BASE}\n", 0),
            BasePin::Unknowable(vec!["BASE".into()])
        );
        assert_eq!(
            pin_of("ARG V\nFROM node:${V}\n", 0),
            BasePin::Unknowable(vec!["V".into()])
        );
        assert_eq!(
            pin_of("FROM golang:1.22-${TARGETARCH}\n", 0),
            BasePin::Tag("1.22-".into()),
            "a platform variable inside a written tag still leaves a tag"
        );
    }

    #[test]
    fn stages_scratch_digests_and_latest() {
        let text = "FROM node:latest AS build\nFROM build\nFROM scratch\nFROM alpine@sha256:0123\n";
        assert_eq!(pin_of(text, 0), BasePin::Latest { written: true });
        assert_eq!(pin_of(text, 1), BasePin::Stage);
        assert_eq!(pin_of(text, 2), BasePin::Scratch);
        assert_eq!(pin_of(text, 3), BasePin::Digest);
        assert_eq!(
            pin_of("FROM localhost:5000/app\n", 0),
            BasePin::Latest { written: false },
            "a registry port is not a tag"
        );
    }

    #[test]
    fn root_users_and_non_root_bases() {
        for user in ["root", "0", "0:0", "root:staff", "000"] {
            assert!(is_root_user(user), "{user}");
        }
        for user in ["app", "1000", "1000:0", "rootless", ""] {
            assert!(!is_root_user(user), "{user}");
        }
        for image in [
            "gcr.io/distroless/static-debian12:nonroot",
            "nginxinc/nginx-unprivileged:1.27",
            "docker:27-dind-rootless",
        ] {
            assert!(is_non_root_base(image), "{image}");
        }
        assert!(!is_non_root_base("python:3.12-slim"));
    }

    #[test]
    fn add_sources_are_told_apart() {
        assert_eq!(add_source("app.tar.gz"), AddSource::Archive);
        assert_eq!(add_source("dist/*.tgz"), AddSource::Archive);
        assert_eq!(add_source("config.yaml"), AddSource::Local);
        assert_eq!(
            add_source("https://example.com/tool.tar.gz"),
            AddSource::Url
        );
        assert_eq!(
            add_source("https://github.com/acme/tool.git#v1.2"),
            AddSource::Git {
                commit_pinned: false
            }
        );
        assert_eq!(
            add_source("git@github.com:acme/tool.git#0123456789abcdef0123456789abcdef01234567:sub"),
            AddSource::Git {
                commit_pinned: true
            }
        );
    }

    #[test]
    fn reachable_stages_follow_bases_and_copies_forward_and_back() {
        let text = "FROM alpine:3 AS tools\nFROM alpine:3 AS unused\nFROM alpine:3 AS app\nCOPY --from=late /x /x\nFROM tools AS late\n";
        let dockerfile = Dockerfile::parse(text).unwrap();
        assert_eq!(
            reachable_stages(&dockerfile, 2),
            [true, false, true, true],
            "a later stage read by COPY --from is built, with its base"
        );
    }
}
