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
            msg_id,
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
                    for path in msg_id.iter().flatten() {
                        let v =
                            self::at(&got, path).map_err(|e| format!("reparse with {op}: {e}"))?;
                        let s = v.as_str().ok_or_else(|| {
                            format!("reparse with {op}: {path} is {}, not a string", display(v))
                        })?;
                        one_msg_id(s).map_err(|e| {
                            format!(
                                "reparse with {op}: {path} is {}, not a msg-id: {e}",
                                display(v)
                            )
                        })?;
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

/// `Ok` when `s` is one msg-id of RFC 5322 §3.6.4: `[CFWS] "<" id-left "@"
/// id-right ">" [CFWS]`, without the obsolete forms a writer must not
/// generate (§4). The part in angle brackets is read by the reference's
/// `immi.msg_id.parse` (that grammar less CFWS and obs-id); the CFWS
/// around it is skipped here.
fn one_msg_id(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let start = skip_cfws(b, 0)?;
    let at = start
        + b[start..]
            .iter()
            .position(|&c| c == b'@')
            .ok_or("no \"@\"")?;
    // A no-fold-literal may hold '>': its end is the ']'.
    let from = if b.get(at + 1) == Some(&b'[') {
        at + 1
            + b[at + 1..]
                .iter()
                .position(|&c| c == b']')
                .ok_or("an unterminated literal")?
    } else {
        at
    };
    let end = from
        + b[from..]
            .iter()
            .position(|&c| c == b'>')
            .ok_or("no closing \">\"")?
        + 1;
    if skip_cfws(b, end)? != b.len() {
        return Err("something other than CFWS after \">\"".into());
    }
    let input = serde_json::json!({ "text": &s[start..end] });
    match crate::ops::run("immi.msg_id.parse", &input) {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(e.message),
        None => Err("the reference has no immi.msg_id.parse".into()),
    }
}

/// The index after the CFWS (RFC 5322 §3.2.2) that starts at `i`.
fn skip_cfws(b: &[u8], mut i: usize) -> Result<usize, String> {
    loop {
        while matches!(b.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            i += 1;
        }
        if b.get(i) != Some(&b'(') {
            return Ok(i);
        }
        let mut depth = 0usize;
        loop {
            match b.get(i) {
                None => return Err("an unterminated comment".into()),
                Some(b'\\') => i += 1,
                Some(b'(') => depth += 1,
                Some(b')') => {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                Some(_) => {}
            }
            i += 1;
        }
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
            msg_id: None,
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
            msg_id: None,
        };
        assert_eq!(check(&p, &json!({"text": "<a@c>"})), Ok(()));
        assert_eq!(
            check(&p, &json!({"text": "<a@b>"})),
            Err("reparse with immi.msg_id.parse: /id_right is \"b\", which the vector says it must not be".into())
        );
    }

    #[test]
    fn msg_id_takes_cfws_around_and_refuses_the_rest() {
        for ok in [
            "<a@b>",
            " <a.b@c.d> ",
            "(x (y) \\)) <a@b>\r\n (z)",
            "<a@[1.2>3]>",
        ] {
            assert_eq!(one_msg_id(ok), Ok(()), "{ok:?}");
        }
        for bad in [
            "<pEp.x@>", "<@b>", "a@b", "<a@b", "<a@b> c", "(x <a@b>", "<a@[1.2>", "<a b@c>",
            "<a..b@c>",
        ] {
            assert!(one_msg_id(bad).is_err(), "{bad:?}");
        }
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
