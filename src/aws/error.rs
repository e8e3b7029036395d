//! What an AWS call that failed says: the service, the action, what it was about, AWS's error code
//! and message (read from the query protocol's and S3's XML, or the JSON protocol's `__type` and
//! `message`), and how many attempts were made. Never a secret: request bodies are not echoed,
//! and response bodies only when they are error documents that could not be read.

use std::fmt;

use super::xml;

/// A failed AWS call.
#[derive(Debug)]
pub struct AwsError {
    /// The service's signing name: `ec2`, `ecr`, `sts`…
    pub service: &'static str,
    /// The AWS action (`CreateRepository`) or, for S3, the operation (`GetObject`).
    pub action: String,
    /// What the call was about, when the caller said (`role \`arn:…\``).
    pub resource: Option<String>,
    /// Boxed: an error is passed up through every call, and the answer's fields are large.
    pub kind: Box<ErrorKind>,
    /// How many times the request was sent.
    pub attempts: u32,
}

/// How it failed.
#[derive(Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// AWS answered with an error.
    Service {
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
    },
    /// No answer: the connection failed or timed out (`retryable`), or the request could not be
    /// sent at all (an invalid header, a certificate refused).
    Transport {
        endpoint: String,
        message: String,
        retryable: bool,
    },
    /// An answer idp cannot read (e.g. not XML where XML was due).
    Response { status: u16, message: String },
}

impl AwsError {
    pub(crate) fn new(service: &'static str, action: &str, kind: ErrorKind) -> AwsError {
        AwsError {
            service,
            action: action.to_string(),
            resource: None,
            kind: Box::new(kind),
            attempts: 1,
        }
    }

    /// Says what the call was about, for the message.
    pub fn for_resource(mut self, resource: impl Into<String>) -> AwsError {
        self.resource = Some(resource.into());
        self
    }

