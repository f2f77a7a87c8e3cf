//! The effective healthcheck of a service, as docker compose hands it to the engine: the
//! merged compose `healthcheck` when it has a test, else whatever the image defines. Compose
//! sends an empty test when the file sets none, and the engine then keeps the image's
//! `HEALTHCHECK` (with any timing fields from compose). For a built image that is the
//! `HEALTHCHECK` of the stage compose builds or of a stage it is built from; a pulled image's
//! metadata is never fetched, so its check stays `Unknown` and rules word findings accordingly.

use crate::Service;
use crate::builds::Builds;
use crate::facts::built::built;
use seaworthy_build::dockerfile::Healthcheck as DockerfileHealthcheck;
use seaworthy_compose::{Node, Value};
use seaworthy_source::Span;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Healthcheck<'a> {
    /// Compose declares a test the engine runs (the `healthcheck` node).
    Declared(&'a Node),
    /// The Dockerfile stage compose builds (or one it is built from) has a `HEALTHCHECK CMD`.
    InDockerfile(Span),
    /// The check is off, including any the image (or its base) defines.
    Disabled {
        /// What turns it off: `disable: true`, the `test`, or `HEALTHCHECK NONE`.
        span: Span,
        form: DisabledForm,
        /// Earlier definitions that compose replaced.
        overridden: &'a [Span],
    },
    /// Nothing declares a test that seaworthy can see.
    Unknown(ImageSource),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DisabledForm {
    /// `disable: true`.
    DisableTrue,
    /// `test: ["NONE"]`.
    TestNone,
    /// `test: NONE` as a string: compose makes it `[CMD-SHELL, NONE]`, a shell command that
    /// does not exist, so the check never passes (the container turns unhealthy) rather than
    /// being switched off.
    ShellNone,
    /// `HEALTHCHECK NONE` in the Dockerfile.
    DockerfileNone,
}

/// Where the healthcheck that compose does not declare would come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageSource {
    /// The service builds its image, but its Dockerfile could not be read or its target
    /// stage found (other rules say why).
    UnreadDockerfile,
    /// The service builds its image, and neither the stage compose builds nor the stages it
    /// is built from has a `HEALTHCHECK`: only the base image could bring one.
    DockerfileWithout {
        /// The `FROM` of the stage compose builds.
        stage: Span,
    },
    /// The service pulls its image, whose metadata seaworthy cannot see.
    PulledImage,
}

impl ImageSource {
    /// How a finding says that no healthcheck is declared, without guessing the image.
    pub(crate) fn missing_phrase(self) -> &'static str {
        match self {
            ImageSource::UnreadDockerfile => {
                "no healthcheck in compose, and its Dockerfile could not be read"
            }
            ImageSource::DockerfileWithout { .. } => {
                "no healthcheck, in compose or in the Dockerfile stage it builds"
            }
            ImageSource::PulledImage => {
                "no healthcheck declared in compose; the image may define one"
            }
        }
    }
}

impl DisabledForm {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            DisabledForm::DisableTrue => "`disable: true`",
            DisabledForm::TestNone => "`test: [\"NONE\"]`",
            DisabledForm::ShellNone => "`test: NONE`",
            DisabledForm::DockerfileNone => "`HEALTHCHECK NONE`",
        }
    }
}

/// The healthcheck docker compose would give the service's container.
pub(crate) fn effective_healthcheck<'a>(
    service: &Service<'a>,
    builds: &'a Builds,
) -> Healthcheck<'a> {
    let from_image = || image_healthcheck(service, builds);
    let Some(healthcheck) = service.get("healthcheck") else {
        return from_image();
    };
    if let Some(disable) = healthcheck.get("disable")
        && disable.as_bool() == Some(true)
    {
        return Healthcheck::Disabled {
            span: disable.span,
            form: DisabledForm::DisableTrue,
            overridden: &disable.overridden,
        };
    }
    let Some(test) = healthcheck.get("test") else {
        return from_image();
    };
    let words: Vec<&str> = match &test.value {
        Value::Str(text) => vec!["CMD-SHELL", text.as_str()],
        Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    };
    match words.as_slice() {
        [] => from_image(),
        ["NONE", ..] => Healthcheck::Disabled {
            span: test.span,
            form: DisabledForm::TestNone,
            overridden: &test.overridden,
        },
        ["CMD-SHELL", command] if command.trim() == "NONE" => Healthcheck::Disabled {
            span: test.span,
            form: DisabledForm::ShellNone,
            overridden: &test.overridden,
        },
        _ => Healthcheck::Declared(healthcheck),
    }
}

