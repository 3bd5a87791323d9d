//! Ops of the `discovery` family (mimi-discovery).

use mimispec_reference::discovery::{self, MssiParsed, email, enum_domain, mssi, mui};
use serde_json::{Map, Value, json};

use super::{OpError, OpResult, OpSpec, text};

pub(super) const OPS: &[OpSpec] = &[
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
