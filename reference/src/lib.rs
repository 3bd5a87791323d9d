//! The in-tree reference implementation of the documents mimispec tests.
//!
//! A pure library: it knows nothing of YAML, JSON or the harness. Modules
//! follow the documents (see `../shared/seeds/README.md` for short names):
//! [`immi`] is immi-content. Every fallible entry point returns an error
//! whose `code()` is a stable dotted string; vectors assert on codes, never
//! on Display text.

pub mod application_mime;
pub mod discovery;
pub mod immi;
pub mod pep;

/// The generator of the no-panic and property tests (not API: public for
/// `tests/` only).
#[doc(hidden)]
pub mod testgen;
