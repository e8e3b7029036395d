//! The `local` provider: resources on this machine, for development. One PostgreSQL cluster and one
//! OCI registry per user, managed by idp and reachable only on loopback; databases, roles and
//! registry users per project and environment, each carrying idp's ownership marker.

pub mod cluster;
mod identity;
mod names;
mod network;
mod postgres;
mod registry;
pub mod registry_server;
mod roles;
mod server;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::credentials::{CredentialKey, Secret, Store, generate_password};
use crate::manifest::Resource;
use crate::state::RecordedResource;

use super::{DeleteOptions, Deleted, Observed, Outputs, Provider, ProviderError, Scope, Target};
use cluster::{Cluster, ClusterOptions};
use registry_server::{RegistryOptions, RegistryServer};

/// The local provider, with where its servers live and where credentials go.
pub struct LocalProvider {
    /// `$IDP_DATA_DIR` (or its default): `postgres/` and `registry/` live below it.
    pub data_dir: PathBuf,
    pub credentials: Store,
    /// The servers once started, so one run checks and starts each only once.
    cluster: Mutex<Option<Arc<Cluster>>>,
    registry: Mutex<Option<Arc<RegistryServer>>>,
}

/// The length of generated passwords.
const PASSWORD_LENGTH: usize = 40;

impl LocalProvider {
    pub fn new(data_dir: PathBuf, credentials: Store) -> LocalProvider {
        LocalProvider {
            data_dir,
            credentials,
            cluster: Mutex::new(None),
            registry: Mutex::new(None),
        }
    }

    fn cluster_options(&self) -> ClusterOptions {
        ClusterOptions {
            root: self.data_dir.join("postgres"),
            bin_dir: None,
        }
    }

    fn registry_options(&self) -> RegistryOptions {
        RegistryOptions {
            root: self.data_dir.join("registry"),
            binary: None,
        }
    }

    /// Starts the cluster if needed, reporting what is being waited for.
    fn cluster(&self, progress: &dyn Fn(&str)) -> Result<Arc<Cluster>, ProviderError> {
        // Held while starting, so concurrent resources wait for one start instead of racing.
        let mut cached = self.cluster.lock().unwrap();
        if let Some(cluster) = cached.as_ref() {
            return Ok(Arc::clone(cluster));
        }
        let cluster =
            Cluster::ensure_running(&self.cluster_options(), &mut |message| progress(message))
                .map_err(|e| {
                    with_hint(
                        ProviderError::new("starting the local PostgreSQL server", e.to_string()),
                        e.hint(),
                    )
                })?;
        Ok(Arc::clone(cached.insert(Arc::new(cluster))))
    }

    /// Returns the running cluster without starting it, or why it cannot be looked at.
    fn running_cluster(&self) -> Result<Result<Cluster, String>, ProviderError> {
        match Cluster::open(&self.cluster_options()) {
            Ok(Some(cluster)) if cluster.is_running() => Ok(Ok(cluster)),
            Ok(Some(_)) => Ok(Err("the local PostgreSQL server is stopped".to_string())),
            Ok(None) => Ok(Err(
                "the local PostgreSQL server has not been created yet".to_string()
            )),
            Err(e) => Err(ProviderError::new(
                "reading the local PostgreSQL server",
                e.to_string(),
            )),
        }
    }

    fn registry(&self, progress: &dyn Fn(&str)) -> Result<Arc<RegistryServer>, ProviderError> {
        let mut cached = self.registry.lock().unwrap();
        if let Some(server) = cached.as_ref() {
            return Ok(Arc::clone(server));
        }
        let server = RegistryServer::ensure_running(&self.registry_options(), &mut |message| {
            progress(message)
        })
        .map_err(|e| {
            with_hint(
                ProviderError::new("starting the local registry", e.to_string()),
                e.hint(),
            )
        })?;
        Ok(Arc::clone(cached.insert(Arc::new(server))))
    }

