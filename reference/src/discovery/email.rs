//! The MUI of an email address (mimi-discovery §5.1.1): the local part, a
//! dot, and the MIMI resolution domain that the MIMIX record of the email
//! domain names ("the client appends the local part of the email address
//! ... in front of the MIMI resolution domain, obtaining an MUI").
//!
//! The steps, in order (the first fault found is reported):
//!
//! 1. The address splits at its last `"@"`; the local part and the domain
//!    part must not be empty. The domain part is not used further: the
//!    MIMIX target was looked up with it.
//! 2. A quoted-string local part is rejected (DISCOVERY-EMAIL-QUOTED).
//! 3. The MIMIX target must be a valid MUI name
//!    ([`super::mui::canonical_name`]: a trailing dot is allowed, since
//!    domain names in RDATA are absolute).
//! 4. The local part goes through the MUI rules as a sequence of labels:
//!    - its dots separate labels, as the plain concatenation of §5.1.1
//!      makes them (DISCOVERY-EMAIL-LOCAL-DOT);
//!    - upper case is folded, as DNS matching does (DISCOVERY-EMAIL-LOCAL-CASE);
//!    - a UTF-8 local part (RFC 6532) becomes A-labels (DISCOVERY-EMAIL-LOCAL-UTF8);
//!    - anything that cannot be in a host-name label is rejected: `"+"`
//!      subaddresses (DISCOVERY-EMAIL-SUBADDRESS), `"_"`, the other atext
//!      symbols; so are empty labels, hyphens first or last, and labels over
//!      63 octets (a 64-octet local part, which RFC 5321 allows).
//! 5. The whole MUI is at most 253 octets and passes UTS #46 as one name
//!    (the Bidi rule looks at every label of a name).

use super::mui::{self, MuiError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmailError {
    #[error("an address is local-part \"@\" domain; there is no \"@\"")]
    MissingAt,
    #[error("the local part is empty")]
    EmptyLocalPart,
    #[error("the domain part is empty")]
    EmptyDomain,
    #[error("a quoted-string local part cannot be turned into DNS labels")]
    QuotedLocalPart,
    #[error("the MIMIX target is not a valid domain name: {0}")]
    BadMimixTarget(MuiError),
    #[error("the local part has an empty label: a leading or trailing dot, or \"..\"")]
    BadDot,
    #[error("{ch:?} in the local part cannot be in a DNS host-name label")]
    LocalPartChar { ch: char },
    #[error("a label of the local part starts or ends with a hyphen")]
    LocalPartHyphen,
    #[error("the local part is not valid as an internationalized domain name")]
    LocalPartIdna,
    #[error("a label of {len} octets from the local part; labels are 63 octets or less")]
    LabelTooLong { len: usize },
    #[error("the MUI has {len} octets; names are 253 octets or less")]
    NameTooLong { len: usize },
}

impl EmailError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingAt => "discovery.email.missing_at",
            Self::EmptyLocalPart => "discovery.email.empty_local_part",
            Self::EmptyDomain => "discovery.email.empty_domain",
            Self::QuotedLocalPart => "discovery.email.quoted_local_part",
            Self::BadMimixTarget(_) => "discovery.email.bad_mimix_target",
            Self::BadDot => "discovery.email.bad_dot",
            Self::LocalPartChar { .. } => "discovery.email.local_part_char",
            Self::LocalPartHyphen => "discovery.email.local_part_hyphen",
            Self::LocalPartIdna => "discovery.email.local_part_idna",
            Self::LabelTooLong { .. } => "discovery.email.label_too_long",
            Self::NameTooLong { .. } => "discovery.email.name_too_long",
        }
    }
}

