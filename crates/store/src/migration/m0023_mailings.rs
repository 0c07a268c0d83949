//! Mailings (Rundschreiben): a message of the office (subject and Markdown
//! text, with language versions, in one JSON document) to a selection of
//! persons. Sending puts one message per recipient into the outbox, which
//! then names the mailing, the person, the person's unsubscribe link (for
//! the `List-Unsubscribe` header) and the version's language; the outbox
//! stays the delivery log. A consent ended through the unsubscribe link
//! says so (`withdrawn_source`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Mailing {
    Table,
    Id,
    Subject,
    Content,
    Selection,
    SentAt,
    SentBy,
    Version,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    MailingId,
    PersonId,
    UnsubscribeUrl,
    Language,
}

#[derive(DeriveIden)]
enum Consent {
    Table,
    WithdrawnSource,
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
                .table(Mailing::Table)
                .col(ColumnDef::new(Mailing::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Mailing::Subject).string_len(200).not_null())
                .col(text(Mailing::Content))
                .col(text(Mailing::Selection))
                .col(at_null(Mailing::SentAt))
                .col(ColumnDef::new(Mailing::SentBy).uuid().null())
                .col(ColumnDef::new(Mailing::Version).integer().not_null())
                .col(at_null(Mailing::DeletedAt))
                .col(at(Mailing::CreatedAt))
                .col(at(Mailing::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // SQLite takes one column per ALTER TABLE.
        for col in [
            ColumnDef::new(Outbox::MailingId).uuid().null().to_owned(),
            ColumnDef::new(Outbox::PersonId).uuid().null().to_owned(),
            text(Outbox::UnsubscribeUrl),
            ColumnDef::new(Outbox::Language)
                .string_len(8)
                .not_null()
                .default("")
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_outbox_mailing")
                .table(Outbox::Table)
                .col(Outbox::MailingId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_person")
                .table(Outbox::Table)
                .col(Outbox::PersonId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Consent::Table)
                .add_column(
                    ColumnDef::new(Consent::WithdrawnSource)
                        .string_len(200)
                        .not_null()
                        .default(""),
                )
                .to_owned(),
        )
        .await
    }
}
