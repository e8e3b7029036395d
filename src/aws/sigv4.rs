//! AWS Signature Version 4 (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html>),
//! for requests sent with headers: a canonical request, a string to sign, a key derived from the
//! secret by HMAC-SHA256 over date, region and service, and an `Authorization` header.
//!
//! Written here on `hmac` and `sha2`, which idp already builds, rather than with the `aws-sigv4`
//! crate (see the README's design notes). It is checked against AWS's own signing test suite.

use std::fmt::Write as _;
use std::time::SystemTime;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::time::UtcTime;

/// The payload hash of an empty body.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The parts of a request the signature covers.
pub struct Request<'a> {
    /// `GET`, `POST`, `PUT`…
    pub method: &'a str,
    /// The `Host` header as sent: the host, with `:port` when the port is not the scheme's default.
    pub host: &'a str,
    /// The path, not yet percent-encoded (`/bucket/a key`); it is sent encoded as
    /// [`encode_path`] encodes it.
    pub path: &'a str,
    /// The query parameters, not yet percent-encoded.
    pub query: &'a [(String, String)],
    /// The other headers to sign (e.g. `content-type`, `x-amz-target`), names in any case.
    pub headers: &'a [(String, String)],
    /// The hex SHA-256 of the body ([`payload_hash`]).
    pub payload_hash: &'a str,
}

/// Who signs, where and when.
pub struct Signer<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    /// Temporary credentials' token, sent as `x-amz-security-token` and signed.
    pub session_token: Option<&'a str>,
    /// The signing region (`us-east-1` for IAM).
    pub region: &'a str,
    /// The signing name of the service (`ec2`, `ecr`, `s3`…).
    pub service: &'a str,
    pub time: SystemTime,
    /// Send and sign `x-amz-content-sha256` (S3 requires it).
    pub content_sha256_header: bool,
}

/// Returns the headers to add to the request: `x-amz-date`, `x-amz-security-token` when there is a
/// session token, `x-amz-content-sha256` when asked, and `authorization`.
pub fn sign(signer: &Signer<'_>, request: &Request<'_>) -> Vec<(String, String)> {
    let time = UtcTime::from(signer.time);
    let amz_date = time.amz_date();
    let mut added = vec![("x-amz-date".to_string(), amz_date.clone())];
    if signer.content_sha256_header {
        added.push((
            "x-amz-content-sha256".to_string(),
            request.payload_hash.to_string(),
        ));
    }
    if let Some(token) = signer.session_token {
        added.push(("x-amz-security-token".to_string(), token.to_string()));
    }
    let mut headers: Vec<(String, String)> = request.headers.to_vec();
    headers.push(("host".to_string(), request.host.to_string()));
    headers.extend(added.iter().cloned());
    let (canonical, signed_headers) = canonical_request(request, &headers);
    let scope = format!(
        "{}/{}/{}/aws4_request",
        time.date(),
        signer.region,
        signer.service
    );
    let string_to_sign = string_to_sign(&amz_date, &scope, &canonical);
    let key = signing_key(
        signer.secret_access_key,
        &time.date(),
        signer.region,
        signer.service,
    );
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    added.push((
        "authorization".to_string(),
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            signer.access_key_id
        ),
    ));
    added
}

/// Returns the canonical request and the signed header list, for the given full set of headers
/// (including `host` and the `x-amz-*` ones).
pub fn canonical_request(request: &Request<'_>, headers: &[(String, String)]) -> (String, String) {
    // Header names lowercased, values trimmed with inner runs of spaces folded to one; repeated
    // names join their values with commas, in the order given.
    let mut canonical_headers: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match canonical_headers.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            None => canonical_headers.push((name, value)),
        }
    }
    canonical_headers.sort_by(|a, b| a.0.cmp(&b.0));
    let signed_headers = canonical_headers
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut canonical = String::new();
    canonical.push_str(request.method);
    canonical.push('\n');
    canonical.push_str(&encode_path(request.path));
    canonical.push('\n');
    canonical.push_str(&canonical_query(request.query));
    canonical.push('\n');
    for (name, value) in &canonical_headers {
        let _ = writeln!(canonical, "{name}:{value}");
    }
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    canonical.push_str(request.payload_hash);
    (canonical, signed_headers)
}

/// Returns the string to sign for a canonical request.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    )
}

