//! Surveys reach organisations without portal accounts: a personal link per
//! organisation (its generation, so staff can replace a link that went to
//! the wrong hands), the day the invitation was e-mailed, e-mails of a
//! survey in the outbox (its delivery log), and needs taken from an
//! answer (one per answer and question: the link keeps a second click from
//! making a duplicate).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SurveyRecipient {
    Table,
    LinkGeneration,
    MailedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    SurveyId,
}

#[derive(DeriveIden)]
enum Need {
    Table,
    SourceAnswerId,
    SourceQuestion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for col in [
            ColumnDef::new(SurveyRecipient::LinkGeneration)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(SurveyRecipient::MailedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(SurveyRecipient::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(ColumnDef::new(Outbox::SurveyId).uuid().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_survey")
                .table(Outbox::Table)
                .col(Outbox::SurveyId)
                .to_owned(),
        )
        .await?;
        for col in [
            ColumnDef::new(Need::SourceAnswerId)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(Need::SourceQuestion)
                .string_len(40)
                .not_null()
                .default("")
                .to_owned(),
        ] {
            m.alter_table(Table::alter().table(Need::Table).add_column(col).to_owned())
                .await?;
        }
        // Nulls are distinct in both databases: needs not from a survey
        // never collide.
        m.create_index(
            Index::create()
                .name("need_from_answer_once")
                .table(Need::Table)
                .col(Need::SourceAnswerId)
                .col(Need::SourceQuestion)
                .unique()
                .to_owned(),
        )
        .await
    }
}
