//! The `platform.toml` file as Rust types, with the built-in defaults as their `Default`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::manifest::SizeClass;

/// The platform team's policy for every service.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "platform.toml")]
pub struct Platform {
    pub policy: Policy,
    /// What each size class means on each provider.
    pub sizes: Sizes,
    /// Per-rule tuning, keyed by rule ID, e.g. `[rules."db.size"] severity = "warning"`.
    pub rules: BTreeMap<String, RuleSettings>,
    /// The company's templates, by name, offered by `idp init` beside the built-in ones.
    pub catalog: BTreeMap<String, CatalogTemplate>,
    /// Where and how the `aws` provider makes resources.
    pub aws: AwsSettings,
}

/// The `aws` provider's settings: the network it builds in, who assumes the roles it makes, how
/// many images registries keep.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AwsSettings {
    /// The VPC security groups are created in; the account's default VPC when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// The DB subnet group RDS instances are created in; the default VPC's when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_subnet_group: Option<String>,
    /// The service that assumes the IAM roles of `identity` resources (their trust policy).
    pub identity_trust_principal: String,
    /// How many images an ECR repository keeps; older ones expire.
    pub registry_keep_images: u32,
}

impl Default for AwsSettings {
    fn default() -> AwsSettings {
        AwsSettings {
            vpc_id: None,
            db_subnet_group: None,
            identity_trust_principal: "ecs-tasks.amazonaws.com".to_string(),
            registry_keep_images: 30,
        }
    }
}

/// A template in the platform's catalog.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogTemplate {
    /// A local path (relative to the platform file) or a git URL, optionally with `#REF`.
    pub source: String,
    /// One line shown in the picker and `idp templates list`.
    #[serde(default)]
    pub description: String,
}

/// What the guardrails allow and require.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// The fewest days of database backups allowed.
    pub min_backup_retention_days: u32,
    /// Environments that get the stricter rules (deletion protection).
    pub prod_like_environments: Vec<String>,
    /// Tags every project must carry: `team` and `owner` come from `[project]`, others from
    /// `[project.tags]`.
    pub required_tags: Vec<String>,
    /// Providers environments may use.
    pub allowed_providers: Vec<ProviderName>,
    /// Regions environments may use; any region when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_regions: Option<Vec<String>>,
    /// Database engines resources may use.
    pub allowed_engines: Vec<String>,
    /// PostgreSQL major versions resources may ask for.
    pub allowed_postgres_versions: Vec<String>,
    /// Size classes resources may ask for.
    pub allowed_sizes: Vec<SizeClass>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            min_backup_retention_days: 7,
            prod_like_environments: vec!["prod".to_string()],
            required_tags: vec!["team".to_string(), "owner".to_string()],
            allowed_providers: vec![ProviderName::Local, ProviderName::Aws],
            allowed_regions: None,
            allowed_engines: vec!["postgres".to_string()],
            allowed_postgres_versions: ["14", "15", "16", "17"].map(String::from).to_vec(),
            allowed_sizes: SizeClass::ALL.to_vec(),
        }
    }
}

/// A provider name, as the platform file lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProviderName {
    Local,
    Aws,
}

impl ProviderName {
    pub fn name(self) -> &'static str {
        match self {
            ProviderName::Local => "local",
            ProviderName::Aws => "aws",
        }
    }
}

/// What each size class means, per provider.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Sizes {
    pub local: SizeTable<LocalSize>,
    pub aws: SizeTable<AwsSize>,
}

impl Default for Sizes {
    fn default() -> Sizes {
        let local = |connection_limit| LocalSize { connection_limit };
        let aws = |class: &str| AwsSize {
            instance_class: class.to_string(),
        };
        Sizes {
            local: SizeTable {
                small: local(20),
                medium: local(50),
                large: local(100),
            },
            aws: SizeTable {
                small: aws("db.t4g.micro"),
                medium: aws("db.t4g.medium"),
                large: aws("db.m6g.large"),
            },
        }
    }
}

/// One value per size class.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SizeTable<T> {
    pub small: T,
    pub medium: T,
    pub large: T,
}

impl<T> SizeTable<T> {
    pub fn get(&self, size: SizeClass) -> &T {
        match size {
            SizeClass::Small => &self.small,
            SizeClass::Medium => &self.medium,
            SizeClass::Large => &self.large,
        }
    }
}

/// A size class on the `local` provider: how many connections the database accepts.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalSize {
    pub connection_limit: u32,
}

/// A size class on AWS: the RDS instance class.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwsSize {
    pub instance_class: String,
}

/// How the platform tunes one rule.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    /// `error` refuses the plan (the default); `warning` reports and lets it through.
    pub severity: RuleSeverity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    Error,
    Warning,
}
