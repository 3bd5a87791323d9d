//! A plain RFC 5322 message to the message p≡p sends.
//!
//! The message is split into its IMF header fields and its MIME tree (the
//! MIME-Version and Content-* fields and the body: THE-ENCRYPTED-MESSAGE).
//!
//! - **1.0** encrypts the MIME tree alone and keeps the IMF headers as they
//!   are, but for the subject: the real subject travels as a first line
//!   `Subject: <value as written>` and an empty line in the first
//!   text/plain leaf (PEP-V1-SUBJECT).
//! - **2.0** wraps the whole message as a message/rfc822 part: its text
//!   starts with `X-pEp-Wrapped-Message-Info: INNER` and an empty line, and
//!   the outer plaintext is `X-pEp-Wrapped-Message-Info: OUTER`
//!   (PEP-V2-MARKER).
//! - **2.1** leaves the text alone: the part is
//!   `message/rfc822; forwarded="no"` and the inner message gets
//!   `X-pEp-Wrapped-Message-Info: INNER` and `X-pEp-Sender-FPR`.
//!
//! Both 2.x inner messages get `X-pEp-Version: 2.1` (the version the
//! reference speaks). A first text/plain leaf is found by following first
//! children; when there is none the tree is put in a multipart/mixed after
//! a new text/plain part that holds the line.
//!
//! The outer message (PEP-OUTER-HEADERS) keeps, for 2.x, From, To, Cc and
//! Date as written, a fresh Message-ID, and for 1.0 every IMF field; both
//! replace the subject with "p≡p" as an RFC 2047 encoded-word and end with
//! MIME-Version and an RFC 3156 multipart/encrypted Content-Type.

use rand::{CryptoRng, Rng};

use crate::application_mime::content_type::ContentType;
use crate::application_mime::entity::{self, Field};
use crate::application_mime::{encoding, multipart};

use super::openpgp::{self, PublicKey, SecretKey};
use super::unwrap::INNER_VALUES;
use super::{
    MAX_DEPTH, OWN_VERSION, PLACEHOLDER_SUBJECT, PepError, SENDER_FPR_HEADER, VERSION_HEADER,
    Version, WRAPPED_INFO_HEADER, header,
};

/// The outer plaintext of a 2.1 message: what a client that does not
/// raise the attached message shows.
pub const V21_OUTER_TEXT: &str = "This message was encrypted with p\u{2261}p. If you are seeing this text, your client does not show\r\nthe attached message in its place: open the attachment to read it.\r\n";

fn is_mime_field(name: &[u8]) -> bool {
    let n = name.to_ascii_lowercase();
    n == b"mime-version" || n.starts_with(b"content-")
}

fn is_pep_control(name: &[u8]) -> bool {
    [VERSION_HEADER, WRAPPED_INFO_HEADER, SENDER_FPR_HEADER]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h.as_bytes()))
}

/// A boundary none of `parts` holds as a delimiter.
fn boundary<R: Rng>(rng: &mut R, parts: &[Vec<u8>]) -> String {
    loop {
        let b = format!(
            "=pEp-{:016X}{:08X}=",
            rng.r#gen::<u64>(),
            rng.r#gen::<u32>()
        );
        let delim = format!("--{b}");
        if !parts
            .iter()
            .any(|p| p.windows(delim.len()).any(|w| w == delim.as_bytes()))
        {
            return b;
        }
    }
}

fn multipart_entity<R: Rng>(rng: &mut R, head: &str, params: &str, parts: &[Vec<u8>]) -> Vec<u8> {
    let b = boundary(rng, parts);
    let mut out = format!("{head}Content-Type: multipart/mixed{params}; boundary=\"{b}\"\r\n\r\n")
        .into_bytes();
    out.extend(multipart::build(&b, None, parts, None));
    out.extend_from_slice(b"\r\n");
    out
}

fn leads_to_text(tree: &[u8], depth: usize) -> Result<bool, PepError> {
    let e = entity::parse(tree)?;
    let ct = e.content_type_or(ContentType::default_text())?;
    if ct.is("text", "plain") {
        return Ok(true);
    }
    if ct.type_ != "multipart" || depth >= MAX_DEPTH {
        return Ok(false);
    }
    let m = multipart::split(&e, &ct)?;
    leads_to_text(m.parts[0], depth + 1)
}

