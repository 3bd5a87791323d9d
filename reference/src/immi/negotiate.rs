//! MIME type negotiation in an IMMI group (immi-content §2, §3.2, §3.3,
//! §5.3): may a message be sent to a group, and which part of it does each
//! member render?
//!
//! The group requires some MIME types of every member (the companion draft's
//! MLS extension); the profile itself makes six types REQUIRED (§5.3), so
//! they are required in every IMMI group whatever the group's own list says.
//! Each member advertises the types it supports. A message is sendable when
//! every member supports every required type (register
//! IMMI-NEGOTIATE-MEMBER-REQUIRED) and every member can render some part of
//! it (register IMMI-NEGOTIATE-UNRENDERABLE): the "interoperable ... baseline
//! available to all members" of §2.
//!
//! Rendering follows RFC 2046: a member renders a multipart/alternative by
//! its last part that it can render (§5.1.4); a multipart/mixed or
//! multipart/parallel only when it can render every part (register
//! IMMI-NEGOTIATE-MIXED-PARTS); any other type when it supports the type.
//! Types are compared without parameters, case-insensitively (RFC 2045
//! §5.1); there are no wildcards.

use super::cpim::{self, MediaType, MessageError};
use crate::application_mime::content_type::{self, is_token};
use crate::application_mime::multipart;

/// The MIME types immi-content §5.3 makes REQUIRED.
pub const PROFILE_REQUIRED: [&str; 6] = [
    "message/cpim",
    "multipart/alternative",
    "multipart/mixed",
    "multipart/parallel",
    "text/plain",
    "text/markdown",
];

/// The MIME types immi-content §5.3 makes RECOMMENDED.
pub const PROFILE_RECOMMENDED: [&str; 5] = [
    "text/html",
    "message/external-body",
    "message/immi-disposition-notification",
    "image/jpeg",
    "image/png",
];

/// At most this many nested multiparts (a bound of the suite, not a rule of
/// the documents).
pub const MAX_DEPTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NegotiateError {
    #[error("{0:?} is not a MIME type \"type/subtype\" without parameters")]
    MediaType(String),
    #[error("the message: {0}")]
    Message(MessageError),
    #[error("a multipart body cannot be split: {0}")]
    Multipart(&'static str),
    #[error("multiparts are nested more than {MAX_DEPTH} deep")]
    TooDeep,
}

impl NegotiateError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::MediaType(_) => "immi.negotiate.media_type",
            Self::Message(e) => e.code(),
            Self::Multipart(_) => "immi.negotiate.multipart",
            Self::TooDeep => "immi.negotiate.too_deep",
        }
    }
}

/// Why a message may not be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// A member does not support a type the group or the profile requires.
    MemberLacksRequired,
    /// A member can render no part of the message.
    Unrenderable,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Self::MemberLacksRequired => "immi.negotiate.member_lacks_required",
            Self::Unrenderable => "immi.negotiate.unrenderable",
        }
    }
}

/// The answer: whether the message may be sent, and what each member
/// renders (`None`: nothing), in the order of the members given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiation {
    pub sendable: bool,
    pub reason: Option<Reason>,
    pub render: Vec<(String, Option<String>)>,
}

/// A MIME body part as far as rendering goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Leaf(String),
    Multi(String, Vec<Part>),
}

/// A "type/subtype" from a group or member list, lowercased.
pub fn media_type(s: &str) -> Result<String, NegotiateError> {
    match s.split_once('/') {
        Some((t, st)) if is_token(t) && is_token(st) => Ok(s.to_ascii_lowercase()),
        _ => Err(NegotiateError::MediaType(s.to_owned())),
    }
}

fn name(ct: &MediaType) -> String {
    format!("{}/{}", ct.type_, ct.subtype)
}

/// The structure of an entity of type `ct` with body `body`.
fn part_tree(ct: &MediaType, body: &[u8], depth: usize) -> Result<Part, NegotiateError> {
    if ct.type_ != "multipart" {
        return Ok(Part::Leaf(name(ct)));
    }
    if depth >= MAX_DEPTH {
        return Err(NegotiateError::TooDeep);
    }
    let boundary = ct
        .param("boundary")
        .ok_or(NegotiateError::Multipart("no boundary parameter"))?;
    if !multipart::valid_boundary(boundary) {
        return Err(NegotiateError::Multipart("the boundary is not 1*70 bchars"));
    }
    let split = multipart::split_body(body, boundary)
        .map_err(|_| NegotiateError::Multipart("no delimiter or close-delimiter"))?;
    let default = if ct.subtype == "digest" {
        "message/rfc822"
    } else {
        "text/plain"
    };
    let mut parts = Vec::with_capacity(split.parts.len());
    for raw in split.parts {
        let e = crate::application_mime::entity::parse(raw)
            .map_err(|_| NegotiateError::Multipart("a body part's header is not MIME"))?;
        let field = e
            .field("Content-Type")
            .map_err(|_| NegotiateError::Multipart("a body part has two Content-Type fields"))?;
        let part_ct = match field {
            None => cpim::parse_content_type(default),
            // The field value as the entity holds it, folds included: the
            // parameter reader unfolds.
            Some(f) => content_type::parse_bytes(f.value)
                .map(MediaType::from)
                .map_err(MessageError::ContentType),
        }
        .map_err(NegotiateError::Message)?;
        parts.push(part_tree(&part_ct, e.body.unwrap_or_default(), depth + 1)?);
    }
    Ok(Part::Multi(name(ct), parts))
}

