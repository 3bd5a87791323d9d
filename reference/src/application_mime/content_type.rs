//! Content-Type field values: RFC 2045 §5.1 with RFC 822 lexical rules
//! (whitespace, folding, comments) and RFC 2231 parameter value
//! continuations, charsets and languages; and Content-Disposition values
//! (RFC 2183 §2), whose parameters are the same. This is the one reader of
//! MIME parameters in the reference: immi-content's message parser uses it
//! too (`immi::cpim`).
//!
//! ```text
//! content   := type "/" subtype *(";" parameter)
//! parameter := attribute "=" value
//! value     := token / quoted-string
//! token     := 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials>
//! tspecials := "(" / ")" / "<" / ">" / "@" / "," / ";" / ":" / "\" /
//!              <"> / "/" / "[" / "]" / "?" / "="
//! ```
//!
//! Names (type, subtype, parameter names) are returned lowercased; values
//! are returned unquoted, unescaped, with continuations joined and decoded
//! from their charset (UTF-8, US-ASCII, ISO-8859-1). The language of an
//! RFC 2231 value is dropped. A parameter given twice (including as `name`
//! and `name*`) is an error. An unquoted value holding a tspecial (such as
//! the draft's `content-type=Multipart/signed`) is an error: see
//! AMIME-CT-PARAM-QUOTING.

use super::{MAX_COMMENT_DEPTH, MimeError};

/// A parsed Content-Type value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    /// Lowercased.
    pub type_: String,
    /// Lowercased.
    pub subtype: String,
    /// Lowercased names, decoded values, in the order of first appearance.
    pub params: Vec<(String, String)>,
}

impl ContentType {
    /// The RFC 2045 §5.2 default: `text/plain; charset=us-ascii`.
    pub fn default_text() -> Self {
        Self {
            type_: "text".into(),
            subtype: "plain".into(),
            params: vec![("charset".into(), "us-ascii".into())],
        }
    }

    /// `message/rfc822`, the default inside multipart/digest (RFC 2046 §5.1.5).
    pub fn default_digest() -> Self {
        Self {
            type_: "message".into(),
            subtype: "rfc822".into(),
            params: Vec::new(),
        }
    }

    /// `type/subtype`, lowercased.
    pub fn mime_type(&self) -> String {
        format!("{}/{}", self.type_, self.subtype)
    }

    pub fn is(&self, type_: &str, subtype: &str) -> bool {
        self.type_ == type_ && self.subtype == subtype
    }

    /// The value of parameter `name` (lowercase).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// tspecials of RFC 2045 §5.1.
pub fn is_tspecial(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')'
            | b'<'
            | b'>'
            | b'@'
            | b','
            | b';'
            | b':'
            | b'\\'
            | b'"'
            | b'/'
            | b'['
            | b']'
            | b'?'
            | b'='
    )
}

/// A token character: a printable US-ASCII CHAR other than SPACE and tspecials.
pub fn is_token_char(b: u8) -> bool {
    (33..=126).contains(&b) && !is_tspecial(b)
}

/// Whether `s` is a non-empty token.
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_token_char)
}