/// Derives the signing key: HMAC chained over `AWS4` + secret, the date, region, service and
/// `aws4_request`.
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let key = hmac(
        format!("AWS4{secret_access_key}").as_bytes(),
        date.as_bytes(),
    );
    let key = hmac(&key, region.as_bytes());
    let key = hmac(&key, service.as_bytes());
    hmac(&key, b"aws4_request")
}

/// Returns the canonical query string: each name and value percent-encoded, sorted by name, then
/// value.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(name, value)| (encode(name), encode(value)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Returns the hex SHA-256 of a body.
pub fn payload_hash(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

/// Percent-encodes everything but the unreserved characters (`A-Z a-z 0-9 - _ . ~`), as SigV4
/// and form bodies want: a space becomes `%20`.
pub fn encode(text: &str) -> String {
    encode_with(text, false)
}

/// Encodes a form value (`application/x-www-form-urlencoded`) as the AWS CLI (botocore) does:
/// as [`encode`], but a space becomes `+`. Both forms mean the same to AWS; this one is also what
/// moto re-encodes a form to when it checks a signature.
pub fn encode_form(text: &str) -> String {
    encode(text).replace("%20", "+")
}

/// Percent-encodes a path as [`encode`] does, keeping `/`.
pub fn encode_path(path: &str) -> String {
    encode_with(path, true)
}

fn encode_with(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && byte == b'/')
        {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    //! Cases from AWS's SigV4 signing test suite (`v4/<case>/` in the suite the `aws-sigv4` crate
    //! ships; the older suite in AWS's documentation has the same `get-vanilla` family): credentials
    //! `AKIDEXAMPLE`, region `us-east-1`, service `service`, 2015-08-30T12:36:00Z.

    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const ACCESS_KEY: &str = "AKIDEXAMPLE";
    const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    /// 2015-08-30T12:36:00Z.
    const TIMESTAMP: u64 = 1_440_938_160;

    fn signer(session_token: Option<&'static str>, content_sha256_header: bool) -> Signer<'static> {
        Signer {
            access_key_id: ACCESS_KEY,
            secret_access_key: SECRET_KEY,
            session_token,
            region: "us-east-1",
            service: "service",
            time: UNIX_EPOCH + Duration::from_secs(TIMESTAMP),
            content_sha256_header,
        }
    }

    fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
        query
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    /// Signs and returns the `Authorization` header.
    fn authorization(
        signer: &Signer<'_>,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> String {
        let query = pairs(query);
        let headers = pairs(headers);
        let hash = payload_hash(body);
        let added = sign(
            signer,
            &Request {
                method,
                host: "example.amazonaws.com",
                path,
                query: &query,
                headers: &headers,
                payload_hash: &hash,
            },
        );
        added
            .into_iter()
            .find(|(name, _)| name == "authorization")
            .unwrap()
            .1
    }

    fn signature(authorization: &str) -> &str {
        authorization.rsplit_once("Signature=").unwrap().1
    }

    #[test]
    fn get_vanilla() {
        let auth = authorization(&signer(None, false), "GET", "/", &[], &[], b"");
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn get_vanilla_canonical_request_and_string_to_sign() {
        let headers = pairs(&[
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", "20150830T123600Z"),
        ]);
        let (canonical, signed) = canonical_request(
            &Request {
                method: "GET",
                host: "example.amazonaws.com",
                path: "/",
                query: &[],
                headers: &[],
                payload_hash: EMPTY_SHA256,
            },
            &headers,
        );
        assert_eq!(
            canonical,
            format!(
                "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{EMPTY_SHA256}"
            )
        );
        assert_eq!(signed, "host;x-amz-date");
        assert_eq!(
            string_to_sign(
                "20150830T123600Z",
                "20150830/us-east-1/service/aws4_request",
                &canonical
            ),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n\
             bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        );
    }

    #[test]
    fn get_vanilla_query_family() {
        let s = signer(None, false);
        let cases: &[(&[(&str, &str)], &str)] = &[
            // get-vanilla-query: an empty query.
            (
                &[],
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            ),
            // get-vanilla-query-order-key-case
            (
                &[("Param2", "value2"), ("Param1", "value1")],
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            ),
            // get-vanilla-query-order-encoded: sorted by encoded name, `ሴ` last.
            (
                &[("Param-3", "Value3"), ("Param", "Value2"), ("ሴ", "Value1")],
                "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac",
            ),
            // get-vanilla-query-unreserved
            (
                &[(
                    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                )],
                "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
            ),
            // get-vanilla-utf8-query
            (
                &[("ሴ", "bar")],
                "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
            ),
            // get-vanilla-empty-query-key
            (
                &[("Param1", "value1")],
                "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
            ),
        ];
        for (query, expected) in cases {
            let auth = authorization(&s, "GET", "/", query, &[], b"");
            assert_eq!(signature(&auth), *expected, "query {query:?}");
        }
    }

    #[test]
    fn paths_are_encoded_once() {
        let s = signer(None, false);
        // get-utf8
        let auth = authorization(&s, "GET", "/ሴ", &[], &[], b"");
        assert_eq!(
            signature(&auth),
            "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"
        );
        // get-space-unnormalized
        let auth = authorization(&s, "GET", "/example space/", &[], &[], b"");
        assert_eq!(
            signature(&auth),
            "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"
        );
        // get-unreserved
        let auth = authorization(
            &s,
            "GET",
            "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            &[],
            &[],
            b"",
        );
        assert_eq!(
            signature(&auth),
            "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"
        );
    }

    #[test]
    fn headers_are_trimmed_sorted_and_joined() {
        let s = signer(None, false);
        // get-header-value-trim
        let auth = authorization(
            &s,
            "GET",
            "/",
            &[],
            &[("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
            b"",
        );
        assert_eq!(
            signature(&auth),
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        );
        // get-header-key-duplicate
        let auth = authorization(
            &s,
            "GET",
            "/",
            &[],
            &[
                ("My-Header1", "value2"),
                ("My-Header1", "value2"),
                ("My-Header1", "value1"),
            ],
            b"",
        );
        assert_eq!(
            signature(&auth),
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"
        );
        // get-header-value-order
        let auth = authorization(
            &s,
            "GET",
            "/",
            &[],
            &[
                ("My-Header1", "value4"),
                ("My-Header1", "value1"),
                ("My-Header1", "value3"),
                ("My-Header1", "value2"),
            ],
            b"",
        );
        assert_eq!(
            signature(&auth),
            "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"
        );
        // post-vanilla, post-header-key-sort
        let auth = authorization(&s, "POST", "/", &[], &[], b"");
        assert_eq!(
            signature(&auth),
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        );
        let auth = authorization(&s, "POST", "/", &[], &[("My-Header1", "value1")], b"");
        assert_eq!(
            signature(&auth),
            "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"
        );
    }

    #[test]
    fn post_with_a_body_and_a_query() {
        let s = signer(None, false);
        // post-vanilla-query
        let auth = authorization(&s, "POST", "/", &[("Param1", "value1")], &[], b"");
        assert_eq!(
            signature(&auth),
            "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"
        );
        // post-x-www-form-urlencoded, with the body's hash signed as `x-amz-content-sha256`.
        let s = signer(None, true);
        let auth = authorization(
            &s,
            "POST",
            "/",
            &[],
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Content-Length", "13"),
            ],
            b"Param1=value1",
        );
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, \
             Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
        );
    }

    #[test]
    fn a_session_token_is_sent_and_signed() {
        // get-vanilla-with-session-token
        let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        let s = signer(Some(token), false);
        let added = sign(
            &s,
            &Request {
                method: "GET",
                host: "example.amazonaws.com",
                path: "/",
                query: &[],
                headers: &[],
                payload_hash: EMPTY_SHA256,
            },
        );
        assert!(added.contains(&("x-amz-security-token".to_string(), token.to_string())));
        let auth = &added.last().unwrap().1;
        assert!(auth.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"));
        assert_eq!(
            signature(auth),
            "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
        );
    }

    /// AWS's worked example of the key derivation
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html>
    /// in its older form): secret `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`, 2012-02-15,
    /// us-east-1, iam.
    #[test]
    fn signing_key_derivation() {
        let key = signing_key(SECRET_KEY, "20120215", "us-east-1", "iam");
        assert_eq!(
            hex(&key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn encoding() {
        assert_eq!(encode("a b+c/d~e"), "a%20b%2Bc%2Fd~e");
        assert_eq!(encode_form("a b+c/d~e&f=g"), "a+b%2Bc%2Fd~e%26f%3Dg");
        assert_eq!(encode_path("/bucket/a b/ሴ"), "/bucket/a%20b/%E1%88%B4");
    }
}
