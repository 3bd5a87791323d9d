//! Your crate's `tests/mimispec.rs`, a test target with `harness = false`:
//! the mimispec corpus against your code in your own `cargo test`.

use mimispec::api::{Answer, Implementation, Ops, Suite};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Your library; here a small msg-id parser (RFC 5322 §3.6.4).
mod msgid {
    pub enum Error {
        Angles,
        NoAt,
        Empty,
        BadDot,
        BadChar,
    }

    /// `<id-left@id-right>`, both dot-atom-text: no no-fold-literal yet.
    pub fn parse(text: &str) -> Result<(&str, &str), Error> {
        let inner = text.strip_prefix('<').and_then(|t| t.strip_suffix('>'));
        let (left, right) = inner
            .ok_or(Error::Angles)?
            .split_once('@')
            .ok_or(Error::NoAt)?;
        dot_atom(left)?;
        dot_atom(right)?;
        Ok((left, right))
    }

    fn dot_atom(s: &str) -> Result<(), Error> {
        if s.is_empty() {
            return Err(Error::Empty);
        }
        for atom in s.split('.') {
            if atom.is_empty() {
                return Err(Error::BadDot);
            }
            let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
            if !atom.chars().all(atext) {
                return Err(Error::BadChar);
            }
        }
        Ok(())
    }
}

/// The op's input and result as harness/PROTOCOL.md gives them
/// (`mimispec schema immi.msg_id.parse`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Parts<'a> {
    id_left: &'a str,
    id_right: &'a str,
}

pub struct MsgIdParser;

impl Implementation for MsgIdParser {
    fn name(&self) -> &str {
        "msgid-example"
    }

    fn version(&self) -> &str {
        env!("CARGO_PKG_VERSION")
    }

    /// Cases of every other op are not sent (the summary counts them).
    fn ops(&self) -> Ops {
        Ops::named(["immi.msg_id.parse"])
    }

    fn call(&self, op: &str, input: &Value) -> Answer {
        if op != "immi.msg_id.parse" {
            return Answer::unsupported(format!("{op} is not written yet"));
        }
        let text = match Text::deserialize(input) {
            Ok(t) => t.text,
            Err(e) => return Answer::Malformed(format!("input: {e}")),
        };
        match msgid::parse(&text) {
            Ok((id_left, id_right)) => Answer::result(&Parts { id_left, id_right }),
            // Your own codes; the expectations file maps them onto the suite's.
            Err(e) => Answer::error(
                match e {
                    msgid::Error::Angles => "E_ANGLES",
                    msgid::Error::NoAt => "E_NO_AT",
                    msgid::Error::Empty => "E_EMPTY",
                    msgid::Error::BadDot => "E_BAD_DOT",
                    msgid::Error::BadChar => "E_BAD_CHAR",
                },
                "not a msg-id",
            ),
        }
    }
}

/// The suite as this crate runs it (a function, so other tests can take it).
pub fn suite() -> Suite<MsgIdParser> {
    Suite::new(MsgIdParser)
        // Known failures and error-code map; a path that does not depend on
        // the directory the test runs in.
        .expect_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/conformance-expect.yaml"
        ))
        .strict(false) // true: SHOULD and MAY failures fail too
}

fn main() {
    suite().run()
}
