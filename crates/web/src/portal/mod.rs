//! The portal's pages at `/portal/{lang}/…`, in the six directory
//! languages (Arabic right to left), designed for a phone first: one thing
//! per page, plain words, every form usable at 390 px.
//!
//! Who may see what is decided in the service (`msohub_service::portal`):
//! a representative reads and proposes only for their own organisations.
//! Here: the language comes from the path; a visitor who is not signed in
//! is sent to the portal's sign-in page; a signed-in account that is not a
//! representative gets the portal's 403 page.

mod auth;
mod entry;
mod me;
mod meetings;
mod records;
mod reports;
mod surveys;
mod unsubscribe;

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::WebError;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::page::{LangLink, NavItem, PageContext, UserBox, encode_query};
use crate::routes::Routes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Language;
use msohub_service::portal::PortalUser;
use msohub_service::{Actor, Error};
use serde_json::{Map, Value};

pub fn routes(r: Routes) -> Routes {
    let r = r.get("/portal", auth::root).get("/portal/", auth::root);
    let r = auth::routes(r);
    let r = entry::routes(r);
    let r = records::routes(r);
    let r = reports::routes(r);
    let r = meetings::routes(r);
    let r = surveys::routes(r);
    let r = unsubscribe::routes(r);
    me::routes(r)
}

/// The language of a `/portal/{lang}/…` path; other codes are not pages.
pub(crate) fn language(code: &str) -> Result<Language, WebError> {
    code.parse::<Language>().map_err(|_| WebError::NotFound)
}

impl PageContext {
    /// A portal page at `/portal/{lang}{rest}` (`rest` starts with `/`).
    pub fn portal(
        lang: Language,
        rest: &str,
        title: String,
        office_name: String,
        user: Option<&PortalUser>,
    ) -> Self {
        let tr = Tr::new(lang);
        let nav = if user.is_some() {
            [
                ("/", "portal-nav-home"),
                ("/entry", "portal-nav-entry"),
                ("/needs", "portal-nav-needs"),
                ("/ideas", "portal-nav-ideas"),
                ("/surveys", "portal-nav-surveys"),
                ("/meetings", "portal-nav-meetings"),
                ("/me", "portal-nav-me"),
            ]
            .into_iter()
            .map(|(path, key)| NavItem {
                href: format!("/portal/{}{}", lang.code(), path),
                label: tr.t(key),
                // "/me" is not current on "/meetings".
                current: if path == "/" {
                    rest == "/"
                } else {
                    rest == path || rest.starts_with(&format!("{path}/"))
                },
            })
            .collect()
        } else {
            Vec::new()
        };
        PageContext {
            lang,
            tr,
            title,
            office_name,
            nav,
            languages: Language::ALL
                .iter()
                .map(|l| LangLink {
                    href: format!("/portal/{}{rest}", l.code()),
                    code: l.code(),
                    name: l.native_name(),
                    current: *l == lang,
                })
                .collect(),
            search: false,
            user: user.map(|u| UserBox {
                name: u.person.name.clone(),
                role_label: tr.t("portal-role"),
            }),
            home: format!("/portal/{}/", lang.code()),
            path: format!("/portal/{}{rest}", lang.code()),
        }
    }
}

/// A signed-in representative and the page around them; otherwise the
/// answer to give instead (sign in, or "not for you").
pub(crate) struct Portal {
    pub page: PageContext,
    pub user: PortalUser,
    pub actor: Actor,
}

pub(crate) async fn portal(
    state: &AppState,
    user: MaybeUser,
    lang: Language,
    rest: &str,
    title_key: &str,
) -> Result<Portal, Response> {
    let Some(actor) = user.0 else {
        let next = format!("/portal/{}{rest}", lang.code());
        return Err(Redirect::to(&format!(
            "/portal/{}/login?next={}",
            lang.code(),
            encode_query(&next)
        ))
        .into_response());
    };
    match state.services.portal_user(&actor).await {
        Ok(user) => {
            let office = crate::pages::office_name(state).await;
            let tr = Tr::new(lang);
            let page = PageContext::portal(lang, rest, tr.t(title_key), office, Some(&user));
            Ok(Portal { page, user, actor })
        }
        Err(Error::Forbidden) => Err(not_allowed(state, lang, rest).await),
        Err(e) => Err(WebError::from(e).into_response()),
    }
}