/// A cursor over a structured field value.
pub(crate) struct Lexer<'a> {
    pub s: &'a [u8],
    pub pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(s: &'a [u8]) -> Self {
        Self { s, pos: 0 }
    }

    pub fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    /// Skips whitespace, folds (CRLF WSP) and comments.
    pub fn skip_cfws(&mut self) -> Result<(), MimeError> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' => self.pos += 1,
                b'\r' | b'\n' => self.fold()?,
                b'(' => self.comment()?,
                _ => break,
            }
        }
        Ok(())
    }

    /// At a CR or LF: only CRLF followed by SP or HTAB is allowed.
    fn fold(&mut self) -> Result<(), MimeError> {
        let s = &self.s[self.pos..];
        if s.len() >= 3 && s[0] == b'\r' && s[1] == b'\n' && matches!(s[2], b' ' | b'\t') {
            self.pos += 2;
            Ok(())
        } else {
            Err(MimeError::BadFolding)
        }
    }

    fn comment(&mut self) -> Result<(), MimeError> {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'(' => {
                    depth += 1;
                    if depth > MAX_COMMENT_DEPTH {
                        return Err(MimeError::CommentTooDeep);
                    }
                    self.pos += 1;
                }
                b')' => {
                    self.pos += 1;
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                b'\\' => {
                    if self.pos + 1 >= self.s.len() {
                        return Err(MimeError::UnterminatedComment);
                    }
                    self.pos += 2;
                }
                b'\r' | b'\n' => self.fold()?,
                _ => self.pos += 1,
            }
        }
        Err(MimeError::UnterminatedComment)
    }

    /// Consumes a (possibly empty) run of token characters.
    pub fn token(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(is_token_char) {
            self.pos += 1;
        }
        // Token characters are ASCII.
        std::str::from_utf8(&self.s[start..self.pos]).unwrap_or_default()
    }

    /// At `"`: consumes a quoted-string and returns its unescaped content.
    pub fn quoted_string(&mut self) -> Result<String, MimeError> {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    let Some(&next) = self.s.get(self.pos + 1) else {
                        return Err(MimeError::UnterminatedQuotedString);
                    };
                    if next == b'\r' || next == b'\n' {
                        return Err(MimeError::BadFolding);
                    }
                    out.push(next);
                    self.pos += 2;
                }
                b'\r' | b'\n' => self.fold()?,
                _ => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
        Err(MimeError::UnterminatedQuotedString)
    }
}

/// How a parameter name was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameKind {
    /// `name`
    Plain,
    /// `name*`
    Extended,
    /// `name*N` (false) or `name*N*` (true)
    Section(u32, bool),
}

/// Splits an attribute into its RFC 2231 base name and kind.
fn split_name(attr: &str) -> Result<(String, NameKind), MimeError> {
    let lower = attr.to_ascii_lowercase();
    let Some(star) = lower.find('*') else {
        return Ok((lower, NameKind::Plain));
    };
    let (base, rest) = lower.split_at(star);
    if base.is_empty() || base.contains(['\'', '%']) {
        return Err(MimeError::BadParameterName);
    }
    let rest = &rest[1..];
    if rest.is_empty() {
        return Ok((base.to_owned(), NameKind::Extended));
    }
    let (digits, extended) = match rest.strip_suffix('*') {
        Some(d) => (d, true),
        None => (rest, false),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MimeError::BadParameterName);
    }
    if (digits.len() > 1 && digits.starts_with('0')) || digits.len() > 4 {
        return Err(MimeError::BadContinuation(base.to_owned()));
    }
    let n: u32 = digits
        .parse()
        .map_err(|_| MimeError::BadContinuation(base.to_owned()))?;
    Ok((base.to_owned(), NameKind::Section(n, extended)))
}

/// Decodes `%XX` escapes of an RFC 2231 value.
fn percent_decode(s: &str) -> Result<Vec<u8>, MimeError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                _ => return Err(MimeError::BadExtendedValue),
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// Splits `charset'language'data` of an initial extended value.
fn split_initial(s: &str) -> Result<(String, &str), MimeError> {
    let mut it = s.splitn(3, '\'');
    match (it.next(), it.next(), it.next()) {
        (Some(cs), Some(_lang), Some(data)) => Ok((cs.to_ascii_lowercase(), data)),
        _ => Err(MimeError::BadExtendedValue),
    }
}

/// Decodes bytes in a charset named by RFC 2231 (empty means US-ASCII).
fn decode_charset(charset: &str, bytes: Vec<u8>) -> Result<String, MimeError> {
    match charset {
        "utf-8" => String::from_utf8(bytes).map_err(|_| MimeError::BadCharsetData),
        "us-ascii" | "" => {
            if bytes.is_ascii() {
                Ok(String::from_utf8(bytes).unwrap_or_default())
            } else {
                Err(MimeError::BadCharsetData)
            }
        }
        "iso-8859-1" => Ok(bytes.iter().map(|&b| b as char).collect()),
        other => Err(MimeError::UnknownCharset(other.to_owned())),
    }
}

