//! Ops: the typed JSON face of the reference implementation.
//!
//! Each op is `<family>.<thing>.<verb>` with an input type and a result
//! type (serde, unknown members refused, JSON Schemas from schemars),
//! registered once in [`OPS`]. The corpus loader checks vectors against
//! these types, the reference runs through them, and `mimispec schema`
//! prints them. The shapes are the protocol's (harness/PROTOCOL.md).

mod application_mime;
mod bytes;
mod discovery;
mod immi;
mod immi_conversation;
mod immi_message;
mod pep;

use std::fmt;

use schemars::{JsonSchema, Schema};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use bytes::Bytes;

/// An op's rejection: a stable dotted code and a human sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    pub code: String,
    pub message: String,
}

impl OpError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// The input does not have the shape the op documents: a vector bug or
    /// a harness bug, never a verdict on the implementation.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(BAD_INPUT, message)
    }
}

/// Every reference error type has a stable `code()` and a Display text.
macro_rules! coded_errors {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for OpError {
            fn from(e: $t) -> Self {
                OpError::new(e.code(), e.to_string())
            }
        }
    )*};
}

use mimispec_reference::{application_mime as am, discovery as disc, immi as im, pep as pp};
coded_errors!(
    im::MsgIdError,
    im::DispositionError,
    im::cpim::MessageError,
    im::datetime::DateTimeError,
    im::negotiate::NegotiateError,
    im::conversation::ConversationError,
    disc::MssiError,
    disc::MuiError,
    disc::EnumError,
    disc::EmailError,
    disc::resolve::ResolveError,
    am::MimeError,
    pp::PepError,
);

/// The code for an input that does not match the op's documented shape.
pub const BAD_INPUT: &str = "mimispec.bad_input";

pub type OpResult = Result<Value, OpError>;

/// The op families and the document each one serves: the only place that
/// maps one to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Immi,
    Discovery,
    ApplicationMime,
    Pep,
}

impl Family {
    pub const ALL: [Family; 4] = [
        Family::Immi,
        Family::Discovery,
        Family::ApplicationMime,
        Family::Pep,
    ];

    /// The first word of the family's op names.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Immi => "immi",
            Family::Discovery => "discovery",
            Family::ApplicationMime => "application_mime",
            Family::Pep => "pep",
        }
    }

    /// The short name of the document (`shared/seeds/README.md`).
    pub fn document(self) -> &'static str {
        match self {
            Family::Immi => "immi-content",
            Family::Discovery => "mimi-discovery",
            Family::ApplicationMime => "application-mime",
            Family::Pep => "pep-message-2",
        }
    }

    pub fn of_document(document: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.document() == document)
    }
}

/// The four documents, in family order.
pub fn documents() -> impl Iterator<Item = &'static str> {
    Family::ALL.into_iter().map(Family::document)
}

/// Where a value failed its type: the member's path and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// `input`, `input.events[0].message`, `result.entries`...
    pub path: String,
    pub message: String,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Reads `v` as `T`, naming the member at fault under `root`.
fn read<T: DeserializeOwned>(v: &Value, root: &str) -> Result<T, ShapeError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            root.to_owned()
        } else {
            format!("{root}.{path}")
        };
        ShapeError {
            path,
            message: e.into_inner().to_string(),
        }
    })
}

/// Runs a typed op on a JSON input.
fn call<I: DeserializeOwned, O: Serialize>(
    input: &Value,
    f: fn(I) -> Result<O, OpError>,
) -> OpResult {
    let input: I = read(input, "input").map_err(|e| OpError::bad_input(e.to_string()))?;
    let out = f(input)?;
    serde_json::to_value(out).map_err(|e| OpError::new(BAD_INPUT, e.to_string()))
}

fn check<T: DeserializeOwned>(v: &Value, root: &str) -> Result<(), ShapeError> {
    read::<T>(v, root).map(|_| ())
}

fn schema_of<T: JsonSchema>() -> Schema {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// One op: its name, family, types and the reference's implementation.
pub struct OpSpec {
    pub name: &'static str,
    pub family: Family,
    /// Input members the harness adds before sending; a vector never
    /// writes them (the mock DNS zone's address, say).
    pub injected: &'static [&'static str],
    run: fn(&Value) -> OpResult,
    check_input: fn(&Value, &str) -> Result<(), ShapeError>,
    check_result: fn(&Value, &str) -> Result<(), ShapeError>,
    input_schema: fn() -> Schema,
    result_schema: fn() -> Schema,
}

impl OpSpec {
    /// The reference's answer.
    pub fn run(&self, input: &Value) -> OpResult {
        (self.run)(input)
    }

    /// Does `input` have the op's input type? (As sent, injected members
    /// included.)
    pub fn check_input(&self, input: &Value) -> Result<(), ShapeError> {
        (self.check_input)(input, "input")
    }

    /// Does `result` have the op's result type?
    pub fn check_result(&self, result: &Value) -> Result<(), ShapeError> {
        (self.check_result)(result, "result")
    }

