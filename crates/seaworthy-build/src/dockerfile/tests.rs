use super::*;

fn parse(text: &str) -> Dockerfile {
    match Dockerfile::parse(text) {
        Ok(d) => d,
        Err(e) => panic!("{text:?} did not parse: {e}"),
    }
}

fn parse_args(text: &str, args: &[(&str, &str)]) -> Dockerfile {
    let args: BTreeMap<String, String> = args
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    match Dockerfile::parse_with_build_args(text, &args) {
        Ok(d) => d,
        Err(e) => panic!("{text:?} did not parse: {e}"),
    }
}

fn user_of(d: &Dockerfile, stage: usize) -> Option<String> {
    d.effective_user(stage)
        .and_then(|u| u.value.value.exact().map(str::to_owned))
}

fn image_of(d: &Dockerfile, stage: usize) -> Option<String> {
    d.stages
        .get(stage)
        .and_then(|s| s.from.image.expanded.as_ref())
        .map(|e| e.value.clone())
}

fn text_at<'a>(text: &'a str, span: &ByteSpan) -> &'a str {
    text.get(span.clone()).unwrap_or("<bad span>")
}

#[test]
fn final_stage_does_not_inherit_the_builder_user() {
    let d = parse(
        "FROM golang:1.22 AS builder\nUSER builder\nRUN go build\n\nFROM alpine:3.20\nCOPY --from=builder /app /app\n",
    );
    assert_eq!(d.target_stage(None), Some(1));
    assert_eq!(user_of(&d, 0).as_deref(), Some("builder"));
    assert_eq!(d.effective_user(1), None);
    assert_eq!(d.stages[1].from.base_stage, None);
}

#[test]
fn a_stage_built_from_another_inherits_its_user_and_span() {
    let text = "FROM node:20 AS base\nUSER node\n\nFROM base AS final\nRUN npm ci\n";
    let d = parse(text);
    assert_eq!(d.stages[1].from.base_stage, Some(0));
    assert_eq!(d.chain(1), [1, 0]);
    assert_eq!(d.ancestors(1), [0]);
    let user = d.effective_user(1);
    assert_eq!(user.map(|u| u.stage), Some(0));
    assert_eq!(
        user.map(|u| text_at(text, &u.instruction.span)),
        Some("USER node")
    );
    assert_eq!(user.and_then(|u| u.value.user()), Some("node"));
}

#[test]
fn the_last_user_in_the_chain_wins_and_splits_group() {
    let d = parse("FROM a AS one\nUSER app:app\nFROM one AS two\nUSER 0:0\nFROM two\n");
    assert_eq!(d.chain(2), [2, 1, 0]);
    let user = d.effective_user(2);
    assert_eq!(user.and_then(|u| u.value.user()), Some("0"));
    assert_eq!(user.and_then(|u| u.value.group()), Some("0"));
}

#[test]
fn stage_names_are_case_insensitive_for_targets_and_bases() {
    let d = parse("FROM alpine AS Builder\nFROM builder AS Final\nFROM Builder\n");
    assert_eq!(d.target_stage(Some("BUILDER")), Some(0));
    assert_eq!(d.target_stage(Some("final")), Some(1));
    assert_eq!(d.target_stage(Some("missing")), None);
    assert_eq!(d.stages[1].from.base_stage, Some(0));
    // BuildKit looks up the base name as written: `Builder` is an image, not the stage.
    assert_eq!(d.stages[2].from.base_stage, None);
    assert_eq!(d.stages[0].lookup_name().as_deref(), Some("builder"));
}

#[test]
fn duplicate_stage_names_parse_and_the_last_one_is_found() {
    let d = parse("FROM a AS x\nFROM b AS x\nFROM x\n");
    assert_eq!(d.stage_by_name("x"), Some(1));
    assert_eq!(d.stages[2].from.base_stage, Some(1));
}

#[test]
fn a_stage_cannot_build_on_itself_or_a_later_stage() {
    let d = parse("FROM later AS first\nFROM first AS first\nFROM alpine AS later\n");
    assert_eq!(d.stages[0].from.base_stage, None);
    assert_eq!(d.stages[1].from.base_stage, Some(0));
}

