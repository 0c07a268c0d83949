//! User administration for admins (`/app/admin/users`): list with last
//! sign-in, create (with a one-time password), edit name and role, disable and
//! re-enable, reset a password.

use crate::AppState;
use crate::WebError;
use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::query::Query;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::{Permission, Role};
use msohub_service::accounts::{NewUser, UserChange};
use msohub_service::{Actor, User};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/admin/users", list)
        .post("/app/admin/users", create)
        .get("/app/admin/users/new", new_form)
        .get("/app/admin/users/{id}", edit_form)
        .post("/app/admin/users/{id}", update)
        .post("/app/admin/users/{id}/disable", disable)
        .post("/app/admin/users/{id}/enable", enable)
        .post("/app/admin/users/{id}/reset-password", reset_password)
        .post("/app/admin/users/{id}/reset-totp", reset_totp)
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct ListTemplate {
    page: PageContext,
    users: Vec<User>,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    let users = state.services.list_users(&actor).await?;
    let page = super::staff_page(&state, &parts, &actor, "users-title").await;
    Ok(render(StatusCode::OK, &ListTemplate { page, users }))
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct FormTemplate {
    page: PageContext,
    errors: FormErrors,
    /// `None` for a new account.
    user: Option<User>,
    email: String,
    display_name: String,
    role: String,
    version: i32,
    roles: Vec<(&'static str, String)>,
    /// The form of address for the report: code, label, chosen.
    addresses: Vec<(&'static str, String, bool)>,
    notice: Option<String>,
}

fn roles(page: &PageContext) -> Vec<(&'static str, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str(), page.t(&format!("role-{r}"))))
        .collect()
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    actor.require(Permission::ManageUsers)?;
    let page = super::staff_page(&state, &parts, &actor, "user-new-title").await;
    let tr = page.tr;
    let roles = roles(&page);
    Ok(render(
        StatusCode::OK,
        &FormTemplate {
            page,
            errors: FormErrors::none(tr),
            user: None,
            email: String::new(),
            display_name: String::new(),
            role: "staff".into(),
            version: 0,
            roles,
            addresses: super::account::addresses(tr, ""),
            notice: None,
        },
    ))
}

#[derive(serde::Deserialize)]
struct UserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    form_of_address: String,
    #[serde(default)]
    version: i32,
}

#[derive(Template)]
#[template(path = "admin/one_time_password.html")]
struct OneTimeTemplate {
    page: PageContext,
    user: User,
    password: String,
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    let new = NewUser {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        role: form.role.clone(),
        organisation_id: None,
        password: None,
        form_of_address: form.form_of_address.clone(),
    };
    match state.services.create_user(&actor, new).await {
        Ok((user, password)) => {
            let page = super::staff_page(&state, &parts, &actor, "one-time-title").await;
            Ok(render(
                StatusCode::CREATED,
                &OneTimeTemplate {
                    page,
                    user,
                    password: password.unwrap_or_default(),
                },
            ))
        }
        Err(err) => {
            let page = super::staff_page(&state, &parts, &actor, "user-new-title").await;
            let errors = FormErrors::from_service(page.tr, err)?;
            let roles = roles(&page);
            let addresses = super::account::addresses(page.tr, &form.form_of_address);
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormTemplate {
                    page,
                    errors,
                    user: None,
                    email: form.email,
                    display_name: form.display_name,
                    role: form.role,
                    version: 0,
                    roles,
                    addresses,
                    notice: None,
                },
            ))
        }
    }
}

#[derive(serde::Deserialize, Default)]
struct Done {
    done: Option<String>,
}

async fn edit_template(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    user: User,
    errors: Option<FormErrors>,
    notice: Option<String>,
) -> FormTemplate {
    let page = super::staff_page(state, parts, actor, "user-edit-title").await;
    let tr = page.tr;
    let roles = roles(&page);
    FormTemplate {
        errors: errors.unwrap_or(FormErrors::none(tr)),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role.as_str().to_owned(),
        version: user.version,
        addresses: super::account::addresses(tr, &user.form_of_address),
        user: Some(user),
        roles,
        notice,
        page,
    }
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    actor.require(Permission::ManageUsers)?;
    let user = state.services.get_user(&actor, id).await?;
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    let notice = crate::forms::done_notice(tr, q.done.as_deref());
    Ok(render(
        StatusCode::OK,
        &edit_template(&state, &parts, &actor, user, None, notice).await,
    ))
}

/// Applies a change; on a validation error or a stale version the form is
/// shown again (with the current values after a conflict).
async fn apply(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Uuid,
    change: UserChange,
    done: &str,
) -> Result<Response, WebError> {
    match state.services.update_user(actor, id, change).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/admin/users/{id}?done={done}")).into_response()),
        Err(err) => {
            let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(parts));
            let status = if matches!(err, msohub_service::Error::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let errors = FormErrors::from_service(tr, err)?;
            let user = state.services.get_user(actor, id).await?;
            Ok(render(
                status,
                &edit_template(state, parts, actor, user, Some(errors), None).await,
            ))
        }
    }
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    let change = UserChange {
        display_name: Some(form.display_name),
        role: Some(form.role),
        form_of_address: Some(form.form_of_address),
        version: form.version,
        ..UserChange::default()
    };
    apply(&state, &parts, &actor, id, change, "saved").await
}

async fn disable(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(form): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    let change = UserChange {
        disabled: Some(true),
        version: form.version,
        ..UserChange::default()
    };
    apply(&state, &parts, &actor, id, change, "disabled").await
}

async fn enable(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(form): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    let change = UserChange {
        disabled: Some(false),
        version: form.version,
        ..UserChange::default()
    };
    apply(&state, &parts, &actor, id, change, "enabled").await
}

async fn reset_password(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let password = state.services.reset_password(&actor, id).await?;
    let user = state.services.get_user(&actor, id).await?;
    let page = super::staff_page(&state, &parts, &actor, "one-time-title").await;
    Ok(render(
        StatusCode::OK,
        &OneTimeTemplate {
            page,
            user,
            password,
        },
    ))
}

async fn reset_totp(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    state.services.reset_totp(&actor, id).await?;
    Ok(Redirect::to(&format!("/app/admin/users/{id}?done=totp-reset")).into_response())
}
