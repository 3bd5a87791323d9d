//! msg-id and its three header lines, from the ABNF of immi-content §5.1.
//!
//! The profile's grammar is narrower than RFC 5322 §3.6.4: no CFWS around
//! the brackets, no obsolete forms, no quoted-pair. See the ambiguity
//! register (IMMI-MSGID-CFWS, IMMI-MSGID-OBS).

use std::fmt;

/// A parsed msg-id. `id_right` keeps its brackets when it is a no-fold-literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgId {
    pub id_left: String,
    pub id_right: String,
}

impl fmt::Display for MsgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}@{}>", self.id_left, self.id_right)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MsgIdError {
    #[error("the msg-id is empty")]
    Empty,
    #[error("a msg-id starts with \"<\"")]
    MissingOpenAngle,
    #[error("no \"@\" between id-left and id-right")]
    MissingAt,
    #[error("id-left is empty")]
    EmptyIdLeft,
    #[error("id-right is empty")]
    EmptyIdRight,
    #[error("a dot-atom-text cannot start or end with \".\" or hold \"..\"")]
    BadDot,
    #[error("byte {byte:#04x} at offset {offset} is not allowed here")]
    InvalidChar { offset: usize, byte: u8 },
    #[error("the no-fold-literal has no closing \"]\"")]
    UnterminatedLiteral,
    #[error("a msg-id ends with \">\"")]
    MissingCloseAngle,
    #[error("data after the closing \">\"")]
    TrailingData,
    #[error("header name is not Message-ID, In-Reply-To or Supersedes (case-sensitive)")]
    HeaderName,
    #[error("the header name's \":\" must be followed by exactly one SP")]
    Space,
    #[error("a header line ends with CRLF")]
    MissingCrlf,
    #[error("a line ends with a bare LF, not CRLF")]
    BareLf,
}

impl MsgIdError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "immi.msg_id.empty",
            Self::MissingOpenAngle => "immi.msg_id.missing_open_angle",
            Self::MissingAt => "immi.msg_id.missing_at",
            Self::EmptyIdLeft => "immi.msg_id.empty_id_left",
            Self::EmptyIdRight => "immi.msg_id.empty_id_right",
            Self::BadDot => "immi.msg_id.bad_dot",
            Self::InvalidChar { .. } => "immi.msg_id.invalid_char",
            Self::UnterminatedLiteral => "immi.msg_id.unterminated_literal",
            Self::MissingCloseAngle => "immi.msg_id.missing_close_angle",
            Self::TrailingData => "immi.msg_id.trailing_data",
            Self::HeaderName => "immi.header.name",
            Self::Space => "immi.header.space",
            Self::MissingCrlf => "immi.header.missing_crlf",
            Self::BareLf => "immi.header.bare_lf",
        }
    }
}

/// atom-symbol of §5.1.
fn is_atom_symbol(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'/'
            | b'='
            | b'?'
            | b'^'
            | b'_'
            | b'`'
            | b'{'
            | b'|'
            | b'}'
            | b'~'
    )
}

/// atext = ALPHA / DIGIT / atom-symbol
pub fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || is_atom_symbol(b)
}

/// dtext = %d33-90 / %d94-126
pub fn is_dtext(b: u8) -> bool {
    matches!(b, 33..=90 | 94..=126)
}

/// Consumes a dot-atom-text starting at `pos`; returns its end.
fn dot_atom_text(s: &[u8], pos: usize, empty: MsgIdError) -> Result<usize, MsgIdError> {
    let mut end = pos;
    while end < s.len() && (is_atext(s[end]) || s[end] == b'.') {
        end += 1;
    }
    let text = &s[pos..end];
    if text.is_empty() {
        return Err(empty);
    }
    if text.first() == Some(&b'.')
        || text.last() == Some(&b'.')
        || text.windows(2).any(|w| w == b"..")
    {
        return Err(MsgIdError::BadDot);
    }
    Ok(end)
}

/// What follows a part: the end of input or a byte that is not `want`.
fn unexpected(s: &[u8], pos: usize, at_end: MsgIdError) -> MsgIdError {
    match s.get(pos) {
        None => at_end,
        Some(&byte) => MsgIdError::InvalidChar { offset: pos, byte },
    }
}

/// Parses a whole msg-id: `"<" id-left "@" id-right ">"` and nothing else.
pub fn parse(text: &str) -> Result<MsgId, MsgIdError> {
    let (id, end) = parse_prefix(text.as_bytes())?;
    if end != text.len() {
        return Err(MsgIdError::TrailingData);
    }
    Ok(id)
}

