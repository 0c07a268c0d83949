//! Stored files (logos now; attachments of contacts and meetings later):
//! the bytes live in the database, so every node sees them, a backup holds
//! them, and a transaction covers a file and the record that points to it.
//! Files never change; a new upload is a new row.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StoredFile {
    Table,
    Id,
    Sha256,
    ContentType,
    FileName,
    Size,
    Data,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    LogoFileId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StoredFile::Table)
                .col(
                    ColumnDef::new(StoredFile::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(StoredFile::Sha256).string_len(64).not_null())
                .col(
                    ColumnDef::new(StoredFile::ContentType)
                        .string_len(100)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(StoredFile::FileName)
                        .string_len(255)
                        .not_null(),
                )
                .col(ColumnDef::new(StoredFile::Size).big_integer().not_null())
                .col(ColumnDef::new(StoredFile::Data).blob().not_null())
                .col(
                    ColumnDef::new(StoredFile::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Organisation::Table)
                .add_column(ColumnDef::new(Organisation::LogoFileId).uuid().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Organisation::Table)
                .drop_column(Organisation::LogoFileId)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(StoredFile::Table).to_owned())
            .await
    }
}
