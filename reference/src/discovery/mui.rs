//! The MUI of mimi-discovery §4.1: an FQDN, possibly an IDN, optionally in
//! a URI form, to its canonical form (A-labels, lower case, no trailing dot).
//!
//! The steps, in order (the first fault found is reported):
//!
//! 1. URI form: if the text holds a `":"`, what precedes the first one is a
//!    URI scheme, which must be `mimi` (ASCII case-insensitive, RFC 3986
//!    §3.1); the rest is the FQDN, taken as is: no `//` authority, no
//!    percent-decoding (DISCOVERY-MUI-URI-SCHEME).
//! 2. UTS #46 ToASCII as browsers do for lookup: nontransitional processing
//!    (`ß` stays `ß`), CheckBidi and CheckJoiners on, CheckHyphens off
//!    (but a U-label with "--" in positions 3 and 4 is rejected, RFC 5891
//!    §5.4),
//!    VerifyDnsLength off and UseSTD3ASCIIRules off, the last three replaced
//!    by the checks below so that each fault has its own code
//!    (DISCOVERY-MUI-IDNA-PROFILE). This maps upper case to lower case,
//!    full-width forms and the ideographic full stop, and validates every
//!    `xn--` label.
//! 3. One trailing dot (the absolute form of the same FQDN) is removed
//!    (DISCOVERY-MUI-TRAILING-DOT).
//! 4. Each label, in order: not empty; only letters, digits and hyphens
//!    (the host-name rule of RFC 1123 §2.1, so no underscore:
//!    DISCOVERY-MUI-UNDERSCORE); no hyphen first or last; at most 63 octets.
//! 5. The name: at most 253 octets; at least two labels
//!    (DISCOVERY-MUI-SINGLE-LABEL); the last label not all-numeric
//!    (RFC 1123 §2.1, RFC 3696 §2).

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

/// The URI scheme this suite accepts for the optional URI form of §4.1.
pub const URI_SCHEME: &str = "mimi";
/// RFC 1035 §2.3.4: labels are 63 octets or less.
pub const MAX_LABEL_OCTETS: usize = 63;
/// RFC 1035 §2.3.4 allows 255 octets in wire form, which is 253 in text
/// form without the trailing dot.
pub const MAX_NAME_OCTETS: usize = 253;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MuiError {
    #[error("the name is empty")]
    Empty,
    #[error("URI scheme {scheme:?} is not \"mimi\"")]
    UnknownScheme { scheme: String },
    #[error("not a valid internationalized domain name (UTS #46 ToASCII fails)")]
    Idna,
    #[error("empty label: a leading dot, \"..\", or more than one trailing dot")]
    EmptyLabel,
    #[error("{ch:?} in label {label:?} is not a letter, digit or hyphen")]
    InvalidChar { label: String, ch: char },
    #[error("label {label:?} starts or ends with a hyphen")]
    Hyphen { label: String },
    #[error("a label of {len} octets; labels are 63 octets or less")]
    LabelTooLong { len: usize },
    #[error("a name of {len} octets; names are 253 octets or less without the trailing dot")]
    NameTooLong { len: usize },
    #[error("a single-label name is not accepted as an MUI")]
    SingleLabel,
    #[error("the top-level label {label:?} is all-numeric")]
    NumericTld { label: String },
}

impl MuiError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "discovery.mui.empty",
            Self::UnknownScheme { .. } => "discovery.mui.unknown_scheme",
            Self::Idna => "discovery.mui.idna",
            Self::EmptyLabel => "discovery.mui.empty_label",
            Self::InvalidChar { .. } => "discovery.mui.invalid_char",
            Self::Hyphen { .. } => "discovery.mui.hyphen",
            Self::LabelTooLong { .. } => "discovery.mui.label_too_long",
            Self::NameTooLong { .. } => "discovery.mui.name_too_long",
            Self::SingleLabel => "discovery.mui.single_label",
            Self::NumericTld { .. } => "discovery.mui.numeric_tld",
        }
    }
}

/// Parses an MUI, plain or in the `mimi:` URI form, to its canonical form.
pub fn parse(text: &str) -> Result<String, MuiError> {
    let body = match text.split_once(':') {
        None => text,
        Some((scheme, body)) if scheme.eq_ignore_ascii_case(URI_SCHEME) => body,
        Some((scheme, _)) => {
            return Err(MuiError::UnknownScheme {
                scheme: scheme.to_owned(),
            });
        }
    };
    canonical_name(body)
}

/// A domain name (never a URI) to the canonical form of an MUI: steps 2-5.
pub fn canonical_name(text: &str) -> Result<String, MuiError> {
    if text.is_empty() {
        return Err(MuiError::Empty);
    }
    let ascii = to_ascii(text)?;
    let name = ascii.strip_suffix('.').unwrap_or(&ascii);
    if name.is_empty() {
        return Err(MuiError::Empty);
    }
    check_labels(name)?;
    check_name(name)?;
    Ok(name.to_owned())
}

