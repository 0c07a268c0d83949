//! `/app/admin/settings`: the office's name and city, and the geocoder.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::settings::InstanceSettings;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/admin/settings", show)
        .post("/app/admin/settings", save)
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsTemplate {
    page: PageContext,
    input: InstanceSettings,
    errors: FormErrors,
    notice: Option<String>,
    security: Vec<(&'static str, String, bool)>,
    /// "Our office": the organisation's id and name (set on its page).
    office_org: Option<(String, String)>,
    /// How the scheduled backups went: the last archive, the last failure
    /// (shown while the latest run failed).
    backup_ok: Option<String>,
    backup_failed: Option<String>,
}

/// The scheduled backup's status in words.
fn backup_lines(
    tr: crate::i18n::Tr,
    status: Option<&msohub_service::backup::schedule::BackupStatus>,
) -> (Option<String>, Option<String>) {
    let Some(status) = status else {
        return (None, None);
    };
    let when = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&chrono_tz::Europe::Berlin)
            .format("%d.%m.%Y %H:%M")
            .to_string()
    };
    let ok = match (status.last_success_at, &status.last_file) {
        (Some(at), Some(file)) => format!(
            "{}: {} – {file} ({} {}, {} {})",
            tr.t("backup-status-ok"),
            when(at),
            status.last_bytes.unwrap_or(0),
            tr.t("backup-status-bytes"),
            status.last_rows.unwrap_or(0),
            tr.t("backup-status-rows"),
        ),
        _ => tr.t("backup-status-never"),
    };
    let failed = match (status.failing, status.last_failure_at, &status.last_error) {
        (true, Some(at), Some(error)) => Some(format!(
            "{} ({}): {error}",
            tr.t("backup-status-failed"),
            when(at)
        )),
        _ => None,
    };
    (Some(ok), failed)
}

/// The organisation marked "our office", with its name.
async fn office_org(
    state: &AppState,
    actor: &msohub_service::Actor,
    id: Option<&str>,
) -> Result<Option<(String, String)>, WebError> {
    let Some(id) = id.and_then(|i| i.parse::<uuid::Uuid>().ok()) else {
        return Ok(None);
    };
    let org = state.services.get_organisation(actor, id).await?;
    Ok(Some((org.id.to_string(), org.name)))
}

fn security(tr: crate::i18n::Tr, value: &str) -> Vec<(&'static str, String, bool)> {
    ["starttls", "tls", "none"]
        .into_iter()
        .map(|c| (c, tr.t(&format!("smtp-security-{c}")), c == value))
        .collect()
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let input = state.services.instance_settings(&actor).await?;
    let office_org = office_org(&state, &actor, input.office_organisation_id.as_deref()).await?;
    let page = super::staff_page(&state, &parts, &actor, "settings-title").await;
    let done = crate::pages::organisations::query_param(raw.as_deref(), "done");
    let notice = crate::forms::done_notice(page.tr, done.as_deref());
    let errors = FormErrors::none(page.tr);
    let security = security(page.tr, &input.smtp_security);
    let (backup_ok, backup_failed) = backup_lines(page.tr, input.backup_status.as_ref());
    Ok(render(
        StatusCode::OK,
        &SettingsTemplate {
            page,
            input,
            errors,
            notice,
            security,
            office_org,
            backup_ok,
            backup_failed,
        },
    ))
}

async fn save(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    form: Result<Form<InstanceSettings>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    actor.require(Permission::ManageUsers)?;
    // A malformed body counts as an empty form: every field says what it needs.
    let input = form.map(|Form(i)| i).unwrap_or_default();
    match state.services.change_settings(&actor, &input).await {
        Ok(_) => Ok(Redirect::to("/app/admin/settings?done=saved").into_response()),
        Err(msohub_service::Error::Validation(fields)) => {
            let page = super::staff_page(&state, &parts, &actor, "settings-title").await;
            let errors = FormErrors::fields(page.tr, fields);
            let security = security(page.tr, &input.smtp_security);
            let stored = state.services.instance_settings(&actor).await?;
            let office_org =
                office_org(&state, &actor, stored.office_organisation_id.as_deref()).await?;
            let (backup_ok, backup_failed) = backup_lines(page.tr, stored.backup_status.as_ref());
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsTemplate {
                    page,
                    input,
                    errors,
                    notice: None,
                    security,
                    office_org,
                    backup_ok,
                    backup_failed,
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}
