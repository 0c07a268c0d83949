//! The API documentation page at `/{lang}/api`: the OpenAPI document
//! rendered on the server with our own templates and styles. No script, no
//! CDN, nothing the content security policy must relax; it reads well with a
//! screen reader and prints. Machines read `/api/v1/openapi.json`.

use super::OPENAPI;
use serde_json::Value;
use std::sync::LazyLock;

pub struct DocParam {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub ty: String,
    pub description: String,
}

pub struct DocResponse {
    pub status: String,
    pub description: String,
    pub schema: Option<String>,
}

pub struct DocOperation {
    pub method: String,
    pub path: String,
    pub anchor: String,
    pub summary: String,
    pub description: String,
    pub params: Vec<DocParam>,
    pub body: Option<String>,
    pub body_description: String,
    pub responses: Vec<DocResponse>,
    pub public: bool,
}

pub struct DocTag {
    pub name: String,
    pub description: String,
    pub operations: Vec<DocOperation>,
}

pub struct DocProperty {
    pub name: String,
    pub ty: String,
    pub required: bool,
    pub description: String,
}

pub struct DocSchema {
    pub name: String,
    pub description: String,
    pub properties: Vec<DocProperty>,
}

pub struct ApiDocView {
    pub title: String,
    pub version: String,
    pub description: String,
    pub tags: Vec<DocTag>,
    pub schemas: Vec<DocSchema>,
}

/// The view, built once from the document.
pub static VIEW: LazyLock<ApiDocView> = LazyLock::new(|| {
    let doc: Value = serde_json::from_str(&OPENAPI).unwrap_or(Value::Null);
    view(&doc)
});

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// A schema as a short type: `string`, `Organisation`, `[string]`,
/// `integer | null`.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            return alts.iter().map(type_of).collect::<Vec<_>>().join(" | ");
        }
    }
    let base = match schema.get("type") {
        Some(Value::Array(types)) => types.iter().map(text).collect::<Vec<_>>().join(" | "),
        Some(t) => text(t),
        None => "any".to_owned(),
    };
    let base = if base.starts_with("array") {
        let item = schema.get("items").map(type_of).unwrap_or_default();
        base.replacen("array", &format!("[{item}]"), 1)
    } else {
        base
    };
    match schema.get("format").and_then(Value::as_str) {
        Some(f) if !base.contains('|') => format!("{base} ({f})"),
        _ => base,
    }
}

fn anchor(method: &str, path: &str) -> String {
    let mut a = format!("op-{method}");
    for c in path.chars() {
        a.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    a
}

fn json_schema_of(content: Option<&Value>) -> Option<String> {
    let content = content?.as_object()?;
    let (_, media) = content.iter().next()?;
    media.get("schema").map(type_of)
}

fn view(doc: &Value) -> ApiDocView {
    let mut tags: Vec<DocTag> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| DocTag {
            name: text(&t["name"]),
            description: text(&t["description"]),
            operations: Vec::new(),
        })
        .collect();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let tag = op["tags"][0].as_str().unwrap_or("other");
            let params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| DocParam {
                    name: text(&p["name"]),
                    location: text(&p["in"]),
                    required: p["required"].as_bool().unwrap_or(false),
                    ty: type_of(&p["schema"]),
                    description: text(&p["description"]),
                })
                .collect();
            let responses = op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, r)| DocResponse {
                    status: status.clone(),
                    description: text(&r["description"]),
                    schema: json_schema_of(r.get("content")),
                })
                .collect();
            let operation = DocOperation {
                method: method.to_uppercase(),
                path: path.clone(),
                anchor: anchor(method, path),
                summary: text(&op["summary"]),
                description: msohub_docs::markdown_to_html(&text(&op["description"])),
                params,
                body: json_schema_of(op["requestBody"].get("content")),
                body_description: text(&op["requestBody"]["description"]),
                responses,
                public: op["security"].as_array().is_some_and(|s| {
                    s.iter()
                        .all(|e| e.as_object().is_some_and(|o| o.is_empty()))
                }),
            };
            match tags.iter_mut().find(|t| t.name == tag) {
                Some(t) => t.operations.push(operation),
                None => tags.push(DocTag {
                    name: tag.to_owned(),
                    description: String::new(),
                    operations: vec![operation],
                }),
            }
        }
    }
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, s)| {
            let required: Vec<&str> = s["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            DocSchema {
                name: name.clone(),
                description: text(&s["description"]),
                properties: s["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(p, ps)| DocProperty {
                        name: p.clone(),
                        ty: type_of(ps),
                        required: required.contains(&p.as_str()),
                        description: text(&ps["description"]),
                    })
                    .collect(),
            }
        })
        .collect();
    ApiDocView {
        title: text(&doc["info"]["title"]),
        version: text(&doc["info"]["version"]),
        description: msohub_docs::markdown_to_html(&text(&doc["info"]["description"])),
        tags,
        schemas,
    }
}

impl DocResponse {
    /// Whether the schema names a component (and can link to it).
    pub fn schema_link(&self) -> Option<&str> {
        self.schema
            .as_deref()
            .filter(|s| VIEW.schemas.iter().any(|d| d.name == *s))
    }
}

impl DocOperation {
    pub fn body_link(&self) -> Option<&str> {
        self.body
            .as_deref()
            .filter(|s| VIEW.schemas.iter().any(|d| d.name == *s))
    }
}

use crate::AppState;
use crate::error::WebError;
use crate::page::{PageContext, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Template)]
#[template(path = "public/api_docs.html")]
struct ApiDocsTemplate {
    page: PageContext,
    api: &'static ApiDocView,
}

pub async fn page(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = code.parse().map_err(|_| WebError::NotFound)?;
    let office = state
        .services
        .office()
        .await
        .map(|o| o.name)
        .unwrap_or_default();
    let page = PageContext::public(lang, "/api", "api-docs-title", office);
    Ok(render(
        StatusCode::OK,
        &ApiDocsTemplate { page, api: &VIEW },
    ))
}
