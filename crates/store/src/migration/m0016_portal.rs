//! The portal: the organisations' own door. Invitations turn a person of
//! an organisation into a `representative` account tied to that person;
//! sign-in links let them in without a password; their changes wait as
//! proposals until staff decide (unless the organisation is trusted);
//! ideas and projects are a record type of their own; members answer
//! meeting invitations; needs know who reported them and how urgent they
//! are.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invitation {
    Table,
    Id,
    PersonId,
    OrganisationId,
    Email,
    Language,
    TokenHash,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    SentAt,
    AcceptedAt,
    RevokedAt,
    UserId,
    Version,
}

#[derive(DeriveIden)]
enum SignInLink {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Proposal {
    Table,
    Id,
    Entity,
    Action,
    RecordId,
    OrganisationId,
    BaseVersion,
    Changes,
    Before,
    Status,
    Message,
    ProposedBy,
    PersonId,
    DecidedBy,
    DecidedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Idea {
    Table,
    Id,
    Title,
    Description,
    Participants,
    Support,
    Status,
    Outcome,
    OrganisationId,
    PersonId,
    Source,
    Version,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IdeaLink {
    Table,
    IdeaId,
    RecordType,
    RecordId,
}

#[derive(DeriveIden)]
enum MeetingResponse {
    Table,
    MeetingId,
    PersonId,
    OrganisationId,
    Answer,
    StandInId,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    PersonId,
    Language,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Trusted,
}

#[derive(DeriveIden)]
enum Need {
    Table,
    ReportedBy,
    Urgency,
}

fn id(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).uuid().not_null().to_owned()
}

fn at(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn at_null(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn text(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).text().not_null().default("").to_owned()
}

fn short(c: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Invitation::Table)
                .col(id(Invitation::Id).primary_key())
                .col(id(Invitation::PersonId))
                .col(id(Invitation::OrganisationId))
                .col(short(Invitation::Email, 254))
                .col(short(Invitation::Language, 5))
                .col(short(Invitation::TokenHash, 64))
                .col(ColumnDef::new(Invitation::CreatedBy).uuid().null())
                .col(at(Invitation::CreatedAt))
                .col(at(Invitation::ExpiresAt))
                .col(at_null(Invitation::SentAt))
                .col(at_null(Invitation::AcceptedAt))
                .col(at_null(Invitation::RevokedAt))
                .col(ColumnDef::new(Invitation::UserId).uuid().null())
                .col(ColumnDef::new(Invitation::Version).integer().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("invitation_token_hash")
                .table(Invitation::Table)
                .col(Invitation::TokenHash)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("invitation_person")
                .table(Invitation::Table)
                .col(Invitation::PersonId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SignInLink::Table)
                .col(short(SignInLink::TokenHash, 64).primary_key())
                .col(id(SignInLink::UserId))
                .col(at(SignInLink::CreatedAt))
                .col(at(SignInLink::ExpiresAt))
                .col(at_null(SignInLink::UsedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Proposal::Table)
                .col(id(Proposal::Id).primary_key())
                .col(short(Proposal::Entity, 20))
                .col(short(Proposal::Action, 20))
                .col(ColumnDef::new(Proposal::RecordId).uuid().null())
                .col(id(Proposal::OrganisationId))
                .col(ColumnDef::new(Proposal::BaseVersion).integer().null())
                .col(text(Proposal::Changes))
                .col(text(Proposal::Before))
                .col(short(Proposal::Status, 20))
                .col(text(Proposal::Message))
                .col(ColumnDef::new(Proposal::ProposedBy).uuid().null())
                .col(ColumnDef::new(Proposal::PersonId).uuid().null())
                .col(ColumnDef::new(Proposal::DecidedBy).uuid().null())
                .col(at_null(Proposal::DecidedAt))
                .col(ColumnDef::new(Proposal::Version).integer().not_null())
                .col(at(Proposal::CreatedAt))
                .col(at(Proposal::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("proposal_status")
                .table(Proposal::Table)
                .col(Proposal::Status)
                .col(Proposal::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("proposal_organisation")
                .table(Proposal::Table)
                .col(Proposal::OrganisationId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Idea::Table)
                .col(id(Idea::Id).primary_key())
                .col(short(Idea::Title, 200))
                .col(text(Idea::Description))
                .col(text(Idea::Participants))
                .col(text(Idea::Support))
                .col(short(Idea::Status, 20))
                .col(text(Idea::Outcome))
                .col(ColumnDef::new(Idea::OrganisationId).uuid().null())
                .col(ColumnDef::new(Idea::PersonId).uuid().null())
                .col(short(Idea::Source, 20))
                .col(ColumnDef::new(Idea::Version).integer().not_null())
                .col(at_null(Idea::DeletedAt))
                .col(at(Idea::CreatedAt))
                .col(at(Idea::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(IdeaLink::Table)
                .col(id(IdeaLink::IdeaId))
                .col(short(IdeaLink::RecordType, 20))
                .col(id(IdeaLink::RecordId))
                .primary_key(
                    Index::create()
                        .col(IdeaLink::IdeaId)
                        .col(IdeaLink::RecordType)
                        .col(IdeaLink::RecordId),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MeetingResponse::Table)
                .col(id(MeetingResponse::MeetingId))
                .col(id(MeetingResponse::PersonId))
                .col(
                    ColumnDef::new(MeetingResponse::OrganisationId)
                        .uuid()
                        .null(),
                )
                .col(short(MeetingResponse::Answer, 10))
                .col(ColumnDef::new(MeetingResponse::StandInId).uuid().null())
                .col(at(MeetingResponse::AnsweredAt))
                .primary_key(
                    Index::create()
                        .col(MeetingResponse::MeetingId)
                        .col(MeetingResponse::PersonId),
                )
                .to_owned(),
        )
        .await?;
        // SQLite takes one change per ALTER TABLE.
        let add = |table: DynIden, column: ColumnDef| {
            Table::alter().table(table).add_column(column).to_owned()
        };
        for change in [
            add(
                AppUser::Table.into_iden(),
                ColumnDef::new(AppUser::PersonId).uuid().null().to_owned(),
            ),
            add(
                AppUser::Table.into_iden(),
                ColumnDef::new(AppUser::Language)
                    .string_len(5)
                    .not_null()
                    .default("de")
                    .to_owned(),
            ),
            add(
                Organisation::Table.into_iden(),
                ColumnDef::new(Organisation::Trusted)
                    .boolean()
                    .not_null()
                    .default(false)
                    .to_owned(),
            ),
            add(
                Need::Table.into_iden(),
                ColumnDef::new(Need::ReportedBy).uuid().null().to_owned(),
            ),
            add(
                Need::Table.into_iden(),
                ColumnDef::new(Need::Urgency)
                    .string_len(10)
                    .not_null()
                    .default("normal")
                    .to_owned(),
            ),
        ] {
            m.alter_table(change).await?;
        }
        m.create_index(
            Index::create()
                .name("app_user_person")
                .table(AppUser::Table)
                .col(AppUser::PersonId)
                .to_owned(),
        )
        .await
    }
}
