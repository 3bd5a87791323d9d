//! Property checks for results that are not unique (see vectors/SCHEMA.md).
//! A check re-reads the output with the reference, never with the
//! implementation under test.

use serde_json::Value;

use crate::corpus::{Block, Property};
use crate::protocol::{canonical, display};

/// `Ok` when the property holds; otherwise one line saying what does not.
pub fn check(p: &Property, result: &Value) -> Result<(), String> {
    match p {
        Property::Reparse {
            op,
            with,
            result: want,
            at,
            not_at,
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
                        if let Some(m) = mismatch(v, path, want) {
                            return Err(format!("reparse with {op}: {m}"));
                        }
                    }
                    for (path, other) in not_at.iter().flatten() {
                        let v =
                            self::at(&got, path).map_err(|e| format!("reparse with {op}: {e}"))?;
                        if canonical(v) == canonical(other) {
                            return Err(format!(
                                "reparse with {op}: {path} is {}, which the vector says it must not be",
                                display(v)
                            ));
                        }
                    }
                    Ok(())
                }
            }
        }
        Property::Crlf { path } => {
            let s = text_at(result, path, "crlf")?;
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
            let s = text_at(result, path, "lines")?;
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
        Property::Equals { path, value } => match mismatch(at(result, path)?, path, value) {
            Some(m) => Err(format!("equals: {m}")),
            None => Ok(()),
        },
    }
}

fn at<'a>(v: &'a Value, path: &str) -> Result<&'a Value, String> {
    v.pointer(path)
        .ok_or_else(|| format!("the result has nothing at {path}"))
}

/// The string at `path`, for the property named `what`.
fn text_at<'a>(v: &'a Value, path: &str, what: &str) -> Result<&'a str, String> {
    at(v, path)?
        .as_str()
        .ok_or_else(|| format!("{what}: {path} is not a string"))
}

/// What differs when `got` (found at `path`) is not `want`.
fn mismatch(got: &Value, path: &str, want: &Value) -> Option<String> {
    (canonical(got) != canonical(want)).then(|| {
        format!(
            "{path} is {}, the vector wants {}",
            display(got),
            display(want)
        )
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn reparse_at(path: &str, want: Value) -> Property {
        let mut at = serde_json::Map::new();
        at.insert(path.into(), want);
        Property::Reparse {
            op: "immi.msg_id.parse".into(),
            with: None,
            result: None,
            at: Some(at),
            not_at: None,
        }
    }

    #[test]
    fn reparse_not_at_fails_on_the_value_it_names() {
        let mut not = serde_json::Map::new();
        not.insert("/id_right".into(), json!("b"));
        let p = Property::Reparse {
            op: "immi.msg_id.parse".into(),
            with: None,
            result: None,
            at: None,
            not_at: Some(not),
        };
        assert_eq!(check(&p, &json!({"text": "<a@c>"})), Ok(()));
        assert_eq!(
            check(&p, &json!({"text": "<a@b>"})),
            Err("reparse with immi.msg_id.parse: /id_right is \"b\", which the vector says it must not be".into())
        );
    }

    #[test]
    fn reparse_at_is_checked_pointer_by_pointer() {
        let p = reparse_at("/id_right", json!("b"));
        let written = json!({"text": "<a@b>"});
        assert_eq!(check(&p, &written), Ok(()));
        assert_eq!(
            check(&p, &json!({"text": "<a@c>"})),
            Err(
                "reparse with immi.msg_id.parse: /id_right is \"c\", the vector wants \"b\"".into()
            )
        );
        let missing = reparse_at("/nothing", json!(1));
        assert!(
            check(&missing, &written)
                .unwrap_err()
                .contains("nothing at /nothing")
        );
    }

    #[test]
    fn lines_checks_the_block_it_names() {
        let p = Property::Lines {
            path: "/entity".into(),
            max: 10,
            within: Some(Block::Header),
        };
        let ok = json!({"entity": "A: 12345\r\nB: 1\r\n\r\nbody longer than ten\r\n"});
        assert_eq!(check(&p, &ok), Ok(()));
        let long = json!({"entity": "A: 12345\r\nB: 12345678\r\n\r\nx\r\n"});
        assert_eq!(
            check(&p, &long),
            Err("lines: line 2 of the header block at /entity has 11 octets, more than 10".into())
        );
    }
}
