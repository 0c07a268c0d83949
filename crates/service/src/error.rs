//! The service layer's error: the one vocabulary every adapter renders.
//!
//! `web` turns it into an HTML page or problem+json, the CLI into a message and
//! an exit code. `Internal` carries its cause for the log only; its text is
//! never shown to a client.

use std::fmt;

/// A problem with one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    /// Stable key of the broken rule; the UI translates it.
    pub rule: String,
}

impl FieldError {
    pub fn new(field: &str, rule: &str) -> FieldError {
        FieldError {
            field: field.to_owned(),
            rule: rule.to_owned(),
        }
    }
}

impl Error {
    /// The record changed since the caller read it (the same conflict a
    /// stale write reports).
    pub fn stale() -> Error {
        msohub_store::Error::Stale.into()
    }

    /// One field's problem.
    pub fn field(field: &str, rule: &str) -> Error {
        Error::Validation(vec![FieldError::new(field, rule)])
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The record changed since the caller read it.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid input: {}", FieldList(.0))]
    Validation(Vec<FieldError>),
    /// Too many failed attempts (sign-in, second factor, password change);
    /// try again after this many seconds.
    #[error("too many attempts; try again in {0} s")]
    TooManyAttempts(i64),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

struct FieldList<'a>(&'a [FieldError]);

impl fmt::Display for FieldList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} ({})", e.field, e.rule)?;
        }
        Ok(())
    }
}

/// The one mapping of store errors: a stale write is a conflict (409, the
/// caller shows the current record), a taken unique value is a field error
/// (422 next to the field), everything else is internal (500, logged).
impl From<msohub_store::Error> for Error {
    fn from(err: msohub_store::Error) -> Self {
        match err {
            msohub_store::Error::Stale => Error::Conflict(
                "the record was changed by someone else; reload to see the change".to_owned(),
            ),
            msohub_store::Error::Taken(field) => Error::field(field, "taken"),
            err => Error::Internal(Box::new(err)),
        }
    }
}

impl From<msohub_domain::Error> for Error {
    fn from(err: msohub_domain::Error) -> Self {
        Error::Validation(vec![FieldError {
            field: err.field.to_owned(),
            rule: err.rule.to_owned(),
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_what_the_caller_can_show() {
        assert!(matches!(
            Error::from(msohub_store::Error::Stale),
            Error::Conflict(_)
        ));
        assert!(matches!(Error::stale(), Error::Conflict(_)));
        match Error::from(msohub_store::Error::Taken("email")) {
            Error::Validation(f) => assert_eq!(f, vec![FieldError::new("email", "taken")]),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Error::from(msohub_store::Error::Backup("x".into())),
            Error::Internal(_)
        ));
    }
}
