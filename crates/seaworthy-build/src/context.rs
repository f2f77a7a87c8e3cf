//! What a build context sends to the builder: one walk of the context directory that applies
//! the ignore rules and notes what should not travel (secret-shaped files, by name and by
//! content, version-control directories, heavy dependency trees), with everything it could not
//! read. The walk goes through `FileSystem` rather than a walking crate so that every case can
//! be tested in memory; it never follows a symbolic link (the builder sends a link as a link),
//! so it cannot loop or leave the context.

use seaworthy_source::{EntryKind, FileSystem};
use std::path::{Path, PathBuf};

/// Bounds that keep a scan cheap on any context.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Entries visited before the scan stops (and says so).
    pub max_entries: usize,
    /// Bytes read from the head of a file whose content is checked.
    pub content_bytes: usize,
    /// Files larger than this are not content-checked (binaries, archives, data).
    pub max_content_file: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 200_000,
            content_bytes: 64 * 1024,
            max_content_file: 1024 * 1024,
        }
    }
}

/// A file the builder would receive that holds, or is named like, a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretFile {
    /// Slash-separated, relative to the context.
    pub path: String,
    /// What it is (`a private key`, `an env file`), never its content.
    pub kind: String,
    /// Found by what the file holds rather than by its name.
    pub by_content: bool,
}

/// A directory the builder would receive that only slows builds or leaks history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentTree {
    pub path: String,
    pub files: usize,
}

/// The result of walking one context.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextScan {
    pub files_sent: usize,
    /// Bytes of the files sent outside version-control and dependency trees.
    pub bytes_sent: u64,
    pub secrets: Vec<SecretFile>,
    /// `.git`, `.hg`, `.svn` directories that are sent.
    pub vcs_dirs: Vec<SentTree>,
    /// `node_modules`, `target`, `.venv`, `vendor`, `dist`... that are sent.
    pub heavy_dirs: Vec<SentTree>,
    /// Entries that could not be read, with the reason.
    pub unreadable: Vec<(String, String)>,
    /// The walk stopped at `Limits::max_entries`.
    pub truncated: bool,
}

/// How the scan asks what the ignore rules say: whether a relative path (of a file or a
/// directory) is left out of the context, and whether an excluded directory may hold files
/// that a later `!` pattern sends anyway (then the walk must still go into it).
pub trait Exclusions {
    fn is_excluded(&self, path: &str) -> bool;
    fn may_reinclude_under(&self, dir: &str) -> bool;
}

/// No ignore file: everything is sent.
#[derive(Clone, Copy, Debug, Default)]
pub struct SendEverything;

impl Exclusions for SendEverything {
    fn is_excluded(&self, _path: &str) -> bool {
        false
    }

    fn may_reinclude_under(&self, _dir: &str) -> bool {
        false
    }
}

impl Exclusions for crate::dockerignore::DockerIgnore {
    fn is_excluded(&self, path: &str) -> bool {
        crate::dockerignore::DockerIgnore::is_excluded(self, path)
    }

    fn may_reinclude_under(&self, dir: &str) -> bool {
        crate::dockerignore::DockerIgnore::may_reinclude_under(self, dir)
    }
}

/// What a file's head reveals: the kind of secret it holds (`a GitHub token`), if any.
pub type ContentCheck<'a> = &'a (dyn Fn(&[u8]) -> Option<String> + Sync);

const VCS_DIRS: [&str; 3] = [".git", ".hg", ".svn"];
const HEAVY_DIRS: [&str; 7] = [
    "node_modules",
    "target",
    ".venv",
    "venv",
    "vendor",
    "dist",
    "__pycache__",
];

