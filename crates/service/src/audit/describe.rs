//! An audit entry as people read it: who (a name, not an id), which record
//! (its kind, its name, a link while it exists) and which fields changed,
//! with secrets hidden. Pure functions of the entry; the words themselves
//! (articles, verbs, field labels) are the web layer's, from the locales.

use serde_json::{Map, Value};

/// What the log shows instead of a secret's value.
pub const HIDDEN: &str = "***";

/// Every record type written to the log, in the order the filter offers
/// them.
pub const ENTITY_TYPES: &[&str] = &[
    "organisation",
    "person",
    "offer",
    "event",
    "interaction",
    "need",
    "task",
    "idea",
    "survey",
    "survey_answer",
    "mailing",
    "body",
    "meeting",
    "period",
    "target",
    "report",
    "project",
    "beyond_item",
    "proposal",
    "invitation",
    "user",
    "api_token",
    "taxonomy_term",
    "import",
    "import_profile",
    "export",
    "oparl",
    "settings",
];

/// Whether a field holds a secret that the log must never show (password
/// hashes, tokens, second-factor secrets), whatever record it is in. The
/// writers already leave them out; this is the second line.
pub fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    matches!(
        k.as_str(),
        "password" | "smtp_password" | "secret" | "token" | "recovery_codes" | "api_key"
    ) || k.ends_with("_hash")
        || k.ends_with("_secret")
        || k.ends_with("_token")
}

/// The value with every secret field's value replaced by [`HIDDEN`], at
/// any depth.
pub fn redact(value: &Value) -> Value {
    match value {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let v = if is_secret(k) && !v.is_null() {
                        Value::String(HIDDEN.to_owned())
                    } else {
                        redact(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

/// One field that differs between before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The field's path: its key, nested keys joined by dots
    /// (`translations.en.title`).
    pub field: String,
    /// The value before; `None` when empty (null, missing, "", [] or {}).
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// A secret changed: neither value is shown.
    pub secret: bool,
}

impl Change {
    /// The top-level key (for the label).
    pub fn key(&self) -> &str {
        self.field.split('.').next().unwrap_or(&self.field)
    }

    /// The nested part after the key, if any (`en.title`).
    pub fn sub_path(&self) -> Option<&str> {
        self.field.split_once('.').map(|(_, rest)| rest)
    }
}

fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Equal values; a list of plain values (codes such as topics or
/// languages) is a set here: the forms sort it, which is no change.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y))
            if x.len() == y.len() && x.iter().chain(y).all(|v| !v.is_array() && !v.is_object()) =>
        {
            let sorted = |v: &Vec<Value>| {
                let mut s: Vec<String> = v.iter().map(Value::to_string).collect();
                s.sort();
                s
            };
            sorted(x) == sorted(y)
        }
        _ => a == b,
    }
}

fn non_empty(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !empty(v))
}

/// The fields that differ, in the order of the entry's keys (after's keys
/// first, then keys only before had; stored entries have them sorted). Objects are compared key by key
/// at any depth; arrays and scalars as a whole. Null, a missing key, "",
/// [] and {} all mean "empty" and are equal to each other. For a new record
/// (no before) this is every filled field; for a removed one every field
/// it had.
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", before, after, &mut out, false);
    out
}

fn walk(
    path: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    out: &mut Vec<Change>,
    secret: bool,
) {
    let (b, a) = (non_empty(before), non_empty(after));
    match (b, a) {
        (None, None) => {}
        (Some(Value::Object(bo)), Some(Value::Object(ao))) => {
            objects(path, Some(bo), Some(ao), out, secret)
        }
        (Some(Value::Object(bo)), None) => objects(path, Some(bo), None, out, secret),
        (None, Some(Value::Object(ao))) => objects(path, None, Some(ao), out, secret),
        (Some(b), Some(a)) if same(b, a) => {}
        (b, a) => {
            if path.is_empty() {
                // A whole entry that is not an object: one unnamed change.
                out.push(Change {
                    field: String::new(),
                    before: b.cloned(),
                    after: a.cloned(),
                    secret,
                });
            } else {
                out.push(Change {
                    field: path.to_owned(),
                    before: if secret { None } else { b.cloned() },
                    after: if secret { None } else { a.cloned() },
                    secret,
                });
            }
        }
    }
}

