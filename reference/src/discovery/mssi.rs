//! The MSSSI definition string of mimi-discovery §4.3.
//!
//! The string is a DKIM tag-list (RFC 6376 §3.2):
//!
//! ```text
//! tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
//! tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//! tag-name  = ALPHA *ALNUMPUNC          ; ALNUMPUNC = ALPHA / DIGIT / "_"
//! tag-value = [ tval *( 1*(WSP / FWS) tval ) ]
//! tval      = 1*tval-char
//! tval-char = %x21-3A / %x3C-7E         ; VCHAR except ";"
//! FWS       = [*WSP CRLF] 1*WSP         ; RFC 6376 §2.8: no obs-FWS
//! ```
//!
//! Tag names are case-sensitive, a duplicated tag makes the whole list
//! invalid, unknown tags are ignored (kept aside here), whitespace around a
//! value is not part of it and whitespace inside it is kept verbatim.
//!
//! The choices where §4.3 is silent (ambiguity register):
//! - `v` may appear anywhere in the list (DISCOVERY-MSSI-V-POSITION);
//! - the version is compared case-sensitively with `MIMI1`
//!   (DISCOVERY-MSSI-VERSION-CASE);
//! - an empty `v` is a version that no specification defines, so the record
//!   is ignored; an empty `a`, `e`, `pv` or `s` is an error
//!   (DISCOVERY-MSSI-EMPTY-VALUE);
//! - `p` is `1*DIGIT` with a value of at most 4294967295, leading zeros
//!   allowed (DISCOVERY-MSSI-PRIORITY); a malformed `p` makes the record an
//!   error, not just the tag (DISCOVERY-MSSI-BAD-VALUE);
//! - nothing may follow the final `";"`, not even whitespace, as in the ABNF
//!   (DISCOVERY-MSSI-TRAILING-FWS).
//!
//! Errors are reported in this order: syntax (first fault in reading order),
//! duplicate tags, missing `v`, an unknown version (not an error: the record
//! is ignored), then `a`, `e`, `pv`, `p`, `s` in that order.

use std::collections::BTreeMap;

/// The only version this document defines.
pub const VERSION: &str = "MIMI1";

/// A valid MIMI1 record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MssiRecord {
    pub v: String,
    pub a: String,
    pub e: String,
    pub pv: Option<String>,
    pub p: Option<u32>,
    pub s: Option<String>,
}

