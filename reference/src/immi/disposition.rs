//! message/immi-disposition-notification bodies, from the ABNF of
//! immi-content §5.2.

use super::msg_id::{self, MsgId, MsgIdError};

/// status-value of §5.2, spelled as the grammar spells it (case-sensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Read,
    Error,
    Delivered,
    Expired,
    Deleted,
    Hidden,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Read,
        Self::Error,
        Self::Delivered,
        Self::Expired,
        Self::Deleted,
        Self::Hidden,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Error => "error",
            Self::Delivered => "delivered",
            Self::Expired => "expired",
            Self::Deleted => "deleted",
            Self::Hidden => "hidden",
        }
    }

    /// ABNF quoted strings match in any case (RFC 5234 §2.3); the draft
    /// marks only the header name case-sensitive. Register: IMMI-DISPO-CASE.
    pub fn from_token(s: &str) -> Option<Status> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s))
    }
}

/// One `IMMI-Disposition` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispositionEntry {
    pub msg_id: MsgId,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DispositionError {
    #[error("the body has no IMMI-Disposition line (1*immi-header-line)")]
    Empty,
    #[error("line {line}: the header name must be exactly \"IMMI-Disposition\"")]
    HeaderName { line: usize },
    #[error("line {line}: \":\" must be followed by exactly one SP")]
    Space { line: usize },
    #[error("line {line}: {source}")]
    MsgId { line: usize, source: MsgIdError },
    #[error("line {line}: the msg-id must be followed by \";dispo=\"")]
    MissingStatus { line: usize },
    #[error("line {line}: {value:?} is not a status-value")]
    UnknownStatus { line: usize, value: String },
    #[error("line {line}: ends with a bare LF, not CRLF")]
    BareLf { line: usize },
    #[error("line {line}: does not end with CRLF")]
    MissingCrlf { line: usize },
    #[error("entry {entry}: the msg-id is not valid: {source}")]
    BuildMsgId { entry: usize, source: MsgIdError },
}

impl DispositionError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "immi.disposition_notification.empty",
            Self::HeaderName { .. } => "immi.disposition_notification.header_name",
            Self::Space { .. } => "immi.disposition_notification.space",
            Self::MsgId { source, .. } | Self::BuildMsgId { source, .. } => source.code(),
            Self::MissingStatus { .. } => "immi.disposition_notification.missing_status",
            Self::UnknownStatus { .. } => "immi.disposition_notification.unknown_status",
            Self::BareLf { .. } => "immi.disposition_notification.bare_lf",
            Self::MissingCrlf { .. } => "immi.disposition_notification.missing_crlf",
        }
    }
}

const HEADER: &str = "IMMI-Disposition";

/// Parses a whole body: `1*immi-header-line`, nothing before, between or after.
pub fn parse(body: &str) -> Result<Vec<DispositionEntry>, DispositionError> {
    if body.is_empty() {
        return Err(DispositionError::Empty);
    }
    let mut entries = Vec::new();
    let mut rest = body;
    let mut line = 0;
    while !rest.is_empty() {
        line += 1;
        let (content, next) = match rest.find('\n') {
            Some(nl) if nl > 0 && rest.as_bytes()[nl - 1] == b'\r' => {
                (&rest[..nl - 1], &rest[nl + 1..])
            }
            Some(_) => return Err(DispositionError::BareLf { line }),
            None => return Err(DispositionError::MissingCrlf { line }),
        };
        entries.push(parse_line(content, line)?);
        rest = next;
    }
    Ok(entries)
}

/// One line without its CRLF: `immi-header ":" SP msg-id ";" status`.
fn parse_line(content: &str, line: usize) -> Result<DispositionEntry, DispositionError> {
    let rest = content
        .strip_prefix(HEADER)
        .and_then(|r| r.strip_prefix(':'))
        .ok_or(DispositionError::HeaderName { line })?;
    let rest = rest
        .strip_prefix(' ')
        .ok_or(DispositionError::Space { line })?;
    if rest.starts_with([' ', '\t']) {
        return Err(DispositionError::Space { line });
    }
    let (msg_id, end) = msg_id::parse_prefix(rest.as_bytes())
        .map_err(|source| DispositionError::MsgId { line, source })?;
    // `";" "dispo" "="`; "dispo" in any case, as for the status-value.
    let value = rest[end..]
        .strip_prefix(';')
        .and_then(|r| {
            r.get(..6)
                .filter(|p| p.eq_ignore_ascii_case("dispo="))
                .map(|_| &r[6..])
        })
        .ok_or(DispositionError::MissingStatus { line })?;
    let status = Status::from_token(value).ok_or_else(|| DispositionError::UnknownStatus {
        line,
        value: value.to_owned(),
    })?;
    Ok(DispositionEntry { msg_id, status })
}

/// Writes entries as a body; the grammar admits exactly one spelling.
pub fn build(entries: &[DispositionEntry]) -> Result<String, DispositionError> {
    if entries.is_empty() {
        return Err(DispositionError::Empty);
    }
    let mut body = String::new();
    for (i, e) in entries.iter().enumerate() {
        let written = e.msg_id.to_string();
        // A MsgId built by hand may hold anything: check it re-parses.
        match msg_id::parse(&written) {
            Ok(ref back) if back == &e.msg_id => {}
            Ok(_) => {
                return Err(DispositionError::BuildMsgId {
                    entry: i + 1,
                    source: MsgIdError::MissingAt,
                });
            }
            Err(source) => {
                return Err(DispositionError::BuildMsgId {
                    entry: i + 1,
                    source,
                });
            }
        }
        body.push_str(HEADER);
        body.push_str(": ");
        body.push_str(&written);
        body.push_str(";dispo=");
        body.push_str(e.status.as_str());
        body.push_str("\r\n");
    }
    Ok(body)
}
