use crate::facts::build_steps::{Once, images};
use crate::facts::shell::{Command, commands, inline_script, is_posix_shell, run_commands};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_build::dockerfile::InstructionKind;
use seaworthy_compose::Project;

declare_rule! {
    /// ## What it checks
    /// Fires on a `RUN` of the image a service builds (the stage compose builds and the
    /// stages it is `FROM`) that runs a script downloaded by `curl` or `wget` without saving
    /// it first: `curl … | sh` (or `bash -s`, `zsh`, `python`, `perl`, also through `tee` or
    /// `sudo`), `bash <(curl …)`, `sh -c "$(curl …)"` and `eval "$(curl …)"`. An interpreter
    /// that runs its own inline code (`| python3 -c 'import json…'`, `| perl -e …`) or a
    /// script file reads the download as data, and `wget` only counts when it writes to
    /// standard output (`-O-`).
    ///
    /// ## Why it matters in production
    /// Whatever the server returns at build time runs as root in the build: a compromised
    /// or hijacked download host, a changed installer or a truncated transfer becomes part
    /// of the image with nothing to review or reproduce.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN curl -fsSL https://example.com/install.sh | sh
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// ARG INSTALLER_SHA256=2f0a7d1c9be3a86c8d6e3a8f5b3c1e7d4a9b0c2e6f8a1d3b5c7e9f0a2b4d6e8f
    /// RUN curl -fsSLo /tmp/install.sh https://example.com/v1.4.2/install.sh \
    ///     && echo "${INSTALLER_SHA256}  /tmp/install.sh" | sha256sum -c - \
    ///     && sh /tmp/install.sh && rm /tmp/install.sh
    /// ```
    ///
    /// ## Known false positives
    /// Vendor installers (rustup, nvm, Homebrew) document the pipe; they are still
    /// unverified downloads. Pin a release URL and check a checksum, or copy the tool from
    /// the vendor's image (`COPY --from=`).
    ///
    /// ## References
    /// - OWASP Docker Security Cheat Sheet, rules 9 and 13
    pub(crate) struct CurlPipeShell {
        name: "dockerfile-curl-pipe-shell",
        code: "SW1114",
        area: Dockerfile,
        severity: Medium,
        fix: Never,
        summary: "a build step runs a script straight from the network",
    }
}

impl Rule for CurlPipeShell {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let mut once = Once::default();
        for image in images(cx) {
            for instruction in image.instructions() {
                let InstructionKind::Run(run) = &instruction.kind else {
                    continue;
                };
                if !once.first(&image, instruction) {
                    continue;
                }
                let Some((downloader, runner)) = piped_download(&run_commands(run)) else {
                    continue;
                };
                cx.report(
                    format!("`RUN` runs what `{downloader}` downloads with `{runner}`"),
                    image.span(&instruction.span),
                    "this `RUN`",
                )
                .service(image.service.name)
                .help(
                    "download to a file, check it against a pinned checksum \
                     (`sha256sum -c`), then run it; or copy the tool from a pinned image \
                     with `COPY --from=`",
                );
            }
        }
    }
}

/// The downloader and the program that runs its output, for the first such command.
fn piped_download(commands: &[Command]) -> Option<(String, String)> {
    for (index, command) in commands.iter().enumerate() {
        let Some(launch) = command.launch() else {
            continue;
        };
        if let Some(downloader) = downloads_to_stdout(command) {
            let runner = commands
                .get(index + 1..)
                .unwrap_or(&[])
                .iter()
                .filter(|c| c.pipeline == command.pipeline)
                .find_map(|c| {
                    c.launch()
                        .filter(|l| reads_script_from_stdin(l.program, l.args))
                });
            if let Some(runner) = runner {
                return Some((downloader.to_owned(), runner.program.to_owned()));
            }
        }
        // `bash <(curl …)`, `source <(curl …)`
        let runs_files = is_interpreter(launch.program) || matches!(launch.program, "source" | ".");
        let process_sub = launch
            .args
            .iter()
            .filter_map(|a| a.strip_prefix("<(")?.strip_suffix(')'))
            .find_map(downloader_in);
        if let Some(downloader) = process_sub.filter(|_| runs_files) {
            return Some((downloader, launch.program.to_owned()));
        }
        // `sh -c "$(curl …)"`, `eval "$(curl …)"`
        let code = match launch.program {
            "eval" => launch.args.first().map(String::as_str),
            program => inline_script(program, launch.args),
        };
        let substituted = code.map(str::trim).and_then(|c| {
            c.strip_prefix("$(")
                .and_then(|c| c.strip_suffix(')'))
                .or_else(|| c.strip_prefix('`').and_then(|c| c.strip_suffix('`')))
        });
        if let Some(downloader) = substituted.and_then(downloader_in) {
            return Some((downloader, launch.program.to_owned()));
        }
    }
    None
}

/// The downloader of a script's first command that writes to standard output.
fn downloader_in(script: &str) -> Option<String> {
    commands(script)
        .iter()
        .find_map(|c| downloads_to_stdout(c).map(str::to_owned))
}

