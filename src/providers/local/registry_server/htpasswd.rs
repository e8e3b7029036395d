//! The registry's htpasswd file: which user names it can hold, their bcrypt hashes, and edits
//! that keep every other user.

use super::RegistryError;

/// The cost of the bcrypt hashes written. The registry checks the hash on every authenticated
/// request; measured with Debian's Distribution 2.8.2 on a two-core machine: about
/// 65 ms a request at cost 10, 16 ms at 8, 1 ms at 4. The passwords are 40 random alphanumeric
/// characters (238 bits), which no amount of hashing cost makes weaker or stronger in practice, so
/// cost 8 keeps every push and pull fast while staying at bcrypt's customary range.
const BCRYPT_COST: u32 = 8;
/// bcrypt reads 72 bytes: the password and its terminating NUL. Longer passwords are refused, not
/// cut short.
const MAX_PASSWORD_BYTES: usize = 71;
/// The first line of every htpasswd idp writes; the registry skips lines starting with `#`.
pub(super) const HEADER: &str = "# Users of the image registry idp runs; written by idp.\n";

/// Refuses user names htpasswd cannot hold (`:` ends the name, `#` starts a comment) and, to keep
/// them plain in messages and logs, anything beyond letters, digits, `.`, `_` and `-`.
pub(super) fn check_user(user: &str) -> Result<(), RegistryError> {
    let reason = if user.is_empty() {
        "it is empty"
    } else if user.len() > 255 {
        "it is longer than 255 bytes"
    } else if !user
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        "only letters, digits, `.`, `_` and `-` may appear in it"
    } else {
        return Ok(());
    };
    Err(RegistryError::InvalidUser {
        user: user.to_string(),
        reason,
    })
}

/// Returns the bcrypt hash of `password`, refusing passwords bcrypt would cut short.
pub(super) fn hash_password(user: &str, password: &str) -> Result<String, RegistryError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(RegistryError::PasswordTooLong {
            user: user.to_string(),
            limit: MAX_PASSWORD_BYTES,
        });
    }
    // The error names a cost, a length or the random source: never the password.
    bcrypt::non_truncating_hash(password, BCRYPT_COST).map_err(|e| RegistryError::Hash {
        user: user.to_string(),
        message: e.to_string(),
    })
}

/// Returns whether the htpasswd `text` has `user`.
pub(super) fn has_user(text: &str, user: &str) -> bool {
    text.lines().any(|line| user_of(line) == Some(user))
}

/// Returns the htpasswd `text` with `user`'s line set to `hash`, added when missing.
pub(super) fn with_user(text: &str, user: &str, hash: &str) -> String {
    let mut new = without_user(text, user);
    new.push_str(&format!("{user}:{hash}\n"));
    new
}

/// Returns the htpasswd `text` without `user`: the header, then every other user's line.
pub(super) fn without_user(text: &str, user: &str) -> String {
    let mut new = HEADER.to_string();
    for line in text
        .lines()
        .filter(|line| user_of(line).is_some_and(|name| name != user))
    {
        new.push_str(line);
        new.push('\n');
    }
    new
}

/// Returns the user of an htpasswd line, `None` for a comment or blank line.
fn user_of(line: &str) -> Option<&str> {
    if line.starts_with('#') {
        return None;
    }
    line.split_once(':').map(|(user, _)| user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_must_fit_htpasswd() {
        for user in [
            "",
            "a:b",
            "#admin",
            "two words",
            "new\nline",
            &"a".repeat(256),
        ] {
            assert!(
                matches!(check_user(user), Err(RegistryError::InvalidUser { .. })),
                "{user:?}"
            );
        }
        check_user("shop-dev_images.1").unwrap();
    }

    #[test]
    fn passwords_bcrypt_would_cut_short_are_refused_without_being_shown() {
        let error = hash_password("app", &"x".repeat(72)).unwrap_err();
        assert!(matches!(error, RegistryError::PasswordTooLong { .. }));
        assert!(!error.to_string().contains("xxx"), "{error}");
        let hash = hash_password("app", &"x".repeat(71)).unwrap();
        assert!(bcrypt::verify("x".repeat(71), &hash).unwrap());
        assert!(hash.starts_with("$2b$08$"), "{hash}");
    }

    #[test]
    fn edits_keep_the_other_users() {
        let text = with_user("", "app", "$2b$10$first");
        let text = with_user(&text, "other", "$2b$10$other");
        let text = with_user(&text, "app", "$2b$10$second");
        assert_eq!(
            text,
            format!("{HEADER}other:$2b$10$other\napp:$2b$10$second\n")
        );
        assert!(has_user(&text, "app") && has_user(&text, "other") && !has_user(&text, "ap"));
        let text = without_user(&text, "app");
        assert_eq!(text, format!("{HEADER}other:$2b$10$other\n"));
        assert_eq!(without_user(&text, "missing"), text);
        assert!(!has_user("# app:commented out\n", "app"));
    }
}
