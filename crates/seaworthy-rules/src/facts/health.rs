//! The effective healthcheck of a service, as docker compose hands it to the engine: the
//! merged compose `healthcheck` when it has a test, else whatever the image defines. Compose
//! sends an empty test when the file sets none, and the engine then keeps the image's
//! `HEALTHCHECK` (with any timing fields from compose). The image side is not read yet: a
//! built image's Dockerfile comes with Dockerfile facts, a pulled image's metadata is never
//! fetched, so both are `Unknown` and rules word their findings accordingly.

use crate::Service;
use seaworthy_compose::{Node, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Healthcheck<'a> {
    /// Compose declares a test the engine runs (the `healthcheck` node).
    Declared(&'a Node),
    /// Compose turns the check off, including any the image defines.
    Disabled {
        /// The node that turns it off (`disable: true`, or the `test`).
        node: &'a Node,
        form: DisabledForm,
    },
    /// Compose declares no test: the image's `HEALTHCHECK`, if any, applies.
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
}

/// Where the healthcheck that compose does not declare would come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageSource {
    /// The service builds its image: the Dockerfile's `HEALTHCHECK` decides (not checked yet).
    Dockerfile,
    /// The service pulls its image, whose metadata seaworthy cannot see.
    PulledImage,
}

impl ImageSource {
    /// How a finding says that compose declares no healthcheck, without guessing the image.
    pub(crate) fn missing_phrase(self) -> &'static str {
        match self {
            ImageSource::Dockerfile => {
                "no healthcheck in compose; its Dockerfile's HEALTHCHECK is not checked yet"
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
        }
    }
}

/// The healthcheck docker compose would give the service's container.
pub(crate) fn effective_healthcheck<'a>(service: &Service<'a>) -> Healthcheck<'a> {
    let image_source = if service.get("build").is_some() {
        ImageSource::Dockerfile
    } else {
        ImageSource::PulledImage
    };
    let Some(healthcheck) = service.get("healthcheck") else {
        return Healthcheck::Unknown(image_source);
    };
    if let Some(disable) = healthcheck.get("disable")
        && disable.as_bool() == Some(true)
    {
        return Healthcheck::Disabled {
            node: disable,
            form: DisabledForm::DisableTrue,
        };
    }
    let Some(test) = healthcheck.get("test") else {
        return Healthcheck::Unknown(image_source);
    };
    let words: Vec<&str> = match &test.value {
        Value::Str(text) => vec!["CMD-SHELL", text.as_str()],
        Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    };
    match words.as_slice() {
        [] => Healthcheck::Unknown(image_source),
        ["NONE", ..] => Healthcheck::Disabled {
            node: test,
            form: DisabledForm::TestNone,
        },
        ["CMD-SHELL", command] if command.trim() == "NONE" => Healthcheck::Disabled {
            node: test,
            form: DisabledForm::ShellNone,
        },
        _ => Healthcheck::Declared(healthcheck),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_nodes::{map, text};

    fn list(items: &[&str]) -> Node {
        Node::synthetic(Value::Seq(items.iter().map(|s| text(s)).collect()))
    }

    fn health_of(node: &Node) -> Healthcheck<'_> {
        effective_healthcheck(&Service { name: "app", node })
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
            Healthcheck::Unknown(ImageSource::Dockerfile)
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
