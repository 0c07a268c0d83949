//! User accounts, sessions, API tokens and recovery codes.
//!
//! Writes that change an account check its `version` (optimistic locking):
//! an update based on a stale copy changes nothing and returns
//! [`Error::Stale`]. Every function takes any connection, so the service
//! layer can run several of them (and the audit entry) in one transaction.

use crate::Error;
use crate::entity::{api_token, app_user, recovery_code, session};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

pub use crate::entity::api_token::Model as ApiTokenRow;
pub use crate::entity::app_user::Model as UserRow;
pub use crate::entity::session::Model as SessionRow;

pub async fn insert_user(c: &impl ConnectionTrait, row: UserRow) -> Result<UserRow, Error> {
    row.into_active_model()
        .reset_all()
        .insert(c)
        .await
        .map_err(|e| Error::from_db(e, "email"))
}

pub async fn find_user(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<UserRow>, Error> {
    Ok(app_user::Entity::find_by_id(id).one(c).await?)
}

pub async fn find_user_by_email(
    c: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<UserRow>, Error> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
        .one(c)
        .await?)
}

pub async fn list_users(c: &impl ConnectionTrait) -> Result<Vec<UserRow>, Error> {
    Ok(app_user::Entity::find()
        .order_by_asc(app_user::Column::Email)
        .all(c)
        .await?)
}

/// Number of enabled admin accounts.
pub async fn count_active_admins(c: &impl ConnectionTrait) -> Result<u64, Error> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Role.eq("admin"))
        .filter(app_user::Column::DisabledAt.is_null())
        .count(c)
        .await?)
}

/// Writes `row` if the stored version is still `row.version`; the stored
/// version becomes `row.version + 1`. Returns the row as stored.
pub async fn update_user(c: &impl ConnectionTrait, row: UserRow) -> Result<UserRow, Error> {
    crate::versioned::update_versioned_unique(c, row, "email").await
}

/// Login bookkeeping that must not bump the version (it is not an edit and
/// must not make an admin's open form stale).
pub async fn set_last_login(
    c: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    app_user::Entity::update_many()
        .col_expr(app_user::Column::LastLoginAt, Expr::value(at))
        .filter(app_user::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

// --- sessions ----------------------------------------------------------------

pub async fn insert_session(c: &impl ConnectionTrait, row: SessionRow) -> Result<(), Error> {
    session::Entity::insert(row.into_active_model().reset_all())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn find_session(c: &impl ConnectionTrait, id: &str) -> Result<Option<SessionRow>, Error> {
    Ok(session::Entity::find_by_id(id.to_owned()).one(c).await?)
}

pub async fn touch_session(
    c: &impl ConnectionTrait,
    id: &str,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(at))
        .filter(session::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn complete_second_factor(c: &impl ConnectionTrait, id: &str) -> Result<(), Error> {
    session::Entity::update_many()
        .col_expr(session::Column::SecondFactorPending, Expr::value(false))
        .filter(session::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn delete_session(c: &impl ConnectionTrait, id: &str) -> Result<(), Error> {
    session::Entity::delete_many()
        .filter(session::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

/// Ends every session of a user (disabled account, password reset).
pub async fn delete_sessions_of(c: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, Error> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(c)
        .await?
        .rows_affected)
}

/// Ends every session of a user but one (after a password change).
pub async fn delete_sessions_of_except(
    c: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<&str>,
) -> Result<u64, Error> {
    let mut q = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        q = q.filter(session::Column::Id.ne(keep));
    }
    Ok(q.exec(c).await?.rows_affected)
}

/// Removes sessions past their absolute expiry or idle limit.
pub async fn delete_expired_sessions(
    c: &impl ConnectionTrait,
    now: DateTime<Utc>,
    idle_since: DateTime<Utc>,
) -> Result<u64, Error> {
    Ok(session::Entity::delete_many()
        .filter(
            session::Column::ExpiresAt
                .lt(now)
                .or(session::Column::LastSeenAt.lt(idle_since)),
        )
        .exec(c)
        .await?
        .rows_affected)
}

// --- API tokens ----------------------------------------------------------------

pub async fn insert_token(c: &impl ConnectionTrait, row: ApiTokenRow) -> Result<(), Error> {
    api_token::Entity::insert(row.into_active_model().reset_all())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn find_token_by_hash(
    c: &impl ConnectionTrait,
    hash: &str,
) -> Result<Option<ApiTokenRow>, Error> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash))
        .one(c)
        .await?)
}

pub async fn find_token(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<ApiTokenRow>, Error> {
    Ok(api_token::Entity::find_by_id(id).one(c).await?)
}

pub async fn list_tokens_of(
    c: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<ApiTokenRow>, Error> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(c)
        .await?)
}

pub async fn revoke_token(
    c: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(at))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok(())
}

pub async fn touch_token(
    c: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(at))
        .filter(api_token::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

// --- recovery codes ------------------------------------------------------------

/// Replaces all recovery codes of a user with new ones (hashes).
pub async fn replace_recovery_codes(
    c: &impl ConnectionTrait,
    user_id: Uuid,
    hashes: &[String],
) -> Result<(), Error> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(c)
        .await?;
    for hash in hashes {
        recovery_code::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user_id),
            code_hash: Set(hash.clone()),
            used_at: Set(None),
        }
        .insert(c)
        .await?;
    }
    Ok(())
}

/// Marks an unused recovery code as used; `false` if there was none.
pub async fn use_recovery_code(
    c: &impl ConnectionTrait,
    user_id: Uuid,
    hash: &str,
    at: DateTime<Utc>,
) -> Result<bool, Error> {
    let result = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(at))
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::CodeHash.eq(hash))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(c)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn count_unused_recovery_codes(
    c: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<u64, Error> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(c)
        .await?)
}
