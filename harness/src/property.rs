//! Property checks for results that are not unique (see vectors/SCHEMA.md).
//! A check re-reads the output with the reference, never with the
//! implementation under test.

use serde_json::Value;

use crate::protocol::{canonical, display};
use crate::vector::{Block, Property};

/// `Ok` when the property holds; otherwise one line saying what does not.
pub fn check(p: &Property, result: &Value) -> Result<(), String> {
    match p {
        Property::Reparse {
            op,
            with,
            result: want,
            at,
        } => {
            let mut input = result.clone();
            if let (Some(Value::Object(extra)), Value::Object(map)) = (with, &mut input) {
                map.extend(extra.clone());
            }
            let Some(outcome) = crate::ops::run(op, &input) else {
                return Err(format!("reparse: no op {op}"));
            };
            match (outcome, want) {
                (Err(e), _) => Err(format!(
                    "reparse with {op} failed: {} ({})",
                    e.code, e.message
                )),
                (Ok(got), Some(want)) if canonical(&got) != canonical(want) => Err(format!(
                    "reparse with {op} gives {}, the vector wants {}",
                    display(&got),
                    display(want)
                )),
                (Ok(got), _) => {
                    for (path, want) in at.iter().flatten() {
                        let v =
                            self::at(&got, path).map_err(|e| format!("reparse with {op}: {e}"))?;
                        if canonical(v) != canonical(want) {
                            return Err(format!(
                                "reparse with {op}: {path} is {}, the vector wants {}",
                                display(v),
                                display(want)
                            ));
                        }
                    }
                    Ok(())
                }
            }
        }
        Property::Crlf { path } => {
            let s = at(result, path)?
                .as_str()
                .ok_or_else(|| format!("crlf: {path} is not a string"))?;
            let bytes = s.as_bytes();
            if let Some(i) = bytes
                .iter()
                .enumerate()
                .position(|(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'))
            {
                return Err(format!("crlf: {path} has a bare LF at offset {i}"));
            }
            if !s.ends_with("\r\n") {
                return Err(format!("crlf: {path} does not end with CRLF"));
            }
            Ok(())
        }
        Property::Lines { path, max, within } => {
            let s = at(result, path)?
                .as_str()
                .ok_or_else(|| format!("lines: {path} is not a string"))?;
            let (text, what) = match (within, s.split_once("\r\n\r\n")) {
                (Some(Block::Header), Some((head, _))) => (head, "the header block"),
                (Some(Block::Body), Some((_, body))) => (body, "the body"),
                (Some(Block::Body), None) => ("", "the body"),
                _ => (s, "the text"),
            };
            for (i, line) in text.split("\r\n").enumerate() {
                if line.len() > *max {
                    return Err(format!(
                        "lines: line {} of {what} at {path} has {} octets, more than {max}",
                        i + 1,
                        line.len()
                    ));
                }
            }
            Ok(())
        }
        Property::Equals { path, value } => {
            let got = at(result, path)?;
            if canonical(got) == canonical(value) {
                Ok(())
            } else {
                Err(format!(
                    "equals: {path} is {}, the vector wants {}",
                    display(got),
                    display(value)
                ))
            }
        }
    }
}

fn at<'a>(v: &'a Value, path: &str) -> Result<&'a Value, String> {
    v.pointer(path)
        .ok_or_else(|| format!("the result has nothing at {path}"))
}
