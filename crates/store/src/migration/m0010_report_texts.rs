//! The editable texts of a period's yearly report (title, introduction,
//! outlook, place, author, and per target a narrative replacing the
//! generated draft).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportText {
    Table,
    PeriodId,
    Title,
    Introduction,
    Outlook,
    Place,
    Author,
    Narratives,
    Version,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReportText::Table)
                .col(
                    ColumnDef::new(ReportText::PeriodId)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ReportText::Title)
                        .string_len(300)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(ReportText::Introduction)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(ReportText::Outlook)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(ReportText::Place)
                        .string_len(100)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(ReportText::Author)
                        .string_len(200)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(ReportText::Narratives)
                        .text()
                        .not_null()
                        .default("{}"),
                )
                .col(
                    ColumnDef::new(ReportText::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(
                    ColumnDef::new(ReportText::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReportText::Table).to_owned())
            .await
    }
}
