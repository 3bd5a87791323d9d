//! message/cpim entities of the IMMI profile (immi-content §3.3, §4, §5.1)
//! on the CPIM message format (RFC 3862).
//!
//! An entity is three header blocks and a body, each block ended by an
//! empty line:
//!
//! ```text
//! Content-Type: message/cpim          outer MIME headers (RFC 2045)
//!
//! From: <im:alice@example.com>        CPIM headers (RFC 3862 §3)
//! DateTime: 2022-02-08T22:13:45-00:00
//! Message-ID: <28fd19857ad7@example.com>
//!
//! Content-Type: text/plain            MIME headers of the encapsulated entity
//!
//! body
//! ```
//!
//! CPIM header names are case-sensitive and never folded; MIME header names
//! are case-insensitive and may be folded (RFC 5322 §2.2.3). Every line of
//! every header block ends with CRLF. Content-Type and Content-Disposition
//! values are read by the reference's one MIME parameter reader,
//! [`crate::application_mime::content_type`] (RFC 2045 §5.1 with comments,
//! RFC 2183 §2, RFC 2231), whose faults are reported here as
//! `immi.mime.content_type` and `immi.mime.content_disposition`. The parser reads each byte a bounded
//! number of times and never recurses, so it is linear in the input.

use std::collections::HashMap;

use super::datetime::{self, DateTime, DateTimeError};
use super::disposition::{self, DispositionEntry, DispositionError};
use super::msg_id::{self, MsgId, MsgIdError};
use crate::application_mime::MimeError;
use crate::application_mime::content_type::{self, ContentType};

/// The namespace of RFC 3862's own headers, where unprefixed names live.
pub const CORE_NAMESPACE: &str = "urn:ietf:params:cpim-headers:";

/// At most this many lines in one header block (a bound, not a rule of the
/// documents: its vectors are informational).
pub const MAX_HEADER_LINES: usize = 256;

/// The CPIM headers the profile knows, in the core namespace, spelled as
/// RFC 3862 and immi-content §5.1 spell them.
pub const KNOWN_HEADERS: [&str; 11] = [
    "From",
    "To",
    "cc",
    "DateTime",
    "Subject",
    "NS",
    "Require",
    "Message-ID",
    "In-Reply-To",
    "Supersedes",
    "ExpiresDateTime",
];

/// The MIME headers immi-content §3.3 makes mandatory to understand; they
/// belong in the MIME header blocks, not the CPIM one.
const MIME_HEADERS: [&str; 3] = ["Content-Type", "Content-Disposition", "Content-Length"];

/// One CPIM header line, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpimHeader {
    /// The name without its prefix.
    pub name: String,
    /// The Name-prefix before the ".", if any.
    pub prefix: Option<String>,
    /// The namespace URI the name lives in ([`CORE_NAMESPACE`] by default).
    pub namespace: String,
    /// `;name=value` parameters between ":" and SP, values as written.
    pub parameters: Vec<(String, String)>,
    /// The Header-value as written, after the one SP.
    pub value: String,
}

/// A decoded From (RFC 3862 §4.1: `[ Formal-name ] "<" URI ">"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub display_name: Option<String>,
    pub uri: String,
}

/// A Content-Type value: lowercase type and subtype, lowercase parameter
/// names, values unquoted and RFC 2231-decoded (sections joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaType {
    pub type_: String,
    pub subtype: String,
    pub parameters: Vec<(String, String)>,
}

impl MediaType {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is(&self, type_: &str, subtype: &str) -> bool {
        self.type_ == type_ && self.subtype == subtype
    }
}

impl From<ContentType> for MediaType {
    fn from(c: ContentType) -> Self {
        Self {
            type_: c.type_,
            subtype: c.subtype,
            parameters: c.params,
        }
    }
}

/// A Content-Disposition value: lowercase type, parameters as in
/// [`MediaType`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition {
    pub type_: String,
    pub parameters: Vec<(String, String)>,
}

/// What a receiving client does with a message (immi-content §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Message,
    Reply,
    Reaction,
    Edit,
    Delete,
    Knock,
    ReadReceipt,
    Attachment,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::Reply => "reply",
            Self::Reaction => "reaction",
            Self::Edit => "edit",
            Self::Delete => "delete",
            Self::Knock => "knock",
            Self::ReadReceipt => "read-receipt",
            Self::Attachment => "attachment",
        }
    }
}

