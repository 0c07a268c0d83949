//! The import wizard: `/app/import` (choose the kind of data and the file)
//! → `/app/import/{id}` (map columns to fields, see every row's problems,
//! save the mapping as a profile) → commit (all rows or none) → result.
//!
//! The uploaded file waits in the database between the steps (every node
//! sees it); the mapping travels in the page's forms as `m.<field>` values,
//! so the steps are plain links and forms that work without JavaScript.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::page::{PageContext, render};
use crate::pages::organisations::{pairs, query_param};
use crate::routes::Routes;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, RawForm, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::import::{
    ImportEntity, ImportOptions, ImportProfile, ImportReport, Mapping, OnMatch, Problem, RowAction,
    Severity, StagedFile,
};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/import", start)
        .upload(
            "POST",
            "/app/import",
            upload,
            crate::api::import::BODY_LIMIT,
        )
        .get("/app/import/{id}", check)
        .post("/app/import/{id}/commit", commit)
        .post("/app/import/{id}/profile", save_profile)
        .post("/app/import/{id}/discard", discard)
        .post(
            "/app/import/profiles/{entity}/{name}/delete",
            delete_profile,
        )
}

#[derive(Template)]
#[template(path = "staff/import.html")]
struct StartTemplate {
    page: PageContext,
    entities: Vec<(&'static str, String)>,
    profiles: Vec<(&'static str, String, ImportProfile)>,
    error: Option<String>,
    chosen: String,
}

async fn start_page(
    state: &AppState,
    parts: &Parts,
    actor: &msohub_service::Actor,
    error: Option<String>,
    chosen: &str,
    status: StatusCode,
) -> Result<Response, WebError> {
    let page = super::staff_page(state, parts, actor, "import-title").await;
    let mut profiles = Vec::new();
    for e in ImportEntity::ALL {
        for p in state.services.import_profiles(actor, e).await? {
            profiles.push((
                e.as_str(),
                page.tr.t(&format!("export-entity-{}", e.as_str())),
                p,
            ));
        }
    }
    let entities = ImportEntity::ALL
        .map(|e| {
            (
                e.as_str(),
                page.tr.t(&format!("export-entity-{}", e.as_str())),
            )
        })
        .to_vec();
    Ok(render(
        status,
        &StartTemplate {
            page,
            entities,
            profiles,
            error,
            chosen: chosen.to_owned(),
        },
    ))
}

async fn start(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    start_page(
        &state,
        &parts,
        &actor,
        None,
        "organisations",
        StatusCode::OK,
    )
    .await
}

async fn upload(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    request: axum::extract::Request,
) -> Result<Response, WebError> {
    // The permission first: a reader learns nothing from body errors.
    actor.require(Permission::WriteStaffArea)?;
    let (parts, body) = request.into_parts();
    let tr = Tr::new(crate::i18n::request_language_parts(&parts));
    let Ok(mut form) = Multipart::from_request(
        axum::extract::Request::from_parts(parts.clone(), body),
        &state,
    )
    .await
    else {
        return start_page(
            &state,
            &parts,
            &actor,
            Some(tr.t("rule-file-unreadable")),
            "organisations",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let (mut entity, mut name, mut bytes, mut profile) =
        (String::new(), String::new(), Vec::new(), String::new());
    let mut problem: Option<&str> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                problem = Some(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    "import-file-too-large"
                } else {
                    "rule-file-unreadable"
                });
                break;
            }
        };
        match field.name() {
            Some("file") => {
                name = field.file_name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(b) => bytes = b.to_vec(),
                    Err(e) => {
                        problem = Some(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                            "import-file-too-large"
                        } else {
                            "rule-file-unreadable"
                        });
                        break;
                    }
                }
            }
            Some("entity") => entity = field.text().await.unwrap_or_default(),
            Some("profile") => profile = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let parsed: Option<ImportEntity> = entity.parse().ok();
    let problem = problem.or(match (&parsed, bytes.is_empty()) {
        (None, _) => Some("import-entity-missing"),
        (_, true) => Some("rule-file-empty"),
        _ => None,
    });
    if let Some(key) = problem {
        return start_page(
            &state,
            &parts,
            &actor,
            Some(tr.t(key)),
            &entity,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let Some(entity) = parsed else {
        return Err(WebError::NotFound);
    };
    let id = match state
        .services
        .stage_import(&actor, entity, &name, bytes)
        .await
    {
        Ok(id) => id,
        Err(msohub_service::Error::Validation(_)) => {
            return start_page(
                &state,
                &parts,
                &actor,
                Some(tr.t("import-file-too-large")),
                entity.as_str(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    let query = if profile.trim().is_empty() {
        String::new()
    } else {
        format!("?profile={}", crate::page::encode_query(profile.trim()))
    };
    Ok(Redirect::to(&format!("/app/import/{id}{query}")).into_response())
}

/// One field's row of the mapping table.
struct FieldRow {
    key: &'static str,
    label: String,
    required: bool,
    /// The header mapped to it, or empty.
    header: String,
    /// The first data row's value in that column.
    sample: String,
    /// Problems of this field in the whole file.
    problems: usize,
}

/// A problem as shown.
struct ProblemRow {
    row: usize,
    column: String,
    field: String,
    message: String,
    warning: bool,
}

#[derive(Template)]
#[template(path = "staff/import_check.html")]
struct CheckTemplate {
    page: PageContext,
    id: Uuid,
    entity: &'static str,
    entity_label: String,
    report: ImportReport,
    fields: Vec<FieldRow>,
    problems: Vec<ProblemRow>,
    preview_fields: Vec<(&'static str, String)>,
    preview: Vec<(usize, String, String, Vec<String>)>,
    on_match: &'static str,
    profile_name: String,
    /// Whether a commit was tried and refused.
    refused: bool,
    notice: Option<String>,
    /// Hidden inputs that carry the mapping.
    carried: Vec<(String, String)>,
}

/// The mapping a form or query carries (`m.<field>=<header>`), if any.
fn carried_mapping(pairs: &[(String, String)]) -> Option<Mapping> {
    if !pairs.iter().any(|(k, _)| k == "mapped") {
        return None;
    }
    Some(
        pairs
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("m.")?.to_owned(), v.clone())))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
    )
}

fn options_of(pairs: &[(String, String)], dry_run: bool) -> ImportOptions {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    ImportOptions {
        mapping: carried_mapping(pairs),
        profile: get("profile").filter(|p| !p.trim().is_empty()),
        on_match: get("on_match").and_then(|m| OnMatch::parse(&m)),
        dry_run,
    }
}

/// Reads, maps and checks (or imports) a staged file.
async fn run(
    state: &AppState,
    actor: &msohub_service::Actor,
    staged: &StagedFile,
    options: &ImportOptions,
) -> Result<ImportReport, msohub_service::Error> {
    state
        .services
        .import(
            actor,
            staged.entity,
            &staged.file_name,
            &staged.bytes,
            options,
            &|_| {},
        )
        .await
}

#[allow(clippy::too_many_arguments)]
async fn check_page(
    state: &AppState,
    parts: &Parts,
    actor: &msohub_service::Actor,
    staged: &StagedFile,
    report: ImportReport,
    refused: bool,
    notice: Option<String>,
    profile_name: String,
) -> Result<Response, WebError> {
    let page = super::staff_page(state, parts, actor, "import-check-title").await;
    let english = page.lang == msohub_domain::Language::En;
    let (id, entity) = (staged.id, staged.entity);
    let fields = entity
        .fields()
        .iter()
        .map(|f| {
            let header = report.mapping.get(f.key).cloned().unwrap_or_default();
            let sample = report
                .headers
                .iter()
                .position(|h| *h == header)
                .and_then(|i| report.first_row.get(i))
                .map(|v| v.chars().take(60).collect())
                .unwrap_or_default();
            FieldRow {
                key: f.key,
                label: if english { f.label_en } else { f.label_de }.to_owned(),
                required: f.required,
                header,
                sample,
                problems: report
                    .problems
                    .iter()
                    .filter(|p| p.field.as_deref() == Some(f.key))
                    .count(),
            }
        })
        .collect::<Vec<_>>();
    let label_of = |key: &str| {
        fields
            .iter()
            .find(|f| f.key == key)
            .map_or_else(|| key.to_owned(), |f| f.label.clone())
    };
    let problems = report
        .problems
        .iter()
        .map(|p| ProblemRow {
            row: p.row,
            column: match (&p.column, &p.header) {
                (Some(c), Some(h)) => format!("{c} ({h})"),
                (Some(c), None) => c.clone(),
                _ => String::new(),
            },
            field: p.field.as_deref().map(label_of).unwrap_or_default(),
            message: msohub_docs::import::problem_text(&page.tr, p),
            warning: p.severity == Severity::Warning,
        })
        .collect();
    let preview_fields: Vec<(&'static str, String)> = fields
        .iter()
        .filter(|f| !f.header.is_empty())
        .map(|f| (f.key, f.label.clone()))
        .collect();
    let preview = report
        .preview
        .iter()
        .map(|r| {
            let action = match r.action {
                RowAction::Create => "create",
                RowAction::Update => "update",
                RowAction::Skip => "skip",
                RowAction::Invalid => "invalid",
            };
            (
                r.row,
                action.to_owned(),
                page.tr.t(&format!("import-action-{action}")),
                preview_fields
                    .iter()
                    .map(|(k, _)| r.values.get(*k).cloned().unwrap_or_default())
                    .collect(),
            )
        })
        .collect();
    let mut carried: Vec<(String, String)> = report
        .mapping
        .iter()
        .map(|(k, v)| (format!("m.{k}"), v.clone()))
        .collect();
    carried.push(("mapped".into(), "1".into()));
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &CheckTemplate {
            entity: entity.as_str(),
            entity_label: page.tr.t(&format!("export-entity-{}", entity.as_str())),
            on_match: report.on_match.as_str(),
            page,
            id,
            fields,
            problems,
            preview_fields,
            preview,
            report,
            profile_name,
            refused,
            notice,
            carried,
        },
    ))
}

async fn check(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
    parts: Parts,
) -> Result<Response, WebError> {
    let staged = state.services.staged_import(&actor, id).await?;
    let pairs = pairs(raw.as_deref());
    let options = options_of(&pairs, true);
    let report = run(&state, &actor, &staged, &options).await?;
    let notice = query_param(raw.as_deref(), "saved").map(|name| {
        Tr::new(crate::i18n::request_language_parts(&parts)).t1(
            "import-profile-saved",
            "name",
            name,
        )
    });
    let profile_name = options.profile.clone().unwrap_or_default();
    check_page(
        &state,
        &parts,
        &actor,
        &staged,
        report,
        false,
        notice,
        profile_name,
    )
    .await
}

#[derive(Template)]
#[template(path = "staff/import_done.html")]
struct DoneTemplate {
    page: PageContext,
    entity: &'static str,
    entity_label: String,
    report: ImportReport,
}

async fn commit(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    parts: Parts,
    RawForm(form): RawForm,
) -> Result<Response, WebError> {
    let staged = state.services.staged_import(&actor, id).await?;
    let pairs = pairs(std::str::from_utf8(&form).ok());
    let options = options_of(&pairs, false);
    let result = run(&state, &actor, &staged, &options).await;
    // Refused: the check page again, with what stands in the way.
    let outcome = match result {
        Ok(report) if report.committed => Ok(report),
        Ok(report) => Err(report),
        Err(msohub_service::Error::Conflict(msg)) => {
            // A record changed between the check and the commit: check
            // again and say so at the top.
            let mut report = run(
                &state,
                &actor,
                &staged,
                &ImportOptions {
                    dry_run: true,
                    ..options.clone()
                },
            )
            .await?;
            report.errors += 1;
            report.problems.insert(
                0,
                Problem {
                    row: 0,
                    column: None,
                    header: None,
                    field: None,
                    rule: "conflict".into(),
                    detail: msg,
                    severity: Severity::Error,
                },
            );
            Err(report)
        }
        Err(e) => return Err(e.into()),
    };
    let report = match outcome {
        Ok(report) => report,
        Err(report) => {
            return check_page(
                &state,
                &parts,
                &actor,
                &staged,
                report,
                true,
                None,
                options.profile.unwrap_or_default(),
            )
            .await;
        }
    };
    state.services.discard_staged_import(&actor, id).await?;
    let page = super::staff_page(&state, &parts, &actor, "import-done-title").await;
    Ok(render(
        StatusCode::OK,
        &DoneTemplate {
            entity: staged.entity.as_str(),
            entity_label: page
                .tr
                .t(&format!("export-entity-{}", staged.entity.as_str())),
            page,
            report,
        },
    ))
}

async fn save_profile(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    parts: Parts,
    RawForm(form): RawForm,
) -> Result<Response, WebError> {
    let staged = state.services.staged_import(&actor, id).await?;
    let pairs = pairs(std::str::from_utf8(&form).ok());
    let options = options_of(&pairs, true);
    let name = pairs
        .iter()
        .find(|(k, _)| k == "profile_name")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let mapping = options.mapping.clone().unwrap_or_default();
    let on_match = options.on_match.unwrap_or_default();
    // Saving under an existing name replaces that profile (the form says so).
    let version = match state
        .services
        .import_profile(&actor, staged.entity, &name)
        .await
    {
        Ok(p) => p.version,
        Err(_) => 0,
    };
    match state
        .services
        .save_import_profile(&actor, staged.entity, &name, &mapping, on_match, version)
        .await
    {
        Ok(p) => {
            let mut query: Vec<String> = mapping
                .iter()
                .map(|(k, v)| format!("m.{}={}", k, crate::page::encode_query(v)))
                .collect();
            query.push("mapped=1".into());
            query.push(format!("on_match={}", on_match.as_str()));
            query.push(format!("saved={}", crate::page::encode_query(&p.name)));
            Ok(Redirect::to(&format!("/app/import/{id}?{}", query.join("&"))).into_response())
        }
        Err(msohub_service::Error::Validation(errors)) => {
            let tr = Tr::new(crate::i18n::request_language_parts(&parts));
            let report = run(&state, &actor, &staged, &options).await?;
            let notice = errors.first().map(|e| {
                format!(
                    "{} {}",
                    tr.t("import-profile-name"),
                    tr.t(&format!("rule-{}", e.rule))
                )
            });
            check_page(&state, &parts, &actor, &staged, report, false, notice, name).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn discard(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    state.services.discard_staged_import(&actor, id).await?;
    Ok(Redirect::to("/app/import").into_response())
}

async fn delete_profile(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((entity, name)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let entity: ImportEntity = entity.parse().map_err(|()| WebError::NotFound)?;
    state
        .services
        .delete_import_profile(&actor, entity, &name)
        .await?;
    Ok(Redirect::to("/app/import").into_response())
}
