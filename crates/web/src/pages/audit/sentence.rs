//! An audit entry in words: "Johanna Lehmann hat am 06.12.2026 um 14:03 die
//! Organisation „Elternverein Brücke“ geändert: Telefon, Beschreibung", and
//! its changed fields as label, value before and value after. The facts come
//! from `msohub_service::audit::describe`; the words from the locales
//! (`audit-sentence*`, `audit-verb-*`, `audit-acc-*`, field labels).

use chrono::{DateTime, Utc};
use msohub_domain::Language;
use msohub_i18n::Tr;
use msohub_service::audit::describe::Change;
use msohub_service::audit::{DescribedEntry, Who};
use serde_json::Value;

/// Where the record's words go in the pattern (split out again, so the
/// name can be a link).
const RECORD: &str = "\u{E000}";

/// The sentence of one entry, in pieces for the template: `head`, the
/// record (its kind as `noun`, its name quoted, a link while it exists),
/// `tail`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub head: String,
    pub noun: String,
    pub name: Option<String>,
    pub href: Option<String>,
    pub tail: String,
}

#[cfg(test)]
impl Sentence {
    /// The sentence as plain text.
    pub fn plain(&self) -> String {
        let record = match &self.name {
            Some(name) => format!("{} {name}", self.noun),
            None => self.noun.clone(),
        };
        format!("{}{record}{}", self.head, self.tail)
    }
}

/// One changed field for the before/after table.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRow {
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub secret: bool,
}

/// The first key of `keys` the locales have (this language, else German).
fn first(tr: Tr, keys: &[String]) -> Option<String> {
    keys.iter().find_map(|k| tr.own(k))
}

/// The label of a field by its key (`phone` → "Telefon"): an `audit-field-`
/// key, else the form's `field-` key, else the key itself.
pub fn field_label(tr: Tr, key: &str) -> String {
    let key = key.replace('_', "-");
    let underscored = key.replace('-', "_");
    first(
        tr,
        &[
            format!("audit-field-{key}"),
            format!("field-{underscored}"),
            format!("field-{key}"),
        ],
    )
    .unwrap_or_else(|| underscored.replace('_', " "))
}

/// A record type as a word without article (the filter's options).
pub fn type_word(tr: Tr, entity_type: &str) -> String {
    tr.own(&format!("audit-type-{}", entity_type.replace('_', "-")))
        .unwrap_or_else(|| entity_type.to_owned())
}

fn quoted(lang: Language, name: &str) -> String {
    match lang {
        Language::De => format!("„{name}“"),
        _ => format!("“{name}”"),
    }
}

