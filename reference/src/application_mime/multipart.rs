//! Multipart bodies, RFC 2046 §5.1.1:
//!
//! ```text
//! boundary := 0*69<bchars> bcharsnospace
//! bchars := bcharsnospace / " "
//! bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," /
//!                  "-" / "." / "/" / ":" / "=" / "?"
//! multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF
//!                   body-part *encapsulation close-delimiter
//!                   transport-padding [CRLF epilogue]
//! encapsulation := delimiter transport-padding CRLF body-part
//! delimiter := CRLF dash-boundary
//! close-delimiter := delimiter "--"
//! dash-boundary := "--" boundary
//! transport-padding := *LWSP-char
//! ```
//!
//! The CRLF before a delimiter belongs to the delimiter, not to the part
//! before it. A delimiter line is the whole line: `--boundary`, transport
//! padding and CRLF (or `--` for the close). RFC 2046 §5.1.1 tells readers
//! to compare the boundary "with the beginning of each candidate line" and
//! composers that it "MUST NOT appear inside any of the encapsulated parts,
//! on a line by itself or as the prefix of any line", so a line of a body
//! part that starts with `--boundary` and is no delimiter line (`--bx`,
//! `--b--x`, or `--b` right after a delimiter line, with no CRLF of its
//! own) makes the body malformed (AMIME-BOUNDARY-PREFIX-LINE). The preamble
//! and the epilogue are not body parts and may hold such lines. A body
//! without a close-delimiter is rejected (AMIME-MISSING-CLOSE-DELIMITER).
//! RFC 2045 §6.4: a multipart entity's Content-Transfer-Encoding is 7bit,
//! 8bit or binary.

use super::MimeError;
use super::content_type::ContentType;
use super::entity::{self, Entity};

/// A split multipart body, borrowing the entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipart<'a> {
    pub boundary: String,
    /// The text before the CRLF that precedes the first dash-boundary;
    /// `None` when the body starts with the dash-boundary.
    pub preamble: Option<&'a [u8]>,
    /// Each body part: its header fields, empty line and body.
    pub parts: Vec<&'a [u8]>,
    /// The text after the CRLF that follows the close-delimiter; `None`
    /// when the close-delimiter (and padding) ends the body.
    pub epilogue: Option<&'a [u8]>,
}

fn is_bchar_nospace(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'\'' | b'(' | b')' | b'+' | b'_' | b',' | b'-' | b'.' | b'/' | b':' | b'=' | b'?'
        )
}

/// Whether `b` is a valid boundary: 1 to 70 bchars, the last not a space.
pub fn valid_boundary(b: &str) -> bool {
    let s = b.as_bytes();
    (1..=70).contains(&s.len())
        && s.iter().all(|&c| c == b' ' || is_bchar_nospace(c))
        && s.last() != Some(&b' ')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Open,
    Close,
}

/// Whether a delimiter line starts at `pos`; returns its kind, the offset
/// just past it (past its CRLF, or the end of the body) and whether a CRLF
/// ended it.
fn delimiter_at(body: &[u8], pos: usize, boundary: &[u8]) -> Option<(Line, usize, bool)> {
    let rest = body.get(pos..)?;
    let rest = rest.strip_prefix(b"--")?.strip_prefix(boundary)?;
    let mut at = pos + 2 + boundary.len();
    let (kind, rest) = match rest.strip_prefix(b"--") {
        Some(r) => {
            at += 2;
            (Line::Close, r)
        }
        None => (Line::Open, rest),
    };
    let pad = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    at += pad;
    let rest = &rest[pad..];
    if rest.starts_with(b"\r\n") {
        Some((kind, at + 2, true))
    } else if rest.is_empty() && kind == Line::Close {
        Some((kind, at, false))
    } else {
        None
    }
}

/// Splits the body of an entity whose Content-Type is `ct`.
pub fn split<'a>(e: &Entity<'a>, ct: &ContentType) -> Result<Multipart<'a>, MimeError> {
    if ct.type_ != "multipart" {
        return Err(MimeError::NotMultipart);
    }
    let te = e.transfer_encoding_token()?;
    if !matches!(te.as_str(), "7bit" | "8bit" | "binary") {
        return Err(MimeError::CompositeTransferEncoding);
    }
    let boundary = ct.param("boundary").ok_or(MimeError::MissingBoundary)?;
    if !valid_boundary(boundary) {
        return Err(MimeError::BadBoundary);
    }
    split_body(e.body(), boundary)
}

