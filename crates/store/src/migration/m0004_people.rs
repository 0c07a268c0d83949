//! People of the registry: contact persons, their affiliations with
//! organisations (role, from, to) and their consent records (purpose, date,
//! source, expiry, withdrawal). Consent decides what may be shown or mailed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    GivenName,
    FamilyName,
    Email,
    Phone,
    Languages,
    Notes,
    SearchText,
    NameSort,
    Version,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Affiliation {
    Table,
    Id,
    PersonId,
    OrganisationId,
    Role,
    FromDate,
    ToDate,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Consent {
    Table,
    Id,
    PersonId,
    Purpose,
    GivenOn,
    Source,
    ExpiresOn,
    WithdrawnOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
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
                .table(Person::Table)
                .col(ColumnDef::new(Person::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Person::GivenName).string_len(100).not_null())
                .col(
                    ColumnDef::new(Person::FamilyName)
                        .string_len(100)
                        .not_null(),
                )
                .col(ColumnDef::new(Person::Email).string_len(254).null())
                .col(ColumnDef::new(Person::Phone).string_len(40).null())
                .col(
                    ColumnDef::new(Person::Languages)
                        .text()
                        .not_null()
                        .default("[]"),
                )
                .col(ColumnDef::new(Person::Notes).text().not_null().default(""))
                .col(
                    ColumnDef::new(Person::SearchText)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(Person::NameSort).string_len(200).not_null())
                .col(
                    ColumnDef::new(Person::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(
                    ColumnDef::new(Person::DeletedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(tz(Person::CreatedAt))
                .col(tz(Person::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_person_name_sort")
                .table(Person::Table)
                .col(Person::NameSort)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Affiliation::Table)
                .col(
                    ColumnDef::new(Affiliation::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Affiliation::PersonId).uuid().not_null())
                .col(
                    ColumnDef::new(Affiliation::OrganisationId)
                        .uuid()
                        .not_null(),
                )
                .col(ColumnDef::new(Affiliation::Role).string_len(100).not_null())
                .col(ColumnDef::new(Affiliation::FromDate).date().null())
                .col(ColumnDef::new(Affiliation::ToDate).date().null())
                .col(tz(Affiliation::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Affiliation::Table, Affiliation::PersonId)
                        .to(Person::Table, Person::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Affiliation::Table, Affiliation::OrganisationId)
                        .to(Organisation::Table, Organisation::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_affiliation_person", Affiliation::PersonId),
            ("idx_affiliation_organisation", Affiliation::OrganisationId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Affiliation::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(Consent::Table)
                .col(ColumnDef::new(Consent::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Consent::PersonId).uuid().not_null())
                .col(ColumnDef::new(Consent::Purpose).string_len(30).not_null())
                .col(ColumnDef::new(Consent::GivenOn).date().not_null())
                .col(ColumnDef::new(Consent::Source).string_len(200).not_null())
                .col(ColumnDef::new(Consent::ExpiresOn).date().null())
                .col(ColumnDef::new(Consent::WithdrawnOn).date().null())
                .col(tz(Consent::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Consent::Table, Consent::PersonId)
                        .to(Person::Table, Person::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_consent_person")
                .table(Consent::Table)
                .col(Consent::PersonId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Consent::Table.into_iden(),
            Affiliation::Table.into_iden(),
            Person::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
