use crate::facts::command::{command_nodes, is_separator, program, words};
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when the merged `command` or `entrypoint` runs a development server or file
    /// watcher: `npm run dev` (and `yarn`, `pnpm`, `bun`), `next dev`, `nuxt dev`, `vite`
    /// (not `vite build` or `vite preview`), `nodemon`, `ts-node-dev`, any `--watch` flag,
    /// `flask run` with `--debug` or `--reload`, `uvicorn`/`gunicorn`/`hypercorn` with
    /// `--reload`, `manage.py runserver`, `rails server -e development`, `php artisan serve`,
    /// `cargo watch`, `dotnet watch`, `air`, `webpack serve` and `webpack-dev-server`.
    /// Commands inside `sh -c` scripts count.
    ///
    /// ## Why it matters in production
    /// Development servers are single-process, unoptimised and often serve source maps, stack
    /// traces and hot-reload endpoints; watchers restart the app on file changes and burn CPU
    /// polling. They usually arrive through a dev overlay or a base file the production
    /// overlay forgot to override.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ghcr.io/acme/web:2.0.1
    ///     command: npm run dev
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: ghcr.io/acme/web:2.0.1
    ///     command: npm run start
    /// ```
    ///
    /// ## Known false positives
    /// Projects whose `dev` script is in fact a production start command. Rename the script.
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet (development leftovers, no specific rule)
    pub(crate) struct DevServerCommand {
        name: "dev-server-command",
        code: "SW1003",
        area: DevLeftovers,
        severity: Medium,
        fix: Never,
        summary: "command runs a development server or watcher",
    }
}

/// Programs that only run the next word as a command.
const WRAPPERS: &[&str] = &["npx", "bunx", "pnpx", "exec", "env", "nohup", "tini", "--"];

/// The development server a command runs, as a short phrase (`npm run dev`).
pub(crate) fn dev_server(words: &[String]) -> Option<String> {
    if let Some(flag) = words
        .iter()
        .find(|w| *w == "--watch" || w.starts_with("--watch="))
    {
        return Some(flag.clone());
    }
    words
        .split(|w| is_separator(w))
        .find_map(|segment| in_segment(strip_wrappers(segment)))
}

fn strip_wrappers(mut segment: &[String]) -> &[String] {
    while let Some((first, rest)) = segment.split_first() {
        let is_assignment = first.contains('=') && !first.starts_with('-');
        if WRAPPERS.contains(&program(first)) || is_assignment {
            segment = rest;
        } else if matches!(program(first), "python" | "python3")
            && rest.first().is_some_and(|w| w == "-m")
        {
            segment = rest.get(1..).unwrap_or_default();
        } else if program(first) == "debugpy" {
            // `debugpy --listen 0.0.0.0:5678 [--wait-for-client] -m uvicorn ...`: what runs
            // under the debugger is the command to judge
            segment = after_debugpy_options(rest);
        } else {
            break;
        }
    }
    segment
}

fn after_debugpy_options(mut words: &[String]) -> &[String] {
    while let Some((first, rest)) = words.split_first() {
        match first.as_str() {
            "--listen" | "--connect" | "--log-to" | "--configure-subProcess" | "--pid" => {
                words = rest.get(1..).unwrap_or_default();
            }
            "-m" => return rest,
            flag if flag.starts_with("--") => words = rest,
            _ => return words,
        }
    }
    words
}

