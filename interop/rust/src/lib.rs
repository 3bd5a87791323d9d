//! The part every adapter of this crate shares: the mimispec protocol's
//! JSON-lines loop and the hello (harness/PROTOCOL.md), plus the protocol's
//! bytes spelling. No library logic lives here: each binary in src/bin/ maps
//! one library call per op.

use serde_json::{Map, Value, json};
use std::io::{BufRead, Write};

/// What an adapter answers for one case.
pub enum Answer {
    /// The op's result, in the shape PROTOCOL.md gives.
    Result(Value),
    /// The library rejected the input: its own error name and message.
    Error { code: String, message: String },
    /// The library says "valid" but gives no result of the op's shape.
    Accepted,
    /// The adapter cannot answer this case.
    Unsupported(String),
}

impl Answer {
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Answer::Error {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The hello an adapter sends: its library, the ops and features it declares.
pub struct Hello {
    pub name: &'static str,
    pub version: &'static str,
    pub ops: &'static [&'static str],
    pub features: &'static [&'static str],
}

/// Reads requests from stdin until it ends, answers each on one line of
/// stdout, flushed. `handle` gets the op and the input of a case.
pub fn run(hello: Hello, mut handle: impl FnMut(&str, &Value) -> Answer) {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Value>(&line) {
            Ok(req) => answer(&hello, &req, &mut handle),
            Err(e) => {
                json!({"id": null, "error": {"code": "mimispec.bad_request", "message": e.to_string()}})
            }
        };
        let mut text = serde_json::to_string(&answer).expect("a JSON value");
        text.push('\n');
        if out
            .write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            break;
        }
    }
}

fn answer(hello: &Hello, req: &Value, handle: &mut impl FnMut(&str, &Value) -> Answer) -> Value {
    match req.get("type").and_then(Value::as_str) {
        Some("hello") => json!({
            "type": "hello",
            "protocol": 1,
            "implementation": {"name": hello.name, "version": hello.version},
            "ops": hello.ops,
            "features": hello.features,
        }),
        Some("case") => {
            let id = req.get("id").cloned().unwrap_or(Value::Null);
            let op = req.get("op").and_then(Value::as_str).unwrap_or("");
            let empty = Value::Object(Map::new());
            let input = req.get("input").unwrap_or(&empty);
            let answer = if hello.ops.contains(&op) {
                handle(op, input)
            } else {
                Answer::Unsupported(format!("{} does not declare {op}", hello.name))
            };
            match answer {
                Answer::Result(v) => json!({"id": id, "result": v}),
                Answer::Error { code, message } => {
                    json!({"id": id, "error": {"code": code, "message": message}})
                }
                Answer::Accepted => json!({"id": id, "accepted": true}),
                Answer::Unsupported(why) => json!({"id": id, "unsupported": why}),
            }
        }
        _ => json!({"id": req.get("id").cloned().unwrap_or(Value::Null),
                    "error": {"code": "mimispec.bad_request", "message": "type is neither hello nor case"}}),
    }
}

/// A string member of the input, or the protocol's `mimispec.bad_input`.
pub fn text<'a>(input: &'a Value, member: &str) -> Result<&'a str, Answer> {
    input.get(member).and_then(Value::as_str).ok_or_else(|| {
        Answer::error(
            "mimispec.bad_input",
            format!("input.{member} is not a string"),
        )
    })
}

/// A bytes member of the input: a JSON string (its UTF-8) or {"$base64": ...}.
pub fn bytes(input: &Value, member: &str) -> Result<Vec<u8>, Answer> {
    let bad = || Answer::error("mimispec.bad_input", format!("input.{member} is not bytes"));
    match input.get(member) {
        Some(Value::String(s)) => Ok(s.as_bytes().to_vec()),
        Some(Value::Object(o)) => {
            let b64 = o.get("$base64").and_then(Value::as_str).ok_or_else(bad)?;
            data_encoding::BASE64
                .decode(b64.as_bytes())
                .map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

/// Bytes as the protocol writes them: a string when UTF-8, else {"$base64": ...}.
pub fn bytes_value(b: &[u8]) -> Value {
    match std::str::from_utf8(b) {
        Ok(s) => Value::String(s.to_string()),
        Err(_) => json!({"$base64": data_encoding::BASE64.encode(b)}),
    }
}
