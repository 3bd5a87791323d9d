//! pep-message-2: the p≡p page "Email Messages, MIME, and Message 2.0",
//! with RFC 3156 (OpenPGP/MIME) underneath.
//!
//! - [`version`]: which message format to send a peer (1.0, 2.0, 2.1).
//! - [`wrap`]: a plain RFC 5322 message to the message p≡p sends.
//! - [`unwrap`]: an encrypted message to the message as the user reads it,
//!   and the outer structure of an encrypted message.
//! - [`header`]: header field values (unfolding, RFC 2047).
//! - [`openpgp`]: the only module that touches the OpenPGP crate.
//!
//! The page has no numbered sections; vectors cite its section names
//! (`HEADERS-MIME-AND-ENCRYPTED-PAYLOADS`, `THE-ENCRYPTED-MESSAGE`,
//! `MESSAGE-2-1`). Where the page is silent, ambiguous or contradicts
//! itself, the choice taken is recorded in the ambiguity register under
//! `PEP-*`, and the module docs name the entry. Nothing here panics on any
//! input; multipart nesting is bounded.

pub mod header;
pub mod openpgp;
pub mod unwrap;
pub mod version;
pub mod wrap;

pub use openpgp::{PublicKey, SecretKey, SignatureStatus};
pub use unwrap::{Node, Structure, Unwrapped};
pub use version::Version;

use crate::application_mime::MimeError;

/// At most this many nested multipart levels are read in a message.
pub const MAX_DEPTH: usize = 16;

/// The placeholder subject: "p≡p" (70 E2 89 A1 70).
pub const PLACEHOLDER_SUBJECT: &str = "p\u{2261}p";

/// The header on a 2.1 inner message (and the name of the 2.0 body marker
/// line): PEP-WRAPPED-INFO-NAME.
pub const WRAPPED_INFO_HEADER: &str = "X-pEp-Wrapped-Message-Info";

/// The header that carries the sender's fingerprint on a 2.1 inner message.
pub const SENDER_FPR_HEADER: &str = "X-pEp-Sender-FPR";

/// The header that carries the p≡p protocol version a client speaks.
pub const VERSION_HEADER: &str = "X-pEp-Version";

/// The p≡p protocol version the reference speaks and writes in
/// X-pEp-Version.
pub const OWN_VERSION: &str = "2.1";

/// Every way a pep-message-2 operation rejects its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PepError {
    #[error("the message version must be 1.0, 2.0 or 2.1")]
    UnknownWrapVersion,
    #[error("bad key: {0}")]
    BadKey(&'static str),
    #[error("the OpenPGP operation failed: {0}")]
    Crypto(&'static str),
    #[error("the message is not well-formed MIME: {0}")]
    Malformed(MimeError),
    #[error("the message is not multipart/encrypted")]
    NotEncrypted,
    #[error("the protocol parameter is not \"application/pgp-encrypted\"")]
    BadProtocol,
    #[error("the first part is not application/pgp-encrypted")]
    MissingPgpEncrypted,
    #[error("the application/pgp-encrypted part has no \"Version: 1\" field")]
    BadVersion,
    #[error("the second part is not application/octet-stream")]
    MissingOctetStream,
    #[error("multipart/encrypted has more than two parts")]
    PartCount,
    #[error("the message is not encrypted to the given key")]
    WrongKey,
    #[error("the ciphertext cannot be decrypted: {0}")]
    BadCiphertext(&'static str),
    #[error("the plaintext is larger than the reference reads")]
    TooLarge,
    #[error("the decrypted data is not a MIME entity: {0}")]
    BadPlaintext(MimeError),
    #[error("multiparts are nested deeper than {MAX_DEPTH}")]
    TooDeep,
    #[error(
        "compressed data packets are nested deeper than {}",
        openpgp::MAX_COMPRESSION_LAYERS
    )]
    TooCompressed,
    #[error("wrapped-message info {0:?} is not a value known where it stands")]
    BadWrappedInfo(String),
    #[error("the outer message says OUTER but holds no message/rfc822 part")]
    MissingInner,
}

impl PepError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownWrapVersion => "pep.wrap.unknown_version",
            Self::BadKey(_) => "pep.key.bad_key",
            Self::Crypto(_) => "pep.crypto.failed",
            Self::Malformed(_) => "pep.message.malformed",
            Self::NotEncrypted => "pep.message.not_encrypted",
            Self::BadProtocol => "pep.message.bad_protocol",
            Self::MissingPgpEncrypted => "pep.message.missing_pgp_encrypted",
            Self::BadVersion => "pep.message.bad_version",
            Self::MissingOctetStream => "pep.message.missing_octet_stream",
            Self::PartCount => "pep.message.part_count",
            Self::WrongKey => "pep.message.wrong_key",
            Self::BadCiphertext(_) => "pep.message.bad_ciphertext",
            Self::TooLarge => "pep.message.too_large",
            Self::BadPlaintext(_) => "pep.message.bad_plaintext",
            Self::TooDeep => "pep.message.too_deep",
            Self::TooCompressed => "pep.message.too_compressed",
            Self::BadWrappedInfo(_) => "pep.message.bad_wrapped_info",
            Self::MissingInner => "pep.message.missing_inner",
        }
    }
}

impl From<MimeError> for PepError {
    fn from(e: MimeError) -> Self {
        match e {
            MimeError::MultipartTooDeep => Self::TooDeep,
            e => Self::Malformed(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_dotted() {
        let all = [
            PepError::UnknownWrapVersion,
            PepError::BadKey(""),
            PepError::Crypto(""),
            PepError::Malformed(MimeError::BadHeader),
            PepError::NotEncrypted,
            PepError::BadProtocol,
            PepError::MissingPgpEncrypted,
            PepError::BadVersion,
            PepError::MissingOctetStream,
            PepError::PartCount,
            PepError::WrongKey,
            PepError::BadCiphertext(""),
            PepError::TooLarge,
            PepError::BadPlaintext(MimeError::BadHeader),
            PepError::TooDeep,
            PepError::TooCompressed,
            PepError::BadWrappedInfo(String::new()),
            PepError::MissingInner,
        ];
        let mut codes: Vec<&str> = all.iter().map(PepError::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("pep.")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert_eq!(
            PepError::from(MimeError::MultipartTooDeep),
            PepError::TooDeep
        );
        assert_eq!(
            PepError::from(MimeError::BadHeader).code(),
            "pep.message.malformed"
        );
        assert_eq!(PLACEHOLDER_SUBJECT.as_bytes(), b"p\xe2\x89\xa1p");
    }
}
