//! Imports: saved column mappings (profiles) and files uploaded to the
//! import wizard, kept between its steps (mapping, preview, commit) in the
//! database so every node sees them. Uploads are removed when they are
//! imported or discarded, and after a day at the latest.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportProfile {
    Table,
    Id,
    Entity,
    Name,
    Mapping,
    OnMatch,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ImportUpload {
    Table,
    Id,
    Entity,
    FileName,
    Size,
    Data,
    UserId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ImportProfile::Table)
                .col(
                    ColumnDef::new(ImportProfile::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ImportProfile::Entity)
                        .string_len(30)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ImportProfile::Name)
                        .string_len(100)
                        .not_null(),
                )
                .col(ColumnDef::new(ImportProfile::Mapping).text().not_null())
                .col(
                    ColumnDef::new(ImportProfile::OnMatch)
                        .string_len(20)
                        .not_null(),
                )
                .col(ColumnDef::new(ImportProfile::Version).integer().not_null())
                .col(
                    ColumnDef::new(ImportProfile::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ImportProfile::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("import_profile_entity_name")
                .table(ImportProfile::Table)
                .col(ImportProfile::Entity)
                .col(ImportProfile::Name)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ImportUpload::Table)
                .col(
                    ColumnDef::new(ImportUpload::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ImportUpload::Entity)
                        .string_len(30)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ImportUpload::FileName)
                        .string_len(255)
                        .not_null(),
                )
                .col(ColumnDef::new(ImportUpload::Size).big_integer().not_null())
                .col(ColumnDef::new(ImportUpload::Data).blob().not_null())
                .col(ColumnDef::new(ImportUpload::UserId).uuid().null())
                .col(
                    ColumnDef::new(ImportUpload::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ImportUpload::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ImportProfile::Table).to_owned())
            .await
    }
}
