//! Sign-in throttling that says nothing about which accounts exist: failed
//! attempts are counted per typed e-mail address (whether or not an account
//! has it), per client address, per account for the second factor (with
//! the last accepted TOTP time step, so a code works once) and per account
//! for password changes. The per-account counters on `app_user` go: an
//! account's row no longer tells whether someone tried to guess it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuthThrottle {
    Table,
    Key,
    Failures,
    LockedUntil,
    LastStep,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    FailedLogins,
    LockedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuthThrottle::Table)
                .col(
                    ColumnDef::new(AuthThrottle::Key)
                        .string_len(80)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(AuthThrottle::Failures)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(AuthThrottle::LockedUntil)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(AuthThrottle::LastStep).big_integer().null())
                .col(
                    ColumnDef::new(AuthThrottle::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("auth_throttle_updated_at")
                .table(AuthThrottle::Table)
                .col(AuthThrottle::UpdatedAt)
                .to_owned(),
        )
        .await?;
        // SQLite takes one change per ALTER TABLE.
        for column in [AppUser::FailedLogins, AppUser::LockedUntil] {
            m.alter_table(
                Table::alter()
                    .table(AppUser::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
