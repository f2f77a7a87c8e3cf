//! From parse-dockerfile's borrowed tree to our owned model, stage by stage, keeping the
//! variables in scope as BuildKit's dispatcher does: global `ARG`s (with build arguments and
//! the builder's platform arguments) for `FROM`; in a stage, its `ARG`s and `ENV`s, inherited
//! from the stage it builds on; and the working directory for relative `WORKDIR`s.

use std::collections::BTreeMap;

use parse_dockerfile as pd;

use super::expand::{Expansion, Scope, Var, expand};
use super::instruction::{
    ArgPair, ByteSpan, CommandLine, Copy, CopySource, EnvPair, ExposedPort, Flag, Healthcheck,
    HereDoc, Instruction, InstructionKind, Run, User, Word, Workdir,
};
use super::words::{Joined, PairError, arg_pairs, name_values};
use super::{Dockerfile, DockerfileError, From, Stage};

/// Arguments BuildKit defines before the first `ARG`, valued by the builder's platform.
const PLATFORM_ARGS: [&str; 11] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDOSVERSION",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
];

const UTF8_BOM: &str = "\u{feff}";

/// The working directory a stage has reached.
#[derive(Debug, Clone)]
enum Dir {
    /// The base image's: unknown to us.
    Base,
    Known(String),
}

/// What a stage leaves to a stage built on it.
#[derive(Debug, Clone)]
struct StageEnd {
    scope: Scope,
    dir: Dir,
}

struct Cx<'t> {
    /// The whole text as given.
    text: &'t str,
    /// Length of a byte-order mark parse-dockerfile skipped: its spans start after it.
    shift: usize,
    escape: char,
    build_args: &'t BTreeMap<String, String>,
}

pub(super) fn parse(
    text: &str,
    build_args: &BTreeMap<String, String>,
) -> Result<Dockerfile, DockerfileError> {
    let shift = if text.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    // `parse_iter` rather than `parse`: BuildKit only warns about duplicate stage names.
    let iter = pd::parse_iter(text).map_err(|e| crate_error(text, shift, &e))?;
    let (escape, syntax) = directives(text);
    let mut parsed = Vec::new();
    for item in iter {
        parsed.push(item.map_err(|e| crate_error(text, shift, &e))?);
    }
    let cx = Cx {
        text,
        shift,
        escape,
        build_args,
    };

    let mut global_scope = Scope::default();
    for name in PLATFORM_ARGS {
        global_scope.set(
            name,
            build_args
                .get(name)
                .map_or(Var::Unknown, |v| Var::Known(v.clone())),
        );
    }
    let mut global_args = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    let mut ends: Vec<StageEnd> = Vec::new();
    let mut current: Option<(Stage, StageEnd)> = None;
    for ins in &parsed {
        match ins {
            pd::Instruction::From(from) => {
                if let Some((stage, end)) = current.take() {
                    stages.push(stage);
                    ends.push(end);
                }
                current = Some(cx.stage(from, stages.len(), &stages, &ends, &global_scope));
            }
            other => match current.as_mut() {
                None => {
                    // parse-dockerfile allows only ARG before the first FROM.
                    let pd::Instruction::Arg(arg) = other else {
                        continue;
                    };
                    let pairs = cx.global_arg(arg, &mut global_scope)?;
                    global_args.push(cx.instruction(other, InstructionKind::Arg(pairs)));
                }
                Some((_, end)) => {
                    let converted = cx.convert(other, end, &global_scope)?;
                    if let Some((stage, _)) = current.as_mut() {
                        stage.instructions.push(converted);
                    }
                }
            },
        }
    }
    if let Some((stage, _)) = current.take() {
        stages.push(stage);
    }
    if stages.is_empty() {
        return Err(DockerfileError {
            offset: 0,
            line: 0,
            column: 0,
            message: "expected at least one FROM instruction".to_owned(),
        });
    }
    Ok(Dockerfile {
        escape,
        syntax,
        global_args,
        stages,
    })
}

