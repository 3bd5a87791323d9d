//! mimispec adapter for hickory-resolver (https://crates.io/crates/hickory-resolver).
//!
//! Op: `discovery.identifier.resolve`, kinds `mui`, `email` and `tel`.
//!
//! The library call: a `hickory_resolver::Resolver` built per case with
//! `Resolver::builder_with_config` from a `ResolverConfig` naming only
//! `input.dns.server` (UDP, then TCP on the same port, which hickory uses on a
//! truncated answer), no domain and no search list, and `ResolverOpts` with
//! `cache_size = 0`, `use_hosts_file = Never`, `ndots = 0`, `attempts = 1`,
//! `timeout = input.dns.timeout_ms`; no system configuration is read (the
//! crate is built without `system-config`). Each query is
//! `resolver.lookup(name, RecordType::from(type code))` with the codes of
//! `input.dns`; hickory follows CNAMEs itself. Names are read with hickory's
//! `Name::from_utf8` (what `lookup` does with a `&str`: UTS #46 through idna,
//! lower case) and the MUI is its `to_ascii()` without the root dot.
//!
//! Glue, none of it hickory's (PROTOCOL.md, discovery.identifier.resolve):
//! - The §5 lookup order. mui: MIMI at the name. email: split at the last
//!   `@` (an empty side is `adapter.bad_address`, nothing asked), MIMIX at the
//!   domain, then MIMI at `<local part>.<target>` for each MIMIX target in the
//!   answer's order until one gives a valid record. tel: the ENUM name of
//!   RFC 6116 §3.2 (SP, `-`, `.`, `(`, `)` removed, one optional leading `+`,
//!   then 1 to 15 ASCII digits, else `adapter.bad_number`, nothing asked),
//!   digits reversed under `e164.arpa`, then MIMI there.
//! - MIMIX RDATA: one name in wire form, read with hickory-proto's
//!   `Name::read` on a `BinDecoder` over the RDATA; bytes left over or a
//!   decode error make the record unusable.
//! - MIMI RDATA, by the suite's convention (DISCOVERY-MIMI-RDATA): one or
//!   more character-strings (a length octet, then that many octets),
//!   concatenated without separator; a length running past the RDATA, empty
//!   RDATA or a string that is not UTF-8 makes the record unusable.
//! - MSSSI, kept minimal: the definition split at `;`, each non-empty
//!   piece (WSP and CR LF trimmed) split at its first `=` (no `=`: invalid),
//!   name and value trimmed; a name given twice makes the record invalid; a
//!   record is kept when `v` is exactly `MIMI1`, `a` and `e` are there and
//!   not empty, and `p`, if there, is a u32. No other tag-list grammar is
//!   checked. Kept records are ordered by `p`, lower first, those without `p`
//!   last, otherwise in the answer's order (a stable sort).
//! - Records, but none kept: `adapter.no_valid_records`. No usable MIMIX
//!   record: `adapter.no_mimix`.
//! - A case with `input.oracle` is answered `unsupported`: the oracle is an
//!   HTTP service and hickory has no HTTP client.
//! - hickory's errors: `hickory.NoRecordsFound.<rcode>` (NXDomain, NoError),
//!   `hickory.ResponseCode.<rcode>` (ServFail, Refused, ...), else
//!   `hickory.<NetError variant>` (Timeout, Io, Proto, ...).

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::proto::serialize::binary::{BinDecodable, BinDecoder};
use hickory_resolver::{Resolver, TokioResolver};
use mimispec_interop_rust::{Answer, Hello, run, text};
use serde_json::{Map, Value, json};

fn net_error(e: &NetError) -> Answer {
    let code = match e {
        NetError::Dns(DnsError::NoRecordsFound(nr)) => {
            format!("hickory.NoRecordsFound.{:?}", nr.response_code)
        }
        NetError::Dns(DnsError::ResponseCode(rc)) => format!("hickory.ResponseCode.{rc:?}"),
        other => {
            let debug = format!("{other:?}");
            let variant: String = debug.chars().take_while(|c| c.is_alphanumeric()).collect();
            format!("hickory.{variant}")
        }
    };
    Answer::error(code, e.to_string())
}

