//! Bodies (working groups, the integration council, advisory groups,
//! external bodies), their memberships (a person on behalf of an
//! organisation, or a staff member of the office), their meetings with
//! agenda items and minutes, attendance per person, and the e-mail outbox
//! the invitation worker sends from.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Body {
    Table,
    Id,
    Kind,
    Name,
    Purpose,
    FoundedOn,
    DissolvedOn,
    OrganiserId,
    IsPublic,
    FeedSecretHash,
    OparlId,
    Version,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Membership {
    Table,
    Id,
    BodyId,
    PersonId,
    UserId,
    OnBehalfOf,
    Role,
    FromDate,
    ToDate,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Meeting {
    Table,
    Id,
    BodyId,
    Title,
    StartsAt,
    EndsAt,
    Mode,
    Place,
    VideoLink,
    Status,
    CancelReason,
    Minutes,
    MinutesStatus,
    OparlId,
    Sequence,
    Version,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AgendaItem {
    Table,
    Id,
    MeetingId,
    Position,
    Title,
    Outcome,
    OparlId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Attendance {
    Table,
    MeetingId,
    Attendee,
    PersonId,
    UserId,
    OnBehalfOf,
    Status,
    Mode,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
    MeetingId,
    ToAddress,
    Subject,
    BodyText,
    Ics,
    Status,
    Attempts,
    LastError,
    NextAttemptAt,
    SentAt,
    CreatedAt,
}

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

fn cascade(
    from: (impl IntoIden + Copy, impl IntoIden + Copy),
    to: (impl IntoIden + Copy, impl IntoIden + Copy),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Body::Table)
                .col(id(Body::Id))
                .col(ColumnDef::new(Body::Kind).string_len(30).not_null())
                .col(ColumnDef::new(Body::Name).string_len(200).not_null())
                .col(ColumnDef::new(Body::Purpose).text().not_null().default(""))
                .col(ColumnDef::new(Body::FoundedOn).date().null())
                .col(ColumnDef::new(Body::DissolvedOn).date().null())
                .col(ColumnDef::new(Body::OrganiserId).uuid().null())
                .col(
                    ColumnDef::new(Body::IsPublic)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ColumnDef::new(Body::FeedSecretHash).string_len(64).null())
                .col(ColumnDef::new(Body::OparlId).string_len(500).null())
                .col(
                    ColumnDef::new(Body::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(tz_null(Body::DeletedAt))
                .col(tz(Body::CreatedAt))
                .col(tz(Body::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Membership::Table)
                .col(id(Membership::Id))
                .col(ColumnDef::new(Membership::BodyId).uuid().not_null())
                .col(ColumnDef::new(Membership::PersonId).uuid().null())
                .col(ColumnDef::new(Membership::UserId).uuid().null())
                .col(ColumnDef::new(Membership::OnBehalfOf).uuid().null())
                .col(ColumnDef::new(Membership::Role).string_len(30).not_null())
                .col(ColumnDef::new(Membership::FromDate).date().null())
                .col(ColumnDef::new(Membership::ToDate).date().null())
                .col(tz(Membership::CreatedAt))
                .foreign_key(&mut cascade(
                    (Membership::Table, Membership::BodyId),
                    (Body::Table, Body::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_membership_body")
                .table(Membership::Table)
                .col(Membership::BodyId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Meeting::Table)
                .col(id(Meeting::Id))
                .col(ColumnDef::new(Meeting::BodyId).uuid().not_null())
                .col(ColumnDef::new(Meeting::Title).string_len(200).not_null())
                .col(tz(Meeting::StartsAt))
                .col(tz_null(Meeting::EndsAt))
                .col(ColumnDef::new(Meeting::Mode).string_len(20).not_null())
                .col(
                    ColumnDef::new(Meeting::Place)
                        .string_len(300)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Meeting::VideoLink)
                        .string_len(500)
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(Meeting::Status).string_len(20).not_null())
                .col(
                    ColumnDef::new(Meeting::CancelReason)
                        .string_len(500)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Meeting::Minutes)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Meeting::MinutesStatus)
                        .string_len(20)
                        .not_null()
                        .default("draft"),
                )
                .col(ColumnDef::new(Meeting::OparlId).string_len(500).null())
                .col(
                    ColumnDef::new(Meeting::Sequence)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(Meeting::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(tz_null(Meeting::DeletedAt))
                .col(tz(Meeting::CreatedAt))
                .col(tz(Meeting::UpdatedAt))
                .foreign_key(&mut cascade(
                    (Meeting::Table, Meeting::BodyId),
                    (Body::Table, Body::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_meeting_body_starts")
                .table(Meeting::Table)
                .col(Meeting::BodyId)
                .col(Meeting::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AgendaItem::Table)
                .col(id(AgendaItem::Id))
                .col(ColumnDef::new(AgendaItem::MeetingId).uuid().not_null())
                .col(ColumnDef::new(AgendaItem::Position).integer().not_null())
                .col(ColumnDef::new(AgendaItem::Title).string_len(500).not_null())
                .col(
                    ColumnDef::new(AgendaItem::Outcome)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(AgendaItem::OparlId).string_len(500).null())
                .col(tz(AgendaItem::CreatedAt))
                .foreign_key(&mut cascade(
                    (AgendaItem::Table, AgendaItem::MeetingId),
                    (Meeting::Table, Meeting::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Attendance::Table)
                .col(ColumnDef::new(Attendance::MeetingId).uuid().not_null())
                .col(
                    ColumnDef::new(Attendance::Attendee)
                        .string_len(40)
                        .not_null(),
                )
                .col(ColumnDef::new(Attendance::PersonId).uuid().null())
                .col(ColumnDef::new(Attendance::UserId).uuid().null())
                .col(ColumnDef::new(Attendance::OnBehalfOf).uuid().null())
                .col(ColumnDef::new(Attendance::Status).string_len(20).not_null())
                .col(ColumnDef::new(Attendance::Mode).string_len(20).not_null())
                .col(tz(Attendance::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(Attendance::MeetingId)
                        .col(Attendance::Attendee),
                )
                .foreign_key(&mut cascade(
                    (Attendance::Table, Attendance::MeetingId),
                    (Meeting::Table, Meeting::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(id(Outbox::Id))
                .col(ColumnDef::new(Outbox::MeetingId).uuid().null())
                .col(ColumnDef::new(Outbox::ToAddress).string_len(254).not_null())
                .col(ColumnDef::new(Outbox::Subject).string_len(300).not_null())
                .col(ColumnDef::new(Outbox::BodyText).text().not_null())
                .col(ColumnDef::new(Outbox::Ics).text().not_null().default(""))
                .col(ColumnDef::new(Outbox::Status).string_len(20).not_null())
                .col(
                    ColumnDef::new(Outbox::Attempts)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(Outbox::LastError)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(tz(Outbox::NextAttemptAt))
                .col(tz_null(Outbox::SentAt))
                .col(tz(Outbox::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_due")
                .table(Outbox::Table)
                .col(Outbox::Status)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Outbox::Table.into_iden(),
            Attendance::Table.into_iden(),
            AgendaItem::Table.into_iden(),
            Meeting::Table.into_iden(),
            Membership::Table.into_iden(),
            Body::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