/// The `escape` and `syntax` directives. `ParseIter` keeps them private, so the crate parses the
/// directive block again (the leading lines that start with `#`) followed by a bare `FROM`.
fn directives(text: &str) -> (char, Option<String>) {
    let body = text.strip_prefix(UTF8_BOM).unwrap_or(text);
    let block_len: usize = body
        .split_inclusive('\n')
        .take_while(|l| l.starts_with('#'))
        .map(str::len)
        .sum();
    let mut probe = body.get(..block_len).unwrap_or("").to_owned();
    if !probe.is_empty() && !probe.ends_with('\n') {
        probe.push('\n');
    }
    probe.push_str("FROM scratch\n");
    match pd::parse(&probe) {
        Ok(parsed) => (
            parsed
                .parser_directives
                .escape
                .map_or('\\', |d| d.value.value),
            parsed
                .parser_directives
                .syntax
                .map(|d| d.value.value.to_owned()),
        ),
        Err(_) => ('\\', None),
    }
}

/// Turns a parse-dockerfile error (1-based line and byte column of the text after any BOM)
/// into ours with a byte offset.
fn crate_error(text: &str, shift: usize, e: &pd::Error) -> DockerfileError {
    let message = format!("{e:#}");
    let (line, column) = (e.line(), e.column());
    let body = text.get(shift..).unwrap_or("");
    let mut offset = 0;
    if line > 0 {
        let line_start: usize = body
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        offset = (line_start + column.saturating_sub(1)).min(body.len());
    }
    DockerfileError {
        offset: offset + if line > 0 { shift } else { 0 },
        line,
        column: if line == 1 { column + shift } else { column },
        message,
    }
}

fn pair_error(cx: &Cx<'_>, joined: &Joined, e: PairError) -> DockerfileError {
    let offset = joined.source_span(e.at..e.at + 1).start;
    let before = cx.text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    DockerfileError {
        offset,
        line,
        column,
        message: e.message,
    }
}

fn exact_var(e: Option<&Expansion>) -> Var {
    match e {
        Some(e) if e.is_exact() => Var::Known(e.value.clone()),
        _ => Var::Unknown,
    }
}

