//! Accounts: signing in and out, sessions, the second factor, API tokens, and
//! the administration of users.
//!
//! Invariants: passwords, session ids, tokens and recovery codes are stored
//! only as hashes; a disabled account has no live sessions and its tokens are
//! refused; there is always at least one enabled admin; every change to an
//! account is in the audit log, without secrets.

pub(crate) mod login;
mod tokens;
mod users;

pub use login::{LoginOutcome, SessionState, client_of};
pub use tokens::{ApiToken, NewApiToken};
pub use users::{FORMS_OF_ADDRESS, NewUser, TotpEnrolment, UserChange};

use chrono::{DateTime, Duration, Utc};
use msohub_domain::Role;
use msohub_store::users::UserRow;
use serde::Serialize;
use uuid::Uuid;

/// Limits of sessions and login attempts. Configurable per instance.
#[derive(Debug, Clone)]
pub struct AuthPolicy {
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute_timeout: Duration,
    /// Wrong passwords in a row before the account is slowed down.
    pub free_attempts: i32,
    /// The longest an account is held back after repeated failures.
    pub max_lockout: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        AuthPolicy {
            idle_timeout: Duration::hours(2),
            absolute_timeout: Duration::hours(12),
            free_attempts: 5,
            max_lockout: Duration::minutes(15),
        }
    }
}

impl AuthPolicy {
    /// How long the account waits after `failures` wrong passwords in a row:
    /// nothing for the first few, then 1 s, 2 s, 4 s … up to `max_lockout`.
    /// The tenth wrong password in a row costs 32 s; an attacker gets a few
    /// hundred guesses a day instead of millions.
    pub fn lockout_after(&self, failures: i32) -> Option<Duration> {
        let over = failures - self.free_attempts;
        if over < 0 {
            return None;
        }
        let seconds = 1i64.checked_shl(over.min(30) as u32).unwrap_or(i64::MAX);
        Some(Duration::seconds(seconds).min(self.max_lockout))
    }
}

/// One turn at a time per key (a typed address, an account's second factor)
/// on this node: a check of a hold and the attempt it allows happen
/// together, so parallel requests cannot all pass a hold before any of
/// them is counted.
#[derive(Default)]
pub(crate) struct KeyedLocks(
    std::sync::Mutex<std::collections::HashMap<String, std::sync::Weak<tokio::sync::Mutex<()>>>>,
);

impl KeyedLocks {
    pub(crate) async fn lock(&self, key: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut map = self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if map.len() > 10_000 {
                map.retain(|_, w| w.strong_count() > 0);
            }
            match map.get(key).and_then(std::sync::Weak::upgrade) {
                Some(l) => l,
                None => {
                    let l = std::sync::Arc::new(tokio::sync::Mutex::new(()));
                    map.insert(key.to_owned(), std::sync::Arc::downgrade(&l));
                    l
                }
            }
        };
        lock.lock_owned().await
    }
}

/// A user account as shown to admins and through the API (no secrets).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    #[schema(value_type = String, example = "staff")]
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// How an anonymous report names the person: `f` ("eine Mitarbeiterin
    /// des KI"), `m` ("ein Mitarbeiter des KI") or empty ("eine Person aus
    /// dem KI-Team").
    #[schema(example = "f")]
    pub form_of_address: String,
    pub version: i32,
}

impl From<&UserRow> for User {
    fn from(r: &UserRow) -> Self {
        User {
            id: r.id,
            email: r.email.clone(),
            display_name: r.display_name.clone(),
            role: r.role.parse().unwrap_or(Role::Auditor),
            organisation_id: r.organisation_id,
            disabled: r.disabled_at.is_some(),
            must_change_password: r.must_change_password,
            totp_enabled: r.totp_enabled_at.is_some(),
            last_login_at: r.last_login_at,
            created_at: r.created_at,
            form_of_address: r.form_of_address.clone(),
            version: r.version,
        }
    }
}

impl User {
    /// What the audit log keeps of an account: the editable facts only.
    pub(crate) fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "email": self.email,
            "display_name": self.display_name,
            "role": self.role,
            "organisation_id": self.organisation_id,
            "disabled": self.disabled,
            "must_change_password": self.must_change_password,
            "totp_enabled": self.totp_enabled,
            "form_of_address": self.form_of_address,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_grows_and_is_capped() {
        let p = AuthPolicy::default();
        assert_eq!(p.lockout_after(4), None);
        assert_eq!(p.lockout_after(5), Some(Duration::seconds(1)));
        assert_eq!(p.lockout_after(10), Some(Duration::seconds(32)));
        assert_eq!(p.lockout_after(20), Some(Duration::minutes(15)));
        assert_eq!(p.lockout_after(10_000), Some(Duration::minutes(15)));
    }
}