/// Only called on a tree [`leads_to_text`] accepted, so its depth is bounded.
fn prepend_at(tree: &[u8], prefix: &[u8]) -> Result<Vec<u8>, PepError> {
    let e = entity::parse(tree)?;
    let ct = e.content_type_or(ContentType::default_text())?;
    let mut out = e.header_block();
    if ct.type_ == "multipart" {
        let m = multipart::split(&e, &ct)?;
        let mut parts: Vec<Vec<u8>> = m.parts.iter().map(|p| p.to_vec()).collect();
        parts[0] = prepend_at(m.parts[0], prefix)?;
        out.extend(multipart::build(
            &m.boundary,
            m.preamble,
            &parts,
            m.epilogue,
        ));
    } else {
        let te = e.transfer_encoding()?;
        let mut text = prefix.to_vec();
        text.extend(e.decoded_body()?);
        out.extend(encoding::encode(te, &text));
    }
    Ok(out)
}

/// `tree` with `prefix` put before the text of its first text/plain leaf.
pub fn prepend_text<R: Rng>(rng: &mut R, tree: &[u8], prefix: &[u8]) -> Result<Vec<u8>, PepError> {
    if leads_to_text(tree, 0)? {
        return prepend_at(tree, prefix);
    }
    let mut text = b"Content-Type: text/plain; charset=\"utf-8\"\r\n\r\n".to_vec();
    text.extend_from_slice(prefix);
    Ok(multipart_entity(
        rng,
        "MIME-Version: 1.0\r\n",
        "",
        &[text, tree.to_vec()],
    ))
}

fn domain_of(from: Option<&Field<'_>>) -> String {
    let v = from.map(|f| header::text(f.value)).unwrap_or_default();
    let d: String = v
        .rsplit_once('@')
        .map(|(_, d)| {
            d.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                .collect()
        })
        .unwrap_or_default();
    if d.is_empty() { "localhost".into() } else { d }
}

