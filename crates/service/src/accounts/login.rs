//! Signing in (password, then the second factor if enrolled), sessions with
//! idle and absolute timeouts, and signing out.

use super::User;
use crate::secrets::{DUMMY_HASH, digest, random_token, verify_password};
use crate::{Actor, Error, Services, Via, audit, totp};
use chrono::{Duration, Utc};
use msohub_domain::Role;
use msohub_store::users::{self, SessionRow, UserRow};

/// The result of a sign-in attempt.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in; set this token as the session cookie.
    SignedIn { token: String, user: User },
    /// Password right, second factor needed; the token is a pending session.
    NeedsSecondFactor { token: String },
    /// Wrong e-mail or password (deliberately not saying which).
    WrongCredentials,
    /// Right password, but the account is disabled.
    Disabled,
    /// Too many wrong passwords in a row; try again after this many seconds.
    LockedOut { retry_after_seconds: i64 },
}

/// What a session cookie stands for.
#[derive(Debug)]
pub enum SessionState {
    Active(Box<Actor>),
    /// Signed in with the password; the second factor is still missing.
    PendingSecondFactor,
    /// Existed, but timed out (idle or absolute).
    Expired,
    /// Unknown, signed out, or its account is disabled.
    Invalid,
}

/// Touching `last_seen_at` on every request would be a write per request;
/// once a minute is precise enough for a timeout counted in hours.
const TOUCH_EVERY: i64 = 60;

fn actor_of(row: &UserRow, via: Via, ip: Option<String>) -> Actor {
    Actor {
        user_id: Some(row.id),
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        role: row.role.parse().unwrap_or(Role::Auditor),
        organisation_id: row.organisation_id,
        must_change_password: row.must_change_password,
        ip,
        via,
    }
}

/// An actor for audit entries about a login attempt by an unknown person.
fn anonymous(email: &str, ip: Option<String>) -> Actor {
    Actor {
        user_id: None,
        email: email.chars().take(254).collect(),
        display_name: String::new(),
        role: Role::Auditor,
        organisation_id: None,
        must_change_password: false,
        ip,
        via: Via::Session,
    }
}

impl Services {
    /// Checks e-mail and password. Failed and successful attempts are audited.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<LoginOutcome, Error> {
        let now = Utc::now();
        let normalised = email.trim().to_lowercase();
        let row = users::find_user_by_email(self.store.conn(), &normalised).await?;
        let Some(row) = row else {
            // Same work as for a real account, so timing reveals nothing.
            let _ = verify_password(password.to_owned(), DUMMY_HASH.clone()).await;
            self.audit_login(
                &anonymous(&normalised, ip),
                "unknown",
                "login_failed",
                "unknown account",
            )
            .await?;
            return Ok(LoginOutcome::WrongCredentials);
        };
        if let Some(until) = row.locked_until
            && until > now
        {
            let actor = actor_of(&row, Via::Session, ip);
            self.audit_login(&actor, &row.id.to_string(), "login_refused", "locked")
                .await?;
            return Ok(LoginOutcome::LockedOut {
                retry_after_seconds: (until - now).num_seconds().max(1),
            });
        }
        let actor = actor_of(&row, Via::Session, ip.clone());
        if !verify_password(password.to_owned(), row.password_hash.clone()).await? {
            let failures = row.failed_logins.saturating_add(1);
            let locked_until = self.policy.lockout_after(failures).map(|d| now + d);
            users::set_login_state(self.store.conn(), row.id, failures, locked_until, None).await?;
            self.audit_login(
                &actor,
                &row.id.to_string(),
                "login_failed",
                "wrong password",
            )
            .await?;
            return Ok(LoginOutcome::WrongCredentials);
        }
        if row.disabled_at.is_some() {
            self.audit_login(&actor, &row.id.to_string(), "login_refused", "disabled")
                .await?;
            return Ok(LoginOutcome::Disabled);
        }
        let pending = row.totp_enabled_at.is_some();
        let token = random_token(32);
        let tx = self.store.begin().await?;
        users::set_login_state(&tx, row.id, 0, None, (!pending).then_some(now)).await?;
        users::insert_session(
            &tx,
            SessionRow {
                id: digest(&token),
                user_id: row.id,
                second_factor_pending: pending,
                created_at: now,
                last_seen_at: now,
                expires_at: now + self.policy.absolute_timeout,
                ip: ip.map(|s| s.chars().take(64).collect()),
                user_agent: user_agent.map(|s| s.chars().take(300).collect()),
            },
        )
        .await?;
        let action = if pending {
            "login_password_ok"
        } else {
            "login"
        };
        audit::record(&tx, &actor, "user", row.id, action, None, None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(if pending {
            LoginOutcome::NeedsSecondFactor { token }
        } else {
            LoginOutcome::SignedIn {
                token,
                user: User::from(&row),
            }
        })
    }

