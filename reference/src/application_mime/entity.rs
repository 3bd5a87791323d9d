//! MIME entities: a header section of fields, each line ended by CRLF,
//! then an empty line and the body (RFC 2045 §2.4, RFC 5322 §2.2).
//!
//! ```text
//! entity       := *field [CRLF body]
//! field        := name ":" value CRLF *(WSP text CRLF)   ; folded value
//! name         := 1*<printable US-ASCII except ":">
//! ```
//!
//! An entity with no empty line has no body. Field names are matched
//! case-insensitively; Content-Type and Content-Transfer-Encoding may each
//! occur once.

use super::MimeError;
use super::content_type::{self, ContentType, Lexer};

/// One header field as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    /// The name, as written.
    pub name: &'a [u8],
    /// Everything after ":", folds (CRLF WSP) included, final CRLF excluded.
    pub value: &'a [u8],
    /// The whole field: name, ":", value and every CRLF.
    pub raw: &'a [u8],
}

/// A parsed entity, borrowing the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity<'a> {
    pub fields: Vec<Field<'a>>,
    /// The body, after the empty line; `None` when there is no empty line.
    pub body: Option<&'a [u8]>,
}

/// A Content-Transfer-Encoding mechanism (RFC 2045 §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferEncoding {
    SevenBit,
    EightBit,
    Binary,
    QuotedPrintable,
    Base64,
}

impl TransferEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SevenBit => "7bit",
            Self::EightBit => "8bit",
            Self::Binary => "binary",
            Self::QuotedPrintable => "quoted-printable",
            Self::Base64 => "base64",
        }
    }

    /// The identity encodings, the only ones a composite type may have.
    pub fn is_identity(self) -> bool {
        matches!(self, Self::SevenBit | Self::EightBit | Self::Binary)
    }
}

fn is_ftext(b: u8) -> bool {
    (33..=126).contains(&b) && b != b':'
}

/// Splits an entity into its header fields and body.
pub fn parse(bytes: &[u8]) -> Result<Entity<'_>, MimeError> {
    let mut fields: Vec<Field<'_>> = Vec::new();
    let mut pos = 0;
    // (start of the current field, end of its name, start of its value)
    let mut current: Option<(usize, usize, usize)> = None;
    fn close<'a>(
        bytes: &'a [u8],
        cur: Option<(usize, usize, usize)>,
        end: usize,
        fields: &mut Vec<Field<'a>>,
    ) {
        if let Some((start, name_end, value_start)) = cur {
            // end is just past the field's last CRLF
            fields.push(Field {
                name: &bytes[start..name_end],
                value: &bytes[value_start..end - 2],
                raw: &bytes[start..end],
            });
        }
    }
    let body = loop {
        if pos >= bytes.len() {
            close(bytes, current.take(), pos, &mut fields);
            break None;
        }
        let rest = &bytes[pos..];
        if rest.starts_with(b"\r\n") {
            close(bytes, current.take(), pos, &mut fields);
            break Some(&bytes[pos + 2..]);
        }
        let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
            return Err(MimeError::BadLineEnd);
        };
        let line = &rest[..lf];
        if lf == 0 || line[lf - 1] != b'\r' || line[..lf - 1].contains(&b'\r') {
            return Err(MimeError::BadLineEnd);
        }
        let next = pos + lf + 1;
        if matches!(line[0], b' ' | b'\t') {
            if current.is_none() {
                return Err(MimeError::BadHeader);
            }
        } else {
            close(bytes, current.take(), pos, &mut fields);
            let name_len = line.iter().take_while(|&&b| is_ftext(b)).count();
            if name_len == 0 || line.get(name_len) != Some(&b':') {
                return Err(MimeError::BadHeader);
            }
            current = Some((pos, pos + name_len, pos + name_len + 1));
        }
        pos = next;
    };
    Ok(Entity { fields, body })
}

impl<'a> Entity<'a> {
    /// The header fields as written, with the empty line that ends them.
    pub fn header_block(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self
            .fields
            .iter()
            .flat_map(|f| f.raw.iter().copied())
            .collect();
        out.extend_from_slice(b"\r\n");
        out
    }

