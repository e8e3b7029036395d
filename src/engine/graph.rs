//! The order resources are made in: each after the resources it refers to, independent ones
//! together. Cycles are rejected when the manifest is validated, so none reach here.

use std::collections::{BTreeMap, BTreeSet};

use crate::manifest::{Manifest, dependencies};

/// Returns the resources in levels: every resource of a level depends only on earlier levels, so a
/// level's resources can be made concurrently.
pub fn dependency_levels(manifest: &Manifest, selected: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut remaining: BTreeMap<&str, BTreeSet<&str>> = manifest
        .resources
        .iter()
        .filter(|(name, _)| selected.contains(*name))
        .map(|(name, resource)| {
            let needs = dependencies(resource)
                .into_iter()
                .filter(|d| selected.contains(*d))
                .collect();
            (name.as_str(), needs)
        })
        .collect();
    let mut levels = Vec::new();
    while !remaining.is_empty() {
        let ready: Vec<&str> = remaining
            .iter()
            .filter(|(_, needs)| needs.is_empty())
            .map(|(name, _)| *name)
            .collect();
        if ready.is_empty() {
            // Unreachable after validation; keep going rather than loop forever.
            levels.push(remaining.keys().map(|n| n.to_string()).collect());
            break;
        }
        for name in &ready {
            remaining.remove(name);
        }
        for needs in remaining.values_mut() {
            needs.retain(|need| !ready.contains(need));
        }
        levels.push(ready.into_iter().map(str::to_string).collect());
    }
    levels
}

/// Returns `names` and everything they depend on, transitively.
pub fn with_dependencies(manifest: &Manifest, names: &[String]) -> BTreeSet<String> {
    let mut selected = BTreeSet::new();
    let mut pending: Vec<String> = names.to_vec();
    while let Some(name) = pending.pop() {
        if !selected.insert(name.clone()) {
            continue;
        }
        if let Some(resource) = manifest.resources.get(&name) {
            pending.extend(dependencies(resource).into_iter().map(str::to_string));
        }
    }
    selected
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        toml_edit::de::from_str(
            r#"
[project]
name = "shop"
team = "t"
owner = "o"
[resources.db]
type = "postgres"
[resources.images]
type = "registry"
[resources.app]
type = "identity"
grants = ["db:connect", "images:pull"]
[resources.db-in]
type = "network"
allow = [{ from = "10.0.0.0/8", to = "db", port = 5432 }]
"#,
        )
        .unwrap()
    }

    #[test]
    fn orders_dependencies_first_and_groups_independent_resources() {
        let manifest = manifest();
        let all = manifest.resources.keys().cloned().collect();
        assert_eq!(
            dependency_levels(&manifest, &all),
            [vec!["db", "images"], vec!["app", "db-in"]]
        );
    }

    #[test]
    fn selecting_a_resource_brings_its_dependencies() {
        let selected = with_dependencies(&manifest(), &["app".to_string()]);
        assert_eq!(
            selected.into_iter().collect::<Vec<_>>(),
            ["app", "db", "images"]
        );
    }
}
