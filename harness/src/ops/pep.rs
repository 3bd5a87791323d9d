//! Ops of the `pep` family (pep-message-2).

use mimispec_reference::pep::unwrap::{self, Node, PartInfo, Structure, Unwrapped};
use mimispec_reference::pep::{PepError, PublicKey, SecretKey, Version, version, wrap};
use serde_json::{Map, Value, json};

use super::{OpError, OpResult, OpSpec, bytes, bytes_value, text};

pub(super) const OPS: &[OpSpec] = &[
    OpSpec {
        name: "pep.version.choose",
        run: choose,
    },
    OpSpec {
        name: "pep.message.wrap",
        run: wrap_op,
    },
    OpSpec {
        name: "pep.message.unwrap",
        run: unwrap_op,
    },
    OpSpec {
        name: "pep.message.structure",
        run: structure_op,
    },
    OpSpec {
        name: "pep.message.peer_version",
        run: peer_version_op,
    },
    OpSpec {
        name: "pep.message.signature",
        run: signature_op,
    },
];

fn err(e: PepError) -> OpError {
    OpError::new(e.code(), e.to_string())
}

fn opt_text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.to_owned()))
}

/// `{peer_version: string | null}` -> `{send}`
fn choose(input: &Value) -> OpResult {
    let peer = match input.get("peer_version") {
        Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        _ => {
            return Err(OpError::bad_input(
                "input.peer_version must be a string or null",
            ));
        }
    };
    Ok(json!({ "send": version::choose(peer).as_str() }))
}

/// `{message, sender_key, recipient_key, version}` -> `{message}`
fn wrap_op(input: &Value) -> OpResult {
    let v = Version::from_name(text(input, "version")?)
        .ok_or_else(|| err(PepError::UnknownWrapVersion))?;
    let sender = SecretKey::read(&bytes(input, "sender_key")?).map_err(err)?;
    let recipient = PublicKey::read(&bytes(input, "recipient_key")?).map_err(err)?;
    let m = bytes(input, "message")?;
    let out = wrap::wrap_fresh(&m, &sender, &recipient, v).map_err(err)?;
    Ok(json!({ "message": bytes_value(&out) }))
}

fn params(p: &[(String, String)]) -> Value {
    Value::Object(
        p.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect::<Map<_, _>>(),
    )
}

fn node(n: &Node) -> Value {
    let mut o = Map::new();
    o.insert("type".into(), n.mime_type.clone().into());
    o.insert("params".into(), params(&n.params));
    match &n.body {
        Some(b) => o.insert("body".into(), bytes_value(b)),
        None => o.insert("parts".into(), n.parts.iter().map(node).collect()),
    };
    Value::Object(o)
}

fn unwrapped(u: &Unwrapped) -> Value {
    json!({
        "version_detected": u.version.as_str(),
        "wrapped_info": opt_text(u.wrapped_info.as_deref()),
        "sender_fpr": opt_text(u.sender_fpr.as_deref()),
        "subject": opt_text(u.subject.as_deref()),
        "headers": u.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "body": node(&u.body),
        "forwarded_attachments": u.forwarded,
    })
}

fn read(input: &Value, sender: Option<&PublicKey>) -> Result<Unwrapped, OpError> {
    let key = SecretKey::read(&bytes(input, "recipient_key")?).map_err(err)?;
    let m = bytes(input, "message")?;
    unwrap::unwrap(&m, &key, sender).map_err(err)
}

/// `{message, recipient_key}` -> the message as the user reads it
fn unwrap_op(input: &Value) -> OpResult {
    Ok(unwrapped(&read(input, None)?))
}

/// `{message, recipient_key}` -> `{peer_version}`
fn peer_version_op(input: &Value) -> OpResult {
    let u = read(input, None)?;
    Ok(json!({ "peer_version": opt_text(u.peer_version.as_deref()) }))
}

/// `{message, recipient_key, sender_key}` -> `{signature}`
fn signature_op(input: &Value) -> OpResult {
    let sender = PublicKey::read(&bytes(input, "sender_key")?).map_err(err)?;
    let u = read(input, Some(&sender))?;
    Ok(json!({ "signature": u.signature.as_str() }))
}

fn structure_json(s: &Structure) -> Value {
    let parts: Vec<Value> = s
        .parts
        .iter()
        .map(|p| match p {
            PartInfo::Control { version } => json!({
                "content_type": "application/pgp-encrypted",
                "version": opt_text(version.as_deref()),
            }),
            PartInfo::Other {
                content_type,
                armored,
            } => json!({ "content_type": content_type, "armored": armored }),
        })
        .collect();
    json!({
        "content_type": s.content_type,
        "protocol": opt_text(s.protocol.as_deref()),
        "parts": parts,
        "header_names": s.header_names,
        "subject": opt_text(s.subject.as_deref()),
        "subject_8bit": s.subject_8bit,
    })
}

/// `{message}` -> the outer structure
fn structure_op(input: &Value) -> OpResult {
    let m = bytes(input, "message")?;
    Ok(structure_json(&unwrap::structure(&m).map_err(err)?))
}
