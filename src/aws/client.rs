//! The one HTTP client of the `aws` provider: SigV4-signed requests over ureq (rustls), with
//! timeouts on every call and bounded retries with exponential backoff and full jitter on
//! throttling, AWS's own failures (5xx) and lost connections.
//!
//! Three request shapes cover the services idp uses: [`Client::query`] (EC2, IAM, RDS, STS: a
//! form-encoded `Action=…&Version=…` POST answered in XML), [`Client::json`] (ECR, Secrets
//! Manager, DynamoDB: JSON with `X-Amz-Target`) and [`Client::rest`] (S3). Credentials come from a
//! [`Source`]; a role to assume is assumed here, through STS, and fetched again before it expires.
//!
//! Retrying a call replays the same signed-over body, so an idempotency token in it
//! (`ClientRequestToken`, from [`idempotency_token`]) stays the same across attempts.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::credentials::Secret;

use super::credentials::{AssumeRole, Credentials, Source};
use super::error::{self, AwsError, ErrorKind};
use super::service::{self, Endpoint, EndpointError, Endpoints, Protocol, Service};
use super::sigv4;
use super::time::parse_iso8601;
use super::xml;

/// How often and how patiently to try a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The ceiling of the first wait; it doubles with each attempt.
    pub base_delay: Duration,
    /// The most any one wait can be.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (after `attempt` failures): uniformly random between
    /// zero and `min(max_delay, base_delay × 2^(attempt-1))` ("full jitter").
    pub fn delay(&self, attempt: u32, random: u64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(20);
        let ceiling = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        let nanos = ceiling.as_nanos() as u64;
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random % (nanos + 1))
    }
}

/// Everything the client needs besides credentials.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub region: String,
    /// One AWS-compatible endpoint for every service (moto in tests).
    pub endpoint_url: Option<String>,
    /// How long to wait for a connection (TLS included).
    pub connect_timeout: Duration,
    /// How long one attempt may take in all, the answer's body included.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// An HTTP(S) proxy URL (`http://proxy:3128`); none when unset.
    pub proxy: Option<String>,
}

impl ClientConfig {
    /// The defaults: a 5 s connect timeout, 60 s per attempt, 5 attempts.
    pub fn new(region: impl Into<String>, endpoint_url: Option<String>) -> ClientConfig {
        ClientConfig {
            region: region.into(),
            endpoint_url,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            proxy: None,
        }
    }
}

/// Why a client could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    #[error("the proxy `{0}` is not a usable URL")]
    Proxy(String),
}

/// Query-protocol parameters, in order: `("GroupName", "web")`, `("IpPermissions.1.FromPort",
/// "5432")`, `("Tags.member.1.Key", "idp:project")`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn new() -> Params {
        Params::default()
    }

    /// Adds a parameter and returns the list, for chaining.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Params {
        self.push(name, value);
        self
    }

    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }
}

/// A REST request (S3): the method, the unencoded path below the endpoint, and the rest.
#[derive(Clone, Debug, Default)]
pub struct RestRequest {
    pub method: &'static str,
    /// The bucket; the endpoint and path style follow from it.
    pub bucket: String,
    /// The object key; empty for a bucket operation.
    pub key: String,
    pub query: Vec<(String, String)>,
    /// Headers to send and sign (`content-type`, `x-amz-server-side-encryption`, `if-match`…).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// An answer, status 2xx.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A header's value, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The identity behind the credentials, from STS `GetCallerIdentity`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

/// Temporary credentials are fetched again this long before they expire.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);
/// The largest answer read (S3 objects idp stores are state files).
const BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// The AWS client. `Sync`: share one between threads.
pub struct Client {
    agent: ureq::Agent,
    endpoints: Endpoints,
    retry: RetryPolicy,
    source: Source,
    /// The credentials of the last role assumption, while they last.
    cached: Mutex<Option<Credentials>>,
}

/// A request ready to sign: the same for every attempt.
struct Outgoing<'a> {
    service: &'static str,
    action: &'a str,
    method: &'static str,
    endpoint: Endpoint,
    /// Unencoded.
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    content_sha256_header: bool,
}