/// A parsed message/cpim entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub headers: Vec<CpimHeader>,
    pub from: Address,
    pub datetime: DateTime,
    pub message_id: MsgId,
    pub in_reply_to: Option<MsgId>,
    pub supersedes: Option<MsgId>,
    pub expires: Option<DateTime>,
    pub content_type: Option<MediaType>,
    pub content_disposition: Option<Disposition>,
    pub content_length: Option<u64>,
    pub body: Vec<u8>,
    /// The entries of a message/immi-disposition-notification body.
    pub dispositions: Option<Vec<DispositionEntry>>,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MessageError {
    #[error("line {line}: a header line ends with a bare LF, not CRLF")]
    BareLf { line: usize },
    #[error("line {line}: the input ends inside a header line (no CRLF)")]
    MissingCrlf { line: usize },
    #[error("the input ends before the empty line that closes a header block")]
    Truncated,
    #[error("line {line}: a control character or invalid UTF-8 in a header line")]
    InvalidChar { line: usize },
    #[error("line {line}: CPIM header lines are not folded")]
    Folding { line: usize },
    #[error("line {line}: not a CPIM header line: {what}")]
    Syntax { line: usize, what: &'static str },
    #[error("line {line}: the header name's \":\" must be followed by exactly one SP")]
    Space { line: usize },
    #[error("line {line}: {found:?} is not spelled as the case-sensitive name {want:?}")]
    HeaderName {
        line: usize,
        found: String,
        want: &'static str,
    },
    #[error("line {line}: the Name-prefix {prefix:?} is not declared by a preceding NS header")]
    UndeclaredPrefix { line: usize, prefix: String },
    #[error("a header block has more than {MAX_HEADER_LINES} lines")]
    TooManyHeaders,
    #[error("line {line}: {name} belongs in the MIME headers, not the CPIM header block")]
    MisplacedMimeHeader { line: usize, name: String },
    #[error("line {line}: Require names {name:?}, which this profile does not know")]
    UnsupportedRequired { line: usize, name: String },
    #[error("the outer Content-Type is missing or not message/cpim")]
    NotCpim,
    #[error("the CPIM headers have no From")]
    MissingFrom,
    #[error("the CPIM headers have no DateTime")]
    MissingDateTime,
    #[error("the CPIM headers have no Message-ID")]
    MissingMessageId,
    #[error("line {line}: {name} occurs more than once")]
    DuplicateHeader { line: usize, name: String },
    #[error("From is not [ Formal-name ] \"<\" URI \">\"")]
    FromSyntax,
    #[error("the display name of From is neither 1*( Token SP ) nor a valid String")]
    FromDisplayName,
    #[error("the URI of From is not an absolute URI")]
    FromUri,
    #[error("line {line}: not a MIME header line: {what}")]
    MimeHeaderSyntax { line: usize, what: &'static str },
    #[error("Content-Type is not type \"/\" subtype *(\";\" parameter): {0}")]
    ContentType(MimeError),
    #[error("Content-Disposition is not disposition-type *(\";\" parameter): {0}")]
    ContentDisposition(MimeError),
    #[error("Content-Length is not 1*DIGIT")]
    ContentLengthSyntax,
    #[error("Content-Length is {declared} but the body has {actual} octets")]
    ContentLengthMismatch { declared: String, actual: usize },
    #[error("message/external-body needs access-type, and access-type URL needs URL")]
    ExternalBody,
    #[error("a reaction has no In-Reply-To naming the message it reacts to")]
    ReactionWithoutTarget,
    #[error("the body is not valid UTF-8 but its charset is utf-8")]
    InvalidUtf8,
    #[error("{header}: {source}")]
    DateTime {
        header: &'static str,
        source: DateTimeError,
    },
    #[error("{header}: {source}")]
    MsgId {
        header: &'static str,
        source: MsgIdError,
    },
    #[error("the disposition notification body: {0}")]
    Disposition(DispositionError),
}

impl MessageError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::BareLf { .. } => "immi.header.bare_lf",
            Self::MissingCrlf { .. } => "immi.header.missing_crlf",
            Self::Truncated => "immi.message.truncated",
            Self::InvalidChar { .. } => "immi.header.invalid_char",
            Self::Folding { .. } => "immi.header.folding",
            Self::Syntax { .. } => "immi.header.syntax",
            Self::Space { .. } => "immi.header.space",
            Self::HeaderName { .. } => "immi.header.name",
            Self::UndeclaredPrefix { .. } => "immi.header.undeclared_prefix",
            Self::TooManyHeaders => "immi.message.too_many_headers",
            Self::MisplacedMimeHeader { .. } => "immi.message.misplaced_mime_header",
            Self::UnsupportedRequired { .. } => "immi.message.unsupported_required",
            Self::NotCpim => "immi.message.not_cpim",
            Self::MissingFrom => "immi.message.missing_from",
            Self::MissingDateTime => "immi.message.missing_datetime",
            Self::MissingMessageId => "immi.message.missing_message_id",
            Self::DuplicateHeader { .. } => "immi.message.duplicate_header",
            Self::FromSyntax => "immi.from.syntax",
            Self::FromDisplayName => "immi.from.display_name",
            Self::FromUri => "immi.from.uri",
            Self::MimeHeaderSyntax { .. } => "immi.mime.header_syntax",
            Self::ContentType(_) => "immi.mime.content_type",
            Self::ContentDisposition(_) => "immi.mime.content_disposition",
            Self::ContentLengthSyntax => "immi.message.content_length_syntax",
            Self::ContentLengthMismatch { .. } => "immi.message.content_length_mismatch",
            Self::ExternalBody => "immi.message.external_body",
            Self::ReactionWithoutTarget => "immi.message.reaction_without_target",
            Self::InvalidUtf8 => "immi.message.invalid_utf8",
            Self::DateTime { source, .. } => source.code(),
            Self::MsgId { source, .. } => source.code(),
            Self::Disposition(e) => e.code(),
        }
    }
}