/// `curl` (unless it writes to a file) or `wget -O-`.
fn downloads_to_stdout(command: &Command) -> Option<&'static str> {
    let launch = command.launch()?;
    let args = launch.args;
    let value_after = |i: usize| args.get(i + 1).map(String::as_str);
    match launch.program {
        "curl" => {
            let to_file = args.iter().enumerate().any(|(i, a)| {
                if a == "--output" {
                    return value_after(i) != Some("-");
                }
                if a.starts_with("--remote-name") {
                    return true;
                }
                let Some(group) = a.strip_prefix('-').filter(|g| !g.starts_with('-')) else {
                    return a.strip_prefix("--output=").is_some_and(|v| v != "-");
                };
                group.contains('O')
                    || group.find('o').is_some_and(|at| match group.get(at + 1..) {
                        Some("") => value_after(i) != Some("-"),
                        Some(rest) => rest != "-",
                        None => false,
                    })
            });
            (!to_file).then_some("curl")
        }
        "wget" => {
            let to_stdout = args.iter().enumerate().any(|(i, a)| {
                let stdout = |v: Option<&str>| matches!(v, Some("-" | "/dev/stdout"));
                if a == "--output-document" {
                    return stdout(value_after(i));
                }
                if let Some(v) = a.strip_prefix("--output-document=") {
                    return stdout(Some(v));
                }
                let Some(group) = a.strip_prefix('-').filter(|g| !g.starts_with('-')) else {
                    return false;
                };
                group.find('O').is_some_and(|at| match group.get(at + 1..) {
                    Some("") => stdout(value_after(i)),
                    rest => stdout(rest),
                })
            });
            to_stdout.then_some("wget")
        }
        _ => None,
    }
}

/// Shells, Python and Perl.
fn is_interpreter(program: &str) -> bool {
    let version = |rest: &str| rest.chars().all(|c| c.is_ascii_digit() || c == '.');
    is_posix_shell(program)
        || program.strip_prefix("python").is_some_and(version)
        || program.strip_prefix("perl").is_some_and(version)
}

/// The interpreter runs the script it reads on stdin: no inline code (`-c`, `-e`, `-m`)
/// and no script file, or `-s` / `-` to say stdin.
fn reads_script_from_stdin(program: &str, args: &[String]) -> bool {
    if !is_interpreter(program) {
        return false;
    }
    let inline_flags: &[char] = if is_posix_shell(program) {
        &['c']
    } else if program.starts_with("perl") {
        &['e', 'E']
    } else {
        &['c', 'm']
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "-" || (is_posix_shell(program) && arg == "-s") {
            return true;
        }
        if arg == "--" {
            return iter.next().is_none_or(|a| a == "-");
        }
        if let Some(group) = arg.strip_prefix('-').filter(|g| !g.starts_with('-')) {
            if group.contains(inline_flags) {
                return false;
            }
            if is_posix_shell(program) && group.contains('s') {
                return true;
            }
            if (arg == "-o" || arg == "+o") && is_posix_shell(program) {
                iter.next();
            }
        } else if !arg.starts_with("--") && !arg.starts_with('+') {
            // A script file: the download is its input, not its code.
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(script: &str) -> Option<(String, String)> {
        piped_download(&commands(script))
    }

    fn pair(a: &str, b: &str) -> Option<(String, String)> {
        Some((a.to_owned(), b.to_owned()))
    }

    #[test]
    fn pipes_into_interpreters() {
        assert_eq!(found("curl -fsSL https://x | sh"), pair("curl", "sh"));
        assert_eq!(
            found("curl -sL https://x | sudo -E bash -s -- --yes"),
            pair("curl", "bash")
        );
        assert_eq!(
            found("wget -qO- https://x | tee /tmp/log | python3 -"),
            pair("wget", "python3")
        );
        assert_eq!(
            found("bash -c 'curl -s https://x | bash'"),
            pair("curl", "bash")
        );
    }

    #[test]
    fn substitutions_run_downloads() {
        assert_eq!(found("bash <(curl -s https://x)"), pair("curl", "bash"));
        assert_eq!(
            found(r#"sh -c "$(curl -fsSL https://x)""#),
            pair("curl", "sh")
        );
        assert_eq!(
            found(r#"eval "$(wget -O - https://x)""#),
            pair("wget", "eval")
        );
    }

    #[test]
    fn downloads_read_as_data_or_saved_do_not_count() {
        assert_eq!(
            found(
                "curl -s https://api/x | python3 -c 'import json,sys; print(json.load(sys.stdin))'"
            ),
            None
        );
        assert_eq!(found("curl -s https://x | perl -ne 'print'"), None);
        assert_eq!(found("curl -fsSLo /tmp/i.sh https://x | sh"), None);
        assert_eq!(found("wget https://x/i.sh | sh"), None);
        assert_eq!(found("curl -s https://x | tar xz && sh ./install.sh"), None);
        assert_eq!(found("curl -s https://x | sh /tmp/other.sh"), None);
        assert_eq!(
            found(r#"bash -c "echo $(curl -s https://x/version)""#),
            None
        );
    }
}
