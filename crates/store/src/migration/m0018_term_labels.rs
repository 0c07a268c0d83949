//! Taxonomy terms get labels in the other four languages of the public
//! directory (Turkish, Arabic, Russian, Ukrainian), so an office can
//! translate the terms it added and correct the shipped translations.
//! Empty (NULL) means "not translated here": the directory then shows the
//! translation shipped for a built-in term, else the German label.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TaxonomyTerm {
    Table,
    LabelTr,
    LabelAr,
    LabelRu,
    LabelUk,
}

const COLUMNS: [TaxonomyTerm; 4] = [
    TaxonomyTerm::LabelTr,
    TaxonomyTerm::LabelAr,
    TaxonomyTerm::LabelRu,
    TaxonomyTerm::LabelUk,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(TaxonomyTerm::Table)
                    .add_column(ColumnDef::new(col).text().null())
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in COLUMNS {
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
