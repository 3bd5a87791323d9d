//! The mock DNS zone: hickory-server on 127.0.0.1, UDP and TCP on one port
//! the OS chooses, serving what a case declares and recording every query.
//! Every hickory type of the harness stays in this module (its API changes
//! between minor versions; it is pinned with `=`).

mod oracle;
pub mod present;
mod zone;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use hickory_server::Server;
use hickory_server::net::runtime::Time;
use hickory_server::net::xfer::Protocol;
use hickory_server::proto::op::{Header, HeaderCounts, MessageType, Metadata, ResponseCode};
use hickory_server::proto::rr::rdata::{CNAME, NS, NULL, SOA, TXT};
use hickory_server::proto::rr::{Name, RData, Record, RecordType};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::zone_handler::MessageResponseBuilder;

pub use oracle::Oracle;
pub use zone::{
    Fault, FaultKind, Query, QueryChecks, QueryLog, QueryPattern, RecordSpec, Zone, normalize,
};

/// Type codes for MIMI and MIMIX: neither has an IANA code, so they come
/// from the private-use range 65280-65534 (RFC 6895 §3.1), overridable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeCodes {
    pub mimi: u16,
    pub mimix: u16,
}

impl Default for TypeCodes {
    fn default() -> Self {
        TypeCodes {
            mimi: 65280,
            mimix: 65281,
        }
    }
}

/// How long a client should wait for one DNS answer; a `drop` fault must
/// end in a timeout well inside the harness's per-case timeout.
pub const CLIENT_TIMEOUT: Duration = Duration::from_millis(400);

/// The client timeout of a zone whose faults leave a query unanswered
/// (drop, wrong-id, not-response): the expected outcome is the timeout
/// itself, so waiting longer tests nothing. Such a zone's other queries
/// must not be needed for the case's result (vectors/SCHEMA.md).
pub const FAULT_CLIENT_TIMEOUT: Duration = Duration::from_millis(50);

/// The client timeout the harness gives a case with this zone.
pub fn client_timeout(zone: &Zone) -> Duration {
    if zone.faults.iter().any(|f| f.fault.unanswered()) {
        FAULT_CLIENT_TIMEOUT
    } else {
        CLIENT_TIMEOUT
    }
}

const TTL: u32 = 300;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("mimispec-dns")
            .enable_all()
            .build()
            .expect("a tokio runtime starts")
    })
}

/// Checks that a zone can be served (type names, names, data).
pub fn check_zone(zone: &Zone) -> Result<(), String> {
    build_records(zone, TypeCodes::default()).map(|_| ())
}

/// The members the harness adds to a resolve case's input: where the mock
/// zone listens, the type codes, and the oracle's address.
pub fn inject(input: &serde_json::Value, dns: &MockDns, types: TypeCodes) -> serde_json::Value {
    inject_at(
        input,
        dns.addr,
        dns.oracle.as_ref().map(|o| o.url.as_str()),
        types,
        dns.client_timeout,
    )
}

/// [`inject`] for a zone at `addr`, running or not (the loader checks a
/// vector's input with the members it will carry).
pub fn inject_at(
    input: &serde_json::Value,
    addr: SocketAddr,
    oracle: Option<&str>,
    types: TypeCodes,
    timeout: Duration,
) -> serde_json::Value {
    let mut input = input.clone();
    if let serde_json::Value::Object(map) = &mut input {
        map.insert(
            "dns".into(),
            serde_json::json!({
                "server": addr.to_string(),
                "mimi_type": types.mimi,
                "mimix_type": types.mimix,
                "timeout_ms": timeout.as_millis() as u64,
            }),
        );
        if let Some(url) = oracle {
            map.insert("oracle".into(), serde_json::Value::String(url.to_owned()));
        }
    }
    input
}

/// A running mock zone; stops when dropped.
pub struct MockDns {
    pub addr: SocketAddr,
    log: Arc<Mutex<QueryLog>>,
    server: Option<Server<ZoneHandler>>,
    /// An unreachable zone's port, held so that no one else takes it.
    _closed: Option<(std::net::UdpSocket, tokio::net::TcpSocket)>,
    pub oracle: Option<Oracle>,
    /// What the harness tells the client to wait for each answer.
    pub client_timeout: Duration,
}