    /// AWS's error code (`RepositoryNotFoundException`, `InvalidGroup.NotFound`), when AWS
    /// answered.
    pub fn code(&self) -> Option<&str> {
        match &*self.kind {
            ErrorKind::Service { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match &*self.kind {
            ErrorKind::Service { status, .. } | ErrorKind::Response { status, .. } => Some(*status),
            ErrorKind::Transport { .. } => None,
        }
    }

    /// AWS's message, or what went wrong on the way.
    pub fn message(&self) -> &str {
        match &*self.kind {
            ErrorKind::Service { message, .. }
            | ErrorKind::Transport { message, .. }
            | ErrorKind::Response { message, .. } => message,
        }
    }

    /// Whether trying again later may succeed: throttling, AWS's own failures, no answer.
    pub fn is_retryable(&self) -> bool {
        match &*self.kind {
            ErrorKind::Service { status, code, .. } => {
                *status >= 500 || *status == 429 || is_throttling(code) || is_transient(code)
            }
            ErrorKind::Transport { retryable, .. } => *retryable,
            ErrorKind::Response { status, .. } => *status >= 500,
        }
    }

    /// Whether the credentials have expired (temporary ones can be fetched again).
    pub fn is_expired_token(&self) -> bool {
        matches!(
            self.code(),
            Some("ExpiredToken" | "ExpiredTokenException" | "RequestExpired")
        )
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.service, self.action)?;
        if let Some(resource) = &self.resource {
            write!(f, " ({resource})")?;
        }
        match &*self.kind {
            ErrorKind::Service { code, message, .. } if message.is_empty() => {
                write!(f, ": {code}")?
            }
            ErrorKind::Service { code, message, .. } => write!(f, ": {code}: {message}")?,
            ErrorKind::Transport {
                endpoint, message, ..
            } => write!(f, ": no answer from {endpoint}: {message}")?,
            ErrorKind::Response { status, message } => {
                write!(f, ": unreadable answer (HTTP {status}): {message}")?
            }
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for AwsError {}

/// AWS's codes for "slow down", as the AWS SDKs list them.
pub fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottledException"
            | "TooManyRequestsException"
            | "ProvisionedThroughputExceededException"
            | "TransactionInProgressException"
            | "RequestLimitExceeded"
            | "BandwidthLimitExceeded"
            | "LimitExceededException"
            | "RequestThrottled"
            | "SlowDown"
            | "PriorRequestNotComplete"
            | "EC2ThrottledException"
    )
}

/// AWS's codes for a failure on its side that a retry may get past.
pub fn is_transient(code: &str) -> bool {
    matches!(
        code,
        "RequestTimeout"
            | "RequestTimeoutException"
            | "InternalError"
            | "InternalFailure"
            | "InternalServerError"
            | "ServiceUnavailable"
            | "ServiceUnavailableException"
    )
}

/// The longest stretch of an unreadable error body quoted in a message.
const QUOTE_LIMIT: usize = 200;

/// Reads an error answer of the query protocol or S3: `<ErrorResponse><Error><Code>…` (IAM, RDS,
/// STS), `<Response><Errors><Error><Code>…` (EC2) or `<Error><Code>…` (S3).
pub fn from_xml(service: &'static str, action: &str, status: u16, body: &[u8]) -> AwsError {
    let text = String::from_utf8_lossy(body);
    let kind = match xml::parse(&text) {
        Ok(document) => match document.find("Error") {
            Some(error) => ErrorKind::Service {
                status,
                code: error
                    .text_at(&["Code"])
                    .unwrap_or(status_code_name(status))
                    .to_string(),
                message: error.text_at(&["Message"]).unwrap_or("").to_string(),
                request_id: document
                    .find("RequestId")
                    .or_else(|| document.find("RequestID"))
                    .map(|e| e.text.trim().to_string()),
            },
            None => unreadable(status, &text),
        },
        // HEAD answers and some proxies' errors have no XML body: the status is all there is.
        Err(_) if text.trim().is_empty() => ErrorKind::Service {
            status,
            code: status_code_name(status).to_string(),
            message: String::new(),
            request_id: None,
        },
        Err(_) => unreadable(status, &text),
    };
    AwsError::new(service, action, kind)
}

/// Reads an error answer of the JSON protocol: `{"__type": "…#Code", "message": "…"}`, or the
/// `x-amzn-errortype` header.
pub fn from_json(
    service: &'static str,
    action: &str,
    status: u16,
    error_type_header: Option<&str>,
    body: &[u8],
) -> AwsError {
    let text = String::from_utf8_lossy(body);
    // Some AWS-compatible servers (moto, for signature failures) answer JSON services in XML.
    if text.trim_start().starts_with('<') {
        return from_xml(service, action, status, body);
    }
    let value: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |names: &[&str]| {
        value.as_ref().and_then(|value| {
            names
                .iter()
                .find_map(|name| value.get(*name).and_then(|v| v.as_str()))
                .map(str::to_string)
        })
    };
    let code = field(&["__type", "code", "Code"])
        .or_else(|| error_type_header.map(str::to_string))
        .map(|code| clean_json_code(&code).to_string());
    let kind = match code {
        Some(code) => ErrorKind::Service {
            status,
            code,
            message: field(&["message", "Message", "errorMessage"]).unwrap_or_default(),
            request_id: None,
        },
        None if text.trim().is_empty() => ErrorKind::Service {
            status,
            code: status_code_name(status).to_string(),
            message: String::new(),
            request_id: None,
        },
        None => unreadable(status, &text),
    };
    AwsError::new(service, action, kind)
}

/// `com.amazonaws.ecr#RepositoryNotFoundException` and `Code:http://internal.amazon.com/…`
/// become the bare code.
fn clean_json_code(code: &str) -> &str {
    let code = code.rsplit_once('#').map_or(code, |(_, code)| code);
    code.split_once(':').map_or(code, |(code, _)| code)
}

fn unreadable(status: u16, text: &str) -> ErrorKind {
    let mut quoted: String = text.trim().chars().take(QUOTE_LIMIT).collect();
    if text.trim().chars().count() > QUOTE_LIMIT {
        quoted.push('…');
    }
    ErrorKind::Response {
        status,
        message: if quoted.is_empty() {
            "an empty body".to_string()
        } else {
            quoted
        },
    }
}

/// A code for answers that carry none.
fn status_code_name(status: u16) -> &'static str {
    match status {
        301 | 307 => "PermanentRedirect",
        400 => "BadRequest",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        412 => "PreconditionFailed",
        429 => "TooManyRequests",
        500 => "InternalError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "HttpError",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_query_protocol_errors() {
        let iam = br#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error><Type>Sender</Type><Code>EntityAlreadyExists</Code><Message>Role with name app already exists.</Message></Error>
  <RequestId>4a93ceee-9966-11e1-b624-b1aEXAMPLE7c</RequestId></ErrorResponse>"#;
        let error = from_xml("iam", "CreateRole", 409, iam).for_resource("role `app`");
        assert_eq!(error.code(), Some("EntityAlreadyExists"));
        assert_eq!(
            error.to_string(),
            "iam CreateRole (role `app`): EntityAlreadyExists: Role with name app already exists."
        );
        assert!(!error.is_retryable());

        let ec2 = br#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>ab12</RequestID></Response>"#;
        let error = from_xml("ec2", "DescribeSecurityGroups", 503, ec2);
        assert_eq!(error.code(), Some("RequestLimitExceeded"));
        assert!(error.is_retryable());
        assert_eq!(
            *error.kind,
            ErrorKind::Service {
                status: 503,
                code: "RequestLimitExceeded".to_string(),
                message: "Request limit exceeded.".to_string(),
                request_id: Some("ab12".to_string()),
            }
        );

        let s3 = b"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>";
        assert_eq!(
            from_xml("s3", "GetObject", 404, s3).code(),
            Some("NoSuchKey")
        );
        assert_eq!(
            from_xml("s3", "HeadObject", 404, b"").code(),
            Some("NotFound")
        );
        let html = from_xml("s3", "GetObject", 502, b"<html>bad gateway");
        assert_eq!(
            html.to_string(),
            "s3 GetObject: unreadable answer (HTTP 502): <html>bad gateway"
        );
        assert!(html.is_retryable());
    }

    #[test]
    fn reads_json_protocol_errors() {
        let body = br#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#;
        let error = from_json("dynamodb", "PutItem", 400, None, body);
        assert_eq!(error.code(), Some("ConditionalCheckFailedException"));
        assert_eq!(
            error.to_string(),
            "dynamodb PutItem: ConditionalCheckFailedException: The conditional request failed"
        );
        let body = br#"{"__type":"ThrottlingException","Message":"Rate exceeded"}"#;
        let error = from_json("ecr", "DescribeRepositories", 400, None, body);
        assert!(error.is_retryable());
        assert_eq!(error.message(), "Rate exceeded");
        let error = from_json(
            "secretsmanager",
            "GetSecretValue",
            400,
            Some("ResourceNotFoundException:http://internal.amazon.com/coral/"),
            b"",
        );
        assert_eq!(error.code(), Some("ResourceNotFoundException"));
        let mut error = from_json("ecr", "CreateRepository", 500, None, b"");
        error.attempts = 5;
        assert_eq!(
            error.to_string(),
            "ecr CreateRepository: InternalError (after 5 attempts)"
        );
        assert!(error.is_retryable());
    }
}
