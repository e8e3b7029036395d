//! Every environment variable idp reads, one documented constant each. Nothing else names them.

/// The manifest to use instead of searching for `idp.toml` (as `--manifest`).
pub const IDP_MANIFEST: &str = "IDP_MANIFEST";
/// The environment to act on (as `--env`).
pub const IDP_ENV: &str = "IDP_ENV";
/// The platform policy file (as `--platform`).
pub const IDP_PLATFORM: &str = "IDP_PLATFORM";
/// `text` or `json` (as `--output`).
pub const IDP_OUTPUT: &str = "IDP_OUTPUT";
/// Never prompt (as `--no-input`).
pub const IDP_NO_INPUT: &str = "IDP_NO_INPUT";
/// Turns colour off when set to anything but an empty string (<https://no-color.org>); `--color`
/// wins over it.
pub const NO_COLOR: &str = "NO_COLOR";
/// The base of the per-user configuration directory (XDG); `~/.config` when unset.
pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";
/// The base of the per-user cache directory (XDG); `~/.cache` when unset. Git templates are
/// cloned under `idp/templates` in it.
pub const XDG_CACHE_HOME: &str = "XDG_CACHE_HOME";
/// The user's home directory.
pub const HOME: &str = "HOME";
/// The base of the per-user data directory (XDG); `~/.local/share` when unset.
pub const XDG_DATA_HOME: &str = "XDG_DATA_HOME";
/// The most resources `idp provision` works on at once, a whole number of at least 1; lower it
/// to stay clear of a cloud account's API throttling. Unset: as many as the provider tolerates.
pub const IDP_CONCURRENCY: &str = "IDP_CONCURRENCY";
/// Where idp keeps the local provider's servers (PostgreSQL cluster, registry) and the credential
/// file; `$XDG_DATA_HOME/idp` by default, `/var/lib/idp` when idp runs as root (the servers then run
/// as an unprivileged system user, which cannot reach root's home).
pub const IDP_DATA_DIR: &str = "IDP_DATA_DIR";
/// `file` or `keyring`: forces where credentials are stored, instead of the keyring with a file
/// fallback.
pub const IDP_CREDENTIAL_STORE: &str = "IDP_CREDENTIAL_STORE";
/// An AWS access key ID for the `aws` provider (the first link of the AWS CLI's credential chain);
/// used with `AWS_SECRET_ACCESS_KEY` unless the environment names a `profile`.
pub const AWS_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
/// The secret half of `AWS_ACCESS_KEY_ID`.
pub const AWS_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
/// The session token of temporary AWS credentials given in `AWS_ACCESS_KEY_ID`.
pub const AWS_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
/// The AWS profile to use when the environment names none; `default` when unset.
pub const AWS_PROFILE: &str = "AWS_PROFILE";
/// The AWS shared credentials file; `~/.aws/credentials` when unset.
pub const AWS_SHARED_CREDENTIALS_FILE: &str = "AWS_SHARED_CREDENTIALS_FILE";
/// The AWS config file (`[profile NAME]` sections); `~/.aws/config` when unset.
pub const AWS_CONFIG_FILE: &str = "AWS_CONFIG_FILE";