impl MockDns {
    pub fn start(zone: &Zone, types: TypeCodes) -> Result<MockDns, String> {
        let records = build_records(zone, types)?;
        let log = Arc::new(Mutex::new(QueryLog::default()));
        if zone.unreachable {
            let (udp, tcp) = closed_pair()?;
            return Ok(MockDns {
                addr: udp.local_addr().map_err(|e| e.to_string())?,
                log,
                server: None,
                _closed: Some((udp, tcp)),
                oracle: None,
                client_timeout: client_timeout(zone),
            });
        }
        let handler = ZoneHandler {
            records,
            faults: zone.faults.clone(),
            types,
            log: Arc::clone(&log),
        };
        let rt = runtime();
        let _guard = rt.enter();
        let (udp, tcp) = bind_pair()?;
        let addr = udp.local_addr().map_err(|e| e.to_string())?;
        let udp = tokio::net::UdpSocket::from_std(udp).map_err(|e| e.to_string())?;
        let tcp = tokio::net::TcpListener::from_std(tcp).map_err(|e| e.to_string())?;
        let mut server = Server::new(handler);
        server.register_socket(udp);
        server.register_listener(tcp, Duration::from_secs(5), 64 * 1024);
        let oracle = match &zone.oracle {
            Some(entries) => Some(Oracle::start(entries.clone(), Arc::clone(&log))?),
            None => None,
        };
        Ok(MockDns {
            addr,
            log,
            server: Some(server),
            _closed: None,
            oracle,
            client_timeout: client_timeout(zone),
        })
    }

    /// The queries received so far and kept, in order.
    pub fn queries(&self) -> Vec<Query> {
        self.log.lock().map(|l| l.kept()).unwrap_or_default()
    }

    /// How many queries were received and not kept (past [`QueryLog::CAP`]).
    pub fn dropped(&self) -> u64 {
        self.log.lock().map(|l| l.dropped()).unwrap_or_default()
    }

    /// The queries after the first `from`, how many of those were dropped,
    /// and how many were received in all.
    pub fn since(&self, from: u64) -> (Vec<Query>, u64, u64) {
        self.log
            .lock()
            .map(|l| {
                let (q, lost) = l.since(from);
                (q, lost, l.seen())
            })
            .unwrap_or_default()
    }
}

impl Drop for MockDns {
    fn drop(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = runtime().block_on(async move { server.shutdown_gracefully().await });
        }
    }
}

/// A UDP socket and a TCP listener on the same loopback port.
fn bind_pair() -> Result<(std::net::UdpSocket, std::net::TcpListener), String> {
    let (udp, tcp) = on_one_port(
        |_| Ok(()),
        |port| std::net::TcpListener::bind(("127.0.0.1", port)),
    )?;
    udp.set_nonblocking(true).map_err(|e| e.to_string())?;
    tcp.set_nonblocking(true).map_err(|e| e.to_string())?;
    Ok((udp, tcp))
}

/// A loopback port where nothing answers, held: the UDP socket is
/// connected to another port, so the kernel delivers no client datagram to
/// it and answers ICMP port unreachable (Linux matches a connected socket
/// only to its peer); the TCP socket is bound and never listens, so a
/// connection is reset.
fn closed_pair() -> Result<(std::net::UdpSocket, tokio::net::TcpSocket), String> {
    on_one_port(
        // The discard port: no client sends from it.
        |udp| udp.connect("127.0.0.1:9"),
        |port| {
            let tcp = tokio::net::TcpSocket::new_v4()?;
            tcp.bind(std::net::SocketAddr::from(([127, 0, 0, 1], port)))?;
            Ok(tcp)
        },
    )
}

/// A UDP socket on a port the OS chooses, set up by `udp`, and a TCP socket
/// `tcp` binds to the same port; retried while TCP finds the port taken.
fn on_one_port<T>(
    udp: impl Fn(&std::net::UdpSocket) -> std::io::Result<()>,
    tcp: impl Fn(u16) -> std::io::Result<T>,
) -> Result<(std::net::UdpSocket, T), String> {
    let mut last = String::new();
    for _ in 0..20 {
        let u = std::net::UdpSocket::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let port = u.local_addr().map_err(|e| e.to_string())?.port();
        udp(&u).map_err(|e| e.to_string())?;
        match tcp(port) {
            Ok(t) => return Ok((u, t)),
            Err(e) => last = e.to_string(),
        }
    }
    Err(format!(
        "no loopback port free for both UDP and TCP: {last}"
    ))
}

