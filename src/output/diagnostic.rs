//! Renders a finding the way rustc and cargo render diagnostics: where, what, the source line with
//! the offending part underlined, then why and how to fix it.

use std::path::Path;

use super::style::Style;
use crate::finding::{Finding, Severity};

/// A file's text, so findings in it can quote their line.
pub struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

/// Returns the finding as text, ending with a blank line.
pub fn render(finding: &Finding, sources: &[Source<'_>], style: &Style) -> String {
    let severity = match finding.severity {
        Severity::Error => style.error(&format!("error[{}]", finding.rule)),
        Severity::Warning => style.warning(&format!("warning[{}]", finding.rule)),
    };
    let mut out = format!("{severity}: {}\n", style.bold(&finding.message));
    let mut gutter_width = 1;
    if let Some(location) = &finding.location {
        let text = sources
            .iter()
            .find(|s| s.path == location.file)
            .map(|s| s.text);
        let line_text = text.and_then(|t| t.lines().nth(location.line - 1));
        gutter_width = location.line.to_string().len();
        let pad = " ".repeat(gutter_width);
        let at = finding
            .path
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| format!(" at `{p}`"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{pad}{} {}:{}:{}{at}\n",
            style.gutter("-->"),
            location.file.display(),
            location.line,
            location.column
        ));
        if let Some(line_text) = line_text {
            let bar = style.gutter("|");
            let start = location.column - 1;
            let line_len = line_text.chars().count();
            let span_len = text.map_or(1, |t| {
                t.get(location.span.clone())
                    .map_or(1, |s| s.chars().take_while(|c| *c != '\n').count())
            });
            let width = span_len.clamp(1, line_len.saturating_sub(start).max(1));
            let marker = style.error(&"^".repeat(width));
            let label = finding
                .label
                .as_deref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default();
            out.push_str(&format!("{pad} {bar}\n"));
            out.push_str(&format!(
                "{} {bar} {}\n",
                style.gutter(&location.line.to_string()),
                line_text.trim_end()
            ));
            out.push_str(&format!(
                "{pad} {bar} {}{marker}{}\n",
                " ".repeat(start),
                style.error(&label)
            ));
        }
    }
    let pad = " ".repeat(gutter_width);
    let equals = style.gutter("=");
    if let Some(path) = finding.path.as_deref().filter(|p| !p.is_empty())
        && finding.location.is_none()
    {
        out.push_str(&format!("{pad} {equals} at: `{path}`\n"));
    }
    if !finding.environments.is_empty() {
        let names: Vec<String> = finding
            .environments
            .iter()
            .map(|e| format!("`{e}`"))
            .collect();
        out.push_str(&format!("{pad} {equals} in: {}\n", names.join(", ")));
    }
    if let Some(why) = &finding.why {
        out.push_str(&format!("{pad} {equals} why: {why}\n"));
    }
    if let Some(fix) = &finding.fix {
        out.push_str(&format!("{pad} {equals} {}: {fix}\n", style.hint("fix")));
    }
    out.push('\n');
    out
}