impl Cx<'_> {
    fn span(&self, span: &pd::Span) -> ByteSpan {
        span.start + self.shift..span.end + self.shift
    }

    fn word(&self, s: &pd::UnescapedString<'_>, scope: Option<&Scope>) -> Word {
        Word {
            span: self.span(&s.span),
            raw: s.value.to_string(),
            expanded: scope.and_then(|scope| expand(&s.value, scope, self.escape)),
        }
    }

    fn flag(&self, f: &pd::Flag<'_>) -> Flag {
        Flag {
            span: self.span(&f.span()),
            name: f.name.value.to_string(),
            value: f.value.as_ref().map(|v| v.value.to_string()),
        }
    }

    fn joined(&self, s: &pd::UnescapedString<'_>) -> Joined {
        Joined::new(self.text, self.span(&s.span), self.escape)
    }

    fn command(&self, c: &pd::Command<'_>) -> CommandLine {
        match c {
            pd::Command::Exec(args) => CommandLine::Exec {
                span: self.span(&args.span),
                args: args.value.iter().map(|a| a.value.to_string()).collect(),
            },
            pd::Command::Shell(text) => {
                let span = self.span(&text.span);
                let joined = Joined::new(self.text, span.clone(), self.escape);
                CommandLine::Shell {
                    span,
                    text: joined.text,
                }
            }
            _ => CommandLine::Shell {
                span: 0..0,
                text: String::new(),
            },
        }
    }

    fn heredoc(&self, h: &pd::HereDoc<'_>) -> HereDoc {
        HereDoc {
            span: self.span(&h.span),
            expand: h.expand,
            body: h.value.to_string(),
        }
    }

    /// A stage's `FROM`, and what the stage starts with.
    fn stage(
        &self,
        from: &pd::FromInstruction<'_>,
        index: usize,
        earlier: &[Stage],
        ends: &[StageEnd],
        global: &Scope,
    ) -> (Stage, StageEnd) {
        let image = self.word(&from.image, Some(global));
        let flags: Vec<Flag> = from.options.iter().map(|f| self.flag(f)).collect();
        let platform = from
            .options
            .iter()
            .rev()
            .find(|f| f.name.value.eq_ignore_ascii_case("platform"))
            .and_then(|f| f.value.as_ref())
            .map(|v| self.word(v, Some(global)));
        // BuildKit looks the expanded name up as is among the earlier stages' lowercased names.
        let base_stage = image.expanded.as_ref().and_then(|e| {
            earlier
                .iter()
                .rev()
                .find(|s| s.lookup_name().as_deref() == Some(&*e.value))
                .map(|s| s.index)
        });
        let mut end = match base_stage.and_then(|b| ends.get(b)) {
            Some(end) => end.clone(),
            None => StageEnd {
                scope: Scope::default(),
                dir: Dir::Base,
            },
        };
        if base_stage.is_none() && image.exact() == Some("scratch") {
            end.dir = Dir::Known("/".to_owned());
        }
        let mut last = from.image.span.end;
        if let Some((_, name)) = &from.as_ {
            last = last.max(name.span.end);
        }
        let stage = Stage {
            index,
            name: from
                .as_
                .as_ref()
                .map(|(_, n)| (n.value.to_string(), self.span(&n.span))),
            from: From {
                span: self.span(&(from.from.span.start..last)),
                keyword_span: self.span(&from.from.span),
                image,
                platform,
                flags,
                base_stage,
            },
            instructions: Vec::new(),
        };
        (stage, end)
    }

    fn global_arg(
        &self,
        arg: &pd::ArgInstruction<'_>,
        scope: &mut Scope,
    ) -> Result<Vec<ArgPair>, DockerfileError> {
        let joined = self.joined(&arg.arguments);
        let raw = arg_pairs(&joined.text, self.escape).map_err(|e| pair_error(self, &joined, e))?;
        let mut pairs = Vec::with_capacity(raw.len());
        for p in raw {
            let default = p.value.as_ref().map(|v| Word {
                span: joined.source_span(p.value_range.clone()),
                raw: v.clone(),
                expanded: expand(v, scope, self.escape),
            });
            let build_arg = self.build_args.get(&p.name);
            let value = match build_arg {
                Some(v) => Some(Expansion {
                    value: v.clone(),
                    unresolved: Vec::new(),
                }),
                None => default.as_ref().and_then(|d| d.expanded.clone()),
            };
            if let Some(v) = &value {
                scope.set(&p.name, exact_var(Some(v)));
            }
            pairs.push(ArgPair {
                span: joined.source_span(p.range),
                name: p.name,
                default,
                value,
                from_build_arg: build_arg.is_some(),
            });
        }
        Ok(pairs)
    }

    fn instruction(&self, ins: &pd::Instruction<'_>, kind: InstructionKind) -> Instruction {
        let (start, end) = extent(ins);
        let end = self.after_heredoc_terminator(ins, end);
        Instruction {
            span: self.span(&(start..end)),
            keyword_span: self.span(&keyword(ins)),
            kind,
        }
    }

    /// A here-document's span covers its body; the instruction also covers the terminator line.
    fn after_heredoc_terminator(&self, ins: &pd::Instruction<'_>, end: usize) -> usize {
        let docs: &[pd::HereDoc<'_>] = match ins {
            pd::Instruction::Run(run) => &run.here_docs,
            _ => &[],
        };
        let copy_docs = match ins {
            pd::Instruction::Copy(c) => heredoc_ends(&c.src),
            pd::Instruction::Add(a) => heredoc_ends(&a.src),
            _ => None,
        };
        let last_doc = docs
            .iter()
            .map(|d| d.span.end)
            .max()
            .into_iter()
            .chain(copy_docs)
            .max();
        match last_doc {
            Some(doc_end) if doc_end >= end => {
                let body = self.text.get(self.shift..).unwrap_or("");
                let rest = body.get(doc_end..).unwrap_or("");
                let line = rest.split('\n').next().unwrap_or("");
                doc_end + line.trim_end_matches('\r').len()
            }
            _ => end,
        }
    }

    fn convert(
        &self,
        ins: &pd::Instruction<'_>,
        end: &mut StageEnd,
        global: &Scope,
    ) -> Result<Instruction, DockerfileError> {
        let kind = self.kind(ins, end, global)?;
        Ok(self.instruction(ins, kind))
    }

    fn kind(
        &self,
        ins: &pd::Instruction<'_>,
        end: &mut StageEnd,
        global: &Scope,
    ) -> Result<InstructionKind, DockerfileError> {
        let scope = &end.scope;
        Ok(match ins {
            pd::Instruction::Add(add) => {
                InstructionKind::Add(self.copy(&add.options, &add.src, &add.dest, scope))
            }
            pd::Instruction::Copy(copy) => {
                InstructionKind::Copy(self.copy(&copy.options, &copy.src, &copy.dest, scope))
            }
            pd::Instruction::Arg(arg) => InstructionKind::Arg(self.stage_arg(arg, end, global)?),
            pd::Instruction::Env(env) => InstructionKind::Env(self.env(env, &mut end.scope)?),
            pd::Instruction::Cmd(cmd) => InstructionKind::Cmd(self.command(&cmd.arguments)),
            pd::Instruction::Entrypoint(e) => {
                InstructionKind::Entrypoint(self.command(&e.arguments))
            }
            pd::Instruction::Expose(expose) => InstructionKind::Expose(
                expose
                    .arguments
                    .iter()
                    .map(|w| exposed_port(self.word(w, Some(scope))))
                    .collect(),
            ),
            pd::Instruction::Healthcheck(h) => InstructionKind::Healthcheck(match &h.arguments {
                pd::HealthcheckArguments::Cmd { arguments, .. } => Healthcheck::Cmd {
                    command: self.command(arguments),
                    options: h.options.iter().map(|f| self.flag(f)).collect(),
                },
                _ => Healthcheck::None,
            }),
            pd::Instruction::Label(label) => {
                InstructionKind::Label(self.joined(&label.arguments).text)
            }
            pd::Instruction::Maintainer(m) => InstructionKind::Maintainer(m.name.value.to_string()),
            pd::Instruction::Onbuild(onbuild) => {
                // Triggers run in a downstream build, with that build's variables.
                let mut detached = StageEnd {
                    scope: Scope::default(),
                    dir: Dir::Base,
                };
                let inner = self.convert(&onbuild.instruction, &mut detached, &Scope::default())?;
                InstructionKind::Onbuild(Box::new(inner))
            }
            pd::Instruction::Run(run) => InstructionKind::Run(Run {
                flags: run.options.iter().map(|f| self.flag(f)).collect(),
                command: self.command(&run.arguments),
                heredocs: run.here_docs.iter().map(|h| self.heredoc(h)).collect(),
            }),
            pd::Instruction::Shell(shell) => InstructionKind::Shell(
                shell
                    .arguments
                    .iter()
                    .map(|a| a.value.to_string())
                    .collect(),
            ),
            pd::Instruction::Stopsignal(s) => {
                InstructionKind::Stopsignal(self.word(&s.arguments, Some(scope)))
            }
            pd::Instruction::User(user) => InstructionKind::User(User {
                value: self.word(&user.arguments, Some(scope)),
            }),
            pd::Instruction::Volume(volume) => InstructionKind::Volume(match &volume.arguments {
                pd::JsonOrStringArray::Json(list) => {
                    list.value.iter().map(|w| self.word(w, None)).collect()
                }
                pd::JsonOrStringArray::String(list) => {
                    list.iter().map(|w| self.word(w, Some(scope))).collect()
                }
            }),
            pd::Instruction::Workdir(w) => {
                let path = self.word(&w.arguments, Some(scope));
                let resolved = resolve_workdir(&end.dir, path.exact());
                end.dir = resolved.clone().map_or(Dir::Base, Dir::Known);
                InstructionKind::Workdir(Workdir { path, resolved })
            }
            // parse-dockerfile's enum is non-exhaustive; a FROM never reaches here.
            _ => InstructionKind::Label(String::new()),
        })
    }

    fn copy(
        &self,
        options: &[pd::Flag<'_>],
        src: &[pd::Source<'_>],
        dest: &pd::UnescapedString<'_>,
        scope: &Scope,
    ) -> Copy {
        Copy {
            flags: options.iter().map(|f| self.flag(f)).collect(),
            sources: src
                .iter()
                .filter_map(|s| match s {
                    pd::Source::Path(p) => Some(CopySource::Path(self.word(p, Some(scope)))),
                    pd::Source::HereDoc(h) => Some(CopySource::HereDoc(self.heredoc(h))),
                    _ => None,
                })
                .collect(),
            dest: self.word(dest, Some(scope)),
        }
    }

    fn env(
        &self,
        env: &pd::EnvInstruction<'_>,
        scope: &mut Scope,
    ) -> Result<Vec<EnvPair>, DockerfileError> {
        let joined = self.joined(&env.arguments);
        let raw = name_values(&joined.text, "ENV", self.escape)
            .map_err(|e| pair_error(self, &joined, e))?;
        let mut pairs = Vec::with_capacity(raw.len());
        // All pairs of one ENV are expanded with the variables from before it.
        let before = scope.clone();
        for p in raw {
            let raw_value = p.value.unwrap_or_default();
            let expanded = expand(&raw_value, &before, self.escape);
            let name = match expand(&p.name, &before, self.escape) {
                Some(e) if e.is_exact() && !e.value.is_empty() => e.value,
                _ => p.name,
            };
            scope.set(&name, exact_var(expanded.as_ref()));
            pairs.push(EnvPair {
                span: joined.source_span(p.range),
                name,
                value: Word {
                    span: joined.source_span(p.value_range),
                    raw: raw_value,
                    expanded,
                },
                legacy: p.legacy,
            });
        }
        Ok(pairs)
    }

    fn stage_arg(
        &self,
        arg: &pd::ArgInstruction<'_>,
        end: &mut StageEnd,
        global: &Scope,
    ) -> Result<Vec<ArgPair>, DockerfileError> {
        let joined = self.joined(&arg.arguments);
        let raw = arg_pairs(&joined.text, self.escape).map_err(|e| pair_error(self, &joined, e))?;
        let mut pairs = Vec::with_capacity(raw.len());
        for p in raw {
            let default = p.value.as_ref().map(|v| Word {
                span: joined.source_span(p.value_range.clone()),
                raw: v.clone(),
                expanded: expand(v, &end.scope, self.escape),
            });
            let build_arg = self.build_args.get(&p.name);
            let value = match (build_arg, &default) {
                (Some(v), _) => Some(Expansion {
                    value: v.clone(),
                    unresolved: Vec::new(),
                }),
                (None, Some(d)) => d.expanded.clone(),
                // `ARG NAME` in a stage takes the global value of the same name.
                (None, None) => match global.get(&p.name) {
                    Some(Var::Known(v)) => Some(Expansion {
                        value: v.clone(),
                        unresolved: Vec::new(),
                    }),
                    Some(Var::Unknown) => Some(Expansion {
                        value: String::new(),
                        unresolved: vec![p.name.clone()],
                    }),
                    None => None,
                },
            };
            if let Some(v) = &value {
                end.scope.set(&p.name, exact_var(Some(v)));
            }
            pairs.push(ArgPair {
                span: joined.source_span(p.range),
                name: p.name,
                default,
                value,
                from_build_arg: build_arg.is_some(),
            });
        }
        Ok(pairs)
    }
}

fn heredoc_ends(src: &[pd::Source<'_>]) -> Option<usize> {
    src.iter()
        .filter_map(|s| match s {
            pd::Source::HereDoc(h) => Some(h.span.end),
            _ => None,
        })
        .max()
}

fn exposed_port(word: Word) -> ExposedPort {
    let text = word.exact().unwrap_or("").to_owned();
    let (ports, protocol) = match text.split_once('/') {
        Some((p, proto)) => (p, proto.to_lowercase()),
        None => (text.as_str(), "tcp".to_owned()),
    };
    let range = match ports.split_once('-') {
        Some((a, b)) => a.parse().ok().zip(b.parse().ok()),
        None => ports.parse().ok().map(|p| (p, p)),
    };
    ExposedPort {
        word,
        range,
        protocol,
    }
}

/// BuildKit's `NormalizeWorkdir` for Linux: a relative path joins the current directory, and
/// the result is cleaned.
fn resolve_workdir(current: &Dir, path: Option<&str>) -> Option<String> {
    let path = path?;
    if path.is_empty() {
        return match current {
            Dir::Known(dir) => Some(dir.clone()),
            Dir::Base => None,
        };
    }
    if path.starts_with('/') {
        return Some(clean_absolute(path));
    }
    match current {
        Dir::Known(dir) => Some(clean_absolute(&format!("{dir}/{path}"))),
        Dir::Base => None,
    }
}

/// Go's `path.Clean` for a path joined under `/`.
fn clean_absolute(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

fn keyword(ins: &pd::Instruction<'_>) -> pd::Span {
    match ins {
        pd::Instruction::Add(i) => i.add.span.clone(),
        pd::Instruction::Arg(i) => i.arg.span.clone(),
        pd::Instruction::Cmd(i) => i.cmd.span.clone(),
        pd::Instruction::Copy(i) => i.copy.span.clone(),
        pd::Instruction::Entrypoint(i) => i.entrypoint.span.clone(),
        pd::Instruction::Env(i) => i.env.span.clone(),
        pd::Instruction::Expose(i) => i.expose.span.clone(),
        pd::Instruction::From(i) => i.from.span.clone(),
        pd::Instruction::Healthcheck(i) => i.healthcheck.span.clone(),
        pd::Instruction::Label(i) => i.label.span.clone(),
        pd::Instruction::Maintainer(i) => i.maintainer.span.clone(),
        pd::Instruction::Onbuild(i) => i.onbuild.span.clone(),
        pd::Instruction::Run(i) => i.run.span.clone(),
        pd::Instruction::Shell(i) => i.shell.span.clone(),
        pd::Instruction::Stopsignal(i) => i.stopsignal.span.clone(),
        pd::Instruction::User(i) => i.user.span.clone(),
        pd::Instruction::Volume(i) => i.volume.span.clone(),
        pd::Instruction::Workdir(i) => i.workdir.span.clone(),
        _ => 0..0,
    }
}

fn command_end(c: &pd::Command<'_>) -> usize {
    match c {
        pd::Command::Exec(a) => a.span.end,
        pd::Command::Shell(s) => s.span.end,
        _ => 0,
    }
}

fn source_end(s: &pd::Source<'_>) -> usize {
    match s {
        pd::Source::Path(p) => p.span.end,
        pd::Source::HereDoc(h) => h.span.end,
        _ => 0,
    }
}

/// The start of the keyword and the end of the last part of an instruction (bodies of
/// here-documents included).
fn extent(ins: &pd::Instruction<'_>) -> (usize, usize) {
    let start = keyword(ins).start;
    let flags = |f: &[pd::Flag<'_>]| f.iter().map(|f| f.span().end).max().unwrap_or(0);
    let end = match ins {
        pd::Instruction::Add(i) => i
            .dest
            .span
            .end
            .max(i.src.iter().map(source_end).max().unwrap_or(0)),
        pd::Instruction::Copy(i) => i
            .dest
            .span
            .end
            .max(i.src.iter().map(source_end).max().unwrap_or(0)),
        pd::Instruction::Arg(i) => i.arguments.span.end,
        pd::Instruction::Cmd(i) => command_end(&i.arguments),
        pd::Instruction::Entrypoint(i) => command_end(&i.arguments),
        pd::Instruction::Env(i) => i.arguments.span.end,
        pd::Instruction::Expose(i) => i.arguments.iter().map(|a| a.span.end).max().unwrap_or(0),
        pd::Instruction::From(i) => i
            .as_
            .as_ref()
            .map_or(i.image.span.end, |(_, n)| n.span.end.max(i.image.span.end)),
        pd::Instruction::Healthcheck(i) => match &i.arguments {
            pd::HealthcheckArguments::Cmd { arguments, .. } => command_end(arguments),
            pd::HealthcheckArguments::None { none, .. } => none.span.end,
            _ => flags(&i.options),
        },
        pd::Instruction::Label(i) => i.arguments.span.end,
        pd::Instruction::Maintainer(i) => i.name.span.end,
        pd::Instruction::Onbuild(i) => extent(&i.instruction).1,
        pd::Instruction::Run(i) => command_end(&i.arguments)
            .max(i.here_docs.iter().map(|h| h.span.end).max().unwrap_or(0))
            .max(flags(&i.options)),
        pd::Instruction::Shell(i) => i.arguments.iter().map(|a| a.span.end).max().unwrap_or(0),
        pd::Instruction::Stopsignal(i) => i.arguments.span.end,
        pd::Instruction::User(i) => i.arguments.span.end,
        pd::Instruction::Volume(i) => match &i.arguments {
            pd::JsonOrStringArray::Json(a) => a.span.end,
            pd::JsonOrStringArray::String(a) => a.iter().map(|w| w.span.end).max().unwrap_or(0),
        },
        pd::Instruction::Workdir(i) => i.arguments.span.end,
        _ => 0,
    };
    (start, end.max(keyword(ins).end))
}
