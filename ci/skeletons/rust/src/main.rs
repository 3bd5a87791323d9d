//! A mimispec adapter skeleton in Rust: serde_json and base64, nothing else.
//!
//! Every op of the suite is declared and answered "unsupported", so a run
//! passes with every case unsupported. Fill it in one op at a time: replace
//! a stub below with a call into your library and return `result(...)` or
//! `error(...)`. Input and result shapes: harness/PROTOCOL.md, or
//! `mimispec schema OP`.
//!
//! ```sh
//! cargo build --release
//! mimispec run --impl target/release/mimispec-adapter-skeleton              # one process for the run
//! mimispec run --impl target/release/mimispec-adapter-skeleton --one-shot   # one process per case
//! cargo test                                                                 # its own checks
//! ```
//!
//! Answers go to stdout and nothing else may: log with `eprintln!`, never
//! `println!`, here and in what you call.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};

/// Your implementation's name and version, for reports.
const NAME: &str = "rust-skeleton";
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Optional features you support (PROTOCOL.md, Features), such as "enum-apex".
const FEATURES: &[&str] = &[];

/// An input that breaks its op's documented shape (a harness bug).
#[derive(Debug)]
struct BadInput(String);

/// An answer's one member besides `id`.
#[derive(Debug)]
enum Answer {
    Result(Value),
    Error { code: String, message: String },
    Unsupported(String),
}

type Answered = Result<Answer, BadInput>;
type Op = fn(&Value) -> Answered;

#[allow(dead_code)] // until a stub returns one
fn result(value: Value) -> Answer {
    Answer::Result(value)
}

/// A rejection: the suite's code (PROTOCOL.md lists each op's) or yours (map
/// yours with an error-map in your --expect file).
fn error(code: &str, message: impl Into<String>) -> Answer {
    Answer::Error {
        code: code.to_owned(),
        message: message.into(),
    }
}

/// What a stub answers. The reason names the sizes of the bytes it decoded,
/// so a run shows each stub read its input (ci/skeletons/check.sh checks
/// them); any string will do once you fill it in.
fn unsupported(read: &[&[u8]]) -> Answer {
    if read.is_empty() {
        return Answer::Unsupported("not implemented yet".into());
    }
    let sizes: Vec<String> = read.iter().map(|b| b.len().to_string()).collect();
    Answer::Unsupported(format!(
        "not implemented yet (bytes read: {})",
        sizes.join(", ")
    ))
}

/// An input member documented as bytes: a JSON string (its UTF-8) or
/// `{"$base64": "..."}` (standard alphabet, padded).
fn bytes(value: &Value) -> Result<Vec<u8>, BadInput> {
    if let Value::String(text) = value {
        return Ok(text.as_bytes().to_vec());
    }
    let only = value.as_object().filter(|m| m.len() == 1);
    match only.and_then(|m| m.get("$base64")) {
        Some(Value::String(b64)) => STANDARD
            .decode(b64)
            .map_err(|e| BadInput(format!("$base64: {e}"))),
        _ => Err(BadInput(
            "bytes are a string or {\"$base64\": \"...\"}".into(),
        )),
    }
}

/// Bytes for a result member: a JSON string when they are UTF-8, else
/// `{"$base64": "..."}`. Example: `Ok(result(json!({"entity": bytes_value(&out)})))`.
#[allow(dead_code)] // until a stub returns bytes
fn bytes_value(data: &[u8]) -> Value {
    match std::str::from_utf8(data) {
        Ok(text) => Value::String(text.to_owned()),
        Err(_) => json!({ "$base64": STANDARD.encode(data) }),
    }
}

fn array<'a>(value: &'a Value, member: &str) -> Result<&'a Vec<Value>, BadInput> {
    value
        .as_array()
        .ok_or_else(|| BadInput(format!("{member} is not an array")))
}

// One stub per op, in PROTOCOL.md's order. Each gets the case's input (an
// object) and returns result(...), error(...) or unsupported(...).

