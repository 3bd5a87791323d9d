//! What a well-behaved gateway does (the draft's GATEWAY AND PASS-THROUGH
//! PROCESSING), and the lists of leaf parts used to check it.
//!
//! The MIME tree is walked through multipart/* only. Leaves are of three
//! kinds: application/mime wrappers, which a gateway never touches (not
//! even looks inside); message/* parts, left alone too; and ordinary parts,
//! which a gateway may change:
//!
//! - [`Action::SplitMultipart`]: a message whose top-level entity is
//!   multipart becomes a multipart/mixed of its leaves, in order, under
//!   the top-level boundary (which, by RFC 2046, occurs in none of them).
//!   The Content-Type field is replaced by `multipart/mixed;
//!   boundary=...`; every other header field, the top-level preamble and
//!   epilogue are kept; nested preambles and epilogues are dropped. A leaf
//!   of a multipart/digest without Content-Type gets `Content-Type:
//!   message/rfc822` first. Any other message is unchanged.
//! - [`Action::Reencode`]: each ordinary leaf in base64 is re-encoded in
//!   quoted-printable, in quoted-printable re-encoded in base64, in 8bit or
//!   binary encoded in base64; its Content-Transfer-Encoding field is
//!   rewritten in place. 7bit leaves and unknown encodings are unchanged.
//! - [`Action::RewrapLines`]: in each ordinary text/* leaf whose encoding
//!   is 7bit or 8bit, every body line longer than 78 octets is cut after
//!   each 78 octets (a CRLF inserted). Other leaves are unchanged.
//!
//! Multiparts are rebuilt as `[preamble CRLF] --b CRLF part *(CRLF --b
//! CRLF part) CRLF --b-- [CRLF epilogue]` with no transport padding; their
//! header sections are kept as they are.

use super::content_type::{self, ContentType};
use super::encoding;
use super::entity::{self, TransferEncoding};
use super::multipart;
use super::{MAX_MULTIPART_DEPTH, MimeError};

/// A gateway action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SplitMultipart,
    Reencode,
    RewrapLines,
}

impl Action {
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "split_multipart" => Some(Self::SplitMultipart),
            "reencode" => Some(Self::Reencode),
            "rewrap_lines" => Some(Self::RewrapLines),
            _ => None,
        }
    }
}

/// One leaf part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartInfo {
    /// `1`, `2.1`, ... (a message that is not multipart is `1`).
    pub path: String,
    /// Lowercased `type/subtype`, defaults applied.
    pub content_type: String,
    /// For application/mime: the part as it stands (header fields, empty
    /// line, body), undecoded.
    pub entity: Option<Vec<u8>>,
    /// For every other leaf: its Content-Transfer-Encoding, lowercased
    /// (`7bit` when absent).
    pub transfer_encoding: Option<String>,
    /// For every other leaf: the body, decoded from its transfer encoding.
    pub body: Option<Vec<u8>>,
}

fn default_for(parent: Option<&ContentType>) -> ContentType {
    match parent {
        Some(p) if p.is("multipart", "digest") => ContentType::default_digest(),
        _ => ContentType::default_text(),
    }
}

fn child_path(path: &str, i: usize) -> String {
    if path.is_empty() {
        (i + 1).to_string()
    } else {
        format!("{path}.{}", i + 1)
    }
}

fn walk(
    bytes: &[u8],
    path: &str,
    parent: Option<&ContentType>,
    depth: usize,
    decode: bool,
    out: &mut Vec<PartInfo>,
) -> Result<(), MimeError> {
    let e = entity::parse(bytes)?;
    let ct = e.content_type_or(default_for(parent))?;
    if ct.type_ == "multipart" {
        if depth >= MAX_MULTIPART_DEPTH {
            return Err(MimeError::MultipartTooDeep);
        }
        let mp = multipart::split(&e, &ct)?;
        for (i, part) in mp.parts.iter().enumerate() {
            walk(
                part,
                &child_path(path, i),
                Some(&ct),
                depth + 1,
                decode,
                out,
            )?;
        }
        return Ok(());
    }
    let path = if path.is_empty() {
        "1".into()
    } else {
        path.to_owned()
    };
    let mut info = PartInfo {
        path,
        content_type: ct.mime_type(),
        entity: None,
        transfer_encoding: None,
        body: None,
    };
    if ct.is("application", "mime") {
        info.entity = Some(bytes.to_vec());
    } else if decode {
        info.transfer_encoding = Some(e.transfer_encoding_token()?);
        info.body = Some(e.decoded_body()?);
    }
    out.push(info);
    Ok(())
}

