//! An organisation's detail page (facts, people, offers, timeline,
//! history) and the one-button changes made from it: delete, restore,
//! "checked today" and coordinates from the geocoder.

use super::{query_param, term_label};
use crate::auth::CurrentUser;
use crate::i18n::Tr;
use crate::page::{PageContext, render};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::organisations::Organisation;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "organisations/show.html")]
struct ShowTemplate {
    page: PageContext,
    org: Organisation,
    facts: Vec<(String, String)>,
    /// Its bodies, members there and attendance.
    bodies: Vec<msohub_service::bodies::OrganisationInBody>,
    /// Interactions, needs and tasks, newest first.
    timeline: Vec<msohub_service::dashboard::TimelineEntry>,
    history: Vec<HistoryLine>,
    people: Vec<(
        msohub_service::people::Affiliation,
        msohub_service::people::Person,
    )>,
    /// The organisation's offers, by title.
    offers: Vec<msohub_service::offers::Offer>,
    /// The description rendered from Markdown and sanitised.
    description_html: String,
    notice: Option<String>,
    /// Why the last logo upload was refused.
    logo_error: Option<String>,
    /// Whether a geocoder is set up (the button is shown then).
    geocoder_on: bool,
    /// Why the last geocoding failed.
    geo_error: Option<String>,
    can_write: bool,
    /// Its representatives' changes publish at once.
    trusted: bool,
    /// An admin reads: the button "Als unser Amt festlegen" is shown.
    can_admin: bool,
}

struct HistoryLine {
    at: chrono::DateTime<chrono::Utc>,
    actor: String,
    action: String,
    changed: Vec<String>,
}

/// The names of the fields that differ between two audit snapshots.
fn changed_fields(
    tr: &Tr,
    before: &Option<serde_json::Value>,
    after: &Option<serde_json::Value>,
) -> Vec<String> {
    let (Some(b), Some(a)) = (
        before.as_ref().and_then(|v| v.as_object()),
        after.as_ref().and_then(|v| v.as_object()),
    ) else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| tr.t(&format!("field-{k}")))
        .collect()
}

