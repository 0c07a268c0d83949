//! Taxonomy terms become editable by admins: a version for optimistic
//! locking and a retirement date (a retired term is no longer offered, but
//! records that carry it keep it and its label).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TaxonomyTerm {
    Table,
    Version,
    RetiredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table(TaxonomyTerm::Table)
                .add_column(
                    ColumnDef::new(TaxonomyTerm::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TaxonomyTerm::Table)
                .add_column(
                    ColumnDef::new(TaxonomyTerm::RetiredAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [TaxonomyTerm::RetiredAt, TaxonomyTerm::Version] {
            m.alter_table(
                Table::alter()
                    .table(TaxonomyTerm::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
