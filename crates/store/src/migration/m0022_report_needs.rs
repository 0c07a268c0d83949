//! The yearly report's optional section on needs ("Bedarfe"): whether the
//! report carries it, and which surveys' results it shows (JSON, like the
//! report's other per-period choices).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportText {
    Table,
    Needs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ReportText::Table)
                .add_column(
                    ColumnDef::new(ReportText::Needs)
                        .text()
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await
    }
}
