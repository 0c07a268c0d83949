//! The error a broken domain rule produces.
//!
//! A rule names the field it concerns and a message key (for the UI's
//! translations), never a finished sentence, so the web room can render it in
//! the user's language.

use std::fmt;

/// A domain rule was broken by a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// The field (or parameter) whose value broke the rule.
    pub field: &'static str,
    /// Stable key of the broken rule, e.g. `language-unknown`.
    pub rule: &'static str,
}

impl Error {
    pub fn new(field: &'static str, rule: &'static str) -> Self {
        Self { field, rule }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}