impl Client {
    pub fn new(config: &ClientConfig, source: Source) -> Result<Client, ConfigError> {
        let endpoints = Endpoints::new(&config.region, config.endpoint_url.as_deref())?;
        let proxy = match &config.proxy {
            Some(url) => Some(ureq::Proxy::new(url).map_err(|_| ConfigError::Proxy(url.clone()))?),
            None => None,
        };
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(proxy)
            .user_agent(concat!("idp/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Client {
            agent,
            endpoints,
            retry: config.retry.clone(),
            source,
            cached: Mutex::new(None),
        })
    }

    pub fn region(&self) -> &str {
        self.endpoints.region()
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// Where the credentials come from, in words.
    pub fn credential_source(&self) -> String {
        self.source.describe()
    }

    /// Calls a query-protocol action (EC2, IAM, RDS, STS) and returns the answer's root element
    /// (`<CreateRoleResponse>`; IAM, RDS and STS put the data under `<{Action}Result>`).
    pub fn query(
        &self,
        service: &'static Service,
        action: &str,
        params: &Params,
    ) -> Result<xml::Element, AwsError> {
        let credentials = self.credentials()?;
        self.query_with(service, action, params, &credentials, true)
    }

    /// `refreshable`: whether an expired-token answer may fetch the client's credentials again
    /// (not while fetching them).
    fn query_with(
        &self,
        service: &'static Service,
        action: &str,
        params: &Params,
        credentials: &Credentials,
        refreshable: bool,
    ) -> Result<xml::Element, AwsError> {
        let Protocol::Query { version } = service.protocol else {
            panic!("{} does not speak the query protocol", service.name);
        };
        let mut body = format!("Action={}&Version={}", sigv4::encode_form(action), version);
        for (name, value) in &params.0 {
            body.push('&');
            body.push_str(&sigv4::encode_form(name));
            body.push('=');
            body.push_str(&sigv4::encode_form(value));
        }
        let outgoing = Outgoing {
            service: service.name,
            action,
            method: "POST",
            endpoint: self.endpoints.of(service),
            path: "/".to_string(),
            query: Vec::new(),
            headers: vec![(
                "content-type".to_string(),
                "application/x-www-form-urlencoded; charset=utf-8".to_string(),
            )],
            body: body.into_bytes(),
            content_sha256_header: false,
        };
        let response = self.execute(&outgoing, credentials, refreshable, |status, _, body| {
            error::from_xml(service.name, action, status, body)
        })?;
        read_xml(service.name, action, &response)
    }

    /// Calls a JSON-protocol action (ECR, Secrets Manager, DynamoDB) and returns the answer (`{}`
    /// when it is empty).
    pub fn json(
        &self,
        service: &'static Service,
        action: &str,
        input: &serde_json::Value,
    ) -> Result<serde_json::Value, AwsError> {
        let Protocol::Json {
            target_prefix,
            content_type,
        } = service.protocol
        else {
            panic!("{} does not speak the JSON protocol", service.name);
        };
        let credentials = self.credentials()?;
        let outgoing = Outgoing {
            service: service.name,
            action,
            method: "POST",
            endpoint: self.endpoints.of(service),
            path: "/".to_string(),
            query: Vec::new(),
            headers: vec![
                ("content-type".to_string(), content_type.to_string()),
                (
                    "x-amz-target".to_string(),
                    format!("{target_prefix}.{action}"),
                ),
            ],
            body: serde_json::to_vec(input).expect("a JSON value serializes"),
            content_sha256_header: false,
        };
        let response = self.execute(&outgoing, &credentials, true, |status, headers, body| {
            let error_type = headers
                .iter()
                .find(|(name, _)| name == "x-amzn-errortype")
                .map(|(_, value)| value.as_str());
            error::from_json(service.name, action, status, error_type, body)
        })?;
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Object(Default::default()));
        }
        // The answer may hold a secret (GetSecretValue): never quote it.
        serde_json::from_slice(&response.body).map_err(|e| {
            AwsError::new(
                service.name,
                action,
                ErrorKind::Response {
                    status: response.status,
                    message: format!("the answer is not JSON ({e})"),
                },
            )
        })
    }

    /// Sends an S3 request; `operation` names it in errors (`PutObject`). An S3 error answer
    /// becomes an [`AwsError`] with S3's code (`NoSuchKey`, `NoSuchBucket`, `NotFound` for a HEAD).
    pub fn rest(&self, operation: &str, request: &RestRequest) -> Result<Response, AwsError> {
        let credentials = self.credentials()?;
        let (endpoint, path) = self.endpoints.s3_object(&request.bucket, &request.key);
        let outgoing = Outgoing {
            service: service::S3.name,
            action: operation,
            method: request.method,
            endpoint,
            path,
            query: request.query.clone(),
            headers: request.headers.clone(),
            body: request.body.clone(),
            content_sha256_header: true,
        };
        self.execute(&outgoing, &credentials, true, |status, _, body| {
            error::from_xml(service::S3.name, operation, status, body)
        })
        .map_err(|e| e.for_resource(format!("`s3://{}/{}`", request.bucket, request.key)))
    }

    /// Reads an S3 object; `None` when there is no such key.
    pub fn get_object(&self, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, AwsError> {
        let request = RestRequest {
            method: "GET",
            bucket: bucket.to_string(),
            key: key.to_string(),
            ..RestRequest::default()
        };
        match self.rest("GetObject", &request) {
            Ok(response) => Ok(Some(response.body)),
            Err(e) if e.code() == Some("NoSuchKey") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes an S3 object with extra headers (e.g. `x-amz-server-side-encryption`); returns
    /// its version ID when the bucket is versioned.
    pub fn put_object(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Result<Option<String>, AwsError> {
        let request = RestRequest {
            method: "PUT",
            bucket: bucket.to_string(),
            key: key.to_string(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body,
            ..RestRequest::default()
        };
        let response = self.rest("PutObject", &request)?;
        Ok(response.header("x-amz-version-id").map(str::to_string))
    }

    /// Returns who the credentials belong to.
    pub fn caller_identity(&self) -> Result<CallerIdentity, AwsError> {
        let root = self.query(&service::STS, "GetCallerIdentity", &Params::new())?;
        identity_from(&root).ok_or_else(|| {
            missing_field(
                "sts",
                "GetCallerIdentity",
                "GetCallerIdentityResult/Account",
            )
        })
    }

    /// The credentials to sign with: the source's own, or a role's, assumed now or earlier and
    /// still good for a while.
    pub fn credentials(&self) -> Result<Credentials, AwsError> {
        match &self.source {
            Source::Static { credentials, .. } => Ok(credentials.clone()),
            Source::AssumeRole { .. } => {
                let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(credentials) = &*cached
                    && !expires_soon(credentials)
                {
                    return Ok(credentials.clone());
                }
                let credentials = self.fetch(&self.source)?;
                *cached = Some(credentials.clone());
                Ok(credentials)
            }
        }
    }

    fn fetch(&self, source: &Source) -> Result<Credentials, AwsError> {
        match source {
            Source::Static { credentials, .. } => Ok(credentials.clone()),
            Source::AssumeRole {
                role,
                source,
                profile,
            } => {
                let base = self.fetch(source)?;
                self.assume_role(&base, role).map_err(|e| {
                    e.for_resource(format!("role `{}` for profile `{profile}`", role.role_arn))
                })
            }
        }
    }

    /// Calls STS `AssumeRole` with the given credentials.
    pub fn assume_role(
        &self,
        credentials: &Credentials,
        role: &AssumeRole,
    ) -> Result<Credentials, AwsError> {
        let mut params = Params::new()
            .with("RoleArn", &role.role_arn)
            .with("RoleSessionName", &role.session_name);
        if let Some(external_id) = &role.external_id {
            params.push("ExternalId", external_id);
        }
        if let Some(duration) = role.duration_seconds {
            params.push("DurationSeconds", duration.to_string());
        }
        let root = self.query_with(&service::STS, "AssumeRole", &params, credentials, false)?;
        let path = ["AssumeRoleResult", "Credentials"];
        let field = |name: &str| {
            root.path(&path)
                .and_then(|c| c.text_at(&[name]))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let (Some(access_key_id), Some(secret), Some(token)) = (
            field("AccessKeyId"),
            field("SecretAccessKey"),
            field("SessionToken"),
        ) else {
            return Err(missing_field(
                "sts",
                "AssumeRole",
                "AssumeRoleResult/Credentials",
            ));
        };
        Ok(Credentials {
            access_key_id,
            secret_access_key: Secret::new(secret),
            session_token: Some(Secret::new(token)),
            expires_at: field("Expiration").and_then(|text| parse_iso8601(&text)),
        })
    }

    /// Sends a request until it succeeds, fails for good or runs out of attempts. `read_error`
    /// turns a non-2xx answer into an error. With `refreshable`, an expired token fetches the
    /// client's credentials again, once (never while they are being fetched: that holds their
    /// lock).
    fn execute(
        &self,
        outgoing: &Outgoing<'_>,
        credentials: &Credentials,
        refreshable: bool,
        read_error: impl Fn(u16, &[(String, String)], &[u8]) -> AwsError,
    ) -> Result<Response, AwsError> {
        let mut credentials = credentials.clone();
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut error = match self.send_once(outgoing, &credentials) {
                Ok(response) if (200..300).contains(&response.status) => return Ok(response),
                Ok(response) => read_error(response.status, &response.headers, &response.body),
                Err(e) => e,
            };
            error.attempts = attempt;
            // Assumed-role credentials that expired under us: assume the role again, once.
            if error.is_expired_token()
                && refreshable
                && !refreshed
                && matches!(self.source, Source::AssumeRole { .. })
                && attempt < self.retry.max_attempts
            {
                refreshed = true;
                *self.cached.lock().unwrap_or_else(|e| e.into_inner()) = None;
                credentials = self.credentials()?;
                continue;
            }
            if !error.is_retryable() || attempt >= self.retry.max_attempts {
                return Err(error);
            }
            std::thread::sleep(self.retry.delay(attempt, random_u64()));
        }
    }

    fn send_once(
        &self,
        outgoing: &Outgoing<'_>,
        credentials: &Credentials,
    ) -> Result<Response, AwsError> {
        let payload_hash = sigv4::payload_hash(&outgoing.body);
        let signer = sigv4::Signer {
            access_key_id: &credentials.access_key_id,
            secret_access_key: credentials.secret_access_key.expose(),
            session_token: credentials.session_token.as_ref().map(Secret::expose),
            region: &outgoing.endpoint.signing_region,
            service: outgoing.service,
            time: SystemTime::now(),
            content_sha256_header: outgoing.content_sha256_header,
        };
        let signing_path = format!("{}{}", outgoing.endpoint.base_path, outgoing.path);
        let added = sigv4::sign(
            &signer,
            &sigv4::Request {
                method: outgoing.method,
                host: &outgoing.endpoint.authority,
                path: &signing_path,
                query: &outgoing.query,
                headers: &outgoing.headers,
                payload_hash: &payload_hash,
            },
        );
        let url = outgoing.endpoint.url(
            &sigv4::encode_path(&outgoing.path),
            &sigv4::canonical_query(&outgoing.query),
        );
        let mut builder = ureq::http::Request::builder()
            .method(outgoing.method)
            .uri(&url);
        for (name, value) in outgoing.headers.iter().chain(&added) {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let transport = |message: String, retryable: bool| {
            AwsError::new(
                outgoing.service,
                outgoing.action,
                ErrorKind::Transport {
                    endpoint: outgoing.endpoint.to_string(),
                    message,
                    retryable,
                },
            )
        };
        let failed = |e: ureq::Error| transport(describe(&e), is_transient(&e));
        let sent =
            if outgoing.body.is_empty() && outgoing.method != "POST" && outgoing.method != "PUT" {
                builder
                    .body(())
                    .map_err(|e| transport(e.to_string(), false))
                    .and_then(|request| self.agent.run(request).map_err(failed))
            } else {
                builder
                    .body(outgoing.body.as_slice())
                    .map_err(|e| transport(e.to_string(), false))
                    .and_then(|request| self.agent.run(request).map_err(failed))
            };
        let mut response = sent?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = if outgoing.method == "HEAD" {
            Vec::new()
        } else {
            response
                .body_mut()
                .with_config()
                .limit(BODY_LIMIT)
                .read_to_vec()
                .map_err(|e| {
                    let retryable = is_transient(&e);
                    transport(format!("reading the answer: {}", describe(&e)), retryable)
                })?
        };
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// A ureq error in words, without the URL (the message names the endpoint already).
fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(timeout) => format!("timed out ({timeout:?})"),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        ureq::Error::Io(e) => e.to_string(),
        other => other.to_string(),
    }
}

/// Whether a ureq error is about the connection (worth another attempt) rather than the request
/// (an invalid URL or header, a refused certificate, an answer over the size limit).
fn is_transient(error: &ureq::Error) -> bool {
    matches!(
        error,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
            | ureq::Error::Protocol(_)
            | ureq::Error::BodyStalled
    )
}

fn expires_soon(credentials: &Credentials) -> bool {
    credentials
        .expires_at
        .is_some_and(|at| at <= SystemTime::now() + REFRESH_MARGIN)
}

fn read_xml(
    service: &'static str,
    action: &str,
    response: &Response,
) -> Result<xml::Element, AwsError> {
    let text = String::from_utf8_lossy(&response.body);
    xml::parse(&text).map_err(|e| {
        AwsError::new(
            service,
            action,
            ErrorKind::Response {
                status: response.status,
                message: e.to_string(),
            },
        )
    })
}

fn missing_field(service: &'static str, action: &str, path: &str) -> AwsError {
    AwsError::new(
        service,
        action,
        ErrorKind::Response {
            status: 200,
            message: format!("the answer has no `{path}`"),
        },
    )
}

fn identity_from(root: &xml::Element) -> Option<CallerIdentity> {
    let result = root.child("GetCallerIdentityResult")?;
    Some(CallerIdentity {
        account: result.text_at(&["Account"])?.to_string(),
        arn: result.text_at(&["Arn"])?.to_string(),
        user_id: result.text_at(&["UserId"]).unwrap_or("").to_string(),
    })
}

fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    u64::from_le_bytes(bytes)
}

/// A fresh idempotency token (a random UUID, version 4), for APIs that take one
/// (`ClientRequestToken`, `ClientToken`). Make it once per logical operation, before the first
/// attempt, and keep it across a crash if the operation may be retried after one.
pub fn idempotency_token() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_exponential_with_full_jitter() {
        let policy = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        assert_eq!(
            policy.delay(1, u64::MAX),
            Duration::from_nanos(u64::MAX % 100_000_001)
        );
        for (attempt, ceiling_ms) in [
            (1, 100),
            (2, 200),
            (3, 400),
            (4, 800),
            (5, 1000),
            (40, 1000),
        ] {
            let ceiling = Duration::from_millis(ceiling_ms);
            assert_eq!(policy.delay(attempt, ceiling.as_nanos() as u64), ceiling);
            assert_eq!(policy.delay(attempt, 0), Duration::ZERO);
            for _ in 0..50 {
                assert!(policy.delay(attempt, random_u64()) <= ceiling);
            }
        }
    }

    #[test]
    fn one_client_serves_many_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Client>();
    }

    #[test]
    fn idempotency_tokens_are_uuids() {
        let token = idempotency_token();
        assert_eq!(token.len(), 36);
        assert_eq!(&token[14..15], "4");
        assert_ne!(token, idempotency_token());
    }
}
