//! mimi-discovery: draft-bertola-mimi-discovery-00, the parts that need no DNS.
//!
//! - [`mssi`]: the MSSSI definition string of §4.3 (a DKIM tag-list,
//!   RFC 6376 §3.2) carried by MIMI records.
//! - [`mui`]: the MUI of §4.1, an FQDN (possibly an IDN, possibly in the
//!   `mimi:` URI form) to its canonical A-label form.
//! - [`enum_domain`]: a telephone number to its ENUM domain (§5.2.1,
//!   RFC 6116).
//! - [`email`]: an email address and a MIMIX target to the MUI of §5.1.1.
//!
//! Where the draft is ambiguous the choice taken is recorded in the
//! ambiguity register under `DISCOVERY-*`; the module docs name the entry.

pub mod dns;
pub mod email;
pub mod enum_domain;
pub mod mssi;
pub mod mui;
pub mod resolve;

pub use email::EmailError;
pub use enum_domain::EnumError;
pub use mssi::{MssiError, MssiRecord, Parsed as MssiParsed};
pub use mui::MuiError;
