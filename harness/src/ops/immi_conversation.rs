//! Ops of the `immi` family for groups: MIME type negotiation (§3.2,
//! §5.3) and the conversation a receiving client shows (§4).

use mimispec_reference::immi::conversation::{self, Event};
use mimispec_reference::immi::negotiate;
use serde_json::{Map, Value, json};

use super::{OpError, OpResult, OpSpec, bytes, bytes_value, text};

pub(super) const OPS: &[OpSpec] = &[
    OpSpec {
        name: "immi.content.negotiate",
        run: content_negotiate,
    },
    OpSpec {
        name: "immi.conversation.apply",
        run: conversation_apply,
    },
];

fn strings(v: &Value, what: &str) -> Result<Vec<String>, OpError> {
    v.as_array()
        .and_then(|a| {
            a.iter()
                .map(|x| x.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| OpError::bad_input(format!("{what} must be an array of strings")))
}

/// `{required, members, message}` -> `{sendable, reason?, render}`
fn content_negotiate(input: &Value) -> OpResult {
    let required = strings(
        input.get("required").unwrap_or(&Value::Null),
        "input.required",
    )?;
    let members_obj = input
        .get("members")
        .and_then(Value::as_object)
        .ok_or_else(|| OpError::bad_input("input.members must be an object"))?;
    let mut members = Vec::with_capacity(members_obj.len());
    for (id, types) in members_obj {
        members.push((id.clone(), strings(types, &format!("input.members.{id}"))?));
    }
    let message = bytes(input, "message")?;
    let n = negotiate::negotiate(&required, &members, &message)
        .map_err(|e| OpError::new(e.code(), e.to_string()))?;
    let render: Map<String, Value> = n
        .render
        .into_iter()
        .map(|(id, t)| (id, t.map_or(Value::Null, Value::String)))
        .collect();
    let mut out = json!({ "sendable": n.sendable, "render": render });
    if let Some(r) = n.reason {
        out["reason"] = json!(r.code());
    }
    Ok(out)
}

/// `{now, events: [{sender, message}], known_reactions?}` -> `{messages, rejected, ignored}`
fn conversation_apply(input: &Value) -> OpResult {
    let now = text(input, "now")?;
    let events = input
        .get("events")
        .and_then(Value::as_array)
        .ok_or_else(|| OpError::bad_input("input.events must be an array"))?
        .iter()
        .map(|e| {
            Ok(Event {
                sender: text(e, "sender")?.to_owned(),
                message: bytes(e, "message")?,
            })
        })
        .collect::<Result<Vec<_>, OpError>>()?;
    let known = match input.get("known_reactions") {
        None | Some(Value::Null) => None,
        Some(v) => Some(strings(v, "input.known_reactions")?),
    };
    let c = conversation::apply(now, &events, known.as_deref())
        .map_err(|e| OpError::new(e.code(), e.to_string()))?;
    let messages: Vec<Value> = c
        .messages
        .iter()
        .map(|m| {
            let receipts: Map<String, Value> = m
                .receipts
                .iter()
                .map(|(k, s)| (k.clone(), json!(s.as_str())))
                .collect();
            json!({
                "id": m.id,
                "sender": m.sender,
                "from": m.from,
                "kind": m.kind,
                "body": bytes_value(&m.body),
                "edited": m.edited,
                "deleted": m.deleted,
                "reply_to": m.reply_to,
                "quote_hidden": m.quote_hidden,
                "reactions": m.reactions.iter()
                    .map(|r| json!({ "from": r.from, "content": r.content }))
                    .collect::<Vec<_>>(),
                "receipts": receipts,
            })
        })
        .collect();
    let list = |v: Vec<(usize, &str)>| -> Vec<Value> {
        v.into_iter()
            .map(|(i, code)| json!({ "index": i, "code": code }))
            .collect()
    };
    Ok(json!({
        "messages": messages,
        "rejected": list(c.rejected),
        "ignored": list(c.ignored.into_iter().map(|(i, r)| (i, r.code())).collect()),
    }))
}
