//! Field-level messages for forms, in the user's language.
//!
//! A service returns the broken rules as `(field, rule)`; a form template asks
//! [`FormErrors::msg`] for the message of each field and shows a summary with
//! links to the fields at the top (the accessible error pattern of KERN and
//! GOV.UK).

use crate::i18n::Tr;
use msohub_service::{Error, FieldError};

pub struct FormErrors {
    tr: Tr,
    errors: Vec<FieldError>,
    /// A message about the whole form (e.g. wrong credentials, conflict).
    pub general: Option<String>,
    /// Where the messages' keys start: `""` in the staff area (`rule-…`,
    /// `field-…`), `"portal-"` in the portal, whose strings exist in all six
    /// languages.
    prefix: &'static str,
}

impl FormErrors {
    pub fn none(tr: Tr) -> FormErrors {
        FormErrors {
            tr,
            errors: Vec::new(),
            general: None,
            prefix: "",
        }
    }

    pub fn fields(tr: Tr, errors: Vec<FieldError>) -> FormErrors {
        FormErrors {
            tr,
            errors,
            general: None,
            prefix: "",
        }
    }

    pub fn general(tr: Tr, key: &str) -> FormErrors {
        FormErrors {
            tr,
            errors: Vec::new(),
            general: Some(tr.t(key)),
            prefix: "",
        }
    }

    /// The same errors with the portal's messages.
    pub fn portal(mut self) -> FormErrors {
        self.prefix = "portal-";
        self
    }

    /// The message of a rule (the portal's own, else the staff area's). A
    /// rule of one line of a list is `<rule>@<line>`; its message gets the
    /// line as `$line`.
    fn rule(&self, rule: &str) -> String {
        if let Some((rule, line)) = rule.split_once('@') {
            return self.tr.t1(&format!("rule-{rule}"), "line", line);
        }
        if self.prefix.is_empty() {
            return self.tr.t(&format!("rule-{rule}"));
        }
        self.tr
            .own(&format!("{}rule-{rule}", self.prefix))
            .unwrap_or_else(|| self.tr.t(&format!("{}rule-other", self.prefix)))
    }

    /// Turns a service error into form messages; `Err` for errors a form
    /// cannot show (forbidden, not found, internal).
    pub fn from_service(tr: Tr, err: Error) -> Result<FormErrors, Error> {
        match err {
            Error::Validation(fields) => Ok(FormErrors::fields(tr, fields)),
            Error::Conflict(_) => Ok(FormErrors::general(tr, "form-conflict")),
            Error::TooManyAttempts(seconds) => {
                let mut errors = FormErrors::none(tr);
                errors.general = Some(tr.t1("login-locked", "seconds", seconds.max(1)));
                Ok(errors)
            }
            other => Err(other),
        }
    }

    pub fn any(&self) -> bool {
        !self.errors.is_empty() || self.general.is_some()
    }

    /// The message for one field, if it has an error.
    pub fn msg(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| self.rule(&e.rule))
    }

    /// `(field, label: message)` for the summary at the top of the form.
    pub fn summary(&self) -> Vec<(String, String)> {
        self.errors
            .iter()
            .map(|e| {
                (
                    e.field.clone(),
                    format!(
                        "{}: {}",
                        self.tr.t(&format!("{}field-{}", self.prefix, e.field)),
                        self.rule(&e.rule)
                    ),
                )
            })
            .collect()
    }
}

/// The confirmation for `?done=…` after a redirect ("saved", "deleted" …):
/// only the message keys' own alphabet is accepted, so the URL cannot pick
/// an arbitrary translation key.
pub fn done_notice(tr: Tr, done: Option<&str>) -> Option<String> {
    done.filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(|d| tr.t(&format!("done-{d}")))
}

/// A form body (repeated keys for checkbox groups) as a typed input: keys
/// in `lists` collect every value, `version` becomes a number, `true`/`on`
/// of keys in `flags` become booleans, every other key keeps its last value.
pub fn from_pairs<T: serde::de::DeserializeOwned + Default>(
    pairs: Vec<(String, String)>,
    lists: &[&str],
    flags: &[&str],
) -> T {
    let mut object = serde_json::Map::new();
    for l in lists {
        object.insert((*l).to_owned(), serde_json::Value::Array(Vec::new()));
    }
    for (k, v) in pairs {
        if lists.contains(&k.as_str()) {
            if let Some(serde_json::Value::Array(items)) = object.get_mut(&k) {
                items.push(serde_json::Value::String(v));
            }
        } else if k == "version" {
            object.insert(k, serde_json::json!(v.trim().parse::<i64>().unwrap_or(-1)));
        } else if flags.contains(&k.as_str()) {
            object.insert(
                k,
                serde_json::Value::Bool(matches!(v.as_str(), "true" | "on" | "1")),
            );
        } else {
            object.insert(k, serde_json::Value::String(v));
        }
    }
    serde_json::from_value(serde_json::Value::Object(object)).unwrap_or_default()
}

/// The body of a one-button form (delete, restore, done …): the version the
/// action is based on. Missing means 0, which is never current, so a
/// malformed form is refused as stale rather than rejected unread.
#[derive(serde::Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    pub version: i32,
}

/// What a form's save comes to, in one place for every page: saved → on to
/// `done(value)` (a redirect); refused → the form again with the user's
/// input and the field errors; stale (someone saved in between) → the form
/// with the record as stored now (`current`) and the stale-record notice,
/// nothing overwritten. Any other error is the error page.
pub(crate) async fn save_or_show<T, I>(
    saved: Result<T, Error>,
    input: I,
    done: impl FnOnce(T) -> String,
    current: impl AsyncFnOnce() -> Result<I, Error>,
    show: impl AsyncFnOnce(
        I,
        Vec<FieldError>,
        bool,
    ) -> Result<axum::response::Response, crate::WebError>,
) -> Result<axum::response::Response, crate::WebError> {
    use axum::response::IntoResponse;
    match saved {
        Ok(value) => Ok(axum::response::Redirect::to(&done(value)).into_response()),
        Err(Error::Validation(errors)) => show(input, errors, false).await,
        Err(Error::Conflict(_)) => show(current().await?, Vec::new(), true).await,
        Err(e) => Err(e.into()),
    }
}

/// A one-click change from a list (a task done, a contact held): the
/// version the button was drawn with and the local page to return to.
#[derive(serde::Deserialize)]
pub struct OneClick {
    #[serde(default)]
    pub version: i32,
    /// Where to go afterwards (a local path).
    #[serde(default)]
    pub back: String,
}

impl OneClick {
    /// Back where the click came from (`fallback` for a missing or foreign
    /// address), with `done=` naming the outcome.
    pub fn back_with(&self, fallback: &str, done: &str) -> axum::response::Redirect {
        let back =
            crate::pages::login::safe_next(Some(&self.back)).unwrap_or_else(|| fallback.to_owned());
        let sep = if back.contains('?') { '&' } else { '?' };
        axum::response::Redirect::to(&format!("{back}{sep}done={done}"))
    }
}

/// The `file` field of a multipart form: its name and bytes, or the rule
/// it breaks (`file-too-large`, `file-unreadable`, `file-empty`).
pub async fn uploaded_file(
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(String, Vec<u8>), &'static str> {
    use axum::http::StatusCode;
    let mut form = form.map_err(|_| "file-unreadable")?;
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err("file-too-large");
                    }
                    Err(_) => return Err("file-unreadable"),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err("file-too-large"),
            Err(_) => return Err("file-unreadable"),
        }
    }
    file.filter(|(_, b)| !b.is_empty()).ok_or("file-empty")
}
