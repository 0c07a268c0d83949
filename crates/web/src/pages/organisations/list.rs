//! The registry's list (`/app/organisations`): the query from the URL,
//! search, facets, sorting and pagination.

use super::{pairs, term_label};
use crate::auth::CurrentUser;
use crate::page::{PageContext, encode_query, render};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use msohub_domain::Permission;
use msohub_service::organisations::OrgSort;
use msohub_service::organisations::{OrgQuery, Organisation};

fn sort_of(code: &str) -> OrgSort {
    match code {
        "name_desc" => OrgSort::NameDesc,
        "updated" => OrgSort::UpdatedDesc,
        "assured" => OrgSort::AssuredAsc,
        _ => OrgSort::NameAsc,
    }
}

/// The list query from the URL, plus the canonical query string (for links).
pub fn query_from(raw: Option<&str>, limit: u64) -> (OrgQuery, String, String) {
    let mut q = OrgQuery {
        limit,
        ..OrgQuery::default()
    };
    let mut sort = "name".to_owned();
    let mut kept = Vec::new();
    for (k, v) in pairs(raw) {
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "q" => q.text = v.clone(),
            "kind" => q.kinds.push(v.clone()),
            "topic" => q.topics.push(v.clone()),
            "language" => q.languages.push(v.clone()),
            "district" => q.districts.push(v.clone()),
            "origin" => q.origins.push(v.clone()),
            "unchecked" => q.unchecked = true,
            "deleted" => q.deleted = true,
            "sort" => {
                sort = v.clone();
                q.sort = sort_of(&v);
            }
            "cursor" => {
                q.cursor = Some(v);
                continue;
            }
            _ => continue,
        }
        kept.push(format!("{}={}", encode_query(&k), encode_query(&v)));
    }
    (q, kept.join("&"), sort)
}

struct FacetOption {
    value: String,
    label: String,
    count: u64,
    checked: bool,
}

struct FacetGroup {
    name: &'static str,
    label: String,
    options: Vec<FacetOption>,
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListTemplate {
    page: PageContext,
    q: OrgQuery,
    items: Vec<Organisation>,
    total: u64,
    facets: Vec<FacetGroup>,
    sorts: Vec<(&'static str, String)>,
    sort: String,
    query_string: String,
    next_page: Option<String>,
    can_write: bool,
}

const PAGE_SIZE: u64 = 50;

pub(super) async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let (q, query_string, sort) = query_from(raw.as_deref(), PAGE_SIZE);
    let result = state.services.list_organisations(&actor, &q).await?;
    let page = super::staff_page(&state, &parts, &actor, "orgs-title").await;
    let tr = page.tr;
    let topics = state.services.terms("topic").await?;
    let mut facets = Vec::new();
    for (name, facet, selected) in [
        ("kind", "kind", &q.kinds),
        ("topic", "topic", &q.topics),
        ("language", "language", &q.languages),
        ("district", "district", &q.districts),
        ("origin", "origin", &q.origins),
    ] {
        let counts = result.facets.get(facet).cloned().unwrap_or_default();
        let mut options: Vec<FacetOption> = counts
            .iter()
            .map(|(value, count)| FacetOption {
                label: match name {
                    "kind" => tr.t(&format!("kind-{value}")),
                    "topic" => term_label(&tr, &topics, value),
                    "language" => crate::i18n::language_name(tr, value),
                    _ => value.clone(),
                },
                value: value.clone(),
                count: *count,
                checked: selected.contains(value),
            })
            .collect();
        // A selected value without matches stays visible, so it can be unticked.
        for s in selected.iter().filter(|s| !counts.contains_key(*s)) {
            options.push(FacetOption {
                value: s.clone(),
                label: s.clone(),
                count: 0,
                checked: true,
            });
        }
        if !options.is_empty() {
            facets.push(FacetGroup {
                name,
                label: tr.t(&format!("facet-{name}")),
                options,
            });
        }
    }
    let sorts = vec![
        ("name", tr.t("sort-name")),
        ("name_desc", tr.t("sort-name-desc")),
        ("updated", tr.t("sort-updated")),
        ("assured", tr.t("sort-assured")),
    ];
    let next_page = result.next_cursor.as_ref().map(|c| {
        format!(
            "/app/organisations?{query_string}&cursor={}",
            encode_query(c)
        )
    });
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            q,
            items: result.items,
            total: result.total,
            facets,
            sorts,
            sort,
            query_string,
            next_page,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}
