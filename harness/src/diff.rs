//! Expected-versus-actual text for people: pretty JSON and a line diff.

use serde_json::{Value, json};
use similar::{ChangeTag, TextDiff};

use crate::corpus::Expect;
use crate::protocol::display;

/// What the vector expects, in the shape of an answer.
pub fn expected_json(expect: &Expect) -> Value {
    match expect {
        Expect::Result(v) => json!({ "result": v }),
        Expect::Reject(r) => match &r.code {
            Some(code) => json!({ "error": { "code": code } }),
            None => json!({ "error": {} }),
        },
        Expect::Properties(props) => json!({ "properties": props }),
    }
}

/// Pretty JSON with undecodable bytes shown escaped.
pub fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(&display(v)).unwrap_or_default()
}

/// A unified diff, `-` for expected and `+` for actual, every line shown.
pub fn unified(expected: &str, actual: &str) -> String {
    let diff = TextDiff::from_lines(expected, actual);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            ChangeTag::Delete => '-',
            ChangeTag::Insert => '+',
            ChangeTag::Equal => ' ',
        };
        out.push(sign);
        out.push_str(change.value().trim_end_matches('\n'));
        out.push('\n');
    }
    out
}

/// Text from an implementation, safe to print on a terminal: control
/// characters other than newline and tab are escaped.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}