/// Walks `root` once. `always_sent` are context-relative paths the builder receives whatever
/// the ignore file says (the Dockerfile and the ignore file themselves).
pub fn scan(
    fs: &dyn FileSystem,
    root: &Path,
    exclusions: &dyn Exclusions,
    always_sent: &[String],
    content: ContentCheck<'_>,
    limits: Limits,
) -> ContextScan {
    let mut scan = ContextScan::default();
    let mut visited = 0usize;
    // Sent directories reported as a whole, with the kind of each.
    let mut trees: Vec<(TreeKind, SentTree)> = Vec::new();
    // (absolute directory, relative path, index of the tree it belongs to)
    let mut stack: Vec<(PathBuf, String, Option<usize>)> =
        vec![(root.to_path_buf(), String::new(), None)];
    while let Some((dir, relative, tree)) = stack.pop() {
        let entries = match fs.read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                scan.unreadable.push((display(&relative), e.to_string()));
                continue;
            }
        };
        // Reversed, so that popping visits entries in name order.
        for entry in entries.into_iter().rev() {
            visited += 1;
            if visited > limits.max_entries {
                scan.truncated = true;
                return finish(scan, trees);
            }
            let path = join(&relative, &entry.name);
            let excluded = exclusions.is_excluded(&path) && !always_sent.contains(&path);
            match entry.kind {
                EntryKind::Dir => {
                    if excluded && !exclusions.may_reinclude_under(&path) {
                        continue;
                    }
                    let tree = match tree {
                        Some(index) => Some(index),
                        None if !excluded => classify_dir(&entry.name).map(|kind| {
                            trees.push((
                                kind,
                                SentTree {
                                    path: path.clone(),
                                    files: 0,
                                },
                            ));
                            trees.len() - 1
                        }),
                        None => None,
                    };
                    stack.push((dir.join(&entry.name), path, tree));
                }
                EntryKind::File if !excluded => {
                    scan.files_sent += 1;
                    match tree.and_then(|index| trees.get_mut(index)) {
                        // Inside version control or dependencies: counted, not inspected, not
                        // even sized (they are most of a large context, and a `stat` each
                        // would double the walk).
                        Some((_, sent)) => sent.files += 1,
                        None => {
                            let file = dir.join(&entry.name);
                            let size = fs.metadata(&file).map(|m| m.len).unwrap_or(0);
                            scan.bytes_sent += size;
                            check_file(fs, &file, &path, size, content, limits, &mut scan);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    finish(scan, trees)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TreeKind {
    Vcs,
    Heavy,
}

fn classify_dir(name: &str) -> Option<TreeKind> {
    if VCS_DIRS.contains(&name) {
        Some(TreeKind::Vcs)
    } else if HEAVY_DIRS.contains(&name) {
        Some(TreeKind::Heavy)
    } else {
        None
    }
}

fn finish(mut scan: ContextScan, trees: Vec<(TreeKind, SentTree)>) -> ContextScan {
    for (kind, sent) in trees {
        match kind {
            TreeKind::Vcs => scan.vcs_dirs.push(sent),
            TreeKind::Heavy => scan.heavy_dirs.push(sent),
        }
    }
    scan
}

fn check_file(
    fs: &dyn FileSystem,
    file: &Path,
    path: &str,
    size: u64,
    content: ContentCheck<'_>,
    limits: Limits,
    scan: &mut ContextScan,
) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let by_name = secret_kind_by_name(path);
    // `.npmrc` is a secret only when it carries a registry token: read it like the others.
    if let Some(kind) = by_name.filter(|_| name != ".npmrc") {
        scan.secrets.push(SecretFile {
            path: path.to_owned(),
            kind: kind.to_owned(),
            by_content: false,
        });
        return;
    }
    if size > limits.max_content_file || !is_content_candidate(name) {
        return;
    }
    let head = match fs.read_prefix(file, limits.content_bytes) {
        Ok(head) => head,
        Err(e) => {
            scan.unreadable.push((path.to_owned(), e.to_string()));
            return;
        }
    };
    if name == ".npmrc" && String::from_utf8_lossy(&head).contains("_auth") {
        scan.secrets.push(SecretFile {
            path: path.to_owned(),
            kind: "an npm registry token".to_owned(),
            by_content: false,
        });
        return;
    }
    if let Some(kind) = content(&head) {
        scan.secrets.push(SecretFile {
            path: path.to_owned(),
            kind,
            by_content: true,
        });
    }
}

/// Files whose head is worth reading for tokens: configuration and scripts, where
/// credentials are pasted, rather than sources, assets and binaries.
fn is_content_candidate(name: &str) -> bool {
    const EXTENSIONS: [&str; 18] = [
        "env",
        "json",
        "yaml",
        "yml",
        "toml",
        "ini",
        "cfg",
        "conf",
        "config",
        "properties",
        "xml",
        "txt",
        "sh",
        "bash",
        "zsh",
        "ps1",
        "tfvars",
        "npmrc",
    ];
    if name.starts_with('.') {
        return true;
    }
    match name.rsplit_once('.') {
        Some((_, extension)) => EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()),
        None => true,
    }
}

/// The kind of secret a context-relative path is named like (RULES.md `context-secret-files`).
pub fn secret_kind_by_name(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let template = [".example", ".sample", ".template", ".dist"]
        .iter()
        .any(|s| lower.ends_with(s));
    if lower == ".env" || (lower.starts_with(".env.") && !template) {
        return Some("an env file");
    }
    if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]
        .iter()
        .any(|k| lower.starts_with(k))
        && !lower.ends_with(".pub")
    {
        return Some("an SSH private key");
    }
    let extension = lower.rsplit_once('.').map(|(_, e)| e);
    match extension {
        Some("pem" | "key") => return Some("a private key file"),
        Some("p12" | "pfx" | "jks" | "keystore") => return Some("a key store"),
        Some("kdbx") => return Some("a password database"),
        _ => {}
    }
    if lower.contains(".tfstate") {
        return Some("a Terraform state file");
    }
    if lower.ends_with(".json")
        && (lower.starts_with("credentials") || lower.starts_with("service-account"))
    {
        return Some("a cloud credentials file");
    }
    match lower.as_str() {
        ".pypirc" => return Some("a PyPI credentials file"),
        ".netrc" => return Some("a .netrc with login credentials"),
        ".git-credentials" => return Some("a git credentials file"),
        ".htpasswd" => return Some("a password hash file"),
        _ => {}
    }
    if path.ends_with(".aws/credentials") {
        return Some("AWS credentials");
    }
    if path.ends_with(".docker/config.json") {
        return Some("Docker registry credentials");
    }
    if path.starts_with("secrets/") || path.contains("/secrets/") {
        return Some("a file under secrets/");
    }
    None
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}/{name}")
    }
}