fn type_code(name: &str, types: TypeCodes) -> Result<u16, String> {
    match name.to_ascii_uppercase().as_str() {
        "MIMI" => Ok(types.mimi),
        "MIMIX" => Ok(types.mimix),
        "CNAME" => Ok(5),
        "TXT" => Ok(16),
        "A" => Ok(1),
        "SOA" => Ok(6),
        "NS" => Ok(2),
        other => other
            .strip_prefix("TYPE")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| {
                format!("unknown record type {name:?} (MIMI, MIMIX, CNAME, TXT, A or TYPEnnn)")
            }),
    }
}

/// The name of a type code as vectors write it.
pub fn type_name(code: u16, types: TypeCodes) -> String {
    match code {
        c if c == types.mimi => "MIMI".into(),
        c if c == types.mimix => "MIMIX".into(),
        other => match RecordType::from(other) {
            RecordType::Unknown(n) => format!("TYPE{n}"),
            known => known.to_string(),
        },
    }
}

fn fqdn(name: &str) -> Result<Name, String> {
    let mut n = Name::from_ascii(name).map_err(|e| format!("{name:?}: {e}"))?;
    n.set_fqdn(true);
    Ok(n)
}

/// A domain name in uncompressed wire form (RFC 3597: unknown types carry
/// no compression pointers).
fn wire_name(name: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for label in name
        .trim_end_matches('.')
        .split('.')
        .filter(|l| !l.is_empty())
    {
        let len = u8::try_from(label.len())
            .ok()
            .filter(|&l| l <= 63)
            .ok_or_else(|| format!("label {label:?} is too long"))?;
        out.push(len);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    Ok(out)
}

/// Raw RDATA; hickory's `NULL::with` refuses empty data.
fn null(bytes: Vec<u8>) -> NULL {
    if bytes.is_empty() {
        NULL::new()
    } else {
        NULL::with(bytes)
    }
}

/// Character-strings: each a length octet and up to 255 octets.
fn character_strings(strings: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in strings {
        out.push(s.len().min(255) as u8);
        out.extend_from_slice(&s[..s.len().min(255)]);
    }
    out
}

fn hex(s: &str) -> Result<Vec<u8>, String> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !s.len().is_multiple_of(2) {
        return Err(format!("rdata_hex {s:?} has an odd number of digits"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| format!("rdata_hex: {e}")))
        .collect()
}

fn build_records(zone: &Zone, types: TypeCodes) -> Result<Vec<Record>, String> {
    if zone.unreachable
        && (!zone.records.is_empty() || !zone.faults.is_empty() || zone.oracle.is_some())
    {
        return Err(
            "an unreachable zone serves nothing: it has no records, faults or oracle".into(),
        );
    }
    let mut out = Vec::new();
    for spec in &zone.records {
        let code = type_code(&spec.rtype, types)?;
        for i in 1..=spec.count.unwrap_or(1) {
            let data = spec.data.as_ref().map(|d| d.replace("{i}", &i.to_string()));
            let name = fqdn(&spec.name)?;
            let rdata = if let Some(h) = &spec.rdata_hex {
                RData::Unknown {
                    code: RecordType::from(code),
                    rdata: null(hex(h)?),
                }
            } else if code == 5 {
                RData::CNAME(CNAME(fqdn(data.as_deref().ok_or("a CNAME needs data")?)?))
            } else if code == 16 {
                let strings: Vec<String> = match (&spec.strings, &data) {
                    (Some(s), _) => s.clone(),
                    (None, Some(d)) => chunks(d.as_bytes())
                        .into_iter()
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect(),
                    _ => return Err("a TXT record needs data or strings".into()),
                };
                RData::TXT(TXT::new(strings))
            } else if code == types.mimix {
                RData::Unknown {
                    code: RecordType::from(code),
                    rdata: null(wire_name(
                        data.as_deref().ok_or("a MIMIX record needs data")?,
                    )?),
                }
            } else if code == types.mimi {
                let bytes = match (&spec.strings, &data) {
                    (Some(s), _) => {
                        character_strings(&s.iter().map(|x| x.as_bytes()).collect::<Vec<_>>())
                    }
                    (None, Some(d)) => character_strings(&chunks(d.as_bytes())),
                    _ => return Err("a MIMI record needs data or strings".into()),
                };
                RData::Unknown {
                    code: RecordType::from(code),
                    rdata: null(bytes),
                }
            } else {
                return Err(format!("type {} needs rdata_hex", spec.rtype));
            };
            out.push(Record::from_rdata(name, TTL, rdata));
        }
    }
    Ok(out)
}

/// Text cut into character-strings of at most 255 octets (one empty
/// string for empty text).
fn chunks(b: &[u8]) -> Vec<&[u8]> {
    if b.is_empty() {
        vec![b]
    } else {
        b.chunks(255).collect()
    }
}

struct ZoneHandler {
    records: Vec<Record>,
    faults: Vec<Fault>,
    types: TypeCodes,
    log: Arc<Mutex<QueryLog>>,
}

/// What the zone says to one question.
struct Lookup {
    code: ResponseCode,
    answers: Vec<Record>,
    authority: Vec<Record>,
    /// The name the answer is for, at the end of any CNAME chain.
    name: String,
}

impl ZoneHandler {
    fn owner(r: &Record) -> String {
        normalize(&r.name.to_ascii())
    }

    fn fault(&self, name: &str, rtype: u16) -> Option<FaultKind> {
        self.faults
            .iter()
            .find(|f| {
                normalize(&f.name) == name
                    && f.rtype
                        .as_ref()
                        .is_none_or(|t| type_code(t, self.types).is_ok_and(|c| c == rtype))
            })
            .map(|f| f.fault)
    }

    /// The apex whose SOA signs negative answers: the last two labels.
    fn apex(name: &str) -> String {
        let labels: Vec<&str> = name.split('.').collect();
        labels[labels.len().saturating_sub(2)..].join(".")
    }

    fn soa(&self, apex: &str) -> Option<Record> {
        let soa = SOA::new(
            fqdn("ns.mock.invalid").ok()?,
            fqdn("hostmaster.mock.invalid").ok()?,
            1,
            3600,
            600,
            86400,
            60,
        );
        Some(Record::from_rdata(fqdn(apex).ok()?, 60, RData::SOA(soa)))
    }

    fn exists(&self, name: &str) -> bool {
        let suffix = format!(".{name}");
        self.records.iter().any(|r| {
            let o = Self::owner(r);
            o == name || o.ends_with(&suffix)
        }) || Self::apex(name) == name
    }

    fn lookup(&self, qname: &str, qtype: u16) -> Lookup {
        let mut answers = Vec::new();
        let mut current = qname.to_owned();
        // CNAME chains are followed inside the zone, loops cut after 16.
        for _ in 0..16 {
            let here: Vec<&Record> = self
                .records
                .iter()
                .filter(|r| Self::owner(r) == current)
                .collect();
            let cname = here.iter().find(|r| r.record_type() == RecordType::CNAME);
            match cname {
                Some(c) if qtype != 5 => {
                    answers.push((*c).clone());
                    match &c.data {
                        RData::CNAME(t) => current = normalize(&t.0.to_ascii()),
                        _ => break,
                    }
                }
                _ => {
                    answers.extend(
                        here.iter()
                            .filter(|r| u16::from(r.record_type()) == qtype)
                            .map(|r| (*r).clone()),
                    );
                    break;
                }
            }
        }
        let apex = Self::apex(&current);
        if qtype == 6 && current == apex {
            answers.extend(self.soa(&apex));
        } else if qtype == 2
            && current == apex
            && let Ok(ns) = fqdn("ns.mock.invalid")
            && let Ok(owner) = fqdn(&apex)
        {
            answers.push(Record::from_rdata(owner, TTL, RData::NS(NS(ns))));
        }
        let code = if answers.is_empty() && !self.exists(&current) {
            ResponseCode::NXDomain
        } else {
            ResponseCode::NoError
        };
        let authority = if answers.is_empty() {
            self.soa(&apex).into_iter().collect()
        } else {
            Vec::new()
        };
        Lookup {
            code,
            answers,
            authority,
            name: current,
        }
    }

    /// The zone's records that answer another question than (`l.name`,
    /// `qtype`) and are not on its CNAME chain.
    fn unrelated(&self, l: &Lookup, qtype: u16) -> Vec<Record> {
        self.records
            .iter()
            .filter(|r| !l.answers.contains(r))
            .filter(|r| {
                let (owner, t) = (Self::owner(r), u16::from(r.record_type()));
                let chain = l.answers.iter().any(|a| Self::owner(a) == owner);
                (t == qtype && !chain) || (owner == l.name && t != qtype && t != 5)
            })
            .cloned()
            .collect()
    }
}

fn no_response(request: &Request) -> ResponseInfo {
    ResponseInfo::from(Header {
        metadata: Metadata::response_from_request(&request.metadata),
        counts: HeaderCounts::default(),
    })
}

#[async_trait::async_trait]
impl RequestHandler for ZoneHandler {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response: R,
    ) -> ResponseInfo {
        let Ok(info) = request.request_info() else {
            return no_response(request);
        };
        // Display would print U-labels; the zone holds A-labels.
        let qname = normalize(&Name::from(info.query.name().clone()).to_ascii());
        let qtype = u16::from(info.query.query_type());
        let transport = if info.protocol == Protocol::Tcp {
            "tcp"
        } else {
            "udp"
        };
        if let Ok(mut log) = self.log.lock() {
            log.push(Query {
                name: qname.clone(),
                rtype: type_name(qtype, self.types),
                transport,
            });
        }
        let builder = MessageResponseBuilder::from_message_request(request);
        let mut meta = Metadata::response_from_request(&request.metadata);
        meta.authoritative = true;
        let sent = match self.fault(&qname, qtype) {
            Some(FaultKind::Drop) => return no_response(request),
            Some(FaultKind::Servfail) => {
                response
                    .send_response(builder.error_msg(&request.metadata, ResponseCode::ServFail))
                    .await
            }
            Some(FaultKind::Refused) => {
                response
                    .send_response(builder.error_msg(&request.metadata, ResponseCode::Refused))
                    .await
            }
            Some(FaultKind::Nxdomain) => {
                meta.response_code = ResponseCode::NXDomain;
                let soa: Vec<Record> = self.soa(&Self::apex(&qname)).into_iter().collect();
                response
                    .send_response(builder.build(meta, [], soa.iter(), [], []))
                    .await
            }
            Some(FaultKind::TruncateUdp) if transport == "udp" => {
                meta.truncation = true;
                response.send_response(builder.build_no_records(meta)).await
            }
            fault => {
                let mut l = self.lookup(&qname, qtype);
                if fault == Some(FaultKind::UnrelatedRecords) {
                    let extra = self.unrelated(&l, qtype);
                    l.answers.extend(extra);
                }
                meta.response_code = l.code;
                // Hostile answers: the right records under a wrong header,
                // alone or before the right answer.
                let mut bad = meta;
                match fault {
                    Some(FaultKind::WrongId | FaultKind::WrongIdThenAnswer)
                        if transport == "udp" =>
                    {
                        bad.id = bad.id.wrapping_add(1)
                    }
                    Some(FaultKind::NotResponse | FaultKind::NotResponseThenAnswer)
                        if transport == "udp" =>
                    {
                        bad.message_type = MessageType::Query
                    }
                    _ => {}
                }
                let then_answer = matches!(
                    fault,
                    Some(FaultKind::WrongIdThenAnswer | FaultKind::NotResponseThenAnswer)
                ) && transport == "udp";
                if then_answer {
                    let first = response
                        .send_response(builder.build(
                            bad,
                            l.answers.iter(),
                            l.authority.iter(),
                            [],
                            [],
                        ))
                        .await;
                    if first.is_err() {
                        return no_response(request);
                    }
                } else {
                    meta = bad;
                }
                let builder = MessageResponseBuilder::from_message_request(request);
                response
                    .send_response(builder.build(
                        meta,
                        l.answers.iter(),
                        l.authority.iter(),
                        [],
                        [],
                    ))
                    .await
            }
        };
        sent.unwrap_or_else(|_| no_response(request))
    }
}
