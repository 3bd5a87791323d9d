//! Ops of the `discovery` family (mimi-discovery).

use mimispec_reference::discovery::{self, MssiParsed, email, enum_domain, mssi, mui};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use mimispec_reference::discovery::resolve::{Config, Identifier, Via};
use serde_json::{Map, Value, json};

use super::{OpError, OpResult, OpSpec, text};

pub(super) const OPS: &[OpSpec] = &[
    OpSpec {
        name: "discovery.identifier.resolve",
        run: resolve,
    },
    OpSpec {
        name: "discovery.mssi.parse",
        run: mssi_parse,
    },
    OpSpec {
        name: "discovery.mui.parse",
        run: mui_parse,
    },
    OpSpec {
        name: "discovery.enum.domain",
        run: enum_domain,
    },
    OpSpec {
        name: "discovery.email.mui",
        run: email_mui,
    },
];

fn err_mssi(e: discovery::MssiError) -> OpError {
    OpError::new(e.code(), e.to_string())
}

fn err_mui(e: discovery::MuiError) -> OpError {
    OpError::new(e.code(), e.to_string())
}

fn err_enum(e: discovery::EnumError) -> OpError {
    OpError::new(e.code(), e.to_string())
}

fn err_email(e: discovery::EmailError) -> OpError {
    OpError::new(e.code(), e.to_string())
}

/// `{text}` -> `{status: "valid", record: {v, a, e, pv?, p?, s?}, unknown_tags: {name: value}}`
/// or `{status: "ignored", reason: "version", v}`
fn mssi_parse(input: &Value) -> OpResult {
    match mssi::parse(text(input, "text")?).map_err(err_mssi)? {
        MssiParsed::IgnoredVersion { v } => {
            Ok(json!({ "status": "ignored", "reason": "version", "v": v }))
        }
        MssiParsed::Valid {
            record,
            unknown_tags,
        } => {
            let r = record_json(record);
            let unknown: Map<String, Value> = unknown_tags
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            Ok(json!({ "status": "valid", "record": r, "unknown_tags": unknown }))
        }
    }
}

/// `{text}` -> `{mui}`
fn mui_parse(input: &Value) -> OpResult {
    Ok(json!({ "mui": mui::parse(text(input, "text")?).map_err(err_mui)? }))
}

/// `{number, apex?}` -> `{domain}`
fn enum_domain(input: &Value) -> OpResult {
    let apex = match input.get("apex") {
        None => None,
        Some(Value::String(apex)) => Some(apex.as_str()),
        Some(_) => {
            return Err(OpError::bad_input(
                "input.apex must be a string when present",
            ));
        }
    };
    Ok(json!({ "domain": enum_domain::domain(text(input, "number")?, apex).map_err(err_enum)? }))
}

/// `{address, mimix_target}` -> `{mui}`
fn email_mui(input: &Value) -> OpResult {
    let address = text(input, "address")?;
    let target = text(input, "mimix_target")?;
    Ok(json!({ "mui": email::mui(address, target).map_err(err_email)? }))
}

/// A valid record as results show it: absent optional tags left out.
fn record_json(record: mssi::MssiRecord) -> Map<String, Value> {
    let mut r = Map::new();
    r.insert("v".into(), record.v.into());
    r.insert("a".into(), record.a.into());
    r.insert("e".into(), record.e.into());
    if let Some(pv) = record.pv {
        r.insert("pv".into(), pv.into());
    }
    if let Some(p) = record.p {
        r.insert("p".into(), p.into());
    }
    if let Some(s) = record.s {
        r.insert("s".into(), s.into());
    }
    r
}

/// `{identifier, kind, dns: {server, mimi_type, mimix_type, timeout_ms}, oracle?}`
/// -> `{mui, via, services: [record...]}`
fn resolve(input: &Value) -> OpResult {
    let id = text(input, "identifier")?;
    let id = match text(input, "kind")? {
        "mui" => Identifier::Mui(id),
        "email" => Identifier::Email(id),
        "tel" => Identifier::Tel(id),
        other => {
            return Err(OpError::bad_input(format!(
                "input.kind {other:?} is not mui, email or tel"
            )));
        }
    };
    let dns = input
        .get("dns")
        .ok_or_else(|| OpError::bad_input("input.dns is missing (the harness adds it)"))?;
    let server = text(dns, "server")?
        .parse()
        .map_err(|e| OpError::bad_input(format!("input.dns.server: {e}")))?;
    let code = |k: &str| {
        dns.get(k)
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
            .ok_or_else(|| OpError::bad_input(format!("input.dns.{k} must be a type code")))
    };
    let timeout = dns.get("timeout_ms").and_then(Value::as_u64).unwrap_or(400);
    let cfg = Config {
        server,
        mimi_type: code("mimi_type")?,
        mimix_type: code("mimix_type")?,
        timeout: Duration::from_millis(timeout),
    };
    let oracle_url = input
        .get("oracle")
        .and_then(Value::as_str)
        .map(str::to_owned);
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
    let r = discovery::resolve::resolve(id, &cfg, oracle)
        .map_err(|e| OpError::new(e.code(), e.to_string()))?;
    let services: Vec<Value> = r
        .services
        .into_iter()
        .map(|s| Value::Object(record_json(s)))
        .collect();
    Ok(json!({
        "mui": r.mui,
        "via": match r.via { Via::Dns => "dns", Via::Oracle => "oracle" },
        "services": services,
    }))
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