// ---------------------------------------------------------------------------
// Lines

/// Reads one header block starting at `pos`: the lines without their CRLF
/// and the offset after the empty line. `first_line` numbers lines across
/// the whole input (1-based). With `may_end`, the block may also end with
/// the input after a whole line: the encapsulated MIME object is `fields
/// [CRLF body]` (RFC 5322 §3.5), as the §4.6 delete is printed; the outer
/// and CPIM blocks are always closed by an empty line (RFC 3862 §2).
fn read_block(
    s: &[u8],
    mut pos: usize,
    first_line: usize,
    may_end: bool,
) -> Result<(Vec<&[u8]>, usize), MessageError> {
    let mut lines = Vec::new();
    let mut line = first_line;
    loop {
        if pos >= s.len() {
            if may_end {
                return Ok((lines, pos));
            }
            return Err(MessageError::Truncated);
        }
        let Some(nl) = s[pos..].iter().position(|&b| b == b'\n') else {
            return Err(MessageError::MissingCrlf { line });
        };
        let end = pos + nl;
        if nl == 0 || s[end - 1] != b'\r' {
            return Err(MessageError::BareLf { line });
        }
        let content = &s[pos..end - 1];
        pos = end + 1;
        if content.is_empty() {
            return Ok((lines, pos));
        }
        if lines.len() == MAX_HEADER_LINES {
            return Err(MessageError::TooManyHeaders);
        }
        lines.push(content);
        line += 1;
    }
}

/// The line as UTF-8 without control characters (HTAB allowed when `tab`).
fn clean_line(content: &[u8], line: usize, tab: bool) -> Result<&str, MessageError> {
    let text = std::str::from_utf8(content).map_err(|_| MessageError::InvalidChar { line })?;
    if text
        .bytes()
        .any(|b| (b < 0x20 && !(tab && b == b'\t')) || b == 0x7f)
    {
        return Err(MessageError::InvalidChar { line });
    }
    Ok(text)
}

// ---------------------------------------------------------------------------
// CPIM header syntax (RFC 3862 §3)

/// NAMECHAR = %x21 / %x23-27 / %x2a-2b / %x2d / %x5e-60 / %x7c / %x7e / ALPHA / DIGIT
pub fn is_namechar(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x27 | 0x2a | 0x2b | 0x2d | 0x5e..=0x60 | 0x7c | 0x7e)
        || b.is_ascii_alphanumeric()
}

/// TOKENCHAR = NAMECHAR / "." / UCS-high (any non-ASCII character).
fn is_tokenchar(c: char) -> bool {
    if c.is_ascii() {
        is_namechar(c as u8) || c == '.'
    } else {
        true
    }
}

fn take_name(s: &str) -> (&str, &str) {
    let end = s.bytes().position(|b| !is_namechar(b)).unwrap_or(s.len());
    s.split_at(end)
}

/// A String = DQUOTE *( Str-char / Escape ) DQUOTE at the start of `s`:
/// the decoded text and the rest after the closing quote.
fn take_string(s: &str) -> Option<(String, &str)> {
    let mut chars = s.strip_prefix('"')?.char_indices();
    let body = &s[1..];
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &body[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                let decoded = match e {
                    'b' => '\u{8}',
                    't' => '\t',
                    'n' => '\n',
                    'r' => '\r',
                    '"' | '\'' | '\\' => e,
                    'u' => {
                        let mut v = 0u32;
                        for _ in 0..4 {
                            let (_, h) = chars.next()?;
                            v = v * 16 + h.to_digit(16)?;
                        }
                        char::from_u32(v)?
                    }
                    _ => return None,
                };
                out.push(decoded);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => return None,
            c => out.push(c),
        }
    }
    None
}

