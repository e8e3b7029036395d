//! Backup guardrails: every database keeps backups, for at least the platform's minimum.

use crate::manifest::Resource;
use crate::policy::{Context, Rule, Violation};

use super::resources_of;

pub static DISABLED: Rule = Rule {
    id: "backup.disabled",
    summary: "databases with backups turned off (`backup_retention_days = 0`) are refused",
    why: "without backups, one bad migration or deleted row is permanent",
    fix: "set `backup_retention_days` to at least the platform's minimum",
    check: disabled,
};

pub static RETENTION: Rule = Rule {
    id: "backup.retention",
    summary: "backup retention below the platform's minimum (7 days unless the platform says otherwise) is refused",
    why: "a short retention loses the backup you need before anyone notices the damage",
    fix: "raise `backup_retention_days` to the platform's minimum",
    check: retention,
};

fn disabled(context: &Context<'_>) -> Vec<Violation> {
    resources_of!(context, Resource::Postgres)
        .filter(|(_, _, postgres)| postgres.backup_retention_days == 0)
        .map(|(name, path, _)| {
            let minimum = context.platform.policy.min_backup_retention_days;
            Violation::new(
                Some(name),
                format!("{path}.backup_retention_days"),
                format!("database `{name}` has backups turned off"),
            )
            .label("backups off")
            .fix(format!("set `backup_retention_days = {minimum}` or more"))
        })
        .collect()
}

fn retention(context: &Context<'_>) -> Vec<Violation> {
    let minimum = context.platform.policy.min_backup_retention_days;
    resources_of!(context, Resource::Postgres)
        .filter(|(_, _, postgres)| postgres.backup_retention_days > 0 && postgres.backup_retention_days < minimum)
        .map(|(name, path, postgres)| {
            let days = postgres.backup_retention_days;
            Violation::new(
                Some(name),
                format!("{path}.backup_retention_days"),
                format!("database `{name}` keeps backups for {days} days, and the platform requires at least {minimum}"),
            )
            .label(format!("below {minimum}"))
            .fix(format!("set `backup_retention_days = {minimum}` or more"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Platform;
    use crate::policy::rules::test_support::{PROJECT, violations};

    fn manifest(days: u32) -> String {
        format!("{PROJECT}[resources.db]\ntype = \"postgres\"\nbackup_retention_days = {days}\n")
    }

    #[test]
    fn refuses_no_backups_and_short_retention() {
        let platform = Platform::default();
        assert_eq!(
            violations(&DISABLED, &manifest(0), &platform, "dev").len(),
            1
        );
        assert!(violations(&RETENTION, &manifest(0), &platform, "dev").is_empty());
        assert_eq!(
            violations(&RETENTION, &manifest(3), &platform, "dev").len(),
            1
        );
        assert!(violations(&RETENTION, &manifest(7), &platform, "dev").is_empty());
    }

    #[test]
    fn follows_the_platform_minimum() {
        let mut platform = Platform::default();
        platform.policy.min_backup_retention_days = 14;
        let found = violations(&RETENTION, &manifest(7), &platform, "dev");
        assert!(found[0].message.ends_with("at least 14"));
    }
}
