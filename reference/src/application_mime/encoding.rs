//! Content-Transfer-Encodings: base64 (RFC 2045 §6.8) and
//! quoted-printable (RFC 2045 §6.7), both ways.
//!
//! Decoding is strict, because application/mime exists to carry data
//! intact: base64 skips CR, LF, SP and HTAB and rejects any other octet
//! outside the alphabet and any bad padding (AMIME-BASE64-JUNK);
//! quoted-printable deletes trailing whitespace (rule 3), takes `=` at the
//! end of a line as a soft line break and rejects `=` not followed by two
//! hex digits, octets other than printable US-ASCII, SP and HTAB, and CR or
//! LF outside a CRLF pair.

use super::MimeError;
use super::entity::TransferEncoding;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes a base64 body.
pub fn base64_decode(body: &[u8]) -> Result<Vec<u8>, MimeError> {
    let chars: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
        .collect();
    if !chars.len().is_multiple_of(4) {
        return Err(MimeError::BadBase64);
    }
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let quads = chars.len() / 4;
    for (q, quad) in chars.chunks(4).enumerate() {
        let last = q + 1 == quads;
        let pad = quad.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return Err(MimeError::BadBase64);
        }
        let mut n: u32 = 0;
        for &b in &quad[..4 - pad] {
            let v = b64_value(b).ok_or(MimeError::BadBase64)?;
            n = (n << 6) | u32::from(v);
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Ok(out)
}

/// Encodes as base64 in lines of 76 characters, each ended by CRLF.
pub fn base64_encode(data: &[u8]) -> Vec<u8> {
    let mut line = Vec::with_capacity(76);
    let mut out = Vec::with_capacity(data.len() * 4 / 3 + data.len() / 38 + 4);
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                line.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]);
            } else {
                line.push(b'=');
            }
        }
        if line.len() == 76 {
            out.append(&mut line);
            out.extend_from_slice(b"\r\n");
        }
    }
    if !line.is_empty() {
        out.append(&mut line);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Decodes a quoted-printable body.
pub fn qp_decode(body: &[u8]) -> Result<Vec<u8>, MimeError> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let (line, hard, next) = match rest.windows(2).position(|w| w == b"\r\n") {
            Some(i) => (&rest[..i], true, &rest[i + 2..]),
            None => (rest, false, &rest[rest.len()..]),
        };
        let mut end = line.len();
        while end > 0 && matches!(line[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        let line = &line[..end];
        let (line, soft) = match line.strip_suffix(b"=") {
            Some(l) => (l, true),
            None => (line, false),
        };
        let mut i = 0;
        while i < line.len() {
            let b = line[i];
            match b {
                b'=' => {
                    let h = line.get(i + 1).and_then(|&c| hex(c));
                    let l = line.get(i + 2).and_then(|&c| hex(c));
                    match (h, l) {
                        (Some(h), Some(l)) => out.push(h * 16 + l),
                        _ => return Err(MimeError::BadQuotedPrintable),
                    }
                    i += 3;
                }
                b' ' | b'\t' | 33..=126 => {
                    out.push(b);
                    i += 1;
                }
                _ => return Err(MimeError::BadQuotedPrintable),
            }
        }
        if hard && !soft {
            out.extend_from_slice(b"\r\n");
        }
        if !hard {
            return Ok(out);
        }
        rest = next;
    }
}

/// Encodes as quoted-printable: CRLF pairs become hard line breaks, lines
/// are at most 76 characters (soft breaks `=` CRLF), whitespace before a
/// line end is encoded, and every octet other than printable US-ASCII
/// (except `=`), SP and HTAB is written `=XX`.
pub fn qp_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() * 3 / 2);
    let mut rest = data;
    loop {
        let (line, hard, next) = match rest.windows(2).position(|w| w == b"\r\n") {
            Some(i) => (&rest[..i], true, &rest[i + 2..]),
            None => (rest, false, &rest[rest.len()..]),
        };
        let mut col = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let literal = match b {
                b' ' | b'\t' => !last,
                b'=' => false,
                33..=126 => true,
                _ => false,
            };
            let token_len = if literal { 1 } else { 3 };
            // Keep room for the "=" of a soft break unless this ends the line.
            let limit = if last { 76 } else { 75 };
            if col + token_len > limit {
                out.extend_from_slice(b"=\r\n");
                col = 0;
            }
            if literal {
                out.push(b);
            } else {
                out.extend_from_slice(format!("={b:02X}").as_bytes());
            }
            col += token_len;
        }
        if !hard {
            return out;
        }
        out.extend_from_slice(b"\r\n");
        rest = next;
    }
}

