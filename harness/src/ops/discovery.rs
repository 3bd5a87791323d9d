//! Ops of the `discovery` family (mimi-discovery).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use mimispec_reference::discovery::resolve::{Config, Identifier, Via};
use mimispec_reference::discovery::{self, MssiParsed, email, enum_domain, mssi, mui};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{OpError, Text};

/// A valid MSSSI record: absent optional tags left out.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub v: String,
    pub a: String,
    pub e: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pv: Option<String>,
    /// The priority, an integer (the protocol allows any; the register
    /// entry DISCOVERY-MSSI-PRIORITY holds the readings of its range).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s: Option<String>,
}

impl From<mssi::MssiRecord> for Record {
    fn from(r: mssi::MssiRecord) -> Self {
        Record {
            v: r.v,
            a: r.a,
            e: r.e,
            pv: r.pv,
            p: r.p.map(i64::from),
            s: r.s,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum MssiResult {
    Valid {
        record: Record,
        unknown_tags: BTreeMap<String, String>,
    },
    /// A version other than MIMI1: not an error, the record is ignored.
    Ignored { reason: String, v: String },
}

pub fn mssi_parse(i: Text) -> Result<MssiResult, OpError> {
    Ok(match mssi::parse(&i.text)? {
        MssiParsed::IgnoredVersion { v } => MssiResult::Ignored {
            reason: "version".into(),
            v,
        },
        MssiParsed::Valid {
            record,
            unknown_tags,
        } => MssiResult::Valid {
            record: record.into(),
            unknown_tags: unknown_tags.into_iter().collect(),
        },
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mui {
    pub mui: String,
}

pub fn mui_parse(i: Text) -> Result<Mui, OpError> {
    Ok(Mui {
        mui: mui::parse(&i.text)?,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumInput {
    /// An E.164 number as written, `+` first.
    pub number: String,
    /// The ENUM apex; absent: e164.arpa (feature `enum-apex`).
    #[serde(default)]
    pub apex: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub domain: String,
}

pub fn enum_domain(i: EnumInput) -> Result<Domain, OpError> {
    Ok(Domain {
        domain: enum_domain::domain(&i.number, i.apex.as_deref())?,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailInput {
    pub address: String,
    /// The target of the MIMIX record of the address's domain.
    pub mimix_target: String,
}

pub fn email_mui(i: EmailInput) -> Result<Mui, OpError> {
    Ok(Mui {
        mui: email::mui(&i.address, &i.mimix_target)?,
    })
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Mui,
    Email,
    Tel,
}

/// Where the mock DNS zone listens: added by the harness, never by a vector.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsParams {
    /// `127.0.0.1:port`, UDP and TCP.
    pub server: String,
    pub mimi_type: u16,
    pub mimix_type: u16,
    /// How long the client waits for each answer.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveInput {
    pub identifier: String,
    pub kind: Kind,
    pub dns: DnsParams,
    /// The mock oracle's URL, when the zone has one (added by the harness).
    #[serde(default)]
    pub oracle: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ViaName {
    Dns,
    Oracle,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub mui: Option<String>,
    pub via: ViaName,
    pub services: Vec<Record>,
}

pub fn resolve(i: ResolveInput) -> Result<Resolution, OpError> {
    let id = match i.kind {
        Kind::Mui => Identifier::Mui(&i.identifier),
        Kind::Email => Identifier::Email(&i.identifier),
        Kind::Tel => Identifier::Tel(&i.identifier),
    };
    let server = i
        .dns
        .server
        .parse()
        .map_err(|e| OpError::bad_input(format!("input.dns.server: {e}")))?;
    let cfg = Config {
        server,
        mimi_type: i.dns.mimi_type,
        mimix_type: i.dns.mimix_type,
        timeout: Duration::from_millis(i.dns.timeout_ms.unwrap_or(400)),
    };
    let oracle_url = i.oracle;
    let ask = |id: &str| {
        oracle_lookup(
            oracle_url.as_deref().unwrap_or_default(),
            id,
            cfg.timeout * 5,
        )
    };
    let oracle: Option<discovery::resolve::Oracle<'_>> = if oracle_url.is_some() {
        Some(&ask)
    } else {
        None
    };
    let r = discovery::resolve::resolve(id, &cfg, oracle)?;
    Ok(Resolution {
        mui: r.mui,
        via: match r.via {
            Via::Dns => ViaName::Dns,
            Via::Oracle => ViaName::Oracle,
        },
        services: r.services.into_iter().map(Record::from).collect(),
    })
}

/// The suite's oracle protocol (PROTOCOL.md): `GET <url>?id=<id>` gives
/// `{"records": [...]}`, 404 when the oracle knows nothing.
fn oracle_lookup(url: &str, id: &str, timeout: Duration) -> Result<Option<Vec<String>>, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("the oracle URL is not http://")?;
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let addr: std::net::SocketAddr = host
        .parse()
        .map_err(|e| format!("oracle address {host:?}: {e}"))?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let encoded: String = id
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let request =
        format!("GET {path}?id={encoded} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut reply = Vec::new();
    stream
        .take(1 << 20)
        .read_to_end(&mut reply)
        .map_err(|e| e.to_string())?;
    let reply = String::from_utf8_lossy(&reply);
    let (head, body) = reply
        .split_once("\r\n\r\n")
        .ok_or("the oracle's answer has no body")?;
    let status = head.split(' ').nth(1).unwrap_or_default();
    match status {
        "404" => Ok(None),
        "200" => {
            let v: Value = serde_json::from_str(body)
                .map_err(|e| format!("the oracle's body is not JSON: {e}"))?;
            let records = v
                .get("records")
                .and_then(Value::as_array)
                .ok_or("the oracle's body has no records array")?;
            Ok(Some(
                records
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            ))
        }
        other => Err(format!("the oracle answered HTTP {other}")),
    }
}
