//! Ops of the `immi` family for groups: MIME type negotiation (§3.2,
//! §5.3) and the conversation a receiving client shows (§4).

use super::OpSpec;

pub(super) const OPS: &[OpSpec] = &[];
