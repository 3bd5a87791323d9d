//! Ops: the JSON face of the reference implementation.
//!
//! Each op is `<family>.<thing>.<verb>` and maps an input object to a result
//! or an error code. The shapes are the protocol's (harness/PROTOCOL.md);
//! the external subject sends the same JSON to an implementation, so the
//! reference and every implementation are judged on one form. One module per
//! family, each with an `OPS` table.

mod application_mime;
mod discovery;
mod immi;
mod immi_conversation;
mod immi_message;
mod pep;

use base64::Engine as _;
use serde_json::Value;

/// An op's rejection: a stable dotted code and a human sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    pub code: String,
    pub message: String,
}

impl OpError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// The input does not have the shape the op documents: a vector bug or
    /// a harness bug, never a verdict on the implementation.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(BAD_INPUT, message)
    }
}

/// The code for an input that does not match the op's documented shape.
pub const BAD_INPUT: &str = "mimispec.bad_input";

pub type OpResult = Result<Value, OpError>;

/// One op of the reference.
pub struct OpSpec {
    pub name: &'static str,
    pub run: fn(&Value) -> OpResult,
}

/// Every op the suite defines, in family order.
pub fn all() -> impl Iterator<Item = &'static OpSpec> {
    immi::OPS
        .iter()
        .chain(immi_message::OPS)
        .chain(immi_conversation::OPS)
        .chain(discovery::OPS)
        .chain(application_mime::OPS)
        .chain(pep::OPS)
}

pub fn find(name: &str) -> Option<&'static OpSpec> {
    all().find(|op| op.name == name)
}

/// Runs one op of the reference; `None` when the suite has no such op.
pub fn run(op: &str, input: &Value) -> Option<OpResult> {
    find(op).map(|spec| (spec.run)(input))
}

/// The optional features vectors may name (`feature:`), each documented in
/// PROTOCOL.md. The reference has them all.
pub const FEATURES: &[&str] = &[
    // discovery.enum.domain takes an `apex` other than e164.arpa.
    "enum-apex",
];

/// The families and the document each one serves.
pub const FAMILIES: &[(&str, &str)] = &[
    ("immi", "immi-content"),
    ("discovery", "mimi-discovery"),
    ("application_mime", "application-mime"),
    ("pep", "pep-message-2"),
];

/// A string member of the input object.
pub fn text<'a>(input: &'a Value, key: &str) -> Result<&'a str, OpError> {
    input
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| OpError::bad_input(format!("input.{key} must be a string")))
}

/// A bytes member: a JSON string (its UTF-8) or `{"$base64": "..."}`.
pub fn bytes(input: &Value, key: &str) -> Result<Vec<u8>, OpError> {
    match input.get(key) {
        Some(Value::String(s)) => Ok(s.as_bytes().to_vec()),
        Some(v) => crate::protocol::decode_bytes(v).ok_or_else(|| {
            OpError::bad_input(format!(
                "input.{key} must be a string or {{\"$base64\": ...}}"
            ))
        }),
        None => Err(OpError::bad_input(format!("input.{key} is missing"))),
    }
}

/// Bytes for a result: a JSON string when they are UTF-8, else `$base64`.
pub fn bytes_value(b: &[u8]) -> Value {
    match std::str::from_utf8(b) {
        Ok(s) => Value::String(s.to_owned()),
        Err(_) => {
            serde_json::json!({ "$base64": base64::engine::general_purpose::STANDARD.encode(b) })
        }
    }
}
