//! A small stub DNS client over UDP with TCP fallback, for resolution
//! against one server. Every hickory type of the reference stays in this
//! module (hickory's API changes between minor versions).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};

/// How a query ended, when it did not end in an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsError {
    /// No answer before the timeout.
    Timeout,
    /// The server's answer could not be decoded, or answered another query.
    Malformed(String),
    Io(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rcode {
    NoError,
    NxDomain,
    ServFail,
    Refused,
    Other(u16),
}

/// One resource record of an answer section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rr {
    /// Lowercase, no trailing dot.
    pub owner: String,
    pub rtype: u16,
    /// Raw RDATA for the types the client does not know (MIMI, MIMIX).
    pub rdata: Vec<u8>,
    /// The target of a CNAME.
    pub cname: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub rcode: Rcode,
    pub answers: Vec<Rr>,
    /// The answer came over TCP after a truncated UDP answer.
    pub via_tcp: bool,
}

pub struct Client {
    pub server: SocketAddr,
    pub timeout: Duration,
}

fn normalize(name: &Name) -> String {
    name.to_ascii().trim_end_matches('.').to_ascii_lowercase()
}

impl Client {
    /// Asks `name` for `rtype` over UDP; a truncated answer is asked again
    /// over TCP.
    pub fn query(&self, name: &str, rtype: u16) -> Result<Response, DnsError> {
        let mut qname = Name::from_ascii(name).map_err(|e| DnsError::Malformed(e.to_string()))?;
        qname.set_fqdn(true);
        let mut msg = Message::new(query_id(), MessageType::Query, OpCode::Query);
        msg.metadata.recursion_desired = true;
        msg.add_query(Query::query(qname, RecordType::from(rtype)));
        let bytes = msg
            .to_vec()
            .map_err(|e| DnsError::Malformed(e.to_string()))?;
        let id = msg.metadata.id;
        let answer = self.udp(&bytes, id)?;
        if answer.metadata.truncation {
            let answer = self.tcp(&bytes, id)?;
            return Ok(convert(&answer, true));
        }
        Ok(convert(&answer, false))
    }

    fn udp(&self, query: &[u8], id: u16) -> Result<Message, DnsError> {
        let io = |e: std::io::Error| DnsError::Io(e.to_string());
        let local: SocketAddr = if self.server.is_ipv4() {
            "0.0.0.0:0"
        } else {
            "[::]:0"
        }
        .parse()
        .expect("a literal address");
        let socket = UdpSocket::bind(local).map_err(io)?;
        socket.connect(self.server).map_err(io)?;
        socket.send(query).map_err(io)?;
        let deadline = Instant::now() + self.timeout;
        let mut buf = [0u8; 65535];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(DnsError::Timeout);
            }
            socket.set_read_timeout(Some(left)).map_err(io)?;
            let n = match socket.recv(&mut buf) {
                Ok(n) => n,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(DnsError::Timeout);
                }
                Err(e) => return Err(io(e)),
            };
            // A datagram with another id is not our answer: keep waiting.
            // One with our id that does not decode is a broken answer.
            if n < 2 || u16::from_be_bytes([buf[0], buf[1]]) != id {
                continue;
            }
            match Message::from_vec(&buf[..n]) {
                Ok(m) if m.metadata.message_type == MessageType::Response => return Ok(m),
                Ok(_) => continue,
                Err(e) => return Err(DnsError::Malformed(e.to_string())),
            }
        }
    }

    fn tcp(&self, query: &[u8], id: u16) -> Result<Message, DnsError> {
        let io = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => DnsError::Timeout,
            _ => DnsError::Io(e.to_string()),
        };
        let mut stream = TcpStream::connect_timeout(&self.server, self.timeout).map_err(io)?;
        stream.set_read_timeout(Some(self.timeout)).map_err(io)?;
        stream.set_write_timeout(Some(self.timeout)).map_err(io)?;
        let len =
            u16::try_from(query.len()).map_err(|_| DnsError::Malformed("query too long".into()))?;
        stream.write_all(&len.to_be_bytes()).map_err(io)?;
        stream.write_all(query).map_err(io)?;
        let mut len = [0u8; 2];
        stream.read_exact(&mut len).map_err(io)?;
        let mut buf = vec![0u8; u16::from_be_bytes(len) as usize];
        stream.read_exact(&mut buf).map_err(io)?;
        let m = Message::from_vec(&buf).map_err(|e| DnsError::Malformed(e.to_string()))?;
        if m.metadata.id != id {
            return Err(DnsError::Malformed("the TCP answer has another id".into()));
        }
        Ok(m)
    }
}

fn convert(m: &Message, via_tcp: bool) -> Response {
    let rcode = match m.metadata.response_code {
        ResponseCode::NoError => Rcode::NoError,
        ResponseCode::NXDomain => Rcode::NxDomain,
        ResponseCode::ServFail => Rcode::ServFail,
        ResponseCode::Refused => Rcode::Refused,
        other => Rcode::Other(u16::from(other)),
    };
    let answers = m
        .answers
        .iter()
        .map(|r| {
            let (rdata, cname) = match &r.data {
                RData::CNAME(t) => (Vec::new(), Some(normalize(&t.0))),
                RData::Unknown { rdata, .. } => (rdata.anything.clone(), None),
                _ => (Vec::new(), None),
            };
            Rr {
                owner: normalize(&r.name),
                rtype: u16::from(r.record_type()),
                rdata,
                cname,
            }
        })
        .collect();
    Response {
        rcode,
        answers,
        via_tcp,
    }
}

/// Query ids need not be secret here (one loopback server), only varied.
fn query_id() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let seed = (std::process::id() as u16).wrapping_mul(31);
    seed.wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed))
}
