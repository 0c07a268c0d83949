//! Needs surveys (Bedarfsabfragen): a questionnaire the office sends to a
//! selection of organisations, each of which answers once (editable until
//! it closes). The questions and every text with its translations are one
//! JSON document of the survey: they are edited, versioned and locked
//! together (once sent, only wording and translations change, never what
//! an answer refers to).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Survey {
    Table,
    Id,
    Title,
    Content,
    OpensOn,
    ClosesOn,
    SentAt,
    ReminderLimit,
    Version,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyRecipient {
    Table,
    SurveyId,
    OrganisationId,
    InvitedAt,
    Reminded,
    RemindedAt,
}

#[derive(DeriveIden)]
enum SurveyAnswer {
    Table,
    Id,
    SurveyId,
    OrganisationId,
    Answers,
    PersonId,
    Version,
    CreatedAt,
    UpdatedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Survey::Table)
                .col(id(Survey::Id).primary_key())
                .col(ColumnDef::new(Survey::Title).string_len(200).not_null())
                .col(text(Survey::Content))
                .col(ColumnDef::new(Survey::OpensOn).date().null())
                .col(ColumnDef::new(Survey::ClosesOn).date().null())
                .col(at_null(Survey::SentAt))
                .col(
                    ColumnDef::new(Survey::ReminderLimit)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(ColumnDef::new(Survey::Version).integer().not_null())
                .col(at_null(Survey::DeletedAt))
                .col(at(Survey::CreatedAt))
                .col(at(Survey::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SurveyRecipient::Table)
                .col(id(SurveyRecipient::SurveyId))
                .col(id(SurveyRecipient::OrganisationId))
                .col(at(SurveyRecipient::InvitedAt))
                .col(
                    ColumnDef::new(SurveyRecipient::Reminded)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(at_null(SurveyRecipient::RemindedAt))
                .primary_key(
                    Index::create()
                        .col(SurveyRecipient::SurveyId)
                        .col(SurveyRecipient::OrganisationId),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_survey_recipient_organisation")
                .table(SurveyRecipient::Table)
                .col(SurveyRecipient::OrganisationId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SurveyAnswer::Table)
                .col(id(SurveyAnswer::Id).primary_key())
                .col(id(SurveyAnswer::SurveyId))
                .col(id(SurveyAnswer::OrganisationId))
                .col(text(SurveyAnswer::Answers))
                .col(ColumnDef::new(SurveyAnswer::PersonId).uuid().null())
                .col(ColumnDef::new(SurveyAnswer::Version).integer().not_null())
                .col(at(SurveyAnswer::CreatedAt))
                .col(at(SurveyAnswer::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // One answer per organisation and survey.
        m.create_index(
            Index::create()
                .name("survey_answer_once")
                .table(SurveyAnswer::Table)
                .col(SurveyAnswer::SurveyId)
                .col(SurveyAnswer::OrganisationId)
                .unique()
                .to_owned(),
        )
        .await
    }
}