/// Splits a multipart body on `boundary`.
pub fn split_body<'a>(body: &'a [u8], boundary: &str) -> Result<Multipart<'a>, MimeError> {
    let b = boundary.as_bytes();
    // The first line that is a delimiter line: at 0 or after a CRLF.
    let mut first = None;
    let mut pos = 0;
    while pos <= body.len() {
        if let Some(d) = delimiter_at(body, pos, b) {
            first = Some((pos, d));
            break;
        }
        match body[pos..].windows(2).position(|w| w == b"\r\n") {
            Some(i) => pos += i + 2,
            None => break,
        }
    }
    let Some((start, (Line::Open, mut part_start, _))) = first else {
        return Err(MimeError::MissingDelimiter);
    };
    let preamble = (start >= 2).then(|| &body[..start - 2]);
    let mut parts = Vec::new();
    let mut dash_boundary = b"--".to_vec();
    dash_boundary.extend_from_slice(b);
    loop {
        // The part's first line follows the CRLF of the delimiter line
        // before it, which is not also the CRLF of a delimiter.
        if body[part_start..].starts_with(&dash_boundary) {
            return Err(MimeError::BoundaryInPart);
        }
        // The next CRLF "--" boundary line after part_start.
        let mut search = part_start;
        let found = loop {
            let Some(i) = body[search..].windows(2).position(|w| w == b"\r\n") else {
                break None;
            };
            let crlf = search + i;
            if let Some(d) = delimiter_at(body, crlf + 2, b) {
                break Some((crlf, d));
            }
            if body[crlf + 2..].starts_with(&dash_boundary) {
                return Err(MimeError::BoundaryInPart);
            }
            search = crlf + 2;
        };
        let Some((crlf, (kind, after, crlf_after))) = found else {
            return Err(MimeError::MissingCloseDelimiter);
        };
        parts.push(&body[part_start..crlf]);
        match kind {
            Line::Open => part_start = after,
            Line::Close => {
                let epilogue = crlf_after.then(|| &body[after..]);
                return Ok(Multipart {
                    boundary: boundary.to_owned(),
                    preamble,
                    parts,
                    epilogue,
                });
            }
        }
    }
}

/// Parses a whole multipart entity.
pub fn parse(bytes: &[u8]) -> Result<Multipart<'_>, MimeError> {
    let e = entity::parse(bytes)?;
    let ct = e.content_type_or(ContentType::default_text())?;
    split(&e, &ct)
}

/// A multipart body from parts: `[preamble CRLF] --b CRLF part
/// *(CRLF --b CRLF part) CRLF --b-- [CRLF epilogue]`.
pub fn build(
    boundary: &str,
    preamble: Option<&[u8]>,
    parts: &[Vec<u8>],
    epilogue: Option<&[u8]>,
) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(p) = preamble {
        out.extend_from_slice(p);
        out.extend_from_slice(b"\r\n");
    }
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(part);
    }
    out.extend_from_slice(b"\r\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--");
    if let Some(e) = epilogue {
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mp(body: &str) -> Result<Multipart<'_>, MimeError> {
        split_body(body.as_bytes(), "b")
    }

    #[test]
    fn splits() {
        let m = mp("--b\r\nA: 1\r\n\r\nx\r\n--b\r\n\r\ny\r\n\r\n--b--\r\n").unwrap();
        assert_eq!(m.preamble, None);
        assert_eq!(m.parts, vec![&b"A: 1\r\n\r\nx"[..], &b"\r\ny\r\n"[..]]);
        assert_eq!(m.epilogue, Some(&b""[..]));
        let m = mp("pre\r\n--b \t\r\n\r\nx\r\n--b--").unwrap();
        assert_eq!(m.preamble, Some(&b"pre"[..]));
        assert_eq!(m.epilogue, None);
        let m = mp("--bx\r\n\r\n--b\r\n\r\nx -b\r\n--b--  \r\n--bx\r\n").unwrap();
        assert_eq!(m.preamble, Some(&b"--bx\r\n"[..]));
        assert_eq!(m.parts, vec![&b"\r\nx -b"[..]]);
        assert_eq!(m.epilogue, Some(&b"--bx\r\n"[..]));
        for body in [
            "--b\r\n--b--",
            "--b\r\n--bx\r\n--b--",
            "--b\r\n\r\nx\r\n--bx\r\n--b--",
            "--b\r\n\r\nx\r\n--b--x\r\n",
            "--b\r\n\r\nx\r\n--b\r\n--b--",
        ] {
            assert_eq!(mp(body).unwrap_err(), MimeError::BoundaryInPart, "{body:?}");
        }
        assert_eq!(
            mp("--b\r\n\r\nx").unwrap_err(),
            MimeError::MissingCloseDelimiter
        );
        assert_eq!(
            mp("x\r\n--b--\r\n").unwrap_err(),
            MimeError::MissingDelimiter
        );
        assert_eq!(mp("").unwrap_err(), MimeError::MissingDelimiter);
        let parts = vec![b"\r\nx".to_vec(), b"A: b\r\n\r\n".to_vec()];
        let built = build("b", Some(b"p"), &parts, Some(b"e"));
        let m = split_body(&built, "b").unwrap();
        assert_eq!(m.parts, vec![&b"\r\nx"[..], &b"A: b\r\n\r\n"[..]]);
        assert_eq!((m.preamble, m.epilogue), (Some(&b"p"[..]), Some(&b"e"[..])));
    }

    #[test]
    fn boundaries() {
        assert!(valid_boundary(&"a".repeat(70)));
        assert!(!valid_boundary(&"a".repeat(71)));
        assert!(!valid_boundary(""));
        assert!(!valid_boundary("a "));
        assert!(valid_boundary("a b"));
        assert!(!valid_boundary("a@b"));
    }

    #[test]
    fn never_panics() {
        let alphabet: &[&[u8]] = &[
            b"--",
            b"b",
            b"\r\n",
            b" ",
            b"\r",
            b"\n",
            b"x",
            b"--b",
            b"--b--",
            b"\r\n--b\r\n",
        ];
        let mut g = crate::testgen::Gen::new(0x6A09_E667_F3BC_C909);
        for _ in 0..30_000 {
            let body = g.bytes(alphabet, 16);
            if let Ok(m) = split_body(&body, "b") {
                let parts: Vec<Vec<u8>> = m.parts.iter().map(|p| p.to_vec()).collect();
                let again = build("b", m.preamble, &parts, m.epilogue);
                let m2 = split_body(&again, "b").unwrap();
                assert_eq!(m2.parts, m.parts);
            }
        }
    }
}
