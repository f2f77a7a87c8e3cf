use crate::facts::built::{context_span, contexts};
use crate::{Context, Rule, RuleMeta, declare_rule};
use seaworthy_compose::Project;
use seaworthy_source::Severity;

/// A context this small, with no secrets and no version control, needs no ignore file.
const SMALL_CONTEXT: usize = 20;

declare_rule! {
    /// ## What it checks
    /// Fires when a service's build context has no ignore file: neither
    /// `<Dockerfile>.dockerignore` beside the Dockerfile nor `.dockerignore` at the root of
    /// the context. It is **high** when the context holds secret-shaped files (see
    /// `context-secret-files`). A context of fewer than 20 files with no secret-shaped files
    /// and no version-control directory is exempt (a `docker/` directory holding the
    /// Dockerfile and a few built files). Each context is reported once.
    ///
    /// ## Why it matters in production
    /// Without an ignore file, everything in the directory goes to the builder: `.env` files,
    /// keys, `.git` with its history, `node_modules`. `COPY . .` then puts it in the image.
    /// The ignore file is the one place that keeps the next secret someone drops in the
    /// directory out of the image.
    ///
    /// ## Example
    /// ```yaml
    /// # beside it: Dockerfile = FROM python:3.12-slim
    /// # beside it: .env = DB_PASSWORD=correct-horse-battery
    /// services:
    ///   api:
    ///     build: .
    /// ```
    /// Use instead:
    /// ```yaml
    /// # beside it: Dockerfile = FROM python:3.12-slim
    /// # beside it: .env = DB_PASSWORD=correct-horse-battery
    /// # beside it: .dockerignore = .env
    /// services:
    ///   api:
    ///     build: .
    /// ```
    ///
    /// ## Known false positives
    /// A context that only ever holds what the image needs, beyond the small-context
    /// exemption. An ignore file still documents that intent.
    ///
    /// ## References
    /// - Docker docs, "Build context" (`.dockerignore`, `<Dockerfile>.dockerignore`)
    /// - CIS Docker Benchmark 4.10 (in spirit)
    pub(crate) struct DockerignoreMissing {
        name: "dockerignore-missing",
        code: "SW1201",
        area: BuildContext,
        severity: Medium,
        fix: Never,
        summary: "a build context without an ignore file",
    }
}

impl Rule for DockerignoreMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, cx: &mut Context<'_>, _project: &Project) {
        let services = cx.services();
        for (service, build) in contexts(cx.builds, &services) {
            if build.ignore.is_some() {
                continue;
            }
            let scan = &build.scan;
            let secrets = !scan.secrets.is_empty();
            if scan.files_sent < SMALL_CONTEXT && !secrets && scan.vcs_dirs.is_empty() {
                continue;
            }
            let severity = if secrets {
                Severity::High
            } else {
                Severity::Medium
            };
            let mut message = format!(
                "the build context of `{}` has no `.dockerignore`: it sends all {} files ({} outside dependency trees) to the builder",
                service.name,
                scan.files_sent,
                size(scan.bytes_sent)
            );
            if secrets {
                message.push_str(&format!(
                    ", {} of them named like secrets",
                    scan.secrets.len()
                ));
            }
            cx.report_at(severity, message, context_span(&service), "no ignore file here")
                .service(service.name)
                .help("add a `.dockerignore` to the context: `.git`, `.env*`, `*.pem`, `*.key`, dependency and build directories, or `**` followed by `!` for what the build needs");
        }
    }
}

/// Bytes for a person: `4.2 MiB`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_read_like_a_person_writes_them() {
        assert_eq!(size(512), "512 B");
        assert_eq!(size(2048), "2.0 KiB");
        assert_eq!(size(5 * 1024 * 1024 + 300 * 1024), "5.3 MiB");
    }
}
