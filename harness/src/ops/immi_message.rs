//! Ops of the `immi` family for whole messages (immi-content §3-§5):
//! message parse and build, DateTime, negotiation, conversations.

use super::OpSpec;

pub(super) const OPS: &[OpSpec] = &[];
