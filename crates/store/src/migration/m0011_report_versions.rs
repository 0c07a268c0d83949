//! Finalised reports and the records a target's substitute measures point
//! to.
//!
//! `report_version`: an immutable snapshot of a period's report (figures and
//! text, as JSON in each report language) numbered per period; later edits
//! or deletions of records do not change it. Rows are only ever inserted.
//!
//! `target_link`: "instead of visits, a working group was founded": a
//! target's substitute measures linked to bodies, meetings, interactions.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportVersion {
    Table,
    Id,
    PeriodId,
    Number,
    Note,
    Snapshot,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum TargetLink {
    Table,
    TargetId,
    RecordType,
    RecordId,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReportVersion::Table)
                .col(
                    ColumnDef::new(ReportVersion::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(ReportVersion::PeriodId).uuid().not_null())
                .col(ColumnDef::new(ReportVersion::Number).integer().not_null())
                .col(
                    ColumnDef::new(ReportVersion::Note)
                        .string_len(500)
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(ReportVersion::Snapshot).text().not_null())
                .col(
                    ColumnDef::new(ReportVersion::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(ReportVersion::CreatedBy).uuid().null())
                .to_owned(),
        )
        .await?;
        // Two people finalising at once: one gets the number, the other a
        // conflict.
        m.create_index(
            Index::create()
                .name("report_version_period_number")
                .table(ReportVersion::Table)
                .col(ReportVersion::PeriodId)
                .col(ReportVersion::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TargetLink::Table)
                .col(ColumnDef::new(TargetLink::TargetId).uuid().not_null())
                .col(
                    ColumnDef::new(TargetLink::RecordType)
                        .string_len(20)
                        .not_null(),
                )
                .col(ColumnDef::new(TargetLink::RecordId).uuid().not_null())
                .col(ColumnDef::new(TargetLink::Position).integer().not_null())
                .primary_key(
                    Index::create()
                        .col(TargetLink::TargetId)
                        .col(TargetLink::RecordType)
                        .col(TargetLink::RecordId),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TargetLink::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ReportVersion::Table).to_owned())
            .await
    }
}
