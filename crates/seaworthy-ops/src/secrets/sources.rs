//! The top-level secrets of a loaded project and where each one's value comes from.

use seaworthy_compose::{Node, Project};
use std::path::PathBuf;

/// Where a secret's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file on the host, already absolute (the loader resolves it).
    File(PathBuf),
    /// A variable of the environment `docker compose` runs in.
    Environment(String),
    /// Created outside compose (`external: true`), under this name.
    External(String),
}

/// A top-level secret of the project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    pub name: String,
    pub source: Source,
    /// The variable, not set, that the `file:` path was made with: the path means nothing
    /// (compose substituted an empty string) and nothing may be created there.
    pub unset_variable: Option<String>,
}

/// Every top-level secret of the project (the loader keeps those an active service or build
/// uses), in the file's order.
pub fn declared(project: &Project) -> Vec<Declared> {
    let Some(secrets) = project.model.get("secrets").and_then(Node::as_map) else {
        return Vec::new();
    };
    secrets
        .iter()
        .filter_map(|(name, secret)| {
            let text = |key: &str| {
                secret
                    .get(key)
                    .and_then(Node::as_str)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
            };
            let external = secret.get("external").is_some_and(|e| {
                e.scalar_text().as_deref() == Some("true") || e.as_map().is_some()
            });
            let mut unset_variable = None;
            let source = if external {
                Source::External(text("name").unwrap_or_else(|| name.clone()))
            } else if let Some(variable) = text("environment") {
                Source::Environment(variable)
            } else {
                let file = secret.get("file")?;
                unset_variable = project
                    .unset_variables
                    .iter()
                    .find(|u| u.span == file.span)
                    .map(|u| u.name.clone());
                Source::File(PathBuf::from(text("file")?))
            };
            Some(Declared {
                name: name.clone(),
                source,
                unset_variable,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use seaworthy_compose::{LoadOptions, Sources, load};
    use seaworthy_source::{MapEnv, MemoryFs};

    #[test]
    fn each_secret_says_where_its_value_comes_from() {
        let compose = "services:\n  app:\n    image: app:1\n    secrets: [db, token, tls, dir, unused_never]\nsecrets:\n  db:\n    file: ./secrets/db.txt\n  token:\n    environment: API_TOKEN\n  tls:\n    external: true\n    name: prod_tls\n  dir:\n    file: ${SECRETS_DIR}/x.txt\n  unused_never:\n    external: true\n  unused:\n    file: ./nothing.txt\n";
        let fs = MemoryFs::new().with("/p/compose.yaml", compose);
        let options = LoadOptions {
            cwd: "/p".into(),
            ..LoadOptions::default()
        };
        let project = load(&options, &fs, &MapEnv::new(), &mut Sources::new()).unwrap();
        let found = declared(&project);
        let summary: Vec<(&str, &Source, Option<&str>)> = found
            .iter()
            .map(|d| (d.name.as_str(), &d.source, d.unset_variable.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                ("db", &Source::File("/p/secrets/db.txt".into()), None),
                ("token", &Source::Environment("API_TOKEN".into()), None),
                ("tls", &Source::External("prod_tls".into()), None),
                // An empty variable makes the path absolute: nothing may be created there.
                ("dir", &Source::File("/x.txt".into()), Some("SECRETS_DIR")),
                (
                    "unused_never",
                    &Source::External("unused_never".into()),
                    None
                ),
            ]
        );
    }
}
