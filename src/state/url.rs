//! The team state location of an environment, `s3://bucket/prefix?lock_table=NAME`, parsed once
//! so the manifest check and the session agree on what it means.

/// The DynamoDB table holding the locks when the URL names none.
const DEFAULT_LOCK_TABLE: &str = "idp-locks";

/// Where an environment's state and lock live in AWS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateUrl {
    pub bucket: String,
    /// The key prefix, without leading or trailing slashes; may be empty.
    pub prefix: String,
    pub lock_table: String,
}

impl StateUrl {
    /// Parses `s3://bucket/prefix`, with an optional `?lock_table=NAME`.
    pub fn parse(url: &str) -> Result<StateUrl, String> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or("it must start with `s3://`")?;
        let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
            && !bucket.starts_with(['-', '.'])
            && !bucket.ends_with(['-', '.']);
        if !valid_bucket {
            return Err(format!(
                "`{bucket}` is not a bucket name (3-63 lowercase letters, digits, `-` and `.`)"
            ));
        }
        let mut lock_table = DEFAULT_LOCK_TABLE.to_string();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("lock_table", table))
                    if (3..=255).contains(&table.len())
                        && table
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) =>
                {
                    lock_table = table.to_string();
                }
                _ => return Err(format!("`{pair}` is not `lock_table=NAME`")),
            }
        }
        Ok(StateUrl {
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            lock_table,
        })
    }

    /// Returns the key of an environment's state object: `<prefix>/<environment>.json`.
    pub fn object_key(&self, environment: &str) -> String {
        if self.prefix.is_empty() {
            format!("{environment}.json")
        } else {
            format!("{}/{environment}.json", self.prefix)
        }
    }

    /// Returns the lock item's key: `bucket/prefix/environment`.
    pub fn lock_key(&self, environment: &str) -> String {
        [self.bucket.as_str(), self.prefix.as_str(), environment]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bucket_prefix_and_lock_table() {
        let url = StateUrl::parse("s3://team-state/shop/").unwrap();
        assert_eq!(url.bucket, "team-state");
        assert_eq!(url.object_key("prod"), "shop/prod.json");
        assert_eq!(url.lock_key("prod"), "team-state/shop/prod");
        assert_eq!(url.lock_table, DEFAULT_LOCK_TABLE);
        let url = StateUrl::parse("s3://team-state?lock_table=locks").unwrap();
        assert_eq!(url.object_key("prod"), "prod.json");
        assert_eq!(url.lock_table, "locks");
        for bad in [
            "team-state/shop",
            "s3://",
            "s3://Bad_Bucket/x",
            "s3://ok-bucket/x?table=t",
        ] {
            assert!(StateUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