/// `*( ";" Param-name "=" Param-value )`, values as written.
fn take_params(mut s: &str) -> Option<(Vec<(String, String)>, &str)> {
    let mut params = Vec::new();
    while let Some(rest) = s.strip_prefix(';') {
        let (name, rest) = take_name(rest);
        let rest = rest.strip_prefix('=')?;
        if name.is_empty() {
            return None;
        }
        let (value, rest) = if rest.starts_with('"') {
            let (_, after) = take_string(rest)?;
            rest.split_at(rest.len() - after.len())
        } else {
            let end = rest
                .char_indices()
                .find(|&(_, c)| !is_tokenchar(c))
                .map_or(rest.len(), |(i, _)| i);
            rest.split_at(end)
        };
        if value.is_empty() {
            return None;
        }
        params.push((name.to_owned(), value.to_owned()));
        s = rest;
    }
    Some((params, s))
}

/// URI = scheme ":" 1*uric, uric the characters RFC 3986 allows in a URI.
fn valid_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut sb = scheme.bytes();
    if !sb.next().is_some_and(|b| b.is_ascii_alphabetic())
        || !sb.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return false;
    }
    let r = rest.as_bytes();
    if r.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < r.len() {
        let b = r[i];
        if b == b'%' {
            if !(r.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && r.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)) {
            return false;
        }
        i += 1;
    }
    true
}

/// `[ Formal-name ] "<" URI ">"`, Formal-name = 1*( Token SP ) / String.
/// A String may be followed by one SP before "<" (register
/// IMMI-FROM-STRING-SP). Structure first (`immi.from.syntax`), then the
/// display name, then the URI.
pub fn parse_address(value: &str) -> Result<Address, MessageError> {
    if !value.ends_with('>') {
        return Err(MessageError::FromSyntax);
    }
    let (display_name, rest) = if value.starts_with('"') {
        let (name, rest) = take_string(value).ok_or(MessageError::FromDisplayName)?;
        (Some(name), rest.strip_prefix(' ').unwrap_or(rest))
    } else {
        let open = value.find('<').ok_or(MessageError::FromSyntax)?;
        let words = &value[..open];
        let name = if words.is_empty() {
            None
        } else {
            let words = words
                .strip_suffix(' ')
                .ok_or(MessageError::FromDisplayName)?;
            if !words
                .split(' ')
                .all(|w| !w.is_empty() && w.chars().all(is_tokenchar))
            {
                return Err(MessageError::FromDisplayName);
            }
            Some(words.to_owned())
        };
        (name, &value[open..])
    };
    let uri = rest
        .strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .ok_or(MessageError::FromSyntax)?;
    if uri.contains(['<', '>']) || !valid_uri(uri) {
        return Err(MessageError::FromUri);
    }
    Ok(Address {
        display_name,
        uri: uri.to_owned(),
    })
}

