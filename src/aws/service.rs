//! The AWS services idp calls, their protocols, and where their endpoints are: the environment's
//! `endpoint_url` for every service (as moto and other AWS-compatible servers serve them all on one
//! address), else AWS's own `https://{service}.{region}.amazonaws.com` (IAM is global; STS is
//! regional).

use std::fmt;

/// How a service's requests and answers are shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// A form-encoded `Action=…&Version=…` POST, answered in XML (EC2, IAM, RDS, STS).
    Query { version: &'static str },
    /// A JSON POST naming the action in `X-Amz-Target: {prefix}.{Action}` (ECR, Secrets Manager:
    /// `application/x-amz-json-1.1`; DynamoDB: `1.0`).
    Json {
        target_prefix: &'static str,
        content_type: &'static str,
    },
    /// Resources in the path (S3).
    RestXml,
}

/// One AWS service.
#[derive(Debug, PartialEq, Eq)]
pub struct Service {
    /// The signing name, also used in messages: `ec2`, `ecr`, `s3`…
    pub name: &'static str,
    /// The first labels of AWS's host name for it (`api.ecr` for ECR).
    pub endpoint_prefix: &'static str,
    pub protocol: Protocol,
    /// One endpoint for all regions of a partition (IAM).
    pub global: bool,
}

pub const EC2: Service = Service {
    name: "ec2",
    endpoint_prefix: "ec2",
    protocol: Protocol::Query {
        version: "2016-11-15",
    },
    global: false,
};

pub const IAM: Service = Service {
    name: "iam",
    endpoint_prefix: "iam",
    protocol: Protocol::Query {
        version: "2010-05-08",
    },
    global: true,
};

pub const RDS: Service = Service {
    name: "rds",
    endpoint_prefix: "rds",
    protocol: Protocol::Query {
        version: "2014-10-31",
    },
    global: false,
};

pub const STS: Service = Service {
    name: "sts",
    endpoint_prefix: "sts",
    protocol: Protocol::Query {
        version: "2011-06-15",
    },
    global: false,
};

pub const ECR: Service = Service {
    name: "ecr",
    endpoint_prefix: "api.ecr",
    protocol: Protocol::Json {
        target_prefix: "AmazonEC2ContainerRegistry_V20150921",
        content_type: "application/x-amz-json-1.1",
    },
    global: false,
};

pub const SECRETS_MANAGER: Service = Service {
    name: "secretsmanager",
    endpoint_prefix: "secretsmanager",
    protocol: Protocol::Json {
        target_prefix: "secretsmanager",
        content_type: "application/x-amz-json-1.1",
    },
    global: false,
};

pub const DYNAMODB: Service = Service {
    name: "dynamodb",
    endpoint_prefix: "dynamodb",
    protocol: Protocol::Json {
        target_prefix: "DynamoDB_20120810",
        content_type: "application/x-amz-json-1.0",
    },
    global: false,
};

pub const S3: Service = Service {
    name: "s3",
    endpoint_prefix: "s3",
    protocol: Protocol::RestXml,
    global: false,
};

/// Where to send a service's requests and how to sign them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// `host` or `host:port` (no default port): the `Host` header, signed.
    pub authority: String,
    /// A path the endpoint's requests go under, without a trailing `/` (usually empty).
    pub base_path: String,
    /// The region in the signature's scope (`us-east-1` for IAM).
    pub signing_region: String,
}

impl Endpoint {
    /// The URL for an already percent-encoded path and query.
    pub fn url(&self, encoded_path: &str, encoded_query: &str) -> String {
        let mut url = format!(
            "{}://{}{}{}",
            self.scheme, self.authority, self.base_path, encoded_path
        );
        if !encoded_query.is_empty() {
            url.push('?');
            url.push_str(encoded_query);
        }
        url
    }

    /// `scheme://authority`, for messages.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.authority)
    }
}

/// Where every service of an environment is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    region: String,
    custom: Option<Endpoint>,
}

