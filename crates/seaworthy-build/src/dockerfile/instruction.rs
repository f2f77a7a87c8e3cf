//! The instructions of a stage as owned data: each with its span and the parts the rules read
//! (the `USER` value, `HEALTHCHECK` test, `EXPOSE` ports, `ENV`/`ARG` pairs, resolved `WORKDIR`,
//! `COPY`/`ADD` sources and flags, `RUN` command and mounts, exec or shell form).

use std::ops::Range;

use super::expand::Expansion;

/// A byte range in the Dockerfile text.
pub type ByteSpan = Range<usize>;

/// A word as written (continuations joined, quotes kept) and as BuildKit expands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub span: ByteSpan,
    pub raw: String,
    /// `None` when BuildKit would fail to expand it, or uses a form we do not compute.
    pub expanded: Option<Expansion>,
}

impl Word {
    /// The expanded value when it is exactly known.
    pub fn exact(&self) -> Option<&str> {
        self.expanded
            .as_ref()
            .filter(|e| e.is_exact())
            .map(|e| e.value.as_str())
    }
}

/// An option flag such as `--from=build` or `--link`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub span: ByteSpan,
    pub name: String,
    pub value: Option<String>,
}

/// `CMD`, `ENTRYPOINT`, `RUN` and `HEALTHCHECK CMD` arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandLine {
    /// A JSON array: run directly, without a shell.
    Exec { span: ByteSpan, args: Vec<String> },
    /// A string run by the stage's `SHELL` (default `/bin/sh -c`); `text` has its continuation
    /// lines joined and comment lines dropped, as BuildKit does.
    Shell { span: ByteSpan, text: String },
}

impl CommandLine {
    pub fn span(&self) -> ByteSpan {
        match self {
            CommandLine::Exec { span, .. } | CommandLine::Shell { span, .. } => span.clone(),
        }
    }

    pub fn is_exec(&self) -> bool {
        matches!(self, CommandLine::Exec { .. })
    }
}

/// A here-document body (`<<EOF`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HereDoc {
    pub span: ByteSpan,
    /// `false` when the delimiter is quoted: variables in the body are not expanded.
    pub expand: bool,
    pub body: String,
}

/// One pair of an `ARG` instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgPair {
    /// The whole `name[=default]` word.
    pub span: ByteSpan,
    pub name: String,
    /// The default as written (quotes kept); `None` for `ARG NAME`.
    pub default: Option<Word>,
    /// The value the build uses: a build argument, else the expanded default, else (in a stage)
    /// the global `ARG` of the same name. `None` when the argument has no value.
    pub value: Option<Expansion>,
    /// The value comes from a build argument.
    pub from_build_arg: bool,
}

/// One pair of an `ENV` instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvPair {
    pub span: ByteSpan,
    pub name: String,
    pub value: Word,
    /// Written as the legacy `ENV name value`.
    pub legacy: bool,
}

/// `HEALTHCHECK`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`: disables any check inherited from the base image.
    None,
    Cmd {
        command: CommandLine,
        options: Vec<Flag>,
    },
}

/// One port of `EXPOSE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposedPort {
    pub word: Word,
    /// First and last port of `80` or `8000-8010`, when the expanded text is numeric.
    pub range: Option<(u32, u32)>,
    /// `tcp` unless written otherwise (lowercased).
    pub protocol: String,
}

/// `WORKDIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workdir {
    pub path: Word,
    /// The directory after joining a relative path to the earlier `WORKDIR`s of the stage and
    /// its ancestors and cleaning it, as BuildKit does. `None` when it depends on the base
    /// image's working directory (a relative path with no absolute one before it) or on an
    /// unresolved variable.
    pub resolved: Option<String>,
}

/// A `COPY` or `ADD` source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopySource {
    Path(Word),
    HereDoc(HereDoc),
}

/// `COPY` and `ADD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub flags: Vec<Flag>,
    pub sources: Vec<CopySource>,
    pub dest: Word,
}