/// Wraps `message` from `sender` to `recipient` in `version`; `info` is
/// the inner message's X-pEp-Wrapped-Message-Info for 2.x (INNER,
/// KEY_RESET or TRANSPORT).
pub fn wrap<R: Rng + CryptoRng>(
    mut rng: R,
    message: &[u8],
    sender: &SecretKey,
    recipient: &PublicKey,
    version: Version,
    info: &str,
) -> Result<Vec<u8>, PepError> {
    if !INNER_VALUES.contains(&info) {
        return Err(PepError::BadWrappedInfo(info.to_owned()));
    }
    let e = entity::parse(message)?;
    let imf: Vec<&Field<'_>> = e.fields.iter().filter(|f| !is_mime_field(f.name)).collect();
    let mut tree: Vec<u8> = e
        .fields
        .iter()
        .filter(|f| is_mime_field(f.name))
        .flat_map(|f| f.raw.iter().copied())
        .collect();
    tree.extend_from_slice(b"\r\n");
    tree.extend_from_slice(e.body());
    // The tree must read back: every part parses and decodes.
    super::unwrap::view(&tree)?;
    let subject = header::first(&e.fields, "Subject");
    let placeholder = format!(
        "Subject: {}\r\n",
        header::encode_unstructured(PLACEHOLDER_SUBJECT)
    );

    let (mut head, plaintext) = match version {
        Version::V1_0 => {
            let real = subject.map(|f| header::unfold(f.value)).unwrap_or_default();
            let tree = if real.is_empty() {
                tree
            } else {
                let mut line = b"Subject: ".to_vec();
                line.extend(real);
                line.extend_from_slice(b"\r\n\r\n");
                prepend_text(&mut rng, &tree, &line)?
            };
            let mut head = Vec::new();
            let mut subject_done = false;
            for f in &imf {
                if f.name.eq_ignore_ascii_case(b"Subject") {
                    if !subject_done {
                        head.extend_from_slice(placeholder.as_bytes());
                        subject_done = true;
                    }
                } else {
                    head.extend_from_slice(f.raw);
                }
            }
            if !subject_done {
                head.extend_from_slice(placeholder.as_bytes());
            }
            (head, tree)
        }
        Version::V2_0 | Version::V2_1 => {
            let mut inner: Vec<u8> = imf
                .iter()
                .filter(|f| !is_pep_control(f.name))
                .flat_map(|f| f.raw.iter().copied())
                .collect();
            inner.extend(format!("{VERSION_HEADER}: {OWN_VERSION}\r\n").bytes());
            let (outer_text, part_type) = if version == Version::V2_0 {
                let marker = format!("{WRAPPED_INFO_HEADER}: {info}\r\n\r\n");
                inner.extend(prepend_text(&mut rng, &tree, marker.as_bytes())?);
                (
                    format!("{WRAPPED_INFO_HEADER}: OUTER\r\n"),
                    "message/rfc822",
                )
            } else {
                inner.extend(format!("{WRAPPED_INFO_HEADER}: {info}\r\n").bytes());
                inner.extend(format!("{SENDER_FPR_HEADER}: {}\r\n", sender.fingerprint()).bytes());
                inner.extend(tree);
                (
                    V21_OUTER_TEXT.to_owned(),
                    "message/rfc822; forwarded=\"no\"",
                )
            };
            let text = format!(
                "Content-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{outer_text}"
            )
            .into_bytes();
            let mut attached = format!("Content-Type: {part_type}\r\n\r\n").into_bytes();
            attached.extend(inner);
            let plaintext = multipart_entity(&mut rng, "", "", &[text, attached]);

            let mut head = Vec::new();
            for name in ["From", "To", "Cc", "Date"] {
                if let Some(f) = imf
                    .iter()
                    .find(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
                {
                    head.extend_from_slice(f.raw);
                }
            }
            head.extend_from_slice(placeholder.as_bytes());
            let id = format!(
                "Message-ID: <pEp.{:016X}{:016X}@{}>\r\n",
                rng.r#gen::<u64>(),
                rng.r#gen::<u64>(),
                domain_of(header::first(&e.fields, "From"))
            );
            head.extend(id.bytes());
            (head, plaintext)
        }
    };

    let armored = openpgp::encrypt(&mut rng, &plaintext, sender, recipient)?;
    let armored = armored.replace("\r\n", "\n").replace('\n', "\r\n");
    let control = b"Content-Type: application/pgp-encrypted\r\nContent-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n".to_vec();
    let mut data = b"Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\nContent-Description: OpenPGP encrypted message\r\nContent-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n".to_vec();
    data.extend(armored.bytes());
    let parts = [control, data];
    let b = boundary(&mut rng, &parts);
    head.extend(
        format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/encrypted;\r\n\tprotocol=\"application/pgp-encrypted\";\r\n\tboundary=\"{b}\"\r\n\r\n"
        )
        .bytes(),
    );
    head.extend(multipart::build(&b, None, &parts, None));
    head.extend_from_slice(b"\r\n");
    Ok(head)
}

