//! A scripted HTTP server on a free 127.0.0.1 port for the client's retry tests: each connection
//! gets the next scripted reply (an error status, a dropped connection, silence) and, when the
//! script runs out, a default: forwarding to an upstream (moto) or a fixed answer. Each answer
//! closes its connection. Stopped on drop.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What to do with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answer with this status, content type and body.
    Answer(u16, &'static str, String),
    /// Close the connection without answering.
    Drop,
    /// Say nothing for this long, then close.
    Hang(Duration),
    /// Pass the request to the upstream and its answer back.
    Forward,
}

/// One request as the stub saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub request_line: String,
    /// Names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Shared {
    script: Mutex<VecDeque<Reply>>,
    fallback: Reply,
    upstream: Option<SocketAddr>,
    seen: Mutex<Vec<Seen>>,
    stop: AtomicBool,
}

pub struct Stub {
    address: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl Stub {
    /// Starts a stub answering `script` in order, then `fallback`; `upstream` is where
    /// [`Reply::Forward`] sends requests.
    pub fn start(script: Vec<Reply>, fallback: Reply, upstream: Option<u16>) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port for the stub");
        let address = listener.local_addr().expect("the stub's address");
        let shared = Arc::new(Shared {
            script: Mutex::new(script.into()),
            fallback,
            upstream: upstream.map(|port| SocketAddr::from(([127, 0, 0, 1], port))),
            seen: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let acceptor_shared = Arc::clone(&shared);
        let acceptor = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if acceptor_shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&acceptor_shared);
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        Stub {
            address,
            shared,
            acceptor: Some(acceptor),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor so it sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((raw, seen)) = read_request(&mut stream) else {
        return;
    };
    shared.seen.lock().unwrap().push(seen);
    let reply = shared
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| shared.fallback.clone());
    match reply {
        Reply::Answer(status, content_type, body) => {
            let answer = format!(
                "HTTP/1.1 {status} Stub\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
        Reply::Drop => {}
        Reply::Hang(duration) => std::thread::sleep(duration),
        Reply::Forward => {
            let upstream = shared
                .upstream
                .expect("a stub that forwards has an upstream");
            if let Ok(mut upstream) = TcpStream::connect(upstream) {
                let _ = upstream.set_read_timeout(Some(Duration::from_secs(30)));
                let _ = upstream.write_all(&raw);
                let mut answer = Vec::new();
                let _ = upstream.read_to_end(&mut answer);
                let _ = stream.write_all(&answer);
            }
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Reads one request (headers and a `content-length` body); returns it rewritten to close its
/// connection, for forwarding, and as seen.
fn read_request(stream: &mut TcpStream) -> Option<(Vec<u8>, Seen)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        if let Some(at) = find(&buffer, b"\r\n\r\n") {
            break at;
        }
        let read = stream.read(&mut chunk).ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    let mut raw = format!("{request_line}\r\n");
    for (name, value) in &headers {
        if name != "connection" {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    raw.push_str("connection: close\r\n\r\n");
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(&body);
    Some((
        raw,
        Seen {
            request_line,
            headers,
            body,
        },
    ))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
