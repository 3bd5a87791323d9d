//! mimispec adapter for mailparse (https://crates.io/crates/mailparse).
//!
//! Ops:
//! - `application_mime.multipart.parse` -> `mailparse::parse_mail(entity)`;
//!   `boundary` is `ctype.params["boundary"]` as mailparse decoded it, `parts`
//!   are the `raw_bytes` of each of `subparts` (mailparse's own slice of the
//!   input: the octets between the CRLF that ends a delimiter line and the
//!   CRLF before the next one). `preamble` is the multipart's own body as
//!   mailparse keeps it, `get_body_encoded()` then `get_raw()` (no transfer
//!   decoding): mailparse cuts that body at the CRLF before the first
//!   delimiter line, which is the preamble. mailparse exposes no epilogue, so
//!   `epilogue` is never sent, and the feature `multipart-preamble-epilogue`
//!   is not declared. An entity that mailparse parses but does not split
//!   (not multipart/*, or no boundary parameter) is answered `accepted`:
//!   valid to mailparse, no result of this op's shape.
//! - `application_mime.content_type.parse` -> `mailparse::parse_content_type`,
//!   fed the value as mailparse's header reader gives it to parse_mail:
//!   `parse_header("Content-Type:" + text + CRLF)` then `get_value()`
//!   (unfolding; it also decodes RFC 2047 words). `parse_content_type` never
//!   fails. `type` and `subtype` are its `mimetype` split at the first `/`
//!   (none: `accepted`); `parameters` its `params` map as it is.
//! - `immi.msg_id.parse` -> `mailparse::msgidparse(text)`: a list of ids
//!   without brackets. One id holding `@` gives `id_left` and `id_right`, split
//!   at its first `@`; any other list (none, several, no `@`) is answered
//!   `accepted`: mailparse takes it, and gives no parts.
//! - Errors are `MailParseError`: the code is `mailparse.<variant>`
//!   (`mailparse.Generic`, ...), the message its Display.

use mailparse::{MailParseError, msgidparse, parse_content_type, parse_header, parse_mail};
use mimispec_interop_rust::{Answer, Hello, bytes, bytes_value, run, text};
use serde_json::{Map, Value, json};

fn error(e: MailParseError) -> Answer {
    let variant = match e {
        MailParseError::QuotedPrintableDecodeError(_) => "QuotedPrintableDecodeError",
        MailParseError::Base64DecodeError(_) => "Base64DecodeError",
        MailParseError::EncodingError(_) => "EncodingError",
        MailParseError::Generic(_) => "Generic",
    };
    Answer::error(format!("mailparse.{variant}"), e.to_string())
}

fn multipart(entity: &[u8]) -> Answer {
    let mail = match parse_mail(entity) {
        Ok(m) => m,
        Err(e) => return error(e),
    };
    let Some(boundary) = mail.ctype.params.get("boundary") else {
        return Answer::Accepted;
    };
    if !mail.ctype.mimetype.starts_with("multipart") {
        return Answer::Accepted;
    }
    let preamble = match mail.get_body_encoded() {
        mailparse::body::Body::Base64(b) | mailparse::body::Body::QuotedPrintable(b) => b.get_raw(),
        mailparse::body::Body::SevenBit(b) | mailparse::body::Body::EightBit(b) => b.get_raw(),
        mailparse::body::Body::Binary(b) => b.get_raw(),
    };
    Answer::Result(json!({
        "boundary": boundary,
        "preamble": bytes_value(preamble),
        "parts": mail.subparts.iter().map(|p| bytes_value(p.raw_bytes)).collect::<Vec<_>>(),
    }))
}

fn content_type(value: &str) -> Answer {
    let line = format!("Content-Type:{value}\r\n");
    let header = match parse_header(line.as_bytes()) {
        Ok((h, _)) => h,
        Err(e) => return error(e),
    };
    let ct = parse_content_type(&header.get_value());
    let Some((ty, sub)) = ct.mimetype.split_once('/') else {
        return Answer::Accepted;
    };
    let params: Map<String, Value> = ct
        .params
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    Answer::Result(json!({"type": ty, "subtype": sub, "parameters": params}))
}

fn msg_id(s: &str) -> Answer {
    match msgidparse(s) {
        Ok(ids) => match ids.as_slice() {
            [one] => match one.split_once('@') {
                Some((left, right)) => Answer::Result(json!({"id_left": left, "id_right": right})),
                None => Answer::Accepted,
            },
            _ => Answer::Accepted,
        },
        Err(e) => error(e),
    }
}

fn main() {
    run(
        Hello {
            name: "mailparse",
            version: env!("MIMISPEC_VERSION_MAILPARSE"),
            ops: &[
                "application_mime.multipart.parse",
                "application_mime.content_type.parse",
                "immi.msg_id.parse",
            ],
            features: &[],
        },
        |op, input| {
            let r = match op {
                "application_mime.multipart.parse" => bytes(input, "entity").map(|e| multipart(&e)),
                "application_mime.content_type.parse" => text(input, "text").map(content_type),
                _ => text(input, "text").map(msg_id),
            };
            r.unwrap_or_else(|a| a)
        },
    );
}
