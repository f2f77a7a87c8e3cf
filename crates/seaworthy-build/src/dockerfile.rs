//! Dockerfiles: parsed with spans, their stages and the facts of the stage compose builds.
//!
//! parse-dockerfile does the parsing (parser directives, continuations, here-documents, exec
//! and shell forms, lowercase keywords, flags, spans). This module turns its output into owned
//! data and adds what BuildKit does after parsing: `ENV`/`ARG` pair splitting, `ARG` scoping
//! and `FROM` expansion with the build arguments, stage lookup by case-insensitive name, the
//! stage a build target selects and its `FROM <stage>` chain, `WORKDIR` resolution, and the
//! image facts a stage ends with (user, health check, ports, environment, command).
//! Spans are byte ranges into the Dockerfile text as given.

mod convert;
mod expand;
mod instruction;
mod words;

use std::collections::BTreeMap;
use std::fmt;

pub use expand::Expansion;
pub use instruction::{
    ArgPair, ByteSpan, CommandLine, Copy, CopySource, EnvPair, ExposedPort, Flag, Healthcheck,
    HereDoc, Instruction, InstructionKind, Run, User, Word, Workdir,
};

/// The Dockerfile could not be parsed; BuildKit would refuse it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerfileError {
    /// Byte offset in the text where the problem was found.
    pub offset: usize,
    /// 1-based line and byte column; 0 when the problem is the whole file (no `FROM`).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for DockerfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(
                f,
                "{} at line {} column {}",
                self.message, self.line, self.column
            )
        }
    }
}

impl std::error::Error for DockerfileError {}

/// A parsed Dockerfile with its words expanded for one set of build arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    /// The `# escape=` character (`\` by default).
    pub escape: char,
    /// The `# syntax=` directive, when present.
    pub syntax: Option<String>,
    /// `ARG` instructions before the first `FROM`.
    pub global_args: Vec<Instruction>,
    /// In file order; never empty.
    pub stages: Vec<Stage>,
}

/// One build stage: a `FROM` and the instructions up to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// The `AS` name as written, with its span.
    pub name: Option<(String, ByteSpan)>,
    pub from: From,
    pub instructions: Vec<Instruction>,
}

impl Stage {
    /// The name as BuildKit keys it: lowercased.
    pub fn lookup_name(&self) -> Option<String> {
        self.name.as_ref().map(|(n, _)| n.to_lowercase())
    }
}

/// A `FROM` instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct From {
    pub span: ByteSpan,
    pub keyword_span: ByteSpan,
    /// The image as written, and expanded with the global `ARG`s (their defaults, overridden
    /// by build arguments; the platform arguments are unresolved).
    pub image: Word,
    /// `--platform`, expanded like the image.
    pub platform: Option<Word>,
    pub flags: Vec<Flag>,
    /// The earlier stage this one builds on, when the expanded image names one.
    pub base_stage: Option<usize>,
}

/// Where a `COPY --from` reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyFrom {
    /// An earlier stage.
    Stage(usize),
    /// The stage itself or a later one. BuildKit refuses a stage that copies from itself,
    /// and a later stage only when the references form a cycle (`dockerfile-invalid`).
    NotEarlierStage(usize),
    /// A numeric index with no stage.
    MissingIndex,
    /// An image (or a build context) by that name.
    Image,
}

/// A value of a stage's image and the instruction that set it.
#[derive(Debug, PartialEq, Eq)]
pub struct Located<'a, T> {
    pub stage: usize,
    pub instruction: &'a Instruction,
    pub value: &'a T,
}

// Derived `Clone` would require `T: Clone`; only references are copied.
impl<T> Clone for Located<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> std::marker::Copy for Located<'_, T> {}

