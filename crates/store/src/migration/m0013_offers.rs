//! Offers (Angebote) of the organisations and of the office, aligned with
//! the HSDS `service` and `schedule`; the `offer_category` vocabulary and
//! its first terms.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Offer {
    Table,
    Id,
    OrganisationId,
    Title,
    Description,
    Category,
    /// JSON array of `target_group` codes.
    TargetGroups,
    AgeMin,
    AgeMax,
    /// JSON array of ISO 639-1 codes.
    Languages,
    CostKind,
    CostText,
    RegistrationRequired,
    RegistrationHow,
    Accessibility,
    LocationKind,
    Street,
    Postcode,
    City,
    OnlineLink,
    ScheduleRrule,
    ScheduleText,
    StartsTime,
    EndsTime,
    ValidFrom,
    ValidTo,
    Status,
    ContactPersonId,
    IsPublic,
    /// JSON object: language → {title, description}.
    Translations,
    /// Folded title (and translated titles) for the text filter.
    SearchText,
    Version,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

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
    Version,
}

const OFFER_CATEGORIES: &[(&str, &str, &str)] = &[
    ("language_course", "Sprachkurs", "Language course"),
    ("counselling", "Beratung", "Counselling"),
    ("homework_help", "Hausaufgabenhilfe", "Homework help"),
    ("culture", "Kultur und Begegnung", "Culture and encounter"),
    ("sport", "Sport und Bewegung", "Sport and exercise"),
    ("parents", "Eltern und Familie", "Parents and families"),
    ("women", "Frauen", "Women"),
    (
        "youth",
        "Kinder und Jugendliche",
        "Children and young people",
    ),
    ("religion", "Religion und Glaube", "Religion and faith"),
    ("other", "Sonstiges", "Other"),
];

fn text(col: Offer) -> ColumnDef {
    ColumnDef::new(col).text().not_null().default("").to_owned()
}

fn string(col: Offer, len: u32) -> ColumnDef {
    ColumnDef::new(col)
        .string_len(len)
        .not_null()
        .default("")
        .to_owned()
}

fn tz(col: Offer) -> ColumnDef {
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
                .table(Offer::Table)
                .col(ColumnDef::new(Offer::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Offer::OrganisationId).uuid().not_null())
                .col(ColumnDef::new(Offer::Title).string_len(300).not_null())
                .col(text(Offer::Description))
                .col(ColumnDef::new(Offer::Category).string_len(60).not_null())
                .col(text(Offer::TargetGroups))
                .col(ColumnDef::new(Offer::AgeMin).integer().null())
                .col(ColumnDef::new(Offer::AgeMax).integer().null())
                .col(text(Offer::Languages))
                .col(ColumnDef::new(Offer::CostKind).string_len(20).not_null())
                .col(string(Offer::CostText, 300))
                .col(
                    ColumnDef::new(Offer::RegistrationRequired)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(text(Offer::RegistrationHow))
                .col(text(Offer::Accessibility))
                .col(
                    ColumnDef::new(Offer::LocationKind)
                        .string_len(20)
                        .not_null(),
                )
                .col(string(Offer::Street, 200))
                .col(string(Offer::Postcode, 5))
                .col(string(Offer::City, 100))
                .col(string(Offer::OnlineLink, 500))
                .col(string(Offer::ScheduleRrule, 500))
                .col(string(Offer::ScheduleText, 500))
                .col(ColumnDef::new(Offer::StartsTime).string_len(5).null())
                .col(ColumnDef::new(Offer::EndsTime).string_len(5).null())
                .col(ColumnDef::new(Offer::ValidFrom).date().null())
                .col(ColumnDef::new(Offer::ValidTo).date().null())
                .col(ColumnDef::new(Offer::Status).string_len(20).not_null())
                .col(ColumnDef::new(Offer::ContactPersonId).uuid().null())
                .col(
                    ColumnDef::new(Offer::IsPublic)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(text(Offer::Translations))
                .col(text(Offer::SearchText))
                .col(
                    ColumnDef::new(Offer::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(
                    ColumnDef::new(Offer::DeletedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(tz(Offer::CreatedAt))
                .col(tz(Offer::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Offer::Table, Offer::OrganisationId)
                        .to(Organisation::Table, Organisation::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_offer_organisation")
                .table(Offer::Table)
                .col(Offer::OrganisationId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_offer_status_category")
                .table(Offer::Table)
                .col(Offer::Status)
                .col(Offer::Category)
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
        for (i, (code, de, en)) in OFFER_CATEGORIES.iter().enumerate() {
            insert.values_panic([
                uuid::Uuid::now_v7().into(),
                "offer_category".into(),
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
        m.drop_table(Table::drop().table(Offer::Table).to_owned())
            .await?;
        m.exec_stmt(
            Query::delete()
                .from_table(TaxonomyTerm::Table)
                .and_where(Expr::col(TaxonomyTerm::Vocabulary).eq("offer_category"))
                .to_owned(),
        )
        .await
    }
}
