//! SCRAM-SHA-256 verifiers (RFC 5802, RFC 7677) in the form PostgreSQL stores them, computed by
//! idp so a password never reaches the server, its log or its statistics in clear.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// PostgreSQL's own defaults (`SCRAM_SHA_256_DEFAULT_ITERATIONS`, `SCRAM_DEFAULT_SALT_LEN`).
const ITERATIONS: u32 = 4096;
const SALT_LENGTH: usize = 16;

/// Returns the SCRAM-SHA-256 verifier of `password` with a fresh random salt:
/// `SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>`.
///
/// PostgreSQL stores a password given in this form as it is (`CREATE ROLE app LOGIN PASSWORD
/// 'SCRAM-SHA-256$…'`), so the cleartext password never leaves idp. PostgreSQL normalises a
/// password with SASLprep before hashing; for ASCII passwords (idp generates those) that changes
/// nothing, so the verifier matches what the server computes at login. A non-ASCII password may be
/// normalised differently and then not match.
pub fn scram_verifier(password: &str) -> String {
    let mut salt = [0u8; SALT_LENGTH];
    getrandom::fill(&mut salt).expect("the operating system provides random bytes");
    verifier_with_salt(password, &salt, ITERATIONS)
}

/// Returns the verifier of `password` for a given salt and iteration count.
pub(super) fn verifier_with_salt(password: &str, salt: &[u8], iterations: u32) -> String {
    let (stored_key, server_key) = keys(password.as_bytes(), salt, iterations);
    format!(
        "SCRAM-SHA-256${iterations}:{}${}:{}",
        BASE64.encode(salt),
        BASE64.encode(stored_key),
        BASE64.encode(server_key)
    )
}

/// Returns (StoredKey, ServerKey) as RFC 5802 section 3 defines them.
fn keys(password: &[u8], salt: &[u8], iterations: u32) -> ([u8; 32], [u8; 32]) {
    // RFC 5802's Hi() is PBKDF2 with HMAC and one block of output.
    let mut salted_password = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut salted_password);
    let client_key = hmac(&salted_password, b"Client Key");
    let stored_key = Sha256::digest(client_key).into();
    let server_key = hmac(&salted_password, b"Server Key");
    (stored_key, server_key)
}

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits a verifier into (iterations, salt, StoredKey, ServerKey).
    fn parse(verifier: &str) -> (u32, Vec<u8>, Vec<u8>, Vec<u8>) {
        let rest = verifier.strip_prefix("SCRAM-SHA-256$").unwrap();
        let (iterations_salt, keys) = rest.split_once('$').unwrap();
        let (iterations, salt) = iterations_salt.split_once(':').unwrap();
        let (stored_key, server_key) = keys.split_once(':').unwrap();
        let decode = |text: &str| BASE64.decode(text).unwrap();
        (
            iterations.parse().unwrap(),
            decode(salt),
            decode(stored_key),
            decode(server_key),
        )
    }

    /// RFC 7677 section 3: user `user`, password `pencil`. A server holding only StoredKey and
    /// ServerKey must accept the client's proof and produce the server signature shown there.
    #[test]
    fn verifier_checks_the_rfc_7677_exchange() {
        let salt = [
            0x5b, 0x6d, 0x99, 0x68, 0x9d, 0x12, 0x35, 0x8e, 0xec, 0xa0, 0x4b, 0x14, 0x12, 0x36,
            0xfa, 0x81,
        ];
        let verifier = verifier_with_salt("pencil", &salt, 4096);
        assert!(
            verifier.starts_with("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"),
            "{verifier}"
        );
        let (iterations, parsed_salt, stored_key, server_key) = parse(&verifier);
        assert_eq!(
            (iterations, parsed_salt.as_slice()),
            (4096, salt.as_slice())
        );

        let nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        let auth_message = format!(
            "n=user,r=rOprNGfwEbeRWgbNEkqO,r={nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r={nonce}"
        );
        let client_proof = BASE64
            .decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
            .unwrap();
        let client_signature = hmac(&stored_key, auth_message.as_bytes());
        let client_key: Vec<u8> = client_proof
            .iter()
            .zip(client_signature)
            .map(|(a, b)| a ^ b)
            .collect();
        assert_eq!(Sha256::digest(&client_key).to_vec(), stored_key);
        let server_signature = hmac(&server_key, auth_message.as_bytes());
        assert_eq!(
            BASE64.encode(server_signature),
            "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
        );
    }

    #[test]
    fn each_verifier_has_a_fresh_salt() {
        let (first, second) = (scram_verifier("secret"), scram_verifier("secret"));
        assert_ne!(first, second);
        let (iterations, salt, stored_key, server_key) = parse(&first);
        assert_eq!(
            (iterations, salt.len(), stored_key.len(), server_key.len()),
            (4096, 16, 32, 32)
        );
        assert!(!first.contains("secret"));
    }
}
