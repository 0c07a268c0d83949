//! Events (Veranstaltungen): one-off or multi-day, in person, online or
//! hybrid, organised by one or more organisations (an MSO or the office
//! itself), planned → held, or cancelled with a reason. Public ones go to
//! the directory and the public calendar feeds.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Event {
    Table,
    Id,
    Title,
    Description,
    Category,
    StartsAt,
    EndsAt,
    Mode,
    Place,
    OnlineLink,
    RegistrationLink,
    Languages,
    Status,
    CancelReason,
    IsPublic,
    Translations,
    Version,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventOrganiser {
    Table,
    EventId,
    OrganisationId,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let text = |c: Event| ColumnDef::new(c).text().not_null().default("").to_owned();
        m.create_table(
            Table::create()
                .table(Event::Table)
                .col(ColumnDef::new(Event::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Event::Title).string_len(300).not_null())
                .col(text(Event::Description))
                .col(
                    ColumnDef::new(Event::Category)
                        .string_len(64)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Event::StartsAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Event::EndsAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Event::Mode).string_len(20).not_null())
                .col(text(Event::Place))
                .col(text(Event::OnlineLink))
                .col(text(Event::RegistrationLink))
                .col(
                    ColumnDef::new(Event::Languages)
                        .text()
                        .not_null()
                        .default("[]"),
                )
                .col(ColumnDef::new(Event::Status).string_len(20).not_null())
                .col(text(Event::CancelReason))
                .col(
                    ColumnDef::new(Event::IsPublic)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(Event::Translations)
                        .text()
                        .not_null()
                        .default("{}"),
                )
                .col(
                    ColumnDef::new(Event::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(
                    ColumnDef::new(Event::DeletedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(Event::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Event::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("event_starts_at")
                .table(Event::Table)
                .col(Event::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EventOrganiser::Table)
                .col(ColumnDef::new(EventOrganiser::EventId).uuid().not_null())
                .col(
                    ColumnDef::new(EventOrganiser::OrganisationId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(EventOrganiser::Position)
                        .integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(EventOrganiser::EventId)
                        .col(EventOrganiser::OrganisationId),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("event_organiser_organisation")
                .table(EventOrganiser::Table)
                .col(EventOrganiser::OrganisationId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(EventOrganiser::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Event::Table).to_owned())
            .await
    }
}
