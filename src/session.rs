//! A provisioning session: one environment of a checked workspace, with its provider, its state
//! store and the credential store; what `plan`, `provision`, `status`, `env`, `run`, `destroy`,
//! `backup` and `restore` share.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::aws::client::{Client, ClientConfig};
use crate::aws::credentials;
use crate::credentials::{Store, StoreKind, StoreSettings};
use crate::engine::Plan;
use crate::error::Error;
use crate::manifest::{Environment, Manifest};
use crate::platform::Platform;
use crate::providers::aws::provider::AwsProvider;
use crate::providers::local::LocalProvider;
use crate::providers::{Provider, Scope};
use crate::settings::Settings;
use crate::state::{LockSite, State, StateBackend, StateStore, StateUrl};
use crate::workspace::Workspace;

/// One environment, ready to act on.
pub struct Session {
    pub manifest: Manifest,
    pub platform: Platform,
    pub environment_name: String,
    pub environment: Environment,
    pub provider: Box<dyn Provider>,
    /// Where the environment's state is: the project's `.idp/state`, or S3.
    pub store: StateBackend,
    pub credentials_warning: Option<String>,
    /// The project directory: where the manifest is.
    pub project_dir: PathBuf,
}

impl Session {
    /// Opens the environment a command acts on: `--env`, else the only environment, else `dev`.
    pub fn open(
        settings: &Settings,
        workspace: &Workspace,
        manifest: &Manifest,
        platform: &Platform,
    ) -> Result<Session, Error> {
        let environment_name = choose_environment(settings, workspace, manifest)?;
        let environment = manifest
            .effective_environments()
            .remove(&environment_name)
            .expect("chosen from the manifest");
        let project_dir = workspace
            .manifest_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let (credentials, credentials_warning) = open_credentials(settings)?;
        let mut store = StateBackend::File(StateStore::new(&project_dir));
        let provider: Box<dyn Provider> = match &environment {
            Environment::Local(_) => {
                let data_dir = settings.data_dir.clone().ok_or(Error::NoDataDir)?;
                Box::new(LocalProvider::new(data_dir, credentials))
            }
            Environment::Aws(aws) => {
                let setup = |message: String| Error::AwsSetup {
                    environment: environment_name.clone(),
                    message,
                };
                let source =
                    credentials::resolve(&settings.aws_credentials, aws.profile.as_deref())
                        .map_err(|e| setup(e.to_string()))?;
                let config = ClientConfig::new(aws.region.clone(), aws.endpoint_url.clone());
                if let Some(url) = &aws.state {
                    let url = StateUrl::parse(url).map_err(|why| {
                        setup(format!(
                            "`state = \"{url}\"` is not a state location: {why}"
                        ))
                    })?;
                    let client = Arc::new(
                        Client::new(&config, source.clone()).map_err(|e| setup(e.to_string()))?,
                    );
                    let lock = LockSite::new(
                        client.clone(),
                        url.lock_table.clone(),
                        url.lock_key(&environment_name),
                        crate::state::LEASE,
                    );
                    store = StateBackend::S3 {
                        client,
                        lock,
                        key: url.object_key(&environment_name),
                        url,
                    };
                }
                let client = Client::new(&config, source).map_err(|e| setup(e.to_string()))?;
                Box::new(AwsProvider::new(client))
            }
        };
        Ok(Session {
            manifest: manifest.clone(),
            platform: platform.clone(),
            environment_name,
            environment,
            provider,
            store,
            credentials_warning,
            project_dir,
        })
    }

    pub fn scope(&self) -> Scope<'_> {
        Scope {
            manifest: &self.manifest,
            platform: &self.platform,
            environment_name: &self.environment_name,
            environment: &self.environment,
        }
    }

    pub fn load_state(&self) -> Result<State, Error> {
        Ok(self
            .store
            .load(&self.manifest.project.name, &self.environment_name)?)
    }

    /// Plans every declared resource against the state and what the provider sees; changes nothing.
    pub fn plan_all(&self, state: &State) -> Result<Plan, Error> {
        let selected: BTreeSet<String> = self.manifest.resources.keys().cloned().collect();
        Ok(crate::engine::plan(
            &self.scope(),
            self.provider.as_ref(),
            state,
            &selected,
            true,
        )?)
    }

    /// Where final backups and `idp backup` files go: `.idp/backups/<environment>` in the project.
    pub fn backup_dir(&self) -> PathBuf {
        self.project_dir
            .join(".idp")
            .join("backups")
            .join(&self.environment_name)
    }
}

/// Returns `--env`, the only environment, or `dev`.
fn choose_environment(
    settings: &Settings,
    workspace: &Workspace,
    manifest: &Manifest,
) -> Result<String, Error> {
    let known: Vec<String> = manifest.effective_environments().into_keys().collect();
    if let Some(name) = &settings.environment {
        return workspace
            .environments(Some(name))
            .map(|mut names| names.remove(0));
    }
    match known.as_slice() {
        [only] => Ok(only.clone()),
        _ if known.iter().any(|k| k == "dev") => Ok("dev".to_string()),
        _ => Err(Error::ChooseEnvironment { known }),
    }
}

/// Opens the credential store: the keyring when it works, else the 0600 file.
pub fn open_credentials(settings: &Settings) -> Result<(Store, Option<String>), Error> {
    let forced = match settings.credential_store.as_deref() {
        None => None,
        Some("file") => Some(StoreKind::File),
        Some("keyring") => Some(StoreKind::Keyring),
        Some(other) => {
            return Err(Error::BadCredentialStore {
                value: other.to_string(),
            });
        }
    };
    let data_dir = settings.data_dir.clone().ok_or(Error::NoDataDir)?;
    Ok(Store::open(&StoreSettings { forced, data_dir })?)
}
