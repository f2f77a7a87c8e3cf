//! `seaworthy init` end to end: the targets it proposes for a repository, and `--write`, which
//! never replaces an existing `seaworthy.toml`.
#![allow(clippy::disallowed_methods)] // tests write their projects to disk

mod common;

use common::{project, run};

const LAYOUT: &[(&str, &str)] = &[
    (
        "docker/docker-compose.yml",
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n",
    ),
    (
        "docker/compose.prod.yaml",
        "services:\n  api:\n    restart: unless-stopped\n",
    ),
    (
        "docker/compose.selfhosted.yaml",
        "services:\n  api:\n    mem_limit: 512m\n",
    ),
    (
        "docker/compose.dev.yaml",
        "services:\n  api:\n    ports: [\"9229:9229\"]\n",
    ),
    (
        "tests/compose.yaml",
        "services:\n  e2e:\n    image: alpine:3.20\n",
    ),
];

#[test]
fn init_proposes_base_production_and_target_chains() {
    let dir = project(LAYOUT);
    let (code, stdout) = run(dir.path(), &["init"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("[targets.selfhosted]\nfiles = [\"docker/docker-compose.yml\", \"docker/compose.prod.yaml\", \"docker/compose.selfhosted.yaml\"]\n"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("dev"),
        "development overlays are left out: {stdout}"
    );
    assert!(
        !stdout.contains("tests/"),
        "test stacks are left out: {stdout}"
    );
    assert!(
        !dir.path().join("seaworthy.toml").exists(),
        "printing writes nothing"
    );
}

#[test]
fn a_chain_that_does_not_load_alone_says_why() {
    let dir = project(&[
        (
            "compose.yaml",
            "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n",
        ),
        // Meant to go with a database overlay that defines `db`.
        (
            "compose.backup.yaml",
            "services:\n  db:\n    restart: always\n",
        ),
        (
            "compose.proxy.yaml",
            "services:\n  proxy:\n    image: caddy:2.8\n",
        ),
    ]);
    let (code, stdout) = run(dir.path(), &["init"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "\n# This chain does not load as it is: service \"db\" has neither an image nor a build context specified: invalid compose project.\n# Add the overlays it needs, or the variables, before relying on it.\n[targets.backup]\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("\n\n[targets.proxy]\nfiles = [\"compose.yaml\", \"compose.proxy.yaml\"]\n"),
        "{stdout}"
    );
}

#[test]
fn write_creates_the_file_once_and_check_reads_it() {
    let dir = project(LAYOUT);
    let (code, stdout) = run(dir.path(), &["init", "--write"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "wrote seaworthy.toml with 1 targets\n")
    );
    let written = std::fs::read_to_string(dir.path().join("seaworthy.toml")).unwrap();
    let (code, _) = run(dir.path(), &["check", "--exit-zero", "--format", "json"]);
    assert_eq!(code, 0);
    std::fs::write(dir.path().join("seaworthy.toml"), "# mine\n").unwrap();
    let output = common::seaworthy(dir.path())
        .args(["init", "--write"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("seaworthy.toml")).unwrap(),
        "# mine\n",
        "an existing file is never replaced"
    );
    assert!(written.contains("[targets.selfhosted]"));
}

/// The chains real projects document (`SOURCES.md` of the shared corpus), for those present
/// next to this checkout (or under `$SEAWORTHY_CORPUS`): `init` must propose each of them.
#[test]
fn init_proposes_the_chains_real_projects_document() {
    let corpus = std::env::var_os("SEAWORTHY_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        })
        .join("real-world");
    let documented: &[(&str, &str)] = &[
        (
            "mattermost__docker",
            r#"["docker-compose.yml", "docker-compose.nginx.yml"]"#,
        ),
        (
            "mattermost__docker",
            r#"["docker-compose.yml", "docker-compose.without-nginx.yml"]"#,
        ),
        (
            "coollabsio__coolify",
            r#"["docker-compose.yml", "docker-compose.prod.yml"]"#,
        ),
        (
            "plausible__community-edition",
            r#"["docker-compose.yml", "reverse-proxy/docker-compose.caddy-gen.yml"]"#,
        ),
        (
            "plausible__community-edition",
            r#"["docker-compose.yml", "reverse-proxy/traefik/docker-compose.traefik.yml"]"#,
        ),
        ("getsentry__self-hosted", r#"["docker-compose.yml"]"#),
        ("docker__genai-stack", r#"["docker-compose.yml"]"#),
        ("saleor__saleor-platform", r#"["docker-compose.yml"]"#),
        (
            "docker-mailserver__docker-mailserver",
            r#"["compose.yaml"]"#,
        ),
    ];
    let mut checked = 0;
    for (project, files) in documented {
        let dir = corpus.join(project);
        if !dir.is_dir() {
            continue;
        }
        let (code, stdout) = run(&dir, &["init"]);
        assert_eq!(code, 0, "{project}: {stdout}");
        assert!(
            stdout.contains(&format!("files = {files}\n")),
            "{project}: no target {files} in\n{stdout}"
        );
        checked += 1;
    }
    eprintln!("checked {checked} documented chains");
}
