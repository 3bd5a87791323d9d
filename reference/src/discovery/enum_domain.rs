//! A telephone number to its ENUM domain (mimi-discovery §5.2.1, which
//! converts "the telephone number ... into a fully-qualified domain name
//! using the ENUM specification", RFC 6116 §3.2).
//!
//! RFC 6116 keeps the digits of a fully qualified E.164 number (written with
//! its leading `"+"`), reverses them, puts a dot between each, and appends
//! `e164.arpa`: `+442079460148` becomes `8.4.1.0.6.4.9.7.0.2.4.4.e164.arpa`.
//!
//! The input rules, in reading order (the first fault found is reported):
//! - the visual separators SP, `-`, `.`, `(` and `)` are removed wherever
//!   they are (RFC 3966 visual-separator plus the space of E.123), and
//!   nothing else is (DISCOVERY-ENUM-SEPARATORS);
//! - the first character that is not a separator must be `"+"`
//!   (DISCOVERY-ENUM-PLUS); no other `"+"` may occur;
//! - every other character must be an ASCII digit: letters (vanity numbers,
//!   `x` extensions), other punctuation and non-ASCII digits are rejected;
//! - a text of separators only is empty;
//! - 2 to 15 digits (ITU-T E.164 §6 caps a number at 15 digits; the minimum
//!   is the suite's, DISCOVERY-ENUM-MIN-DIGITS);
//! - the country code does not start with 0 (no E.164 country code does).
//!
//! The apex defaults to `e164.arpa`; another one may be given for a
//! provider's own ENUM tree (DISCOVERY-ENUM-APEX). It must be a valid MUI
//! name ([`super::mui::canonical_name`]) and is returned in that form.

use super::mui::{self, MuiError};

/// The apex of RFC 6116.
pub const DEFAULT_APEX: &str = "e164.arpa";
/// ITU-T E.164 §6: at most 15 digits, country code included.
pub const MAX_DIGITS: usize = 15;
/// The suite's minimum: a country code and at least one more digit.
pub const MIN_DIGITS: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnumError {
    #[error("the number is empty")]
    Empty,
    #[error("an E.164 number is written with a leading \"+\"")]
    MissingPlus,
    #[error("{ch:?} at offset {offset} is not a digit or a visual separator")]
    InvalidChar { offset: usize, ch: char },
    #[error("{count} digits; an E.164 number has at least 2")]
    TooFewDigits { count: usize },
    #[error("{count} digits; an E.164 number has at most 15")]
    TooManyDigits { count: usize },
    #[error("no E.164 country code starts with 0")]
    BadCountryCode,
    #[error("the apex is not a valid domain name: {0}")]
    BadApex(MuiError),
    #[error("the ENUM domain has {len} octets; names are 253 octets or less")]
    NameTooLong { len: usize },
}

impl EnumError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "discovery.enum.empty",
            Self::MissingPlus => "discovery.enum.missing_plus",
            Self::InvalidChar { .. } => "discovery.enum.invalid_char",
            Self::TooFewDigits { .. } => "discovery.enum.too_few_digits",
            Self::TooManyDigits { .. } => "discovery.enum.too_many_digits",
            Self::BadCountryCode => "discovery.enum.bad_country_code",
            Self::BadApex(_) => "discovery.enum.bad_apex",
            Self::NameTooLong { .. } => "discovery.enum.name_too_long",
        }
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')')
}

/// The digits of the number (its Application Unique String without `"+"`).
pub fn digits(number: &str) -> Result<String, EnumError> {
    let mut plus = false;
    let mut digits = String::new();
    for (offset, ch) in number.char_indices() {
        match ch {
            c if is_separator(c) => {}
            '+' if !plus => plus = true,
            '0'..='9' if plus => digits.push(ch),
            '0'..='9' => return Err(EnumError::MissingPlus),
            _ => return Err(EnumError::InvalidChar { offset, ch }),
        }
    }
    if !plus {
        return Err(EnumError::Empty);
    }
    let count = digits.len();
    if count < MIN_DIGITS {
        return Err(EnumError::TooFewDigits { count });
    }
    if count > MAX_DIGITS {
        return Err(EnumError::TooManyDigits { count });
    }
    if digits.starts_with('0') {
        return Err(EnumError::BadCountryCode);
    }
    Ok(digits)
}

/// The ENUM domain of `number` under `apex` (default [`DEFAULT_APEX`]).
pub fn domain(number: &str, apex: Option<&str>) -> Result<String, EnumError> {
    let digits = digits(number)?;
    let apex = match apex {
        None => DEFAULT_APEX.to_owned(),
        Some(apex) => mui::canonical_name(apex).map_err(EnumError::BadApex)?,
    };
    let mut name = String::with_capacity(digits.len() * 2 + apex.len());
    for d in digits.chars().rev() {
        name.push(d);
        name.push('.');
    }
    name.push_str(&apex);
    if name.len() > mui::MAX_NAME_OCTETS {
        return Err(EnumError::NameTooLong { len: name.len() });
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(number: &str) -> &'static str {
        match domain(number, None) {
            Err(e) => e.code(),
            Ok(d) => panic!("{number:?} gave {d:?}"),
        }
    }

    #[test]
    fn rfc_6116_example() {
        assert_eq!(
            domain("+442079460148", None).as_deref(),
            Ok("8.4.1.0.6.4.9.7.0.2.4.4.e164.arpa")
        );
        assert_eq!(
            domain("+44-116-496-0348", None).as_deref(),
            Ok("8.4.3.0.6.9.4.6.1.1.4.4.e164.arpa")
        );
        assert_eq!(
            domain("+1 (555) 123-4567", Some("E164.Example.NET.")).as_deref(),
            Ok("7.6.5.4.3.2.1.5.5.5.1.e164.example.net")
        );
    }

    #[test]
    fn faults() {
        assert_eq!(code(""), "discovery.enum.empty");
        assert_eq!(code(" - "), "discovery.enum.empty");
        assert_eq!(code("442079460148"), "discovery.enum.missing_plus");
        assert_eq!(code("++44"), "discovery.enum.invalid_char");
        assert_eq!(code("+1-800-FLOWERS"), "discovery.enum.invalid_char");
        assert_eq!(code("+"), "discovery.enum.too_few_digits");
        assert_eq!(code("+1"), "discovery.enum.too_few_digits");
        assert_eq!(code("+1234567890123456"), "discovery.enum.too_many_digits");
        assert_eq!(code("+0123"), "discovery.enum.bad_country_code");
        assert_eq!(
            domain("+12", Some("a..b")).map_err(|e| e.code()),
            Err("discovery.enum.bad_apex")
        );
    }

    #[test]
    fn never_panics() {
        const ALPHABET: &[&str] = &[
            "+", "0", "4", "9", " ", "-", ".", "(", ")", "x", "＋", "４", "\t",
        ];
        let mut g = crate::testgen::Gen::new(0xD1B5_4A32_D192_ED03);
        for _ in 0..20_000 {
            let text = g.string(ALPHABET, 23);
            let _ = domain(&text, None);
            let _ = domain("+442079460148", Some(&text));
        }
    }
}
