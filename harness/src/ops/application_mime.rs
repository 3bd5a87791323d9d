//! Ops of the `application_mime` family (application-mime).

use super::OpSpec;

pub(super) const OPS: &[OpSpec] = &[];