/// Writes an address so that [`parse_address`] gives it back.
pub fn write_address(a: &Address) -> Result<String, MessageError> {
    if !valid_uri(&a.uri) || a.uri.contains(['<', '>']) {
        return Err(MessageError::FromUri);
    }
    let mut out = String::new();
    match a.display_name.as_deref() {
        None => {}
        Some(name)
            if !name.is_empty()
                && name
                    .split(' ')
                    .all(|w| !w.is_empty() && w.chars().all(is_tokenchar)) =>
        {
            out.push_str(name);
            out.push(' ');
        }
        Some(name) => {
            out.push('"');
            for c in name.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\r' => out.push_str("\\r"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    c if (c as u32) < 0x20 || c == '\u{7f}' => {
                        out.push_str(&format!("\\u{:04x}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out.push_str("\" ");
        }
    }
    out.push('<');
    out.push_str(&a.uri);
    out.push('>');
    Ok(out)
}

/// The CPIM header block: every line checked as it is read.
struct CpimBlock {
    headers: Vec<CpimHeader>,
    from: Option<Address>,
    datetime: Option<DateTime>,
    message_id: Option<MsgId>,
    in_reply_to: Option<MsgId>,
    supersedes: Option<MsgId>,
    expires: Option<DateTime>,
}

fn parse_cpim_block(lines: &[&[u8]], first_line: usize) -> Result<CpimBlock, MessageError> {
    let mut block = CpimBlock {
        headers: Vec::with_capacity(lines.len()),
        from: None,
        datetime: None,
        message_id: None,
        in_reply_to: None,
        supersedes: None,
        expires: None,
    };
    let mut prefixes: HashMap<String, String> = HashMap::new();
    let mut default_ns = CORE_NAMESPACE.to_owned();
    for (i, content) in lines.iter().enumerate() {
        let line = first_line + i;
        if matches!(content.first(), Some(b' ' | b'\t')) {
            return Err(MessageError::Folding { line });
        }
        let text = clean_line(content, line, false)?;
        let syntax = |what| MessageError::Syntax { line, what };
        let (first, rest) = take_name(text);
        if first.is_empty() {
            return Err(syntax("a header name is 1*NAMECHAR"));
        }
        let (prefix, name, rest) = match rest.strip_prefix('.') {
            Some(r) => {
                let (name, rest) = take_name(r);
                if name.is_empty() {
                    return Err(syntax("a Name follows the Name-prefix and \".\""));
                }
                (Some(first), name, rest)
            }
            None => (None, first, rest),
        };
        let rest = rest
            .strip_prefix(':')
            .ok_or(syntax("the header name is followed by \":\""))?;
        let (parameters, rest) = take_params(rest).ok_or(syntax("a bad header parameter"))?;
        let value = rest.strip_prefix(' ').ok_or(MessageError::Space { line })?;
        let namespace = match prefix {
            Some(p) => prefixes
                .get(p)
                .cloned()
                .ok_or_else(|| MessageError::UndeclaredPrefix {
                    line,
                    prefix: p.to_owned(),
                })?,
            None if name == "NS" => CORE_NAMESPACE.to_owned(),
            None => default_ns.clone(),
        };
        if namespace == CORE_NAMESPACE {
            check_core_header(&mut block, line, name, !parameters.is_empty(), value)?;
            if name == "NS" {
                let (p, uri) =
                    parse_ns(value).ok_or(syntax("NS is [ Name-prefix ] \"<\" URI \">\""))?;
                match p {
                    Some(p) => {
                        prefixes.insert(p.to_owned(), uri.to_owned());
                    }
                    None => default_ns = uri.to_owned(),
                }
            } else if name == "Require" {
                for required in value.split(',') {
                    let (first, rest) = take_name(required);
                    let (p, n) = match rest.strip_prefix('.') {
                        Some(n) if !n.is_empty() && n.bytes().all(is_namechar) => (Some(first), n),
                        None if rest.is_empty() => (None, first),
                        _ => return Err(syntax("Require is Header-name *( \",\" Header-name )")),
                    };
                    if first.is_empty() {
                        return Err(syntax("Require is Header-name *( \",\" Header-name )"));
                    }
                    let ns = match p {
                        Some(p) => prefixes.get(p).map(String::as_str).ok_or_else(|| {
                            MessageError::UndeclaredPrefix {
                                line,
                                prefix: p.to_owned(),
                            }
                        })?,
                        None => default_ns.as_str(),
                    };
                    if ns != CORE_NAMESPACE || !KNOWN_HEADERS.contains(&n) {
                        return Err(MessageError::UnsupportedRequired {
                            line,
                            name: required.to_owned(),
                        });
                    }
                }
            }
        }
        block.headers.push(CpimHeader {
            name: name.to_owned(),
            prefix: prefix.map(str::to_owned),
            namespace,
            parameters,
            value: value.to_owned(),
        });
    }
    Ok(block)
}

/// `[ Name-prefix ] "<" URI ">"`, with the one space every example of
/// RFC 3862 writes after the prefix allowed (register IMMI-CPIM-NS-SPACE).
fn parse_ns(value: &str) -> Option<(Option<&str>, &str)> {
    let (prefix, rest) = if value.starts_with('<') {
        (None, value)
    } else {
        let (p, rest) = take_name(value);
        if p.is_empty() {
            return None;
        }
        (Some(p), rest.strip_prefix(' ').unwrap_or(rest))
    };
    let uri = rest.strip_prefix('<')?.strip_suffix('>')?;
    (valid_uri(uri) && !uri.contains(['<', '>'])).then_some((prefix, uri))
}

fn set_once<T>(slot: &mut Option<T>, v: T, line: usize, name: &str) -> Result<(), MessageError> {
    if slot.is_some() {
        return Err(MessageError::DuplicateHeader {
            line,
            name: name.to_owned(),
        });
    }
    *slot = Some(v);
    Ok(())
}

/// A header of the core namespace: its spelling, its value's grammar and
/// how often it may occur.
fn check_core_header(
    block: &mut CpimBlock,
    line: usize,
    name: &str,
    has_params: bool,
    value: &str,
) -> Result<(), MessageError> {
    if !KNOWN_HEADERS.contains(&name) {
        if let Some(want) = KNOWN_HEADERS.iter().find(|k| k.eq_ignore_ascii_case(name)) {
            return Err(MessageError::HeaderName {
                line,
                found: name.to_owned(),
                want,
            });
        }
        if let Some(m) = MIME_HEADERS.iter().find(|k| k.eq_ignore_ascii_case(name)) {
            return Err(MessageError::MisplacedMimeHeader {
                line,
                name: (*m).to_owned(),
            });
        }
        return Ok(());
    }
    if has_params && name != "Subject" {
        return Err(MessageError::Syntax {
            line,
            what: "only Subject takes header parameters",
        });
    }
    let spaced = value.starts_with([' ', '\t']);
    let msg_id = |header: &'static str| {
        if spaced {
            return Err(MessageError::Space { line });
        }
        msg_id::parse(value).map_err(|source| MessageError::MsgId { header, source })
    };
    let date = |header: &'static str| {
        if spaced {
            return Err(MessageError::Space { line });
        }
        datetime::parse(value).map_err(|source| MessageError::DateTime { header, source })
    };
    match name {
        "From" => {
            if spaced {
                return Err(MessageError::Space { line });
            }
            let a = parse_address(value)?;
            set_once(&mut block.from, a, line, name)
        }
        "DateTime" => set_once(&mut block.datetime, date("DateTime")?, line, name),
        "ExpiresDateTime" => set_once(&mut block.expires, date("ExpiresDateTime")?, line, name),
        "Message-ID" => set_once(&mut block.message_id, msg_id("Message-ID")?, line, name),
        "In-Reply-To" => set_once(&mut block.in_reply_to, msg_id("In-Reply-To")?, line, name),
        "Supersedes" => set_once(&mut block.supersedes, msg_id("Supersedes")?, line, name),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// MIME headers (RFC 2045, RFC 2183, RFC 5322 §2.2)

/// A MIME header block: (name as written, unfolded value trimmed of WSP).
fn parse_mime_block(
    lines: &[&[u8]],
    first_line: usize,
) -> Result<Vec<(String, String)>, MessageError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for (i, content) in lines.iter().enumerate() {
        let line = first_line + i;
        let text = clean_line(content, line, true)?;
        if text.starts_with([' ', '\t']) {
            match fields.last_mut() {
                Some((_, v)) => v.push_str(text),
                None => {
                    return Err(MessageError::MimeHeaderSyntax {
                        line,
                        what: "a continuation line with no field before it",
                    });
                }
            }
            continue;
        }
        let colon = text.find(':').ok_or(MessageError::MimeHeaderSyntax {
            line,
            what: "a field name is followed by \":\"",
        })?;
        let name = &text[..colon];
        if name.is_empty() || !name.bytes().all(|b| (33..=126).contains(&b)) {
            return Err(MessageError::MimeHeaderSyntax {
                line,
                what: "field-name = 1*ftext (printable US-ASCII but \":\")",
            });
        }
        fields.push((name.to_owned(), text[colon + 1..].to_owned()));
    }
    for (_, v) in &mut fields {
        *v = v.trim_matches([' ', '\t']).to_owned();
    }
    Ok(fields)
}

