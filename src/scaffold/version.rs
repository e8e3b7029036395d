//! Template versions as git tags name them: `v1.2.0` < `v1.10.0`, a leading `v` optional, and a
//! pre-release (`1.0.0-rc.1`) before its release, as semver orders them. Tags that are not
//! versions (`latest`, `stable`) are not versions of the template.

use std::cmp::Ordering;

/// A tag read as a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagVersion {
    numbers: Vec<u64>,
    /// The dot-separated identifiers after `-`; empty for a release.
    pre: Vec<String>,
}

impl TagVersion {
    /// Reads `v1`, `1.2`, `v1.10.0`, `2.0.0-rc.1` (build metadata after `+` is ignored, as semver
    /// ignores it in ordering); `None` when the tag is not a version.
    pub fn parse(tag: &str) -> Option<TagVersion> {
        let text = tag.strip_prefix(['v', 'V']).unwrap_or(tag);
        let text = text.split_once('+').map_or(text, |(version, _)| version);
        let (release, pre) = match text.split_once('-') {
            Some((release, pre)) if !pre.is_empty() => (release, Some(pre)),
            Some(_) => return None,
            None => (text, None),
        };
        let numbers = release
            .split('.')
            .map(|n| {
                if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    n.parse().ok()
                }
            })
            .collect::<Option<Vec<u64>>>()?;
        Some(TagVersion {
            numbers,
            pre: pre
                .map(|p| p.split('.').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }
}

impl Ord for TagVersion {
    fn cmp(&self, other: &TagVersion) -> Ordering {
        let length = self.numbers.len().max(other.numbers.len());
        let number = |v: &TagVersion, i: usize| v.numbers.get(i).copied().unwrap_or(0);
        (0..length)
            .map(|i| number(self, i).cmp(&number(other, i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_pre(&self.pre, &other.pre),
            })
    }
}

impl PartialOrd for TagVersion {
    fn partial_cmp(&self, other: &TagVersion) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares pre-release identifiers as semver does: numbers numerically and below words.
fn compare_pre(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => x.cmp(y),
        };
        if order.is_ne() {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// Returns the newest of `tags` that is a version; pre-releases only when `prereleases`.
pub fn newest<'a>(tags: impl IntoIterator<Item = &'a str>, prereleases: bool) -> Option<&'a str> {
    tags.into_iter()
        .filter_map(|tag| TagVersion::parse(tag).map(|version| (version, tag)))
        .filter(|(version, _)| prereleases || !version.is_prerelease())
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, tag)| tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_tags_as_versions() {
        let v = |t| TagVersion::parse(t).unwrap();
        assert!(v("v1.2.0") < v("v1.10.0"));
        assert!(v("1.9") < v("v1.10.0"));
        assert!(v("v2") > v("1.99.99"));
        assert!(v("2.0.0-rc.1") < v("2.0.0"));
        assert!(v("2.0.0-rc.2") < v("2.0.0-rc.10"));
        assert!(v("2.0.0-alpha") < v("2.0.0-beta"));
        assert_eq!(TagVersion::parse("latest"), None);
        assert_eq!(TagVersion::parse("v1.x"), None);
    }

    #[test]
    fn newest_skips_prereleases_unless_asked() {
        let tags = ["v1", "v1.10.0", "v1.2.0", "v2.0.0-rc.1", "stable"];
        assert_eq!(newest(tags, false), Some("v1.10.0"));
        assert_eq!(newest(tags, true), Some("v2.0.0-rc.1"));
        assert_eq!(newest(["stable"], true), None);
    }
}
