//! What every column holds in terms of the GDPR (DSGVO): the register of
//! processing needs it, erasure and subject access follow it, and a test
//! fails when a column is added without being classified here (or a table
//! without being in the backup).

/// How a column relates to personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Describes or identifies a natural person (name, contact, role,
    /// dates of a membership, IP address, …).
    Personal,
    /// Free text or a file that may mention people (notes, minutes,
    /// descriptions, audit snapshots).
    Free,
    /// Points to a person or a user account: links records to them.
    Reference,
    /// A secret or credential (hashes, TOTP secrets, stored settings with
    /// passwords); never exported, never shown.
    Secret,
    /// No personal data.
    None,
}

impl Class {
    fn parse(code: u8) -> Class {
        match code {
            b'P' => Class::Personal,
            b'F' => Class::Free,
            b'R' => Class::Reference,
            b'S' => Class::Secret,
            _ => Class::None,
        }
    }
}

/// Per table: `column:class` with P, F, R, S or N (see [`Class`]).
const REGISTER: &[(&str, &str)] = &[
    (
        "affiliation",
        "id:N person_id:R organisation_id:N role:P from_date:P to_date:P created_at:N",
    ),
    (
        "agenda_item",
        "id:N meeting_id:N position:N title:F outcome:F oparl_id:N created_at:N",
    ),
    (
        "api_token",
        "id:N user_id:R name:N token_hash:S prefix:N created_at:N last_used_at:P revoked_at:N",
    ),
    (
        "app_user",
        "id:N email:P display_name:P role:P organisation_id:N password_hash:S must_change_password:N \
         disabled_at:P last_login_at:P totp_secret:S totp_enabled_at:P \
         version:N created_at:N updated_at:N person_id:R language:P form_of_address:P",
    ),
    (
        "attachment",
        "id:N owner_type:N owner_id:N file_id:N created_by:R created_at:N",
    ),
    (
        "attendance",
        "meeting_id:N attendee:R person_id:R user_id:R on_behalf_of:N status:P mode:P updated_at:N",
    ),
    (
        "audit_log",
        "position:N at:N actor_id:R actor_label:P entity_type:N entity_id:N action:N before:F after:F ip:P",
    ),
    (
        "auth_throttle",
        "key:P failures:N locked_until:N last_step:N updated_at:N",
    ),
    (
        "body",
        "id:N kind:N name:N purpose:F founded_on:N dissolved_on:N organiser_id:N is_public:N \
         feed_secret_hash:S oparl_id:N version:N deleted_at:N created_at:N updated_at:N",
    ),
    (
        "calendar_token",
        "id:N user_id:R token_hash:S created_at:N revoked_at:N",
    ),
    (
        "consent",
        "id:N person_id:R purpose:P given_on:P source:P expires_on:P withdrawn_on:P created_at:N \
         withdrawn_source:P",
    ),
    (
        "event",
        "id:N title:N description:F category:N starts_at:N ends_at:N mode:N place:N online_link:N \
         registration_link:N languages:N status:N cancel_reason:F is_public:N translations:F version:N \
         deleted_at:N created_at:N updated_at:N",
    ),
    ("event_organiser", "event_id:N organisation_id:N position:N"),
    (
        "idea",
        "id:N title:F description:F participants:F support:F status:N outcome:F organisation_id:N \
         person_id:R source:N version:N deleted_at:N created_at:N updated_at:N",
    ),
    ("idea_link", "idea_id:N record_type:N record_id:N"),
    (
        "invitation",
        "id:N person_id:R organisation_id:N email:P language:P token_hash:S created_by:R \
         created_at:N expires_at:N sent_at:N accepted_at:P revoked_at:N user_id:R version:N",
    ),
    (
        "meeting_response",
        "meeting_id:N person_id:R organisation_id:N answer:P stand_in_id:R answered_at:P",
    ),
    (
        "import_profile",
        "id:N entity:N name:N mapping:N on_match:N version:N created_at:N updated_at:N",
    ),
    (
        "import_upload",
        "id:N entity:N file_name:F size:N data:P user_id:R created_at:N",
    ),
    (
        "interaction",
        "id:N kind:N mode:N status:N subject:F starts_at:N duration_minutes:N cancel_reason:N \
         cancel_note:F topics:N interfaces:N notes:F version:N deleted_at:N created_by:R created_at:N \
         updated_at:N",
    ),
    (
        "interaction_organisation",
        "interaction_id:N organisation_id:N",
    ),
    ("interaction_person", "interaction_id:N person_id:R"),
    ("interaction_staff", "interaction_id:N user_id:R"),
    (
        "meeting",
        "id:N body_id:N title:N starts_at:N ends_at:N mode:N place:N video_link:N status:N \
         cancel_reason:N minutes:F minutes_status:N oparl_id:N sequence:N version:N deleted_at:N \
         created_at:N updated_at:N",
    ),
    (
        "membership",
        "id:N body_id:N person_id:R user_id:R on_behalf_of:N role:P from_date:P to_date:P created_at:N",
    ),
    (
        "need",
        "id:N organisation_id:N category:N description:F source:N source_interaction_id:N status:N \
         outcome:F version:N deleted_at:N created_at:N updated_at:N reported_by:R urgency:N \
         raised_on:N resolved_on:N source_answer_id:N source_question:N",
    ),
    (
        "offer",
        "id:N organisation_id:N title:N description:F category:N target_groups:N age_min:N age_max:N \
         languages:N cost_kind:N cost_text:N registration_required:N registration_how:F accessibility:N \
         location_kind:N street:N postcode:N city:N online_link:N schedule_rrule:N schedule_text:N \
         starts_time:N ends_time:N valid_from:N valid_to:N status:N contact_person_id:R is_public:N \
         translations:F search_text:N version:N deleted_at:N created_at:N updated_at:N",
    ),
    (
        "organisation",
        "id:N name:N alternate_names:N kind:N legal_status:N register_court:N register_number:N \
         founding_year:N member_count:N origins:N languages:N topics:N target_groups:N street:N \
         postcode:N city:N district:N latitude:N longitude:N website:N email:P phone:P description:F \
         internal_notes:F public_fields:N is_public:N is_own_office:N assured_at:N search_text:N \
         name_sort:N version:N deleted_at:N merged_into:N created_at:N updated_at:N logo_file_id:N \
         trusted:N",
    ),
    (
        "outbox",
        "id:N meeting_id:N to_address:P subject:N body_text:F ics:F status:N attempts:N last_error:N \
         next_attempt_at:N sent_at:N created_at:N survey_id:N mailing_id:N person_id:R \
         unsubscribe_url:S language:N",
    ),
    (
        "project",
        "id:N name:N description:F chart_counts:N position:N version:N created_at:N updated_at:N",
    ),
    (
        "beyond_item",
        "id:N period_id:N project_id:N kind:N record_id:N user_id:R text:F hidden:N position:N \
         happened_on:N version:N created_at:N updated_at:N",
    ),
    (
        "period",
        "id:N name:N kind:N starts_on:N ends_on:N version:N created_at:N updated_at:N",
    ),
    (
        "person",
        "id:N given_name:P family_name:P email:P phone:P languages:P notes:F search_text:P name_sort:P \
         version:N deleted_at:N created_at:N updated_at:N",
    ),
    (
        "survey",
        "id:N title:F content:F opens_on:N closes_on:N sent_at:N reminder_limit:N version:N \
         deleted_at:N created_at:N updated_at:N",
    ),
    (
        "mailing",
        "id:N subject:F content:F selection:R sent_by:R sent_at:N version:N deleted_at:N \
         created_at:N updated_at:N",
    ),
    (
        "survey_recipient",
        "survey_id:N organisation_id:N invited_at:N reminded:N reminded_at:N link_generation:N \
         mailed_at:N",
    ),
    (
        "survey_answer",
        "id:N survey_id:N organisation_id:N answers:F person_id:R version:N created_at:N \
         updated_at:N",
    ),
    (
        "proposal",
        "id:N entity:N action:N record_id:N organisation_id:N base_version:N changes:F before:F \
         status:N message:F proposed_by:R person_id:R decided_by:R decided_at:N version:N \
         created_at:N updated_at:N",
    ),
    ("recovery_code", "id:N user_id:R code_hash:S used_at:N"),
    (
        "report_text",
        "period_id:N title:N introduction:F outlook:F place:N author:P narratives:F version:N updated_at:N \
         dated:N staff_names:N chapters:F needs:N",
    ),
    (
        "report_version",
        "id:N period_id:N number:N note:F snapshot:F created_at:N created_by:R",
    ),
    (
        "session",
        "id:S user_id:R second_factor_pending:N created_at:P last_seen_at:P expires_at:N ip:P user_agent:P",
    ),
    ("setting", "key:N value:S updated_at:N"),
    (
        "sign_in_link",
        "token_hash:S user_id:R created_at:P expires_at:N used_at:P",
    ),
    (
        "stored_file",
        "id:N sha256:N content_type:N file_name:F size:N data:F created_at:N",
    ),
    (
        "target",
        "id:N period_id:N number:N title:N description:F metric:N params:N wanted:N manual_value:N \
         met_at:N partly_at:N override_status:N override_reason:F deviation_reason:F \
         substitute_measures:F version:N created_at:N updated_at:N project_id:N",
    ),
    (
        "target_link",
        "target_id:N record_type:N record_id:N position:N",
    ),
    (
        "task",
        "id:N title:F notes:F due_on:N assignee_id:R link_type:N link_id:N done_at:N version:N \
         deleted_at:N created_by:R created_at:N updated_at:N",
    ),
    (
        "taxonomy_term",
        "id:N vocabulary:N code:N label_de:N label_en:N position:N created_at:N version:N retired_at:N \
         label_tr:N label_ar:N label_ru:N label_uk:N",
    ),
];

