//! Ops of the `immi` family for groups: MIME type negotiation (§3.2,
//! §5.3) and the conversation a receiving client shows (§4).

use std::collections::BTreeMap;

use mimispec_reference::immi::conversation::{self, Event};
use mimispec_reference::immi::negotiate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Bytes, OpError};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NegotiateInput {
    /// The MIME types the group requires, `type/subtype`.
    pub required: Vec<String>,
    /// For each member id, the types it supports.
    pub members: BTreeMap<String, Vec<String>>,
    pub message: Bytes,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Negotiation {
    pub sendable: bool,
    /// Present exactly when `sendable` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For each member, the part it shows, or null.
    pub render: BTreeMap<String, Option<String>>,
}

pub fn negotiate(i: NegotiateInput) -> Result<Negotiation, OpError> {
    let members: Vec<(String, Vec<String>)> = i.members.into_iter().collect();
    let n = negotiate::negotiate(&i.required, &members, &i.message.0)?;
    Ok(Negotiation {
        sendable: n.sendable,
        reason: n.reason.map(|r| r.code().to_owned()),
        render: n.render.into_iter().collect(),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// The MLS sender, opaque.
    pub sender: String,
    pub message: Bytes,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationInput {
    /// The instant the conversation is shown at, RFC 3339.
    pub now: String,
    pub events: Vec<EventInput>,
    /// The reactions the client can show; absent or null: every text one.
    #[serde(default)]
    pub known_reactions: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reaction {
    pub from: String,
    pub content: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shown {
    pub id: String,
    pub sender: String,
    pub from: String,
    pub kind: String,
    pub body: Bytes,
    pub edited: bool,
    pub deleted: bool,
    #[serde(deserialize_with = "super::nullable")]
    #[schemars(required, transform = super::null_allowed)]
    pub reply_to: Option<String>,
    pub quote_hidden: bool,
    pub reactions: Vec<Reaction>,
    pub receipts: BTreeMap<String, String>,
}

/// An event that was rejected or ignored, by index.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indexed {
    pub index: usize,
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conversation {
    pub messages: Vec<Shown>,
    pub rejected: Vec<Indexed>,
    pub ignored: Vec<Indexed>,
}

pub fn apply(i: ConversationInput) -> Result<Conversation, OpError> {
    let events: Vec<Event> = i
        .events
        .into_iter()
        .map(|e| Event {
            sender: e.sender,
            message: e.message.0,
        })
        .collect();
    let c = conversation::apply(&i.now, &events, i.known_reactions.as_deref())?;
    let indexed = |index, code: &str| Indexed {
        index,
        code: code.to_owned(),
    };
    Ok(Conversation {
        messages: c
            .messages
            .iter()
            .map(|m| Shown {
                id: m.id.clone(),
                sender: m.sender.clone(),
                from: m.from.clone(),
                kind: m.kind.to_owned(),
                body: Bytes(m.body.clone()),
                edited: m.edited,
                deleted: m.deleted,
                reply_to: m.reply_to.clone(),
                quote_hidden: m.quote_hidden,
                reactions: m
                    .reactions
                    .iter()
                    .map(|r| Reaction {
                        from: r.from.clone(),
                        content: r.content.clone(),
                    })
                    .collect(),
                receipts: m
                    .receipts
                    .iter()
                    .map(|(k, s)| (k.clone(), s.as_str().to_owned()))
                    .collect(),
            })
            .collect(),
        rejected: c
            .rejected
            .iter()
            .map(|(i, code)| indexed(*i, code))
            .collect(),
        ignored: c
            .ignored
            .iter()
            .map(|(i, r)| indexed(*i, r.code()))
            .collect(),
    })
}