impl Copy {
    fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// `--from`: a stage name, a stage index or an image.
    pub fn from(&self) -> Option<&Flag> {
        self.flag("from")
    }

    pub fn chown(&self) -> Option<&Flag> {
        self.flag("chown")
    }

    pub fn chmod(&self) -> Option<&Flag> {
        self.flag("chmod")
    }

    pub fn checksum(&self) -> Option<&Flag> {
        self.flag("checksum")
    }

    /// `--link` or `--link=true`.
    pub fn link(&self) -> bool {
        self.flag("link")
            .is_some_and(|f| f.value.as_deref().is_none_or(|v| v == "true"))
    }
}

/// `RUN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub flags: Vec<Flag>,
    pub command: CommandLine,
    pub heredocs: Vec<HereDoc>,
}

impl Run {
    /// The values of the `--mount` flags, such as `type=cache,target=/root/.cache`.
    pub fn mounts(&self) -> impl Iterator<Item = &Flag> {
        self.flags.iter().filter(|f| f.name == "mount")
    }

    /// What the shell runs: the command text followed by the here-document bodies.
    pub fn script(&self) -> String {
        let mut script = match &self.command {
            CommandLine::Shell { text, .. } => text.clone(),
            CommandLine::Exec { args, .. } => args.join(" "),
        };
        for doc in &self.heredocs {
            script.push('\n');
            script.push_str(&doc.body);
        }
        script
    }
}

/// `USER user[:group]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub value: Word,
}

impl User {
    /// The user part of the exact value (before `:`).
    pub fn user(&self) -> Option<&str> {
        self.value
            .exact()
            .map(|v| v.split_once(':').map_or(v, |(u, _)| u))
    }

    /// The group part of the exact value (after `:`).
    pub fn group(&self) -> Option<&str> {
        self.value
            .exact()
            .and_then(|v| v.split_once(':'))
            .map(|(_, g)| g)
    }
}

/// What an instruction is, with its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstructionKind {
    Add(Copy),
    Arg(Vec<ArgPair>),
    Cmd(CommandLine),
    Copy(Copy),
    Entrypoint(CommandLine),
    Env(Vec<EnvPair>),
    Expose(Vec<ExposedPort>),
    Healthcheck(Healthcheck),
    /// The arguments as written, continuations joined.
    Label(String),
    Maintainer(String),
    /// The instruction a downstream build runs; its words are not expanded here.
    Onbuild(Box<Instruction>),
    Run(Run),
    Shell(Vec<String>),
    Stopsignal(Word),
    User(User),
    Volume(Vec<Word>),
    Workdir(Workdir),
}

impl InstructionKind {
    /// The keyword in upper case.
    pub fn keyword(&self) -> &'static str {
        match self {
            InstructionKind::Add(_) => "ADD",
            InstructionKind::Arg(_) => "ARG",
            InstructionKind::Cmd(_) => "CMD",
            InstructionKind::Copy(_) => "COPY",
            InstructionKind::Entrypoint(_) => "ENTRYPOINT",
            InstructionKind::Env(_) => "ENV",
            InstructionKind::Expose(_) => "EXPOSE",
            InstructionKind::Healthcheck(_) => "HEALTHCHECK",
            InstructionKind::Label(_) => "LABEL",
            InstructionKind::Maintainer(_) => "MAINTAINER",
            InstructionKind::Onbuild(_) => "ONBUILD",
            InstructionKind::Run(_) => "RUN",
            InstructionKind::Shell(_) => "SHELL",
            InstructionKind::Stopsignal(_) => "STOPSIGNAL",
            InstructionKind::User(_) => "USER",
            InstructionKind::Volume(_) => "VOLUME",
            InstructionKind::Workdir(_) => "WORKDIR",
        }
    }
}

/// One instruction of a stage (or a global `ARG`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// From the keyword to the end of its last argument (here-document terminators included).
    pub span: ByteSpan,
    pub keyword_span: ByteSpan,
    pub kind: InstructionKind,
}
