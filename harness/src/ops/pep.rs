//! Ops of the `pep` family (pep-message-2).

use super::OpSpec;

pub(super) const OPS: &[OpSpec] = &[];
