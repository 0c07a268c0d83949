//! Accounts: users, sessions, API tokens, TOTP recovery codes, and the audit
//! log that doubles as the change feed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Email,
    DisplayName,
    Role,
    OrganisationId,
    PasswordHash,
    MustChangePassword,
    DisabledAt,
    FailedLogins,
    LockedUntil,
    LastLoginAt,
    TotpSecret,
    TotpEnabledAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    UserId,
    SecondFactorPending,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    Prefix,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum RecoveryCode {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Position,
    At,
    ActorId,
    ActorLabel,
    EntityType,
    EntityId,
    Action,
    Before,
    After,
    Ip,
}

fn tz(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn tz_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn user_fk(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(AppUser::Table, AppUser::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AppUser::Table)
                .col(ColumnDef::new(AppUser::Id).uuid().not_null().primary_key())
                .col(
                    ColumnDef::new(AppUser::Email)
                        .string_len(254)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(AppUser::DisplayName)
                        .string_len(200)
                        .not_null(),
                )
                .col(ColumnDef::new(AppUser::Role).string_len(20).not_null())
                .col(ColumnDef::new(AppUser::OrganisationId).uuid().null())
                .col(ColumnDef::new(AppUser::PasswordHash).text().not_null())
                .col(
                    ColumnDef::new(AppUser::MustChangePassword)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(tz_null(AppUser::DisabledAt))
                .col(
                    ColumnDef::new(AppUser::FailedLogins)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(tz_null(AppUser::LockedUntil))
                .col(tz_null(AppUser::LastLoginAt))
                .col(ColumnDef::new(AppUser::TotpSecret).text().null())
                .col(tz_null(AppUser::TotpEnabledAt))
                .col(
                    ColumnDef::new(AppUser::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(tz(AppUser::CreatedAt))
                .col(tz(AppUser::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Session::Table)
                .col(
                    ColumnDef::new(Session::Id)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Session::UserId).uuid().not_null())
                .col(
                    ColumnDef::new(Session::SecondFactorPending)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(tz(Session::CreatedAt))
                .col(tz(Session::LastSeenAt))
                .col(tz(Session::ExpiresAt))
                .col(ColumnDef::new(Session::Ip).string_len(64).null())
                .col(ColumnDef::new(Session::UserAgent).string_len(300).null())
                .foreign_key(&mut user_fk(Session::Table, Session::UserId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_session_user")
                .table(Session::Table)
                .col(Session::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiToken::Table)
                .col(ColumnDef::new(ApiToken::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(ApiToken::UserId).uuid().not_null())
                .col(ColumnDef::new(ApiToken::Name).string_len(100).not_null())
                .col(
                    ColumnDef::new(ApiToken::TokenHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(ApiToken::Prefix).string_len(20).not_null())
                .col(tz(ApiToken::CreatedAt))
                .col(tz_null(ApiToken::LastUsedAt))
                .col(tz_null(ApiToken::RevokedAt))
                .foreign_key(&mut user_fk(ApiToken::Table, ApiToken::UserId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RecoveryCode::Table)
                .col(
                    ColumnDef::new(RecoveryCode::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(RecoveryCode::UserId).uuid().not_null())
                .col(
                    ColumnDef::new(RecoveryCode::CodeHash)
                        .string_len(64)
                        .not_null(),
                )
                .col(tz_null(RecoveryCode::UsedAt))
                .foreign_key(&mut user_fk(RecoveryCode::Table, RecoveryCode::UserId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(
                    ColumnDef::new(AuditLog::Position)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(tz(AuditLog::At))
                .col(ColumnDef::new(AuditLog::ActorId).uuid().null())
                .col(
                    ColumnDef::new(AuditLog::ActorLabel)
                        .string_len(254)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AuditLog::EntityType)
                        .string_len(50)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AuditLog::EntityId)
                        .string_len(100)
                        .not_null(),
                )
                .col(ColumnDef::new(AuditLog::Action).string_len(50).not_null())
                .col(ColumnDef::new(AuditLog::Before).text().null())
                .col(ColumnDef::new(AuditLog::After).text().null())
                .col(ColumnDef::new(AuditLog::Ip).string_len(64).null())
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_audit_entity", AuditLog::EntityId),
            ("idx_audit_actor", AuditLog::ActorId),
            ("idx_audit_at", AuditLog::At),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(AuditLog::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            RecoveryCode::Table.into_iden(),
            ApiToken::Table.into_iden(),
            Session::Table.into_iden(),
            AppUser::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
