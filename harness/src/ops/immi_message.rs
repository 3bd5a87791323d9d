//! Ops of the `immi` family for whole messages (immi-content §3-§5):
//! DateTime, message parse, summary and build.

use mimispec_reference::immi::cpim::{self, Address};
use mimispec_reference::immi::datetime::{self, DateTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::immi::DnEntry;
use super::{Bytes, OpError, Text};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateTimeResult {
    /// The instant in UTC, `YYYY-MM-DDTHH:MM:SSZ`, without the fraction.
    pub utc: String,
    /// The offset as written, minutes east of UTC.
    pub offset_minutes: i32,
    /// True exactly for `-00:00` (RFC 3339 §4.3).
    pub unknown_offset: bool,
    /// The fraction's digits as written, or null.
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub fraction: Option<String>,
}

impl From<&DateTime> for DateTimeResult {
    fn from(d: &DateTime) -> Self {
        DateTimeResult {
            utc: d.utc_string(),
            offset_minutes: d.offset_minutes,
            unknown_offset: d.unknown_offset,
            fraction: d.fraction.clone(),
        }
    }
}

/// `{message}`: a message/cpim entity.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    pub message: Bytes,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    pub value: String,
}

fn params(p: &[(String, String)]) -> Vec<Param> {
    p.iter()
        .map(|(name, value)| Param {
            name: name.clone(),
            value: value.clone(),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CpimHeader {
    pub name: String,
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub prefix: Option<String>,
    pub namespace: String,
    pub parameters: Vec<Param>,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FromAddress {
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub display_name: Option<String>,
    pub uri: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaType {
    #[serde(rename = "type")]
    pub type_: String,
    pub subtype: String,
    pub parameters: Vec<Param>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Disposition {
    #[serde(rename = "type")]
    pub type_: String,
    pub parameters: Vec<Param>,
}

/// Declares a struct with the fields every correct writer of one message
/// agrees on, after the struct's own.
macro_rules! message_struct {
    ($(#[$attr:meta])* pub struct $name:ident { $($own:tt)* }) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($own)*
            pub from: FromAddress,
            pub datetime: DateTimeResult,
            pub message_id: String,
            #[serde(deserialize_with = "super::nullable")]
            #[schemars(required, transform = super::null_allowed)]
            pub in_reply_to: Option<String>,
            #[serde(deserialize_with = "super::nullable")]
            #[schemars(required, transform = super::null_allowed)]
            pub supersedes: Option<String>,
            #[serde(deserialize_with = "super::nullable")]
            #[schemars(required, transform = super::null_allowed)]
            pub expires: Option<DateTimeResult>,
            #[serde(deserialize_with = "super::nullable")]
            #[schemars(required, transform = super::null_allowed)]
            pub content_type: Option<MediaType>,
            #[serde(deserialize_with = "super::nullable")]
            #[schemars(required, transform = super::null_allowed)]
            pub content_disposition: Option<Disposition>,
            pub body: Bytes,
            #[serde(deserialize_with = "super::nullable")]
            #[schemars(required, transform = super::null_allowed)]
            pub dispositions: Option<Vec<DnEntry>>,
            /// message, reply, reaction, edit, delete, knock, read-receipt, attachment.
            pub kind: String,
            pub expiring: bool,
        }
    };
}

message_struct! {
    /// What every correct writer of one message agrees on: the parse result
    /// without `headers` and `content_length`.
    pub struct MessageSummary {}
}

message_struct! {
    /// The parse result: every CPIM header line and the inner Content-Length
    /// besides the summary.
    pub struct ParsedMessage {
        pub headers: Vec<CpimHeader>,
        #[serde(deserialize_with = "super::nullable")]
        #[schemars(required, transform = super::null_allowed)]
        pub content_length: Option<u64>,
    }
}

impl ParsedMessage {
    pub fn of(m: &cpim::Message) -> Self {
        ParsedMessage {
            headers: m
                .headers
                .iter()
                .map(|h| CpimHeader {
                    name: h.name.clone(),
                    prefix: h.prefix.clone(),
                    namespace: h.namespace.clone(),
                    parameters: params(&h.parameters),
                    value: h.value.clone(),
                })
                .collect(),
            from: FromAddress {
                display_name: m.from.display_name.clone(),
                uri: m.from.uri.clone(),
            },
            datetime: (&m.datetime).into(),
            message_id: m.message_id.to_string(),
            in_reply_to: m.in_reply_to.as_ref().map(ToString::to_string),
            supersedes: m.supersedes.as_ref().map(ToString::to_string),
            expires: m.expires.as_ref().map(DateTimeResult::from),
            content_type: m.content_type.as_ref().map(|ct| MediaType {
                type_: ct.type_.clone(),
                subtype: ct.subtype.clone(),
                parameters: params(&ct.parameters),
            }),
            content_disposition: m.content_disposition.as_ref().map(|d| Disposition {
                type_: d.type_.clone(),
                parameters: params(&d.parameters),
            }),
            content_length: m.content_length,
            body: Bytes(m.body.clone()),
            dispositions: m
                .dispositions
                .as_ref()
                .map(|entries| entries.iter().map(DnEntry::from).collect()),
            kind: m.kind.as_str().to_owned(),
            expiring: m.expires.is_some(),
        }
    }
}

pub fn datetime_parse(i: Text) -> Result<DateTimeResult, OpError> {
    Ok((&datetime::parse(&i.text)?).into())
}

pub fn message_parse(i: MessageInput) -> Result<ParsedMessage, OpError> {
    Ok(ParsedMessage::of(&cpim::parse(&i.message.0)?))
}

/// The parse result less `headers` and `content_length`, through JSON so
/// the two types cannot drift apart.
pub fn message_summary(i: MessageInput) -> Result<MessageSummary, OpError> {
    let mut v = serde_json::to_value(message_parse(i)?).map_err(bug)?;
    if let Some(map) = v.as_object_mut() {
        map.remove("headers");
        map.remove("content_length");
    }
    serde_json::from_value(v).map_err(bug)
}

fn bug(e: serde_json::Error) -> OpError {
    OpError::new(super::BAD_INPUT, format!("mimispec: {e}"))
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftFrom {
    pub uri: String,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// A structured message for `immi.message.build`; absent or null
/// optional members mean no header.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub from: DraftFrom,
    pub datetime: String,
    pub message_id: String,
    #[serde(default)]
    pub in_reply_to: Option<String>,
    #[serde(default)]
    pub supersedes: Option<String>,
    #[serde(default)]
    pub expires: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub content_disposition: Option<String>,
    pub body: Bytes,
}

pub fn message_build(i: Draft) -> Result<MessageInput, OpError> {
    let draft = cpim::Draft {
        from: Address {
            display_name: i.from.display_name,
            uri: i.from.uri,
        },
        datetime: i.datetime,
        message_id: i.message_id,
        in_reply_to: i.in_reply_to,
        supersedes: i.supersedes,
        expires: i.expires,
        content_type: i.content_type,
        content_disposition: i.content_disposition,
        body: i.body.0,
    };
    Ok(MessageInput {
        message: Bytes(cpim::build(&draft)?),
    })
}