/// Every leaf part of a message, depth first.
pub fn parts(message: &[u8]) -> Result<Vec<PartInfo>, MimeError> {
    let mut out = Vec::new();
    walk(message, "", None, 0, true, &mut out)?;
    Ok(out)
}

/// The application/mime parts of a message, as they stand; other leaves
/// are not decoded.
pub fn wrappers(message: &[u8]) -> Result<Vec<Vec<u8>>, MimeError> {
    let mut out = Vec::new();
    walk(message, "", None, 0, false, &mut out)?;
    Ok(out.into_iter().filter_map(|p| p.entity).collect())
}

/// What the gateway outputs for `message`.
pub fn process(message: &[u8], action: Action) -> Result<Vec<u8>, MimeError> {
    match action {
        Action::SplitMultipart => split(message),
        _ => transform(message, None, 0, action),
    }
}

fn transform(
    bytes: &[u8],
    parent: Option<&ContentType>,
    depth: usize,
    action: Action,
) -> Result<Vec<u8>, MimeError> {
    let e = entity::parse(bytes)?;
    let ct = e.content_type_or(default_for(parent))?;
    if ct.type_ == "multipart" {
        if depth >= MAX_MULTIPART_DEPTH {
            return Err(MimeError::MultipartTooDeep);
        }
        let mp = multipart::split(&e, &ct)?;
        let parts = mp
            .parts
            .iter()
            .map(|p| transform(p, Some(&ct), depth + 1, action))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(rebuild(&e, &mp, &parts));
    }
    if ct.is("application", "mime") || ct.type_ == "message" {
        return Ok(bytes.to_vec());
    }
    let te = match e.transfer_encoding() {
        Ok(te) => te,
        Err(MimeError::UnknownTransferEncoding(_)) => return Ok(bytes.to_vec()),
        Err(other) => return Err(other),
    };
    match action {
        Action::Reencode => {
            let to = match te {
                TransferEncoding::Base64 => TransferEncoding::QuotedPrintable,
                TransferEncoding::QuotedPrintable
                | TransferEncoding::EightBit
                | TransferEncoding::Binary => TransferEncoding::Base64,
                TransferEncoding::SevenBit => return Ok(bytes.to_vec()),
            };
            let data = e.decoded_body()?;
            let field = format!("Content-Transfer-Encoding: {}\r\n", to.as_str());
            let mut out = e.header_with("Content-Transfer-Encoding", field.as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend(encoding::encode(to, &data));
            Ok(out)
        }
        Action::RewrapLines => {
            if ct.type_ != "text"
                || !matches!(te, TransferEncoding::SevenBit | TransferEncoding::EightBit)
                || e.body.is_none()
            {
                return Ok(bytes.to_vec());
            }
            let header_len = bytes.len() - e.body().len();
            let mut out = bytes[..header_len].to_vec();
            out.extend(rewrap(e.body()));
            Ok(out)
        }
        Action::SplitMultipart => Ok(bytes.to_vec()),
    }
}

/// Cuts every line longer than 78 octets after each 78 octets.
pub fn rewrap(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 39);
    let mut col = 0;
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(b"\r\n") {
            out.extend_from_slice(b"\r\n");
            col = 0;
            i += 2;
            continue;
        }
        if col == 78 {
            out.extend_from_slice(b"\r\n");
            col = 0;
        }
        out.push(body[i]);
        col += 1;
        i += 1;
    }
    out
}

fn rebuild(e: &entity::Entity<'_>, mp: &multipart::Multipart<'_>, parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = e.header_block();
    out.extend(multipart::build(
        &mp.boundary,
        mp.preamble,
        parts,
        mp.epilogue,
    ));
    out
}

fn leaves(
    bytes: &[u8],
    parent: Option<&ContentType>,
    depth: usize,
    out: &mut Vec<Vec<u8>>,
) -> Result<(), MimeError> {
    let e = entity::parse(bytes)?;
    let declared = e.content_type()?;
    let ct = declared.clone().unwrap_or_else(|| default_for(parent));
    if ct.type_ == "multipart" {
        if depth >= MAX_MULTIPART_DEPTH {
            return Err(MimeError::MultipartTooDeep);
        }
        let mp = multipart::split(&e, &ct)?;
        for p in &mp.parts {
            leaves(p, Some(&ct), depth + 1, out)?;
        }
        return Ok(());
    }
    if declared.is_none() && ct.is("message", "rfc822") {
        let mut leaf = b"Content-Type: message/rfc822\r\n".to_vec();
        leaf.extend_from_slice(bytes);
        out.push(leaf);
    } else {
        out.push(bytes.to_vec());
    }
    Ok(())
}

