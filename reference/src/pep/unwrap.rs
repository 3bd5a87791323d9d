//! An encrypted p≡p message to the message as the user reads it, and the
//! outer structure of an encrypted message.
//!
//! The outer message must be RFC 3156 OpenPGP/MIME: multipart/encrypted
//! with protocol="application/pgp-encrypted" (compared case-insensitively,
//! it is a media type), a first part application/pgp-encrypted whose body
//! holds a `Version: 1` field, and a second part application/octet-stream
//! holding the ASCII-armored message; exactly two parts. The checks run in
//! that order and the first that fails is reported; the key is read before
//! the message.
//!
//! The decrypted MIME tree (bare LF line ends become CRLF) is then read:
//!
//! - **2.0** when the first line of the first text/plain leaf (following
//!   first children) is the marker `X-pEp-Wrapped-Message-Info: OUTER`
//!   (PEP-V2-MARKER: the name case-insensitive, with or without `X-`; the
//!   value exact). The first message/rfc822 child is the inner message; the
//!   first line of its text is `...: INNER` (or KEY_RESET, TRANSPORT), and
//!   that line and one empty line after it are removed. This is checked
//!   first: the engine's own 2.0 output carries the 2.1 marks as well
//!   (PEP-V20-ENGINE-OUTPUT).
//! - **2.1** when a direct child of the decrypted multipart is a
//!   message/rfc822 part whose `forwarded` parameter is `no` (name and
//!   value ASCII case-insensitive, quoted or not: PEP-FORWARDED-PARAM).
//!   Its X-pEp-Wrapped-Message-Info header (name case-insensitive, value
//!   compared exactly) says INNER, KEY_RESET or TRANSPORT; absent, the part
//!   is still the inner message (PEP-MISSING-WRAPPED-INFO); any other value
//!   is rejected.
//! - **1.0** otherwise: the decrypted tree replaces the encrypted one under
//!   the outer IMF headers.
//!
//! For 2.x the inner message's headers replace the outer ones entirely.
//! KEY_RESET and TRANSPORT unwrap as INNER does and are reported
//! (PEP-KEY-RESET-AS-INNER, PEP-TRANSPORT). A message/rfc822 part that is
//! not the inner message is a forwarded message: left as it is and
//! counted. The subject shown is the message's Subject unless it is the
//! placeholder ("p≡p" or "pEp", once RFC 2047 words are decoded); then it
//! is the value of a `Subject:` first line of the text, which is removed,
//! or none (PEP-PLACEHOLDER-SUBJECT, PEP-V1-SUBJECT).

use crate::application_mime::content_type::ContentType;
use crate::application_mime::entity::{self, Entity, Field};
use crate::application_mime::{MimeError, multipart};

use super::header;
use super::openpgp::{self, PublicKey, SecretKey, SignatureStatus};
use super::{
    MAX_DEPTH, PLACEHOLDER_SUBJECT, PepError, SENDER_FPR_HEADER, VERSION_HEADER, Version,
    WRAPPED_INFO_HEADER,
};

/// The wrapped-message info values an inner message may carry.
pub const INNER_VALUES: &[&str] = &["INNER", "KEY_RESET", "TRANSPORT"];

/// One node of a MIME tree as the user reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// `type/subtype`, lowercased.
    pub mime_type: String,
    /// Parameters (names lowercased, values decoded), a multipart's
    /// boundary left out.
    pub params: Vec<(String, String)>,
    /// A leaf's body, decoded from its transfer encoding; `None` for a
    /// multipart.
    pub body: Option<Vec<u8>>,
    /// A multipart's parts.
    pub parts: Vec<Node>,
}

/// The message as the user reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwrapped {
    pub version: Version,
    pub wrapped_info: Option<String>,
    /// The X-pEp-Version of the message read (the inner one for 2.x).
    pub peer_version: Option<String>,
    /// The X-pEp-Sender-FPR of a 2.x inner message, when not empty:
    /// upper case, without spaces (MESSAGE-2-1: read "when it's there in
    /// the inner message").
    pub sender_fpr: Option<String>,
    pub signature: SignatureStatus,
    pub subject: Option<String>,
    /// Header fields in order, names as written, values unfolded and
    /// decoded; Subject, MIME-Version, Content-* and X-pEp-* left out.
    pub headers: Vec<(String, String)>,
    pub body: Node,
    /// How many message/rfc822 parts the body holds.
    pub forwarded: usize,
}

