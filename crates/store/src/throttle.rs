//! Counters of failed sign-in attempts, shared by all app nodes: per key
//! (a hash of what was typed or of a client address, made by the caller),
//! the failures in a row, until when the key is held back, and for the
//! second factor the last TOTP time step accepted.

use crate::Error;
use crate::entity::auth_throttle;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub use crate::entity::auth_throttle::Model as ThrottleRow;

pub async fn find(c: &impl ConnectionTrait, key: &str) -> Result<Option<ThrottleRow>, Error> {
    Ok(auth_throttle::Entity::find_by_id(key.to_owned())
        .one(c)
        .await?)
}

/// Makes sure the key has a row (no change when it has one).
async fn ensure(c: &impl ConnectionTrait, key: &str, now: DateTime<Utc>) -> Result<(), Error> {
    auth_throttle::Entity::insert(auth_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(0),
        locked_until: Set(None),
        last_step: Set(None),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(auth_throttle::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .try_insert()
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Counts one more failure (atomically, so concurrent attempts all count);
/// returns the failures in a row now.
pub async fn add_failure(
    c: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<i32, Error> {
    ensure(c, key, now).await?;
    auth_throttle::Entity::update_many()
        .col_expr(
            auth_throttle::Column::Failures,
            Expr::col(auth_throttle::Column::Failures).add(1),
        )
        .col_expr(auth_throttle::Column::UpdatedAt, Expr::value(now))
        .filter(auth_throttle::Column::Key.eq(key))
        .exec(c)
        .await?;
    Ok(find(c, key).await?.map_or(1, |r| r.failures))
}

/// Holds the key back until `until`.
pub async fn lock(
    c: &impl ConnectionTrait,
    key: &str,
    until: Option<DateTime<Utc>>,
) -> Result<(), Error> {
    auth_throttle::Entity::update_many()
        .col_expr(auth_throttle::Column::LockedUntil, Expr::value(until))
        .filter(auth_throttle::Column::Key.eq(key))
        .exec(c)
        .await?;
    Ok(())
}

/// Forgets the failures (after a success); the TOTP step stays.
pub async fn clear(c: &impl ConnectionTrait, key: &str, now: DateTime<Utc>) -> Result<(), Error> {
    auth_throttle::Entity::update_many()
        .col_expr(auth_throttle::Column::Failures, Expr::value(0))
        .col_expr(
            auth_throttle::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(auth_throttle::Column::UpdatedAt, Expr::value(now))
        .filter(auth_throttle::Column::Key.eq(key))
        .exec(c)
        .await?;
    Ok(())
}

/// Accepts a TOTP time step once: `true` when `step` is later than every
/// step accepted before for this key (and records it), `false` for a code
/// already used. One conditional update, so two requests with the same
/// code cannot both win.
pub async fn use_step(
    c: &impl ConnectionTrait,
    key: &str,
    step: i64,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    ensure(c, key, now).await?;
    let changed = auth_throttle::Entity::update_many()
        .col_expr(auth_throttle::Column::LastStep, Expr::value(step))
        .col_expr(auth_throttle::Column::UpdatedAt, Expr::value(now))
        .filter(auth_throttle::Column::Key.eq(key))
        .filter(
            auth_throttle::Column::LastStep
                .is_null()
                .or(auth_throttle::Column::LastStep.lt(step)),
        )
        .exec(c)
        .await?
        .rows_affected;
    Ok(changed == 1)
}

/// Removes the keys nothing happened to since `before` and that hold
/// nothing back any more.
pub async fn purge(
    c: &impl ConnectionTrait,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, Error> {
    Ok(auth_throttle::Entity::delete_many()
        .filter(auth_throttle::Column::UpdatedAt.lt(before))
        .filter(
            auth_throttle::Column::LockedUntil
                .is_null()
                .or(auth_throttle::Column::LockedUntil.lt(now)),
        )
        .exec(c)
        .await?
        .rows_affected)
}
