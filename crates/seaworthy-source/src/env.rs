//! Environment variables. Libraries read variables only through [`Env`], so a test can hand the
//! loader exactly the environment a case needs.

use std::collections::BTreeMap;

pub trait Env: Send + Sync {
    fn get(&self, name: &str) -> Option<String>;
    /// Every variable, sorted by name.
    fn vars(&self) -> Vec<(String, String)>;
}

/// The process environment, captured once when created.
#[derive(Clone, Debug)]
pub struct OsEnv(MapEnv);

impl OsEnv {
    #[allow(clippy::disallowed_methods)]
    pub fn capture() -> Self {
        // Variables whose names or values are not Unicode cannot be referenced from a compose
        // file, so they are left out rather than failing the whole run.
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        OsEnv(MapEnv(vars))
    }
}

impl Env for OsEnv {
    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name)
    }
    fn vars(&self) -> Vec<(String, String)> {
        self.0.vars()
    }
}

/// An environment held in a map.
#[derive(Clone, Default, Debug)]
pub struct MapEnv(pub BTreeMap<String, String>);

impl MapEnv {
    pub fn new() -> Self {
        MapEnv::default()
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.0.insert(name.to_owned(), value.to_owned());
        self
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for MapEnv {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        MapEnv(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl Env for MapEnv {
    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
    fn vars(&self) -> Vec<(String, String)> {
        self.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_env_returns_what_it_was_given() {
        let env = MapEnv::new().with("A", "1").with("B", "");
        assert_eq!(env.get("A").as_deref(), Some("1"));
        assert_eq!(env.get("B").as_deref(), Some(""));
        assert_eq!(env.get("C"), None);
        assert_eq!(env.vars().len(), 2);
    }
}