    async fn audit_login(
        &self,
        actor: &Actor,
        id: &str,
        action: &str,
        reason: &str,
    ) -> Result<(), Error> {
        audit::record(
            self.store.conn(),
            actor,
            "user",
            id,
            action,
            None,
            Some(serde_json::json!({ "reason": reason })),
        )
        .await?;
        Ok(())
    }

    /// Completes a pending sign-in with a TOTP code or a recovery code.
    /// Wrong codes count like wrong passwords.
    pub async fn verify_second_factor(&self, token: &str, code: &str) -> Result<bool, Error> {
        let now = Utc::now();
        let id = digest(token);
        let Some(session) = users::find_session(self.store.conn(), &id).await? else {
            return Ok(false);
        };
        let Some(row) = users::find_user(self.store.conn(), session.user_id).await? else {
            return Ok(false);
        };
        if !session.second_factor_pending || session.expires_at < now || row.disabled_at.is_some() {
            return Ok(false);
        }
        if let Some(until) = row.locked_until
            && until > now
        {
            return Ok(false);
        }
        let actor = actor_of(&row, Via::Session, session.ip.clone());
        let totp_ok = row
            .totp_secret
            .as_deref()
            .is_some_and(|s| totp::verify(s, code, now.timestamp()));
        let tx = self.store.begin().await?;
        let ok = totp_ok
            || users::use_recovery_code(&tx, row.id, &digest(&normalise_recovery(code)), now)
                .await?;
        if ok {
            users::complete_second_factor(&tx, &id).await?;
            users::set_login_state(&tx, row.id, 0, None, Some(now)).await?;
            let how = if totp_ok { "totp" } else { "recovery_code" };
            audit::record(
                &tx,
                &actor,
                "user",
                row.id,
                "login",
                None,
                Some(serde_json::json!({ "second_factor": how })),
            )
            .await?;
        } else {
            let failures = row.failed_logins.saturating_add(1);
            users::set_login_state(
                &tx,
                row.id,
                failures,
                self.policy.lockout_after(failures).map(|d| now + d),
                None,
            )
            .await?;
            audit::record(
                &tx,
                &actor,
                "user",
                row.id,
                "login_failed",
                None,
                Some(serde_json::json!({ "reason": "wrong second factor" })),
            )
            .await?;
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(ok)
    }

    /// Resolves a session cookie, enforcing the idle and absolute timeouts.
    pub async fn session(&self, token: &str, ip: Option<String>) -> Result<SessionState, Error> {
        let now = Utc::now();
        let id = digest(token);
        let Some(session) = users::find_session(self.store.conn(), &id).await? else {
            return Ok(SessionState::Invalid);
        };
        if session.expires_at <= now || session.last_seen_at + self.policy.idle_timeout <= now {
            users::delete_session(self.store.conn(), &id).await?;
            return Ok(SessionState::Expired);
        }
        let Some(row) = users::find_user(self.store.conn(), session.user_id).await? else {
            return Ok(SessionState::Invalid);
        };
        if row.disabled_at.is_some() {
            users::delete_session(self.store.conn(), &id).await?;
            return Ok(SessionState::Invalid);
        }
        if session.second_factor_pending {
            return Ok(SessionState::PendingSecondFactor);
        }
        if now - session.last_seen_at > Duration::seconds(TOUCH_EVERY) {
            users::touch_session(self.store.conn(), &id, now).await?;
        }
        Ok(SessionState::Active(Box::new(actor_of(
            &row,
            Via::Session,
            ip,
        ))))
    }

    /// Ends a session (sign-out).
    pub async fn logout(&self, token: &str, actor: Option<&Actor>) -> Result<(), Error> {
        let tx = self.store.begin().await?;
        users::delete_session(&tx, &digest(token)).await?;
        if let Some(actor) = actor
            && let Some(id) = actor.user_id
        {
            audit::record(&tx, actor, "user", id, "logout", None, None).await?;
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Removes timed-out sessions (run periodically).
    pub async fn purge_expired_sessions(&self) -> Result<u64, Error> {
        let now = Utc::now();
        Ok(
            users::delete_expired_sessions(self.store.conn(), now, now - self.policy.idle_timeout)
                .await?,
        )
    }
}

/// Recovery codes are shown as `abcde-fghij`; accept them with or without
/// the dash, in any case.
pub(crate) fn normalise_recovery(code: &str) -> String {
    code.trim().to_lowercase().replace(['-', ' '], "")
}