/// `type "/" subtype *( ";" parameter )` (RFC 2045 §5.1), read by the
/// reference's one MIME parameter reader
/// ([`content_type::parse`]: comments, RFC 2231 sections and charsets, no
/// parameter twice, US-ASCII only); every fault is `immi.mime.content_type`.
pub fn parse_content_type(value: &str) -> Result<MediaType, MessageError> {
    content_type::parse(value)
        .map(MediaType::from)
        .map_err(MessageError::ContentType)
}

/// `disposition-type *( ";" disposition-parm )` (RFC 2183 §2), with the
/// parameters read as a Content-Type's
/// ([`content_type::parse_disposition`]); every fault is
/// `immi.mime.content_disposition`.
pub fn parse_content_disposition(value: &str) -> Result<Disposition, MessageError> {
    content_type::parse_disposition(value)
        .map(|d| Disposition {
            type_: d.type_,
            parameters: d.params,
        })
        .map_err(MessageError::ContentDisposition)
}

fn parse_content_length(value: &str, actual: usize) -> Result<u64, MessageError> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MessageError::ContentLengthSyntax);
    }
    match value.parse::<u64>() {
        Ok(n) if n == actual as u64 => Ok(n),
        _ => Err(MessageError::ContentLengthMismatch {
            declared: value.to_owned(),
            actual,
        }),
    }
}

