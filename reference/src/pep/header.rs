//! Header field values as a reader shows them: unfolded (RFC 5322 §2.2.3),
//! trimmed, and with RFC 2047 encoded-words decoded; and the one
//! encoded-word the writer needs (the placeholder subject).
//!
//! Encoded-words are decoded wherever they stand (`=?charset?B|Q?text?=`,
//! charsets UTF-8, US-ASCII and ISO-8859-1, an RFC 2231 language suffix
//! ignored); whitespace between two adjacent encoded-words is dropped
//! (RFC 2047 §6.2). A word that does not decode is kept as written.

use crate::application_mime::encoding;
use crate::application_mime::entity::Field;

/// Removes every CRLF that precedes WSP and trims WSP at both ends.
pub fn unfold(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] == b'\r' && value.get(i + 1) == Some(&b'\n') {
            i += 2;
            continue;
        }
        out.push(value[i]);
        i += 1;
    }
    let start = out
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(out.len());
    let end = out
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |e| e + 1);
    out[start..end].to_vec()
}

/// A field value as the user reads it: unfolded, trimmed, decoded.
pub fn text(value: &[u8]) -> String {
    decode_words(&String::from_utf8_lossy(&unfold(value)))
}

/// The value of the first field called `name` (ASCII case-insensitive).
pub fn first<'a>(fields: &'a [Field<'_>], name: &str) -> Option<&'a Field<'a>> {
    fields
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
}

fn decode_charset(charset: &str, bytes: Vec<u8>) -> Option<String> {
    let cs = charset.split('*').next().unwrap_or("").to_ascii_lowercase();
    match cs.as_str() {
        "utf-8" | "utf8" => String::from_utf8(bytes).ok(),
        "us-ascii" => bytes
            .is_ascii()
            .then(|| String::from_utf8_lossy(&bytes).into()),
        "iso-8859-1" | "latin1" => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        _ => None,
    }
}

fn q_decode(text: &str) -> Option<Vec<u8>> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'_' => out.push(b' '),
            b'=' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    Some(out)
}

/// Decodes one encoded-word `=?charset?enc?text?=`, or `None`.
fn decode_word(word: &str) -> Option<String> {
    let inner = word.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut it = inner.splitn(3, '?');
    let (charset, enc, text) = (it.next()?, it.next()?, it.next()?);
    if text.contains('?') || text.contains(' ') {
        return None;
    }
    let bytes = match enc {
        "B" | "b" => encoding::base64_decode(text.as_bytes()).ok()?,
        "Q" | "q" => q_decode(text)?,
        _ => return None,
    };
    decode_charset(charset, bytes)
}

/// Decodes every encoded-word of `s` (words are runs of non-whitespace).
pub fn decode_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_was_word = false;
    let mut pending_ws = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        let ws_len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if ws_len > 0 {
            pending_ws.push_str(&rest[..ws_len]);
            rest = &rest[ws_len..];
            continue;
        }
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        let token = &rest[..end];
        rest = &rest[end..];
        match decode_word(token) {
            Some(d) => {
                if !last_was_word {
                    out.push_str(&pending_ws);
                }
                out.push_str(&d);
                last_was_word = true;
            }
            None => {
                out.push_str(&pending_ws);
                out.push_str(token);
                last_was_word = false;
            }
        }
        pending_ws.clear();
    }
    out.push_str(&pending_ws);
    out
}

/// `s` as an unstructured field value: as is when it is printable ASCII,
/// else one UTF-8 "B" encoded-word (RFC 2047 §4.1).
pub fn encode_unstructured(s: &str) -> String {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.to_owned();
    }
    let b64 = encoding::base64_encode(s.as_bytes());
    let b64: String = String::from_utf8_lossy(&b64)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    format!("=?utf-8?B?{b64}?=")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfolds_and_trims() {
        assert_eq!(unfold(b"  a\r\n\tb  "), b"a\tb");
        assert_eq!(unfold(b" \r\n "), b"");
        assert_eq!(unfold(b"x"), b"x");
    }

    #[test]
    fn decodes_words() {
        assert_eq!(decode_words("=?utf-8?B?cOKJoXA=?="), "p\u{2261}p");
        assert_eq!(decode_words("=?UTF-8?Q?p=E2=89=A1p?="), "p\u{2261}p");
        assert_eq!(decode_words("=?utf-8?q?a_b?= =?utf-8?q?c?="), "a bc");
        assert_eq!(decode_words("x =?utf-8?q?a?= y"), "x a y");
        assert_eq!(decode_words("=?iso-8859-1?q?caf=E9?="), "caf\u{e9}");
        assert_eq!(decode_words("=?koi8-r?q?x?="), "=?koi8-r?q?x?=");
        assert_eq!(decode_words("=?utf-8?x?abc?="), "=?utf-8?x?abc?=");
        assert_eq!(decode_words("=?utf-8?q?=ZZ?="), "=?utf-8?q?=ZZ?=");
        assert_eq!(decode_words("=?utf-8?b?@@?="), "=?utf-8?b?@@?=");
        assert_eq!(decode_words("=?us-ascii?q?=FF?="), "=?us-ascii?q?=FF?=");
        assert_eq!(decode_words("=?utf-8*en?q?hi?="), "hi");
        assert_eq!(decode_words("a  b "), "a  b ");
        assert_eq!(decode_words("=?utf-8?q?a?b?="), "=?utf-8?q?a?b?=");
    }

    #[test]
    fn encodes_the_placeholder() {
        assert_eq!(
            encode_unstructured(super::super::PLACEHOLDER_SUBJECT),
            "=?utf-8?B?cOKJoXA=?="
        );
        assert_eq!(encode_unstructured("pEp"), "pEp");
        assert_eq!(text(b" =?utf-8?B?cOKJoXA=?=\r\n "), "p\u{2261}p");
    }
}