/// Every classified column: (table, column, class).
pub fn columns() -> Vec<(&'static str, &'static str, Class)> {
    REGISTER
        .iter()
        .flat_map(|(table, spec)| {
            spec.split_whitespace().filter_map(move |pair| {
                let (column, class) = pair.split_once(':')?;
                Some((*table, column, Class::parse(class.as_bytes()[0])))
            })
        })
        .collect()
}

/// What erasure (GDPR Art. 17) does with a personal or free-text column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// Every mention of the person (the name both ways round, the e-mail
    /// address, the phone number) is replaced, in every row.
    Scrub,
    /// Rows that mention the person are deleted (transient data: staged
    /// import uploads).
    DeleteRow,
    /// The person's own record or their link rows: made anonymous or
    /// removed by `privacy::anonymise_person`.
    Anonymised,
    /// Kept as it is, for the reason given.
    Kept(&'static str),
}

/// A table, its key column and how each of its listed columns is erased.
pub type TableErasure = (
    &'static str,
    &'static str,
    &'static [(&'static str, Erasure)],
);

/// Per table: the key column (for scrubbing) and how each personal or
/// free-text column is erased. A test fails when a `P` or `F` column of
/// the register is missing here, so a new column cannot escape erasure
/// without a written reason.
pub const ERASURE: &[TableErasure] = {
    use Erasure::*;
    const ACCOUNT: Erasure = Kept(
        "user accounts are the office's own staff and the portal's sign-ins, not registry \
         records; an account ends by being disabled, and its sessions and tokens with it",
    );
    const LINK: Erasure = Kept(
        "the link stays so that counts (attendance, members) stay as reported; it points to \
         the anonymised person and holds no name",
    );
    &[
        (
            "affiliation",
            "id",
            &[
                ("role", Anonymised),
                ("from_date", Anonymised),
                ("to_date", Anonymised),
            ],
        ),
        ("agenda_item", "id", &[("title", Scrub), ("outcome", Scrub)]),
        ("api_token", "id", &[("last_used_at", ACCOUNT)]),
        (
            "app_user",
            "id",
            &[
                ("email", ACCOUNT),
                ("display_name", ACCOUNT),
                ("role", ACCOUNT),
                ("disabled_at", ACCOUNT),
                ("last_login_at", ACCOUNT),
                ("totp_enabled_at", ACCOUNT),
                ("language", ACCOUNT),
                ("form_of_address", ACCOUNT),
            ],
        ),
        (
            "attendance",
            "meeting_id",
            &[("status", LINK), ("mode", LINK)],
        ),
        (
            "audit_log",
            "position",
            &[
                ("actor_label", Scrub),
                ("before", Scrub),
                ("after", Scrub),
                (
                    "ip",
                    Kept("the address an account acted from, not the erased person's"),
                ),
            ],
        ),
        (
            "auth_throttle",
            "key",
            &[(
                "key",
                Kept(
                    "a one-way hash of a typed e-mail or client address, holding no name; \
                     removed a day after the last attempt",
                ),
            )],
        ),
        ("body", "id", &[("purpose", Scrub)]),
        (
            "consent",
            "id",
            &[
                ("purpose", LINK),
                ("given_on", LINK),
                ("source", Scrub),
                ("expires_on", LINK),
                ("withdrawn_on", LINK),
                ("withdrawn_source", LINK),
            ],
        ),
        (
            "event",
            "id",
            &[
                ("description", Scrub),
                ("cancel_reason", Scrub),
                ("translations", Scrub),
            ],
        ),
        (
            "import_upload",
            "id",
            &[("file_name", DeleteRow), ("data", DeleteRow)],
        ),
        (
            "interaction",
            "id",
            &[("subject", Scrub), ("cancel_note", Scrub), ("notes", Scrub)],
        ),
        ("meeting", "id", &[("minutes", Scrub)]),
        (
            "meeting_response",
            "meeting_id",
            &[("answer", LINK), ("answered_at", LINK)],
        ),
        (
            "membership",
            "id",
            &[("role", Anonymised), ("from_date", LINK), ("to_date", LINK)],
        ),
        ("need", "id", &[("description", Scrub), ("outcome", Scrub)]),
        (
            "idea",
            "id",
            &[
                ("title", Scrub),
                ("description", Scrub),
                ("participants", Scrub),
                ("support", Scrub),
                ("outcome", Scrub),
            ],
        ),
        (
            "invitation",
            "id",
            &[
                ("email", Scrub),
                (
                    "language",
                    Kept(
                        "the language an invitation was written in; says nothing of a person once the address is gone",
                    ),
                ),
                ("accepted_at", LINK),
            ],
        ),
        (
            "proposal",
            "id",
            &[("changes", Scrub), ("before", Scrub), ("message", Scrub)],
        ),
        (
            "offer",
            "id",
            &[
                ("description", Scrub),
                ("registration_how", Scrub),
                ("translations", Scrub),
            ],
        ),
        (
            "organisation",
            "id",
            &[
                ("email", Scrub),
                ("phone", Scrub),
                ("description", Scrub),
                ("internal_notes", Scrub),
            ],
        ),
        (
            "outbox",
            "id",
            &[("to_address", Scrub), ("body_text", Scrub), ("ics", Scrub)],
        ),
        (
            "person",
            "id",
            &[
                ("given_name", Anonymised),
                ("family_name", Anonymised),
                ("email", Anonymised),
                ("phone", Anonymised),
                ("languages", Anonymised),
                // Others' notes may mention the person too.
                ("notes", Scrub),
                ("search_text", Anonymised),
                ("name_sort", Anonymised),
            ],
        ),
        (
            "report_text",
            "period_id",
            &[
                ("introduction", Scrub),
                ("outlook", Scrub),
                ("author", Scrub),
                ("narratives", Scrub),
                ("chapters", Scrub),
            ],
        ),
        ("project", "id", &[("description", Scrub)]),
        ("beyond_item", "id", &[("text", Scrub)]),
        ("survey", "id", &[("title", Scrub), ("content", Scrub)]),
        ("mailing", "id", &[("subject", Scrub), ("content", Scrub)]),
        ("survey_answer", "id", &[("answers", Scrub)]),
        (
            "report_version",
            "id",
            &[
                (
                    "note",
                    Kept("part of a finalised report version: an official record, frozen"),
                ),
                (
                    "snapshot",
                    Kept("a finalised report version: an official record, frozen"),
                ),
            ],
        ),
        (
            "session",
            "id",
            &[
                ("created_at", ACCOUNT),
                ("last_seen_at", ACCOUNT),
                ("ip", ACCOUNT),
                ("user_agent", ACCOUNT),
            ],
        ),
        (
            "stored_file",
            "id",
            &[
                ("file_name", Scrub),
                (
                    "data",
                    Kept(
                        "binary files (logos, attachments) cannot be searched or changed in \
                         place; the subject access lists the files of the person's records",
                    ),
                ),
            ],
        ),
        (
            "target",
            "id",
            &[
                ("description", Scrub),
                ("override_reason", Scrub),
                ("deviation_reason", Scrub),
                ("substitute_measures", Scrub),
            ],
        ),
        ("task", "id", &[("title", Scrub), ("notes", Scrub)]),
        (
            "sign_in_link",
            "token_hash",
            &[("created_at", ACCOUNT), ("used_at", ACCOUNT)],
        ),
    ]
};