fn in_segment(segment: &[String]) -> Option<String> {
    let word = |i: usize| segment.get(i).map(String::as_str).unwrap_or_default();
    let has = |flag: &str| segment.iter().any(|w| w == flag);
    let name = program(word(0));
    let is_dev_script = |s: &str| s == "dev" || s.starts_with("dev:");
    let found = match name {
        "npm" | "yarn" | "pnpm" | "bun" if word(1) == "run" && is_dev_script(word(2)) => {
            format!("{name} run {}", word(2))
        }
        "yarn" | "pnpm" | "bun" if is_dev_script(word(1)) => format!("{name} {}", word(1)),
        "next" | "nuxt" | "nuxi" if word(1) == "dev" => format!("{name} dev"),
        "vite" if !matches!(word(1), "build" | "preview") => "vite".to_owned(),
        "nodemon" | "ts-node-dev" | "tsnd" | "webpack-dev-server" | "air" => name.to_owned(),
        "webpack" if word(1) == "serve" => "webpack serve".to_owned(),
        "flask" if has("run") && (has("--debug") || has("--reload")) => {
            format!(
                "flask run {}",
                if has("--debug") {
                    "--debug"
                } else {
                    "--reload"
                }
            )
        }
        "uvicorn" | "gunicorn" | "hypercorn" if has("--reload") => format!("{name} --reload"),
        "rails" if matches!(word(1), "s" | "server") && rails_development(segment) => {
            "rails server -e development".to_owned()
        }
        "cargo" | "dotnet" if word(1) == "watch" => format!("{name} watch"),
        _ => String::new(),
    };
    if !found.is_empty() {
        return Some(found);
    }
    segment
        .windows(2)
        .find_map(|pair| match (program(&pair[0]), pair[1].as_str()) {
            ("manage.py", "runserver") => Some("manage.py runserver".to_owned()),
            ("artisan", "serve") => Some("php artisan serve".to_owned()),
            _ => None,
        })
}

fn rails_development(segment: &[String]) -> bool {
    segment
        .windows(2)
        .any(|pair| matches!(pair[0].as_str(), "-e" | "--environment") && pair[1] == "development")
        || segment.iter().any(|w| w == "--environment=development")
}

impl Rule for DevServerCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let nodes = command_nodes(service);
        let all: Vec<String> = nodes.iter().flat_map(|(_, node)| words(node)).collect();
        let Some(server) = dev_server(&all) else {
            return;
        };
        // Point at the field whose words name the server (the command, unless only the
        // entrypoint does).
        let (field, node) = nodes
            .iter()
            .rev()
            .find(|(_, node)| dev_server(&words(node)).is_some())
            .or(nodes.last())
            .copied()
            .unwrap_or(("command", service.node));
        let overlay = cx.overlay_for_fixes();
        cx.report(
            format!(
                "service `{}` runs a development server (`{server}`)",
                service.name
            ),
            node.span,
            &format!("`{field}` runs `{server}`"),
        )
        .help(format!(
            "run the production server in {} (`npm start`, `gunicorn app:app`, `node server.js`), without watchers or reloaders",
            overlay
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(line: &str) -> Option<String> {
        dev_server(&crate::facts::command::split(line))
    }

    #[test]
    fn finds_dev_servers_in_shell_lines() {
        assert_eq!(found("npm run dev").as_deref(), Some("npm run dev"));
        assert_eq!(
            found("sh -c cd /app && yarn dev").as_deref(),
            Some("yarn dev")
        );
        assert_eq!(found("npx vite --host").as_deref(), Some("vite"));
        // found on examples/unhardened-stack: the server runs under the debugger
        assert!(
            found("python -m debugpy --listen 0.0.0.0:5678 -m uvicorn app.main:app --reload")
                .is_some()
        );
        assert_eq!(
            found("python -m uvicorn app:app --reload").as_deref(),
            Some("uvicorn --reload")
        );
        assert_eq!(
            found("python manage.py runserver 0.0.0.0:8000").as_deref(),
            Some("manage.py runserver")
        );
        assert_eq!(
            found("bin/rails s -e development -b 0.0.0.0").as_deref(),
            Some("rails server -e development")
        );
        assert_eq!(found("node --watch server.js").as_deref(), Some("--watch"));
        assert_eq!(
            found("NODE_ENV=dev nodemon app.js").as_deref(),
            Some("nodemon")
        );
    }

    #[test]
    fn production_commands_are_quiet() {
        for line in [
            "npm run start",
            "npm run build && npm start",
            "vite build",
            "npx vite preview",
            "gunicorn app:app -w 4",
            "flask run --host 0.0.0.0",
            "rails server -e production",
            "echo air",
        ] {
            assert_eq!(found(line), None, "{line}");
        }
    }
}
