use std::path::{Path, PathBuf};

use seaworthy_source::MemoryFs;

use super::*;

/// (ignore file, path relative to the context, excluded?)
const TABLE: &[(&str, &str, bool)] = &[
    // Patterns are anchored at the context root; a match covers everything below it.
    ("foo", "foo", true),
    ("foo", "foo/bar.txt", true),
    ("foo", "a/foo", false),
    ("foo", "foobar", false),
    ("*", "a/b/c", true),
    ("a*", "ab/c", true),
    ("a*/b", "abc/b", true),
    ("a*/b", "a/c/b", false),
    // `*` and `?` stay within one path element, so `*.log` is root-level only.
    ("*.log", "app.log", true),
    ("*.log", "logs/app.log", false),
    ("**/*.log", "logs/deep/app.log", true),
    ("**/*.log", "app.log", true),
    ("a?b", "a/b", false),
    ("temp?", "tempa", true),
    ("temp?", "temp", false),
    ("*/temp*", "somedir/temporary.txt", true),
    ("*/*/temp*", "a/b/temp", true),
    ("*/*/temp*", "a/temp", false),
    // A trailing `/` is cleaned away, so it also matches a file.
    ("build/", "build", true),
    ("build/", "build/out.o", true),
    // Patterns and paths are cleaned; a leading `/` is dropped from patterns.
    ("./a", "a", true),
    ("a//b", "a/b", true),
    ("a/./b", "a/b", true),
    ("a/../b", "b", true),
    ("a/../b", "a/b", false),
    ("/secret", "secret", true),
    ("/secret", "x/secret", false),
    ("a", "./a/b", true),
    ("a", "/a", true),
    ("/", "anything", false),
    (".", "a", false),
    ("*", ".", false),
    // The last matching pattern wins; `!` re-includes, even under an excluded directory.
    ("docs\n!docs/README.md", "docs/README.md", false),
    ("docs\n!docs/README.md", "docs/other.md", true),
    ("docs\n!docs/README.md", "docs", true),
    ("docs/\n!docs/README.md", "docs/README.md", false),
    ("docs/*\n!docs/README.md", "docs/README.md", false),
    ("*\n!config/**", "config/app/settings.yml", false),
    ("*\n!config/**", ".env", true),
    ("**\n!util/docker/web", "util/docker/web/foo", false),
    (
        "**\n!util/docker/web\nutil/docker/web/foo",
        "util/docker/web/foo",
        true,
    ),
    ("*.go\n!fileutils.go", "fileutils.go", false),
    ("!fileutils.go\n*.go", "fileutils.go", true),
    ("a\n!a/b", "a/b/c", false),
    ("!!foo", "!foo", false),
    ("*\n!!foo", "!foo", false),
    // BuildKit matches level by level: an exception skipped at `a` is not retried for `a/b`.
    ("a/b\n!a", "a/b", true),
    // `**` matches any number of directories, including none.
    ("**", "file", true),
    ("**", "dir/file", true),
    ("**/", "file", true),
    ("**/**", "dir/file", true),
    ("dir/**", "dir/file", true),
    ("dir/**", "dir/d2/file", true),
    ("dir/**", "dir", false),
    ("**/dir", "dir", true),
    ("**/dir", "x/y/dir/file", true),
    ("**/dir2/*", "dir/dir2/file", true),
    ("**/dir2/**", "dir/dir2/dir3/file", true),
    ("**/foo/bar", "dir/dir2/foo/bar", true),
    ("**/.foo", ".foo", true),
    ("**/.foo", "bar.foo", false),
    ("**/**/*.txt2", "dir/dir/file.txt", false),
    ("a**/*.txt", "a/dir/dir/file.txt", true),
    ("a/*.txt**", "a/file.txt", true),
    // `a**b` is `a(.*/)?b`: it needs a `/` before the `b` or nothing at all.
    ("a**b", "ab", true),
    ("a**b", "ax/b", true),
    ("a**b", "axb", false),
    // A leading `**` followed by literals is a plain suffix test.
    ("**file", "dir/file", true),
    ("**file", "myfile", true),
    ("**/file", "myfile", false),
    // A trailing `**` after literals is a plain prefix test.
    ("foo**", "foobar", true),
    // Classes negate with `^`; `!` inside a class is a literal.
    ("a[b-d]e", "ace", true),
    ("a[b-d]e", "ae", false),
    ("a[^b-d]e", "aze", true),
    ("a[^b-d]e", "ace", false),
    ("[!a]bc", "!bc", true),
    ("[!a]bc", "abc", true),
    ("[!a]bc", "xbc", false),
    // A `*` inside a class is expanded before Go's regexp reads the class.
    ("[*]", "*", false),
    ("[*]", "]", true),
    // Braces and regexp punctuation are literal.
    ("{a,b}.txt", "a.txt", false),
    ("{a,b}.txt", "{a,b}.txt", true),
    ("a(b)c/def", "a(b)c/def", true),
    ("a(b)c/def", "a(b)c/xyz", false),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
    ("abc.def", "abcZdef", false),
    (
        "dist/*.whl",
        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
        true,
    ),
    // `\` escapes the next character, and the escape is read by Go's regexp.
    ("a\\*b", "a*b", true),
    ("a\\*b", "axb", false),
    ("a\\\\", "a\\", true),
    ("\\#foo", "#foo", true),
    ("\\d", "7", true),
    ("\\d", "d", false),
    // Lines are trimmed at both ends, also after the `!`; CRLF line ends are fine.
    ("  foo  ", "foo", true),
    ("\tfoo", "foo", true),
    ("foo\n  !  foo", "foo", false),
    ("foo\r\nbar", "foo", true),
    ("foo\r\nbar", "bar", true),
    // Only a `#` in column 1 starts a comment.
    ("# foo", "# foo", false),
    ("#foo\nbar", "foo", false),
    (" # foo", "# foo", true),
    // A byte-order mark is dropped from the first line only.
    ("\u{FEFF}foo", "foo", true),
    ("\u{FEFF}# note\nfoo", "foo", true),
    ("bar\n\u{FEFF}foo", "foo", false),
    // Non-ASCII names match character by character.
    ("héllo*", "héllo.txt", true),
    ("h?llo", "héllo", true),
    // No patterns, nothing excluded.
    ("", "a", false),
    ("# only a comment\n\n   \n", "a", false),
];

