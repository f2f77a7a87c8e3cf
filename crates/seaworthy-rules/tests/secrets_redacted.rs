//! No secret rule ever writes the secret it found: every planted value must be absent from
//! each finding's message, help and labels, and listed in the finding's redactions so the
//! renderers mask it in source snippets too.

use seaworthy_compose::{LoadOptions, Sources, load};
use seaworthy_rules::builds::{BuildCache, gather};
use seaworthy_rules::{Area, check, registry::RULES};
use seaworthy_source::{MapEnv, MemoryFs};
use std::path::Path;

const PLANTED: &[&str] = &[
    "changeme-db-pw",
    "dev-token-123",
    "pa$w0rd-42",
    "s3cret-url-pw",
    "url-default-pw",
    "s3cret-redis-pw",
    "r00t-mysql-pw",
    "npm_live_token_value",
    "ghp_R8x2mK9qL4vN7pT1wZ5cB3dF6hJ0sY2uE8aQ",
    "AKIAZ7Q3VN4XK2L8RT5M",
    "label-pw-77",
    "env-mail-pw-31",
    "envfile-webhook-5",
    "$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/",
];

/// The content of a committed secret file: the file rules name the file, never read it out.
const FILE_CONTENT: &str = "file-secret-value-9";

/// Rules about secret files rather than values: they have nothing to redact.
const ABOUT_FILES: &[&str] = &[
    "secret-file-exposed",
    "secret-file-missing",
    "secret-file-unusable",
];

const COMPOSE: &str = r#"
services:
  api:
    image: ghcr.io/acme/api:1.4.2
    environment:
      DB_PASSWORD: changeme-db-pw
      API_TOKEN: ${API_TOKEN:-dev-token-123}
      ADMIN_PASS: pa$$w0rd-42
      DATABASE_URL: postgres://app:s3cret-url-pw@db/app
      CACHE_URL: redis://:${CACHE_PW:-url-default-pw}@cache/0
      GITHUB_AUTH: ghp_R8x2mK9qL4vN7pT1wZ5cB3dF6hJ0sY2uE8aQ
      AWS_KEY_ID: AKIAZ7Q3VN4XK2L8RT5M
      MAIL_PASSWORD: ${MAIL_PASSWORD}
    env_file: app.env
    labels:
      com.acme.backup.db-password: label-pw-77
      traefik.http.middlewares.auth.basicauth.users: "admin:$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/"
    secrets: [db_password, api_key, empty_key]
    command: redis-server --requirepass s3cret-redis-pw
    entrypoint: ["sh", "-c", "mysqldump -uroot -pr00t-mysql-pw app"]
    build:
      context: .
      args:
        NPM_TOKEN: npm_live_token_value
secrets:
  db_password:
    file: ./db_password.txt
  api_key:
    file: ./secret/api_key.txt
  empty_key:
    file: ./empty_key.txt
"#;