fn parse_name(s: &str) -> Result<Name, Answer> {
    let mut name = Name::from_utf8(s).map_err(|e| Answer::error("hickory.Proto", e.to_string()))?;
    name.set_fqdn(true);
    Ok(name)
}

fn canonical(name: &Name) -> String {
    let ascii = name.to_lowercase().to_ascii();
    ascii.strip_suffix('.').unwrap_or(&ascii).to_string()
}

/// The answer's RDATA of the type asked, as raw octets (hickory reads an
/// unknown type's RDATA as `RData::Unknown` holding a NULL).
fn rdatas(lookup: &hickory_resolver::lookup::Lookup, code: u16) -> Vec<Vec<u8>> {
    lookup
        .answers()
        .iter()
        .filter(|r| u16::from(r.record_type()) == code)
        .filter_map(|r| match &r.data {
            RData::Unknown { rdata, .. } => Some(rdata.anything.clone()),
            _ => None,
        })
        .collect()
}

/// Glue: MIMI RDATA as character-strings joined without separator.
fn definition(rdata: &[u8]) -> Option<String> {
    if rdata.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < rdata.len() {
        let len = rdata[i] as usize;
        let end = i + 1 + len;
        if end > rdata.len() {
            return None;
        }
        out.extend_from_slice(&rdata[i + 1..end]);
        i = end;
    }
    String::from_utf8(out).ok()
}

/// Glue: the minimal MSSSI reading named in the header.
fn record(def: &str) -> Option<(Option<u32>, Value)> {
    let ws: &[char] = &[' ', '\t', '\r', '\n'];
    let mut tags: Vec<(&str, &str)> = Vec::new();
    for spec in def.split(';') {
        let spec = spec.trim_matches(ws);
        if spec.is_empty() {
            continue;
        }
        let (n, v) = spec.split_once('=')?;
        let (n, v) = (n.trim_matches(ws), v.trim_matches(ws));
        if tags.iter().any(|(k, _)| *k == n) {
            return None;
        }
        tags.push((n, v));
    }
    let get = |k: &str| tags.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
    if get("v") != Some("MIMI1") {
        return None;
    }
    let (a, e) = (
        get("a").filter(|s| !s.is_empty())?,
        get("e").filter(|s| !s.is_empty())?,
    );
    let p = match get("p") {
        Some(p) => Some(p.parse::<u32>().ok()?),
        None => None,
    };
    let mut rec = Map::new();
    rec.insert("v".into(), json!("MIMI1"));
    rec.insert("a".into(), json!(a));
    rec.insert("e".into(), json!(e));
    if let Some(pv) = get("pv") {
        rec.insert("pv".into(), json!(pv));
    }
    if let Some(p) = p {
        rec.insert("p".into(), json!(p));
    }
    if let Some(s) = get("s") {
        rec.insert("s".into(), json!(s));
    }
    Some((p, Value::Object(rec)))
}

/// MIMI at `name`: the kept services, ordered, or an error answer.
async fn mimi(resolver: &TokioResolver, name: &Name, code: u16) -> Result<Vec<Value>, Answer> {
    let lookup = resolver
        .lookup(name.clone(), RecordType::from(code))
        .await
        .map_err(|e| net_error(&e))?;
    let mut kept: Vec<(Option<u32>, Value)> = rdatas(&lookup, code)
        .iter()
        .filter_map(|r| definition(r))
        .filter_map(|d| record(&d))
        .collect();
    if kept.is_empty() {
        return Err(Answer::error(
            "adapter.no_valid_records",
            format!("no valid MIMI1 record at {name}"),
        ));
    }
    kept.sort_by_key(|(p, _)| (p.is_none(), p.unwrap_or(0)));
    Ok(kept.into_iter().map(|(_, v)| v).collect())
}

fn dns_result(mui: &Name, services: Vec<Value>) -> Answer {
    Answer::Result(json!({"mui": canonical(mui), "via": "dns", "services": services}))
}

