//! Ops of the `immi` family for whole messages (immi-content §3-§5):
//! message parse and build, DateTime, negotiation, conversations.

use mimispec_reference::immi::cpim::{self, Address, Draft, Message, MessageError};
use mimispec_reference::immi::datetime::{self, DateTime};
use serde_json::{Value, json};

use super::{OpError, OpResult, OpSpec, bytes, bytes_value, text};

pub(super) const OPS: &[OpSpec] = &[
    OpSpec {
        name: "immi.datetime.parse",
        run: datetime_parse,
    },
    OpSpec {
        name: "immi.message.parse",
        run: message_parse,
    },
    OpSpec {
        name: "immi.message.summary",
        run: message_summary,
    },
    OpSpec {
        name: "immi.message.build",
        run: message_build,
    },
];

fn err<E: std::fmt::Display>(code: &str, e: E) -> OpError {
    OpError::new(code, e.to_string())
}

fn err_message(e: MessageError) -> OpError {
    err(e.code(), &e)
}

pub(super) fn datetime_json(d: &DateTime) -> Value {
    json!({
        "utc": d.utc_string(),
        "offset_minutes": d.offset_minutes,
        "unknown_offset": d.unknown_offset,
        "fraction": d.fraction,
    })
}

/// `{text}` -> `{utc, offset_minutes, unknown_offset, fraction}`
fn datetime_parse(input: &Value) -> OpResult {
    let d = datetime::parse(text(input, "text")?).map_err(|e| err(e.code(), &e))?;
    Ok(datetime_json(&d))
}

fn params_json(params: &[(String, String)]) -> Value {
    params
        .iter()
        .map(|(n, v)| json!({ "name": n, "value": v }))
        .collect()
}

pub(super) fn message_json(m: &Message) -> Value {
    let headers: Vec<Value> = m
        .headers
        .iter()
        .map(|h| {
            json!({
                "name": h.name,
                "prefix": h.prefix,
                "namespace": h.namespace,
                "parameters": params_json(&h.parameters),
                "value": h.value,
            })
        })
        .collect();
    json!({
        "headers": headers,
        "from": { "display_name": m.from.display_name, "uri": m.from.uri },
        "datetime": datetime_json(&m.datetime),
        "message_id": m.message_id.to_string(),
        "in_reply_to": m.in_reply_to.as_ref().map(ToString::to_string),
        "supersedes": m.supersedes.as_ref().map(ToString::to_string),
        "expires": m.expires.as_ref().map(datetime_json),
        "content_type": m.content_type.as_ref().map(|ct| json!({
            "type": ct.type_,
            "subtype": ct.subtype,
            "parameters": params_json(&ct.parameters),
        })),
        "content_disposition": m.content_disposition.as_ref().map(|d| json!({
            "type": d.type_,
            "parameters": params_json(&d.parameters),
        })),
        "content_length": m.content_length,
        "body": bytes_value(&m.body),
        "dispositions": m.dispositions.as_ref().map(|entries| entries
            .iter()
            .map(|e| json!({ "msg_id": e.msg_id.to_string(), "status": e.status.as_str() }))
            .collect::<Vec<_>>()),
        "kind": m.kind.as_str(),
        "expiring": m.expires.is_some(),
    })
}

/// `{message: bytes}` -> the parsed message (PROTOCOL.md)
fn message_parse(input: &Value) -> OpResult {
    let m = cpim::parse(&bytes(input, "message")?).map_err(err_message)?;
    Ok(message_json(&m))
}

/// `{message: bytes}` -> the parse result without `headers` and
/// `content_length`: what every correct writer of the same message agrees on.
fn message_summary(input: &Value) -> OpResult {
    let mut v = message_parse(input)?;
    if let Some(map) = v.as_object_mut() {
        map.remove("headers");
        map.remove("content_length");
    }
    Ok(v)
}

/// An optional string member: absent or null is `None`.
fn opt_text(input: &Value, key: &str) -> Result<Option<String>, OpError> {
    match input.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(OpError::bad_input(format!(
            "input.{key} must be a string or null"
        ))),
    }
}

pub(super) fn draft_from_json(input: &Value) -> Result<Draft, OpError> {
    let from = input
        .get("from")
        .filter(|v| v.is_object())
        .ok_or_else(|| OpError::bad_input("input.from must be an object"))?;
    Ok(Draft {
        from: Address {
            display_name: opt_text(from, "display_name")?,
            uri: text(from, "uri")?.to_owned(),
        },
        datetime: text(input, "datetime")?.to_owned(),
        message_id: text(input, "message_id")?.to_owned(),
        in_reply_to: opt_text(input, "in_reply_to")?,
        supersedes: opt_text(input, "supersedes")?,
        expires: opt_text(input, "expires")?,
        content_type: opt_text(input, "content_type")?,
        content_disposition: opt_text(input, "content_disposition")?,
        body: bytes(input, "body")?,
    })
}

/// A structured message -> `{message: bytes}`
fn message_build(input: &Value) -> OpResult {
    let draft = draft_from_json(input)?;
    let out = cpim::build(&draft).map_err(err_message)?;
    Ok(json!({ "message": bytes_value(&out) }))
}