/// How erasure treats one column; `None` for a column not listed.
pub fn erasure_of(table: &str, column: &str) -> Option<Erasure> {
    ERASURE
        .iter()
        .filter(|(t, _, _)| *t == table)
        .flat_map(|(_, _, cols)| cols.iter())
        .find(|(c, _)| *c == column)
        .map(|(_, e)| *e)
}

/// The classification of one column; `None` for an unknown column.
pub fn class_of(table: &str, column: &str) -> Option<Class> {
    columns()
        .into_iter()
        .find(|(t, c, _)| *t == table && *c == column)
        .map(|(_, _, class)| class)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DatabaseUrl, Store};
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    use std::collections::BTreeSet;

    /// The schema as the migrations make it (SQLite; the migrations are
    /// one portable set, so PostgreSQL has the same tables and columns).
    async fn schema() -> Vec<(String, String)> {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::parse(&format!("sqlite://{}/c.db", dir.path().display())).unwrap();
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let rows = store
            .conn()
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name != 'seaql_migrations'",
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| (r.try_get("", "t").unwrap(), r.try_get("", "c").unwrap()))
            .collect()
    }

    #[tokio::test]
    async fn every_column_is_classified_and_every_table_is_backed_up() {
        let schema = schema().await;
        assert!(schema.len() > 300);
        let mut missing = Vec::new();
        for (t, c) in &schema {
            if class_of(t, c).is_none() {
                missing.push(format!("{t}.{c}"));
            }
        }
        assert!(
            missing.is_empty(),
            "classify these columns in store/src/classification.rs: {}",
            missing.join(", ")
        );
        for (t, c, _) in columns() {
            assert!(
                schema.iter().any(|(st, sc)| st == t && sc == c),
                "{t}.{c} is classified but does not exist"
            );
        }
        let tables: BTreeSet<&str> = schema.iter().map(|(t, _)| t.as_str()).collect();
        let backed_up: BTreeSet<&str> = crate::backup::TABLES.iter().copied().collect();
        assert_eq!(tables, backed_up, "backup::TABLES must list every table");
    }

    #[test]
    fn every_personal_or_free_column_is_erased_or_kept_for_a_reason() {
        let mut missing = Vec::new();
        for (t, c, class) in columns() {
            if matches!(class, Class::Personal | Class::Free) && erasure_of(t, c).is_none() {
                missing.push(format!("{t}.{c}"));
            }
        }
        assert!(
            missing.is_empty(),
            "say in classification::ERASURE how erasure treats: {}",
            missing.join(", ")
        );
        for (t, _, cols) in ERASURE {
            for (c, e) in *cols {
                assert!(
                    matches!(class_of(t, c), Some(Class::Personal | Class::Free)),
                    "{t}.{c} is in ERASURE but not classified personal or free text"
                );
                if let Erasure::Kept(reason) = e {
                    assert!(reason.len() > 20, "{t}.{c}: a real reason, please");
                }
            }
        }
    }

    #[test]
    fn people_s_names_and_secrets_are_what_they_are() {
        assert_eq!(class_of("person", "family_name"), Some(Class::Personal));
        assert_eq!(class_of("app_user", "password_hash"), Some(Class::Secret));
        assert_eq!(class_of("interaction", "notes"), Some(Class::Free));
        assert_eq!(
            class_of("offer", "contact_person_id"),
            Some(Class::Reference)
        );
        assert_eq!(class_of("organisation", "name"), Some(Class::None));
        assert_eq!(class_of("person", "shoe_size"), None);
    }
}
