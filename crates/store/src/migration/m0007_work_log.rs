//! The office's work log: interactions (visits, calls, …) with the
//! organisations, people and staff involved; needs the organisations
//! expressed; tasks (follow-ups) linked to any record; attachments (files
//! owned by a record); and the secret tokens of staff calendar feeds.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Interaction {
    Table,
    Id,
    Kind,
    Mode,
    Status,
    Subject,
    StartsAt,
    DurationMinutes,
    CancelReason,
    CancelNote,
    Topics,
    Interfaces,
    Notes,
    Version,
    DeletedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum InteractionOrganisation {
    Table,
    InteractionId,
    OrganisationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum InteractionPerson {
    Table,
    InteractionId,
    PersonId,
}

#[derive(DeriveIden, Clone, Copy)]
enum InteractionStaff {
    Table,
    InteractionId,
    UserId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Attachment {
    Table,
    Id,
    OwnerType,
    OwnerId,
    FileId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Need {
    Table,
    Id,
    OrganisationId,
    Category,
    Description,
    Source,
    SourceInteractionId,
    Status,
    Outcome,
    Version,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Task {
    Table,
    Id,
    Title,
    Notes,
    DueOn,
    AssigneeId,
    LinkType,
    LinkId,
    DoneAt,
    Version,
    DeletedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CalendarToken {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TaxonomyTerm {
    Table,
    Id,
    Vocabulary,
    Code,
    LabelDe,
    LabelEn,
    Position,
    CreatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Person {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum AppUser {
    Table,
    Id,
}

const NEED_CATEGORIES: &[(&str, &str, &str)] = &[
    ("rooms", "Räume", "Rooms"),
    ("funding", "Finanzierung und Fördermittel", "Funding"),
    ("language_courses", "Sprachkurse", "Language courses"),
    ("counselling", "Beratung", "Counselling"),
    ("volunteers", "Ehrenamtliche", "Volunteers"),
    ("networking", "Vernetzung", "Networking"),
    (
        "qualification",
        "Qualifizierung und Fortbildung",
        "Training",
    ),
    (
        "public_relations",
        "Öffentlichkeitsarbeit",
        "Public relations",
    ),
    ("other", "Sonstiges", "Other"),
];

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

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .uuid()
        .not_null()
        .primary_key()
        .to_owned()
}

fn version(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .integer()
        .not_null()
        .default(1)
        .to_owned()
}

/// A join table of two ids, both cascading, with the pair as primary key.
fn join_table(
    table: impl IntoIden + Copy,
    left: impl IntoIden + Copy,
    right: impl IntoIden + Copy,
    right_table: impl IntoIden + Copy,
    right_id: impl IntoIden + Copy,
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(ColumnDef::new(left).uuid().not_null())
        .col(ColumnDef::new(right).uuid().not_null())
        .primary_key(Index::create().col(left).col(right))
        .foreign_key(
            ForeignKey::create()
                .from(table, left)
                .to(Interaction::Table, Interaction::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(table, right)
                .to(right_table, right_id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Interaction::Table)
                .col(id(Interaction::Id))
                .col(ColumnDef::new(Interaction::Kind).string_len(20).not_null())
                .col(ColumnDef::new(Interaction::Mode).string_len(20).not_null())
                .col(
                    ColumnDef::new(Interaction::Status)
                        .string_len(20)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Interaction::Subject)
                        .string_len(200)
                        .not_null(),
                )
                .col(tz(Interaction::StartsAt))
                .col(
                    ColumnDef::new(Interaction::DurationMinutes)
                        .integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(Interaction::CancelReason)
                        .string_len(40)
                        .null(),
                )
                .col(
                    ColumnDef::new(Interaction::CancelNote)
                        .string_len(500)
                        .null(),
                )
                .col(
                    ColumnDef::new(Interaction::Topics)
                        .text()
                        .not_null()
                        .default("[]"),
                )
                .col(
                    ColumnDef::new(Interaction::Interfaces)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Interaction::Notes)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(version(Interaction::Version))
                .col(tz_null(Interaction::DeletedAt))
                .col(ColumnDef::new(Interaction::CreatedBy).uuid().null())
                .col(tz(Interaction::CreatedAt))
                .col(tz(Interaction::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_interaction_starts_at")
                .table(Interaction::Table)
                .col(Interaction::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_table(join_table(
            InteractionOrganisation::Table,
            InteractionOrganisation::InteractionId,
            InteractionOrganisation::OrganisationId,
            Organisation::Table,
            Organisation::Id,
        ))
        .await?;
        m.create_index(
            Index::create()
                .name("idx_interaction_organisation_org")
                .table(InteractionOrganisation::Table)
                .col(InteractionOrganisation::OrganisationId)
                .to_owned(),
        )
        .await?;
        m.create_table(join_table(
            InteractionPerson::Table,
            InteractionPerson::InteractionId,
            InteractionPerson::PersonId,
            Person::Table,
            Person::Id,
        ))
        .await?;
        m.create_table(join_table(
            InteractionStaff::Table,
            InteractionStaff::InteractionId,
            InteractionStaff::UserId,
            AppUser::Table,
            AppUser::Id,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Attachment::Table)
                .col(id(Attachment::Id))
                .col(
                    ColumnDef::new(Attachment::OwnerType)
                        .string_len(30)
                        .not_null(),
                )
                .col(ColumnDef::new(Attachment::OwnerId).uuid().not_null())
                .col(ColumnDef::new(Attachment::FileId).uuid().not_null())
                .col(ColumnDef::new(Attachment::CreatedBy).uuid().null())
                .col(tz(Attachment::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_attachment_owner")
                .table(Attachment::Table)
                .col(Attachment::OwnerType)
                .col(Attachment::OwnerId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Need::Table)
                .col(id(Need::Id))
                .col(ColumnDef::new(Need::OrganisationId).uuid().not_null())
                .col(ColumnDef::new(Need::Category).string_len(60).not_null())
                .col(ColumnDef::new(Need::Description).text().not_null())
                .col(ColumnDef::new(Need::Source).string_len(20).not_null())
                .col(ColumnDef::new(Need::SourceInteractionId).uuid().null())
                .col(ColumnDef::new(Need::Status).string_len(20).not_null())
                .col(ColumnDef::new(Need::Outcome).text().not_null().default(""))
                .col(version(Need::Version))
                .col(tz_null(Need::DeletedAt))
                .col(tz(Need::CreatedAt))
                .col(tz(Need::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Need::Table, Need::OrganisationId)
                        .to(Organisation::Table, Organisation::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_need_organisation")
                .table(Need::Table)
                .col(Need::OrganisationId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Task::Table)
                .col(id(Task::Id))
                .col(ColumnDef::new(Task::Title).string_len(200).not_null())
                .col(ColumnDef::new(Task::Notes).text().not_null().default(""))
                .col(ColumnDef::new(Task::DueOn).date().not_null())
                .col(ColumnDef::new(Task::AssigneeId).uuid().not_null())
                .col(ColumnDef::new(Task::LinkType).string_len(30).null())
                .col(ColumnDef::new(Task::LinkId).uuid().null())
                .col(tz_null(Task::DoneAt))
                .col(version(Task::Version))
                .col(tz_null(Task::DeletedAt))
                .col(ColumnDef::new(Task::CreatedBy).uuid().null())
                .col(tz(Task::CreatedAt))
                .col(tz(Task::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Task::Table, Task::AssigneeId)
                        .to(AppUser::Table, AppUser::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_task_assignee_due")
                .table(Task::Table)
                .col(Task::AssigneeId)
                .col(Task::DueOn)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_task_link")
                .table(Task::Table)
                .col(Task::LinkType)
                .col(Task::LinkId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CalendarToken::Table)
                .col(id(CalendarToken::Id))
                .col(ColumnDef::new(CalendarToken::UserId).uuid().not_null())
                .col(
                    ColumnDef::new(CalendarToken::TokenHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(tz(CalendarToken::CreatedAt))
                .col(tz_null(CalendarToken::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CalendarToken::Table, CalendarToken::UserId)
                        .to(AppUser::Table, AppUser::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        let now = chrono::Utc::now();
        let mut insert = Query::insert()
            .into_table(TaxonomyTerm::Table)
            .columns([
                TaxonomyTerm::Id,
                TaxonomyTerm::Vocabulary,
                TaxonomyTerm::Code,
                TaxonomyTerm::LabelDe,
                TaxonomyTerm::LabelEn,
                TaxonomyTerm::Position,
                TaxonomyTerm::CreatedAt,
                TaxonomyTerm::Version,
            ])
            .to_owned();
        for (i, (code, de, en)) in NEED_CATEGORIES.iter().enumerate() {
            insert.values_panic([
                uuid::Uuid::now_v7().into(),
                "need_category".into(),
                (*code).into(),
                (*de).into(),
                (*en).into(),
                <i32 as TryFrom<usize>>::try_from(i).unwrap_or(0).into(),
                now.into(),
                1.into(),
            ]);
        }
        m.exec_stmt(insert).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CalendarToken::Table.into_iden(),
            Task::Table.into_iden(),
            Need::Table.into_iden(),
            Attachment::Table.into_iden(),
            InteractionStaff::Table.into_iden(),
            InteractionPerson::Table.into_iden(),
            InteractionOrganisation::Table.into_iden(),
            Interaction::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.exec_stmt(
            Query::delete()
                .from_table(TaxonomyTerm::Table)
                .and_where(Expr::col(TaxonomyTerm::Vocabulary).eq("need_category"))
                .to_owned(),
        )
        .await
    }
}