async fn resolve(input: &Value) -> Result<Answer, Answer> {
    let bad = |m: &str| Answer::error("mimispec.bad_input", m.to_string());
    let identifier = text(input, "identifier")?;
    let kind = text(input, "kind")?;
    let dns = input
        .get("dns")
        .ok_or_else(|| bad("input.dns is missing"))?;
    if input.get("oracle").is_some_and(|o| !o.is_null()) {
        return Ok(Answer::Unsupported(
            "the oracle is HTTP; hickory-resolver has no HTTP client".into(),
        ));
    }
    let server: SocketAddr = text(dns, "server")?
        .parse()
        .map_err(|_| bad("input.dns.server is not ip:port"))?;
    let code = |m: &str| {
        dns.get(m)
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
    };
    let mimi_type = code("mimi_type").ok_or_else(|| bad("input.dns.mimi_type"))?;
    let mimix_type = code("mimix_type").ok_or_else(|| bad("input.dns.mimix_type"))?;
    let timeout =
        Duration::from_millis(dns.get("timeout_ms").and_then(Value::as_u64).unwrap_or(400));

    // What to ask, before any query (an invalid identifier asks nothing).
    enum Plan {
        Mimi(Name),
        Email(String, Name),
    }
    let plan = match kind {
        "mui" => Plan::Mimi(parse_name(identifier)?),
        "email" => {
            let (local, domain) = identifier
                .rsplit_once('@')
                .ok_or_else(|| Answer::error("adapter.bad_address", "no @"))?;
            if local.is_empty() || domain.is_empty() {
                return Err(Answer::error(
                    "adapter.bad_address",
                    "empty local part or domain",
                ));
            }
            Plan::Email(local.to_string(), parse_name(domain)?)
        }
        "tel" => {
            let kept: String = identifier
                .chars()
                .filter(|c| !" -.()".contains(*c))
                .collect();
            let digits = kept.strip_prefix('+').unwrap_or(&kept);
            if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(Answer::error(
                    "adapter.bad_number",
                    "not 1 to 15 digits after an optional +",
                ));
            }
            let mut enum_name: String = digits.chars().rev().flat_map(|d| [d, '.']).collect();
            enum_name.push_str("e164.arpa");
            Plan::Mimi(parse_name(&enum_name)?)
        }
        _ => return Err(bad("input.kind")),
    };

    let mut ns = NameServerConfig::udp_and_tcp(server.ip());
    for c in &mut ns.connections {
        c.port = server.port();
    }
    let mut builder = Resolver::builder_with_config(
        ResolverConfig::from_name_servers(vec![ns]),
        TokioRuntimeProvider::default(),
    );
    let opts = builder.options_mut();
    opts.cache_size = 0;
    opts.use_hosts_file = ResolveHosts::Never;
    opts.ndots = 0;
    opts.attempts = 1;
    opts.timeout = timeout;
    let resolver = builder.build().map_err(|e| net_error(&e))?;

    match plan {
        Plan::Mimi(name) => Ok(dns_result(&name, mimi(&resolver, &name, mimi_type).await?)),
        Plan::Email(local, domain) => {
            let lookup = resolver
                .lookup(domain.clone(), RecordType::from(mimix_type))
                .await
                .map_err(|e| net_error(&e))?;
            let targets: Vec<Name> = rdatas(&lookup, mimix_type)
                .iter()
                .filter_map(|r| {
                    let mut d = BinDecoder::new(r);
                    let n = Name::read(&mut d).ok()?;
                    d.is_empty().then_some(n)
                })
                .collect();
            let mut last = Answer::error(
                "adapter.no_mimix",
                format!("no usable MIMIX record at {domain}"),
            );
            for target in targets {
                let mui = match parse_name(&format!("{local}.{}", canonical(&target))) {
                    Ok(n) => n,
                    Err(a) => {
                        last = a;
                        continue;
                    }
                };
                match mimi(&resolver, &mui, mimi_type).await {
                    Ok(services) => return Ok(dns_result(&mui, services)),
                    Err(a) => last = a,
                }
            }
            Err(last)
        }
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    run(
        Hello {
            name: "hickory-resolver",
            version: env!("MIMISPEC_VERSION_HICKORY_RESOLVER"),
            ops: &["discovery.identifier.resolve"],
            features: &[],
        },
        |_op, input| rt.block_on(resolve(input)).unwrap_or_else(|a| a),
    );
}
