//! Signing in (password, then the second factor if enrolled), sessions with
//! idle and absolute timeouts, and signing out.

use super::User;
use crate::secrets::{DUMMY_HASH, digest, random_token, verify_password};
use crate::{Actor, Error, Services, Via, audit, totp};
use chrono::{Duration, Utc};
use msohub_domain::Role;
use msohub_store::throttle;
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

pub(crate) fn actor_of(row: &UserRow, via: Via, ip: Option<String>) -> Actor {
    Actor {
        user_id: Some(row.id),
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        role: row.role.parse().unwrap_or(Role::Auditor),
        organisation_id: row.organisation_id,
        must_change_password: row.must_change_password,
        ip,
        via,
        person_id: row.person_id,
        language: row.language.clone(),
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
        person_id: None,
        language: "de".to_owned(),
    }
}

impl Services {
    /// Checks e-mail and password. Failed and successful attempts are audited.
    ///
    /// Failures are counted per typed address (whether or not an account
    /// has it), so unknown and known addresses get the same answers, work
    /// and slow-down. A typed address that is held back refuses the clients
    /// that failed with it themselves (a client is an IPv4 address or an
    /// IPv6 /64 network); any other client is only delayed, so the right
    /// password from the owner's own address still signs in and nobody can
    /// lock another person out by guessing wrong on purpose. Attempts for
    /// one typed address run one after another on a node, so parallel
    /// requests cannot slip past a hold.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<LoginOutcome, Error> {
        let now = Utc::now();
        let normalised = email.trim().to_lowercase();
        let email_key = throttle_key("email", &normalised);
        let client = client_of(ip.as_deref());
        let pair_key = throttle_key("pair", &format!("{client} {normalised}"));
        let _turn = self.attempt_locks.lock(&email_key).await;
        let conn = self.store.conn();
        let row = users::find_user_by_email(conn, &normalised).await?;
        let audit_as = |row: &Option<UserRow>| match row {
            Some(r) => (actor_of(r, Via::Session, ip.clone()), r.id.to_string()),
            None => (anonymous(&normalised, ip.clone()), "unknown".to_owned()),
        };
        if let Some(until) = throttle::find(conn, &email_key)
            .await?
            .and_then(|t| t.locked_until)
            .filter(|u| *u > now)
        {
            if self.client_failed_recently(&pair_key, now).await? {
                let (actor, id) = audit_as(&row);
                self.audit_login(&actor, &id, "login_refused", "held back")
                    .await?;
                return Ok(LoginOutcome::LockedOut {
                    retry_after_seconds: (until - now).num_seconds().max(1),
                });
            }
            // Another client: it waits (at most two seconds), but is not
            // refused.
            let wait = (until - now).to_std().unwrap_or_default();
            tokio::time::sleep(wait.min(std::time::Duration::from_secs(2))).await;
        }
        // The same work for an unknown address as for a real account.
        let hash = row
            .as_ref()
            .map_or_else(|| DUMMY_HASH.clone(), |r| r.password_hash.clone());
        let right = verify_password(password.to_owned(), hash).await? && row.is_some();
        let row = match row {
            Some(r) if right => r,
            row => {
                let tx = self.store.begin().await?;
                self.count_failure(&tx, &email_key, now).await?;
                throttle::add_failure(&tx, &pair_key, now).await?;
                tx.commit().await.map_err(msohub_store::Error::from)?;
                let (actor, id) = audit_as(&row);
                let reason = if row.is_some() {
                    "wrong password"
                } else {
                    "unknown account"
                };
                self.audit_login(&actor, &id, "login_failed", reason)
                    .await?;
                return Ok(LoginOutcome::WrongCredentials);
            }
        };
        let actor = actor_of(&row, Via::Session, ip.clone());
        if row.disabled_at.is_some() {
            self.audit_login(&actor, &row.id.to_string(), "login_refused", "disabled")
                .await?;
            return Ok(LoginOutcome::Disabled);
        }
        let tx = self.store.begin().await?;
        throttle::clear(&tx, &email_key, now).await?;
        throttle::clear(&tx, &pair_key, now).await?;
        let outcome = self
            .open_session(&tx, &row, &actor, ip, user_agent, "password")
            .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(outcome)
    }

    /// Opens a session for an account whose first factor (password or
    /// sign-in link) was right, inside `tx`: pending the second factor
    /// when it has one.
    pub(crate) async fn open_session(
        &self,
        tx: &msohub_store::Tx,
        row: &UserRow,
        actor: &Actor,
        ip: Option<String>,
        user_agent: Option<String>,
        how: &str,
    ) -> Result<LoginOutcome, Error> {
        let now = Utc::now();
        let pending = row.totp_enabled_at.is_some();
        let token = random_token(32);
        if !pending {
            users::set_last_login(tx, row.id, now).await?;
        }
        users::insert_session(
            tx,
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
        audit::record(
            tx,
            actor,
            "user",
            row.id,
            action,
            None,
            (how != "password").then(|| serde_json::json!({ "by": how })),
        )
        .await?;
        Ok(if pending {
            LoginOutcome::NeedsSecondFactor { token }
        } else {
            LoginOutcome::SignedIn {
                token,
                user: User::from(row),
            }
        })
    }

    /// Whether this client failed with this address within the last hour.
    async fn client_failed_recently(
        &self,
        pair_key: &str,
        now: chrono::DateTime<Utc>,
    ) -> Result<bool, Error> {
        Ok(throttle::find(self.store.conn(), pair_key)
            .await?
            .is_some_and(|t| t.failures > 0 && t.updated_at > now - Duration::hours(1)))
    }

    /// Counts a failure for `key` and holds it back as the policy says.
    pub(crate) async fn count_failure(
        &self,
        c: &impl msohub_store::sea_orm_connection::ConnectionTrait,
        key: &str,
        now: chrono::DateTime<Utc>,
    ) -> Result<(), Error> {
        let failures = throttle::add_failure(c, key, now).await?;
        throttle::lock(c, key, self.policy.lockout_after(failures).map(|d| now + d)).await?;
        Ok(())
    }

    /// `Err(TooManyAttempts)` while `key` is held back.
    pub(crate) async fn refuse_if_held_back(&self, key: &str) -> Result<(), Error> {
        let now = Utc::now();
        match throttle::find(self.store.conn(), key)
            .await?
            .and_then(|t| t.locked_until)
            .filter(|u| *u > now)
        {
            Some(until) => Err(Error::TooManyAttempts((until - now).num_seconds().max(1))),
            None => Ok(()),
        }
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
    /// Wrong codes have their own counter and slow-down, which a right
    /// password does not reset (`TooManyAttempts` while held back); each
    /// TOTP code is accepted once, each recovery code too.
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
        let key = throttle_key("totp", &row.id.to_string());
        let _turn = self.attempt_locks.lock(&key).await;
        self.refuse_if_held_back(&key).await?;
        let actor = actor_of(&row, Via::Session, session.ip.clone());
        let step = row
            .totp_secret
            .as_deref()
            .and_then(|s| totp::matched_step(s, code, now.timestamp()));
        let tx = self.store.begin().await?;
        let totp_ok = match step {
            Some(step) => throttle::use_step(&tx, &key, step, now).await?,
            None => false,
        };
        let ok = totp_ok
            || users::use_recovery_code(&tx, row.id, &digest(&normalise_recovery(code)), now)
                .await?;
        if ok {
            users::complete_second_factor(&tx, &id).await?;
            users::set_last_login(&tx, row.id, now).await?;
            throttle::clear(&tx, &key, now).await?;
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
            self.count_failure(&tx, &key, now).await?;
            audit::record(
                &tx,
                &actor,
                "user",
                row.id,
                "login_failed",
                None,
                Some(serde_json::json!({ "reason": if step.is_some() { "second factor code used before" } else { "wrong second factor" } })),
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

    /// Removes timed-out sessions, and attempt counters untouched for a day
    /// (run periodically).
    pub async fn purge_expired_sessions(&self) -> Result<u64, Error> {
        let now = Utc::now();
        throttle::purge(self.store.conn(), now - Duration::days(1), now).await?;
        Ok(
            users::delete_expired_sessions(self.store.conn(), now, now - self.policy.idle_timeout)
                .await?,
        )
    }
}

/// Who a client is for throttling: its IPv4 address, or the /64 network
/// of its IPv6 address (one connection gets a whole /64, so single IPv6
/// addresses are free to change).
pub fn client_of(ip: Option<&str>) -> String {
    match ip.and_then(|i| i.parse::<std::net::IpAddr>().ok()) {
        Some(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(std::net::IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map_or_else(String::new, |v4| v4.to_string()),
        Some(ip) => ip.to_string(),
        None => ip.unwrap_or("unknown").to_owned(),
    }
}

/// The throttle key of a kind of attempt and what it is about: a hash, so
/// the table holds no typed addresses.
pub(crate) fn throttle_key(kind: &str, value: &str) -> String {
    format!("{kind}:{}", digest(&format!("{kind}:{value}")))
}

/// Recovery codes are shown as `abcde-fghij`; accept them with or without
/// the dash, in any case.
pub(crate) fn normalise_recovery(code: &str) -> String {
    code.trim().to_lowercase().replace(['-', ' '], "")
}
