//! immi-content: draft-mahy-dispatch-immi-content-00.

pub mod conversation;
pub mod cpim;
pub mod datetime;
pub mod disposition;
pub mod msg_id;
pub mod negotiate;

pub use disposition::{DispositionEntry, DispositionError, Status};
pub use msg_id::{HeaderName, MsgId, MsgIdError};
