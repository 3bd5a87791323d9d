//! The stdin/stdout JSON Lines protocol spoken with an implementation.
//!
//! harness/PROTOCOL.md is the contract; this module is its code. Every line
//! an implementation sends is untrusted: it is parsed with a size cap and
//! checked member by member, and any deviation is a protocol error for the
//! case it answers.

use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The protocol version this suite speaks.
pub const PROTOCOL_VERSION: u64 = 1;

/// The member that marks bytes in any JSON value: `{"$base64": "..."}`.
pub const BYTES_MARKER: &str = "$base64";

/// What the harness learns from the handshake.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ImplInfo {
    pub name: String,
    pub version: String,
    pub ops: Vec<String>,
    pub features: Vec<String>,
}

impl ImplInfo {
    pub fn supports(&self, op: &str) -> bool {
        self.ops.iter().any(|o| o == op)
    }

    pub fn has_feature(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f == feature)
    }
}

/// The harness's first line.
pub fn hello_request() -> Value {
    json!({
        "type": "hello",
        "protocol": PROTOCOL_VERSION,
        "suite": { "name": "mimispec", "version": crate::SUITE_VERSION },
    })
}

/// One case request.
pub fn case_request(id: &str, op: &str, input: &Value) -> Value {
    json!({ "type": "case", "id": id, "op": op, "input": input })
}

/// An implementation's answer to one case.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Result(Value),
    /// Valid, and no result of the op's shape: a validator's answer.
    Accepted,
    Error {
        code: String,
        message: String,
    },
    Unsupported(String),
}

impl Reply {
    /// The answer as it travels, without the id: used in reports and diffs.
    pub fn to_json(&self) -> Value {
        match self {
            Reply::Result(v) => json!({ "result": v }),
            Reply::Accepted => json!({ "accepted": true }),
            Reply::Error { code, message } => {
                json!({ "error": { "code": code, "message": message } })
            }
            Reply::Unsupported(why) => json!({ "unsupported": why }),
        }
    }
}

fn object(line: &[u8]) -> Result<Map<String, Value>, String> {
    let value: Value = serde_json::from_slice(line).map_err(|e| format!("not JSON: {e}"))?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(format!("expected a JSON object, got {}", kind(&other))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn string_list(map: &Map<String, Value>, key: &str) -> Result<Vec<String>, String> {
    match map.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("\"{key}\" must hold strings"))
            })
            .collect(),
        Some(other) => Err(format!("\"{key}\" must be an array, got {}", kind(other))),
    }
}

/// Parses the implementation's hello line.
pub fn parse_hello(line: &[u8]) -> Result<ImplInfo, String> {
    let map = object(line)?;
    if map.get("type").and_then(Value::as_str) != Some("hello") {
        return Err("the first line must be {\"type\": \"hello\", ...}".into());
    }
    match map.get("protocol").and_then(Value::as_u64) {
        Some(PROTOCOL_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "speaks protocol {v}; this suite speaks {PROTOCOL_VERSION}"
            ));
        }
        None => return Err("\"protocol\" must be an integer".into()),
    }
    let imp = map.get("implementation").and_then(Value::as_object);
    let field = |k: &str| {
        imp.and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let name = field("name").ok_or("\"implementation.name\" must be a string")?;
    let version = field("version").ok_or("\"implementation.version\" must be a string")?;
    Ok(ImplInfo {
        name,
        version,
        ops: string_list(&map, "ops")?,
        features: string_list(&map, "features")?,
    })
}

/// The members of which an answer holds exactly one.
const ANSWERS: [&str; 4] = ["result", "accepted", "error", "unsupported"];

/// Parses an answer line and checks it answers `id`.
pub fn parse_reply(line: &[u8], id: &str) -> Result<Reply, String> {
    let map = object(line)?;
    match map.get("id") {
        Some(Value::String(got)) if got == id => {}
        Some(Value::String(got)) => return Err(format!("answered id {got:?}, expected {id:?}")),
        _ => return Err("\"id\" must be the request's id, a string".into()),
    }
    let present: Vec<&str> = ANSWERS
        .into_iter()
        .filter(|k| map.contains_key(*k))
        .collect();
    match present.as_slice() {
        ["result"] => Ok(Reply::Result(map["result"].clone())),
        ["accepted"] => match &map["accepted"] {
            Value::Bool(true) => Ok(Reply::Accepted),
            other => Err(format!("\"accepted\" must be true, got {}", kind(other))),
        },
        ["error"] => {
            let e = map["error"]
                .as_object()
                .ok_or("\"error\" must be an object")?;
            let code = e
                .get("code")
                .and_then(Value::as_str)
                .ok_or("\"error.code\" must be a string")?;
            let message = e.get("message").and_then(Value::as_str).unwrap_or_default();
            Ok(Reply::Error {
                code: code.to_owned(),
                message: message.to_owned(),
            })
        }
        ["unsupported"] => {
            let why = match &map["unsupported"] {
                Value::String(s) => s.clone(),
                Value::Bool(true) => String::new(),
                other => {
                    return Err(format!(
                        "\"unsupported\" must be a string, got {}",
                        kind(other)
                    ));
                }
            };
            Ok(Reply::Unsupported(why))
        }
        [] => Err(
            "the answer has none of \"result\", \"accepted\", \"error\", \"unsupported\"".into(),
        ),
        _ => Err(format!(
            "the answer has more than one of {}",
            present.join(", ")
        )),
    }
}

/// Decodes `{"$base64": "..."}`; `None` for anything else or bad base64.
pub fn decode_bytes(v: &Value) -> Option<Vec<u8>> {
    let map = v.as_object()?;
    if map.len() != 1 {
        return None;
    }
    let b64 = map.get(BYTES_MARKER)?.as_str()?;
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// The canonical form results are compared in: `$base64` bytes that are
/// UTF-8 become strings, so either spelling of text compares equal.
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            if let Some(bytes) = decode_bytes(v)
                && let Ok(s) = String::from_utf8(bytes)
            {
                return Value::String(s);
            }
            Value::Object(map.iter().map(|(k, v)| (k.clone(), canonical(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The form shown to people: like [`canonical`], and bytes that are not
/// UTF-8 are shown escaped (`{"$bytes": "\\xff..."}`) rather than as base64.
pub fn display(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            if let Some(bytes) = decode_bytes(v) {
                return match String::from_utf8(bytes) {
                    Ok(s) => Value::String(s),
                    Err(e) => json!({ "$bytes": e.into_bytes().escape_ascii().to_string() }),
                };
            }
            Value::Object(map.iter().map(|(k, v)| (k.clone(), display(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(display).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_text_is_canonically_a_string() {
        assert_eq!(
            canonical(&json!({"a": {"$base64": "aGk="}})),
            json!({"a": "hi"})
        );
        assert_eq!(
            canonical(&json!({"$base64": "/w=="})),
            json!({"$base64": "/w=="})
        );
        assert_eq!(
            display(&json!({"$base64": "/w=="})),
            json!({"$bytes": "\\xff"})
        );
    }

    #[test]
    fn reply_must_carry_exactly_one_outcome() {
        assert!(parse_reply(br#"{"id":"x","result":1,"error":{"code":"c"}}"#, "x").is_err());
        assert!(parse_reply(br#"{"id":"y","result":1}"#, "x").is_err());
        assert!(parse_reply(br#"{"id":"x"}"#, "x").is_err());
        assert_eq!(
            parse_reply(br#"{"id":"x","result":1}"#, "x"),
            Ok(Reply::Result(json!(1)))
        );
    }
}
