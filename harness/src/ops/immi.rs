//! Ops of the `immi` family for msg-ids and read receipts (immi-content
//! §5.1, §5.2).

use mimispec_reference::immi::{self, DispositionEntry, Status, disposition, msg_id};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{OpError, Text};

/// `{id_left, id_right}`: a msg-id's two halves as written.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MsgIdParts {
    pub id_left: String,
    pub id_right: String,
}

impl From<&immi::MsgId> for MsgIdParts {
    fn from(id: &immi::MsgId) -> Self {
        MsgIdParts {
            id_left: id.id_left.clone(),
            id_right: id.id_right.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MsgIdHeader {
    /// `Message-ID`, `In-Reply-To` or `Supersedes`.
    pub name: String,
    pub msg_id: MsgIdParts,
}

/// One line of a disposition notification: the msg-id with its brackets.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnEntry {
    pub msg_id: String,
    pub status: String,
}

impl From<&DispositionEntry> for DnEntry {
    fn from(e: &DispositionEntry) -> Self {
        DnEntry {
            msg_id: e.msg_id.to_string(),
            status: e.status.as_str().to_owned(),
        }
    }
}

/// `{entries}`: parse's result and build's input.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnEntries {
    pub entries: Vec<DnEntry>,
}

pub fn msg_id_parse(i: Text) -> Result<MsgIdParts, OpError> {
    Ok((&msg_id::parse(&i.text)?).into())
}

pub fn msg_id_header_parse(i: Text) -> Result<MsgIdHeader, OpError> {
    let (name, id) = msg_id::parse_header_line(&i.text)?;
    Ok(MsgIdHeader {
        name: name.as_str().to_owned(),
        msg_id: (&id).into(),
    })
}

pub fn dn_parse(i: Text) -> Result<DnEntries, OpError> {
    let entries = disposition::parse(&i.text)?;
    Ok(DnEntries {
        entries: entries.iter().map(DnEntry::from).collect(),
    })
}

pub fn dn_build(i: DnEntries) -> Result<Text, OpError> {
    let mut entries = Vec::with_capacity(i.entries.len());
    for (n, e) in i.entries.iter().enumerate() {
        let id = msg_id::parse(&e.msg_id)?;
        // An unknown status is the implementation's to refuse, not a shape
        // error: the type keeps it a string.
        let status =
            Status::from_token(&e.status).ok_or_else(|| immi::DispositionError::UnknownStatus {
                line: n + 1,
                value: e.status.clone(),
            })?;
        entries.push(DispositionEntry { msg_id: id, status });
    }
    Ok(Text {
        text: disposition::build(&entries)?,
    })
}
