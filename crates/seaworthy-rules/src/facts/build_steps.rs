//! The instructions that make the images a target builds, as the Dockerfile rules walk them:
//! for each service that builds (in model order), the stage compose builds and the stages it
//! is built from, oldest first. Builder stages reached only through `COPY --from` are not
//! part of the image and are not walked. Several services may build one Dockerfile, so an
//! instruction is reported once, for the first service whose build reaches it.

use crate::facts::built::{Built, built};
use crate::{Context, Service};
use seaworthy_build::dockerfile::{Instruction, Run, Stage};
use seaworthy_source::Span;
use std::collections::BTreeSet;

/// The image one service builds.
#[derive(Clone, Copy)]
pub(crate) struct Image<'a> {
    pub service: Service<'a>,
    pub built: Built<'a>,
}

impl<'a> Image<'a> {
    /// The stages of the image, the one `FROM` an external image first, the target last.
    pub fn stages(&self) -> Vec<&'a Stage> {
        let mut chain = self.built.dockerfile.chain(self.built.target);
        chain.reverse();
        chain
            .into_iter()
            .filter_map(|i| self.built.dockerfile.stages.get(i))
            .collect()
    }

    /// Every instruction of the image's stages, in build order.
    pub fn instructions(&self) -> Vec<&'a Instruction> {
        self.stages()
            .into_iter()
            .flat_map(|s| s.instructions.iter())
            .collect()
    }

    /// The stage that starts from an external image (the first of `stages`).
    pub fn root(&self) -> Option<&'a Stage> {
        self.stages().into_iter().next()
    }

    /// The external image the chain starts from, when its reference is exactly known.
    pub fn base_image(&self) -> Option<&'a str> {
        self.root().and_then(|s| s.from.image.exact())
    }

    /// Where a byte range of the Dockerfile is in the source map.
    pub fn span(&self, range: &std::ops::Range<usize>) -> Span {
        self.built.build.dockerfile.span(range)
    }
}

/// The images of the target's services that build locally, in model order.
pub(crate) fn images<'a>(cx: &Context<'a>) -> Vec<Image<'a>> {
    let builds = cx.builds;
    cx.services()
        .into_iter()
        .filter_map(|service| {
            Some(Image {
                service,
                built: built(builds, &service)?,
            })
        })
        .collect()
}

/// The instructions already reported by one rule in one run.
#[derive(Default)]
pub(crate) struct Once {
    seen: BTreeSet<Span>,
}

impl Once {
    /// `true` the first time any image reaches this instruction of its Dockerfile.
    pub fn first(&mut self, image: &Image<'_>, instruction: &Instruction) -> bool {
        self.first_span(image.span(&instruction.span))
    }

    /// `true` the first time this span (a `FROM`, which is no stage instruction) is reached.
    pub fn first_span(&mut self, span: Span) -> bool {
        self.seen.insert(span)
    }
}

/// The targets of a `RUN`'s cache and tmpfs mounts (`--mount=type=cache,target=/root/.cache`):
/// what is written there never reaches the image.
pub(crate) fn discarded_dirs(run: &Run) -> Vec<String> {
    run.mounts()
        .filter_map(|flag| {
            let value = flag.value.as_deref()?;
            let mut kind = "bind";
            let mut target = None;
            for option in value.split(',') {
                let (key, val) = option.split_once('=').unwrap_or((option, ""));
                let val = val.trim().trim_matches(|c| c == '"' || c == '\'');
                match key.trim() {
                    "type" => kind = val,
                    "target" | "dst" | "destination" => target = Some(val),
                    _ => {}
                }
            }
            let target = target?.trim_end_matches('/');
            matches!(kind, "cache" | "tmpfs").then(|| target.to_owned())
        })
        .collect()
}

/// A mount at one of `dirs` covers `path`: the path is the mount target or inside it.
pub(crate) fn covered(dirs: &[String], path: &str) -> bool {
    dirs.iter().any(|dir| {
        path == dir
            || path
                .strip_prefix(dir.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
            || dir.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_build::dockerfile::{Dockerfile, InstructionKind};

    fn run(text: &str) -> Run {
        let parsed = Dockerfile::parse(&format!("FROM debian\n{text}\n")).unwrap();
        match &parsed.stages[0].instructions[0].kind {
            InstructionKind::Run(run) => run.clone(),
            other => panic!("not a RUN: {other:?}"),
        }
    }

    #[test]
    fn cache_and_tmpfs_mounts_discard_their_targets() {
        let r = run(
            "RUN --mount=type=cache,target=\"/var/lib/apt/\",sharing=locked \
             --mount=type=tmpfs,dst=/tmp --mount=type=bind,target=/src \
             --mount=target=/var/cache/apk,type=cache apk add x",
        );
        let dirs = discarded_dirs(&r);
        assert_eq!(dirs, ["/var/lib/apt", "/tmp", "/var/cache/apk"]);
        assert!(covered(&dirs, "/var/lib/apt/lists"));
        assert!(covered(&dirs, "/var/cache/apk"));
        assert!(!covered(&dirs, "/var/lib/apt-other"));
        assert!(!covered(&dirs, "/src"));
    }
}