/// A region or `endpoint_url` that cannot be used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("`{0}` is not an AWS region name (lowercase letters, digits and `-`)")]
    Region(String),
    #[error("`endpoint_url` `{url}` {reason}")]
    Url { url: String, reason: &'static str },
}

impl Endpoints {
    pub fn new(region: &str, endpoint_url: Option<&str>) -> Result<Endpoints, EndpointError> {
        if region.is_empty()
            || !region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(EndpointError::Region(region.to_string()));
        }
        let custom = endpoint_url
            .map(|url| parse_endpoint_url(url, region))
            .transpose()?;
        Ok(Endpoints {
            region: region.to_string(),
            custom,
        })
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// Whether all services share an `endpoint_url`.
    pub fn is_custom(&self) -> bool {
        self.custom.is_some()
    }

    /// The endpoint of a service.
    pub fn of(&self, service: &Service) -> Endpoint {
        let partition = Partition::of(&self.region);
        let signing_region = if service.global {
            partition.global_region.to_string()
        } else {
            self.region.clone()
        };
        if let Some(custom) = &self.custom {
            return Endpoint {
                signing_region,
                ..custom.clone()
            };
        }
        let authority = if service.global {
            partition.global_host(service)
        } else {
            format!(
                "{}.{}.{}",
                service.endpoint_prefix, self.region, partition.dns_suffix
            )
        };
        Endpoint {
            scheme: "https",
            authority,
            base_path: String::new(),
            signing_region,
        }
    }

    /// The endpoint and (unencoded) path of an S3 object, or of a bucket when `key` is empty:
    /// virtual-hosted style (`bucket.s3.region.amazonaws.com/key`) on AWS for buckets whose name is
    /// a DNS label, path style (`endpoint/bucket/key`) otherwise and on an `endpoint_url`.
    pub fn s3_object(&self, bucket: &str, key: &str) -> (Endpoint, String) {
        let endpoint = self.of(&S3);
        let dns_label = !bucket.is_empty()
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if self.custom.is_none() && dns_label {
            let endpoint = Endpoint {
                authority: format!("{bucket}.{}", endpoint.authority),
                ..endpoint
            };
            (endpoint, format!("/{key}"))
        } else if key.is_empty() {
            (endpoint, format!("/{bucket}"))
        } else {
            (endpoint, format!("/{bucket}/{key}"))
        }
    }
}

/// The AWS partition a region is in: its DNS suffix and where its global services are.
struct Partition {
    dns_suffix: &'static str,
    global_region: &'static str,
    name: &'static str,
}

impl Partition {
    fn of(region: &str) -> Partition {
        if region.starts_with("cn-") {
            Partition {
                dns_suffix: "amazonaws.com.cn",
                global_region: "cn-north-1",
                name: "aws-cn",
            }
        } else if region.starts_with("us-gov-") {
            Partition {
                dns_suffix: "amazonaws.com",
                global_region: "us-gov-west-1",
                name: "aws-us-gov",
            }
        } else {
            Partition {
                dns_suffix: "amazonaws.com",
                global_region: "us-east-1",
                name: "aws",
            }
        }
    }

    fn global_host(&self, service: &Service) -> String {
        match self.name {
            "aws-cn" => format!(
                "{}.{}.{}",
                service.endpoint_prefix, self.global_region, self.dns_suffix
            ),
            "aws-us-gov" => format!("{}.us-gov.{}", service.endpoint_prefix, self.dns_suffix),
            _ => format!("{}.{}", service.endpoint_prefix, self.dns_suffix),
        }
    }
}