/// One parameter as written.
struct RawParam {
    base: String,
    kind: NameKind,
    value: String,
}

/// Parses a Content-Type field value (after "Content-Type:"), which may
/// hold folds (CRLF followed by WSP).
pub fn parse(text: &str) -> Result<ContentType, MimeError> {
    parse_bytes(text.as_bytes())
}

/// [`parse`] over bytes; a non-ASCII octet is [`MimeError::NonAscii`].
pub fn parse_bytes(s: &[u8]) -> Result<ContentType, MimeError> {
    let mut lx = start(s)?;
    let type_ = lx.token();
    if type_.is_empty() {
        return Err(MimeError::BadType);
    }
    lx.skip_cfws()?;
    if lx.peek() != Some(b'/') {
        return Err(MimeError::MissingSlash);
    }
    lx.pos += 1;
    lx.skip_cfws()?;
    let subtype = lx.token();
    if subtype.is_empty() {
        return Err(MimeError::BadSubtype);
    }
    Ok(ContentType {
        type_: type_.to_ascii_lowercase(),
        subtype: subtype.to_ascii_lowercase(),
        params: parameters(&mut lx)?,
    })
}

/// A parsed Content-Disposition value (RFC 2183 section 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition {
    /// Lowercased ("values are not case-sensitive").
    pub type_: String,
    /// As [`ContentType::params`]: lowercased names, decoded values.
    pub params: Vec<(String, String)>,
}

/// Parses a Content-Disposition field value: `disposition-type *(";"
/// disposition-parm)`. RFC 2183 section 2 defines `parameter` and `value`
/// "according to [RFC 2045]", and RFC 2231 extends both fields' parameters
/// alike, so the parameters are read exactly as a Content-Type's are,
/// comments and folds included. The errors are Content-Type's:
/// [`MimeError::BadType`] when the value does not start with a token.
pub fn parse_disposition(text: &str) -> Result<Disposition, MimeError> {
    let mut lx = start(text.as_bytes())?;
    let type_ = lx.token();
    if type_.is_empty() {
        return Err(MimeError::BadType);
    }
    Ok(Disposition {
        type_: type_.to_ascii_lowercase(),
        params: parameters(&mut lx)?,
    })
}

/// A lexer past the leading CFWS of a non-empty ASCII field value.
fn start(s: &[u8]) -> Result<Lexer<'_>, MimeError> {
    if !s.is_ascii() {
        return Err(MimeError::NonAscii);
    }
    let mut lx = Lexer::new(s);
    lx.skip_cfws()?;
    if lx.at_end() {
        return Err(MimeError::Empty);
    }
    Ok(lx)
}

/// `*(";" parameter)` to the end of the value, joined and decoded.
fn parameters(lx: &mut Lexer<'_>) -> Result<Vec<(String, String)>, MimeError> {
    let mut raw = Vec::new();
    loop {
        lx.skip_cfws()?;
        if lx.at_end() {
            break;
        }
        if lx.peek() != Some(b';') {
            return Err(MimeError::ExpectedSemicolon);
        }
        lx.pos += 1;
        lx.skip_cfws()?;
        let attr = lx.token();
        if attr.is_empty() {
            return Err(MimeError::BadParameterName);
        }
        let (base, kind) = split_name(attr)?;
        lx.skip_cfws()?;
        if lx.peek() != Some(b'=') {
            return Err(MimeError::MissingEquals);
        }
        lx.pos += 1;
        lx.skip_cfws()?;
        let value = if lx.peek() == Some(b'"') {
            lx.quoted_string()?
        } else {
            let v = lx.token();
            let next_ok = match lx.peek() {
                None => true,
                Some(b) => matches!(b, b';' | b' ' | b'\t' | b'(' | b'\r' | b'\n'),
            };
            if v.is_empty() || !next_ok {
                return Err(MimeError::BadValue);
            }
            v.to_owned()
        };
        raw.push(RawParam { base, kind, value });
    }
    join_params(raw)
}

