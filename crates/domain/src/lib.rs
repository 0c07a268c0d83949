//! Pure domain types and rules of msohub.
//!
//! This crate owns the vocabulary every other room speaks: languages, roles,
//! validated value types. It does no IO and knows nothing of async, so its
//! rules can be unit- and property-tested in isolation. Lower rooms never
//! import higher ones: `domain` imports none of ours.

#[macro_use]
mod macros;

pub mod account;
pub mod bodies;
pub mod error;
pub mod files;
pub mod language;
pub mod offers;
pub mod organisation;
pub mod work;

pub use account::{EmailAddress, NewPassword, Permission, Role};
pub use error::Error;
pub use language::Language;
