//! The fix a finding proposes: values to set in the production overlay for one service, each
//! with the reason `harden` writes above it. A patch is safe when it cannot stop a working
//! service (a restart policy, log rotation); unsafe ones (dropping capabilities of an image
//! seaworthy does not know) are written only with `harden --unsafe`.

/// One value to set under a service in the overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patch {
    pub service: String,
    /// Keys under the service, outermost first: `["deploy", "resources", "limits", "memory"]`.
    pub path: Vec<String>,
    pub value: PatchValue,
    /// Why this value: a short comment written above it.
    pub why: String,
    pub safe: bool,
    /// A service that must have a health check (already, or from another fix of the same
    /// overlay) for this value to be right: `depends_on` conditions wait for it.
    pub needs_healthcheck_of: Option<String>,
}

/// A value as the overlay writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatchValue {
    /// Written as a string (quoted when YAML would read it otherwise).
    Str(String),
    Int(i64),
    Bool(bool),
    /// A list of strings, merged by compose with the earlier files' list.
    List(Vec<String>),
    /// A list that replaces the earlier files' list (`!override`).
    Replace(Vec<String>),
}

impl Patch {
    /// A value at a dotted path of keys (`deploy.resources.limits.memory`).
    pub fn new(service: &str, path: &str, value: PatchValue, why: impl Into<String>) -> Patch {
        let keys: Vec<&str> = path.split('.').collect();
        Patch::at(service, &keys, value, why)
    }

    /// A value under these keys, for keys that may hold dots themselves (service names).
    pub fn at(service: &str, keys: &[&str], value: PatchValue, why: impl Into<String>) -> Patch {
        Patch {
            service: service.to_owned(),
            path: keys.iter().map(|k| (*k).to_owned()).collect(),
            value,
            why: why.into(),
            safe: true,
            needs_healthcheck_of: None,
        }
    }

    /// Written only when `service` has a health check, or the overlay gives it one.
    pub fn needs_healthcheck_of(mut self, service: &str) -> Patch {
        self.needs_healthcheck_of = Some(service.to_owned());
        self
    }

    /// Marks the patch as one that may break the service: `harden --unsafe` writes it.
    pub fn risky(mut self) -> Patch {
        self.safe = false;
        self
    }
}
