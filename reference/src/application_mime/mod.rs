//! application-mime: draft-crocker-wrap-02, "Wrapping MIME Objects:
//! Application/MIME", and the small part of MIME (RFC 2045, RFC 2046,
//! RFC 2231) it rests on.
//!
//! - [`content_type`]: a Content-Type field value (RFC 2045 §5.1) with
//!   quoted-strings, comments, folding and RFC 2231 parameters.
//! - [`entity`]: a MIME entity's header section and body.
//! - [`encoding`]: base64 and quoted-printable (RFC 2045 §6.7, §6.8).
//! - [`multipart`]: multipart bodies (RFC 2046 §5.1.1).
//! - [`wrapper`]: wrapping and unwrapping application/mime.
//! - [`gateway`]: what a well-behaved gateway does to a message, and the
//!   lists of parts used to check it.
//!
//! The draft has no numbered sections; vectors cite its section names.
//! Where the draft is ambiguous or contradicts itself, the choice taken is
//! recorded in the ambiguity register under `AMIME-*`; the module docs name
//! the entry. Nothing here panics on any input, and every nesting has a
//! bound that yields an error code.

pub mod content_type;
pub mod encoding;
pub mod entity;
pub mod gateway;
pub mod multipart;
pub mod wrapper;

pub use content_type::ContentType;
pub use entity::Entity;
pub use gateway::{Action, PartInfo};
pub use multipart::Multipart;
pub use wrapper::{Unwrapped, WrapperView};

/// At most this many application/mime layers are unwrapped (the draft's
/// SECURITY CONSIDERATIONS: recursive processing); AMIME-RECURSION-BOUND.
pub const MAX_WRAP_DEPTH: usize = 8;
/// At most this many nested multipart levels are walked.
pub const MAX_MULTIPART_DEPTH: usize = 16;
/// At most this many nested comments in a structured field value.
pub const MAX_COMMENT_DEPTH: usize = 16;

/// Every way an application-mime operation rejects its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MimeError {
    // Content-Type field values (RFC 2045 §5.1, RFC 2231).
    #[error("the Content-Type value is empty")]
    Empty,
    #[error("a Content-Type value starts with a type token")]
    BadType,
    #[error("the type is followed by \"/\" and a subtype")]
    MissingSlash,
    #[error("the subtype is not a token")]
    BadSubtype,
    #[error("a \";\" must separate parameters")]
    ExpectedSemicolon,
    #[error("a parameter name is not a token (or not a valid RFC 2231 name)")]
    BadParameterName,
    #[error("a parameter name is followed by \"=\"")]
    MissingEquals,
    #[error("a parameter value is a token or a quoted-string")]
    BadValue,
    #[error("a quoted-string has no closing quote")]
    UnterminatedQuotedString,
    #[error("a comment has no closing parenthesis")]
    UnterminatedComment,
    #[error("comments are nested deeper than {MAX_COMMENT_DEPTH}")]
    CommentTooDeep,
    #[error("parameter {0:?} is given more than once")]
    DuplicateParameter(String),
    #[error("the RFC 2231 sections of parameter {0:?} are not 0, 1, 2, ...")]
    BadContinuation(String),
    #[error("an RFC 2231 extended value is malformed")]
    BadExtendedValue,
    #[error("charset {0:?} is not supported")]
    UnknownCharset(String),
    #[error("an RFC 2231 value is not valid in its charset")]
    BadCharsetData,
    #[error("a header field value holds a non-ASCII octet")]
    NonAscii,
    #[error("a CR or LF that is not part of a fold (CRLF followed by WSP)")]
    BadFolding,

    // Entities (RFC 2045 §3, RFC 5322 §2.2).
    #[error("a header line is not a field (name \":\" value) or a continuation")]
    BadHeader,
    #[error("a header line does not end with CRLF")]
    BadLineEnd,
    #[error("header field {0} occurs more than once")]
    DuplicateField(String),
    #[error("the entity has no Content-Type header field")]
    MissingContentType,

    // Transfer encodings (RFC 2045 §6).
    #[error("unknown Content-Transfer-Encoding {0:?}")]
    UnknownTransferEncoding(String),
    #[error("the body is not valid base64")]
    BadBase64,
    #[error("the body is not valid quoted-printable")]
    BadQuotedPrintable,

    // Multipart bodies (RFC 2046 §5.1).
    #[error("the entity is not of type multipart")]
    NotMultipart,
    #[error("a multipart Content-Type has no boundary parameter")]
    MissingBoundary,
    #[error("the boundary is not 1 to 70 bchars ending in a non-space")]
    BadBoundary,
    #[error("a multipart entity may only be 7bit, 8bit or binary")]
    CompositeTransferEncoding,
    #[error("the body has no dash-boundary line opening a body part")]
    MissingDelimiter,
    #[error("the body has no close-delimiter")]
    MissingCloseDelimiter,
    #[error("a line of a body part starts with the dash-boundary but is no delimiter line")]
    BoundaryInPart,
    #[error("multiparts are nested deeper than {MAX_MULTIPART_DEPTH}")]
    MultipartTooDeep,

    // application/mime.
    #[error("the entity is not application/mime")]
    NotApplicationMime,
    #[error("the application/mime wrapper has no content-type parameter")]
    MissingContentTypeParameter,
    #[error("the content-type parameter is not \"type/subtype\"")]
    BadContentTypeParameter,
    #[error("the content-type parameter names {wrapper}, the contained object is {inner}")]
    TypeMismatch { wrapper: String, inner: String },
    #[error("the wrapper's parameters do not replicate the contained object's")]
    ParameterMismatch,
    #[error("the contained data is not a MIME entity with a Content-Type")]
    InnerNotMime,
    #[error("more than {MAX_WRAP_DEPTH} application/mime layers")]
    UnwrapTooDeep,
    #[error("the contained object has a parameter named content-type")]
    ParameterCollision,
    #[error("wrapping would make more than {MAX_WRAP_DEPTH} application/mime layers")]
    WrapTooDeep,
}