/// [`wrap`] with the thread's random generator: a fresh session key,
/// Message-ID and boundaries for every call.
pub fn wrap_fresh(
    message: &[u8],
    sender: &SecretKey,
    recipient: &PublicKey,
    version: Version,
) -> Result<Vec<u8>, PepError> {
    wrap(
        rand::thread_rng(),
        message,
        sender,
        recipient,
        version,
        "INNER",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pep::SignatureStatus;
    use crate::pep::unwrap::{PartInfo, structure, unwrap};
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn keys() -> (SecretKey, SecretKey) {
        let a = SecretKey::generate(
            ChaCha20Rng::seed_from_u64(1),
            "Alice <alice@example.org>",
            1_600_000_000,
        )
        .unwrap();
        let b = SecretKey::generate(
            ChaCha20Rng::seed_from_u64(2),
            "Bob <bob@example.org>",
            1_600_000_000,
        )
        .unwrap();
        (a, b)
    }

    const MSG: &[u8] = b"From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nSubject: Lunch?\r\nDate: Tue, 1 Jun 2021 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\nIn-Reply-To: <0@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nShall we=3F\r\n";

    #[test]
    fn each_version_round_trips() {
        let (a, b) = keys();
        for (i, v) in [Version::V1_0, Version::V2_0, Version::V2_1]
            .into_iter()
            .enumerate()
        {
            let out = wrap(
                ChaCha20Rng::seed_from_u64(i as u64),
                MSG,
                &a,
                &b.public(),
                v,
                "INNER",
            )
            .unwrap();
            let s = structure(&out).unwrap();
            assert_eq!(s.content_type, "multipart/encrypted");
            assert_eq!(s.subject.as_deref(), Some(PLACEHOLDER_SUBJECT));
            assert!(!s.subject_8bit);
            assert_eq!(
                s.parts[0],
                PartInfo::Control {
                    version: Some("1".into())
                }
            );
            let u = unwrap(&out, &b, Some(&a.public())).unwrap();
            assert_eq!(u.version, v);
            assert_eq!(u.subject.as_deref(), Some("Lunch?"));
            assert_eq!(u.signature, SignatureStatus::Valid);
            assert_eq!(u.body.body.as_deref(), Some(&b"Shall we?\r\n"[..]));
            assert_eq!(u.headers.len(), 5, "{v:?}: {:?}", u.headers);
            assert_eq!(u.forwarded, 0);
            match v {
                Version::V1_0 => {
                    assert_eq!(u.wrapped_info, None);
                    assert!(s.header_names.contains(&"in-reply-to".to_string()));
                }
                Version::V2_0 => {
                    assert_eq!(u.wrapped_info.as_deref(), Some("INNER"));
                    assert_eq!(u.sender_fpr, None);
                    assert!(!s.header_names.contains(&"in-reply-to".to_string()));
                }
                Version::V2_1 => {
                    assert_eq!(u.wrapped_info.as_deref(), Some("INNER"));
                    assert_eq!(u.sender_fpr, Some(a.fingerprint()));
                    assert_eq!(u.peer_version.as_deref(), Some("2.1"));
                }
            }
        }
    }

    #[test]
    fn arbitrary_messages_never_panic() {
        let (a, b) = keys();
        let alphabet: &[&[u8]] = &[
            b"Subject: x\r\n",
            b"From: a@b\r\n",
            b"Content-Type: multipart/mixed; boundary=b\r\n",
            b"Content-Type: text/plain\r\n",
            b"Content-Type: image/png\r\n",
            b"Content-Transfer-Encoding: base64\r\n",
            b"Content-Transfer-Encoding: quoted-printable\r\n",
            b"\r\n",
            b"--b\r\n",
            b"--b--\r\n",
            b"=3D",
            b"\n",
            b"\xff",
            b":",
        ];
        let mut g = crate::testgen::Gen::new(0x0123_4567_89AB_CDEF);
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let versions = [Version::V1_0, Version::V2_0, Version::V2_1];
        for i in 0..600 {
            let m = g.bytes(alphabet, 16);
            if let Ok(out) = wrap(&mut rng, &m, &a, &b.public(), versions[i % 3], "INNER") {
                match unwrap(&out, &b, None) {
                    Ok(_) => {}
                    // A text that itself starts with a marker line.
                    Err(PepError::BadWrappedInfo(_) | PepError::MissingInner) => {}
                    Err(e) => panic!("{:?}: {e:?}", String::from_utf8_lossy(&m)),
                }
            }
        }
    }

    #[test]
    fn non_text_trees_get_a_text_part() {
        let (a, b) = keys();
        let msg = b"From: a@example.org\r\nSubject: S\r\nContent-Type: application/octet-stream\r\n\r\nxyz";
        let out = wrap(
            ChaCha20Rng::seed_from_u64(5),
            msg,
            &a,
            &b.public(),
            Version::V1_0,
            "INNER",
        )
        .unwrap();
        let u = unwrap(&out, &b, None).unwrap();
        assert_eq!(u.subject.as_deref(), Some("S"));
        assert_eq!(u.body.mime_type, "multipart/mixed");
        assert_eq!(u.body.parts[1].body.as_deref(), Some(&b"xyz"[..]));
        assert_eq!(
            wrap(
                ChaCha20Rng::seed_from_u64(5),
                msg,
                &a,
                &b.public(),
                Version::V2_1,
                "OUTER"
            )
            .unwrap_err()
            .code(),
            "pep.message.bad_wrapped_info"
        );
        assert_eq!(domain_of(None), "localhost");
    }
}