    /// The JSON Schema of the input, titled and described for publishing.
    pub fn input_schema(&self) -> Schema {
        titled((self.input_schema)(), self.name, "input")
    }

    pub fn result_schema(&self) -> Schema {
        titled((self.result_schema)(), self.name, "result")
    }

    pub fn document(&self) -> &'static str {
        self.family.document()
    }
}

fn titled(mut s: Schema, op: &str, what: &str) -> Schema {
    s.insert("title".into(), format!("{op} {what}").into());
    s.insert(
        "description".into(),
        format!(
            "The {what} of mimispec op {op} (harness/PROTOCOL.md), protocol {}.",
            crate::protocol::PROTOCOL_VERSION
        )
        .into(),
    );
    s
}

/// One registration: `name, Family, function, Input => Result`.
macro_rules! op {
    ($name:literal, $family:ident, $f:path, $in:ty => $out:ty $(, injected: $inj:expr)?) => {
        OpSpec {
            name: $name,
            family: Family::$family,
            injected: op!(@inj $($inj)?),
            run: |v| call::<$in, $out>(v, $f),
            check_input: check::<$in>,
            check_result: check::<$out>,
            input_schema: schema_of::<$in>,
            result_schema: schema_of::<$out>,
        }
    };
    (@inj) => { &[] };
    (@inj $inj:expr) => { $inj };
}

use application_mime as a;
use discovery as d;
use immi as i;
use immi_conversation as ic;
use immi_message as m;

/// Every op the suite defines, in family order: the one table.
pub static OPS: &[OpSpec] = &[
    op!("immi.msg_id.parse", Immi, i::msg_id_parse, Text => i::MsgIdParts),
    op!("immi.msg_id_header.parse", Immi, i::msg_id_header_parse, Text => i::MsgIdHeader),
    op!("immi.disposition_notification.parse", Immi, i::dn_parse, Text => i::DnEntries),
    op!("immi.disposition_notification.build", Immi, i::dn_build, i::DnEntries => TextResult),
    op!("immi.datetime.parse", Immi, m::datetime_parse, Text => m::DateTimeResult),
    op!("immi.message.parse", Immi, m::message_parse, m::MessageInput => m::ParsedMessage),
    op!("immi.message.summary", Immi, m::message_summary, m::MessageInput => m::MessageSummary),
    op!("immi.message.build", Immi, m::message_build, m::Draft => m::MessageInput),
    op!("immi.content.negotiate", Immi, ic::negotiate, ic::NegotiateInput => ic::Negotiation),
    op!("immi.conversation.apply", Immi, ic::apply, ic::ConversationInput => ic::Conversation),
    op!("discovery.identifier.resolve", Discovery, d::resolve, d::ResolveInput => d::Resolution,
        injected: &["dns", "oracle"]),
    op!("discovery.mssi.parse", Discovery, d::mssi_parse, Text => d::MssiResult),
    op!("discovery.mui.parse", Discovery, d::mui_parse, Text => d::Mui),
    op!("discovery.enum.domain", Discovery, d::enum_domain, d::EnumInput => d::Domain),
    op!("discovery.email.mui", Discovery, d::email_mui, d::EmailInput => d::Mui),
    op!("application_mime.wrapper.wrap", ApplicationMime, a::wrap, a::Entity => a::Entity),
    op!("application_mime.wrapper.unwrap", ApplicationMime, a::unwrap, a::UnwrapInput => a::Unwrapped),
    op!("application_mime.wrapper.describe", ApplicationMime, a::describe, a::Entity => a::Described),
    op!("application_mime.content_type.parse", ApplicationMime, a::content_type_parse, Text => a::ContentType),
    op!("application_mime.multipart.parse", ApplicationMime, a::multipart_parse, a::Entity => a::Multipart),
    op!("application_mime.entity.transfer_encoding", ApplicationMime, a::transfer_encoding, a::Entity => a::TransferEncoding),
    op!("application_mime.entity.data_class", ApplicationMime, a::data_class, a::Entity => a::DataClass),
    op!("application_mime.parts.list", ApplicationMime, a::parts_list, a::MessageInput => a::Parts),
    op!("application_mime.wrappers.list", ApplicationMime, a::wrappers_list, a::MessageInput => a::Wrappers),
    op!("application_mime.gateway.process", ApplicationMime, a::gateway, a::GatewayInput => a::MessageInput),
    op!("pep.version.choose", Pep, pep::choose, pep::ChooseInput => pep::Choice),
    op!("pep.message.wrap", Pep, pep::wrap, pep::WrapInput => pep::MessageInput),
    op!("pep.message.unwrap", Pep, pep::unwrap, pep::ReadInput => pep::Unwrapped),
    op!("pep.message.structure", Pep, pep::structure, pep::MessageInput => pep::Structure),
    op!("pep.message.peer_version", Pep, pep::peer_version, pep::ReadInput => pep::PeerVersion),
    op!("pep.message.signature", Pep, pep::signature, pep::SignatureInput => pep::Signature),
];

/// Every op, in family order.
pub fn all() -> impl Iterator<Item = &'static OpSpec> {
    OPS.iter()
}