#[test]
fn global_arg_defaults_expand_in_from() {
    let d = parse("ARG BASE=node\nARG TAG=20-alpine\nFROM ${BASE}:$TAG AS app\n");
    assert_eq!(image_of(&d, 0).as_deref(), Some("node:20-alpine"));
    assert_eq!(d.stages[0].from.image.raw, "${BASE}:$TAG");
    assert_eq!(d.global_args.len(), 2);
    let InstructionKind::Arg(pairs) = &d.global_args[0].kind else {
        panic!("not an ARG")
    };
    assert_eq!(pairs[0].name, "BASE");
    assert_eq!(
        pairs[0].default.as_ref().map(|w| w.raw.as_str()),
        Some("node")
    );
}

#[test]
fn build_args_override_global_arg_defaults() {
    let text = "ARG TAG=latest\nFROM nginx:${TAG}\n";
    let d = parse_args(text, &[("TAG", "1.27"), ("UNDECLARED", "x")]);
    assert_eq!(image_of(&d, 0).as_deref(), Some("nginx:1.27"));
    let InstructionKind::Arg(pairs) = &d.global_args[0].kind else {
        panic!("not an ARG")
    };
    assert!(pairs[0].from_build_arg);
    assert_eq!(image_of(&parse(text), 0).as_deref(), Some("nginx:latest"));
}

#[test]
fn default_forms_in_from() {
    let d = parse("ARG VARIANT\nFROM python:${VARIANT:-3.12-slim}\n");
    assert_eq!(d.stages[0].from.image.exact(), Some("python:3.12-slim"));
    let d = parse("ARG VARIANT=\nFROM python:${VARIANT-3.12}\n");
    assert_eq!(d.stages[0].from.image.exact(), Some("python:"));
}

#[test]
fn an_arg_without_default_leaves_from_unresolved() {
    let d = parse("ARG IMAGE\nFROM $IMAGE\n");
    let expanded = d.stages[0].from.image.expanded.clone();
    assert_eq!(expanded.as_ref().map(|e| e.value.as_str()), Some(""));
    assert_eq!(
        expanded.map(|e| e.unresolved),
        Some(vec!["IMAGE".to_owned()])
    );
    assert_eq!(d.stages[0].from.image.exact(), None);
}

#[test]
fn args_declared_after_from_do_not_expand_in_from() {
    let d = parse("FROM alpine\nARG TAG=1\nFROM busybox:$TAG\n");
    assert_eq!(d.stages[1].from.image.exact(), None);
}

#[test]
fn platform_args_are_unresolved_unless_given() {
    let text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM alpine-${TARGETARCH}\n";
    let d = parse(text);
    let platform = d.stages[0].from.platform.clone();
    assert_eq!(
        platform.as_ref().map(|p| p.raw.as_str()),
        Some("$BUILDPLATFORM")
    );
    assert_eq!(
        platform.and_then(|p| p.expanded).map(|e| e.unresolved),
        Some(vec!["BUILDPLATFORM".to_owned()])
    );
    assert_eq!(d.stages[1].from.image.exact(), None);
    let d = parse_args(text, &[("TARGETARCH", "arm64")]);
    assert_eq!(d.stages[1].from.image.exact(), Some("alpine-arm64"));
}

#[test]
fn a_from_expanding_to_a_stage_name_builds_on_it() {
    let d = parse_args(
        "ARG FLAVOR=dev\nFROM alpine AS dev\nFROM alpine AS prod\nFROM ${FLAVOR}\n",
        &[("FLAVOR", "prod")],
    );
    assert_eq!(d.stages[2].from.base_stage, Some(1));
}

#[test]
fn stage_args_take_build_args_defaults_and_global_values() {
    let text = "ARG VERSION=1.0\nFROM alpine\nARG VERSION\nARG MODE=release\nENV APP_VERSION=$VERSION APP_MODE=${MODE}\n";
    let d = parse(text);
    let env = d.env(0);
    let got: Vec<_> = env
        .iter()
        .map(|l| (l.value.name.as_str(), l.value.value.exact()))
        .collect();
    assert_eq!(
        got,
        [("APP_VERSION", Some("1.0")), ("APP_MODE", Some("release"))]
    );
    let d = parse_args(text, &[("MODE", "debug")]);
    assert_eq!(d.env(0)[1].value.value.exact(), Some("debug"));
}

#[test]
fn global_args_are_not_visible_in_a_stage_without_redeclaring() {
    let d = parse("ARG VERSION=1.0\nFROM alpine\nENV V=$VERSION\n");
    let expanded = d.env(0)[0].value.value.expanded.clone();
    assert_eq!(
        expanded.map(|e| e.unresolved),
        Some(vec!["VERSION".to_owned()])
    );
}

