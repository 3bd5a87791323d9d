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

/// Text from an implementation for one line of a terminal: control
/// characters (line feeds included) escaped, and at most `max` characters,
/// with a note of what was left out.
pub fn one_line(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (shown, c) in s.chars().enumerate() {
        if shown == max {
            let rest = s.chars().count() - max;
            out.push_str(&format!("… ({rest} more characters)"));
            break;
        }
        // Controls, and the invisible format characters that reorder or
        // hide text (bidi overrides, zero-width), are shown escaped.
        if c.is_control() {
            out.extend(c.escape_default());
        } else if is_invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// At most `max_lines` lines and `max_bytes` bytes of `text` for a
/// terminal, with a note of what was left out (reports keep it all).
pub fn clip(text: &str, max_lines: usize, max_bytes: usize) -> String {
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        if n == max_lines || out.len() + line.len() > max_bytes {
            let rest = text.lines().count() - n;
            out.push_str(&format!(
                "… ({rest} more lines; the whole text is in the --json report)\n"
            ));
            return out;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The known name closest to a misspelt one, for "did you mean" lines.
pub fn nearest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .min_by_key(|k| strsim::levenshtein(k, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implementation_text_stays_on_its_line_and_in_its_bounds() {
        assert_eq!(one_line("lib\nresult: ok", 80), "lib\\nresult: ok");
        assert_eq!(one_line("a\u{202E}b", 80), "a\\u{202e}b");
        assert_eq!(
            one_line(&"x".repeat(100), 10),
            format!("{}… (90 more characters)", "x".repeat(10))
        );
        let long = "a\n".repeat(10);
        assert_eq!(
            clip(&long, 3, 1000),
            "a\na\na\n… (7 more lines; the whole text is in the --json report)\n"
        );
        assert_eq!(
            clip("abc\ndef\n", 10, 5),
            "abc\n… (1 more lines; the whole text is in the --json report)\n"
        );
    }
}