    fn running_registry(&self) -> Result<Result<RegistryServer, String>, ProviderError> {
        match RegistryServer::open(&self.registry_options()) {
            Ok(Some(server)) if server.is_running() => Ok(Ok(server)),
            Ok(Some(_)) => Ok(Err("the local registry is stopped".to_string())),
            Ok(None) => Ok(Err(
                "the local registry has not been created yet".to_string()
            )),
            Err(e) => Err(ProviderError::new(
                "reading the local registry",
                e.to_string(),
            )),
        }
    }

    /// Returns the stored password of an account, creating and storing one first if there is none:
    /// stored before it is used, so a crash never leaves an account whose password nobody has.
    fn password(
        &self,
        scope: &Scope<'_>,
        resource: &str,
        account: &str,
    ) -> Result<Secret, ProviderError> {
        let key = credential_key(scope, resource, account);
        let failed = |e: crate::credentials::CredentialError| {
            ProviderError::new(
                format!("storing the credential of `{resource}`"),
                e.to_string(),
            )
        };
        if let Some(secret) = self.credentials.get(&key).map_err(failed)? {
            return Ok(secret);
        }
        let secret = generate_password(PASSWORD_LENGTH);
        self.credentials.set(&key, &secret).map_err(failed)?;
        Ok(secret)
    }

    fn forget_password(
        &self,
        scope: &Scope<'_>,
        resource: &str,
        account: &str,
    ) -> Result<(), ProviderError> {
        self.credentials
            .delete(&credential_key(scope, resource, account))
            .map_err(|e| {
                ProviderError::new(
                    format!("removing the credential of `{resource}`"),
                    e.to_string(),
                )
            })
    }
}

/// Keeps the hint of a server error (how to install a missing program) on the provider error.
fn with_hint(error: ProviderError, hint: Option<String>) -> ProviderError {
    match hint {
        Some(hint) => error.with_hint(hint),
        None => error,
    }
}

/// The key of a credential: service `idp/<project>/<environment>/<resource>`, and the account.
pub fn credential_key(scope: &Scope<'_>, resource: &str, account: &str) -> CredentialKey {
    CredentialKey {
        project: scope.project().to_string(),
        environment: scope.environment_name.to_string(),
        resource: resource.to_string(),
        account: account.to_string(),
    }
}