fn objects(
    path: &str,
    before: Option<&Map<String, Value>>,
    after: Option<&Map<String, Value>>,
    out: &mut Vec<Change>,
    secret: bool,
) {
    let mut keys: Vec<&String> = after.map(|o| o.keys().collect()).unwrap_or_default();
    for k in before
        .map(|o| o.keys().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    for k in keys {
        let sub = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        walk(
            &sub,
            before.and_then(|o| o.get(k)),
            after.and_then(|o| o.get(k)),
            out,
            secret || is_secret(k),
        );
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The name of the record as the entry recorded it (after, else before):
/// a person's full name, an account's display name, otherwise its name,
/// title, subject or file name; a need by the start of its description.
pub fn record_name(
    entity_type: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Option<String> {
    let of = |v: &Value| -> Option<String> {
        let name = match entity_type {
            "person" => {
                let full = [text(v, "given_name"), text(v, "family_name")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                (!full.is_empty()).then_some(full)
            }
            "user" => text(v, "display_name")
                .or_else(|| text(v, "email"))
                .map(str::to_owned),
            "need" => text(v, "description").map(str::to_owned),
            "invitation" => text(v, "email").map(str::to_owned),
            "taxonomy_term" => text(v, "label_de").map(str::to_owned),
            // The staff's wording; a found item's stored change has none.
            "beyond_item" => text(v, "text").map(str::to_owned),
            _ => ["name", "title", "display_name", "subject", "file_name"]
                .iter()
                .find_map(|k| text(v, k))
                .map(str::to_owned),
        }?;
        Some(shorten(&name, 80))
    };
    after.and_then(of).or_else(|| before.and_then(of))
}

/// Where the record's page is, for the record types that have one; `None`
/// for the others. (Whether it still exists is asked separately.)
pub fn link(entity_type: &str, id: &str) -> Option<String> {
    let base = match entity_type {
        "organisation" => "/app/organisations",
        "person" => "/app/persons",
        "offer" => "/app/offers",
        "event" => "/app/events",
        "interaction" => "/app/interactions",
        "need" => "/app/needs",
        "task" => "/app/tasks",
        "idea" => "/app/ideas",
        "survey" => "/app/surveys",
        "mailing" => "/app/mailings",
        "body" => "/app/bodies",
        "meeting" => "/app/meetings",
        "period" => "/app/periods",
        "target" => "/app/targets",
        "proposal" => "/app/review",
        "user" => "/app/admin/users",
        "report" => {
            return uuid::Uuid::parse_str(id)
                .ok()
                .map(|id| format!("/app/periods/{id}/report"));
        }
        "project" => {
            return uuid::Uuid::parse_str(id)
                .ok()
                .map(|id| format!("/app/projects/{id}/edit"));
        }
        _ => return None,
    };
    uuid::Uuid::parse_str(id)
        .ok()
        .map(|id| format!("{base}/{id}"))
}

/// The table of a record type and the columns that make its current name.
pub(crate) fn table_of(entity_type: &str) -> Option<(&'static str, &'static [&'static str])> {
    Some(match entity_type {
        "organisation" => ("organisation", &["name"]),
        "person" => ("person", &["given_name", "family_name"]),
        "offer" => ("offer", &["title"]),
        "event" => ("event", &["title"]),
        "interaction" => ("interaction", &["subject"]),
        "need" => ("need", &["description"]),
        "task" => ("task", &["title"]),
        "idea" => ("idea", &["title"]),
        "survey" => ("survey", &["title"]),
        "mailing" => ("mailing", &["subject"]),
        "body" => ("body", &["name"]),
        "meeting" => ("meeting", &["title"]),
        "period" | "report" => ("period", &["name"]),
        "target" => ("target", &["title"]),
        "project" => ("project", &["name"]),
        "proposal" => ("proposal", &[]),
        "user" => ("app_user", &["display_name"]),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(c: &[Change]) -> Vec<&str> {
        c.iter().map(|c| c.field.as_str()).collect()
    }

    #[test]
    fn an_update_lists_only_what_changed() {
        let before = json!({"name": "Elternverein", "phone": "0341 1", "description": "Alt", "topics": ["a"]});
        let after = json!({"name": "Elternverein", "phone": "0341 2", "description": "Neu", "topics": ["a"]});
        let c = changes(Some(&before), Some(&after));
        assert_eq!(fields(&c), ["description", "phone"]);
        assert_eq!(c[1].before, Some(json!("0341 1")));
        assert_eq!(c[1].after, Some(json!("0341 2")));
        assert!(!c[0].secret);
    }

    #[test]
    fn nested_objects_are_compared_key_by_key_and_arrays_whole() {
        let before = json!({"translations": {"en": {"title": "Course", "text": "x"}}, "languages": ["de", "en"]});
        let after = json!({"translations": {"en": {"title": "Class", "text": "x"}, "tr": {"title": "Kurs"}}, "languages": ["en", "fr"]});
        let c = changes(Some(&before), Some(&after));
        assert_eq!(
            fields(&c),
            [
                "languages",
                "translations.en.title",
                "translations.tr.title",
            ]
        );
        assert_eq!(c[1].key(), "translations");
        assert_eq!(c[1].sub_path(), Some("en.title"));
        assert_eq!(c[2].before, None);
        assert_eq!(c[0].after, Some(json!(["en", "fr"])));
        assert_eq!(c[0].sub_path(), None);
    }

    #[test]
    fn a_list_of_codes_in_another_order_is_no_change_but_a_list_of_records_is() {
        let before = json!({"topics": ["women", "language"], "agenda": [{"t": "a"}, {"t": "b"}]});
        let after = json!({"topics": ["language", "women"], "agenda": [{"t": "b"}, {"t": "a"}]});
        assert_eq!(fields(&changes(Some(&before), Some(&after))), ["agenda"]);
        let after =
            json!({"topics": ["language", "women", "women"], "agenda": [{"t": "a"}, {"t": "b"}]});
        assert_eq!(fields(&changes(Some(&before), Some(&after))), ["topics"]);
    }

    #[test]
    fn null_missing_and_empty_are_the_same_nothing() {
        let before = json!({"phone": null, "email": "", "topics": [], "extra": {}});
        let after = json!({"website": null, "topics": null});
        assert!(changes(Some(&before), Some(&after)).is_empty());
        // Something where there was nothing, and back.
        let c = changes(Some(&json!({"phone": null})), Some(&json!({"phone": "1"})));
        assert_eq!(
            (c[0].before.clone(), c[0].after.clone()),
            (None, Some(json!("1")))
        );
        let c = changes(Some(&json!({"phone": "1"})), Some(&json!({})));
        assert_eq!(
            (c[0].before.clone(), c[0].after.clone()),
            (Some(json!("1")), None)
        );
        // A key that only before had comes after the others.
        let c = changes(Some(&json!({"a": 1, "b": 1})), Some(&json!({"c": 2})));
        assert_eq!(fields(&c), ["c", "a", "b"]);
    }

    #[test]
    fn a_new_record_lists_its_filled_fields_and_a_removed_one_its_old_ones() {
        let row = json!({"name": "X", "phone": null, "deleted": false});
        assert_eq!(fields(&changes(None, Some(&row))), ["deleted", "name"]);
        assert_eq!(fields(&changes(Some(&row), None)), ["deleted", "name"]);
        assert!(changes(None, None).is_empty());
    }

    #[test]
    fn secrets_are_hidden_in_changes_and_in_the_raw_data() {
        let before = json!({"email": "a@b", "password_hash": "$argon2id$x", "nested": {"totp_secret": "ABC"}});
        let after = json!({"email": "a@b", "password_hash": "$argon2id$y", "nested": {"totp_secret": "DEF"}});
        let c = changes(Some(&before), Some(&after));
        assert_eq!(fields(&c), ["nested.totp_secret", "password_hash"]);
        assert!(
            c.iter()
                .all(|c| c.secret && c.before.is_none() && c.after.is_none())
        );
        let r = redact(
            &json!({"list": [{"token": "t0k3n"}], "smtp_password": "pw", "smtp_password_set": true, "must_change_password": true, "x": null, "token_hash": null}),
        );
        let text = r.to_string();
        assert!(
            !text.contains("t0k3n") && !text.contains("\"pw\""),
            "{text}"
        );
        assert_eq!(r["smtp_password_set"], json!(true));
        assert_eq!(r["must_change_password"], json!(true));
        assert_eq!(r["list"][0]["token"], json!(HIDDEN));
        assert_eq!(
            r["token_hash"],
            Value::Null,
            "nothing to hide stays nothing"
        );
        assert!(!is_secret("prefix") && !is_secret("smtp_password_set") && is_secret("Password"));
    }

    #[test]
    fn names_come_from_after_then_before() {
        let p = json!({"given_name": "Johanna", "family_name": "Lehmann", "email": "j@l"});
        assert_eq!(
            record_name("person", None, Some(&p)).as_deref(),
            Some("Johanna Lehmann")
        );
        assert_eq!(
            record_name(
                "organisation",
                Some(&json!({"name": "Alt"})),
                Some(&json!({"name": "Neu"}))
            )
            .as_deref(),
            Some("Neu")
        );
        assert_eq!(
            record_name("organisation", Some(&json!({"name": "Alt"})), None).as_deref(),
            Some("Alt")
        );
        assert_eq!(record_name("meeting", None, None), None);
        assert_eq!(
            record_name(
                "user",
                None,
                Some(&json!({"email": "x@y", "display_name": ""}))
            )
            .as_deref(),
            Some("x@y")
        );
        let long = "Wir brauchen einen Raum für die Hausaufgabenhilfe am Dienstag und Donnerstag, möglichst nahe an der Schule";
        let n = record_name("need", None, Some(&json!({"description": long}))).unwrap();
        assert!(n.ends_with('…') && n.chars().count() <= 80, "{n}");
    }

    #[test]
    fn links_for_records_with_a_page() {
        let id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        assert_eq!(
            link("organisation", id),
            Some(format!("/app/organisations/{id}"))
        );
        assert_eq!(
            link("report", id),
            Some(format!("/app/periods/{id}/report"))
        );
        assert_eq!(
            link("project", id),
            Some(format!("/app/projects/{id}/edit"))
        );
        assert_eq!(link("beyond_item", id), None, "no page of its own");
        assert_eq!(link("organisation", "unknown"), None);
        assert_eq!(link("settings", "instance"), None);
        for t in ENTITY_TYPES {
            assert_eq!(link(t, id).is_some(), table_of(t).is_some(), "{t}");
        }
    }
}