#[test]
fn secret_findings_never_contain_the_secret() {
    let mut fs = MemoryFs::new();
    fs.insert(
        Path::new("/project/compose.yaml"),
        COMPOSE.as_bytes().to_vec(),
    );
    fs.insert(
        Path::new("/project/app.env"),
        b"WEBHOOK_SECRET=envfile-webhook-5\n".to_vec(),
    );
    // A git work tree that ignores nothing: the env file and the secret file are committed.
    fs.insert(
        Path::new("/project/.git/HEAD"),
        b"ref: refs/heads/main\n".to_vec(),
    );
    fs.insert(Path::new("/project/db_password.txt"), FILE_CONTENT);
    fs.insert(Path::new("/project/empty_key.txt"), "");
    let env = MapEnv::new().with("MAIL_PASSWORD", "env-mail-pw-31");
    let options = LoadOptions {
        cwd: Path::new("/project").to_path_buf(),
        ..LoadOptions::default()
    };
    let mut sources = Sources::new();
    let project = load(&options, &fs, &env, &mut sources).unwrap();
    let builds = gather(&project, &fs, &mut sources.map, &mut BuildCache::default());
    let rules: Vec<_> = RULES
        .iter()
        .copied()
        .filter(|r| r.meta().area == Area::Secrets)
        .collect();
    assert!(rules.len() >= 5, "secret rules: {}", rules.len());
    let findings = check(&project, &rules, &fs, &builds);
    for rule in &rules {
        assert!(
            findings
                .iter()
                .any(|f| f.diagnostic.code == rule.meta().name),
            "{} found nothing in the planted fixture",
            rule.meta().name
        );
    }
    for finding in &findings {
        let d = &finding.diagnostic;
        let mut printed = vec![d.message.clone(), d.help.clone().unwrap_or_default()];
        printed.extend(d.primary.iter().map(|l| l.message.clone()));
        printed.extend(d.secondary.iter().map(|l| l.message.clone()));
        for secret in PLANTED.iter().chain([&FILE_CONTENT]) {
            for text in &printed {
                assert!(!text.contains(secret), "{} prints {secret}: {text}", d.code);
            }
        }
        assert!(
            ABOUT_FILES.contains(&d.code.as_str()) || !d.redactions.is_empty(),
            "{} redacts nothing: {}",
            d.code,
            d.message
        );
    }
    for secret in PLANTED {
        assert!(
            findings.iter().any(|f| f
                .diagnostic
                .redactions
                .iter()
                .any(|r| secret.contains(r.as_str()))),
            "no finding redacts {secret}"
        );
    }
}

/// Values a Dockerfile bakes in: an `ENV` literal, an `ARG` default, a build argument that
/// compose passes, and a literal copied through a variable.
const DOCKERFILE_PLANTED: &[&str] = &[
    "df-env-literal-pw-1",
    "df-arg-default-tok-2",
    "df-compose-build-arg-3",
    "df-env-continued-4",
];

#[test]
fn dockerfile_secret_findings_never_contain_the_secret() {
    let compose = "services:\n  api:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: df-compose-build-arg-3\n";
    let dockerfile = "FROM node:20-bookworm-slim\nARG NPM_TOKEN\nARG API_TOKEN=\"df-arg-default-tok-2\"\nENV DB_PASSWORD=df-env-literal-pw-1 \\\n    SMTP_PASS=df-env-continued-4\nENV SESSION_SECRET=$API_TOKEN\nCOPY .env.production ./\n";
    let fs = MemoryFs::new()
        .with("/project/compose.yaml", compose)
        .with("/project/Dockerfile", dockerfile);
    let options = LoadOptions {
        cwd: Path::new("/project").to_path_buf(),
        ..LoadOptions::default()
    };
    let mut sources = Sources::new();
    let project = load(&options, &fs, &MapEnv::new(), &mut sources).unwrap();
    let builds = gather(&project, &fs, &mut sources.map, &mut BuildCache::default());
    let rules: Vec<_> = ["dockerfile-secret-arg-env", "dockerfile-secret-copy"]
        .iter()
        .map(|name| seaworthy_rules::registry::find(name).unwrap())
        .collect();
    let findings = check(&project, &rules, &fs, &builds);
    assert_eq!(findings.len(), 6, "{findings:#?}");
    for finding in &findings {
        let d = &finding.diagnostic;
        let mut printed = vec![d.message.clone(), d.help.clone().unwrap_or_default()];
        printed.extend(d.primary.iter().map(|l| l.message.clone()));
        printed.extend(d.secondary.iter().map(|l| l.message.clone()));
        for secret in DOCKERFILE_PLANTED {
            for text in &printed {
                assert!(!text.contains(secret), "{} prints {secret}: {text}", d.code);
            }
        }
    }
    for secret in DOCKERFILE_PLANTED {
        assert!(
            findings
                .iter()
                .any(|f| f.diagnostic.redactions.iter().any(|r| r == secret)),
            "no finding redacts {secret}"
        );
    }
}
