//! The `idp.toml` manifest as Rust types: what a service declares it needs.
//!
//! These types are the single source of truth for the file's shape: serde reads them, `schemars`
//! turns them into the JSON Schema that `idp schema` prints and the shape check enforces. Doc
//! comments become the schema's descriptions, which editors show on hover.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The manifest of one service: `idp.toml` at the root of its repository.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "idp.toml")]
pub struct Manifest {
    /// Path of the platform policy file, relative to this manifest. `--platform` and `IDP_PLATFORM`
    /// take precedence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    pub project: Project,
    /// Where the service runs. When none is declared, `dev` on the `local` provider is assumed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environments: BTreeMap<String, Environment>,
    /// What the service needs, by name. Names are DNS labels and are how resources refer to each other.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resources: BTreeMap<String, Resource>,
    /// Explicit, dated exceptions to one guardrail for one resource.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
}

/// Who owns the service; `team` and `owner` become tags on everything idp creates.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// The service's name: a DNS label (lowercase letters, digits and `-`, at most 63 characters).
    pub name: String,
    /// The team that owns the service.
    pub team: String,
    /// The person or mailbox to contact about the service.
    pub owner: String,
    /// More tags for everything idp creates; the platform may require some.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Which template the project was made from, as `idp init` recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateProvenance>,
}

/// The template a project was generated from, so a later update can re-apply a newer version.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateProvenance {
    /// A built-in template name, a local path or a git URL.
    pub source: String,
    /// The template's version when it was rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The git commit the template was rendered from, for git sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The answers given to the template's questions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, serde_json::Value>,
}

/// One place the service runs, and the provider that makes its resources there.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "provider", rename_all = "lowercase", deny_unknown_fields)]
pub enum Environment {
    /// Resources on this machine: a PostgreSQL server and a registry managed by idp, loopback only.
    Local(LocalEnvironment),
    /// Resources in an AWS account.
    Aws(AwsEnvironment),
}

/// The `local` provider needs no settings.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalEnvironment {}

/// Where in AWS an environment lives.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwsEnvironment {
    /// The AWS region, e.g. `eu-west-1`.
    pub region: String,
    /// The account alias, checked against the credentials in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// A named profile from `~/.aws/config`; `AWS_PROFILE` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// An AWS-compatible endpoint to use instead of AWS's own, e.g. for tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// Where the team keeps this environment's state: `s3://bucket/prefix` (a versioned,
    /// encrypted bucket; the lock is in the DynamoDB table `idp-locks`, or the one named by
    /// `?lock_table=NAME`). Without it, state is the local file `.idp/state/<env>.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// The provider kinds an environment can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Local,
    Aws,
}

impl ProviderKind {
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::Local => "local",
            ProviderKind::Aws => "aws",
        }
    }
}

impl Environment {
    pub fn provider(&self) -> ProviderKind {
        match self {
            Environment::Local(_) => ProviderKind::Local,
            Environment::Aws(_) => ProviderKind::Aws,
        }
    }

    /// Returns the region, for providers that have one.
    pub fn region(&self) -> Option<&str> {
        match self {
            Environment::Local(_) => None,
            Environment::Aws(aws) => Some(&aws.region),
        }
    }
}

/// One thing the service needs.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Resource {
    /// A PostgreSQL database with its own owner role.
    Postgres(Postgres),
    /// A container image repository.
    Registry(Registry),
    /// A service identity with least-privilege grants on other resources.
    Identity(Identity),
    /// Ingress rules that let a network range reach a resource.
    Network(Network),
}

/// The resource types, as `type = "…"` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    Postgres,
    Registry,
    Identity,
    Network,
}

impl ResourceKind {
    pub fn name(self) -> &'static str {
        match self {
            ResourceKind::Postgres => "postgres",
            ResourceKind::Registry => "registry",
            ResourceKind::Identity => "identity",
            ResourceKind::Network => "network",
        }
    }
}

impl Resource {
    pub fn kind(&self) -> ResourceKind {
        match self {
            Resource::Postgres(_) => ResourceKind::Postgres,
            Resource::Registry(_) => ResourceKind::Registry,
            Resource::Identity(_) => ResourceKind::Identity,
            Resource::Network(_) => ResourceKind::Network,
        }
    }
}

/// A PostgreSQL database.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Postgres {
    /// The PostgreSQL major version, as a string (`"16"`).
    #[serde(default = "default_postgres_version")]
    pub version: String,
    /// The size class; the platform maps it to an instance type or connection limit per provider.
    #[serde(default)]
    pub size: SizeClass,
    /// Allocated storage in GiB.
    #[serde(default = "default_storage_gb")]
    #[schemars(range(min = 1, max = 65536))]
    pub storage_gb: u32,
    /// How many days of backups to keep; 0 turns backups off, which the guardrails refuse.
    #[serde(default = "default_backup_retention_days")]
    pub backup_retention_days: u32,
    /// Refuse to delete the database until this is turned off. Required in prod-like environments.
    #[serde(default)]
    pub deletion_protection: bool,
    /// Encryption at rest. Always on: the guardrails refuse `false`.
    #[serde(default = "default_true")]
    pub encrypted: bool,
}

/// A database size class.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum SizeClass {
    #[default]
    Small,
    Medium,
    Large,
}

impl SizeClass {
    pub const ALL: [SizeClass; 3] = [SizeClass::Small, SizeClass::Medium, SizeClass::Large];

    pub fn name(self) -> &'static str {
        match self {
            SizeClass::Small => "small",
            SizeClass::Medium => "medium",
            SizeClass::Large => "large",
        }
    }
}

/// A container image repository.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// Refuse to overwrite an existing tag.
    #[serde(default = "default_true")]
    pub immutable_tags: bool,
    /// Scan every pushed image for known vulnerabilities.
    #[serde(default = "default_true")]
    pub scan_on_push: bool,
}

/// A service identity: a role the service runs as.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// What the identity may do, as `RESOURCE:ACTION` on resources of this manifest, e.g.
    /// `db:connect`, `images:pull`. Wildcards and admin grants are refused.
    #[serde(default)]
    pub grants: Vec<String>,
}

/// Ingress rules to a resource of this manifest.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// The ranges allowed in; everything else stays out.
    #[serde(default)]
    pub allow: Vec<IngressRule>,
}

/// One ingress rule: traffic from a CIDR range to a resource's port.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IngressRule {
    /// A CIDR range, e.g. `10.0.0.0/16`. Only private ranges pass the guardrails.
    pub from: String,
    /// The name of the resource reached.
    pub to: String,
    /// The TCP port reached.
    #[schemars(range(min = 1))]
    pub port: u16,
}

/// An exception to one guardrail for one resource, with a reason and an end date.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The rule ID to lift, e.g. `backup.retention`.
    pub rule: String,
    /// The resource it is lifted for.
    pub resource: String,
    /// Why the exception is acceptable, for whoever reviews it.
    pub reason: String,
    /// The last day the waiver holds, as a TOML date (`2026-12-31`, no quotes).
    #[schemars(with = "String", extend("format" = "date"))]
    pub expires: toml_datetime::Datetime,
}

fn default_postgres_version() -> String {
    "16".to_string()
}

fn default_storage_gb() -> u32 {
    20
}

fn default_backup_retention_days() -> u32 {
    7
}

fn default_true() -> bool {
    true
}
