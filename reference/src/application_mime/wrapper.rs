//! Wrapping and unwrapping application/mime (the draft's APPLICATION/MIME
//! SPECIFICATION, its two examples and SECURITY CONSIDERATIONS).
//!
//! A wrapper's Content-Type is `application/mime` with a `content-type`
//! parameter naming the contained object's type and subtype, followed by
//! a copy of every parameter of the contained object's Content-Type:
//!
//! ```text
//! contained = c-t *(";" *parameter)
//! c-t = "Content-Type=" <"> type "/" subtype <">
//! ```
//!
//! Decisions (see the register):
//! - AMIME-CT-PARAM-REQUIRED: the parameter is required.
//! - AMIME-PARAM-NAME-CASE: its name is matched case-insensitively;
//!   [`wrap`] writes `content-type`.
//! - AMIME-CT-PARAM-QUOTING: [`wrap`] writes the value quoted; readers
//!   use RFC 2045 syntax, so the unquoted form of the examples is an error.
//! - AMIME-DOUBLE-WRAP-PARAMS: when the contained object is itself
//!   application/mime, [`wrap`] writes `content-type="application/mime"`
//!   and nothing else (the rule); [`unwrap`] also accepts the example's
//!   form, a copy of the contained wrapper's own parameters.
//! - AMIME-PARAM-MISMATCH: a wrapper whose parameters disagree with the
//!   contained object is rejected. Values are compared after decoding;
//!   the type and subtype case-insensitively, other values exactly.
//! - AMIME-INNER-CT-FIRST: the contained object's Content-Type may be any
//!   field of its header section.
//! - AMIME-REWRAP-ENCODING: [`wrap`] encodes only when the data needs it:
//!   base64 for binary data (NUL, or CR or LF outside CRLF), else
//!   quoted-printable for 8bit data or a line longer than 78 octets, else
//!   nothing.
//! - AMIME-RECURSION-BOUND: at most [`MAX_WRAP_DEPTH`] layers.

use super::content_type::{self, ContentType, is_token};
use super::encoding;
use super::entity::{self, DataClass, Entity, TransferEncoding};
use super::{MAX_WRAP_DEPTH, MimeError};

/// The longest line [`wrap`] leaves unencoded (RFC 5322 §2.1.1).
pub const MAX_PLAIN_LINE: usize = 78;

/// What a dispatcher sees of a wrapper without opening it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapperView {
    /// The `content-type` parameter, lowercased `type/subtype`.
    pub contained_type: String,
    /// The other parameters of the wrapper, decoded.
    pub params: Vec<(String, String)>,
}

/// The result of [`unwrap`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwrapped {
    /// The innermost entity reached, decoded.
    pub entity: Vec<u8>,
    /// How many wrappers were removed.
    pub layers: usize,
}

fn is_app_mime(ct: &ContentType) -> bool {
    ct.is("application", "mime")
}

/// Reads a wrapper's `content-type` parameter: `type "/" subtype`.
fn contained_type(ct: &ContentType) -> Result<String, MimeError> {
    let value = ct
        .param("content-type")
        .ok_or(MimeError::MissingContentTypeParameter)?;
    match value.split_once('/') {
        Some((t, s)) if is_token(t) && is_token(s) => Ok(format!("{t}/{s}").to_ascii_lowercase()),
        _ => Err(MimeError::BadContentTypeParameter),
    }
}

