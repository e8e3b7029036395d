//! A loopback HTTP/1.1 proxy in front of moto that answers some requests itself — an error
//! status, a throttling answer, a dropped connection — on a schedule the test chooses, and counts
//! what it did. It exists to prove idp's retries and idempotency against the real wire protocol.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// One request the proxy received.
pub struct Request {
    /// The JSON protocol's `X-Amz-Target` (`AmazonEC2ContainerRegistry_V20150921.CreateRepository`).
    pub target: Option<String>,
    pub body: Vec<u8>,
}

impl Request {
    /// Returns the AWS action: the `X-Amz-Target` suffix, or the query protocol's `Action=`.
    pub fn action(&self) -> String {
        if let Some(target) = &self.target {
            return target.rsplit('.').next().unwrap_or_default().to_string();
        }
        String::from_utf8_lossy(&self.body)
            .split('&')
            .find_map(|pair| pair.strip_prefix("Action="))
            .unwrap_or_default()
            .to_string()
    }

    /// Returns whether the request speaks the JSON protocol (errors answered in JSON).
    pub fn is_json(&self) -> bool {
        self.target.is_some()
    }
}

/// What the proxy does with one request.
pub enum Fault {
    /// Passes it to moto and its answer back.
    Forward,
    /// Answers it without asking moto.
    Answer {
        status: u16,
        content_type: &'static str,
        body: String,
    },
    /// Closes the connection without an answer; moto never sees the request.
    Drop,
    /// Passes it to moto, then closes the connection without moto's answer: the call took effect
    /// but the client cannot know.
    Lose,
}

impl Fault {
    /// Returns an HTTP 500 in the request's protocol.
    pub fn internal_error(request: &Request) -> Fault {
        error(request, 500, "InternalFailure", "injected failure")
    }

    /// Returns an HTTP 429 "slow down" in the request's protocol.
    pub fn throttling(request: &Request) -> Fault {
        if request.is_json() {
            error(request, 429, "ThrottlingException", "slow down")
        } else {
            error(request, 429, "Throttling", "slow down")
        }
    }
}

/// Returns an error answer with AWS's code and message in the request's protocol.
pub fn error(request: &Request, status: u16, code: &str, message: &str) -> Fault {
    if request.is_json() {
        Fault::Answer {
            status,
            content_type: "application/x-amz-json-1.1",
            body: serde_json::json!({ "__type": code, "message": message }).to_string(),
        }
    } else {
        Fault::Answer {
            status,
            content_type: "text/xml",
            body: format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
                 <Message>{message}</Message></Error><RequestId>fault-proxy</RequestId>\
                 </ErrorResponse>"
            ),
        }
    }
}

type Schedule = dyn Fn(&Request) -> Fault + Send + Sync;

/// The running proxy; stops accepting when dropped.
pub struct FaultProxy {
    pub port: u16,
    requests: Arc<AtomicUsize>,
    faults: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl FaultProxy {
    /// Starts a proxy to `127.0.0.1:upstream` that asks `schedule` what to do with each request.
    pub fn start(
        upstream: u16,
        schedule: impl Fn(&Request) -> Fault + Send + Sync + 'static,
    ) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let faults = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let schedule: Arc<Schedule> = Arc::new(schedule);
        {
            let (requests, faults, stop) = (requests.clone(), faults.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (requests, faults, schedule) =
                        (requests.clone(), faults.clone(), schedule.clone());
                    std::thread::spawn(move || {
                        let _ = serve(stream, upstream, &requests, &faults, &*schedule);
                    });
                }
            });
        }
        FaultProxy {
            port,
            requests,
            faults,
            stop,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Returns how many requests the proxy has read.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Returns how many requests the proxy answered itself or dropped.
    pub fn faults(&self) -> usize {
        self.faults.load(Ordering::SeqCst)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees `stop`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Serves one connection: one request, then `Connection: close`.
fn serve(
    client: TcpStream,
    upstream: u16,
    requests: &AtomicUsize,
    faults: &AtomicUsize,
    schedule: &Schedule,
) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(client.try_clone()?);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(());
    }
    let mut headers = Vec::new();
    let mut length = 0;
    let mut target = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end().to_string();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((&line, ""));
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_string());
        match name.as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "x-amz-target" => target = Some(value.clone()),
            "connection" => continue,
            _ => {}
        }
        headers.push(line);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    requests.fetch_add(1, Ordering::SeqCst);
    let request = Request { target, body };
    let mut client = client;
    match schedule(&request) {
        fault @ (Fault::Forward | Fault::Lose) => {
            let mut moto = TcpStream::connect(("127.0.0.1", upstream))?;
            let mut head = request_line;
            for header in &headers {
                head.push_str(header);
                head.push_str("\r\n");
            }
            head.push_str("Connection: close\r\n\r\n");
            moto.write_all(head.as_bytes())?;
            moto.write_all(&request.body)?;
            let mut answer = Vec::new();
            moto.read_to_end(&mut answer)?;
            if matches!(fault, Fault::Lose) {
                faults.fetch_add(1, Ordering::SeqCst);
            } else {
                client.write_all(&close_after(&answer))?;
            }
        }
        Fault::Answer {
            status,
            content_type,
            body,
        } => {
            faults.fetch_add(1, Ordering::SeqCst);
            write!(
                client,
                "HTTP/1.1 {status} Injected\r\nContent-Type: {content_type}\r\n\
                 Content-Length: {}\r\nx-amzn-RequestId: fault-proxy\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            )?;
        }
        Fault::Drop => {
            faults.fetch_add(1, Ordering::SeqCst);
        }
    }
    client.flush()?;
    client.shutdown(Shutdown::Both)
}

/// Returns moto's answer with its `Connection` header replaced by `Connection: close`, so the
/// client does not keep a connection this proxy is about to close.
fn close_after(answer: &[u8]) -> Vec<u8> {
    let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return answer.to_vec();
    };
    let head = String::from_utf8_lossy(&answer[..end]);
    let mut out = String::new();
    for line in head.split("\r\n") {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&answer[end + 4..]);
    bytes
}