impl MimeError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "application_mime.content_type.empty",
            Self::BadType => "application_mime.content_type.bad_type",
            Self::MissingSlash => "application_mime.content_type.missing_slash",
            Self::BadSubtype => "application_mime.content_type.bad_subtype",
            Self::ExpectedSemicolon => "application_mime.content_type.expected_semicolon",
            Self::BadParameterName => "application_mime.content_type.bad_parameter_name",
            Self::MissingEquals => "application_mime.content_type.missing_equals",
            Self::BadValue => "application_mime.content_type.bad_value",
            Self::UnterminatedQuotedString => {
                "application_mime.content_type.unterminated_quoted_string"
            }
            Self::UnterminatedComment => "application_mime.content_type.unterminated_comment",
            Self::CommentTooDeep => "application_mime.content_type.comment_too_deep",
            Self::DuplicateParameter(_) => "application_mime.content_type.duplicate_parameter",
            Self::BadContinuation(_) => "application_mime.content_type.bad_continuation",
            Self::BadExtendedValue => "application_mime.content_type.bad_extended_value",
            Self::UnknownCharset(_) => "application_mime.content_type.unknown_charset",
            Self::BadCharsetData => "application_mime.content_type.bad_charset_data",
            Self::NonAscii => "application_mime.content_type.non_ascii",
            Self::BadFolding => "application_mime.content_type.bad_folding",
            Self::BadHeader => "application_mime.entity.bad_header",
            Self::BadLineEnd => "application_mime.entity.bad_line_end",
            Self::DuplicateField(_) => "application_mime.entity.duplicate_field",
            Self::MissingContentType => "application_mime.entity.missing_content_type",
            Self::UnknownTransferEncoding(_) => "application_mime.transfer_encoding.unknown",
            Self::BadBase64 => "application_mime.transfer_encoding.bad_base64",
            Self::BadQuotedPrintable => "application_mime.transfer_encoding.bad_quoted_printable",
            Self::NotMultipart => "application_mime.multipart.not_multipart",
            Self::MissingBoundary => "application_mime.multipart.missing_boundary",
            Self::BadBoundary => "application_mime.multipart.bad_boundary",
            Self::CompositeTransferEncoding => "application_mime.multipart.bad_transfer_encoding",
            Self::MissingDelimiter => "application_mime.multipart.missing_delimiter",
            Self::MissingCloseDelimiter => "application_mime.multipart.missing_close_delimiter",
            Self::BoundaryInPart => "application_mime.multipart.boundary_in_part",
            Self::MultipartTooDeep => "application_mime.multipart.too_deep",
            Self::NotApplicationMime => "application_mime.wrapper.not_application_mime",
            Self::MissingContentTypeParameter => {
                "application_mime.wrapper.missing_content_type_parameter"
            }
            Self::BadContentTypeParameter => "application_mime.wrapper.bad_content_type_parameter",
            Self::TypeMismatch { .. } => "application_mime.unwrap.type_mismatch",
            Self::ParameterMismatch => "application_mime.unwrap.parameter_mismatch",
            Self::InnerNotMime => "application_mime.unwrap.inner_not_mime",
            Self::UnwrapTooDeep => "application_mime.unwrap.too_deep",
            Self::ParameterCollision => "application_mime.wrap.parameter_collision",
            Self::WrapTooDeep => "application_mime.wrap.too_deep",
        }
    }
}
