use crate::values::is_operator_supplied;
use crate::{Context, Rule, RuleMeta, Service, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Fires when compose's `user:` names root explicitly: `root`, `0`, `root:<group>` or
    /// `0:<group>`. A missing `user:` is not judged here (for built images,
    /// `dockerfile-root-user` reads the Dockerfile; for pulled images it is unknowable).
    ///
    /// ## Why it matters in production
    /// A process running as root inside the container is root on the host as soon as it
    /// escapes (a kernel bug, a mounted socket, a writable host path), and it can rewrite
    /// everything in the image.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     user: "0:0"
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: ghcr.io/acme/api:1.4.2
    ///     user: "10001:10001"
    /// ```
    ///
    /// ## Known false positives
    /// Some images must start as root to drop privileges themselves (they `chown` a volume,
    /// then switch with `gosu`); setting `user: root` on them is redundant but harmless.
    /// Suppress the finding for that service with a reason.
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.1
    /// - OWASP Docker Security Cheat Sheet, rule 2
    pub(crate) struct UserRoot {
        name: "user-root",
        code: "SW709",
        area: Privileges,
        severity: Medium,
        fix: Never,
        summary: "service runs as root explicitly",
    }
}

impl Rule for UserRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_service(&self, cx: &mut Context<'_>, service: &Service<'_>) {
        let Some(node) = service.get("user") else {
            return;
        };
        if is_operator_supplied(node) {
            return;
        }
        let Some(user) = node.scalar_text() else {
            return;
        };
        if !is_root(&user) {
            return;
        }
        cx.report(
            format!("service `{}` runs as root (`user: {user}`)", service.name),
            node.span,
            "root inside the container",
        )
        .help("run as an unprivileged uid (for example `user: \"10001:10001\"`) and give it ownership of the paths it writes");
    }
}

/// The user part (before `:`) is `root` or uid 0 (`00` is still 0).
fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("").trim();
    name == "root" || (!name.is_empty() && name.bytes().all(|b| b == b'0'))
}

#[cfg(test)]
mod tests {
    use super::is_root;

    #[test]
    fn only_the_user_part_counts() {
        assert!(is_root("root"));
        assert!(is_root("0"));
        assert!(is_root("0:1000"));
        assert!(is_root("root:root"));
        assert!(!is_root("1000:0"));
        assert!(!is_root("rootless"));
        assert!(!is_root("10"));
        assert!(!is_root(""));
    }
}