/// The MUI of `address` given the target of its domain's MIMIX record.
pub fn mui(address: &str, mimix_target: &str) -> Result<String, EmailError> {
    let (local, domain) = address.rsplit_once('@').ok_or(EmailError::MissingAt)?;
    if local.is_empty() {
        return Err(EmailError::EmptyLocalPart);
    }
    if domain.is_empty() {
        return Err(EmailError::EmptyDomain);
    }
    if local.starts_with('"') {
        return Err(EmailError::QuotedLocalPart);
    }
    let target = mui::canonical_name(mimix_target).map_err(EmailError::BadMimixTarget)?;
    let local = mui::to_ascii(local).map_err(|_| EmailError::LocalPartIdna)?;
    mui::check_labels(&local).map_err(|e| match e {
        MuiError::EmptyLabel => EmailError::BadDot,
        MuiError::InvalidChar { ch, .. } => EmailError::LocalPartChar { ch },
        MuiError::Hyphen { .. } => EmailError::LocalPartHyphen,
        MuiError::LabelTooLong { len } => EmailError::LabelTooLong { len },
        _ => EmailError::LocalPartIdna,
    })?;
    let name = format!("{local}.{target}");
    if name.len() > mui::MAX_NAME_OCTETS {
        return Err(EmailError::NameTooLong { len: name.len() });
    }
    // Each part passed alone; the whole may still break the Bidi rule.
    mui::to_ascii(&name).map_err(|_| EmailError::LocalPartIdna)?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(address: &str, target: &str) -> &'static str {
        match mui(address, target) {
            Err(e) => e.code(),
            Ok(m) => panic!("{address:?} gave {m:?}"),
        }
    }

    #[test]
    fn section_5_1_1_example() {
        assert_eq!(
            mui("mailbox@example.com", "mimi.example.net").as_deref(),
            Ok("mailbox.mimi.example.net")
        );
        assert_eq!(
            mui("First.Last@example.com", "MIMI.example.net.").as_deref(),
            Ok("first.last.mimi.example.net")
        );
        assert_eq!(
            mui("josé@example.com", "mimi.example.net").as_deref(),
            Ok("xn--jos-dma.mimi.example.net")
        );
    }

    #[test]
    fn faults() {
        let t = "mimi.example.net";
        assert_eq!(code("mailbox", t), "discovery.email.missing_at");
        assert_eq!(code("@example.com", t), "discovery.email.empty_local_part");
        assert_eq!(code("mailbox@", t), "discovery.email.empty_domain");
        assert_eq!(
            code("\"mailbox\"@example.com", t),
            "discovery.email.quoted_local_part"
        );
        assert_eq!(
            code("mailbox@example.com", "mimi..net"),
            "discovery.email.bad_mimix_target"
        );
        assert_eq!(
            code("first..last@example.com", t),
            "discovery.email.bad_dot"
        );
        assert_eq!(
            code("mailbox+tag@example.com", t),
            "discovery.email.local_part_char"
        );
        assert_eq!(
            code("-mailbox@example.com", t),
            "discovery.email.local_part_hyphen"
        );
        assert_eq!(
            code("a\u{200d}b@example.com", t),
            "discovery.email.local_part_idna"
        );
        assert_eq!(
            code(&format!("{}@example.com", "a".repeat(64)), t),
            "discovery.email.label_too_long"
        );
        let target = format!("{}.{}.{}", "b".repeat(63), "c".repeat(63), "d".repeat(62));
        assert_eq!(
            code(&format!("{}@example.com", "a".repeat(63)), &target),
            "discovery.email.name_too_long"
        );
    }

    #[test]
    fn never_panics() {
        const ALPHABET: &[&str] = &[
            "a", "B", "@", ".", "\"", "+", "_", "-", "é", "א", "1", "\u{200d}", " ",
        ];
        let mut g = crate::testgen::Gen::new(0x6A09_E667_F3BC_C909);
        for _ in 0..20_000 {
            let text = g.string(ALPHABET, 19);
            let _ = mui(&text, "mimi.example.net");
            let _ = mui("mailbox@example.com", &text);
        }
    }
}