    /// The one field called `name` (case-insensitive), if any.
    pub fn field(&self, name: &str) -> Result<Option<&Field<'a>>, MimeError> {
        let mut found = None;
        for f in &self.fields {
            if f.name.eq_ignore_ascii_case(name.as_bytes()) {
                if found.is_some() {
                    return Err(MimeError::DuplicateField(name.to_owned()));
                }
                found = Some(f);
            }
        }
        Ok(found)
    }

    /// The parsed Content-Type, `None` when the field is absent.
    pub fn content_type(&self) -> Result<Option<ContentType>, MimeError> {
        self.field("Content-Type")?
            .map(|f| content_type::parse_bytes(f.value))
            .transpose()
    }

    /// The Content-Type, or `default` when absent.
    pub fn content_type_or(&self, default: ContentType) -> Result<ContentType, MimeError> {
        Ok(self.content_type()?.unwrap_or(default))
    }

    /// The Content-Transfer-Encoding token, lowercased; `7bit` when absent.
    pub fn transfer_encoding_token(&self) -> Result<String, MimeError> {
        let Some(f) = self.field("Content-Transfer-Encoding")? else {
            return Ok("7bit".into());
        };
        let bad = || {
            MimeError::UnknownTransferEncoding(String::from_utf8_lossy(f.value).trim().to_owned())
        };
        if !f.value.is_ascii() {
            return Err(bad());
        }
        let mut lx = Lexer::new(f.value);
        lx.skip_cfws().map_err(|_| bad())?;
        let token = lx.token().to_ascii_lowercase();
        lx.skip_cfws().map_err(|_| bad())?;
        if token.is_empty() || !lx.at_end() {
            return Err(bad());
        }
        Ok(token)
    }

    /// The Content-Transfer-Encoding mechanism.
    pub fn transfer_encoding(&self) -> Result<TransferEncoding, MimeError> {
        let token = self.transfer_encoding_token()?;
        Ok(match token.as_str() {
            "7bit" => TransferEncoding::SevenBit,
            "8bit" => TransferEncoding::EightBit,
            "binary" => TransferEncoding::Binary,
            "quoted-printable" => TransferEncoding::QuotedPrintable,
            "base64" => TransferEncoding::Base64,
            _ => return Err(MimeError::UnknownTransferEncoding(token)),
        })
    }

    /// The body, empty when the entity has none.
    pub fn body(&self) -> &'a [u8] {
        self.body.unwrap_or_default()
    }

    /// The body decoded from its transfer encoding.
    pub fn decoded_body(&self) -> Result<Vec<u8>, MimeError> {
        super::encoding::decode(self.transfer_encoding()?, self.body())
    }

    /// The header section rebuilt with the field called `name` replaced by
    /// `new` (a whole field with its CRLF), or `new` appended when absent.
    pub fn header_with(&self, name: &str, new: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut done = false;
        for f in &self.fields {
            if f.name.eq_ignore_ascii_case(name.as_bytes()) {
                if !done {
                    out.extend_from_slice(new);
                    done = true;
                }
            } else {
                out.extend_from_slice(f.raw);
            }
        }
        if !done {
            out.extend_from_slice(new);
        }
        out
    }
}

/// RFC 2045 §2.7-2.9: the class of a run of octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataClass {
    SevenBit,
    EightBit,
    Binary,
}

impl DataClass {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SevenBit => "7bit",
            Self::EightBit => "8bit",
            Self::Binary => "binary",
        }
    }
}

/// The class of `bytes` (7bit: CRLF lines of at most 998 octets, no NUL,
/// no octet above 127; 8bit: the same with octets above 127; else binary)
/// and the length of its longest line, CRLF excluded.
pub fn classify(bytes: &[u8]) -> (DataClass, usize) {
    let mut class = DataClass::SevenBit;
    let mut longest = 0;
    let mut line = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            longest = longest.max(line);
            line = 0;
            i += 2;
            continue;
        }
        if b == 0 || b == b'\r' || b == b'\n' {
            class = DataClass::Binary;
        } else if b > 127 && class == DataClass::SevenBit {
            class = DataClass::EightBit;
        }
        line += 1;
        i += 1;
    }
    longest = longest.max(line);
    if longest > 998 {
        class = DataClass::Binary;
    }
    (class, longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_body() {
        let e = parse(b"Content-Type: text/plain;\r\n charset=us-ascii\r\nX: y\r\n\r\nbody\r\n")
            .unwrap();
        assert_eq!(e.fields.len(), 2);
        assert_eq!(e.fields[0].value, b" text/plain;\r\n charset=us-ascii");
        assert_eq!(e.body, Some(&b"body\r\n"[..]));
        assert_eq!(
            e.content_type().unwrap().unwrap().param("charset"),
            Some("us-ascii")
        );
        let e = parse(b"A: b\r\n").unwrap();
        assert_eq!(e.body, None);
        let e = parse(b"").unwrap();
        assert!(e.fields.is_empty() && e.body.is_none());
        let e = parse(b"\r\nx").unwrap();
        assert_eq!(e.body, Some(&b"x"[..]));
        assert_eq!(parse(b"A: b\n\r\n").unwrap_err(), MimeError::BadLineEnd);
        assert_eq!(parse(b"A: b").unwrap_err(), MimeError::BadLineEnd);
        assert_eq!(parse(b" A: b\r\n").unwrap_err(), MimeError::BadHeader);
        assert_eq!(parse(b"A b\r\n").unwrap_err(), MimeError::BadHeader);
        assert_eq!(parse(b"A : b\r\n").unwrap_err(), MimeError::BadHeader);
        let e = parse(b"Content-Type: a/b\r\ncontent-type: c/d\r\n\r\n").unwrap();
        assert_eq!(
            e.content_type().unwrap_err().code(),
            "application_mime.entity.duplicate_field"
        );
    }

    #[test]
    fn classes() {
        assert_eq!(classify(b"abc\r\ndef"), (DataClass::SevenBit, 3));
        assert_eq!(classify(b"\xc3\xa9\r\n").0, DataClass::EightBit);
        assert_eq!(classify(b"a\nb").0, DataClass::Binary);
        assert_eq!(classify(b"a\0").0, DataClass::Binary);
        assert_eq!(classify(&[b'a'; 999]).0, DataClass::Binary);
    }

    #[test]
    fn never_panics() {
        let alphabet: &[&[u8]] = &[
            b"Content-Type",
            b"Content-Transfer-Encoding",
            b":",
            b" ",
            b"\t",
            b"\r\n",
            b"\r",
            b"\n",
            b"text/plain",
            b"base64",
            b";",
            b"a",
            b"\xff",
            b"(",
            b"\"",
        ];
        let mut g = crate::testgen::Gen::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..30_000 {
            let b = g.bytes(alphabet, 20);
            if let Ok(e) = parse(&b) {
                let _ = e.content_type();
                let _ = e.decoded_body();
                let _ = e.header_with("Content-Type", b"X: y\r\n");
            }
            let _ = classify(&b);
        }
    }
}
