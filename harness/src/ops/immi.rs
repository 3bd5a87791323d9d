//! Ops of the `immi` family (immi-content).

use mimispec_reference::immi::{self, DispositionEntry, Status, disposition, msg_id};
use serde_json::{Value, json};

use super::{OpError, OpResult, OpSpec, text};

pub(super) const OPS: &[OpSpec] = &[
    OpSpec {
        name: "immi.msg_id.parse",
        run: msg_id_parse,
    },
    OpSpec {
        name: "immi.msg_id_header.parse",
        run: msg_id_header_parse,
    },
    OpSpec {
        name: "immi.disposition_notification.parse",
        run: dn_parse,
    },
    OpSpec {
        name: "immi.disposition_notification.build",
        run: dn_build,
    },
];

fn err_msg_id(e: immi::MsgIdError) -> OpError {
    OpError::new(e.code(), e.to_string())
}

fn err_dn(e: immi::DispositionError) -> OpError {
    OpError::new(e.code(), e.to_string())
}

fn msg_id_json(id: &immi::MsgId) -> Value {
    json!({ "id_left": id.id_left, "id_right": id.id_right })
}

/// `{text}` -> `{id_left, id_right}`
fn msg_id_parse(input: &Value) -> OpResult {
    let id = msg_id::parse(text(input, "text")?).map_err(err_msg_id)?;
    Ok(msg_id_json(&id))
}

/// `{text}` (one line with its CRLF) -> `{name, msg_id: {id_left, id_right}}`
fn msg_id_header_parse(input: &Value) -> OpResult {
    let (name, id) = msg_id::parse_header_line(text(input, "text")?).map_err(err_msg_id)?;
    Ok(json!({ "name": name.as_str(), "msg_id": msg_id_json(&id) }))
}

/// `{text}` -> `{entries: [{msg_id: "<...>", status}]}`
fn dn_parse(input: &Value) -> OpResult {
    let entries = disposition::parse(text(input, "text")?).map_err(err_dn)?;
    let entries: Vec<Value> = entries
        .iter()
        .map(|e| json!({ "msg_id": e.msg_id.to_string(), "status": e.status.as_str() }))
        .collect();
    Ok(json!({ "entries": entries }))
}

/// `{entries: [{msg_id: "<...>", status}]}` -> `{text}`
fn dn_build(input: &Value) -> OpResult {
    let list = input
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| OpError::bad_input("input.entries must be an array"))?;
    let mut entries = Vec::with_capacity(list.len());
    for (i, e) in list.iter().enumerate() {
        let id = msg_id::parse(text(e, "msg_id")?).map_err(err_msg_id)?;
        let status = text(e, "status")?;
        let status = Status::from_token(status).ok_or_else(|| {
            let e = immi::DispositionError::UnknownStatus {
                line: i + 1,
                value: status.to_owned(),
            };
            err_dn(e)
        })?;
        entries.push(DispositionEntry { msg_id: id, status });
    }
    Ok(json!({ "text": disposition::build(&entries).map_err(err_dn)? }))
}
