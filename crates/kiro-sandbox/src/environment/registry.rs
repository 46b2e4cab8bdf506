//! The environments a sandbox offers, by name: the built-ins found at start and custom ones
//! added (validated) later. Lookups of unknown names fail with the list of known ones.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use super::{Environment, validate};
use crate::error::{Problem, SandboxError};

/// Environments by name; cheap to share between threads.
#[derive(Debug, Default)]
pub struct Registry {
    environments: RwLock<BTreeMap<String, Arc<Environment>>>,
    /// Host paths no environment may bind (the server's data directory, the state directory).
    forbidden: Vec<PathBuf>,
}

impl Registry {
    /// An empty registry refusing runtime paths that overlap `forbidden`.
    pub fn new(forbidden: Vec<PathBuf>) -> Registry {
        Registry {
            environments: RwLock::default(),
            forbidden,
        }
    }

    /// Validates `env` and adds it, replacing an environment of the same name.
    pub fn insert(&self, env: Environment) -> Result<Arc<Environment>, SandboxError> {
        validate(&env, &self.forbidden).map_err(SandboxError::Invalid)?;
        let env = Arc::new(env);
        self.write().insert(env.name.clone(), Arc::clone(&env));
        Ok(env)
    }

    /// Checks `env` as [`Registry::insert`] would (this registry's forbidden paths
    /// included) without adding it: for environments kept elsewhere, e.g. in a database.
    pub fn check(&self, env: &Environment) -> Result<(), Vec<Problem>> {
        validate(env, &self.forbidden)
    }

    /// Removes an environment; `false` when there was none of that name.
    pub fn remove(&self, name: &str) -> bool {
        self.write().remove(name).is_some()
    }

    /// The environment called `name`.
    pub fn get(&self, name: &str) -> Result<Arc<Environment>, SandboxError> {
        let map = self.read();
        map.get(name)
            .cloned()
            .ok_or_else(|| SandboxError::UnknownEnvironment {
                name: name.to_owned(),
                known: map.keys().cloned().collect(),
            })
    }

    /// Every environment, in name order.
    pub fn list(&self) -> Vec<Arc<Environment>> {
        self.read().values().cloned().collect()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Arc<Environment>>> {
        self.environments
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Arc<Environment>>> {
        self.environments
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::environment::builtin;

    #[test]
    fn unknown_names_list_the_known_ones_and_invalid_ones_are_refused() {
        let registry = Registry::new(vec![]);
        let mut bash = builtin::discover()
            .into_iter()
            .find(|e| e.name == "bash")
            .unwrap();
        registry.insert(bash.clone()).unwrap();
        match registry.get("cobol") {
            Err(SandboxError::UnknownEnvironment { known, .. }) => assert_eq!(known, ["bash"]),
            other => unreachable!("{other:?}"),
        }
        bash.name = "Nope!".into();
        assert_eq!(registry.check(&bash).unwrap_err()[0].field, "name");
        assert!(matches!(
            registry.insert(bash),
            Err(SandboxError::Invalid(_))
        ));
        assert!(registry.remove("bash"));
        assert!(registry.list().is_empty());
    }
}
