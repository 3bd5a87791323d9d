//! The corpus's data model: cases with their file's defaults applied.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    #[serde(rename = "MUST")]
    Must,
    #[serde(rename = "SHOULD")]
    Should,
    #[serde(rename = "MAY")]
    May,
    #[serde(rename = "informational")]
    Informational,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Must, Level::Should, Level::May, Level::Informational];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::May => "MAY",
            Level::Informational => "informational",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
    }
}

/// What a case expects of the implementation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// This exact result, compared as canonical JSON.
    Result(Value),
    /// Any error; the code is compared and reported.
    Reject(Reject),
    /// Named checks on a result that is not unique.
    Properties(Vec<Property>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// One check of an `expect: properties` list; see SCHEMA.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    Reparse {
        op: String,
        /// Members added to the result to make the op's input (a key, say).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        with: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<Value>,
        /// JSON pointer into the reparsed result to the value it must hold,
        /// for writers whose output may differ elsewhere.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<serde_json::Map<String, Value>>,
        /// JSON pointer into the reparsed result to a value it must not
        /// hold (the outer subject is not the real one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_at: Option<serde_json::Map<String, Value>>,
        /// JSON pointers into the reparsed result to strings that must each
        /// be one msg-id (RFC 5322 §3.6.4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        msg_id: Option<Vec<String>>,
    },
    Crlf {
        path: String,
    },
    Equals {
        path: String,
        value: Value,
    },
    /// Every line of the string at `path` (or of its header block or body
    /// only) has at most `max` octets.
    Lines {
        path: String,
        max: usize,
        #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
        within: Option<Block>,
    },
}

impl Property {
    /// The property's name as vectors write it.
    pub fn name(&self) -> &'static str {
        match self {
            Property::Reparse { .. } => "reparse",
            Property::Crlf { .. } => "crlf",
            Property::Equals { .. } => "equals",
            Property::Lines { .. } => "lines",
        }
    }
}

/// The part of an entity a `lines` property looks at: before or after the
/// first empty line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    Header,
    Body,
}

/// Where a case's requirement comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub document: String,
    pub section: String,
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} §{}", self.document, self.section)
    }
}

/// One case, with the file's defaults applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub id: String,
    pub file: String,
    pub line: usize,
    pub description: String,
    pub citation: Citation,
    pub level: Level,
    pub op: String,
    pub input: Value,
    pub expect: Expect,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub tags: Vec<String>,
    /// The ids of the catalog's requirements this case tests.
    pub requirements: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ambiguity: Option<String>,
    /// The mock DNS zone served while this case runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<crate::dns::Zone>,
    /// What the case asserts about the queries the zone received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queries: Option<crate::dns::QueryChecks>,
}

impl Case {
    pub fn document(&self) -> &str {
        &self.citation.document
    }
}