fn parse_endpoint_url(url: &str, region: &str) -> Result<Endpoint, EndpointError> {
    let error = |reason| EndpointError::Url {
        url: url.to_string(),
        reason,
    };
    let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
        ("https", rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        ("http", rest)
    } else {
        return Err(error("must start with `http://` or `https://`"));
    };
    if rest.contains(['?', '#']) {
        return Err(error("must not have a query or fragment"));
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], rest[at..].trim_end_matches('/')),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(error("must not contain credentials"));
    }
    if authority.is_empty() || authority.contains(char::is_whitespace) {
        return Err(error("has no host"));
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority
        .strip_suffix(default_port)
        .unwrap_or(authority)
        .to_ascii_lowercase();
    Ok(Endpoint {
        scheme,
        authority,
        base_path: path.to_string(),
        signing_region: region.to_string(),
    })
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin(), self.base_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_endpoints() {
        let endpoints = Endpoints::new("eu-west-1", None).unwrap();
        let url = |service| {
            let endpoint = endpoints.of(service);
            (endpoint.url("/", ""), endpoint.signing_region)
        };
        assert_eq!(
            url(&EC2),
            (
                "https://ec2.eu-west-1.amazonaws.com/".into(),
                "eu-west-1".into()
            )
        );
        assert_eq!(
            url(&IAM),
            ("https://iam.amazonaws.com/".into(), "us-east-1".into())
        );
        assert_eq!(
            url(&STS),
            (
                "https://sts.eu-west-1.amazonaws.com/".into(),
                "eu-west-1".into()
            )
        );
        assert_eq!(url(&ECR).0, "https://api.ecr.eu-west-1.amazonaws.com/");
        assert_eq!(
            url(&DYNAMODB).0,
            "https://dynamodb.eu-west-1.amazonaws.com/"
        );

        let (endpoint, path) = endpoints.s3_object("team-state", "prod/state.json");
        assert_eq!(
            endpoint.url(&path, ""),
            "https://team-state.s3.eu-west-1.amazonaws.com/prod/state.json"
        );
        let (endpoint, path) = endpoints.s3_object("dotted.bucket", "k");
        assert_eq!(
            endpoint.url(&path, ""),
            "https://s3.eu-west-1.amazonaws.com/dotted.bucket/k"
        );

        let china = Endpoints::new("cn-northwest-1", None).unwrap();
        assert_eq!(china.of(&IAM).authority, "iam.cn-north-1.amazonaws.com.cn");
        assert_eq!(
            china.of(&RDS).authority,
            "rds.cn-northwest-1.amazonaws.com.cn"
        );
        let gov = Endpoints::new("us-gov-east-1", None).unwrap();
        assert_eq!(gov.of(&IAM).authority, "iam.us-gov.amazonaws.com");
        assert_eq!(gov.of(&IAM).signing_region, "us-gov-west-1");
    }

    #[test]
    fn one_endpoint_url_for_all() {
        let endpoints = Endpoints::new("eu-west-1", Some("http://127.0.0.1:5000/")).unwrap();
        for service in [
            &EC2,
            &IAM,
            &RDS,
            &STS,
            &ECR,
            &SECRETS_MANAGER,
            &DYNAMODB,
            &S3,
        ] {
            assert_eq!(endpoints.of(service).url("/", ""), "http://127.0.0.1:5000/");
        }
        assert_eq!(endpoints.of(&IAM).signing_region, "us-east-1");
        let (endpoint, path) = endpoints.s3_object("b", "a/k");
        assert_eq!(
            endpoint.url(&path, "versionId=1"),
            "http://127.0.0.1:5000/b/a/k?versionId=1"
        );
        let prefixed = Endpoints::new("eu-west-1", Some("https://LocalHost:443/aws")).unwrap();
        assert_eq!(prefixed.of(&EC2).url("/", ""), "https://localhost/aws/");
    }

    #[test]
    fn refuses_bad_regions_and_urls() {
        assert!(Endpoints::new("eu-west-1.evil.com/x", None).is_err());
        assert!(Endpoints::new("", None).is_err());
        for bad in [
            "127.0.0.1:5000",
            "http://user:pw@host",
            "http://host/?a=b",
            "http://",
            "ftp://x",
        ] {
            assert!(Endpoints::new("eu-west-1", Some(bad)).is_err(), "{bad}");
        }
    }
}
