//! Ops of the `application_mime` family (application-mime).

use mimispec_reference::application_mime::{
    Action, MimeError, content_type, entity, gateway, multipart, wrapper,
};
use serde_json::{Map, Value, json};

use super::{OpError, OpResult, OpSpec, bytes, bytes_value, text};

pub(super) const OPS: &[OpSpec] = &[
    OpSpec {
        name: "application_mime.wrapper.wrap",
        run: wrap,
    },
    OpSpec {
        name: "application_mime.wrapper.unwrap",
        run: unwrap,
    },
    OpSpec {
        name: "application_mime.wrapper.describe",
        run: describe,
    },
    OpSpec {
        name: "application_mime.content_type.parse",
        run: content_type_parse,
    },
    OpSpec {
        name: "application_mime.multipart.parse",
        run: multipart_parse,
    },
    OpSpec {
        name: "application_mime.entity.transfer_encoding",
        run: transfer_encoding,
    },
    OpSpec {
        name: "application_mime.entity.data_class",
        run: data_class,
    },
    OpSpec {
        name: "application_mime.parts.list",
        run: parts_list,
    },
    OpSpec {
        name: "application_mime.wrappers.list",
        run: wrappers_list,
    },
    OpSpec {
        name: "application_mime.gateway.process",
        run: gateway_op,
    },
];

fn err(e: MimeError) -> OpError {
    OpError::new(e.code(), e.to_string())
}

fn params_json(params: &[(String, String)]) -> Value {
    Value::Object(
        params
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect::<Map<String, Value>>(),
    )
}

/// `{entity}` -> `{entity}`
fn wrap(input: &Value) -> OpResult {
    let e = bytes(input, "entity")?;
    Ok(json!({ "entity": bytes_value(&wrapper::wrap(&e).map_err(err)?) }))
}

/// `{entity, depth?}` -> `{entity, layers}`
fn unwrap(input: &Value) -> OpResult {
    let e = bytes(input, "entity")?;
    let depth = match input.get("depth") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|&d| d >= 1)
                .and_then(|d| usize::try_from(d).ok())
                .ok_or_else(|| OpError::bad_input("input.depth must be an integer >= 1"))?,
        ),
    };
    let u = wrapper::unwrap(&e, depth).map_err(err)?;
    Ok(json!({ "entity": bytes_value(&u.entity), "layers": u.layers }))
}

/// `{entity}` -> `{contained_type, parameters}`
fn describe(input: &Value) -> OpResult {
    let v = wrapper::describe(&bytes(input, "entity")?).map_err(err)?;
    Ok(json!({ "contained_type": v.contained_type, "parameters": params_json(&v.params) }))
}

/// `{text}` -> `{type, subtype, parameters}`
fn content_type_parse(input: &Value) -> OpResult {
    let ct = content_type::parse(text(input, "text")?).map_err(err)?;
    Ok(json!({ "type": ct.type_, "subtype": ct.subtype, "parameters": params_json(&ct.params) }))
}

/// `{entity}` -> `{boundary, preamble?, parts, epilogue?}`
fn multipart_parse(input: &Value) -> OpResult {
    let e = bytes(input, "entity")?;
    let m = multipart::parse(&e).map_err(err)?;
    let mut out = Map::new();
    out.insert("boundary".into(), m.boundary.into());
    if let Some(p) = m.preamble {
        out.insert("preamble".into(), bytes_value(p));
    }
    out.insert(
        "parts".into(),
        Value::Array(m.parts.iter().map(|p| bytes_value(p)).collect()),
    );
    if let Some(p) = m.epilogue {
        out.insert("epilogue".into(), bytes_value(p));
    }
    Ok(Value::Object(out))
}

/// `{entity}` -> `{transfer_encoding}`
fn transfer_encoding(input: &Value) -> OpResult {
    let e = bytes(input, "entity")?;
    let parsed = entity::parse(&e).map_err(err)?;
    let te = parsed.transfer_encoding_token().map_err(err)?;
    Ok(json!({ "transfer_encoding": te }))
}

/// `{entity}` -> `{class, long_lines}`
fn data_class(input: &Value) -> OpResult {
    let e = bytes(input, "entity")?;
    let (class, longest) = entity::classify(&e);
    Ok(json!({ "class": class.as_str(), "long_lines": longest > wrapper::MAX_PLAIN_LINE }))
}

/// `{message}` -> `{parts: [{path, content_type, entity} | {path, content_type, transfer_encoding, body}]}`
fn parts_list(input: &Value) -> OpResult {
    let m = bytes(input, "message")?;
    let parts = gateway::parts(&m).map_err(err)?;
    let list: Vec<Value> = parts
        .iter()
        .map(|p| {
            let mut o = Map::new();
            o.insert("path".into(), p.path.clone().into());
            o.insert("content_type".into(), p.content_type.clone().into());
            if let Some(e) = &p.entity {
                o.insert("entity".into(), bytes_value(e));
            }
            if let Some(t) = &p.transfer_encoding {
                o.insert("transfer_encoding".into(), t.clone().into());
            }
            if let Some(b) = &p.body {
                o.insert("body".into(), bytes_value(b));
            }
            Value::Object(o)
        })
        .collect();
    Ok(json!({ "parts": list }))
}

/// `{message}` -> `{wrappers: [bytes]}`
fn wrappers_list(input: &Value) -> OpResult {
    let m = bytes(input, "message")?;
    let w = gateway::wrappers(&m).map_err(err)?;
    Ok(json!({ "wrappers": w.iter().map(|b| bytes_value(b)).collect::<Vec<_>>() }))
}

/// `{message, action}` -> `{message}`
fn gateway_op(input: &Value) -> OpResult {
    let m = bytes(input, "message")?;
    let action = Action::from_name(text(input, "action")?).ok_or_else(|| {
        OpError::bad_input("input.action must be split_multipart, reencode or rewrap_lines")
    })?;
    Ok(json!({ "message": bytes_value(&gateway::process(&m, action).map_err(err)?) }))
}
