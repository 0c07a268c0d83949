//! The registry: taxonomy terms (topics, target groups) and organisations.
//!
//! List-valued fields (alternate names, languages, topics, target groups,
//! origins, public parts) are JSON arrays in text columns: portable between
//! SQLite and PostgreSQL and filterable with `LIKE '%"code"%'` because the
//! codes are controlled values without quotes. `search_text` holds the folded
//! name, alternate names and city for case- and accent-insensitive matching.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TaxonomyTerm {
    Table,
    Id,
    Vocabulary,
    Code,
    LabelDe,
    LabelEn,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Name,
    AlternateNames,
    Kind,
    LegalStatus,
    RegisterCourt,
    RegisterNumber,
    FoundingYear,
    MemberCount,
    Origins,
    Languages,
    Topics,
    TargetGroups,
    Street,
    Postcode,
    City,
    District,
    Latitude,
    Longitude,
    Website,
    Email,
    Phone,
    Description,
    InternalNotes,
    PublicFields,
    IsPublic,
    IsOwnOffice,
    AssuredAt,
    SearchText,
    NameSort,
    Version,
    DeletedAt,
    MergedInto,
    CreatedAt,
    UpdatedAt,
}

fn text(col: Organisation) -> ColumnDef {
    ColumnDef::new(col).text().not_null().default("").to_owned()
}

fn text_null(col: Organisation) -> ColumnDef {
    ColumnDef::new(col).text().null().to_owned()
}

fn list(col: Organisation) -> ColumnDef {
    ColumnDef::new(col)
        .text()
        .not_null()
        .default("[]")
        .to_owned()
}

/// The terms every new instance starts with; admins add more.
const TERMS: &[(&str, &str, &str, &str)] = &[
    ("topic", "education", "Bildung", "Education"),
    (
        "topic",
        "language",
        "Sprache und Sprachkurse",
        "Language and language courses",
    ),
    ("topic", "culture", "Kultur", "Culture"),
    ("topic", "religion", "Religion", "Religion"),
    ("topic", "sports", "Sport", "Sports"),
    ("topic", "youth", "Jugend", "Youth"),
    ("topic", "women", "Frauen", "Women"),
    (
        "topic",
        "seniors",
        "Seniorinnen und Senioren",
        "Older people",
    ),
    ("topic", "counselling", "Beratung", "Counselling"),
    ("topic", "health", "Gesundheit", "Health"),
    (
        "topic",
        "labour",
        "Arbeit und Ausbildung",
        "Work and training",
    ),
    (
        "topic",
        "participation",
        "Teilhabe und Engagement",
        "Participation",
    ),
    (
        "topic",
        "refugees",
        "Flucht und Asyl",
        "Refugees and asylum",
    ),
    ("target_group", "children", "Kinder", "Children"),
    ("target_group", "youth", "Jugendliche", "Young people"),
    ("target_group", "women", "Frauen", "Women"),
    ("target_group", "families", "Familien", "Families"),
    ("target_group", "seniors", "Ältere Menschen", "Older people"),
    ("target_group", "newcomers", "Neuzugewanderte", "Newcomers"),
    ("target_group", "refugees", "Geflüchtete", "Refugees"),
    ("target_group", "everyone", "Alle", "Everyone"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TaxonomyTerm::Table)
                .col(
                    ColumnDef::new(TaxonomyTerm::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(TaxonomyTerm::Vocabulary)
                        .string_len(30)
                        .not_null(),
                )
                .col(ColumnDef::new(TaxonomyTerm::Code).string_len(60).not_null())
                .col(
                    ColumnDef::new(TaxonomyTerm::LabelDe)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TaxonomyTerm::LabelEn)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TaxonomyTerm::Position)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(TaxonomyTerm::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_taxonomy_term")
                .table(TaxonomyTerm::Table)
                .col(TaxonomyTerm::Vocabulary)
                .col(TaxonomyTerm::Code)
                .unique()
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
            ])
            .to_owned();
        for (i, (vocabulary, code, de, en)) in TERMS.iter().enumerate() {
            insert.values_panic([
                uuid::Uuid::now_v7().into(),
                (*vocabulary).into(),
                (*code).into(),
                (*de).into(),
                (*en).into(),
                <i32 as TryFrom<usize>>::try_from(i).unwrap_or(0).into(),
                now.into(),
            ]);
        }
        m.exec_stmt(insert).await?;

        m.create_table(
            Table::create()
                .table(Organisation::Table)
                .col(
                    ColumnDef::new(Organisation::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Organisation::Name)
                        .string_len(200)
                        .not_null(),
                )
                .col(list(Organisation::AlternateNames))
                .col(ColumnDef::new(Organisation::Kind).string_len(30).not_null())
                .col(text_null(Organisation::LegalStatus))
                .col(text_null(Organisation::RegisterCourt))
                .col(text_null(Organisation::RegisterNumber))
                .col(ColumnDef::new(Organisation::FoundingYear).integer().null())
                .col(ColumnDef::new(Organisation::MemberCount).integer().null())
                .col(list(Organisation::Origins))
                .col(list(Organisation::Languages))
                .col(list(Organisation::Topics))
                .col(list(Organisation::TargetGroups))
                .col(text_null(Organisation::Street))
                .col(text_null(Organisation::Postcode))
                .col(text_null(Organisation::City))
                .col(text_null(Organisation::District))
                .col(ColumnDef::new(Organisation::Latitude).double().null())
                .col(ColumnDef::new(Organisation::Longitude).double().null())
                .col(text_null(Organisation::Website))
                .col(text_null(Organisation::Email))
                .col(text_null(Organisation::Phone))
                .col(text(Organisation::Description))
                .col(text(Organisation::InternalNotes))
                .col(list(Organisation::PublicFields))
                .col(
                    ColumnDef::new(Organisation::IsPublic)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(Organisation::IsOwnOffice)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(Organisation::AssuredAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(text(Organisation::SearchText))
                .col(
                    ColumnDef::new(Organisation::NameSort)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Organisation::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(
                    ColumnDef::new(Organisation::DeletedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Organisation::MergedInto).uuid().null())
                .col(
                    ColumnDef::new(Organisation::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Organisation::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_organisation_name_sort", Organisation::NameSort),
            ("idx_organisation_kind", Organisation::Kind),
            ("idx_organisation_district", Organisation::District),
            ("idx_organisation_updated", Organisation::UpdatedAt),
            ("idx_organisation_register", Organisation::RegisterNumber),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Organisation::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Organisation::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(TaxonomyTerm::Table).to_owned())
            .await
    }
}
