//! The OpenAPI document: it lists exactly the API routes the app serves,
//! its references resolve, what the API answers matches the schemas it
//! documents, and the docs page renders every operation.

use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::Value;
use std::collections::BTreeSet;

on_both_databases!(
    the_document_is_served_and_answers_match_its_schemas,
    the_docs_page_shows_every_operation,
);

fn document() -> Value {
    serde_json::from_str(&msohub_web::api::OPENAPI).expect("the document is JSON")
}

#[test]
fn every_api_route_is_documented_and_nothing_else() {
    let doc = document();
    let served: BTreeSet<(String, String)> = msohub_web::route_list()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/"))
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let missing: Vec<_> = served.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "routes without documentation: {missing:?}"
    );
    assert!(extra.is_empty(), "documented but not served: {extra:?}");
}

#[test]
fn operation_ids_are_unique_and_references_resolve() {
    let doc = document();
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(ids.insert(id.to_owned()), "operationId {id} is used twice");
            assert!(
                !op["summary"].as_str().unwrap_or_default().is_empty(),
                "{method} {path} has no summary"
            );
        }
    }
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r.strip_prefix("#/components/schemas/").expect("local ref");
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling reference {r}"
        );
    }
}

/// Two types with one schema name: the document keeps one of them and
/// every reference to the other is wrong (the import's row problem once
/// replaced the error answer `Problem`). Reads the sources: each type that
/// derives `ToSchema` is named once, by its own name or its `as =`.
#[test]
fn schema_names_are_unique() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    rust_files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates"),
        &mut files,
    );
    let mut names: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !(line.contains("#[derive(") && line.contains("ToSchema")) {
                continue;
            }
            // The attributes up to the item, then the item's name.
            let mut alias = None;
            for next in &lines[i + 1..] {
                let t = next.trim();
                if let Some(rest) = t.strip_prefix("#[schema(as = ") {
                    alias = rest.split([')', ',']).next().map(|a| a.trim().to_owned());
                }
                let item = t
                    .strip_prefix("pub ")
                    .or(Some(t))
                    .and_then(|t| t.strip_prefix("pub(crate) ").or(Some(t)))
                    .and_then(|t| t.strip_prefix("pub(super) ").or(Some(t)))
                    .and_then(|t| {
                        t.strip_prefix("struct ")
                            .or_else(|| t.strip_prefix("enum "))
                    });
                if let Some(item) = item {
                    let name: String = item
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let name = alias.clone().unwrap_or(name);
                    names
                        .entry(name)
                        .or_default()
                        .push(file.display().to_string());
                    break;
                }
            }
        }
    }
    let clashes: Vec<_> = names.iter().filter(|(_, files)| files.len() > 1).collect();
    assert!(clashes.is_empty(), "schema names used twice: {clashes:?}");
    // The error answer is the RFC 9457 problem.
    let doc = document();
    let problem = &doc["components"]["schemas"]["Problem"]["properties"];
    for field in ["type", "title", "status", "detail"] {
        assert!(
            problem.get(field).is_some(),
            "Problem lacks {field}: {problem}"
        );
    }
    assert!(problem.get("row").is_none(), "{problem}");
    assert!(doc["components"]["schemas"]["ImportProblem"]["properties"]["row"].is_object());
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, v) in o {
                match (k.as_str(), v) {
                    ("$ref", Value::String(s)) => out.push(s.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Checks `value` against `schema` (the subset of JSON Schema the document
/// uses); returns every mismatch with its JSON path. Properties the schema
/// does not name count as mismatches: the document must be complete.
fn mismatches(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap();
        return mismatches(doc, &doc["components"]["schemas"][name], value, at);
    }
    if let Some(alts) = schema
        .get("oneOf")
        .or(schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        return if alts
            .iter()
            .any(|alt| mismatches(doc, alt, value, at).is_empty())
        {
            Vec::new()
        } else {
            vec![format!("{at}: matches no alternative")]
        };
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return Vec::new(),
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
    if !ok {
        return vec![format!("{at}: {actual} where the document says {types:?}")];
    }
    let mut out = Vec::new();
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                out.extend(mismatches(
                    doc,
                    &schema["items"],
                    item,
                    &format!("{at}[{i}]"),
                ));
            }
        }
        Value::Object(o) => {
            if let Some(props) = schema["properties"].as_object() {
                for req in schema["required"].as_array().into_iter().flatten() {
                    let req = req.as_str().unwrap();
                    if !o.contains_key(req) {
                        out.push(format!("{at}.{req}: required but missing"));
                    }
                }
                for (k, v) in o {
                    match props.get(k) {
                        Some(s) => out.extend(mismatches(doc, s, v, &format!("{at}.{k}"))),
                        None => out.push(format!("{at}.{k}: not in the document")),
                    }
                }
            } else if let Some(extra) = schema.get("additionalProperties") {
                for (k, v) in o {
                    out.extend(mismatches(doc, extra, v, &format!("{at}.{k}")));
                }
            }
        }
        _ => {}
    }
    out
}

async fn check(doc: &Value, client: &reqwest::Client, app: &TestApp, path: &str, template: &str) {
    let r = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    let body: Value = r.json().await.unwrap();
    let schema =
        &doc["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "no 200 schema for GET {template}");
    let problems = mismatches(doc, schema, &body, "$");
    assert!(problems.is_empty(), "GET {path}: {problems:#?}");
}

async fn the_document_is_served_and_answers_match_its_schemas(app: TestApp) {
    let r = app.get("/api/v1/openapi.json").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc, document());
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));

    app.services.load_demo_organisations(12).await.unwrap();
    let (admin, _) = app.signed_in("admin").await;
    // Records of every kind the answers carry.
    let org: Value = admin
        .get(app.url("/api/v1/organisations?limit=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let org_id = org["items"][0]["id"].as_str().unwrap().to_owned();
    let person: Value = admin
        .post(app.url("/api/v1/persons"))
        .json(&serde_json::json!({"given_name": "Ayşe", "family_name": "Demir"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let person_id = person["id"].as_str().unwrap().to_owned();
    for (path, body) in [
        (
            "affiliations",
            serde_json::json!({"organisation_id": org_id, "role": "Vorsitz", "from": "2020-01-01"}),
        ),
        (
            "consents",
            serde_json::json!({"purpose": "contact", "given_on": "2026-01-10", "source": "Formular", "expires_on": "2030-01-01"}),
        ),
    ] {
        let r = admin
            .post(app.url(&format!("/api/v1/persons/{person_id}/{path}")))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{path}");
    }
    let r = admin
        .post(app.url("/api/v1/tokens"))
        .json(&serde_json::json!({"name": "Skript"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    // The work log: an interaction with a person, staff, a topic and an
    // attachment; a need from it; a task linked to it.
    let me: Value = admin
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let interaction: Value = admin
        .post(app.url("/api/v1/interactions"))
        .json(&serde_json::json!({
            "subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "cancelled",
            "cancel_reason": "other", "cancel_note": "Raum belegt", "starts_at": "2026-01-10T10:00",
            "duration_minutes": "60", "organisations": [org_id], "persons": [person_id],
            "staff": [me["id"]], "topics": ["education"], "interfaces": "Hausaufgabenhilfe"
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let interaction_id = interaction["id"]
        .as_str()
        .expect("interaction created")
        .to_owned();
    let r = admin
        .post(app.url(&format!(
            "/api/v1/interactions/{interaction_id}/attachments?name=a.pdf"
        )))
        .body(b"%PDF-1.4".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let need: Value = admin
        .post(app.url("/api/v1/needs"))
        .json(&serde_json::json!({"organisation_id": org_id, "category": "rooms", "description": "Raum", "source": "interaction", "source_interaction_id": interaction_id, "status": "open"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let need_id = need["id"].as_str().expect("need created").to_owned();
    let task: Value = admin
        .post(app.url("/api/v1/tasks"))
        .json(&serde_json::json!({"title": "Nachfassen", "due_on": "2026-02-01", "assignee_id": me["id"], "link_type": "interaction", "link_id": interaction_id}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let task_id = task["id"].as_str().expect("task created").to_owned();
    // An offer with every kind of field filled.
    let offer: Value = admin
        .post(app.url("/api/v1/offers"))
        .json(&serde_json::json!({
            "organisation_id": org_id, "title": "Sprachcafé", "category": "language_course",
            "target_groups": ["newcomers"], "age_min": 16, "languages": ["de", "tr"],
            "cost_kind": "amount", "cost_text": "2 €", "schedule_rrule": "FREQ=WEEKLY;BYDAY=TU",
            "starts_time": "17:00", "ends_time": "19:00", "valid_from": "2026-01-01",
            "contact_person_id": person_id, "is_public": true,
            "translations": {"tr": {"title": "Dil kafesi", "description": ""}}
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let offer_id = offer["id"].as_str().expect("offer created").to_owned();

    for (path, template) in [
        ("/api/v1/interactions".to_owned(), "/api/v1/interactions"),
        (
            format!("/api/v1/interactions/{interaction_id}"),
            "/api/v1/interactions/{id}",
        ),
        ("/api/v1/needs".to_owned(), "/api/v1/needs"),
        (
            "/api/v1/needs/overview".to_owned(),
            "/api/v1/needs/overview",
        ),
        (format!("/api/v1/needs/{need_id}"), "/api/v1/needs/{id}"),
        ("/api/v1/tasks".to_owned(), "/api/v1/tasks"),
        (format!("/api/v1/tasks/{task_id}"), "/api/v1/tasks/{id}"),
        ("/api/v1/offers".to_owned(), "/api/v1/offers"),
        (format!("/api/v1/offers/{offer_id}"), "/api/v1/offers/{id}"),
        (
            "/api/v1/hsds/organizations".to_owned(),
            "/api/v1/hsds/organizations",
        ),
        ("/api/v1/hsds/services".to_owned(), "/api/v1/hsds/services"),
        (
            "/api/v1/taxonomies/topic".to_owned(),
            "/api/v1/taxonomies/{vocabulary}",
        ),
        ("/api/v1/settings".to_owned(), "/api/v1/settings"),
        ("/api/v1/me".to_owned(), "/api/v1/me"),
        (
            "/api/v1/organisations?limit=5".to_owned(),
            "/api/v1/organisations",
        ),
        (
            format!("/api/v1/organisations/{org_id}"),
            "/api/v1/organisations/{id}",
        ),
        ("/api/v1/persons".to_owned(), "/api/v1/persons"),
        (
            format!("/api/v1/persons/{person_id}"),
            "/api/v1/persons/{id}",
        ),
        ("/api/v1/users".to_owned(), "/api/v1/users"),
        ("/api/v1/tokens".to_owned(), "/api/v1/tokens"),
        ("/api/v1/audit-log?limit=20".to_owned(), "/api/v1/audit-log"),
        (
            "/api/v1/audit-log?after=0&limit=5".to_owned(),
            "/api/v1/audit-log",
        ),
    ] {
        check(&doc, &admin, &app, &path, template).await;
    }

    // The checker itself catches a field the document does not know.
    let schema = &doc["components"]["schemas"]["Created"];
    let wrong = serde_json::json!({"id": "x", "surprise": 1});
    assert_eq!(mismatches(&doc, schema, &wrong, "$").len(), 1);
}

async fn the_docs_page_shows_every_operation(app: TestApp) {
    let doc = document();
    for lang in ["de", "en"] {
        let page = app.get_page(&format!("/{lang}/api")).await;
        assert_eq!(page.status, 200);
        let headings = page.texts("main h3");
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, _) in item.as_object().unwrap() {
                assert!(
                    headings.contains(&format!("{} {path}", method.to_uppercase())),
                    "{lang}: {method} {path} missing from the docs page"
                );
            }
        }
        assert!(page.text("#schema-Organisation").contains("Organisation"));
        assert_eq!(
            page.attr("a[href='/api/v1/openapi.json']", "href"),
            "/api/v1/openapi.json"
        );
    }
    let page = app.get_page("/de/api").await;
    assert_eq!(page.text("h1"), "API-Dokumentation");
}
