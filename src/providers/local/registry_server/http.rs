//! The little HTTP the registry needs: one GET per connection, with Basic authentication, over
//! plain HTTP/1.1 on loopback. Not worth an HTTP client crate.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use base64::Engine as _;

/// An HTTP response: its status and body.
pub(super) struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Sends `GET path` on a new connection, with Basic authentication when a credential is given,
/// and reads the whole response.
pub(super) fn get(
    address: SocketAddr,
    path: &str,
    credential: Option<(&str, &str)>,
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut request = format!(
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nUser-Agent: idp\r\nAccept: application/json\r\nConnection: close\r\n"
    );
    if let Some((user, password)) = credential {
        request.push_str(&format!(
            "Authorization: Basic {}\r\n",
            basic_token(user, password)
        ));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

/// Returns the Basic authentication token of a credential, as also found in a Docker `auth.json`.
pub(super) fn basic_token(user: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

fn parse_response(raw: &[u8]) -> std::io::Result<Response> {
    let malformed = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("malformed HTTP response: {what}"),
        )
    };
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| malformed("no end of headers"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| malformed("headers are not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| malformed("no status"))?;
    let (mut chunked, mut length) = (false, None);
    for (name, value) in lines.filter_map(|line| line.split_once(':')) {
        if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.trim().eq_ignore_ascii_case("chunked");
        } else if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let rest = &raw[end + 4..];
    let body = if chunked {
        dechunk(rest).ok_or_else(|| malformed("bad chunked body"))?
    } else {
        rest[..length.unwrap_or(rest.len()).min(rest.len())].to_vec()
    };
    Ok(Response { status, body })
}

/// Decodes a chunked body (RFC 9112 §7.1), ignoring chunk extensions and trailers.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_are_read_with_a_length_or_in_chunks() {
        let plain = parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}extra").unwrap();
        assert_eq!((plain.status, plain.body.as_slice()), (200, &b"{}"[..]));
        let unauthorized = parse_response(b"HTTP/1.1 401 Unauthorized\r\n\r\n").unwrap();
        assert_eq!((unauthorized.status, unauthorized.body.len()), (401, 0));
        let chunked = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(chunked.body, b"{\"a\":1}");
    }

    #[test]
    fn malformed_responses_are_errors() {
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
        assert!(parse_response(b"garbage\r\n\r\n").is_err());
        assert!(
            parse_response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nshort")
                .is_err()
        );
    }

    #[test]
    fn the_basic_token_is_user_colon_password_in_base64() {
        assert_eq!(
            basic_token("aladdin", "opensesame"),
            "YWxhZGRpbjpvcGVuc2VzYW1l"
        );
    }
}