/// The `CMD` a stage's image ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectiveCmd<'a> {
    /// No `CMD` or `ENTRYPOINT` in the chain: the base image decides.
    FromBaseImage,
    /// An `ENTRYPOINT` (this instruction) reset the inherited `CMD` and no `CMD` followed.
    ClearedBy(&'a Instruction),
    Set(Located<'a, CommandLine>),
}

impl Dockerfile {
    /// Parses `text` with no build arguments.
    pub fn parse(text: &str) -> Result<Dockerfile, DockerfileError> {
        Dockerfile::parse_with_build_args(text, &BTreeMap::new())
    }

    /// Parses `text` and expands its words as a build with these build arguments would
    /// (compose `build.args`).
    pub fn parse_with_build_args(
        text: &str,
        build_args: &BTreeMap<String, String>,
    ) -> Result<Dockerfile, DockerfileError> {
        convert::parse(text, build_args)
    }

    /// The stage whose lowercased name is `name` lowercased; the last one when several share it,
    /// as BuildKit's lookup does.
    pub fn stage_by_name(&self, name: &str) -> Option<usize> {
        let wanted = name.to_lowercase();
        self.stages
            .iter()
            .rev()
            .find(|s| s.lookup_name().as_deref() == Some(&*wanted))
            .map(|s| s.index)
    }

    /// The stage a build with this target builds: the named stage, or the last stage when
    /// there is no target. `None` when the target names no stage (the build fails).
    pub fn target_stage(&self, target: Option<&str>) -> Option<usize> {
        match target {
            None => self.stages.len().checked_sub(1),
            Some(t) => self.stage_by_name(t),
        }
    }

    /// `stage` followed by the stages it builds on through `FROM <stage>`, nearest first.
    pub fn chain(&self, stage: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = self.stages.get(stage).map(|s| s.index);
        while let Some(i) = current {
            chain.push(i);
            // A base is always an earlier stage, so this ends.
            current = self
                .stages
                .get(i)
                .and_then(|s| s.from.base_stage)
                .filter(|&b| b < i);
        }
        chain
    }

    /// The stages `stage` builds on, nearest first (the chain without the stage itself).
    pub fn ancestors(&self, stage: usize) -> Vec<usize> {
        self.chain(stage).into_iter().skip(1).collect()
    }

    /// Where `COPY --from=<from>` in `stage` reads from.
    pub fn copy_from(&self, stage: usize, from: &str) -> CopyFrom {
        let found = if !from.is_empty() && from.bytes().all(|b| b.is_ascii_digit()) {
            match from
                .parse::<usize>()
                .ok()
                .filter(|&i| i < self.stages.len())
            {
                Some(i) => Some(i),
                None => return CopyFrom::MissingIndex,
            }
        } else {
            self.stage_by_name(from)
        };
        match found {
            Some(i) if i < stage => CopyFrom::Stage(i),
            Some(i) => CopyFrom::NotEarlierStage(i),
            None => CopyFrom::Image,
        }
    }

    /// The instructions of the chain, oldest stage first, with their stage index.
    fn chain_instructions(&self, stage: usize) -> impl Iterator<Item = (usize, &Instruction)> {
        let mut chain = self.chain(stage);
        chain.reverse();
        chain
            .into_iter()
            .filter_map(|i| self.stages.get(i))
            .flat_map(|s| s.instructions.iter().map(move |ins| (s.index, ins)))
    }

    /// The last `USER` of the stage or its ancestors; `None` when the base image decides.
    pub fn effective_user(&self, stage: usize) -> Option<Located<'_, User>> {
        self.chain_instructions(stage)
            .filter_map(|(stage, instruction)| match &instruction.kind {
                InstructionKind::User(value) => Some(Located {
                    stage,
                    instruction,
                    value,
                }),
                _ => None,
            })
            .last()
    }

    /// The last `HEALTHCHECK` (including `NONE`) of the stage or its ancestors.
    pub fn effective_healthcheck(&self, stage: usize) -> Option<Located<'_, Healthcheck>> {
        self.chain_instructions(stage)
            .filter_map(|(stage, instruction)| match &instruction.kind {
                InstructionKind::Healthcheck(value) => Some(Located {
                    stage,
                    instruction,
                    value,
                }),
                _ => None,
            })
            .last()
    }

    /// Every `EXPOSE`d port of the stage and its ancestors, oldest first (the base image may
    /// expose more).
    pub fn exposed_ports(&self, stage: usize) -> Vec<Located<'_, ExposedPort>> {
        self.chain_instructions(stage)
            .flat_map(|(stage, instruction)| {
                let ports: &[ExposedPort] = match &instruction.kind {
                    InstructionKind::Expose(ports) => ports,
                    _ => &[],
                };
                ports.iter().map(move |value| Located {
                    stage,
                    instruction,
                    value,
                })
            })
            .collect()
    }

    /// The `ENV` variables the image ends with, one per name (the last value wins, in the order
    /// names were first set), as Docker merges them. The base image may set more.
    pub fn env(&self, stage: usize) -> Vec<Located<'_, EnvPair>> {
        let mut env: Vec<Located<'_, EnvPair>> = Vec::new();
        for (stage, instruction) in self.chain_instructions(stage) {
            let InstructionKind::Env(pairs) = &instruction.kind else {
                continue;
            };
            for value in pairs {
                let located = Located {
                    stage,
                    instruction,
                    value,
                };
                match env.iter_mut().find(|l| l.value.name == value.name) {
                    Some(slot) => *slot = located,
                    None => env.push(located),
                }
            }
        }
        env
    }

    /// The last `WORKDIR` of the stage or its ancestors (its `resolved` path is the image's).
    pub fn workdir(&self, stage: usize) -> Option<Located<'_, Workdir>> {
        self.chain_instructions(stage)
            .filter_map(|(stage, instruction)| match &instruction.kind {
                InstructionKind::Workdir(value) => Some(Located {
                    stage,
                    instruction,
                    value,
                }),
                _ => None,
            })
            .last()
    }

    /// The last `ENTRYPOINT` of the stage or its ancestors; `None` when the base image decides.
    pub fn entrypoint(&self, stage: usize) -> Option<Located<'_, CommandLine>> {
        self.chain_instructions(stage)
            .filter_map(|(stage, instruction)| match &instruction.kind {
                InstructionKind::Entrypoint(value) => Some(Located {
                    stage,
                    instruction,
                    value,
                }),
                _ => None,
            })
            .last()
    }

    /// The `CMD` the image ends with. As in BuildKit, an `ENTRYPOINT` resets the `CMD` unless a
    /// `CMD` came earlier in the same stage.
    pub fn cmd(&self, stage: usize) -> EffectiveCmd<'_> {
        let mut cmd = EffectiveCmd::FromBaseImage;
        let mut current_stage = None;
        let mut cmd_in_stage = false;
        for (stage, instruction) in self.chain_instructions(stage) {
            if current_stage != Some(stage) {
                current_stage = Some(stage);
                cmd_in_stage = false;
            }
            match &instruction.kind {
                InstructionKind::Cmd(value) => {
                    cmd = EffectiveCmd::Set(Located {
                        stage,
                        instruction,
                        value,
                    });
                    cmd_in_stage = true;
                }
                InstructionKind::Entrypoint(_) if !cmd_in_stage => {
                    cmd = EffectiveCmd::ClearedBy(instruction);
                }
                _ => {}
            }
        }
        cmd
    }
}

#[cfg(test)]
mod tests;
