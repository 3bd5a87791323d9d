//! Ops of the `discovery` family (mimi-discovery).

use super::OpSpec;

pub(super) const OPS: &[OpSpec] = &[];