#[test]
fn env_pairs_new_and_legacy_forms_with_quotes() {
    let text = "FROM alpine\nENV A=b C=\"d e\" F='g $A' \\\n    H=i\\ j\nENV OLD style value\n";
    let d = parse(text);
    let env = d.env(0);
    let got: Vec<_> = env
        .iter()
        .map(|l| {
            (
                l.value.name.as_str(),
                l.value.value.raw.as_str(),
                l.value.value.exact(),
                l.value.legacy,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("A", "b", Some("b"), false),
            ("C", "\"d e\"", Some("d e"), false),
            ("F", "'g $A'", Some("g $A"), false),
            ("H", "i\\ j", Some("i j"), false),
            ("OLD", "style value", Some("style value"), true),
        ]
    );
    assert_eq!(text_at(text, &env[1].value.span), "C=\"d e\"");
    assert_eq!(text_at(text, &env[1].value.value.span), "\"d e\"");
    assert_eq!(text_at(text, &env[3].value.span), "H=i\\ j");
}

#[test]
fn env_pairs_of_one_instruction_see_only_earlier_values() {
    let d = parse("FROM alpine\nENV A=1\nENV A=2 B=$A\nENV C=$A\n");
    let env = d.env(0);
    let got: Vec<_> = env
        .iter()
        .map(|l| (l.value.name.as_str(), l.value.value.exact()))
        .collect();
    assert_eq!(got, [("A", Some("2")), ("B", Some("1")), ("C", Some("2"))]);
}

#[test]
fn env_is_merged_through_the_chain() {
    let d = parse("FROM alpine AS base\nENV A=1 B=1\nFROM base\nENV B=2\n");
    let env = d.env(1);
    let got: Vec<_> = env
        .iter()
        .map(|l| (l.value.name.as_str(), l.value.value.exact(), l.stage))
        .collect();
    assert_eq!(got, [("A", Some("1"), 0), ("B", Some("2"), 1)]);
    assert_eq!(d.env(0).len(), 2);
}

#[test]
fn invalid_env_is_an_error_with_position() {
    let err = Dockerfile::parse("FROM alpine\nENV a=b c\n").err();
    assert_eq!(
        err.as_ref().map(|e| (e.offset, e.line, e.column)),
        Some((20, 2, 9))
    );
    let err = Dockerfile::parse("FROM alpine\nENV lonely\n").err();
    assert_eq!(
        err.map(|e| e.message),
        Some("ENV must have two arguments".to_owned())
    );
}

#[test]
fn escape_directive_with_backtick() {
    let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nENV A=b `\n    C=d\nRUN echo one `\n    && echo two\nWORKDIR C:\\app\n";
    let d = parse(text);
    assert_eq!(d.escape, '`');
    let got: Vec<_> = d
        .env(0)
        .iter()
        .map(|l| {
            (
                l.value.name.clone(),
                l.value.value.exact().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("A".to_owned(), Some("b".to_owned())),
            ("C".to_owned(), Some("d".to_owned()))
        ]
    );
    let InstructionKind::Run(run) = &d.stages[0].instructions[1].kind else {
        panic!("not RUN")
    };
    assert_eq!(
        run.command,
        CommandLine::Shell {
            span: run.command.span(),
            text: "echo one     && echo two".to_owned()
        }
    );
}

#[test]
fn syntax_directive_is_kept() {
    let d = parse("# syntax=docker/dockerfile:1.7\nFROM alpine\n");
    assert_eq!(d.syntax.as_deref(), Some("docker/dockerfile:1.7"));
    assert_eq!(d.escape, '\\');
}

#[test]
fn heredoc_run_keeps_body_and_covers_terminator() {
    let text = "FROM alpine\nRUN <<EOF\nset -e\napk add curl\nEOF\nUSER app\n";
    let d = parse(text);
    let ins = &d.stages[0].instructions[0];
    assert_eq!(
        text_at(text, &ins.span),
        "RUN <<EOF\nset -e\napk add curl\nEOF"
    );
    let InstructionKind::Run(run) = &ins.kind else {
        panic!("not RUN")
    };
    assert_eq!(run.heredocs.len(), 1);
    assert_eq!(run.heredocs[0].body, "set -e\napk add curl\n");
    assert!(run.heredocs[0].expand);
    assert!(run.script().contains("apk add curl"));
    assert_eq!(user_of(&d, 0).as_deref(), Some("app"));
}

#[test]
fn copy_heredoc_with_quoted_delimiter_does_not_expand() {
    let text = "FROM alpine\nCOPY --chmod=644 <<-\"CONF\" /etc/app.conf\n\tkey=$value\n\tCONF\n";
    let d = parse(text);
    let InstructionKind::Copy(copy) = &d.stages[0].instructions[0].kind else {
        panic!("not COPY")
    };
    let [CopySource::HereDoc(doc)] = copy.sources.as_slice() else {
        panic!("no heredoc")
    };
    assert!(!doc.expand);
    assert_eq!(copy.dest.exact(), Some("/etc/app.conf"));
    assert_eq!(copy.chmod().and_then(|f| f.value.as_deref()), Some("644"));
}

#[test]
fn lowercase_instructions_are_recognised() {
    let text = "from alpine as base\nuser root\nhealthcheck none\nexpose 8080\ncmd [\"app\"]\n";
    let d = parse(text);
    assert_eq!(
        d.stages[0].name.as_ref().map(|(n, _)| n.as_str()),
        Some("base")
    );
    assert_eq!(user_of(&d, 0).as_deref(), Some("root"));
    assert_eq!(
        d.effective_healthcheck(0).map(|h| h.value),
        Some(&Healthcheck::None)
    );
    assert_eq!(d.exposed_ports(0).len(), 1);
    let keywords: Vec<_> = d.stages[0]
        .instructions
        .iter()
        .map(|i| text_at(text, &i.keyword_span))
        .collect();
    assert_eq!(keywords, ["user", "healthcheck", "expose", "cmd"]);
}

#[test]
fn healthcheck_none_overrides_an_inherited_check() {
    let text = "FROM alpine AS base\nHEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1\nFROM base\nHEALTHCHECK NONE\n";
    let d = parse(text);
    let check = d.effective_healthcheck(0);
    let Some(Healthcheck::Cmd { command, options }) = check.map(|c| c.value) else {
        panic!("no CMD check")
    };
    assert_eq!(
        command,
        &CommandLine::Shell {
            span: command.span(),
            text: "curl -f http://localhost/ || exit 1".to_owned()
        }
    );
    let opts: Vec<_> = options
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_deref()))
        .collect();
    assert_eq!(opts, [("interval", Some("30s")), ("timeout", Some("3s"))]);
    let last = d.effective_healthcheck(1);
    assert_eq!(
        last.map(|h| (h.stage, h.value)),
        Some((1, &Healthcheck::None))
    );
    assert_eq!(
        last.map(|h| text_at(text, &h.instruction.span)),
        Some("HEALTHCHECK NONE")
    );
}