/// Groups RFC 2231 sections and decodes every parameter.
fn join_params(raw: Vec<RawParam>) -> Result<Vec<(String, String)>, MimeError> {
    // base name -> indices into raw, in order of first appearance
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, p) in raw.iter().enumerate() {
        match groups.iter_mut().find(|(b, _)| *b == p.base) {
            Some((_, idx)) => {
                let clash = idx.iter().any(|&j| match (raw[j].kind, p.kind) {
                    (NameKind::Section(a, _), NameKind::Section(b, _)) => a == b,
                    _ => true,
                });
                if clash {
                    return Err(MimeError::DuplicateParameter(p.base.clone()));
                }
                idx.push(i);
            }
            None => groups.push((p.base.clone(), vec![i])),
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for (base, idx) in groups {
        let first = &raw[idx[0]];
        let value = match first.kind {
            NameKind::Plain => first.value.clone(),
            NameKind::Extended => {
                let (charset, data) = split_initial(&first.value)?;
                decode_charset(&charset, percent_decode(data)?)?
            }
            NameKind::Section(..) => {
                let mut sections: Vec<(u32, bool, &str)> = idx
                    .iter()
                    .filter_map(|&j| match raw[j].kind {
                        NameKind::Section(n, e) => Some((n, e, raw[j].value.as_str())),
                        _ => None,
                    })
                    .collect();
                sections.sort_by_key(|s| s.0);
                if sections.iter().enumerate().any(|(i, s)| s.0 as usize != i) {
                    return Err(MimeError::BadContinuation(base));
                }
                let mut charset = String::new();
                let mut bytes = Vec::new();
                for (n, extended, value) in sections {
                    match (n, extended) {
                        (0, true) => {
                            let (cs, data) = split_initial(value)?;
                            charset = cs;
                            bytes.extend(percent_decode(data)?);
                        }
                        (_, true) => bytes.extend(percent_decode(value)?),
                        (_, false) => bytes.extend_from_slice(value.as_bytes()),
                    }
                }
                decode_charset(&charset, bytes)?
            }
        };
        out.push((base, value));
    }
    Ok(out)
}

/// The longest line [`write_params`] aims for (RFC 5322 §2.1.1).
const LINE: usize = 78;

/// An attribute-char of RFC 2231: a token char other than `*`, `'`, `%`.
fn is_attribute_char(b: u8) -> bool {
    is_token_char(b) && !matches!(b, b'*' | b'\'' | b'%')
}

fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if is_attribute_char(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `name=value` forms of one parameter: one item, or RFC 2231 sections
/// when one item would make a line longer than 78 octets.
pub fn param_items(name: &str, value: &str) -> Vec<String> {
    let plain = value.bytes().all(|b| (32..=126).contains(&b) || b == b'\t');
    let single = if is_token(value) {
        format!("{name}={value}")
    } else if plain {
        format!("{name}={}", quote(value))
    } else {
        format!("{name}*=utf-8''{}", percent_encode(value.as_bytes()))
    };
    // "\t" + item + ";" must fit.
    if single.len() + 2 <= LINE {
        return vec![single];
    }
    let room = LINE.saturating_sub(name.len() + 16).max(16);
    let mut items = Vec::new();
    if plain {
        // A section's width as written: its quotes and escapes count.
        let mut chunk = String::new();
        let mut width = 2;
        for c in value.chars() {
            let w = if c == '"' || c == '\\' { 2 } else { 1 };
            if width + w > room && !chunk.is_empty() {
                let n = items.len();
                items.push(format!("{name}*{n}={}", quote(&chunk)));
                chunk.clear();
                width = 2;
            }
            chunk.push(c);
            width += w;
        }
        let n = items.len();
        items.push(format!("{name}*{n}={}", quote(&chunk)));
    } else {
        let mut chunk = if items.is_empty() {
            String::from("utf-8''")
        } else {
            String::new()
        };
        let mut buf = [0u8; 4];
        for c in value.chars() {
            let enc = percent_encode(c.encode_utf8(&mut buf).as_bytes());
            if chunk.len() + enc.len() > room {
                let n = items.len();
                items.push(format!("{name}*{n}*={chunk}"));
                chunk.clear();
            }
            chunk.push_str(&enc);
        }
        let n = items.len();
        items.push(format!("{name}*{n}*={chunk}"));
    }
    items
}

/// A Content-Type field, folded so that each parameter starts a line:
/// `Content-Type: type/subtype;\r\n\tname=value\r\n`.
pub fn write_field(mime_type: &str, params: &[(String, String)]) -> Vec<u8> {
    let mut out = format!("Content-Type: {mime_type}");
    for (name, value) in params {
        for item in param_items(name, value) {
            out.push_str(";\r\n\t");
            out.push_str(&item);
        }
    }
    out.push_str("\r\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> ContentType {
        parse(s).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
    }

    fn code(s: &str) -> &'static str {
        match parse(s) {
            Err(e) => e.code(),
            Ok(c) => panic!("{s:?} parsed as {c:?}"),
        }
    }

    #[test]
    fn basics() {
        let c = ok("Text/Plain; Charset=\"us-ascii\" (comment)");
        assert_eq!(c.mime_type(), "text/plain");
        assert_eq!(c.params, vec![("charset".into(), "us-ascii".into())]);
        let c = ok(" multipart/signed;\r\n\tprotocol=\"a/b\";\r\n boundary=\"x;y\\\"z=\"");
        assert_eq!(c.param("boundary"), Some("x;y\"z="));
        assert_eq!(c.param("protocol"), Some("a/b"));
        let c = ok("text / plain");
        assert_eq!(c.mime_type(), "text/plain");
    }

    #[test]
    fn rfc2231() {
        let c = ok("application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A");
        assert_eq!(c.param("title"), Some("This is ***fun***"));
        let c = ok(
            "message/external-body; access-type=URL; URL*0=\"ftp://\"; URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"",
        );
        assert_eq!(
            c.param("url"),
            Some("ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar")
        );
        let c = ok(
            "application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"",
        );
        assert_eq!(
            c.param("title"),
            Some("This is even more ***fun*** isn't it!")
        );
        let c = ok("text/plain; name*=utf-8''%E2%89%A1; x*1=b; x*0=a");
        assert_eq!(c.param("name"), Some("≡"));
        assert_eq!(c.param("x"), Some("ab"));
        assert_eq!(
            code("text/plain; x*0=a; x*2=b"),
            "application_mime.content_type.bad_continuation"
        );
        assert_eq!(
            code("text/plain; x=a; x*=''b"),
            "application_mime.content_type.duplicate_parameter"
        );
        assert_eq!(
            code("text/plain; x*=koi8-r''b"),
            "application_mime.content_type.unknown_charset"
        );
        assert_eq!(
            code("text/plain; x*=utf-8''%FF"),
            "application_mime.content_type.bad_charset_data"
        );
        assert_eq!(
            code("text/plain; x*=utf-8''%F"),
            "application_mime.content_type.bad_extended_value"
        );
        assert_eq!(
            code("text/plain; x*=utf-8"),
            "application_mime.content_type.bad_extended_value"
        );
        assert_eq!(
            code("text/plain; x*01=a"),
            "application_mime.content_type.bad_continuation"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(code(""), "application_mime.content_type.empty");
        assert_eq!(code("/plain"), "application_mime.content_type.bad_type");
        assert_eq!(code("text"), "application_mime.content_type.missing_slash");
        assert_eq!(code("text/"), "application_mime.content_type.bad_subtype");
        assert_eq!(
            code("text/plain x"),
            "application_mime.content_type.expected_semicolon"
        );
        assert_eq!(
            code("text/plain;"),
            "application_mime.content_type.bad_parameter_name"
        );
        assert_eq!(
            code("text/plain; a"),
            "application_mime.content_type.missing_equals"
        );
        assert_eq!(
            code("text/plain; a=b/c"),
            "application_mime.content_type.bad_value"
        );
        assert_eq!(
            code("text/plain; a="),
            "application_mime.content_type.bad_value"
        );
        assert_eq!(
            code("text/plain; a=\"b"),
            "application_mime.content_type.unterminated_quoted_string"
        );
        assert_eq!(
            code("text/plain (x"),
            "application_mime.content_type.unterminated_comment"
        );
        assert_eq!(
            code("text/plain; a=b; A=c"),
            "application_mime.content_type.duplicate_parameter"
        );
        assert_eq!(
            code("text/plain; a=é"),
            "application_mime.content_type.non_ascii"
        );
        assert_eq!(
            code("text/plain;\r\na=b"),
            "application_mime.content_type.bad_folding"
        );
        let deep = format!("text/plain {}{}", "(".repeat(40), ")".repeat(40));
        assert_eq!(
            code(&deep),
            "application_mime.content_type.comment_too_deep"
        );
    }

    #[test]
    fn disposition() {
        let d = parse_disposition("Attachment (a file); FileName*=utf-8''%E2%89%A1.txt").unwrap();
        assert_eq!(d.type_, "attachment");
        assert_eq!(d.params, vec![("filename".into(), "≡.txt".into())]);
        let d = parse_disposition(" reaction ").unwrap();
        assert_eq!((d.type_.as_str(), d.params.len()), ("reaction", 0));
        let code = |s: &str| parse_disposition(s).unwrap_err().code();
        assert_eq!(code(""), "application_mime.content_type.empty");
        assert_eq!(
            code("\"reaction\""),
            "application_mime.content_type.bad_type"
        );
        assert_eq!(
            code("attachment; filename"),
            "application_mime.content_type.missing_equals"
        );
        assert_eq!(
            code("attachment; filename=a; filename*=''b"),
            "application_mime.content_type.duplicate_parameter"
        );
    }

    #[test]
    fn write_round_trips() {
        let long = "x".repeat(150);
        let values = [
            "simple",
            "a;b",
            "q\"uo\\te",
            "",
            "sp ace",
            "≡ p≡p",
            long.as_str(),
            "é".repeat(60).leak(),
            "\u{1}ctl",
        ];
        for v in values {
            let field = write_field("text/plain", &[("name".into(), v.into())]);
            let text = std::str::from_utf8(&field).unwrap();
            let value = text
                .strip_prefix("Content-Type: ")
                .unwrap()
                .strip_suffix("\r\n")
                .unwrap();
            for line in text.split("\r\n") {
                assert!(line.len() <= LINE, "{line:?}");
            }
            assert_eq!(ok(value).param("name"), Some(v), "{text:?}");
        }
    }

    #[test]
    fn never_panics() {
        let alphabet: &[&[u8]] = &[
            b"text",
            b"/",
            b"plain",
            b";",
            b"=",
            b"\"",
            b"\\",
            b"(",
            b")",
            b" ",
            b"\r\n ",
            b"\r",
            b"\n",
            b"*",
            b"*0",
            b"*1*",
            b"'",
            b"%",
            b"%4",
            b"utf-8",
            b"a",
            b"\xc3\xa9",
            b"\0",
        ];
        let mut g = crate::testgen::Gen::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..30_000 {
            let b = g.bytes(alphabet, 24);
            let _ = parse_bytes(&b);
            if let Ok(text) = std::str::from_utf8(&b) {
                let _ = parse_disposition(text);
            }
        }
    }
}