pub fn find(name: &str) -> Option<&'static OpSpec> {
    OPS.iter().find(|op| op.name == name)
}

/// Runs one op of the reference; `None` when the suite has no such op.
pub fn run(op: &str, input: &Value) -> Option<OpResult> {
    find(op).map(|spec| spec.run(input))
}

/// The optional features vectors may name (`feature:`) and hellos declare,
/// each documented in PROTOCOL.md. The reference has them all.
pub const FEATURES: &[&str] = &[
    // discovery.enum.domain takes an `apex` other than e164.arpa.
    "enum-apex",
    // The members of [`UNKEPT`], one feature each.
    "datetime-unknown-offset",
    "datetime-fraction",
    "multipart-preamble-epilogue",
];

/// A result member that a faithful library may not keep: the harness
/// compares it only when the implementation declares `feature`, so a
/// library is judged on what it exposes and a member of the suite's own
/// result shape never fails it.
#[derive(Debug)]
pub struct Unkept {
    pub feature: &'static str,
    pub op: &'static str,
    pub members: &'static [&'static str],
    pub how: Unkeeping,
    /// Requirements that only this member shows: a case judged without it
    /// does not count for them (they stay untested).
    pub requirements: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unkeeping {
    /// Left out of both sides of the comparison.
    Ignored,
    /// An absent member equals `""`: only its presence is not compared.
    AbsentIsEmpty,
}

pub const UNKEPT: &[Unkept] = &[
    // RFC 3339 §4.3's "-00:00": no common date-time type tells it from
    // "+00:00".
    Unkept {
        feature: "datetime-unknown-offset",
        op: "immi.datetime.parse",
        members: &["unknown_offset"],
        how: Unkeeping::Ignored,
        requirements: &["IMMI-RFC3339-UNKNOWN-OFFSET"],
    },
    // Libraries keep a fraction as a number of (nano)seconds, not as
    // written.
    Unkept {
        feature: "datetime-fraction",
        op: "immi.datetime.parse",
        members: &["fraction"],
        how: Unkeeping::Ignored,
        requirements: &[],
    },
    // Absent and empty preamble/epilogue are the same octets.
    Unkept {
        feature: "multipart-preamble-epilogue",
        op: "application_mime.multipart.parse",
        members: &["preamble", "epilogue"],
        how: Unkeeping::AbsentIsEmpty,
        requirements: &[],
    },
];

/// The members of `op`'s result that `declared` features leave
/// uncompared.
pub fn unkept<'a>(
    op: &'a str,
    declared: &'a [String],
) -> impl Iterator<Item = &'static Unkept> + 'a {
    UNKEPT
        .iter()
        .filter(move |u| u.op == op && !declared.iter().any(|f| f == u.feature))
}

/// `{text}`: the input of every op that reads one string.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub text: String,
}

/// `{text}` as a result: what a writer of one string returns.
pub type TextResult = Text;

/// Bytes for a result: a JSON string when they are UTF-8, else `$base64`.
pub fn bytes_value(b: &[u8]) -> Value {
    Bytes::to_value(b)
}

/// A member that must be present and may be null: serde treats a missing
/// `Option` as `None` unless the field has its own deserializer.
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d)
}

/// The schema of a [`nullable`] field: schemars makes a required `Option`
/// non-null, and these may be null.
pub(crate) fn null_allowed(schema: &mut Schema) {
    let inner = std::mem::take(schema);
    *schema = schemars::json_schema!({ "anyOf": [inner, { "type": "null" }] });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_is_named_after_its_family_once() {
        let mut seen = std::collections::BTreeSet::new();
        for op in OPS {
            assert!(seen.insert(op.name), "{} registered twice", op.name);
            let parts: Vec<&str> = op.name.split('.').collect();
            assert_eq!(parts.len(), 3, "{} is <family>.<thing>.<verb>", op.name);
            assert_eq!(parts[0], op.family.prefix(), "{}", op.name);
        }
    }

    #[test]
    fn every_unkept_member_is_a_member_of_its_ops_result_and_a_feature() {
        for u in UNKEPT {
            assert!(FEATURES.contains(&u.feature), "{}", u.feature);
            let op = find(u.op).unwrap_or_else(|| panic!("{}", u.op));
            let schema = serde_json::to_string(&op.result_schema()).unwrap();
            for m in u.members {
                assert!(
                    schema.contains(&format!("\"{m}\"")),
                    "{} has no member {m}",
                    u.op
                );
            }
        }
    }

    #[test]
    fn unknown_members_are_named() {
        let op = find("discovery.enum.domain").unwrap();
        let e = op
            .check_input(&serde_json::json!({"number": "+1", "apx": "x"}))
            .unwrap_err();
        assert_eq!(e.path, "input.apx");
        assert!(e.message.contains("unknown field `apx`"), "{e}");
        let op = find("immi.conversation.apply").unwrap();
        let e = op
            .check_input(
                &serde_json::json!({"now": "x", "events": [{"sender": "a", "message": 1}]}),
            )
            .unwrap_err();
        assert_eq!(e.path, "input.events[0].message", "{e}");
    }
}