/// The image's own check: the Dockerfile's, for a service that builds.
fn image_healthcheck<'a>(service: &Service<'a>, builds: &'a Builds) -> Healthcheck<'a> {
    if service.get("build").is_none() {
        return Healthcheck::Unknown(ImageSource::PulledImage);
    }
    let Some(built) = built(builds, service) else {
        return Healthcheck::Unknown(ImageSource::UnreadDockerfile);
    };
    let Some(found) = built.dockerfile.effective_healthcheck(built.target) else {
        let stage = built
            .dockerfile
            .stages
            .get(built.target)
            .map_or(Span::SYNTHETIC, |s| {
                built.build.dockerfile.span(&s.from.span)
            });
        return Healthcheck::Unknown(ImageSource::DockerfileWithout { stage });
    };
    let span = built.build.dockerfile.span(&found.instruction.span);
    match found.value {
        DockerfileHealthcheck::None => Healthcheck::Disabled {
            span,
            form: DisabledForm::DockerfileNone,
            overridden: &[],
        },
        _ => Healthcheck::InDockerfile(span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_nodes::{map, text};

    fn list(items: &[&str]) -> Node {
        Node::synthetic(Value::Seq(items.iter().map(|s| text(s)).collect()))
    }

    static NO_BUILDS: std::sync::LazyLock<Builds> = std::sync::LazyLock::new(Builds::none);

    fn health_of(node: &Node) -> Healthcheck<'_> {
        effective_healthcheck(&Service { name: "app", node }, &NO_BUILDS)
    }

    #[test]
    fn a_compose_test_is_declared() {
        let healthcheck = map(&[("test", list(&["CMD", "true"]))]);
        let node = map(&[("image", text("app")), ("healthcheck", healthcheck)]);
        assert!(matches!(health_of(&node), Healthcheck::Declared(_)));
        let shell = map(&[("test", text("curl -f localhost"))]);
        let node = map(&[("healthcheck", shell)]);
        assert!(matches!(health_of(&node), Healthcheck::Declared(_)));
    }

    #[test]
    fn every_disabled_form_is_recognised() {
        let disable = map(&[("disable", Node::synthetic(Value::Bool(true)))]);
        let none_list = map(&[("test", list(&["NONE"]))]);
        let none_string = map(&[("test", text("NONE"))]);
        let none_shell = map(&[("test", list(&["CMD-SHELL", "NONE"]))]);
        for (healthcheck, form) in [
            (disable, DisabledForm::DisableTrue),
            (none_list, DisabledForm::TestNone),
            (none_string, DisabledForm::ShellNone),
            (none_shell, DisabledForm::ShellNone),
        ] {
            let node = map(&[("healthcheck", healthcheck)]);
            assert!(
                matches!(health_of(&node), Healthcheck::Disabled { form: f, .. } if f == form),
                "{form:?}"
            );
        }
    }

    #[test]
    fn no_test_leaves_the_image_healthcheck_unknown() {
        let node = map(&[("image", text("redis:7"))]);
        assert_eq!(
            health_of(&node),
            Healthcheck::Unknown(ImageSource::PulledImage)
        );
        let timing_only = map(&[("interval", text("10s"))]);
        let node = map(&[
            ("build", map(&[("context", text("."))])),
            ("healthcheck", timing_only),
        ]);
        assert_eq!(
            health_of(&node),
            Healthcheck::Unknown(ImageSource::UnreadDockerfile),
            "a build whose facts were not gathered"
        );
        let empty = map(&[("test", list(&[]))]);
        let node = map(&[("healthcheck", empty)]);
        assert_eq!(
            health_of(&node),
            Healthcheck::Unknown(ImageSource::PulledImage)
        );
    }

    #[test]
    fn disable_false_keeps_the_test() {
        let healthcheck = map(&[
            ("disable", Node::synthetic(Value::Bool(false))),
            ("test", list(&["CMD", "true"])),
        ]);
        let node = map(&[("healthcheck", healthcheck)]);
        assert!(matches!(health_of(&node), Healthcheck::Declared(_)));
    }
}
