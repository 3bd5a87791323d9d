//! The mock oracle of mimi-discovery §5.1.2. The draft leaves the oracle's
//! protocol open, so the suite defines a minimal one (PROTOCOL.md):
//! `GET /lookup?id=<percent-encoded identifier>` answers 200 with
//! `{"records": ["v=MIMI1; ..."]}`, or 404 with `{"records": []}`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Query, QueryLog};

pub struct Oracle {
    pub url: String,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Oracle {
    pub fn start(
        entries: BTreeMap<String, Vec<String>>,
        log: Arc<Mutex<QueryLog>>,
    ) -> Result<Oracle, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    return;
                }
                if let Ok(stream) = conn {
                    serve(stream, &entries, &log);
                }
            }
        });
        Ok(Oracle {
            url: format!("http://{addr}/lookup"),
            addr,
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(mut stream: TcpStream, entries: &BTreeMap<String, Vec<String>>, log: &Mutex<QueryLog>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 8192 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf);
    let target = head
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("GET "))
        .and_then(|l| l.split(' ').next());
    let id = target
        .and_then(|t| t.strip_prefix("/lookup?id="))
        .and_then(percent_decode);
    let (status, records) = match &id {
        Some(id) => {
            if let Ok(mut log) = log.lock() {
                log.push(Query {
                    name: id.clone(),
                    rtype: "ORACLE".into(),
                    transport: "http",
                });
            }
            match entries.get(id) {
                Some(r) => ("200 OK", r.clone()),
                None => ("404 Not Found", Vec::new()),
            }
        }
        None => ("400 Bad Request", Vec::new()),
    };
    let body = serde_json::json!({ "records": records }).to_string();
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