/// The value of the one field named `name` (case-insensitive), or none.
fn single<'a>(
    fields: &'a [(String, String)],
    name: &str,
    first_line: usize,
) -> Result<Option<&'a str>, MessageError> {
    let mut found = None;
    for (i, (n, v)) in fields.iter().enumerate() {
        if n.eq_ignore_ascii_case(name) {
            if found.is_some() {
                return Err(MessageError::DuplicateHeader {
                    line: first_line + i,
                    name: name.to_owned(),
                });
            }
            found = Some(v.as_str());
        }
    }
    Ok(found)
}

// ---------------------------------------------------------------------------
// The whole entity

/// Parses a message/cpim entity and checks it against the IMMI profile.
///
/// Order: the outer block (lines, then its Content-Type and
/// Content-Length), the CPIM block line by line, the required CPIM headers
/// (From, DateTime, Message-ID), the inner block, its Content-Type,
/// Content-Disposition and Content-Length, then the body.
pub fn parse(s: &[u8]) -> Result<Message, MessageError> {
    // Outer MIME headers.
    let (outer, pos) = read_block(s, 0, 1, false)?;
    let outer_fields = parse_mime_block(&outer, 1)?;
    let ct = single(&outer_fields, "Content-Type", 1)?.ok_or(MessageError::NotCpim)?;
    if !parse_content_type(ct)?.is("message", "cpim") {
        return Err(MessageError::NotCpim);
    }
    if let Some(cl) = single(&outer_fields, "Content-Length", 1)? {
        parse_content_length(cl, s.len() - pos)?;
    }
    // CPIM headers.
    let cpim_first = outer.len() + 2;
    let (cpim_lines, pos) = read_block(s, pos, cpim_first, false)?;
    let block = parse_cpim_block(&cpim_lines, cpim_first)?;
    let from = block.from.ok_or(MessageError::MissingFrom)?;
    let datetime = block.datetime.ok_or(MessageError::MissingDateTime)?;
    let message_id = block.message_id.ok_or(MessageError::MissingMessageId)?;
    // The encapsulated entity.
    let inner_first = cpim_first + cpim_lines.len() + 1;
    let (inner, pos) = read_block(s, pos, inner_first, true)?;
    let fields = parse_mime_block(&inner, inner_first)?;
    let body = &s[pos..];
    let content_type = single(&fields, "Content-Type", inner_first)?
        .map(parse_content_type)
        .transpose()?;
    let content_disposition = single(&fields, "Content-Disposition", inner_first)?
        .map(parse_content_disposition)
        .transpose()?;
    let content_length = single(&fields, "Content-Length", inner_first)?
        .map(|v| parse_content_length(v, body.len()))
        .transpose()?;
    // The body.
    let mut dispositions = None;
    if let Some(ct) = &content_type {
        if ct.type_ == "text"
            && ct
                .param("charset")
                .is_some_and(|c| c.eq_ignore_ascii_case("utf-8"))
            && std::str::from_utf8(body).is_err()
        {
            return Err(MessageError::InvalidUtf8);
        }
        if ct.is("message", "external-body") {
            match ct.param("access-type") {
                None => return Err(MessageError::ExternalBody),
                Some(a) if a.eq_ignore_ascii_case("url") && ct.param("url").is_none() => {
                    return Err(MessageError::ExternalBody);
                }
                _ => {}
            }
        }
        if ct.is("message", "immi-disposition-notification") {
            let text = std::str::from_utf8(body).map_err(|_| MessageError::InvalidUtf8)?;
            dispositions = Some(disposition::parse(text).map_err(MessageError::Disposition)?);
        }
    }
    let dispo = content_disposition.as_ref().map(|d| d.type_.as_str());
    if dispo == Some("reaction") && block.in_reply_to.is_none() && block.supersedes.is_none() {
        return Err(MessageError::ReactionWithoutTarget);
    }
    let kind = if block.supersedes.is_some() {
        if body.is_empty() {
            Kind::Delete
        } else {
            Kind::Edit
        }
    } else if dispositions.is_some() {
        Kind::ReadReceipt
    } else if dispo == Some("reaction") {
        Kind::Reaction
    } else if dispo == Some("alert") {
        Kind::Knock
    } else if content_type
        .as_ref()
        .is_some_and(|ct| ct.is("message", "external-body"))
    {
        Kind::Attachment
    } else if block.in_reply_to.is_some() {
        Kind::Reply
    } else {
        Kind::Message
    };
    Ok(Message {
        headers: block.headers,
        from,
        datetime,
        message_id,
        in_reply_to: block.in_reply_to,
        supersedes: block.supersedes,
        expires: block.expires,
        content_type,
        content_disposition,
        content_length,
        body: body.to_vec(),
        dispositions,
        kind,
    })
}

