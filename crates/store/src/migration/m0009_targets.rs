//! Reporting periods and their targets: what the office agreed to reach,
//! how progress is measured from the records, and what it says about a
//! target in its report (status override, deviation, substitute measures).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Period {
    Table,
    Id,
    Name,
    Kind,
    StartsOn,
    EndsOn,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Target {
    Table,
    Id,
    PeriodId,
    Number,
    Title,
    Description,
    Metric,
    Params,
    Wanted,
    ManualValue,
    MetAt,
    PartlyAt,
    OverrideStatus,
    OverrideReason,
    DeviationReason,
    SubstituteMeasures,
    Version,
    CreatedAt,
    UpdatedAt,
}

fn tz(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Period::Table)
                .col(ColumnDef::new(Period::Id).uuid().not_null().primary_key())
                .col(
                    ColumnDef::new(Period::Name)
                        .string_len(60)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Period::Kind).string_len(20).not_null())
                .col(ColumnDef::new(Period::StartsOn).date().not_null())
                .col(ColumnDef::new(Period::EndsOn).date().not_null())
                .col(
                    ColumnDef::new(Period::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(tz(Period::CreatedAt))
                .col(tz(Period::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Target::Table)
                .col(ColumnDef::new(Target::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Target::PeriodId).uuid().not_null())
                .col(ColumnDef::new(Target::Number).integer().not_null())
                .col(ColumnDef::new(Target::Title).string_len(300).not_null())
                .col(
                    ColumnDef::new(Target::Description)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(Target::Metric).string_len(40).not_null())
                .col(
                    ColumnDef::new(Target::Params)
                        .text()
                        .not_null()
                        .default("{}"),
                )
                .col(ColumnDef::new(Target::Wanted).double().not_null())
                .col(ColumnDef::new(Target::ManualValue).double().null())
                .col(
                    ColumnDef::new(Target::MetAt)
                        .double()
                        .not_null()
                        .default(1.0),
                )
                .col(
                    ColumnDef::new(Target::PartlyAt)
                        .double()
                        .not_null()
                        .default(0.5),
                )
                .col(ColumnDef::new(Target::OverrideStatus).string_len(20).null())
                .col(
                    ColumnDef::new(Target::OverrideReason)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Target::DeviationReason)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Target::SubstituteMeasures)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Target::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(tz(Target::CreatedAt))
                .col(tz(Target::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Target::Table, Target::PeriodId)
                        .to(Period::Table, Period::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Target::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Period::Table).to_owned())
            .await
    }
}