/// The outer structure of a message (for checking what a wrapper sends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Structure {
    pub content_type: String,
    /// The protocol parameter, lowercased.
    pub protocol: Option<String>,
    pub parts: Vec<PartInfo>,
    /// Every header field name, lowercased, sorted, once.
    pub header_names: Vec<String>,
    pub subject: Option<String>,
    /// Whether the raw Subject field holds octets above 127 (it must not:
    /// RFC 2047 encodes them).
    pub subject_8bit: bool,
    /// The first Message-ID field's value, unfolded and trimmed, as
    /// written (no msg-id check here: a property makes it).
    pub message_id: Option<String>,
}

/// One part of a multipart, as [`structure`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartInfo {
    /// application/pgp-encrypted and the value of its Version field.
    Control { version: Option<String> },
    /// Any other part, and whether its body is an ASCII-armored
    /// OpenPGP message.
    Other { content_type: String, armored: bool },
}

fn plain(e: MimeError) -> PepError {
    match e {
        MimeError::MultipartTooDeep => PepError::TooDeep,
        e => PepError::BadPlaintext(e),
    }
}

fn lines(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    b.split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// The value of the first `Version:` field of a control body.
fn control_version(body: &[u8]) -> Option<String> {
    lines(body).find_map(|l| {
        let colon = l.iter().position(|&c| c == b':')?;
        l[..colon]
            .eq_ignore_ascii_case(b"Version")
            .then(|| String::from_utf8_lossy(&header::unfold(&l[colon + 1..])).into_owned())
    })
}

fn is_armored(body: &[u8]) -> bool {
    let mut it = lines(body).map(header::unfold);
    it.any(|l| l == b"-----BEGIN PGP MESSAGE-----") && it.any(|l| l == b"-----END PGP MESSAGE-----")
}

fn content_type(e: &Entity<'_>) -> Result<ContentType, MimeError> {
    e.content_type_or(ContentType::default_text())
}

/// The outer structure of `message`.
pub fn structure(message: &[u8]) -> Result<Structure, PepError> {
    let e = entity::parse(message)?;
    let ct = content_type(&e)?;
    let mut parts = Vec::new();
    if ct.type_ == "multipart" {
        for p in multipart::split(&e, &ct)?.parts {
            let pe = entity::parse(p)?;
            let pct = content_type(&pe)?;
            let body = pe.decoded_body()?;
            parts.push(if pct.is("application", "pgp-encrypted") {
                PartInfo::Control {
                    version: control_version(&body),
                }
            } else {
                PartInfo::Other {
                    content_type: pct.mime_type(),
                    armored: is_armored(&body),
                }
            });
        }
    }
    let mut header_names: Vec<String> = e
        .fields
        .iter()
        .map(|f| String::from_utf8_lossy(f.name).to_ascii_lowercase())
        .collect();
    header_names.sort();
    header_names.dedup();
    let subject = header::first(&e.fields, "Subject");
    Ok(Structure {
        protocol: ct.param("protocol").map(str::to_ascii_lowercase),
        content_type: ct.mime_type(),
        parts,
        header_names,
        subject: subject.map(|f| header::text(f.value)),
        subject_8bit: subject.is_some_and(|f| !f.value.is_ascii()),
        message_id: header::first(&e.fields, "Message-ID")
            .map(|f| String::from_utf8_lossy(&header::unfold(f.value)).into_owned()),
    })
}

/// Checks the RFC 3156 envelope and returns the armored payload.
fn payload(e: &Entity<'_>) -> Result<Vec<u8>, PepError> {
    let ct = e.content_type()?.ok_or(PepError::NotEncrypted)?;
    if !ct.is("multipart", "encrypted") {
        return Err(PepError::NotEncrypted);
    }
    if !ct
        .param("protocol")
        .is_some_and(|p| p.eq_ignore_ascii_case("application/pgp-encrypted"))
    {
        return Err(PepError::BadProtocol);
    }
    let m = multipart::split(e, &ct)?;
    let control = entity::parse(m.parts[0])?;
    if !content_type(&control)?.is("application", "pgp-encrypted") {
        return Err(PepError::MissingPgpEncrypted);
    }
    if control_version(&control.decoded_body()?).as_deref() != Some("1") {
        return Err(PepError::BadVersion);
    }
    let data = m.parts.get(1).ok_or(PepError::MissingOctetStream)?;
    let data = entity::parse(data)?;
    if !content_type(&data)?.is("application", "octet-stream") {
        return Err(PepError::MissingOctetStream);
    }
    if m.parts.len() > 2 {
        return Err(PepError::PartCount);
    }
    Ok(data.decoded_body()?)
}

/// Every bare LF becomes CRLF (register PEP-PLAINTEXT-LINE-ENDS).
fn crlf(data: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 16);
    for (i, &b) in data.iter().enumerate() {
        if b == b'\n' && (i == 0 || data[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// The tree of an entity, bounded in depth.
pub fn view(bytes: &[u8]) -> Result<Node, MimeError> {
    view_at(bytes, 0)
}

fn view_at(bytes: &[u8], depth: usize) -> Result<Node, MimeError> {
    let e = entity::parse(bytes)?;
    let ct = content_type(&e)?;
    if ct.type_ == "multipart" {
        if depth >= MAX_DEPTH {
            return Err(MimeError::MultipartTooDeep);
        }
        let m = multipart::split(&e, &ct)?;
        let parts = m
            .parts
            .iter()
            .map(|p| view_at(p, depth + 1))
            .collect::<Result<_, _>>()?;
        Ok(Node {
            mime_type: ct.mime_type(),
            params: ct
                .params
                .into_iter()
                .filter(|(n, _)| n != "boundary")
                .collect(),
            body: None,
            parts,
        })
    } else {
        Ok(Node {
            mime_type: ct.mime_type(),
            body: Some(e.decoded_body()?),
            params: ct.params,
            parts: Vec::new(),
        })
    }
}

/// The body of the first text/plain leaf, following first children.
fn first_text(node: &mut Node) -> Option<&mut Vec<u8>> {
    let mut n = node;
    while !n.parts.is_empty() {
        n = &mut n.parts[0];
    }
    if n.mime_type == "text/plain" {
        n.body.as_mut()
    } else {
        None
    }
}

/// The first line of `b` (line end excluded) and the offset past its end.
fn first_line(b: &[u8]) -> (&[u8], usize) {
    match b.iter().position(|&c| c == b'\n') {
        Some(i) => (b[..i].strip_suffix(b"\r").unwrap_or(&b[..i]), i + 1),
        None => (b, b.len()),
    }
}

/// Removes the first line and one empty line after it.
fn drop_first_line(b: &mut Vec<u8>) {
    let (_, mut end) = first_line(b);
    if b[end..].starts_with(b"\r\n") {
        end += 2;
    } else if b[end..].starts_with(b"\n") {
        end += 1;
    }
    b.drain(..end);
}

/// The value of a wrapped-message marker line (PEP-V2-MARKER), if the
/// first line of `text` is one.
fn marker(text: &[u8]) -> Option<String> {
    let (line, _) = first_line(text);
    let colon = line.iter().position(|&c| c == b':')?;
    let name = &line[..colon];
    let short = &WRAPPED_INFO_HEADER.as_bytes()[2..];
    (name.eq_ignore_ascii_case(WRAPPED_INFO_HEADER.as_bytes()) || name.eq_ignore_ascii_case(short))
        .then(|| String::from_utf8_lossy(&header::unfold(&line[colon + 1..])).into_owned())
}

fn inner_value(v: String) -> Result<String, PepError> {
    if INNER_VALUES.contains(&v.as_str()) {
        Ok(v)
    } else {
        Err(PepError::BadWrappedInfo(v))
    }
}

fn raw_value(fields: &[Field<'_>], name: &str) -> Option<String> {
    header::first(fields, name).map(|f| String::from_utf8_lossy(&header::unfold(f.value)).into())
}

/// The first direct child of a multipart entity for which `pick` holds.
fn child<'a>(
    e: &Entity<'a>,
    pick: impl Fn(&ContentType) -> bool,
) -> Result<Option<Vec<u8>>, MimeError> {
    let ct = content_type(e)?;
    if ct.type_ != "multipart" {
        return Ok(None);
    }
    for p in multipart::split(e, &ct)?.parts {
        let pe = entity::parse(p)?;
        if pick(&content_type(&pe)?) {
            return Ok(Some(pe.decoded_body()?));
        }
    }
    Ok(None)
}

fn is_rfc822(ct: &ContentType) -> bool {
    ct.is("message", "rfc822")
}

fn not_forwarded(ct: &ContentType) -> bool {
    is_rfc822(ct)
        && ct
            .param("forwarded")
            .is_some_and(|v| v.eq_ignore_ascii_case("no"))
}

fn is_placeholder(s: &str) -> bool {
    s == PLACEHOLDER_SUBJECT || s == "pEp"
}

fn count_rfc822(n: &Node) -> usize {
    usize::from(n.mime_type == "message/rfc822") + n.parts.iter().map(count_rfc822).sum::<usize>()
}

/// Decrypts `message` with `key` (checking its signature with `sender`,
/// when given) and reads it as the user does.
pub fn unwrap(
    message: &[u8],
    key: &SecretKey,
    sender: Option<&PublicKey>,
) -> Result<Unwrapped, PepError> {
    let outer = entity::parse(message)?;
    let armored = payload(&outer)?;
    let decrypted = openpgp::decrypt(&armored, key, sender)?;
    read(&outer.fields, &crlf(decrypted.data), decrypted.signature)
}

/// Reads a decrypted MIME tree that came under `outer` header fields.
pub fn read(
    outer: &[Field<'_>],
    plaintext: &[u8],
    signature: SignatureStatus,
) -> Result<Unwrapped, PepError> {
    let top = entity::parse(plaintext).map_err(plain)?;
    let mut tree = view(plaintext).map_err(plain)?;
    // The 2.0 marker lines first: a message that has them is 2.0 even when
    // it carries the 2.1 marks as well, as the engine's own 2.0 output does
    // (PEP-V20-ENGINE-OUTPUT).
    let (version, inner, wrapped_info) =
        if let Some(v) = first_text(&mut tree).and_then(|t| marker(t)) {
            if v != "OUTER" {
                return Err(PepError::BadWrappedInfo(v));
            }
            let inner = child(&top, is_rfc822)
                .map_err(plain)?
                .ok_or(PepError::MissingInner)?;
            (Version::V2_0, Some(inner), None)
        } else if let Some(inner) = child(&top, not_forwarded).map_err(plain)? {
            let ie = entity::parse(&inner).map_err(plain)?;
            let info = raw_value(&ie.fields, WRAPPED_INFO_HEADER)
                .map(inner_value)
                .transpose()?;
            (Version::V2_1, Some(inner), info)
        } else {
            (Version::V1_0, None, None)
        };
    let inner_entity;
    let (fields, wrapped_info) = match &inner {
        None => (outer, wrapped_info),
        Some(bytes) => {
            inner_entity = entity::parse(bytes).map_err(plain)?;
            tree = view(bytes).map_err(plain)?;
            let mut info = wrapped_info;
            if version == Version::V2_0
                && let Some(text) = first_text(&mut tree)
                && let Some(v) = marker(text)
            {
                info = Some(inner_value(v)?);
                drop_first_line(text);
            }
            (&inner_entity.fields[..], info)
        }
    };
    let mut subject = header::first(fields, "Subject").map(|f| header::text(f.value));
    if subject.as_deref().is_some_and(is_placeholder) {
        subject = None;
        if let Some(text) = first_text(&mut tree) {
            let (line, _) = first_line(text);
            if line.len() >= 8 && line[..8].eq_ignore_ascii_case(b"Subject:") {
                subject = Some(header::text(&line[8..]));
                drop_first_line(text);
            }
        }
    }
    let headers = fields
        .iter()
        .filter(|f| {
            let n = f.name.to_ascii_lowercase();
            !(n == b"subject"
                || n == b"mime-version"
                || n.starts_with(b"content-")
                || n.starts_with(b"x-pep-"))
        })
        .map(|f| {
            (
                String::from_utf8_lossy(f.name).into_owned(),
                header::text(f.value),
            )
        })
        .collect();
    Ok(Unwrapped {
        version,
        wrapped_info,
        peer_version: raw_value(fields, VERSION_HEADER),
        sender_fpr: raw_value(fields, SENDER_FPR_HEADER)
            .filter(|s| version != Version::V1_0 && !s.is_empty())
            .map(|s| s.replace([' ', '\t'], "").to_ascii_uppercase()),
        signature,
        subject,
        headers,
        forwarded: count_rfc822(&tree),
        body: tree,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_plain(outer: &[u8], plaintext: &[u8]) -> Result<Unwrapped, PepError> {
        let e = entity::parse(outer).unwrap();
        read(&e.fields, plaintext, SignatureStatus::Unsigned)
    }

    const OUTER: &[u8] =
        b"From: a@example.org\r\nTo: b@example.org\r\nSubject: =?utf-8?Q?p=E2=89=A1p?=\r\n\r\n";

    #[test]
    fn version_1_subject_line() {
        let u = read_plain(
            OUTER,
            b"Content-Type: text/plain\r\n\r\nSubject: Real\r\n\r\nHello\r\n",
        )
        .unwrap();
        assert_eq!(u.version, Version::V1_0);
        assert_eq!(u.subject.as_deref(), Some("Real"));
        assert_eq!(u.body.body.as_deref(), Some(&b"Hello\r\n"[..]));
        assert_eq!(u.headers.len(), 2);
        let u = read_plain(OUTER, b"Content-Type: text/plain\r\n\r\nHello\r\n").unwrap();
        assert_eq!(u.subject, None);
        let u = read_plain(
            b"Subject: Hi\r\n\r\n",
            b"Content-Type: text/plain\r\n\r\nSubject: Real\r\n",
        )
        .unwrap();
        assert_eq!(u.subject.as_deref(), Some("Hi"));
        assert_eq!(u.body.body.as_deref(), Some(&b"Subject: Real\r\n"[..]));
    }

    #[test]
    fn version_2_0_and_2_1() {
        let inner = "From: a@example.org\r\nSubject: S\r\nContent-Type: text/plain\r\n\r\nX-pEp-Wrapped-Message-Info: INNER\r\n\r\nHi\r\n";
        let pt = format!(
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\npEp-Wrapped-Message-Info: OUTER\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n{inner}\r\n--b--\r\n"
        );
        let u = read_plain(OUTER, pt.as_bytes()).unwrap();
        assert_eq!(u.version, Version::V2_0);
        assert_eq!(u.wrapped_info.as_deref(), Some("INNER"));
        assert_eq!(u.subject.as_deref(), Some("S"));
        assert_eq!(u.body.body.as_deref(), Some(&b"Hi\r\n"[..]));
        assert_eq!(u.headers, vec![("From".into(), "a@example.org".into())]);
        let inner = "Subject: S\r\nX-Pep-Wrapped-Message-Info: KEY_RESET\r\nX-pEp-Sender-FPR: a b\r\nX-PEP-VERSION: 2.1\r\n\r\nHi\r\n";
        let pt = format!(
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\nContent-Type: message/rfc822; FORWARDED=No\r\n\r\n{inner}\r\n--b--\r\n"
        );
        let u = read_plain(OUTER, pt.as_bytes()).unwrap();
        assert_eq!(u.version, Version::V2_1);
        assert_eq!(u.wrapped_info.as_deref(), Some("KEY_RESET"));
        assert_eq!(u.sender_fpr.as_deref(), Some("AB"));
        assert_eq!(u.peer_version.as_deref(), Some("2.1"));
        let bad = pt.replace("KEY_RESET", "inner");
        assert_eq!(
            read_plain(OUTER, bad.as_bytes()).unwrap_err().code(),
            "pep.message.bad_wrapped_info"
        );
        let fwd = pt.replace("; FORWARDED=No", "");
        let u = read_plain(OUTER, fwd.as_bytes()).unwrap();
        assert_eq!(u.version, Version::V1_0);
        assert_eq!(u.forwarded, 1);
    }

    #[test]
    fn markers_win_over_the_2_1_marks() {
        let inner = "From: a@example.org\r\nSubject: S\r\nX-pEp-Wrapped-Message-Info: INNER\r\nX-pEp-Sender-FPR: ab\r\nContent-Type: text/plain\r\n\r\npEp-Wrapped-Message-Info: INNER\r\n\r\nHi\r\n";
        let pt = format!(
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\npEp-Wrapped-Message-Info: OUTER\r\n\r\n--b\r\nContent-Type: message/rfc822; forwarded=\"no\"\r\n\r\n{inner}\r\n--b--\r\n"
        );
        let u = read_plain(OUTER, pt.as_bytes()).unwrap();
        assert_eq!(u.version, Version::V2_0);
        assert_eq!(u.wrapped_info.as_deref(), Some("INNER"));
        assert_eq!(u.sender_fpr.as_deref(), Some("AB"));
        assert_eq!(u.body.body.as_deref(), Some(&b"Hi\r\n"[..]));
    }

    #[test]
    fn markers_and_lines() {
        assert_eq!(
            marker(b"x-pep-wrapped-message-info:  OUTER \r\n"),
            Some("OUTER".into())
        );
        assert_eq!(marker(b"X-pEp-WrappedMessageInfo: OUTER"), None);
        assert_eq!(marker(b"no colon"), None);
        let mut v = b"a\nb".to_vec();
        drop_first_line(&mut v);
        assert_eq!(v, b"b");
        let mut v = b"a\n\nb".to_vec();
        drop_first_line(&mut v);
        assert_eq!(v, b"b");
        let mut v = b"a".to_vec();
        drop_first_line(&mut v);
        assert!(v.is_empty());
        assert_eq!(crlf(b"a\nb\r\n".to_vec()), b"a\r\nb\r\n");
        assert_eq!(crlf(b"\n".to_vec()), b"\r\n");
        assert_eq!(
            control_version(b"Comment: x\r\nversion:  1 \r\n"),
            Some("1".into())
        );
        assert_eq!(control_version(b"Version 1\r\n"), None);
        assert!(is_armored(
            b"-----BEGIN PGP MESSAGE-----\r\n\r\nabc\r\n-----END PGP MESSAGE-----\r\n"
        ));
        assert!(!is_armored(
            b"-----END PGP MESSAGE-----\r\n-----BEGIN PGP MESSAGE-----\r\n"
        ));
    }

    #[test]
    fn envelope_checks() {
        let code = |m: &str| {
            payload(&entity::parse(m.as_bytes()).unwrap())
                .unwrap_err()
                .code()
        };
        assert_eq!(
            code("Content-Type: text/plain\r\n\r\nx"),
            "pep.message.not_encrypted"
        );
        assert_eq!(code("Subject: x\r\n\r\nx"), "pep.message.not_encrypted");
        let head = "Content-Type: multipart/encrypted; boundary=b";
        assert_eq!(
            code(&format!("{head}\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n")),
            "pep.message.bad_protocol"
        );
        let head = format!("{head}; protocol=\"Application/PGP-Encrypted\"\r\n\r\n");
        let ctrl = "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n";
        let data = "--b\r\nContent-Type: application/octet-stream\r\n\r\nA\r\n";
        assert_eq!(
            code(&format!("{head}{data}--b--\r\n")),
            "pep.message.missing_pgp_encrypted"
        );
        assert_eq!(
            code(&format!("{head}{}{data}--b--\r\n", ctrl.replace('1', "2"))),
            "pep.message.bad_version"
        );
        assert_eq!(
            code(&format!("{head}{ctrl}--b--\r\n")),
            "pep.message.missing_octet_stream"
        );
        assert_eq!(
            code(&format!("{head}{ctrl}{ctrl}--b--\r\n")),
            "pep.message.missing_octet_stream"
        );
        assert_eq!(
            code(&format!("{head}{ctrl}{data}{data}--b--\r\n")),
            "pep.message.part_count"
        );
        let ok = format!("{head}{ctrl}{data}--b--\r\n");
        assert_eq!(
            payload(&entity::parse(ok.as_bytes()).unwrap()).unwrap(),
            b"A"
        );
        let s = structure(ok.as_bytes()).unwrap();
        assert_eq!(s.protocol.as_deref(), Some("application/pgp-encrypted"));
        assert_eq!(s.parts.len(), 2);
    }

    #[test]
    fn nesting_is_bounded() {
        let mut m = b"Content-Type: text/plain\r\n\r\nx".to_vec();
        for _ in 0..40 {
            let mut outer = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n".to_vec();
            outer.extend_from_slice(&m);
            outer.extend_from_slice(b"\r\n--b--");
            m = outer;
        }
        // Every level shares the boundary, so the parser sees a broken
        // body or the depth bound; either way an error, never a crash.
        assert!(read_plain(OUTER, &m).is_err());
        let mut m = b"Content-Type: text/plain\r\n\r\nx".to_vec();
        for i in 0..(MAX_DEPTH + 2) {
            let mut outer =
                format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n")
                    .into_bytes();
            outer.extend_from_slice(&m);
            outer.extend(format!("\r\n--b{i}--").bytes());
            m = outer;
        }
        assert_eq!(read_plain(OUTER, &m).unwrap_err(), PepError::TooDeep);
    }

    #[test]
    fn unwrap_of_arbitrary_bytes_never_panics() {
        use rand::SeedableRng;
        use rand_chacha::ChaCha20Rng;
        let key = |seed, uid| {
            SecretKey::generate(ChaCha20Rng::seed_from_u64(seed), uid, 1_600_000_000).unwrap()
        };
        let (a, b) = (key(1, "a <a@example.org>"), key(2, "b <b@example.org>"));
        let msg = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: s\r\nContent-Type: text/plain\r\n\r\nhi\r\n";
        let mut g = crate::testgen::Gen::new(0xDEAD_BEEF_0BAD_F00D);
        for (i, v) in [Version::V1_0, Version::V2_0, Version::V2_1]
            .into_iter()
            .enumerate()
        {
            let good = super::super::wrap::wrap(
                ChaCha20Rng::seed_from_u64(i as u64),
                msg,
                &a,
                &b.public(),
                v,
                "INNER",
            )
            .unwrap();
            assert!(unwrap(&good, &b, Some(&a.public())).is_ok());
            for _ in 0..150 {
                let mut m = good.clone();
                for _ in 0..(g.next_u64() % 3 + 1) {
                    let at = (g.next_u64() as usize) % m.len();
                    m[at] = (g.next_u64() % 256) as u8;
                }
                let _ = unwrap(&m, &b, Some(&a.public()));
                let cut = (g.next_u64() as usize) % m.len();
                let _ = unwrap(&m[..cut], &b, None);
                let _ = structure(&m[..cut]);
            }
        }
    }

    #[test]
    fn arbitrary_plaintexts_never_panic() {
        let alphabet: &[&[u8]] = &[
            b"Content-Type: multipart/mixed; boundary=b\r\n",
            b"Content-Type: message/rfc822; forwarded=no\r\n",
            b"Content-Type: message/rfc822\r\n",
            b"Content-Type: text/plain\r\n",
            b"Content-Transfer-Encoding: base64\r\n",
            b"X-pEp-Wrapped-Message-Info: INNER\r\n",
            b"X-pEp-Wrapped-Message-Info: OUTER\r\n",
            b"pEp-Wrapped-Message-Info: OUTER\r\n",
            b"Subject: pEp\r\n",
            b"Subject: x\r\n",
            b"\r\n",
            b"--b\r\n",
            b"--b--\r\n",
            b"\n",
            b"\xff",
            b":",
        ];
        let mut g = crate::testgen::Gen::new(0xC0FF_EE00_1234_5678);
        for _ in 0..20_000 {
            let b = g.bytes(alphabet, 24);
            let _ = read_plain(OUTER, &b);
            let _ = structure(&b);
            if let Ok(e) = entity::parse(&b) {
                let _ = payload(&e);
            }
        }
    }
}