fn local(lang: Language, at: DateTime<Utc>) -> (String, String) {
    let at = at.with_timezone(&chrono_tz::Europe::Berlin);
    let date = match lang {
        Language::En => at.format("%Y-%m-%d"),
        _ => at.format("%d.%m.%Y"),
    };
    (date.to_string(), at.format("%H:%M").to_string())
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The labels of the changed fields, each once, in order.
pub fn changed_labels(tr: Tr, changes: &[Change]) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for c in changes {
        let label = field_label(tr, c.key());
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

/// The entry in words.
pub fn sentence(tr: Tr, e: &DescribedEntry) -> Sentence {
    let entity = e.entry.entity_type.replace('_', "-");
    let action = e.entry.action.replace('_', "-");
    let actor = match &e.who {
        Who::User(name) => name.clone(),
        Who::System => tr.t("audit-system"),
        Who::Unknown(label) => label.clone(),
    };
    let (date, time) = local(tr.lang, e.entry.at);
    // Fields are named for changes of a record that was there before and
    // after; a new or removed record's fields are in the details.
    let fields = if e.entry.before.is_some() && e.entry.after.is_some() {
        changed_labels(tr, &e.changes).join(", ")
    } else {
        String::new()
    };
    let verb = first(
        tr,
        &[
            format!("audit-verb-{entity}-{action}"),
            format!("audit-verb-{action}"),
        ],
    )
    .unwrap_or_else(|| tr.t1("audit-verb-other", "action", &e.entry.action));
    let args = [
        ("actor", actor.as_str()),
        ("date", date.as_str()),
        ("time", time.as_str()),
        ("record", RECORD),
        ("verb", verb.as_str()),
        ("fields", fields.as_str()),
    ];
    // A pattern of its own for this action (of this record type), else the
    // general one. (`tn` answers a missing key with the key.)
    let generic = if fields.is_empty() {
        "audit-sentence"
    } else {
        "audit-sentence-fields"
    };
    let text = [
        format!("audit-sentence-{entity}-{action}"),
        format!("audit-sentence-{action}"),
    ]
    .iter()
    .map(|k| (k, tr.tn(k, &args)))
    .find(|(k, text)| text != *k)
    .map_or_else(|| tr.tn(generic, &args), |(_, text)| text);
    let Some((head, tail)) = text.split_once(RECORD) else {
        // The sentence names no record (signing in and out).
        return Sentence {
            head: capitalised(&text),
            noun: String::new(),
            name: None,
            href: None,
            tail: String::new(),
        };
    };
    let noun = tr
        .own(&format!("audit-acc-{entity}"))
        .unwrap_or_else(|| tr.t("audit-acc-other"));
    let name = e.record.as_deref().map(|n| quoted(tr.lang, n));
    Sentence {
        head: capitalised(head),
        noun,
        name,
        href: e.link.clone(),
        tail: tail.to_owned(),
    }
}

/// A value as people read it: text as it is, yes/no, an instant in Berlin
/// time, a list joined by commas; anything else as compact JSON.
pub fn value(tr: Tr, v: &Value) -> String {
    match v {
        Value::String(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(at) => {
                let (date, time) = local(tr.lang, at.with_timezone(&Utc));
                format!("{date} {time}")
            }
            Err(_) => s.clone(),
        },
        Value::Bool(true) => tr.t("yes"),
        Value::Bool(false) => tr.t("no"),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => items
            .iter()
            .map(|i| value(tr, i))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// The before/after rows of an entry's changed fields.
pub fn rows(tr: Tr, changes: &[Change]) -> Vec<FieldRow> {
    changes
        .iter()
        .map(|c| {
            let label = field_label(tr, c.key());
            FieldRow {
                label: match c.sub_path() {
                    Some(sub) => format!("{label} ({sub})"),
                    None => label,
                },
                before: c.before.as_ref().map(|v| value(tr, v)),
                after: c.after.as_ref().map(|v| value(tr, v)),
                secret: c.secret,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use msohub_service::audit::{AuditEntry, describe};
    use serde_json::json;

    fn entry(
        entity: &str,
        action: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> DescribedEntry {
        let changes = describe::changes(before.as_ref(), after.as_ref());
        let record = describe::record_name(entity, before.as_ref(), after.as_ref());
        DescribedEntry {
            entry: AuditEntry {
                position: 7,
                // 13:03 UTC in December is 14:03 in Berlin.
                at: Utc.with_ymd_and_hms(2026, 12, 6, 13, 3, 0).unwrap(),
                actor_id: None,
                actor: "j.lehmann@ki.example".into(),
                entity_type: entity.into(),
                entity_id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
                action: action.into(),
                before,
                after,
            },
            who: Who::User("Johanna Lehmann".into()),
            record,
            link: Some("/app/organisations/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into()),
            changes,
        }
    }

    const DE: Tr = Tr { lang: Language::De };
    const EN: Tr = Tr { lang: Language::En };

    #[test]
    fn an_update_names_who_when_what_and_which_fields() {
        let e = entry(
            "organisation",
            "update",
            Some(
                json!({"name": "Elternverein Brücke", "phone": "1", "description": "a", "city": "L"}),
            ),
            Some(
                json!({"name": "Elternverein Brücke", "phone": "2", "description": "b", "city": "L"}),
            ),
        );
        let s = sentence(DE, &e);
        assert_eq!(
            s.plain(),
            "Johanna Lehmann hat am 06.12.2026 um 14:03 die Organisation „Elternverein Brücke“ geändert: Beschreibung, Telefon"
        );
        assert_eq!(s.name.as_deref(), Some("„Elternverein Brücke“"));
        assert!(s.href.is_some());
        assert_eq!(
            sentence(EN, &e).plain(),
            "Johanna Lehmann changed the organisation “Elternverein Brücke” on 2026-12-06 at 14:03: Description, Phone"
        );
    }

    #[test]
    fn every_record_type_has_its_article_and_every_action_a_verb() {
        let cases = [
            (
                "interaction",
                "create",
                json!({"subject": "Beratung"}),
                "hat am 06.12.2026 um 14:03 den Kontakt „Beratung“ angelegt",
            ),
            (
                "person",
                "delete",
                json!({"given_name": "Ali", "family_name": "Kaya"}),
                "die Person „Ali Kaya“ gelöscht",
            ),
            (
                "need",
                "restore",
                json!({"description": "Raum"}),
                "den Bedarf „Raum“ wiederhergestellt",
            ),
            (
                "meeting",
                "create",
                json!({"title": "Sitzung 3"}),
                "die Sitzung „Sitzung 3“ angelegt",
            ),
            (
                "body",
                "create",
                json!({"name": "Beirat"}),
                "das Gremium „Beirat“ angelegt",
            ),
            (
                "organisation",
                "merged",
                json!({"name": "A"}),
                "die Organisation „A“ mit einem Duplikat zusammengeführt",
            ),
            (
                "project",
                "create",
                json!({"name": "Bildung"}),
                "das Projekt „Bildung“ angelegt",
            ),
            (
                "beyond_item",
                "create",
                json!({"kind": "free", "text": "Das KI beriet den Integrationsrat."}),
                "den Eintrag über die Ziele hinaus „Das KI beriet den Integrationsrat.“ angelegt",
            ),
            (
                "report",
                "finalise",
                json!({"number": 2, "note": ""}),
                "den Sachbericht als Fassung festgeschrieben",
            ),
        ];
        for (entity, action, after, want) in cases {
            let e = entry(entity, action, None, Some(after));
            let s = sentence(DE, &e).plain();
            assert!(s.contains(want), "{s}");
            assert!(!s.contains("audit-"), "{s}");
            assert!(!sentence(EN, &e).plain().contains("audit-"));
        }
        // Every action the service writes has words of its own.
        let actions = "create update delete restore merged merged_away checked geocoded logo \
            trusted affiliation_add affiliation_remove consent_record consent_withdraw \
            subject_access erase erase_mention invite resend revoke accept attendance answer \
            oparl_import oparl_delete oparl_run oparl_failed calendar_feed_created \
            calendar_feed_revoked texts finalise move_up move_down member_add member_end member_delete done reopen disable \
            enable password_reset password_change totp_enable totp_reset totp_disable login \
            login_failed login_refused login_password_ok logout propose seen reject export \
            import attachment_added attachment_removed send remind link links renew_link";
        for action in actions.split_whitespace() {
            let e = entry("meeting", action, None, Some(json!({"title": "T"})));
            for tr in [DE, EN] {
                let s = sentence(tr, &e).plain();
                assert!(
                    !s.contains(&format!("({action})")) && !s.contains("audit-"),
                    "{s}"
                );
            }
        }
        for entity in describe::ENTITY_TYPES {
            let e = entry(entity, "create", None, None);
            for tr in [DE, EN] {
                assert!(!sentence(tr, &e).plain().contains("audit-"), "{entity}");
                assert_ne!(type_word(tr, entity), *entity, "{entity}");
            }
        }
    }

    #[test]
    fn projects_beyond_items_and_reports_read_as_sentences() {
        let plain = |tr, entity, action, before: Option<Value>, after: Option<Value>| {
            sentence(tr, &entry(entity, action, before, after)).plain()
        };
        let project = json!({"name": "Bildung", "description": "", "position": 1});
        let renamed = json!({"name": "Bildung und Schule", "description": "", "position": 1});
        assert_eq!(
            plain(
                DE,
                "project",
                "update",
                Some(project.clone()),
                Some(renamed.clone())
            ),
            "Johanna Lehmann hat am 06.12.2026 um 14:03 das Projekt „Bildung und Schule“ geändert: Bezeichnung"
        );
        assert_eq!(
            plain(EN, "project", "delete", Some(project), None),
            "Johanna Lehmann deleted the project “Bildung” on 2026-12-06 at 14:03"
        );
        // A found item stored with a change has no wording of its own; a
        // move records no values.
        let found = json!({"kind": "event", "text": "", "hidden": false});
        let hidden = json!({"kind": "event", "text": "", "hidden": true});
        let s = plain(DE, "beyond_item", "update", Some(found), Some(hidden));
        assert_eq!(
            s,
            "Johanna Lehmann hat am 06.12.2026 um 14:03 den Eintrag über die Ziele hinaus geändert: Im Bericht ausgeblendet"
        );
        assert_eq!(field_label(EN, "happened_on"), "Date");
        for key in [
            "introduction",
            "outlook",
            "dated",
            "author",
            "staff_names",
            "narratives",
            "chapters",
            "place",
            "title",
        ] {
            for tr in [DE, EN] {
                assert_ne!(field_label(tr, key).replace(' ', "_"), key, "{key}");
            }
        }
        assert!(!s.contains("„“"), "{s}");
        assert_eq!(
            plain(DE, "beyond_item", "move_up", None, None),
            "Johanna Lehmann hat am 06.12.2026 um 14:03 den Eintrag über die Ziele hinaus nach oben verschoben"
        );
        assert_eq!(
            plain(EN, "beyond_item", "move_down", None, None),
            "Johanna Lehmann moved down the item beyond the targets on 2026-12-06 at 14:03"
        );
        assert_eq!(
            plain(
                DE,
                "report",
                "texts",
                Some(json!({"outlook": "A"})),
                Some(json!({"outlook": "B"}))
            ),
            "Johanna Lehmann hat am 06.12.2026 um 14:03 den Sachbericht geändert: Ausblick"
        );
        assert_eq!(
            plain(EN, "report", "finalise", None, Some(json!({"number": 1}))),
            "Johanna Lehmann finalised a version of the report on 2026-12-06 at 14:03"
        );
        for tr in [DE, EN] {
            assert_ne!(type_word(tr, "beyond_item"), "beyond_item");
            assert_ne!(type_word(tr, "project"), "project");
        }
        assert_eq!(
            type_word(DE, "beyond_item"),
            "Eintrag über die Ziele hinaus"
        );
    }

    #[test]
    fn actions_of_the_actor_themselves_and_of_the_system() {
        let mut e = entry("user", "login", None, None);
        e.record = None;
        assert_eq!(
            sentence(DE, &e).plain(),
            "Johanna Lehmann hat sich am 06.12.2026 um 14:03 angemeldet"
        );
        e.who = Who::System;
        e.entry.entity_type = "oparl".into();
        e.entry.action = "oparl_run".into();
        assert!(
            sentence(DE, &e)
                .plain()
                .starts_with("Das System hat am 06.12.2026")
        );
        e.entry.action = "something_new".into();
        assert!(sentence(DE, &e).plain().contains("something_new"));
    }

    #[test]
    fn values_and_labels_read_as_words() {
        assert_eq!(field_label(DE, "phone"), "Telefon");
        assert_eq!(field_label(DE, "internal_notes"), "Interne Notizen");
        assert_eq!(field_label(EN, "description"), "Description");
        assert_eq!(value(DE, &json!(true)), "ja");
        assert_eq!(value(DE, &json!(["de", "en"])), "de, en");
        assert_eq!(
            value(DE, &json!("2026-07-01T10:00:00Z")),
            "01.07.2026 12:00"
        );
        let changes = describe::changes(
            Some(&json!({"translations": {"en": {"title": "A"}}, "password_hash": "x"})),
            Some(&json!({"translations": {"en": {"title": "B"}}, "password_hash": "y"})),
        );
        let r = rows(DE, &changes);
        assert_eq!(r[0].label, "Passwort-Hash");
        assert!(r[0].secret && r[0].before.is_none());
        assert_eq!(r[1].label, "Übersetzungen (en.title)");
        assert_eq!(
            (r[1].before.as_deref(), r[1].after.as_deref()),
            (Some("A"), Some("B"))
        );
    }
}