/// The portal's own 403 page (in the page's language).
pub(crate) async fn not_allowed(state: &AppState, lang: Language, rest: &str) -> Response {
    let office = crate::pages::office_name(state).await;
    let tr = Tr::new(lang);
    let page = PageContext::portal(lang, rest, tr.t("portal-name"), office, None);
    crate::page::render(
        StatusCode::FORBIDDEN,
        &auth::MessageTemplate {
            page,
            heading: tr.t("portal-name"),
            text: tr.t("portal-not-allowed"),
            link: Some((
                format!("/portal/{}/login", lang.code()),
                tr.t("portal-login-title"),
            )),
        },
    )
}

/// A form's errors in the portal's words.
pub(crate) fn form_errors(tr: Tr, err: Error) -> Result<FormErrors, WebError> {
    match err {
        Error::Conflict(_) => Ok(FormErrors::general(tr, "portal-form-conflict").portal()),
        other => Ok(FormErrors::from_service(tr, other)?.portal()),
    }
}

/// A form body as a JSON object for a proposal: keys in `lists` collect
/// every value (checkbox groups), keys in `flags` become booleans (present
/// means true; their hidden companion `…_present` says the group was on
/// the form at all), `version` a number, the rest text.
pub(crate) fn form_object(
    pairs: &[(String, String)],
    lists: &[&str],
    flags: &[&str],
) -> Map<String, Value> {
    let mut object = Map::new();
    for l in lists {
        if pairs
            .iter()
            .any(|(k, _)| *k == format!("{l}_present") || k == l)
        {
            object.insert((*l).to_owned(), Value::Array(Vec::new()));
        }
    }
    for f in flags {
        if pairs
            .iter()
            .any(|(k, _)| *k == format!("{f}_present") || k == f)
        {
            object.insert((*f).to_owned(), Value::Bool(false));
        }
    }
    for (k, v) in pairs {
        if k.ends_with("_present") {
            continue;
        }
        if lists.contains(&k.as_str()) {
            if let Some(Value::Array(items)) = object.get_mut(k) {
                items.push(Value::String(v.clone()));
            }
        } else if flags.contains(&k.as_str()) {
            object.insert(
                k.clone(),
                Value::Bool(matches!(v.as_str(), "true" | "on" | "1")),
            );
        } else if k == "version" {
            object.insert(
                k.clone(),
                Value::from(v.trim().parse::<i64>().unwrap_or(-1)),
            );
        } else {
            object.insert(k.clone(), Value::String(v.clone()));
        }
    }
    object
}

/// The text of a value of a form object (for showing it again).
pub(crate) fn text_of(object: &Map<String, Value>, key: &str) -> String {
    match object.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The texts of a list value of a form object.
pub(crate) fn list_of(object: &Map<String, Value>, key: &str) -> Vec<String> {
    match object.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(|x| x.trim().to_owned())
            .filter(|x| !x.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// One choice of a radio or checkbox group.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// Choices from (value, label) pairs, checked where `selected` holds them.
pub(crate) fn choices(options: Vec<(String, String)>, selected: &[String]) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice {
            checked: selected.contains(&value),
            value,
            label,
        })
        .collect()
}

/// Where to go after a change was sent: the start page, saying whether it
/// waits or is live.
pub(crate) fn after_proposal(
    lang: Language,
    proposal: &msohub_service::portal::proposals::Proposal,
) -> Response {
    let done = if proposal.status == "published" {
        "published"
    } else {
        "sent"
    };
    Redirect::to(&format!("/portal/{}/?done={done}", lang.code())).into_response()
}

/// A page reached through a link that is a key (a survey's personal link,
/// a mailing's unsubscribe link), holding an organisation's answers or a
/// person's address: named to no other site. (No cache keeps it:
/// `headers::security_headers` sends `no-store` for all of /portal/.)
pub(crate) fn private(mut response: Response) -> Response {
    use axum::http::{HeaderValue, header};
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}