/// Step 2: UTS #46 ToASCII with this module's options.
pub(crate) fn to_ascii(text: &str) -> Result<String, MuiError> {
    Uts46::new()
        .to_ascii(
            text.as_bytes(),
            AsciiDenyList::EMPTY,
            Hyphens::Allow,
            DnsLength::Ignore,
        )
        .map(|name| name.to_ascii_lowercase())
        .map_err(|_| MuiError::Idna)
        .and_then(|name| {
            // RFC 5891 §5.4 rejects a putative U-label with "--" in its
            // third and fourth positions; CheckHyphens off lets ASCII
            // labels ("ab--cd") through, which are no U-labels.
            let reserved = name.split('.').any(|label| {
                label.strip_prefix("xn--").is_some_and(|puny| {
                    idna::punycode::decode_to_string(puny)
                        .is_some_and(|u| u.chars().skip(2).take(2).eq("--".chars()))
                })
            });
            if reserved {
                Err(MuiError::Idna)
            } else {
                Ok(name)
            }
        })
}

/// Step 4 on every label of `name` (already ASCII).
pub(crate) fn check_labels(name: &str) -> Result<(), MuiError> {
    for label in name.split('.') {
        if label.is_empty() {
            return Err(MuiError::EmptyLabel);
        }
        if let Some(ch) = label
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(MuiError::InvalidChar {
                label: label.to_owned(),
                ch,
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(MuiError::Hyphen {
                label: label.to_owned(),
            });
        }
        if label.len() > MAX_LABEL_OCTETS {
            return Err(MuiError::LabelTooLong { len: label.len() });
        }
    }
    Ok(())
}

/// Step 5 on a name whose labels passed step 4.
fn check_name(name: &str) -> Result<(), MuiError> {
    if name.len() > MAX_NAME_OCTETS {
        return Err(MuiError::NameTooLong { len: name.len() });
    }
    match name.rsplit_once('.') {
        None => Err(MuiError::SingleLabel),
        Some((_, tld)) if tld.bytes().all(|b| b.is_ascii_digit()) => Err(MuiError::NumericTld {
            label: tld.to_owned(),
        }),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        match parse(text) {
            Err(e) => e.code(),
            Ok(m) => panic!("{text:?} gave {m:?}"),
        }
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(
            parse("MyMimi.Example.COM.").as_deref(),
            Ok("mymimi.example.com")
        );
        assert_eq!(
            parse("bücher.example").as_deref(),
            Ok("xn--bcher-kva.example")
        );
        assert_eq!(
            parse("MIMI:XN--BCHER-KVA.example").as_deref(),
            Ok("xn--bcher-kva.example")
        );
        assert_eq!(parse("faß.example").as_deref(), Ok("xn--fa-hia.example"));
        assert_eq!(
            parse("8.4.1.0.6.4.9.7.0.2.4.4.e164.arpa").as_deref(),
            Ok("8.4.1.0.6.4.9.7.0.2.4.4.e164.arpa")
        );
    }

    #[test]
    fn faults() {
        assert_eq!(code(""), "discovery.mui.empty");
        assert_eq!(code("."), "discovery.mui.empty");
        assert_eq!(code("xmpp:a.example"), "discovery.mui.unknown_scheme");
        assert_eq!(code("xn--zz.example"), "discovery.mui.idna");
        assert_eq!(code("a..b"), "discovery.mui.empty_label");
        assert_eq!(code("a.b.."), "discovery.mui.empty_label");
        assert_eq!(code("_a.example"), "discovery.mui.invalid_char");
        assert_eq!(code("-a.example"), "discovery.mui.hyphen");
        assert_eq!(
            code(&format!("{}.example", "a".repeat(64))),
            "discovery.mui.label_too_long"
        );
        let n254 = [
            &"a".repeat(63),
            &"b".repeat(63),
            &"c".repeat(63),
            &"d".repeat(62),
        ]
        .map(|s| s.as_str())
        .join(".");
        assert_eq!(code(&n254), "discovery.mui.name_too_long");
        assert!(parse(&n254[1..]).is_ok());
        assert_eq!(code("example"), "discovery.mui.single_label");
        assert_eq!(code("1.2.3.4"), "discovery.mui.numeric_tld");
    }

    #[test]
    fn never_panics() {
        const ALPHABET: &[&str] = &[
            "a", "Z", "0", "-", ".", "。", "xn--", "zz", "ü", "ß", "\u{200d}", "א", "\u{301}", ":",
            "mimi:", "_", " ", "\u{e000}",
        ];
        let mut g = crate::testgen::Gen::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let text = g.string(ALPHABET, 19);
            let _ = parse(&text);
        }
    }
}
