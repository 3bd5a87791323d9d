//! Ops of the `application_mime` family (application-mime).

use std::collections::BTreeMap;

use mimispec_reference::application_mime::{
    Action, content_type, entity, gateway, multipart, wrapper,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Bytes, OpError, Text};

/// Parameters by lowercased name (a later duplicate wins).
fn params(p: &[(String, String)]) -> BTreeMap<String, String> {
    p.iter().cloned().collect()
}

/// `{entity}`: a MIME entity, header fields, an empty line, the body.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    pub entity: Bytes,
}

/// `{message}`: a whole message.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    pub message: Bytes,
}

pub fn wrap(i: Entity) -> Result<Entity, OpError> {
    Ok(Entity {
        entity: Bytes(wrapper::wrap(&i.entity.0)?),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnwrapInput {
    pub entity: Bytes,
    /// At most this many layers (at least 1); absent: all of them.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub depth: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unwrapped {
    pub entity: Bytes,
    pub layers: usize,
}

pub fn unwrap(i: UnwrapInput) -> Result<Unwrapped, OpError> {
    let depth = match i.depth {
        None => None,
        Some(d) => Some(
            usize::try_from(d)
                .ok()
                .filter(|&d| d >= 1)
                .ok_or_else(|| OpError::bad_input("input.depth must be an integer >= 1"))?,
        ),
    };
    let u = wrapper::unwrap(&i.entity.0, depth)?;
    Ok(Unwrapped {
        entity: Bytes(u.entity),
        layers: u.layers,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Described {
    pub contained_type: String,
    pub parameters: BTreeMap<String, String>,
}

pub fn describe(i: Entity) -> Result<Described, OpError> {
    let v = wrapper::describe(&i.entity.0)?;
    Ok(Described {
        contained_type: v.contained_type,
        parameters: params(&v.params),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentType {
    #[serde(rename = "type")]
    pub type_: String,
    pub subtype: String,
    pub parameters: BTreeMap<String, String>,
}

pub fn content_type_parse(i: Text) -> Result<ContentType, OpError> {
    let ct = content_type::parse(&i.text)?;
    Ok(ContentType {
        type_: ct.type_,
        subtype: ct.subtype,
        parameters: params(&ct.params),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Multipart {
    pub boundary: String,
    /// Absent when the body starts with the dash-boundary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preamble: Option<Bytes>,
    pub parts: Vec<Bytes>,
    /// Absent when the close-delimiter (and padding) ends the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epilogue: Option<Bytes>,
}

pub fn multipart_parse(i: Entity) -> Result<Multipart, OpError> {
    let m = multipart::parse(&i.entity.0)?;
    Ok(Multipart {
        boundary: m.boundary,
        preamble: m.preamble.map(Bytes::from),
        parts: m.parts.into_iter().map(Bytes::from).collect(),
        epilogue: m.epilogue.map(Bytes::from),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferEncoding {
    pub transfer_encoding: String,
}

pub fn transfer_encoding(i: Entity) -> Result<TransferEncoding, OpError> {
    let parsed = entity::parse(&i.entity.0)?;
    Ok(TransferEncoding {
        transfer_encoding: parsed.transfer_encoding_token()?,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataClass {
    /// `7bit`, `8bit` or `binary`.
    pub class: String,
    pub long_lines: bool,
}

pub fn data_class(i: Entity) -> Result<DataClass, OpError> {
    let (class, longest) = entity::classify(&i.entity.0);
    Ok(DataClass {
        class: class.as_str().to_owned(),
        long_lines: longest > wrapper::MAX_PLAIN_LINE,
    })
}

/// One part of a message: a wrapper's whole entity, or a leaf's decoded body.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub path: String,
    pub content_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<Bytes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_encoding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Bytes>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parts {
    pub parts: Vec<Part>,
}

pub fn parts_list(i: MessageInput) -> Result<Parts, OpError> {
    let parts = gateway::parts(&i.message.0)?;
    Ok(Parts {
        parts: parts
            .into_iter()
            .map(|p| Part {
                path: p.path,
                content_type: p.content_type,
                entity: p.entity.map(Bytes),
                transfer_encoding: p.transfer_encoding,
                body: p.body.map(Bytes),
            })
            .collect(),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Wrappers {
    pub wrappers: Vec<Bytes>,
}

pub fn wrappers_list(i: MessageInput) -> Result<Wrappers, OpError> {
    Ok(Wrappers {
        wrappers: gateway::wrappers(&i.message.0)?
            .into_iter()
            .map(Bytes)
            .collect(),
    })
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GatewayAction {
    SplitMultipart,
    Reencode,
    RewrapLines,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayInput {
    pub message: Bytes,
    pub action: GatewayAction,
}

pub fn gateway(i: GatewayInput) -> Result<MessageInput, OpError> {
    let action = match i.action {
        GatewayAction::SplitMultipart => Action::SplitMultipart,
        GatewayAction::Reencode => Action::Reencode,
        GatewayAction::RewrapLines => Action::RewrapLines,
    };
    Ok(MessageInput {
        message: Bytes(gateway::process(&i.message.0, action)?),
    })
}