/// Decodes a body from `te`; the identity encodings return it unchanged.
pub fn decode(te: TransferEncoding, body: &[u8]) -> Result<Vec<u8>, MimeError> {
    match te {
        TransferEncoding::Base64 => base64_decode(body),
        TransferEncoding::QuotedPrintable => qp_decode(body),
        _ => Ok(body.to_vec()),
    }
}

/// Encodes `data` in `te`; the identity encodings return it unchanged.
pub fn encode(te: TransferEncoding, data: &[u8]) -> Vec<u8> {
    match te {
        TransferEncoding::Base64 => base64_encode(data),
        TransferEncoding::QuotedPrintable => qp_encode(data),
        _ => data.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::Gen;

    #[test]
    fn base64_known() {
        assert_eq!(base64_encode(b""), b"");
        assert_eq!(base64_encode(b"f"), b"Zg==\r\n");
        assert_eq!(base64_encode(b"fo"), b"Zm8=\r\n");
        assert_eq!(base64_encode(b"foobar"), b"Zm9vYmFy\r\n");
        assert_eq!(base64_decode(b"Zm9v\r\nYmFy\r\n").unwrap(), b"foobar");
        assert_eq!(base64_decode(b"Zg==").unwrap(), b"f");
        assert!(base64_decode(b"Zg=").is_err());
        assert!(base64_decode(b"Zg==Zg==").is_err());
        assert!(base64_decode(b"Zm9v!").is_err());
        assert!(base64_decode(b"Z===").is_err());
        assert_eq!(base64_encode(&[0u8; 57]).len(), 78);
    }

    #[test]
    fn qp_known() {
        assert_eq!(qp_encode(b"a=b \r\nc\t"), b"a=3Db=20\r\nc=09");
        assert_eq!(qp_decode(b"a=3Db=20\r\nc=09").unwrap(), b"a=b \r\nc\t");
        assert_eq!(qp_decode(b"ab=\r\ncd  \r\n").unwrap(), b"abcd\r\n");
        assert_eq!(qp_decode(b"ab= \r\ncd").unwrap(), b"abcd");
        assert_eq!(qp_decode(b"=e9").unwrap(), b"\xe9");
        assert!(qp_decode(b"=G1").is_err());
        assert!(qp_decode(b"a=").is_ok());
        assert!(qp_decode(b"a\nb").is_err());
        assert!(qp_decode(b"\xe9").is_err());
        let long = vec![b'x'; 200];
        let enc = qp_encode(&long);
        assert!(enc.split(|&b| b == b'\n').all(|l| l.len() <= 77));
        assert_eq!(qp_decode(&enc).unwrap(), long);
    }

    #[test]
    fn round_trips_and_never_panics() {
        let alphabet: &[&[u8]] = &[
            b"a",
            b"=",
            b" ",
            b"\t",
            b"\r\n",
            b"\r",
            b"\n",
            b"\0",
            b"\xff",
            b"=4",
            b"=41",
            b"Z",
            b"+/",
            b"==",
            b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ];
        let mut g = Gen::new(0xD1B5_4A32_D192_ED03);
        for _ in 0..20_000 {
            let b = g.bytes(alphabet, 30);
            assert_eq!(base64_decode(&base64_encode(&b)).unwrap(), b);
            let q = qp_encode(&b);
            assert_eq!(qp_decode(&q).unwrap(), b, "{q:?}");
            assert!(q.split(|&c| c == b'\n').all(|l| l.len() <= 77));
            let _ = base64_decode(&b);
            let _ = qp_decode(&b);
        }
    }
}