/// What `supports` renders of `part`: the type of the part it shows.
fn render(part: &Part, supports: &[String]) -> Option<String> {
    let has = |t: &str| supports.iter().any(|s| s == t);
    match part {
        Part::Leaf(t) => has(t).then(|| t.clone()),
        Part::Multi(t, parts) => {
            if !has(t) {
                return None;
            }
            if t == "multipart/alternative" {
                parts.iter().rev().find_map(|p| render(p, supports))
            } else if parts.iter().all(|p| render(p, supports).is_some()) {
                Some(t.clone())
            } else {
                None
            }
        }
    }
}

/// Negotiates `message` (a message/cpim entity, as [`cpim::parse`] takes
/// it) for a group requiring `required` whose members support `members`.
pub fn negotiate(
    required: &[String],
    members: &[(String, Vec<String>)],
    message: &[u8],
) -> Result<Negotiation, NegotiateError> {
    let mut req: Vec<String> = PROFILE_REQUIRED.iter().map(|s| (*s).to_owned()).collect();
    for r in required {
        let r = media_type(r)?;
        if !req.contains(&r) {
            req.push(r);
        }
    }
    let mut lists = Vec::with_capacity(members.len());
    for (id, types) in members {
        let types = types
            .iter()
            .map(|t| media_type(t))
            .collect::<Result<Vec<_>, _>>()?;
        lists.push((id, types));
    }
    let m = cpim::parse(message).map_err(NegotiateError::Message)?;
    let ct = match m.content_type {
        Some(ct) => ct,
        // RFC 2045 §5.2: no Content-Type is text/plain.
        None => cpim::parse_content_type("text/plain").map_err(NegotiateError::Message)?,
    };
    let tree = part_tree(&ct, &m.body, 0)?;
    let mut render_map = Vec::with_capacity(lists.len());
    let mut lacks = false;
    let mut unrenderable = false;
    for (id, types) in &lists {
        if req.iter().any(|r| !types.contains(r)) {
            lacks = true;
        }
        // The entity itself is message/cpim: a member renders its content
        // only if it reads message/cpim.
        let shown = if types.iter().any(|t| t == "message/cpim") {
            render(&tree, types)
        } else {
            None
        };
        if shown.is_none() {
            unrenderable = true;
        }
        render_map.push(((*id).clone(), shown));
    }
    let reason = if lacks {
        Some(Reason::MemberLacksRequired)
    } else if unrenderable {
        Some(Reason::Unrenderable)
    } else {
        None
    };
    Ok(Negotiation {
        sendable: reason.is_none(),
        reason,
        render: render_map,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_required() -> Vec<String> {
        PROFILE_REQUIRED.iter().map(|s| (*s).to_owned()).collect()
    }

    fn msg(inner: &str) -> Vec<u8> {
        format!(
            "Content-Type: message/cpim\r\n\r\nFrom: <im:a@example.com>\r\nDateTime: 2022-02-08T22:13:45Z\r\nMessage-ID: <a1@example.com>\r\n\r\n{inner}"
        )
        .into_bytes()
    }

    #[test]
    fn alternative_picks_last_supported() {
        let m = msg(
            "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n--b\r\nContent-Type: application/x-v\r\n\r\n{}\r\n--b--\r\n",
        );
        let mut vendor = all_required();
        vendor.push("application/x-v".into());
        let n = negotiate(
            &[],
            &[("a".into(), all_required()), ("b".into(), vendor)],
            &m,
        )
        .unwrap();
        assert!(n.sendable);
        assert_eq!(n.render[0].1.as_deref(), Some("text/plain"));
        assert_eq!(n.render[1].1.as_deref(), Some("application/x-v"));
    }

    #[test]
    fn lacking_member() {
        let m = msg("Content-Type: text/plain\r\n\r\nHi\r\n");
        let n = negotiate(&[], &[("a".into(), vec!["text/plain".into()])], &m).unwrap();
        assert_eq!(n.reason, Some(Reason::MemberLacksRequired));
        assert_eq!(n.render[0].1, None);
    }

    #[test]
    fn bad_list_entry() {
        let m = msg("Content-Type: text/plain\r\n\r\nHi\r\n");
        let e = negotiate(&["text".into()], &[], &m).unwrap_err();
        assert_eq!(e.code(), "immi.negotiate.media_type");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut body = String::from("x");
        for i in 0..(MAX_DEPTH + 2) {
            body = format!(
                "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n{body}\r\n--b{i}--\r\n"
            );
        }
        let e = negotiate(&[], &[], &msg(&body)).unwrap_err();
        assert_eq!(e.code(), "immi.negotiate.too_deep");
    }

    #[test]
    fn no_panic_on_generated_inputs() {
        // Up to 15 pieces of multipart syntax from the shared generator.
        let pieces: [&str; 12] = [
            "--b\r\n",
            "--b--\r\n",
            "\r\n",
            "Content-Type: multipart/alternative; boundary=b\r\n",
            "Content-Type: multipart/mixed; boundary=c\r\n",
            "--c\r\n",
            "--c--",
            "Content-Type: text/plain\r\n",
            "Content-Type: ;;\r\n",
            "x",
            " folded\r\n",
            "\u{2665}",
        ];
        let mut g = crate::testgen::Gen::new(0x9e37_79b9_7f4a_7c15);
        let members = vec![("a".to_owned(), all_required())];
        for _ in 0..10_000 {
            let inner = g.string(&pieces, 15);
            let _ = negotiate(&[], &members, &msg(&inner));
        }
    }
}
