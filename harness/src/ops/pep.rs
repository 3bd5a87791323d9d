//! Ops of the `pep` family (pep-message-2).

use std::collections::BTreeMap;

use mimispec_reference::pep::unwrap::{self as reader, Node as RefNode, PartInfo};
use mimispec_reference::pep::{PepError, PublicKey, SecretKey, Version, version, wrap as writer};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Bytes, OpError};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChooseInput {
    /// The highest X-pEp-Version seen from the peer; null: never seen.
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub peer_version: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// `1.0`, `2.0` or `2.1`.
    pub send: String,
}

pub fn choose(i: ChooseInput) -> Result<Choice, OpError> {
    Ok(Choice {
        send: version::choose(i.peer_version.as_deref())
            .as_str()
            .to_owned(),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WrapInput {
    /// A plain RFC 5322 message.
    pub message: Bytes,
    /// The sender's secret key.
    pub sender_key: Bytes,
    /// The recipient's public key.
    pub recipient_key: Bytes,
    /// `1.0`, `2.0` or `2.1`; another value is the op's to refuse.
    pub version: String,
}

/// `{message}`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    pub message: Bytes,
}

pub fn wrap(i: WrapInput) -> Result<MessageInput, OpError> {
    let v = Version::from_name(&i.version).ok_or(PepError::UnknownWrapVersion)?;
    let sender = SecretKey::read(&i.sender_key.0)?;
    let recipient = PublicKey::read(&i.recipient_key.0)?;
    let out = writer::wrap_fresh(&i.message.0, &sender, &recipient, v)?;
    Ok(MessageInput {
        message: Bytes(out),
    })
}

/// A message as received and the recipient's secret key.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadInput {
    pub message: Bytes,
    pub recipient_key: Bytes,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    pub message: Bytes,
    pub recipient_key: Bytes,
    /// The sender's public key.
    pub sender_key: Bytes,
}

/// A MIME node: a leaf with its decoded `body`, or a multipart with `parts`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Node {
    #[serde(rename = "type")]
    pub type_: String,
    pub params: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Bytes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<Vec<Node>>,
}

impl From<&RefNode> for Node {
    fn from(n: &RefNode) -> Self {
        Node {
            type_: n.mime_type.clone(),
            params: n.params.iter().cloned().collect(),
            body: n.body.clone().map(Bytes),
            parts: n
                .body
                .is_none()
                .then(|| n.parts.iter().map(Node::from).collect()),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unwrapped {
    /// `1.0`, `2.0` or `2.1`.
    pub version_detected: String,
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub wrapped_info: Option<String>,
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub sender_fpr: Option<String>,
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub subject: Option<String>,
    /// `[name, value]` pairs in order.
    pub headers: Vec<(String, String)>,
    pub body: Node,
    pub forwarded_attachments: usize,
}

fn read(i: &ReadInput, sender: Option<&PublicKey>) -> Result<reader::Unwrapped, OpError> {
    let key = SecretKey::read(&i.recipient_key.0)?;
    Ok(reader::unwrap(&i.message.0, &key, sender)?)
}

pub fn unwrap(i: ReadInput) -> Result<Unwrapped, OpError> {
    let u = read(&i, None)?;
    Ok(Unwrapped {
        version_detected: u.version.as_str().to_owned(),
        wrapped_info: u.wrapped_info,
        sender_fpr: u.sender_fpr,
        subject: u.subject,
        headers: u.headers,
        body: (&u.body).into(),
        forwarded_attachments: u.forwarded,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeerVersion {
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub peer_version: Option<String>,
}

pub fn peer_version(i: ReadInput) -> Result<PeerVersion, OpError> {
    Ok(PeerVersion {
        peer_version: read(&i, None)?.peer_version,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// `valid`, `invalid` or `unsigned`.
    pub signature: String,
}

pub fn signature(i: SignatureInput) -> Result<Signature, OpError> {
    let sender = PublicKey::read(&i.sender_key.0)?;
    let read_input = ReadInput {
        message: i.message,
        recipient_key: i.recipient_key,
    };
    Ok(Signature {
        signature: read(&read_input, Some(&sender))?
            .signature
            .as_str()
            .to_owned(),
    })
}

/// One part of the outer multipart: the control part, or another.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum OuterPart {
    Control {
        /// Always `application/pgp-encrypted`.
        content_type: String,
        #[serde(deserialize_with = "super::nullable")]
        #[schemars(required, transform = super::null_allowed)]
        version: Option<String>,
    },
    Other {
        content_type: String,
        armored: bool,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Structure {
    pub content_type: String,
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub protocol: Option<String>,
    pub parts: Vec<OuterPart>,
    pub header_names: Vec<String>,
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub subject: Option<String>,
    pub subject_8bit: bool,
    /// The first Message-ID field's value, unfolded and trimmed.
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub message_id: Option<String>,
}

pub fn structure(i: MessageInput) -> Result<Structure, OpError> {
    let s = reader::structure(&i.message.0)?;
    Ok(Structure {
        content_type: s.content_type,
        protocol: s.protocol,
        parts: s
            .parts
            .into_iter()
            .map(|p| match p {
                PartInfo::Control { version } => OuterPart::Control {
                    content_type: "application/pgp-encrypted".into(),
                    version,
                },
                PartInfo::Other {
                    content_type,
                    armored,
                } => OuterPart::Other {
                    content_type,
                    armored,
                },
            })
            .collect(),
        header_names: s.header_names,
        subject: s.subject,
        subject_8bit: s.subject_8bit,
        message_id: s.message_id,
    })
}