/// Parses a msg-id at the start of `s`; returns it and the offset after `>`.
pub fn parse_prefix(s: &[u8]) -> Result<(MsgId, usize), MsgIdError> {
    match s.first() {
        None => return Err(MsgIdError::Empty),
        Some(b'<') => {}
        Some(_) => return Err(MsgIdError::MissingOpenAngle),
    }
    let left_end = match dot_atom_text(s, 1, MsgIdError::EmptyIdLeft) {
        // Nothing at all before the next byte: say what that byte is.
        Err(MsgIdError::EmptyIdLeft) if s.get(1).is_some_and(|&b| b != b'@') => {
            return Err(match s.get(1) {
                Some(b'>') => MsgIdError::MissingAt,
                _ => unexpected(s, 1, MsgIdError::MissingAt),
            });
        }
        Err(MsgIdError::EmptyIdLeft) if s.get(1).is_none() => return Err(MsgIdError::MissingAt),
        other => other?,
    };
    match s.get(left_end) {
        Some(b'@') => {}
        None | Some(b'>') => return Err(MsgIdError::MissingAt),
        Some(&byte) => {
            return Err(MsgIdError::InvalidChar {
                offset: left_end,
                byte,
            });
        }
    }
    let right_start = left_end + 1;
    let right_end = if s.get(right_start) == Some(&b'[') {
        let mut end = right_start + 1;
        loop {
            match s.get(end) {
                None => return Err(MsgIdError::UnterminatedLiteral),
                Some(b']') => break end + 1,
                Some(&b) if is_dtext(b) => end += 1,
                Some(&byte) => return Err(MsgIdError::InvalidChar { offset: end, byte }),
            }
        }
    } else {
        match dot_atom_text(s, right_start, MsgIdError::EmptyIdRight) {
            Err(MsgIdError::EmptyIdRight) => {
                return Err(match s.get(right_start) {
                    None | Some(b'>') => MsgIdError::EmptyIdRight,
                    Some(&byte) => MsgIdError::InvalidChar {
                        offset: right_start,
                        byte,
                    },
                });
            }
            other => other?,
        }
    };
    match s.get(right_end) {
        Some(b'>') => {}
        _ => return Err(unexpected(s, right_end, MsgIdError::MissingCloseAngle)),
    }
    // Every byte consumed so far is ASCII, so these slices are valid UTF-8.
    let id = MsgId {
        id_left: String::from_utf8_lossy(&s[1..left_end]).into_owned(),
        id_right: String::from_utf8_lossy(&s[right_start..right_end]).into_owned(),
    };
    Ok((id, right_end + 1))
}

/// The three msg-id header names of §5.1, spelled as the grammar spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderName {
    MessageId,
    InReplyTo,
    Supersedes,
}

impl HeaderName {
    pub const ALL: [HeaderName; 3] = [Self::MessageId, Self::InReplyTo, Self::Supersedes];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MessageId => "Message-ID",
            Self::InReplyTo => "In-Reply-To",
            Self::Supersedes => "Supersedes",
        }
    }
}

/// Parses one header line: `name ":" SP msg-id CRLF`, the CRLF included.
///
/// Order: the name and its ":", the one SP, then the msg-id as the line
/// holds it, up to the first CR or LF (so a line that ends inside the
/// msg-id is `missing_close_angle`, as in `immi.message.parse` and in a
/// disposition notification, whose lines are split first), then what
/// follows it: text before the line end is `trailing_data`, and the line
/// end itself is exactly CRLF and the end of the input (`bare_lf` for a
/// LF alone, `missing_crlf` for none or a CR alone, `trailing_data` for
/// anything after a line end, LF CR included).
pub fn parse_header_line(line: &str) -> Result<(HeaderName, MsgId), MsgIdError> {
    let colon = line.find(':').ok_or(MsgIdError::HeaderName)?;
    let name = HeaderName::ALL
        .into_iter()
        .find(|n| n.as_str() == &line[..colon])
        .ok_or(MsgIdError::HeaderName)?;
    let rest = &line[colon + 1..];
    let rest = rest.strip_prefix(' ').ok_or(MsgIdError::Space)?;
    if rest.starts_with([' ', '\t']) {
        return Err(MsgIdError::Space);
    }
    let content_end = rest.find(['\r', '\n']).unwrap_or(rest.len());
    let (content, line_end) = rest.split_at(content_end);
    let (id, end) = parse_prefix(content.as_bytes())?;
    if end != content.len() {
        return Err(MsgIdError::TrailingData);
    }
    match line_end.as_bytes() {
        b"\r\n" => Ok((name, id)),
        b"\n" => Err(MsgIdError::BareLf),
        b"" | b"\r" => Err(MsgIdError::MissingCrlf),
        _ => Err(MsgIdError::TrailingData),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_round_trips() {
        let id = parse("<a.b@[1.2.3.4]>").unwrap();
        assert_eq!(id.to_string(), "<a.b@[1.2.3.4]>");
    }
}
