//! Tagging guardrails: everything idp creates can be traced to a team and an owner.

use crate::policy::{Context, Rule, Violation};

pub static REQUIRED: Rule = Rule {
    id: "tags.required",
    summary: "projects missing a tag the platform requires (`team` and `owner` by default) are refused",
    why: "untagged resources have no owner to call when they break, leak or cost too much",
    fix: "add the tag under `[project.tags]`, or fill in `team` / `owner` in `[project]`",
    check: required,
};

fn required(context: &Context<'_>) -> Vec<Violation> {
    let project = &context.manifest.project;
    context
        .platform
        .policy
        .required_tags
        .iter()
        .filter_map(|tag| {
            let (value, path) = match tag.as_str() {
                "team" => (Some(&project.team), "project.team".to_string()),
                "owner" => (Some(&project.owner), "project.owner".to_string()),
                _ => (
                    project.tags.get(tag),
                    crate::document::key_path_join("project.tags", tag),
                ),
            };
            match value {
                Some(value) if !value.trim().is_empty() => None,
                Some(_) => {
                    let table = if matches!(tag.as_str(), "team" | "owner") {
                        "[project]"
                    } else {
                        "[project.tags]"
                    };
                    Some(
                        Violation::new(None, path, format!("the required tag `{tag}` is empty"))
                            .label("empty")
                            .fix(format!("fill in `{tag}` in `{table}`")),
                    )
                }
                None => Some(
                    Violation::new(
                        None,
                        path,
                        format!("the project lacks the tag `{tag}`, which the platform requires"),
                    )
                    .fix(format!("add `{tag} = \"…\"` under `[project.tags]`")),
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Platform;
    use crate::policy::rules::test_support::{PROJECT, violations};

    #[test]
    fn requires_the_platform_tags() {
        let mut platform = Platform::default();
        assert!(violations(&REQUIRED, PROJECT, &platform, "dev").is_empty());
        let empty_team = PROJECT.replace("team = \"t\"", "team = \" \"");
        assert_eq!(
            violations(&REQUIRED, &empty_team, &platform, "dev")[0].path,
            "project.team"
        );
        platform.policy.required_tags.push("cost-center".into());
        assert_eq!(
            violations(&REQUIRED, PROJECT, &platform, "dev")[0].path,
            "project.tags.cost-center"
        );
    }
}