/// input {text}
/// result {id_left, id_right}
fn immi_msg_id_parse(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {text}
/// result {msg_id: object, name}
fn immi_msg_id_header_parse(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {text}
/// result {entries: [object]}
fn immi_disposition_notification_parse(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {entries: [{msg_id, status}]}
/// result {text}
fn immi_disposition_notification_build(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {text}
/// result {fraction, offset_minutes: integer, unknown_offset: boolean, utc}
fn immi_datetime_parse(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {message: bytes}
/// result {body: bytes, content_disposition: object, content_length: integer, content_type:
///     object, datetime: object, dispositions: [object], expires: object, expiring:
///     boolean, from: object, headers: [object], in_reply_to, kind, message_id, supersedes}
fn immi_message_parse(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    Ok(unsupported(&[&message]))
}

/// input {message: bytes}
/// result {body: bytes, content_disposition: object, content_type: object, datetime:
///     object, dispositions: [object], expires: object, expiring: boolean, from: object,
///     in_reply_to, kind, message_id, supersedes}
fn immi_message_summary(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    Ok(unsupported(&[&message]))
}

/// input {body: bytes, content_disposition?, content_type?, datetime, expires?, from:
///     {display_name?, uri}, in_reply_to?, message_id, supersedes?}
/// result {message: bytes}
fn immi_message_build(input: &Value) -> Answered {
    let body = bytes(&input["body"])?;
    Ok(unsupported(&[&body]))
}

/// input {members: object, message: bytes, required: [string]}
/// result {reason?, render: object, sendable: boolean}
fn immi_content_negotiate(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    Ok(unsupported(&[&message]))
}

/// input {events: [{message: bytes, sender}], known_reactions?: [string], now}
/// result {ignored: [object], messages: [object], rejected: [object]}
fn immi_conversation_apply(input: &Value) -> Answered {
    let events = array(&input["events"], "events")?;
    let messages = events
        .iter()
        .map(|event| bytes(&event["message"]))
        .collect::<Result<Vec<_>, _>>()?;
    let read: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    Ok(unsupported(&read))
}

/// input {text}
/// result {record: object, status, unknown_tags: object} | {reason, status, v}
fn discovery_mssi_parse(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {text}
/// result {mui}
fn discovery_mui_parse(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {apex?, number}
/// result {domain}
fn discovery_enum_domain(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {address, mimix_target}
/// result {mui}
fn discovery_email_mui(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {dns: {mimi_type: integer, mimix_type: integer, server, timeout_ms?: integer},
///     identifier, kind, oracle?}
/// result {mui, services: [object], via}
fn discovery_identifier_resolve(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {text}
/// result {parameters: object, subtype, type}
fn application_mime_content_type_parse(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {entity: bytes}
/// result {boundary, epilogue?: bytes, parts: [bytes], preamble?: bytes}
fn application_mime_multipart_parse(input: &Value) -> Answered {
    let entity = bytes(&input["entity"])?;
    Ok(unsupported(&[&entity]))
}

/// input {entity: bytes}
/// result {entity: bytes}
fn application_mime_wrapper_wrap(input: &Value) -> Answered {
    let entity = bytes(&input["entity"])?;
    Ok(unsupported(&[&entity]))
}

/// input {depth?: integer, entity: bytes}
/// result {entity: bytes, layers: integer}
fn application_mime_wrapper_unwrap(input: &Value) -> Answered {
    let entity = bytes(&input["entity"])?;
    Ok(unsupported(&[&entity]))
}

/// input {entity: bytes}
/// result {contained_type, parameters: object}
fn application_mime_wrapper_describe(input: &Value) -> Answered {
    let entity = bytes(&input["entity"])?;
    Ok(unsupported(&[&entity]))
}

/// input {entity: bytes}
/// result {transfer_encoding}
fn application_mime_entity_transfer_encoding(input: &Value) -> Answered {
    let entity = bytes(&input["entity"])?;
    Ok(unsupported(&[&entity]))
}

/// input {entity: bytes}
/// result {class, long_lines: boolean}
fn application_mime_entity_data_class(input: &Value) -> Answered {
    let entity = bytes(&input["entity"])?;
    Ok(unsupported(&[&entity]))
}

/// input {message: bytes}
/// result {parts: [object]}
fn application_mime_parts_list(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    Ok(unsupported(&[&message]))
}

/// input {message: bytes}
/// result {wrappers: [bytes]}
fn application_mime_wrappers_list(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    Ok(unsupported(&[&message]))
}

/// input {action, message: bytes}
/// result {message: bytes}
fn application_mime_gateway_process(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    Ok(unsupported(&[&message]))
}

/// input {peer_version}
/// result {send}
fn pep_version_choose(_input: &Value) -> Answered {
    Ok(unsupported(&[]))
}

/// input {message: bytes, recipient_key: bytes, sender_key: bytes, version}
/// result {message: bytes}
fn pep_message_wrap(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    let recipient_key = bytes(&input["recipient_key"])?;
    let sender_key = bytes(&input["sender_key"])?;
    Ok(unsupported(&[&message, &recipient_key, &sender_key]))
}

/// input {message: bytes, recipient_key: bytes}
/// result {body: object, forwarded_attachments: integer, headers: [[string, string]],
///     sender_fpr, subject, version_detected, wrapped_info}
fn pep_message_unwrap(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    let recipient_key = bytes(&input["recipient_key"])?;
    Ok(unsupported(&[&message, &recipient_key]))
}

/// input {message: bytes}
/// result {content_type, header_names: [string], message_id, parts: [object], protocol,
///     subject, subject_8bit: boolean}
fn pep_message_structure(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    Ok(unsupported(&[&message]))
}

/// input {message: bytes, recipient_key: bytes}
/// result {peer_version}
fn pep_message_peer_version(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    let recipient_key = bytes(&input["recipient_key"])?;
    Ok(unsupported(&[&message, &recipient_key]))
}

/// input {message: bytes, recipient_key: bytes, sender_key: bytes}
/// result {signature}
fn pep_message_signature(input: &Value) -> Answered {
    let message = bytes(&input["message"])?;
    let recipient_key = bytes(&input["recipient_key"])?;
    let sender_key = bytes(&input["sender_key"])?;
    Ok(unsupported(&[&message, &recipient_key, &sender_key]))
}

/// The one table: op name -> stub. The hello declares exactly these.
const OPS: &[(&str, Op)] = &[
    ("immi.msg_id.parse", immi_msg_id_parse),
    ("immi.msg_id_header.parse", immi_msg_id_header_parse),
    (
        "immi.disposition_notification.parse",
        immi_disposition_notification_parse,
    ),
    (
        "immi.disposition_notification.build",
        immi_disposition_notification_build,
    ),
    ("immi.datetime.parse", immi_datetime_parse),
    ("immi.message.parse", immi_message_parse),
    ("immi.message.summary", immi_message_summary),
    ("immi.message.build", immi_message_build),
    ("immi.content.negotiate", immi_content_negotiate),
    ("immi.conversation.apply", immi_conversation_apply),
    ("discovery.mssi.parse", discovery_mssi_parse),
    ("discovery.mui.parse", discovery_mui_parse),
    ("discovery.enum.domain", discovery_enum_domain),
    ("discovery.email.mui", discovery_email_mui),
    ("discovery.identifier.resolve", discovery_identifier_resolve),
    (
        "application_mime.content_type.parse",
        application_mime_content_type_parse,
    ),
    (
        "application_mime.multipart.parse",
        application_mime_multipart_parse,
    ),
    (
        "application_mime.wrapper.wrap",
        application_mime_wrapper_wrap,
    ),
    (
        "application_mime.wrapper.unwrap",
        application_mime_wrapper_unwrap,
    ),
    (
        "application_mime.wrapper.describe",
        application_mime_wrapper_describe,
    ),
    (
        "application_mime.entity.transfer_encoding",
        application_mime_entity_transfer_encoding,
    ),
    (
        "application_mime.entity.data_class",
        application_mime_entity_data_class,
    ),
    ("application_mime.parts.list", application_mime_parts_list),
    (
        "application_mime.wrappers.list",
        application_mime_wrappers_list,
    ),
    (
        "application_mime.gateway.process",
        application_mime_gateway_process,
    ),
    ("pep.version.choose", pep_version_choose),
    ("pep.message.wrap", pep_message_wrap),
    ("pep.message.unwrap", pep_message_unwrap),
    ("pep.message.structure", pep_message_structure),
    ("pep.message.peer_version", pep_message_peer_version),
    ("pep.message.signature", pep_message_signature),
];

fn hello() -> Value {
    json!({
        "type": "hello",
        "protocol": 1,
        "implementation": { "name": NAME, "version": VERSION },
        "ops": OPS.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
        "features": FEATURES,
    })
}

/// The answer to one request line.
fn answer(line: &[u8]) -> Value {
    let request: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => return with_id(Value::Null, error("mimispec.bad_request", e.to_string())),
    };
    if !request.is_object() {
        return with_id(Value::Null, error("mimispec.bad_request", "not an object"));
    }
    if request["type"] == "hello" {
        return hello();
    }
    let id = request["id"].clone();
    if request["type"] != "case" {
        return with_id(
            id,
            error("mimispec.bad_request", "type must be hello or case"),
        );
    }
    let op = request["op"].as_str().unwrap_or_default();
    let Some((_, stub)) = OPS.iter().find(|(name, _)| *name == op) else {
        return with_id(id, Answer::Unsupported(format!("no stub for op {op:?}")));
    };
    if !request["input"].is_object() {
        return with_id(id, error("mimispec.bad_input", "input is not an object"));
    }
    // A panic ends the process with its message on stderr: the harness
    // records the case as a crash and starts a new process.
    match stub(&request["input"]) {
        Ok(a) => with_id(id, a),
        Err(BadInput(why)) => with_id(id, error("mimispec.bad_input", why)),
    }
}

fn with_id(id: Value, answer: Answer) -> Value {
    match answer {
        Answer::Result(v) => json!({ "id": id, "result": v }),
        Answer::Error { code, message } => {
            json!({ "id": id, "error": { "code": code, "message": message } })
        }
        Answer::Unsupported(why) => json!({ "id": id, "unsupported": why }),
    }
}

/// One request per line until `input` ends: this serves both modes
/// (persistent: many lines; --one-shot: one line, then end of input).
fn serve(mut input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        if line.trim_ascii().is_empty() {
            continue;
        }
        let mut text = answer(&line).to_string().into_bytes();
        text.push(b'\n');
        output.write_all(&text)?;
        output.flush()?; // the harness waits for this line
    }
}

fn main() -> ExitCode {
    match serve(io::stdin().lock(), io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        // The harness closed our stdout: nothing left to answer.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{NAME}: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_of_bytes_are_read() {
        assert_eq!(bytes(&json!("p≡p")).unwrap(), "p≡p".as_bytes());
        assert_eq!(bytes(&json!({"$base64": "/w=="})).unwrap(), [0xff]);
        assert_eq!(bytes(&json!({"$base64": ""})).unwrap(), b"");
    }

    #[test]
    fn malformed_bytes_are_bad_input() {
        for bad in [
            json!({"$base64": "!"}),
            json!({"$base64": "/w"}),
            json!({"$base64": "aGk=", "x": 1}),
            json!({}),
            json!([]),
            json!(1),
            Value::Null,
        ] {
            assert!(bytes(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn results_are_strings_when_utf8() {
        assert_eq!(bytes_value(b"\xef\xbb\xbfa\r\n"), json!("\u{feff}a\r\n"));
        assert_eq!(bytes_value(&[0xff, 0xfe]), json!({"$base64": "//4="}));
        assert_eq!(bytes_value(b"\xed\xa0\x80"), json!({"$base64": "7aCA"}));
    }

    #[test]
    fn every_line_is_answered_until_end_of_input() {
        let case = json!({"type": "case", "id": "a#b", "op": "pep.message.wrap", "input":
            {"message": "m", "recipient_key": {"$base64": "AAE="}, "sender_key": "", "version": "2.1"}});
        let input = format!(
            "{}\n\n{case}\r\n{{\n",
            json!({"type": "hello", "protocol": 1, "suite": {}})
        );
        let mut out = Vec::new();
        serve(input.as_bytes(), &mut out).unwrap();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        let ops: Vec<&str> = OPS.iter().map(|(name, _)| *name).collect();
        assert_eq!(lines[0]["ops"], json!(ops));
        assert_eq!(
            lines[1],
            json!({"id": "a#b", "unsupported": "not implemented yet (bytes read: 1, 2, 0)"})
        );
        assert_eq!(lines[2]["error"]["code"], "mimispec.bad_request");
    }

    #[test]
    fn a_bad_member_is_bad_input_and_a_last_line_needs_no_lf() {
        let case = json!({"type": "case", "id": "x", "op": "immi.message.parse", "input": {"message": {"$base64": "%"}}});
        let mut out = Vec::new();
        serve(case.to_string().as_bytes(), &mut out).unwrap();
        let answer: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(answer["error"]["code"], "mimispec.bad_input");
    }
}