pub(super) async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let org = state.services.get_organisation(&actor, id).await?;
    let history = state.services.organisation_history(&actor, id).await?;
    let mut page = super::staff_page(&state, &parts, &actor, "orgs-title").await;
    page.title = org.name.clone();
    let tr = page.tr;
    let topics = state.services.terms("topic").await?;
    let groups = state.services.terms("target_group").await?;
    let none = || "–".to_owned();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(none);
    let facts = vec![
        (tr.t("field-kind"), tr.t(&format!("kind-{}", org.kind))),
        (
            tr.t("field-alternate_names"),
            if org.alternate_names.is_empty() {
                none()
            } else {
                org.alternate_names.join(", ")
            },
        ),
        (
            tr.t("field-legal_status"),
            org.legal_status
                .as_ref()
                .map_or_else(none, |l| tr.t(&format!("legal-{l}"))),
        ),
        (
            tr.t("field-register_number"),
            match (&org.register_court, &org.register_number) {
                (Some(c), Some(n)) => format!("{n} ({c})"),
                (None, Some(n)) => n.clone(),
                _ => none(),
            },
        ),
        (
            tr.t("field-founding_year"),
            org.founding_year.map_or_else(none, |y| y.to_string()),
        ),
        (
            tr.t("field-member_count"),
            org.member_count.map_or_else(none, |n| n.to_string()),
        ),
        (
            tr.t("field-origins"),
            if org.origins.is_empty() {
                none()
            } else {
                org.origins.join(", ")
            },
        ),
        (
            tr.t("field-languages"),
            if org.languages.is_empty() {
                none()
            } else {
                crate::i18n::language_names(tr, &org.languages)
            },
        ),
        (
            tr.t("field-topics"),
            if org.topics.is_empty() {
                none()
            } else {
                org.topics
                    .iter()
                    .map(|t| term_label(&tr, &topics, t))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (
            tr.t("field-target_groups"),
            if org.target_groups.is_empty() {
                none()
            } else {
                org.target_groups
                    .iter()
                    .map(|t| term_label(&tr, &groups, t))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (
            tr.t("field-address"),
            [
                org.street.clone(),
                match (&org.postcode, &org.city) {
                    (Some(p), Some(c)) => Some(format!("{p} {c}")),
                    (p, c) => p.clone().or(c.clone()),
                },
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        ),
        (tr.t("field-district"), opt(&org.district)),
        (
            tr.t("field-coordinates"),
            match (org.latitude, org.longitude) {
                (Some(lat), Some(lon)) => format!("{lat:.5}, {lon:.5}"),
                _ => none(),
            },
        ),
        (tr.t("field-website"), opt(&org.website)),
        (tr.t("field-email"), opt(&org.email)),
        (tr.t("field-phone"), opt(&org.phone)),
        (
            tr.t("field-is_public"),
            if org.is_public {
                tr.t("yes")
            } else {
                tr.t("no")
            },
        ),
        (
            tr.t("field-assured_at"),
            org.assured_at
                .as_ref()
                .map_or_else(|| tr.t("never"), |d| page.date(d)),
        ),
    ];
    let people = state.services.organisation_people(&actor, id).await?;
    let timeline = state.services.organisation_timeline(&actor, id).await?;
    let offers = state.services.organisation_offers(&actor, id).await?;
    let bodies = state.services.organisation_bodies(&actor, id).await?;
    let history = history
        .into_iter()
        .map(|e| HistoryLine {
            changed: changed_fields(&tr, &e.before, &e.after),
            at: e.at,
            actor: e.actor,
            action: e.action,
        })
        .collect();
    let notice = crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref());
    let logo_error = query_param(raw.as_deref(), "logo_error")
        .filter(|r| {
            [
                "file-empty",
                "file-too-large",
                "file-type",
                "file-unreadable",
            ]
            .contains(&r.as_str())
        })
        .map(|r| tr.t(&format!("rule-{r}")));
    let geo_error = query_param(raw.as_deref(), "geo_error")
        .filter(|r| {
            [
                "geocoder-off",
                "address-missing",
                "address-not-found",
                "geocoder-unreachable",
            ]
            .contains(&r.as_str())
        })
        .map(|r| tr.t(&format!("rule-{r}")));
    let geocoder_on = !state.services.geocoder().await?.url.is_empty();
    let trusted = state.services.organisation_trusted(&actor, id).await?;
    Ok(render(
        StatusCode::OK,
        &ShowTemplate {
            logo_error,
            geo_error,
            geocoder_on,
            trusted,
            page,
            people,
            offers,
            description_html: msohub_docs::markdown_to_html(&org.description),
            can_write: actor.can(Permission::WriteStaffArea),
            can_admin: actor.can(Permission::ManageUsers),
            org,
            facts,
            bodies,
            timeline,
            history,
            notice,
        },
    ))
}

async fn small_change(
    result: Result<Organisation, msohub_service::Error>,
    id: Uuid,
    done: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/app/organisations/{id}?done={done}")).into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/organisations/{id}?done=stale")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    small_change(
        state
            .services
            .delete_organisation(&actor, id, f.version)
            .await,
        id,
        "deleted",
    )
    .await
}

pub(super) async fn restore(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    small_change(
        state
            .services
            .restore_organisation(&actor, id, f.version)
            .await,
        id,
        "restored",
    )
    .await
}

pub(super) async fn checked(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    small_change(
        state
            .services
            .mark_organisation_checked(&actor, id, f.version)
            .await,
        id,
        "checked",
    )
    .await
}

/// Coordinates from the address, through the geocoder of the settings.
pub(super) async fn geocode(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    match state
        .services
        .geocode_organisation(&actor, id, f.version)
        .await
    {
        Err(msohub_service::Error::Validation(fields)) => {
            let rule = fields
                .first()
                .map_or("geocoder-unreachable", |f| f.rule.as_str());
            Ok(Redirect::to(&format!("/app/organisations/{id}?geo_error={rule}")).into_response())
        }
        other => small_change(other, id, "geocoded").await,
    }
}

/// Makes the organisation "our office" (admins); any other loses the mark.
pub(super) async fn set_own_office(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    state.services.set_office_organisation(&actor, id).await?;
    Ok(Redirect::to(&format!(
        "/app/organisations/{id}?done=own-office#own-office"
    ))
    .into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct TrustedForm {
    trusted: String,
}

/// Trusts the organisation (its portal changes publish at once) or not.
pub(super) async fn set_trusted(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<TrustedForm>,
) -> Result<Response, WebError> {
    let trusted = matches!(f.trusted.as_str(), "on" | "true" | "1");
    state
        .services
        .set_organisation_trusted(&actor, id, trusted)
        .await?;
    let done = if trusted { "trusted" } else { "untrusted" };
    Ok(Redirect::to(&format!("/app/organisations/{id}?done={done}#portal")).into_response())
}
