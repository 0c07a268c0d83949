//! Personal API tokens: for scripts, with the rights of their owner. The
//! token is shown once; only its SHA-256 is stored.

use crate::secrets::{digest, random_token};
use crate::{Actor, Error, FieldError, Services, Via, audit};
use chrono::{DateTime, Duration, Utc};
use msohub_domain::Role;
use msohub_store::users::{self, ApiTokenRow};
use serde::Serialize;
use uuid::Uuid;

/// Every token starts with this, so secret scanners can recognise it.
const PREFIX: &str = "msohub_";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    /// The first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

impl From<&ApiTokenRow> for ApiToken {
    fn from(r: &ApiTokenRow) -> Self {
        ApiToken {
            id: r.id,
            name: r.name.clone(),
            prefix: r.prefix.clone(),
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked: r.revoked_at.is_some(),
        }
    }
}

/// A token just created: `secret` is shown once and never again.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewApiToken {
    pub token: ApiToken,
    pub secret: String,
}

const TOUCH_EVERY: i64 = 60;

impl Services {
    /// Creates a token for `owner` (oneself, or any user for admins/CLI).
    pub async fn create_token(
        &self,
        actor: &Actor,
        owner: Uuid,
        name: &str,
    ) -> Result<NewApiToken, Error> {
        if actor.user_id != Some(owner) {
            actor.require(msohub_domain::Permission::ManageUsers)?;
        }
        // A token would outlive the one-time password it was made with.
        if actor.must_change_password {
            return Err(Error::Forbidden);
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::Validation(vec![FieldError {
                field: "name".to_owned(),
                rule: if name.is_empty() {
                    "required"
                } else {
                    "too-long"
                }
                .to_owned(),
            }]));
        }
        let secret = format!("{PREFIX}{}", random_token(32));
        let row = ApiTokenRow {
            id: Uuid::now_v7(),
            user_id: owner,
            name: name.to_owned(),
            token_hash: digest(&secret),
            prefix: secret.chars().take(PREFIX.len() + 6).collect(),
            created_at: Utc::now(),
            last_used_at: None,
            revoked_at: None,
        };
        let tx = self.store.begin().await?;
        let owner_row = users::find_user(&tx, owner).await?.ok_or(Error::NotFound)?;
        if owner_row.must_change_password {
            return Err(Error::field("owner", "password-change-required"));
        }
        users::insert_token(&tx, row.clone()).await?;
        let token = ApiToken::from(&row);
        audit::record(
            &tx,
            actor,
            "api_token",
            token.id,
            "create",
            None,
            serde_json::to_value(&token).ok(),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(NewApiToken { token, secret })
    }

    pub async fn list_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>, Error> {
        let rows = users::list_tokens_of(self.store.conn(), actor.user()?).await?;
        Ok(rows.iter().map(ApiToken::from).collect())
    }

    /// Revokes a token: one's own, or any for admins and the CLI.
    pub async fn revoke_token(&self, actor: &Actor, id: Uuid) -> Result<(), Error> {
        let tx = self.store.begin().await?;
        let row = users::find_token(&tx, id).await?.ok_or(Error::NotFound)?;
        if actor.user_id != Some(row.user_id) {
            actor.require(msohub_domain::Permission::ManageUsers)?;
        }
        if row.revoked_at.is_none() {
            users::revoke_token(&tx, id, Utc::now()).await?;
            audit::record(
                &tx,
                actor,
                "api_token",
                id,
                "revoke",
                serde_json::to_value(ApiToken::from(&row)).ok(),
                None,
            )
            .await?;
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Revokes a token given its secret (for an operator holding a leaked
    /// token but not its id).
    pub async fn revoke_token_by_secret(&self, actor: &Actor, secret: &str) -> Result<Uuid, Error> {
        let row = users::find_token_by_hash(self.store.conn(), &digest(secret.trim()))
            .await?
            .ok_or(Error::NotFound)?;
        self.revoke_token(actor, row.id).await?;
        Ok(row.id)
    }

    /// Resolves a bearer token to its owner; `None` when unknown, revoked,
    /// or the owner is disabled.
    pub async fn authenticate_token(
        &self,
        secret: &str,
        ip: Option<String>,
    ) -> Result<Option<Actor>, Error> {
        if !secret.starts_with(PREFIX) {
            return Ok(None);
        }
        let Some(token) = users::find_token_by_hash(self.store.conn(), &digest(secret)).await?
        else {
            return Ok(None);
        };
        if token.revoked_at.is_some() {
            return Ok(None);
        }
        let Some(user) = users::find_user(self.store.conn(), token.user_id).await? else {
            return Ok(None);
        };
        if user.disabled_at.is_some() {
            return Ok(None);
        }
        let now = Utc::now();
        if token
            .last_used_at
            .is_none_or(|t| now - t > Duration::seconds(TOUCH_EVERY))
        {
            users::touch_token(self.store.conn(), token.id, now).await?;
        }
        Ok(Some(Actor {
            user_id: Some(user.id),
            email: user.email,
            display_name: user.display_name,
            role: user.role.parse().unwrap_or(Role::Auditor),
            organisation_id: user.organisation_id,
            // A token of an account that must change its password may do
            // nothing either (the password was reset since it was made).
            must_change_password: user.must_change_password,
            ip,
            via: Via::Token,
            person_id: user.person_id,
            language: user.language,
        }))
    }
}