#[test]
fn table_of_docker_matching_behaviour() {
    assert!(TABLE.len() >= 60);
    let mut failures = Vec::new();
    for &(text, path, expected) in TABLE {
        let ignore = DockerIgnore::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        if ignore.is_excluded(path) != expected {
            failures.push(format!(
                "{text:?} on {path:?}: expected excluded={expected}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_whole_file_is_rejected_at_the_first_bad_line() {
    for (text, line, message) in [
        ("!", 1, "illegal exclusion pattern: \"!\""),
        ("foo\n!", 2, "illegal exclusion pattern: \"!\""),
        ("# c\n!   ", 2, "illegal exclusion pattern: \"!\""),
        ("!/", 1, "illegal exclusion pattern: \"!\""),
        ("[", 1, "syntax error in pattern \"[\""),
        ("ok\n\na[b", 3, "syntax error in pattern \"a[b\""),
        ("[]a]", 1, "syntax error in pattern \"[]a]\""),
        ("[a-]", 1, "syntax error in pattern \"[a-]\""),
        ("a\\", 1, "syntax error in pattern \"a\\\\\""),
        ("foo\\ ", 1, "syntax error in pattern \"foo\\\\\""),
        ("!x[", 1, "syntax error in pattern \"x[\""),
    ] {
        let error = DockerIgnore::parse(text).expect_err(text);
        assert_eq!(
            (error.line, error.message.as_str()),
            (line, message),
            "{text:?}"
        );
    }
}

#[test]
fn a_pattern_go_regexp_rejects_is_an_error() {
    // filepath.Match accepts `\y` (a literal y) but Go's regexp has no such escape.
    let error = DockerIgnore::parse("ok\n!\\y").unwrap_err();
    assert_eq!(error.line, 2);
    assert!(
        error.message.contains("invalid escape sequence"),
        "{}",
        error.message
    );
}

#[test]
fn an_overlong_line_is_an_error() {
    let text = format!("ok\n{}", "a".repeat(MAX_LINE));
    assert_eq!(DockerIgnore::parse(&text).unwrap_err().line, 2);
    assert!(DockerIgnore::parse(&"a".repeat(MAX_LINE - 1)).is_ok());
    let with_cr = format!("{}\r\nok", "a".repeat(MAX_LINE - 1));
    assert_eq!(DockerIgnore::parse(&with_cr).unwrap_err().line, 1);
}

#[test]
fn patterns_keep_their_lines_and_cleaned_text() {
    let ignore = DockerIgnore::parse("# c\n\n/build/\n  ! ./keep//me \n*.log\n").unwrap();
    let seen: Vec<(usize, &str, bool)> = ignore
        .patterns()
        .iter()
        .map(|p| (p.line(), p.text(), p.is_exception()))
        .collect();
    assert_eq!(
        seen,
        [
            (3, "build", false),
            (4, "keep/me", true),
            (5, "*.log", false)
        ]
    );
    assert!(ignore.has_exceptions());
}

#[test]
fn a_walker_passing_parent_results_agrees_with_is_excluded() {
    let ignore = DockerIgnore::parse("a/b\n!a\nx\n!x/keep").unwrap();
    let a = ignore.match_path("a", None);
    let ab = ignore.match_path("a/b", Some(&a));
    assert!(!a.is_excluded());
    assert!(ab.is_excluded());
    let x = ignore.match_path("x", None);
    let keep = ignore.match_path("x/keep", Some(&x));
    let other = ignore.match_path("x/other", Some(&x));
    assert_eq!(
        (x.is_excluded(), keep.is_excluded(), other.is_excluded()),
        (true, false, true)
    );
    assert!(!ignore.is_excluded("x/keep/deep"));
}

#[test]
fn pruning_follows_buildkit() {
    let none = DockerIgnore::parse("node_modules").unwrap();
    assert!(!none.may_reinclude_under("node_modules"));

    let plain = DockerIgnore::parse("*\n!src/app\n!config/**").unwrap();
    assert!(plain.may_reinclude_under("src"));
    assert!(plain.may_reinclude_under("src/app"));
    assert!(plain.may_reinclude_under("config"));
    assert!(!plain.may_reinclude_under("docs"));
    assert!(!plain.may_reinclude_under("sr"));

    let glob = DockerIgnore::parse("*\n!**/*.go").unwrap();
    assert!(glob.may_reinclude_under("anything"));
}

#[test]
fn the_dockerfile_specific_ignore_file_wins() {
    let fs = MemoryFs::new()
        .with("/p/app/.dockerignore", "*")
        .with("/p/app/docker/api.Dockerfile", "FROM scratch")
        .with("/p/app/docker/api.Dockerfile.dockerignore", "!x");
    assert_eq!(
        ignore_file_for(&fs, Path::new("/p/app"), Path::new("docker/api.Dockerfile")),
        Some(PathBuf::from("/p/app/docker/api.Dockerfile.dockerignore"))
    );
    assert_eq!(
        ignore_file_for(
            &fs,
            Path::new("/p/app"),
            Path::new("/p/app/docker/api.Dockerfile")
        ),
        Some(PathBuf::from("/p/app/docker/api.Dockerfile.dockerignore"))
    );
}

#[test]
fn the_context_ignore_file_is_the_fallback() {
    let fs = MemoryFs::new()
        .with("/p/app/.dockerignore", "*")
        .with("/p/app/Dockerfile", "FROM scratch");
    assert_eq!(
        ignore_file_for(&fs, Path::new("/p/app"), Path::new("Dockerfile")),
        Some(PathBuf::from("/p/app/.dockerignore"))
    );
    // A Dockerfile outside the context still looks beside itself first.
    let outside = fs.clone().with("/p/build/Dockerfile.dockerignore", "x");
    assert_eq!(
        ignore_file_for(
            &outside,
            Path::new("/p/app"),
            Path::new("../build/Dockerfile")
        ),
        Some(PathBuf::from("/p/app/../build/Dockerfile.dockerignore"))
    );
}

#[test]
fn no_ignore_file_is_none() {
    let fs = MemoryFs::new().with("/p/app/Dockerfile", "FROM scratch");
    assert_eq!(
        ignore_file_for(&fs, Path::new("/p/app"), Path::new("Dockerfile")),
        None
    );
    // A directory named like the ignore file is not one.
    let dir = fs.clone().with("/p/app/.dockerignore/x", "");
    assert_eq!(
        ignore_file_for(&dir, Path::new("/p/app"), Path::new("Dockerfile")),
        None
    );
}

#[test]
fn the_dockerfile_and_ignore_file_are_always_sent() {
    assert!(always_sent("Dockerfile", "Dockerfile", ".dockerignore"));
    assert!(always_sent(
        "./docker/api.Dockerfile",
        "docker/api.Dockerfile",
        ".dockerignore"
    ));
    assert!(always_sent(".dockerignore", "Dockerfile", ".dockerignore"));
    assert!(!always_sent(".env", "Dockerfile", ".dockerignore"));
}

#[test]
fn hostile_input_does_not_panic() {
    for text in [
        "[",
        "[^",
        "\\",
        "!",
        "**/**/**/[",
        "[[:",
        "[[:alpha:",
        "\\p",
        "\\x{",
        "\\x{110000}",
        "[\\",
        "a[]-]",
        "\u{FEFF}",
        "\u{FEFF}**",
        "**\u{FEFF}",
        "[é-a]",
        "\\Q",
        "\\Qab",
    ] {
        if let Ok(ignore) = DockerIgnore::parse(text) {
            let _ = ignore.is_excluded("a/b/é");
            let _ = ignore.may_reinclude_under("a");
        }
    }
}