/// The outcome of parsing a well-formed definition string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A MIMI1 record, with the tags this document does not define.
    Valid {
        record: MssiRecord,
        unknown_tags: BTreeMap<String, String>,
    },
    /// `v` is not a version this document defines: the client ignores the
    /// entire record (§4.3). Nothing but the tag-list syntax was checked.
    IgnoredVersion { v: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MssiError {
    #[error("tag-list syntax, at offset {offset}: {expected}")]
    Syntax {
        offset: usize,
        expected: &'static str,
    },
    #[error("tag {name:?} occurs more than once; the whole tag-list is invalid")]
    DuplicateTag { name: String },
    #[error("the REQUIRED tag {name:?} is missing")]
    MissingTag { name: &'static str },
    #[error("tag {name:?} has an empty value")]
    EmptyValue { name: &'static str },
    #[error("p={value:?} is not an integer from 0 to 4294967295")]
    BadPriority { value: String },
}

impl MssiError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Syntax { .. } => "discovery.mssi.syntax",
            Self::DuplicateTag { .. } => "discovery.mssi.duplicate_tag",
            Self::MissingTag { .. } => "discovery.mssi.missing_tag",
            Self::EmptyValue { .. } => "discovery.mssi.empty_value",
            Self::BadPriority { .. } => "discovery.mssi.bad_priority",
        }
    }
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_tval_char(b: u8) -> bool {
    matches!(b, 0x21..=0x3A | 0x3C..=0x7E)
}

fn syntax(offset: usize, expected: &'static str) -> MssiError {
    MssiError::Syntax { offset, expected }
}

/// Consumes a run of WSP and folds (`CRLF 1*WSP`) from `pos`; returns its end
/// and the number of folds. A CRLF not followed by WSP is an error.
fn whitespace(s: &[u8], mut pos: usize) -> Result<(usize, usize), MssiError> {
    let mut folds = 0;
    loop {
        match s.get(pos) {
            Some(&b) if is_wsp(b) => pos += 1,
            Some(b'\r') if s.get(pos + 1) == Some(&b'\n') => {
                if !s.get(pos + 2).is_some_and(|&b| is_wsp(b)) {
                    return Err(syntax(pos, "a CRLF in FWS must be followed by SP or HTAB"));
                }
                folds += 1;
                pos += 3;
            }
            _ => return Ok((pos, folds)),
        }
    }
}

/// `[FWS]` at `pos` (at most `max_folds` folds); returns its end.
fn opt_fws(s: &[u8], pos: usize, max_folds: usize) -> Result<usize, MssiError> {
    let (end, folds) = whitespace(s, pos)?;
    if folds > max_folds {
        return Err(syntax(
            pos,
            "FWS holds at most one CRLF (RFC 6376 §2.8 has no obs-FWS)",
        ));
    }
    Ok(end)
}

/// What is wrong with the byte at `pos`, where a tag-spec ends.
fn after_tag_spec(s: &[u8], pos: usize) -> MssiError {
    match s[pos] {
        b'\r' | b'\n' => syntax(
            pos,
            "CR and LF occur only as CRLF followed by whitespace (FWS)",
        ),
        _ => syntax(
            pos,
            "a tag-value holds only VCHAR but \";\" (%x21-3A / %x3C-7E) and whitespace",
        ),
    }
}

/// Parses a DKIM tag-list into (name, value) pairs in order of appearance.
///
/// Duplicates are an error ([`MssiError::DuplicateTag`]), reported only once
/// the whole list is syntactically valid.
pub fn parse_tag_list(text: &str) -> Result<Vec<(String, String)>, MssiError> {
    let s = text.as_bytes();
    let mut tags: Vec<(String, String)> = Vec::new();
    let mut pos = 0;
    loop {
        // [FWS] tag-name
        pos = opt_fws(s, pos, 1)?;
        let name_start = pos;
        match s.get(pos) {
            Some(b) if b.is_ascii_alphabetic() => pos += 1,
            None | Some(b';') => return Err(syntax(pos, "a tag-spec (tag-name \"=\" tag-value)")),
            Some(_) => return Err(syntax(pos, "a tag-name starts with ALPHA")),
        }
        while s
            .get(pos)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        {
            pos += 1;
        }
        let name_end = pos;
        // [FWS] "="
        pos = opt_fws(s, pos, 1)?;
        if s.get(pos) != Some(&b'=') {
            return Err(syntax(
                pos,
                "\"=\" after the tag-name (tag-name = ALPHA *(ALPHA / DIGIT / \"_\"))",
            ));
        }
        pos += 1;
        // [FWS] tag-value [FWS]
        let (ws_end, folds) = whitespace(s, pos)?;
        let value_start = ws_end;
        let mut value_end = ws_end;
        if s.get(ws_end).is_some_and(|&b| is_tval_char(b)) {
            if folds > 1 {
                return Err(syntax(
                    pos,
                    "FWS holds at most one CRLF (RFC 6376 §2.8 has no obs-FWS)",
                ));
            }
            pos = ws_end;
            loop {
                while s.get(pos).is_some_and(|&b| is_tval_char(b)) {
                    pos += 1;
                }
                value_end = pos;
                let (ws_end, folds) = whitespace(s, pos)?;
                if ws_end > pos && s.get(ws_end).is_some_and(|&b| is_tval_char(b)) {
                    // Whitespace between two tvals belongs to the value.
                    pos = ws_end;
                    continue;
                }
                if folds > 1 {
                    return Err(syntax(
                        pos,
                        "FWS holds at most one CRLF (RFC 6376 §2.8 has no obs-FWS)",
                    ));
                }
                pos = ws_end;
                break;
            }
        } else {
            // An empty value between two [FWS].
            if folds > 2 {
                return Err(syntax(
                    pos,
                    "FWS holds at most one CRLF (RFC 6376 §2.8 has no obs-FWS)",
                ));
            }
            pos = ws_end;
        }
        // The bytes of a tag-spec are ASCII, so these slices are UTF-8.
        let name = String::from_utf8_lossy(&s[name_start..name_end]).into_owned();
        let value = String::from_utf8_lossy(&s[value_start..value_end]).into_owned();
        tags.push((name, value));
        match s.get(pos) {
            None => break,
            Some(b';') => {
                pos += 1;
                if pos == s.len() {
                    break;
                }
            }
            Some(_) => return Err(after_tag_spec(s, pos)),
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (name, _) in &tags {
        if !seen.insert(name.as_str()) {
            return Err(MssiError::DuplicateTag { name: name.clone() });
        }
    }
    Ok(tags)
}

/// `p`: `1*DIGIT`, at most 4294967295.
fn priority(value: &str) -> Result<u32, MssiError> {
    let bad = || MssiError::BadPriority {
        value: value.to_owned(),
    };
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    value
        .bytes()
        .try_fold(0u32, |acc, b| {
            acc.checked_mul(10)?.checked_add(u32::from(b - b'0'))
        })
        .ok_or_else(bad)
}

/// A REQUIRED plain-text tag: present and not empty.
fn required(tags: &mut BTreeMap<String, String>, name: &'static str) -> Result<String, MssiError> {
    let value = tags.remove(name).ok_or(MssiError::MissingTag { name })?;
    if value.is_empty() {
        return Err(MssiError::EmptyValue { name });
    }
    Ok(value)
}

/// An OPTIONAL plain-text tag: absent, or present and not empty.
fn optional(
    tags: &mut BTreeMap<String, String>,
    name: &'static str,
) -> Result<Option<String>, MssiError> {
    match tags.remove(name) {
        Some(value) if value.is_empty() => Err(MssiError::EmptyValue { name }),
        other => Ok(other),
    }
}

/// Parses an MSSSI definition string (§4.3).
pub fn parse(text: &str) -> Result<Parsed, MssiError> {
    let mut tags: BTreeMap<String, String> = parse_tag_list(text)?.into_iter().collect();
    let v = tags
        .remove("v")
        .ok_or(MssiError::MissingTag { name: "v" })?;
    if v != VERSION {
        return Ok(Parsed::IgnoredVersion { v });
    }
    let a = required(&mut tags, "a")?;
    let e = required(&mut tags, "e")?;
    let pv = optional(&mut tags, "pv")?;
    let p = tags.remove("p").map(|value| priority(&value)).transpose()?;
    let s = optional(&mut tags, "s")?;
    Ok(Parsed::Valid {
        record: MssiRecord { v, a, e, pv, p, s },
        unknown_tags: tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(text: &str) -> (MssiRecord, BTreeMap<String, String>) {
        match parse(text) {
            Ok(Parsed::Valid {
                record,
                unknown_tags,
            }) => (record, unknown_tags),
            other => panic!("{text:?}: {other:?}"),
        }
    }

    fn code(text: &str) -> &'static str {
        match parse(text) {
            Err(e) => e.code(),
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn section_4_5_examples() {
        let (r, u) = valid("v=MIMI1; a=myuser; e=mimiserver.example.com");
        assert_eq!(
            (r.a.as_str(), r.e.as_str(), r.p, u.len()),
            ("myuser", "mimiserver.example.com", None, 0)
        );
        let (r, _) = valid("v=MIMI1; p=2; a=+15551234567; e=mimi.whatsapp.com; s=whatsapp");
        assert_eq!((r.p, r.s.as_deref()), (Some(2), Some("whatsapp")));
        let (r, _) = valid("v=MIMI1; p=1; a=myname99; e=im.telegram.org; s=telegram");
        assert_eq!((r.p, r.a.as_str()), (Some(1), "myname99"));
    }

    #[test]
    fn whitespace_and_folding() {
        let (r, _) = valid(" v = MIMI1 ;\r\n a\r\n =\r\n my  user\t;e=x;");
        assert_eq!(r.a, "my  user");
        let (r, _) = valid("v=MIMI1; a=my\r\n user; e=x");
        assert_eq!(r.a, "my\r\n user");
        assert_eq!(code("v=MIMI1;\r\na=x; e=y"), "discovery.mssi.syntax");
        assert_eq!(code("v=MIMI1;\n a=x; e=y"), "discovery.mssi.syntax");
        assert_eq!(code("v=MIMI1; a=x; e=y\r\n"), "discovery.mssi.syntax");
        assert_eq!(code("v=MIMI1; a=x; e=y; "), "discovery.mssi.syntax");
        assert_eq!(code("v=MIMI1;\r\n \r\n a=x; e=y"), "discovery.mssi.syntax");
        assert_eq!(code(""), "discovery.mssi.syntax");
        assert_eq!(code("v=MIMI1;; a=x; e=y"), "discovery.mssi.syntax");
    }

    #[test]
    fn tags() {
        assert_eq!(
            code("v=MIMI1; a=x; a=y; e=z"),
            "discovery.mssi.duplicate_tag"
        );
        assert_eq!(code("V=MIMI1; a=x; e=y"), "discovery.mssi.missing_tag");
        let (_, u) = valid("v=MIMI1; V=MIMI2; a=x; e=y; x_1=a=b");
        assert_eq!(u.get("V").map(String::as_str), Some("MIMI2"));
        assert_eq!(u.get("x_1").map(String::as_str), Some("a=b"));
        assert_eq!(
            parse("v=mimi1"),
            Ok(Parsed::IgnoredVersion { v: "mimi1".into() })
        );
        assert_eq!(
            parse("v=; a=x"),
            Ok(Parsed::IgnoredVersion { v: String::new() })
        );
        assert_eq!(code("v=MIMI1; a=; e=y"), "discovery.mssi.empty_value");
    }

    #[test]
    fn priorities() {
        assert_eq!(valid("v=MIMI1; a=x; e=y; p=01").0.p, Some(1));
        assert_eq!(valid("v=MIMI1; a=x; e=y; p=4294967295").0.p, Some(u32::MAX));
        for p in ["-1", "+1", "1.5", "abc", "", "4294967296", "1 2", "0x10"] {
            assert_eq!(
                code(&format!("v=MIMI1; a=x; e=y; p={p}")),
                "discovery.mssi.bad_priority",
                "{p}"
            );
        }
    }

    /// A small deterministic generator (xorshift) over an alphabet rich in
    /// the tag-list's delimiters; parsing must never panic.
    #[test]
    fn never_panics() {
        const ALPHABET: &[&str] = &[
            "v", "a", "e", "p", "s", "=", ";", " ", "\t", "\r", "\n", "\r\n ", "MIMI1", "1", "_",
            "é", "\0", "\u{7f}",
        ];
        let mut g = crate::testgen::Gen::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let text = g.string(ALPHABET, 23);
            let _ = parse(&text);
        }
    }
}