// ---------------------------------------------------------------------------
// Writing

/// What [`build`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub from: Address,
    /// An RFC 3339 date-time, written with uppercase "T" and "Z".
    pub datetime: String,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub supersedes: Option<String>,
    pub expires: Option<String>,
    /// The value of the inner Content-Type, if one is written.
    pub content_type: Option<String>,
    pub content_disposition: Option<String>,
    pub body: Vec<u8>,
}

/// A value for one header line of [`build`]: no control character, and so
/// no CR or LF that would end the line or fold it.
fn clean_value(v: &str, e: fn(MimeError) -> MessageError) -> Result<&str, MessageError> {
    match v.bytes().find(|&b| b < 0x20 || b == 0x7f) {
        None => Ok(v),
        Some(b'\r' | b'\n') => Err(e(MimeError::BadFolding)),
        Some(_) => Err(e(MimeError::BadValue)),
    }
}

/// Writes a message/cpim entity with CRLF line ends and a Content-Length;
/// every value is checked with the parser's own rules first.
pub fn build(d: &Draft) -> Result<Vec<u8>, MessageError> {
    let mut out = String::from("Content-Type: message/cpim\r\n\r\n");
    out.push_str(&format!("From: {}\r\n", write_address(&d.from)?));
    let date = |header: &'static str, v: &str| {
        datetime::parse(v).map_err(|source| MessageError::DateTime { header, source })?;
        Ok::<_, MessageError>(v.to_ascii_uppercase())
    };
    out.push_str(&format!("DateTime: {}\r\n", date("DateTime", &d.datetime)?));
    let ids: [(&'static str, Option<&String>); 3] = [
        ("Message-ID", Some(&d.message_id)),
        ("In-Reply-To", d.in_reply_to.as_ref()),
        ("Supersedes", d.supersedes.as_ref()),
    ];
    for (header, v) in ids {
        if let Some(v) = v {
            let id = msg_id::parse(v).map_err(|source| MessageError::MsgId { header, source })?;
            out.push_str(&format!("{header}: {id}\r\n"));
        }
    }
    if let Some(v) = &d.expires {
        out.push_str(&format!(
            "ExpiresDateTime: {}\r\n",
            date("ExpiresDateTime", v)?
        ));
    }
    out.push_str("\r\n");
    if let Some(ct) = &d.content_type {
        let v = clean_value(ct, MessageError::ContentType)?;
        let parsed = parse_content_type(v)?;
        if parsed.type_ == "text"
            && parsed
                .param("charset")
                .is_some_and(|c| c.eq_ignore_ascii_case("utf-8"))
            && std::str::from_utf8(&d.body).is_err()
        {
            return Err(MessageError::InvalidUtf8);
        }
        out.push_str(&format!(
            "Content-Type: {}\r\n",
            v.trim_matches([' ', '\t'])
        ));
    }
    if let Some(cd) = &d.content_disposition {
        let v = clean_value(cd, MessageError::ContentDisposition)?;
        parse_content_disposition(v)?;
        out.push_str(&format!(
            "Content-Disposition: {}\r\n",
            v.trim_matches([' ', '\t'])
        ));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", d.body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&d.body);
    // Whatever the values, the result must read back.
    parse(&bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &[u8] = b"Content-type: message/cpim\r\n\r\nFrom: <im:alice-smith@example.com>\r\nDateTime: 2022-02-08T22:13:45-00:00\r\nMessage-ID: <28fd19857ad7@example.com>\r\n\r\nContent-Type: text/markdown;charset=utf-8\r\n\r\nHi everyone, we just shipped release 2.0. __Good work__!\r\n";

    #[test]
    fn section_4_1() {
        let m = parse(EXAMPLE).unwrap();
        assert_eq!(m.kind, Kind::Message);
        assert_eq!(m.from.uri, "im:alice-smith@example.com");
        assert_eq!(m.headers.len(), 3);
    }

    #[test]
    fn addresses() {
        let a = parse_address("MR SANDERS <im:piglet@100akerwood.com>").unwrap();
        assert_eq!(a.display_name.as_deref(), Some("MR SANDERS"));
        let a = parse_address("\"Smith, \\\"Al\\\"\" <im:a@b>").unwrap();
        assert_eq!(a.display_name.as_deref(), Some("Smith, \"Al\""));
        assert_eq!(write_address(&a).unwrap(), "\"Smith, \\\"Al\\\"\" <im:a@b>");
    }
}
