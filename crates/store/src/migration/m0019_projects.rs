//! Projects (Handlungsfelder): an office works in several projects per
//! period, each with its own targets, chapter texts and "beyond the
//! targets" items; the report is one chapter per project. Existing targets
//! and their report texts move to one default project, without loss.
//! Also: the report's date, and whether staff are named in it; the staff
//! account's optional form of address (for "eine Mitarbeiterin des KI").

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, TransactionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Project {
    Table,
    Id,
    Name,
    Description,
    ChartCounts,
    Position,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum BeyondItem {
    Table,
    Id,
    PeriodId,
    ProjectId,
    Kind,
    RecordId,
    UserId,
    Text,
    Hidden,
    Position,
    HappenedOn,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Target {
    Table,
    ProjectId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Period {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReportText {
    Table,
    PeriodId,
    Introduction,
    Outlook,
    Dated,
    StaffNames,
    Chapters,
}

#[derive(DeriveIden, Clone, Copy)]
enum AppUser {
    Table,
    FormOfAddress,
}

/// The name of the project existing targets move to: the work msohub is
/// made for.
pub const DEFAULT_PROJECT: &str = "Koordination mit Migrantenselbstorganisationen (MSO)";

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
                .table(Project::Table)
                .col(ColumnDef::new(Project::Id).uuid().not_null().primary_key())
                .col(
                    ColumnDef::new(Project::Name)
                        .string_len(200)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Project::Description)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Project::ChartCounts)
                        .string_len(100)
                        .not_null()
                        .default("contacts"),
                )
                .col(
                    ColumnDef::new(Project::Position)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(Project::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(tz(Project::CreatedAt))
                .col(tz(Project::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BeyondItem::Table)
                .col(
                    ColumnDef::new(BeyondItem::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(BeyondItem::PeriodId).uuid().not_null())
                .col(ColumnDef::new(BeyondItem::ProjectId).uuid().not_null())
                .col(ColumnDef::new(BeyondItem::Kind).string_len(20).not_null())
                .col(ColumnDef::new(BeyondItem::RecordId).uuid().null())
                .col(ColumnDef::new(BeyondItem::UserId).uuid().null())
                .col(
                    ColumnDef::new(BeyondItem::Text)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(BeyondItem::Hidden)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(BeyondItem::Position)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(ColumnDef::new(BeyondItem::HappenedOn).date().null())
                .col(
                    ColumnDef::new(BeyondItem::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(tz(BeyondItem::CreatedAt))
                .col(tz(BeyondItem::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(BeyondItem::Table, BeyondItem::PeriodId)
                        .to(Period::Table, Period::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(BeyondItem::Table, BeyondItem::ProjectId)
                        .to(Project::Table, Project::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("beyond_item_period")
                .table(BeyondItem::Table)
                .col(BeyondItem::PeriodId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Target::Table)
                .add_column(ColumnDef::new(Target::ProjectId).uuid().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("target_project")
                .table(Target::Table)
                .col(Target::ProjectId)
                .to_owned(),
        )
        .await?;
        // SQLite adds one column per ALTER TABLE.
        for (col, def) in [
            (ReportText::Dated, ""),
            (ReportText::StaffNames, "anonymous"),
            (ReportText::Chapters, "{}"),
        ] {
            m.alter_table(
                Table::alter()
                    .table(ReportText::Table)
                    .add_column(ColumnDef::new(col).text().not_null().default(def))
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(AppUser::Table)
                .add_column(
                    ColumnDef::new(AppUser::FormOfAddress)
                        .string_len(10)
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await?;
        // The default project; existing targets and the report's
        // introduction and outlook (until now the one chapter) move to it.
        let c = m.get_connection();
        let id = uuid::Uuid::now_v7();
        let now = chrono::Utc::now();
        let tx = c.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(Project::Table)
                .columns([
                    Project::Id,
                    Project::Name,
                    Project::Description,
                    Project::ChartCounts,
                    Project::Position,
                    Project::Version,
                    Project::CreatedAt,
                    Project::UpdatedAt,
                ])
                .values_panic([
                    id.into(),
                    DEFAULT_PROJECT.into(),
                    "".into(),
                    "contacts".into(),
                    0.into(),
                    1.into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::update()
                .table(Target::Table)
                .value(Target::ProjectId, id)
                .to_owned(),
        )
        .await?;
        let texts = Query::select()
            .columns([
                ReportText::PeriodId,
                ReportText::Introduction,
                ReportText::Outlook,
            ])
            .from(ReportText::Table)
            .to_owned();
        for r in tx.query_all(&texts).await? {
            let period: uuid::Uuid = r.try_get("", "period_id")?;
            let introduction: String = r.try_get("", "introduction")?;
            let outlook: String = r.try_get("", "outlook")?;
            if introduction.is_empty() && outlook.is_empty() {
                continue;
            }
            let chapters = serde_json::json!({
                id.to_string(): {"introduction": introduction, "outlook": outlook}
            });
            tx.execute(
                &Query::update()
                    .table(ReportText::Table)
                    .value(ReportText::Chapters, chapters.to_string())
                    .value(ReportText::Introduction, "")
                    .value(ReportText::Outlook, "")
                    .and_where(Expr::col(ReportText::PeriodId).eq(period))
                    .to_owned(),
            )
            .await?;
        }
        tx.commit().await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(BeyondItem::Table).to_owned())
            .await?;
        m.drop_index(Index::drop().name("target_project").to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Target::Table)
                .drop_column(Target::ProjectId)
                .to_owned(),
        )
        .await?;
        for col in [
            ReportText::Dated,
            ReportText::StaffNames,
            ReportText::Chapters,
        ] {
            m.alter_table(
                Table::alter()
                    .table(ReportText::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(AppUser::Table)
                .drop_column(AppUser::FormOfAddress)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(Project::Table).to_owned())
            .await
    }
}