#[test]
fn no_healthcheck_means_the_base_image_decides() {
    assert_eq!(parse("FROM alpine\n").effective_healthcheck(0), None);
}

#[test]
fn relative_workdirs_resolve_against_earlier_ones_through_the_chain() {
    let d = parse(
        "FROM alpine AS base\nWORKDIR /app\nWORKDIR src/../lib\nFROM base\nWORKDIR ./bin//\n",
    );
    let dirs: Vec<_> = d
        .stages
        .iter()
        .flat_map(|s| &s.instructions)
        .filter_map(|i| match &i.kind {
            InstructionKind::Workdir(w) => Some(w.resolved.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        dirs,
        [
            Some("/app".to_owned()),
            Some("/app/lib".to_owned()),
            Some("/app/lib/bin".to_owned())
        ]
    );
    assert_eq!(
        d.workdir(1)
            .and_then(|w| w.value.resolved.clone())
            .as_deref(),
        Some("/app/lib/bin")
    );
}

#[test]
fn a_relative_first_workdir_depends_on_the_base_image() {
    let d = parse("FROM node:20\nWORKDIR app\n");
    assert_eq!(d.workdir(0).map(|w| w.value.resolved.clone()), Some(None));
    let d = parse("FROM scratch\nWORKDIR app\n");
    assert_eq!(
        d.workdir(0)
            .and_then(|w| w.value.resolved.clone())
            .as_deref(),
        Some("/app")
    );
    let d = parse("FROM alpine\nENV DIR=/srv\nWORKDIR $DIR/www\n");
    assert_eq!(
        d.workdir(0)
            .and_then(|w| w.value.resolved.clone())
            .as_deref(),
        Some("/srv/www")
    );
}

#[test]
fn exposed_ports_with_protocols_ranges_and_variables() {
    let d = parse(
        "FROM alpine AS base\nEXPOSE 80\nFROM base\nARG PORT=8080\nEXPOSE $PORT/udp 9000-9010 70000 abc\n",
    );
    let got: Vec<_> = d
        .exposed_ports(1)
        .iter()
        .map(|p| (p.value.range, p.value.protocol.clone(), p.stage))
        .collect();
    assert_eq!(
        got,
        [
            (Some((80, 80)), "tcp".to_owned(), 0),
            (Some((8080, 8080)), "udp".to_owned(), 1),
            (Some((9000, 9010)), "tcp".to_owned(), 1),
            (Some((70000, 70000)), "tcp".to_owned(), 1),
            (None, "tcp".to_owned(), 1),
        ]
    );
}

#[test]
fn copy_and_add_sources_destination_and_flags() {
    let text = "FROM alpine AS build\nFROM alpine\nCOPY --from=build --chown=app:app --link src/ a.txt /dst/\nADD --checksum=sha256:abc https://example.com/x.tgz /x.tgz\n";
    let d = parse(text);
    let InstructionKind::Copy(copy) = &d.stages[1].instructions[0].kind else {
        panic!("not COPY")
    };
    let srcs: Vec<_> = copy
        .sources
        .iter()
        .filter_map(|s| match s {
            CopySource::Path(w) => Some(w.raw.as_str()),
            CopySource::HereDoc(_) => None,
        })
        .collect();
    assert_eq!(srcs, ["src/", "a.txt"]);
    assert_eq!(copy.dest.raw, "/dst/");
    assert_eq!(copy.from().and_then(|f| f.value.as_deref()), Some("build"));
    assert_eq!(
        copy.chown().and_then(|f| f.value.as_deref()),
        Some("app:app")
    );
    assert!(copy.link());
    assert_eq!(
        copy.from().map(|f| text_at(text, &f.span)),
        Some("--from=build")
    );
    let InstructionKind::Add(add) = &d.stages[1].instructions[1].kind else {
        panic!("not ADD")
    };
    assert_eq!(
        add.checksum().and_then(|f| f.value.as_deref()),
        Some("sha256:abc")
    );
    assert!(!add.link());
}

#[test]
fn copy_from_resolves_stages_indexes_and_images() {
    let d = parse("FROM alpine AS build\nFROM alpine AS final\nFROM alpine AS later\n");
    assert_eq!(d.copy_from(1, "build"), CopyFrom::Stage(0));
    assert_eq!(d.copy_from(1, "BUILD"), CopyFrom::Stage(0));
    assert_eq!(d.copy_from(1, "0"), CopyFrom::Stage(0));
    assert_eq!(d.copy_from(1, "final"), CopyFrom::NotEarlierStage(1));
    assert_eq!(d.copy_from(1, "later"), CopyFrom::NotEarlierStage(2));
    assert_eq!(d.copy_from(1, "7"), CopyFrom::MissingIndex);
    assert_eq!(d.copy_from(1, "nginx:1.27"), CopyFrom::Image);
}

#[test]
fn run_shell_form_joins_continuations_and_drops_comment_lines() {
    let text = "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update \\\n    # refresh\n    && apt-get install -y curl\n";
    let d = parse(text);
    let ins = &d.stages[0].instructions[0];
    let InstructionKind::Run(run) = &ins.kind else {
        panic!("not RUN")
    };
    assert_eq!(
        run.script(),
        "apt-get update     && apt-get install -y curl"
    );
    let mounts: Vec<_> = run.mounts().filter_map(|m| m.value.as_deref()).collect();
    assert_eq!(mounts, ["type=cache,target=/var/cache/apt"]);
    assert!(text_at(text, &ins.span).ends_with("install -y curl"));
}

#[test]
fn run_exec_form() {
    let d = parse("FROM alpine\nRUN [\"apk\", \"add\", \"curl\"]\n");
    let InstructionKind::Run(run) = &d.stages[0].instructions[0].kind else {
        panic!("not RUN")
    };
    assert!(run.command.is_exec());
    assert_eq!(run.script(), "apk add curl");
}

#[test]
fn cmd_and_entrypoint_forms_and_inheritance() {
    let d = parse("FROM alpine AS base\nCMD [\"serve\"]\nFROM base\nENTRYPOINT /entry.sh\n");
    assert!(matches!(d.cmd(0), EffectiveCmd::Set(c) if c.value.is_exec()));
    // An ENTRYPOINT resets the inherited CMD.
    assert!(matches!(d.cmd(1), EffectiveCmd::ClearedBy(_)));
    assert_eq!(d.entrypoint(1).map(|e| e.value.is_exec()), Some(false));
    let d = parse("FROM alpine\nCMD [\"a\"]\nENTRYPOINT [\"tini\", \"--\"]\n");
    assert!(matches!(d.cmd(0), EffectiveCmd::Set(_)));
    let d = parse("FROM alpine\nENTRYPOINT [\"tini\"]\nCMD run server\n");
    assert!(matches!(d.cmd(0), EffectiveCmd::Set(c) if !c.value.is_exec()));
    assert_eq!(parse("FROM alpine\n").cmd(0), EffectiveCmd::FromBaseImage);
    assert_eq!(parse("FROM alpine\n").entrypoint(0), None);
}

#[test]
fn shell_stopsignal_volume_and_label_parts() {
    let d = parse(
        "FROM alpine\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nSTOPSIGNAL SIGTERM\nVOLUME /data /logs\nLABEL a=b\n",
    );
    let kinds: Vec<_> = d.stages[0]
        .instructions
        .iter()
        .map(|i| i.kind.clone())
        .collect();
    assert_eq!(
        kinds[0],
        InstructionKind::Shell(vec![
            "/bin/bash".into(),
            "-o".into(),
            "pipefail".into(),
            "-c".into()
        ])
    );
    let InstructionKind::Stopsignal(sig) = &kinds[1] else {
        panic!("not STOPSIGNAL")
    };
    assert_eq!(sig.exact(), Some("SIGTERM"));
    let InstructionKind::Volume(vols) = &kinds[2] else {
        panic!("not VOLUME")
    };
    assert_eq!(
        vols.iter().map(|v| v.raw.as_str()).collect::<Vec<_>>(),
        ["/data", "/logs"]
    );
    assert_eq!(kinds[3], InstructionKind::Label("a=b".to_owned()));
    assert_eq!(d.stages[0].instructions[0].kind.keyword(), "SHELL");
}

#[test]
fn target_stage_is_the_last_without_target() {
    let d = parse("FROM a AS one\nFROM b AS two\nFROM c\n");
    assert_eq!(d.target_stage(None), Some(2));
    assert_eq!(d.target_stage(Some("one")), Some(0));
}

#[test]
fn parse_errors_carry_positions() {
    let err = Dockerfile::parse("FROM alpine\nFROOM x\n").err();
    assert_eq!(
        err.as_ref().map(|e| (e.offset, e.line, e.column)),
        Some((12, 2, 1))
    );
    assert_eq!(
        err.map(|e| e.to_string()),
        Some("unknown instruction 'FROOM' at line 2 column 1".to_owned())
    );
    let err = Dockerfile::parse("# just a comment\n").err();
    assert_eq!(
        err.map(|e| (e.line, e.message)),
        Some((0, "expected at least one FROM instruction".to_owned()))
    );
    let err = Dockerfile::parse("RUN echo\nFROM alpine\n").err();
    assert_eq!(err.map(|e| e.line), Some(1));
}

#[test]
fn byte_order_mark_shifts_spans() {
    let text = "\u{feff}FROM alpine\nUSER app\n";
    let d = parse(text);
    assert_eq!(text_at(text, &d.stages[0].from.image.span), "alpine");
    assert_eq!(
        d.effective_user(0)
            .map(|u| text_at(text, &u.instruction.span)),
        Some("USER app")
    );
}

#[test]
fn onbuild_keeps_its_instruction_unexpanded() {
    let d = parse("FROM alpine\nONBUILD USER $NAME\n");
    let InstructionKind::Onbuild(inner) = &d.stages[0].instructions[0].kind else {
        panic!("not ONBUILD")
    };
    assert!(matches!(&inner.kind, InstructionKind::User(_)));
    // An ONBUILD USER does not set the user of this image.
    assert_eq!(d.effective_user(0), None);
}

#[test]
fn the_model_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Dockerfile>();
    check::<DockerfileError>();
}

const TRICKY: &str = "\u{feff}# syntax=docker/dockerfile:1.7\n# escape=\\\nARG BASE=alpine:3.20 \\\n    TAG=\"x y\"\nFROM --platform=$BUILDPLATFORM ${BASE:-busybox} AS build\nENV A=b C=\"d \\\" e\" \\\n    # comment\n    F='g'\nENV OLD style \"value\"\nRUN --mount=type=cache,target=/root <<EOF cat > /x\nhello $A\nEOF\nCOPY --chown=a:b <<-\"CONF\" /etc/c\n\tk=v\n\tCONF\nrun echo hi \\\n  && echo there\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://x\"]\nhealthcheck NONE\nEXPOSE 80/tcp 443 1-2\nWORKDIR rel/../x\nUSER ${U:-app}:grp\nSHELL [\"/bin/sh\", \"-c\"]\nONBUILD RUN echo\nFROM build AS final\nCOPY --from=build /a /b\nCMD echo ${A}\nENTRYPOINT [\"x\"]\nVOLUME [\"/v\"]\nLABEL k=\"v\"\nSTOPSIGNAL SIGINT\n";

#[test]
fn every_prefix_of_a_tricky_dockerfile_parses_or_errors_without_panicking() {
    assert!(Dockerfile::parse(TRICKY).is_ok());
    let mut cut = 0;
    for (i, _) in TRICKY.char_indices() {
        let prefix = &TRICKY[..i];
        if let Ok(d) = Dockerfile::parse(prefix) {
            cut += 1;
            for stage in 0..d.stages.len() {
                let _ = (
                    d.effective_user(stage),
                    d.env(stage),
                    d.cmd(stage),
                    d.workdir(stage),
                );
                let _ = (
                    d.exposed_ports(stage),
                    d.effective_healthcheck(stage),
                    d.entrypoint(stage),
                );
            }
        }
        // Every byte suffix too, which starts in the middle of things.
        let _ = Dockerfile::parse(&TRICKY[i..]);
    }
    assert!(cut > 100);
}

#[test]
fn spans_of_the_tricky_dockerfile_point_at_their_text() {
    let d = parse(TRICKY);
    assert_eq!(d.stages.len(), 2);
    assert_eq!(
        text_at(TRICKY, &d.stages[0].from.image.span),
        "${BASE:-busybox}"
    );
    assert_eq!(d.stages[0].from.image.exact(), Some("alpine:3.20"));
    let InstructionKind::Arg(pairs) = &d.global_args[0].kind else {
        panic!("not ARG")
    };
    assert_eq!(
        pairs
            .iter()
            .map(|p| text_at(TRICKY, &p.span))
            .collect::<Vec<_>>(),
        ["BASE=alpine:3.20", "TAG=\"x y\""]
    );
    assert_eq!(
        pairs[1].value.as_ref().map(|e| e.value.as_str()),
        Some("x y")
    );
    let env = d.env(1);
    assert_eq!(
        env.iter()
            .map(|l| l.value.value.exact().unwrap_or("?"))
            .collect::<Vec<_>>(),
        ["b", "d \" e", "g", "style value"]
    );
    assert_eq!(user_of(&d, 1).as_deref(), Some("app:grp"));
    assert_eq!(d.workdir(1).map(|w| w.value.resolved.clone()), Some(None));
    for stage in &d.stages {
        for ins in &stage.instructions {
            let text = text_at(TRICKY, &ins.span);
            assert!(
                text.to_uppercase().starts_with(ins.kind.keyword()),
                "{text:?}"
            );
        }
    }
}

#[test]
fn a_stage_built_from_another_sees_its_args_as_buildkit_does() {
    // BuildKit's child stage starts from the parent's state, ARG values included.
    let d = parse("FROM alpine AS base\nARG V=1\nFROM base\nENV X=$V\n");
    assert_eq!(
        d.env(1).first().and_then(|l| l.value.value.exact()),
        Some("1")
    );
}

#[test]
fn healthcheck_exec_form() {
    let d = parse("FROM alpine\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost\"]\n");
    let check = d.effective_healthcheck(0).map(|h| h.value.clone());
    let Some(Healthcheck::Cmd {
        command: CommandLine::Exec { args, .. },
        ..
    }) = check
    else {
        panic!("no exec-form check")
    };
    assert_eq!(args, ["curl", "-f", "http://localhost"]);
}