fn others(params: &[(String, String)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = params
        .iter()
        .filter(|(n, _)| n != "content-type")
        .cloned()
        .collect();
    v.sort();
    v
}

/// Reads the wrapper `e`, whose Content-Type is `ct`, without opening it.
fn view_of(ct: &ContentType) -> Result<WrapperView, MimeError> {
    if !is_app_mime(ct) {
        return Err(MimeError::NotApplicationMime);
    }
    let contained_type = contained_type(ct)?;
    let params = ct
        .params
        .iter()
        .filter(|(n, _)| n != "content-type")
        .cloned()
        .collect();
    Ok(WrapperView {
        contained_type,
        params,
    })
}

/// The dispatch view of an application/mime entity.
pub fn describe(bytes: &[u8]) -> Result<WrapperView, MimeError> {
    let e = entity::parse(bytes)?;
    let ct = e.content_type()?.ok_or(MimeError::NotApplicationMime)?;
    view_of(&ct)
}

/// Checks that the wrapper's parameters replicate the contained object's.
fn check_agreement(wrapper: &ContentType, inner: &ContentType) -> Result<(), MimeError> {
    let named = contained_type(wrapper)?;
    let rest = others(&wrapper.params);
    if !is_app_mime(inner) {
        if named != inner.mime_type() {
            return Err(MimeError::TypeMismatch {
                wrapper: named,
                inner: inner.mime_type(),
            });
        }
        let mut theirs = inner.params.clone();
        theirs.sort();
        return if rest == theirs {
            Ok(())
        } else {
            Err(MimeError::ParameterMismatch)
        };
    }
    if named == "application/mime" {
        // The rule: none of the contained wrapper's parameters.
        return if rest.is_empty() {
            Ok(())
        } else {
            Err(MimeError::ParameterMismatch)
        };
    }
    // The example: a copy of the contained wrapper's parameters.
    let theirs = contained_type(inner).map_err(|_| MimeError::TypeMismatch {
        wrapper: named.clone(),
        inner: inner.mime_type(),
    })?;
    if named != theirs {
        return Err(MimeError::TypeMismatch {
            wrapper: named,
            inner: inner.mime_type(),
        });
    }
    if rest == others(&inner.params) {
        Ok(())
    } else {
        Err(MimeError::ParameterMismatch)
    }
}

/// The contained entity: a header section with a Content-Type.
fn inner_type(bytes: &[u8]) -> Result<ContentType, MimeError> {
    let e = entity::parse(bytes).map_err(|_| MimeError::InnerNotMime)?;
    e.content_type()
        .map_err(|_| MimeError::InnerNotMime)?
        .ok_or(MimeError::InnerNotMime)
}

/// Removes up to `depth` application/mime layers (all when `None`).
/// The outermost entity must be application/mime.
pub fn unwrap(bytes: &[u8], depth: Option<usize>) -> Result<Unwrapped, MimeError> {
    let mut current = bytes.to_vec();
    let mut layers = 0;
    loop {
        if depth.is_some_and(|d| layers >= d) {
            break;
        }
        let e = entity::parse(&current)?;
        let ct = e.content_type_or(ContentType::default_text())?;
        if !is_app_mime(&ct) {
            if layers == 0 {
                return Err(MimeError::NotApplicationMime);
            }
            break;
        }
        if layers == MAX_WRAP_DEPTH {
            return Err(MimeError::UnwrapTooDeep);
        }
        contained_type(&ct)?;
        let inner = e.decoded_body()?;
        let inner_ct = inner_type(&inner)?;
        check_agreement(&ct, &inner_ct)?;
        current = inner;
        layers += 1;
    }
    Ok(Unwrapped {
        entity: current,
        layers,
    })
}

/// The transfer encoding [`wrap`] gives `data`.
pub fn encoding_for(data: &[u8]) -> TransferEncoding {
    match entity::classify(data) {
        (DataClass::Binary, _) => TransferEncoding::Base64,
        (DataClass::EightBit, _) => TransferEncoding::QuotedPrintable,
        (DataClass::SevenBit, longest) if longest > MAX_PLAIN_LINE => {
            TransferEncoding::QuotedPrintable
        }
        _ => TransferEncoding::SevenBit,
    }
}

/// Wraps a MIME entity in application/mime.
pub fn wrap(bytes: &[u8]) -> Result<Vec<u8>, MimeError> {
    let e: Entity<'_> = entity::parse(bytes)?;
    let ct = e.content_type()?.ok_or(MimeError::MissingContentType)?;
    let params = if is_app_mime(&ct) {
        match unwrap(bytes, None) {
            Ok(u) if u.layers >= MAX_WRAP_DEPTH => return Err(MimeError::WrapTooDeep),
            Err(MimeError::UnwrapTooDeep) => return Err(MimeError::WrapTooDeep),
            Err(other) => return Err(other),
            Ok(_) => {}
        }
        vec![("content-type".to_owned(), "application/mime".to_owned())]
    } else {
        if ct.param("content-type").is_some() {
            return Err(MimeError::ParameterCollision);
        }
        let mut p = vec![("content-type".to_owned(), ct.mime_type())];
        p.extend(ct.params.iter().cloned());
        p
    };
    let te = encoding_for(bytes);
    let mut out = content_type::write_field("application/mime", &params);
    if te != TransferEncoding::SevenBit {
        out.extend_from_slice(format!("Content-Transfer-Encoding: {}\r\n", te.as_str()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend(encoding::encode(te, bytes));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::Gen;

    const SIGNED: &[u8] = b"Content-Type: Multipart/Signed; boundary=\"//signatureboundary//\"; protocol=\"application/somesigscheme\"\r\n\r\n--//signatureboundary//\r\nContent-type:text/plain\r\n\r\n<>\r\n--//signatureboundary//\r\nContent-type:application/somesigscheme\r\n\r\n<>\r\n--//signatureboundary//--\r\n";

    #[test]
    fn simple_example() {
        let mut msg = b"To:\r\nSubject:\r\nFrom:\r\nDate:\r\nMime-Version: 1.0\r\nContent-Type: Application/MIME; content-type=\"Multipart/signed\"; protocol=\"application/somesigscheme\"; boundary=\"//signatureboundary//\"\r\n\r\n".to_vec();
        msg.extend_from_slice(SIGNED);
        let u = unwrap(&msg, None).unwrap();
        assert_eq!((u.entity.as_slice(), u.layers), (SIGNED, 1));
        let unquoted = String::from_utf8(msg.clone())
            .unwrap()
            .replace("\"Multipart/signed\"", "Multipart/signed");
        assert_eq!(
            unwrap(unquoted.as_bytes(), None).unwrap_err().code(),
            "application_mime.content_type.bad_value"
        );
    }

    #[test]
    fn double_wrap_both_forms() {
        let once = wrap(SIGNED).unwrap();
        let twice = wrap(&once).unwrap();
        let v = describe(&twice).unwrap();
        assert_eq!(
            (v.contained_type.as_str(), v.params.len()),
            ("application/mime", 0)
        );
        assert_eq!(unwrap(&twice, None).unwrap().layers, 2);
        assert_eq!(unwrap(&twice, Some(1)).unwrap().entity, once);
        // The example's form: the outer copies the inner wrapper's parameters.
        let mut example = b"Content-Type: Application/MIME; content-type=\"multipart/signed\"; protocol=\"application/somesigscheme\"; boundary=\"//signatureboundary//\"\r\n\r\n".to_vec();
        example.extend_from_slice(&once);
        assert_eq!(unwrap(&example, None).unwrap().entity, SIGNED);
    }

    #[test]
    fn depth_bound() {
        let mut e = b"Content-Type: text/plain\r\n\r\nhi\r\n".to_vec();
        for _ in 0..MAX_WRAP_DEPTH {
            e = wrap(&e).unwrap();
        }
        assert_eq!(unwrap(&e, None).unwrap().layers, MAX_WRAP_DEPTH);
        assert_eq!(wrap(&e).unwrap_err(), MimeError::WrapTooDeep);
    }

    #[test]
    fn encodings() {
        let bin = b"Content-Type: application/octet-stream\r\n\r\n\0\x01\n\xff".to_vec();
        let w = wrap(&bin).unwrap();
        assert!(w.windows(6).any(|x| x == b"base64"));
        assert_eq!(unwrap(&w, None).unwrap().entity, bin);
        let eight = "Content-Type: text/plain; charset=utf-8\r\n\r\np≡p  \r\n".as_bytes();
        let w = wrap(eight).unwrap();
        assert!(w.windows(16).any(|x| x == b"quoted-printable"));
        assert_eq!(unwrap(&w, None).unwrap().entity, eight);
        assert_eq!(entity::classify(&w).0, DataClass::SevenBit);
    }

    #[test]
    fn never_panics() {
        let alphabet: &[&[u8]] = &[
            b"Content-Type: application/mime; content-type=\"text/plain\"\r\n",
            b"Content-Type: text/plain\r\n",
            b"Content-Type: application/mime; content-type=\"application/mime\"\r\n",
            b"Content-Transfer-Encoding: base64\r\n",
            b"Content-Transfer-Encoding: quoted-printable\r\n",
            b"\r\n",
            b"Q29udGVudC1UeXBlOiB0ZXh0L3BsYWluDQoNCg==",
            b"=",
            b"x",
            b"\n",
        ];
        let mut g = Gen::new(0xA076_1D64_78BD_642F);
        for _ in 0..20_000 {
            let b = g.bytes(alphabet, 12);
            let _ = unwrap(&b, None);
            let _ = describe(&b);
            if let Ok(w) = wrap(&b) {
                assert_eq!(unwrap(&w, Some(1)).unwrap().entity, b);
            }
        }
    }
}
