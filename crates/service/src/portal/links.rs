//! Signing in without a password: "send me a sign-in link". The link works
//! once, for 15 minutes; asking for one gives the same answer whether or
//! not the address has an account, and is limited per client (an IPv4
//! address or an IPv6 /64) and per typed address.
//!
//! Links are for representatives: staff keep their password and second
//! factor. An account with a second factor still gives it after the link.

use super::mails;
use crate::accounts::{LoginOutcome, client_of, login::actor_of, login::throttle_key};
use crate::secrets::{digest, random_token};
use crate::{Error, Services, Via};
use chrono::{Duration, Utc};
use msohub_domain::Role;
use msohub_store::portal::{self as store, SignInLinkRow};
use msohub_store::throttle;
use msohub_store::users;

/// How long a sign-in link works.
pub const VALID_MINUTES: i64 = 15;
/// Links per typed address, and per client, within [`WINDOW_MINUTES`].
pub const PER_ADDRESS: i32 = 3;
pub const PER_CLIENT: i32 = 10;
pub const WINDOW_MINUTES: i64 = 15;

impl Services {
    /// Counts one request for `key`; `TooManyAttempts` past `limit` in the
    /// window (the count starts again after a quiet window).
    async fn count_request(&self, key: &str, limit: i32) -> Result<(), Error> {
        let now = Utc::now();
        let conn = self.store.conn();
        if let Some(t) = throttle::find(conn, key).await? {
            if let Some(until) = t.locked_until.filter(|u| *u > now) {
                return Err(Error::TooManyAttempts((until - now).num_seconds().max(1)));
            }
            if t.updated_at < now - Duration::minutes(WINDOW_MINUTES) {
                throttle::clear(conn, key, now).await?;
            }
        }
        let n = throttle::add_failure(conn, key, now).await?;
        if n >= limit {
            throttle::lock(conn, key, Some(now + Duration::minutes(WINDOW_MINUTES))).await?;
        }
        Ok(())
    }

    /// Sends a sign-in link to a representative's address. The answer is
    /// the same for every address; `TooManyAttempts` when this client or
    /// this address asked too often.
    pub async fn request_sign_in_link(&self, email: &str, ip: Option<&str>) -> Result<(), Error> {
        let normalised = email.trim().to_lowercase();
        let client = client_of(ip);
        let _turn = self.attempt_locks.lock(&format!("link {normalised}")).await;
        self.count_request(&throttle_key("link-client", &client), PER_CLIENT)
            .await?;
        self.count_request(&throttle_key("link-email", &normalised), PER_ADDRESS)
            .await?;
        let conn = self.store.conn();
        let Some(user) = users::find_user_by_email(conn, &normalised)
            .await?
            .filter(|u| u.disabled_at.is_none() && u.role == Role::Representative.as_str())
        else {
            return Ok(());
        };
        let now = Utc::now();
        if store::count_sign_in_links(conn, user.id, now - Duration::minutes(WINDOW_MINUTES))
            .await?
            >= PER_ADDRESS as u64
        {
            return Ok(());
        }
        let token = random_token(32);
        let link = format!(
            "{}/portal/{}/link/{token}",
            self.public_url(),
            user.language
        );
        let office = self.office().await?.name;
        let (subject, text) = mails::sign_in_link(&user.language, &office, &link);
        let tx = self.store.begin().await?;
        store::insert_sign_in_link(
            &tx,
            SignInLinkRow {
                token_hash: digest(&token),
                user_id: user.id,
                created_at: now,
                expires_at: now + Duration::minutes(VALID_MINUTES),
                used_at: None,
            },
        )
        .await?;
        self.enqueue_mail(&tx, &user.email, &subject, &text).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Signs in with a link: once, within 15 minutes, for an account still
    /// active. `None` for a link that is unknown, used or expired.
    pub async fn sign_in_with_link(
        &self,
        token: &str,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<Option<LoginOutcome>, Error> {
        let now = Utc::now();
        let tx = self.store.begin().await?;
        let Some(user_id) = store::use_sign_in_link(&tx, &digest(token), now).await? else {
            tx.commit().await.map_err(msohub_store::Error::from)?;
            return Ok(None);
        };
        let Some(row) = users::find_user(&tx, user_id)
            .await?
            .filter(|u| u.disabled_at.is_none())
        else {
            tx.commit().await.map_err(msohub_store::Error::from)?;
            return Ok(None);
        };
        let actor = actor_of(&row, Via::Session, ip.clone());
        let outcome = self
            .open_session(&tx, &row, &actor, ip, user_agent, "link")
            .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(Some(outcome))
    }
}