fn split(message: &[u8]) -> Result<Vec<u8>, MimeError> {
    let e = entity::parse(message)?;
    let ct = e.content_type_or(ContentType::default_text())?;
    if ct.type_ != "multipart" {
        return Ok(message.to_vec());
    }
    let mp = multipart::split(&e, &ct)?;
    let mut parts = Vec::new();
    for p in &mp.parts {
        leaves(p, Some(&ct), 1, &mut parts)?;
    }
    let field = content_type::write_field(
        "multipart/mixed",
        &[("boundary".to_owned(), mp.boundary.clone())],
    );
    let mut out = e.header_with("Content-Type", &field);
    out.extend_from_slice(b"\r\n");
    out.extend(multipart::build(
        &mp.boundary,
        mp.preamble,
        &parts,
        mp.epilogue,
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::Gen;

    const WRAPPED: &[u8] = b"Content-Type: application/mime; content-type=\"text/plain\"\r\n\r\nContent-Type: text/plain\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n";

    fn message() -> Vec<u8> {
        let mut m = b"Subject: t\r\nContent-Type: multipart/signed; boundary=outer; protocol=\"a/b\"\r\n\r\n--outer\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\npre\r\n--inner\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".to_vec();
        m.extend_from_slice(&[b'y'; 100]);
        m.extend_from_slice(b"\r\n--inner\r\n");
        m.extend_from_slice(WRAPPED);
        m.extend_from_slice(b"\r\n--inner--\r\nepi\r\n--outer\r\nContent-Type: application/somesig\r\nContent-Transfer-Encoding: base64\r\n\r\nc2ln\r\n--outer--\r\n");
        m
    }

    #[test]
    fn wrappers_survive_every_action() {
        let m = message();
        assert_eq!(wrappers(&m).unwrap(), vec![WRAPPED.to_vec()]);
        for a in [
            Action::SplitMultipart,
            Action::Reencode,
            Action::RewrapLines,
        ] {
            let out = process(&m, a).unwrap();
            assert_eq!(wrappers(&out).unwrap(), vec![WRAPPED.to_vec()], "{a:?}");
        }
        let split = process(&m, Action::SplitMultipart).unwrap();
        let p = parts(&split).unwrap();
        let paths: Vec<_> = p.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["1", "2", "3"]);
        let re = process(&m, Action::Reencode).unwrap();
        let p = parts(&re).unwrap();
        assert_eq!(p[2].body.as_deref(), Some(&b"sig"[..]));
        assert_eq!(p[0].body.as_ref().map(Vec::len), Some(100));
        let wr = process(&m, Action::RewrapLines).unwrap();
        let p = parts(&wr).unwrap();
        assert_eq!(p[0].body.as_ref().map(Vec::len), Some(102));
    }

    #[test]
    fn never_panics() {
        let alphabet: &[&[u8]] = &[
            b"Content-Type: multipart/mixed; boundary=b\r\n",
            b"Content-Type: application/mime; content-type=\"text/plain\"\r\n",
            b"Content-Type: multipart/digest; boundary=b\r\n",
            b"Content-Transfer-Encoding: base64\r\n",
            b"\r\n",
            b"--b\r\n",
            b"--b--",
            b"x",
            b"eHg=",
        ];
        let mut g = Gen::new(0x94D0_49BB_1331_11EB);
        for _ in 0..20_000 {
            let b = g.bytes(alphabet, 14);
            let _ = parts(&b);
            for a in [
                Action::SplitMultipart,
                Action::Reencode,
                Action::RewrapLines,
            ] {
                if let Ok(out) = process(&b, a)
                    && let (Ok(before), Ok(after)) = (wrappers(&b), wrappers(&out))
                {
                    assert_eq!(before, after);
                }
            }
        }
        let nest = |levels: usize| {
            let mut e = "Content-Type: text/plain\r\n\r\nx".to_owned();
            for i in 0..levels {
                e = format!(
                    "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n{e}\r\n--b{i}--\r\n"
                );
            }
            e.into_bytes()
        };
        assert_eq!(parts(&nest(MAX_MULTIPART_DEPTH)).unwrap().len(), 1);
        assert_eq!(
            parts(&nest(MAX_MULTIPART_DEPTH + 1)).unwrap_err(),
            MimeError::MultipartTooDeep
        );
        for a in [Action::SplitMultipart, Action::Reencode] {
            assert_eq!(
                process(&nest(MAX_MULTIPART_DEPTH + 1), a).unwrap_err(),
                MimeError::MultipartTooDeep
            );
        }
    }
}