impl Provider for LocalProvider {
    fn name(&self) -> &'static str {
        "local"
    }

    fn concurrency(&self) -> usize {
        // One server each, on a machine with few cores: a handful at once is plenty.
        4
    }

    fn desired(&self, scope: &Scope<'_>, _name: &str, resource: &Resource) -> serde_json::Value {
        let mut config = serde_json::to_value(resource).expect("resources serialize");
        if let Resource::Postgres(postgres) = resource {
            let limit = scope
                .platform
                .sizes
                .local
                .get(postgres.size)
                .connection_limit;
            config["connection_limit"] = limit.into();
        }
        config
    }

    fn observe(
        &self,
        scope: &Scope<'_>,
        name: &str,
        resource: &Resource,
        recorded: Option<&RecordedResource>,
    ) -> Result<Observed, ProviderError> {
        match resource {
            Resource::Postgres(_) => match self.running_cluster()? {
                Ok(cluster) => postgres::observe(&cluster, scope, name, recorded),
                Err(reason) => Ok(Observed::Unknown { reason }),
            },
            Resource::Identity(_) => match self.running_cluster()? {
                Ok(cluster) => identity::observe(&cluster, scope, name),
                Err(reason) => Ok(Observed::Unknown { reason }),
            },
            Resource::Network(_) => match self.running_cluster()? {
                Ok(cluster) => network::observe(&cluster, scope, name),
                Err(reason) => Ok(Observed::Unknown { reason }),
            },
            Resource::Registry(_) => match self.running_registry()? {
                Ok(server) => registry::observe(&server, scope, name),
                Err(reason) => Ok(Observed::Unknown { reason }),
            },
        }
    }

    fn apply(
        &self,
        scope: &Scope<'_>,
        target: &Target<'_>,
        progress: &dyn Fn(&str),
    ) -> Result<Outputs, ProviderError> {
        match target.resource {
            Resource::Postgres(_) => {
                let cluster = self.cluster(progress)?;
                let password =
                    self.password(scope, target.name, &names::role(scope, target.name))?;
                postgres::apply(&cluster, scope, target, &password, progress)
            }
            Resource::Identity(identity) => {
                let cluster = self.cluster(progress)?;
                let password =
                    self.password(scope, target.name, &names::role(scope, target.name))?;
                let mut outputs =
                    identity::apply(&cluster, scope, target.name, identity, &password, progress)?;
                let registries = identity::registry_grants(scope, identity);
                if !registries.is_empty() {
                    let server = self.registry(progress)?;
                    let user = names::registry_user(scope, target.name);
                    let password = self.password(scope, target.name, &user)?;
                    registry::set_user(&server, &user, &password)?;
                    outputs.insert("registry_user".into(), user);
                }
                Ok(outputs)
            }
            Resource::Network(_) => {
                let cluster = self.cluster(progress)?;
                network::apply(&cluster, scope, target.name)
            }
            Resource::Registry(_) => {
                let server = self.registry(progress)?;
                let user = names::registry_user(scope, target.name);
                let password = self.password(scope, target.name, &user)?;
                registry::apply(&server, scope, target.name, &user, &password)
            }
        }
    }

    fn delete(
        &self,
        scope: &Scope<'_>,
        name: &str,
        recorded: &RecordedResource,
        options: &DeleteOptions,
        progress: &dyn Fn(&str),
    ) -> Result<Deleted, ProviderError> {
        let deleted = match recorded.kind.as_str() {
            "postgres" => {
                let cluster = self.cluster(progress)?;
                postgres::delete(&cluster, scope, name, options, progress)?
            }
            "identity" => {
                let cluster = self.cluster(progress)?;
                identity::delete(&cluster, scope, name)?;
                if let Ok(Ok(server)) = self.running_registry() {
                    registry::remove_user(&server, &names::registry_user(scope, name))?;
                }
                self.forget_password(scope, name, &names::registry_user(scope, name))?;
                Deleted::default()
            }
            "network" => {
                let cluster = self.cluster(progress)?;
                network::delete(&cluster, scope, name)?;
                Deleted::default()
            }
            "registry" => {
                let server = self.registry(progress)?;
                registry::remove_user(&server, &names::registry_user(scope, name))?;
                self.forget_password(scope, name, &names::registry_user(scope, name))?;
                Deleted::default()
            }
            other => {
                return Err(ProviderError::new(
                    format!("deleting `{name}`"),
                    format!("unknown resource type `{other}` in the state"),
                ));
            }
        };
        self.forget_password(scope, name, &names::role(scope, name))?;
        Ok(deleted)
    }

    fn backup(
        &self,
        scope: &Scope<'_>,
        name: &str,
        recorded: &RecordedResource,
        dir: &Path,
        progress: &dyn Fn(&str),
    ) -> Result<PathBuf, ProviderError> {
        super::only_databases(name, recorded, "backing up")?;
        let cluster = self.cluster(progress)?;
        postgres::backup(&cluster, scope, name, dir)
    }

    fn restore(
        &self,
        scope: &Scope<'_>,
        name: &str,
        recorded: &RecordedResource,
        backup: &Path,
        progress: &dyn Fn(&str),
    ) -> Result<(), ProviderError> {
        super::only_databases(name, recorded, "restoring")?;
        if !backup.is_file() {
            return Err(ProviderError::new(
                format!("restoring `{name}`"),
                format!("the backup `{}` does not exist", backup.display()),
            )
            .with_hint("`idp backup NAME` prints the path of each backup it makes"));
        }
        let cluster = self.cluster(progress)?;
        postgres::restore(&cluster, scope, name, backup)
    }
}