fn display(relative: &str) -> String {
    if relative.is_empty() {
        ".".to_owned()
    } else {
        relative.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_source::{DirEntry, MemoryFs, Metadata};
    use std::io;

    /// Paths under any of these prefixes are excluded; `!`-style re-inclusion when `reinclude`.
    struct Prefixes(&'static [&'static str], bool);

    impl Exclusions for Prefixes {
        fn is_excluded(&self, path: &str) -> bool {
            self.0
                .iter()
                .any(|p| path == *p || path.starts_with(&format!("{p}/")))
        }
        fn may_reinclude_under(&self, _dir: &str) -> bool {
            self.1
        }
    }

    fn tokens(head: &[u8]) -> Option<String> {
        String::from_utf8_lossy(head)
            .contains("ghp_")
            .then(|| "a GitHub token".to_owned())
    }

    fn run(fs: &dyn FileSystem, exclusions: &dyn Exclusions) -> ContextScan {
        scan(
            fs,
            Path::new("/ctx"),
            exclusions,
            &["Dockerfile".to_owned(), ".dockerignore".to_owned()],
            &tokens,
            Limits::default(),
        )
    }

    fn secret_paths(scan: &ContextScan) -> Vec<&str> {
        scan.secrets.iter().map(|s| s.path.as_str()).collect()
    }

    #[test]
    fn secret_shaped_files_that_are_sent_are_named_with_their_kind() {
        let fs = MemoryFs::new()
            .with("/ctx/Dockerfile", "FROM alpine")
            .with("/ctx/.env", "DB_PASSWORD=x")
            .with("/ctx/.env.example", "DB_PASSWORD=")
            .with("/ctx/certs/site.key", "k")
            .with("/ctx/config/app.yaml", "token: ghp_abc")
            .with("/ctx/src/main.py", "print('ghp_in_source_is_not_read')")
            .with("/ctx/.npmrc", "registry=https://registry.npmjs.org/");
        let scan = run(&fs, &SendEverything);
        assert_eq!(
            secret_paths(&scan),
            [".env", "certs/site.key", "config/app.yaml"]
        );
        assert_eq!(scan.secrets[0].kind, "an env file");
        assert!(scan.secrets[2].by_content);
        assert_eq!(scan.files_sent, 7);
    }

    #[test]
    fn excluded_files_and_directories_are_not_sent() {
        let fs = MemoryFs::new()
            .with("/ctx/Dockerfile", "FROM alpine")
            .with("/ctx/.dockerignore", ".env\nsecrets\n")
            .with("/ctx/.env", "x")
            .with("/ctx/secrets/db.txt", "x")
            .with("/ctx/app.py", "x");
        let scan = run(
            &fs,
            &Prefixes(&[".env", "secrets", ".dockerignore", "Dockerfile"], false),
        );
        assert!(scan.secrets.is_empty(), "{:?}", scan.secrets);
        // The Dockerfile and the ignore file are always sent.
        assert_eq!(scan.files_sent, 3);
    }

    #[test]
    fn an_excluded_directory_is_entered_when_a_pattern_may_send_something_back() {
        struct KeepOne;
        impl Exclusions for KeepOne {
            fn is_excluded(&self, path: &str) -> bool {
                path.starts_with("secrets") && path != "secrets/keep.pem"
            }
            fn may_reinclude_under(&self, _dir: &str) -> bool {
                true
            }
        }
        let fs = MemoryFs::new()
            .with("/ctx/secrets/keep.pem", "x")
            .with("/ctx/secrets/other.pem", "x");
        assert_eq!(secret_paths(&run(&fs, &KeepOne)), ["secrets/keep.pem"]);
    }

    #[test]
    fn npmrc_is_a_secret_only_with_a_token() {
        let with = MemoryFs::new().with("/ctx/.npmrc", "//registry.npmjs.org/:_authToken=abc");
        assert_eq!(
            run(&with, &SendEverything).secrets[0].kind,
            "an npm registry token"
        );
        let without = MemoryFs::new().with("/ctx/.npmrc", "save-exact=true");
        assert!(run(&without, &SendEverything).secrets.is_empty());
    }

    #[test]
    fn version_control_and_dependency_trees_are_reported_whole() {
        let fs = MemoryFs::new()
            .with("/ctx/.git/HEAD", "ref")
            .with("/ctx/.git/objects/ab/cd", "12345")
            .with("/ctx/.git/config.yaml", "ghp_not_inspected")
            .with("/ctx/web/node_modules/x/index.js", "1")
            .with("/ctx/app.py", "x");
        let scan = run(&fs, &SendEverything);
        assert_eq!(
            scan.vcs_dirs,
            [SentTree {
                path: ".git".into(),
                files: 3,
            }]
        );
        assert_eq!(scan.heavy_dirs[0].path, "web/node_modules");
        assert!(scan.secrets.is_empty());
        let ignored = run(&fs, &Prefixes(&[".git"], false));
        assert!(ignored.vcs_dirs.is_empty());
    }

    /// A file system with a symbolic link and a directory that cannot be read.
    struct Awkward(MemoryFs);

    impl FileSystem for Awkward {
        fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
            self.0.read(path)
        }
        fn metadata(&self, path: &Path) -> io::Result<Metadata> {
            self.0.metadata(path)
        }
        fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
            if path.ends_with("locked") {
                return Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "permission denied",
                ));
            }
            let mut entries = self.0.read_dir(path)?;
            if path == Path::new("/ctx") {
                entries.push(DirEntry {
                    name: "loop".into(),
                    kind: EntryKind::Symlink,
                });
            }
            Ok(entries)
        }
    }

    #[test]
    fn links_are_not_followed_and_unreadable_directories_are_reported() {
        let fs = Awkward(
            MemoryFs::new()
                .with("/ctx/app.py", "x")
                .with("/ctx/locked/secret.pem", "x"),
        );
        let scan = run(&fs, &SendEverything);
        assert_eq!(scan.files_sent, 1);
        assert_eq!(
            scan.unreadable,
            [("locked".to_owned(), "permission denied".to_owned())]
        );
    }

    #[test]
    fn a_huge_context_stops_at_the_limit_and_says_so() {
        let mut fs = MemoryFs::new();
        for i in 0..50 {
            fs.insert(format!("/ctx/f{i:02}.txt"), "x");
        }
        let limits = Limits {
            max_entries: 10,
            ..Limits::default()
        };
        let scan = scan(
            &fs,
            Path::new("/ctx"),
            &SendEverything,
            &[],
            &tokens,
            limits,
        );
        assert!(scan.truncated);
        assert_eq!(scan.files_sent, 10);
    }

    #[test]
    fn secret_names_follow_the_catalog() {
        let secret = [
            ".env",
            ".env.production",
            "deploy/id_rsa",
            "id_ed25519",
            "tls/server.pem",
            "app.key",
            "store.p12",
            "keystore.jks",
            "infra/terraform.tfstate.backup",
            "credentials-prod.json",
            "service-account.json",
            ".pypirc",
            ".netrc",
            ".git-credentials",
            "home/.aws/credentials",
            "home/.docker/config.json",
            "secrets/db.txt",
            "docker/secrets/api.txt",
            "vault.kdbx",
            ".htpasswd",
        ];
        for path in secret {
            assert!(secret_kind_by_name(path).is_some(), "{path}");
        }
        let plain = [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            "id_rsa.pub",
            "config.json",
            "keys.txt",
            "src/secrets.py",
            "Dockerfile",
            "docker-compose.yml",
        ];
        for path in plain {
            assert_eq!(secret_kind_by_name(path), None, "{path}");
        }
    }
}
