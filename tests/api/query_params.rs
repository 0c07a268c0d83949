//! Query parameters of the JSON API are typed: a value of the wrong type,
//! a page size out of range or an unknown code answers 422 problem+json
//! naming the parameter, never a silent default; repeated filters still
//! filter; the document declares the types, ranges and codes.

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(
    wrong_values_answer_422_naming_the_parameter,
    repeated_and_typed_filters_still_filter,
    the_document_declares_types_ranges_and_codes,
);

/// GETs `path` and insists on 422 problem+json naming `field` (with
/// `rule`, when given).
async fn refused(app: &TestApp, path: &str, field: &str, rule: Option<&str>) {
    let r = app.get(path).await;
    assert_eq!(r.status(), 422, "GET {path}");
    assert_eq!(
        r.headers()["content-type"],
        "application/problem+json",
        "GET {path}"
    );
    let body: serde_json::Value = r.json().await.unwrap();
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "GET {path}: {body}");
    assert_eq!(errors[0]["field"], field, "GET {path}: {body}");
    if let Some(rule) = rule {
        assert_eq!(errors[0]["rule"], rule, "GET {path}: {body}");
    }
}

async fn wrong_values_answer_422_naming_the_parameter(app: TestApp) {
    app.sign_in("staff").await;
    let wrong_type = Some("parameter-invalid");
    let unknown = Some("filter-invalid");
    for (path, field, rule) in [
        ("/api/v1/organisations?limit=abc", "limit", wrong_type),
        ("/api/v1/organisations?limit=0", "limit", wrong_type),
        ("/api/v1/organisations?limit=501", "limit", wrong_type),
        ("/api/v1/organisations?limit=-1", "limit", wrong_type),
        ("/api/v1/organisations?deleted=maybe", "deleted", wrong_type),
        (
            "/api/v1/organisations?unchecked=maybe",
            "unchecked",
            wrong_type,
        ),
        ("/api/v1/organisations?kind=mso&kind=club", "kind", unknown),
        ("/api/v1/organisations?sort=size", "sort", unknown),
        (
            "/api/v1/organisations?cursor=xyz",
            "cursor",
            Some("cursor-invalid"),
        ),
        ("/api/v1/interactions?from=gestern", "from", wrong_type),
        ("/api/v1/interactions?to=2026-02-30", "to", wrong_type),
        (
            "/api/v1/interactions?kind=visit&kind=telepathy",
            "kind",
            unknown,
        ),
        ("/api/v1/interactions?status=foo", "status", unknown),
        ("/api/v1/interactions?order=sideways", "order", unknown),
        (
            "/api/v1/interactions?organisation=not-a-uuid",
            "organisation",
            wrong_type,
        ),
        (
            "/api/v1/needs?raised_from=gestern",
            "raised_from",
            wrong_type,
        ),
        ("/api/v1/needs?source=rumour", "source", unknown),
        ("/api/v1/needs?limit=1000", "limit", wrong_type),
        ("/api/v1/tasks?view=someday", "view", unknown),
        ("/api/v1/tasks?assignee=me", "assignee", wrong_type),
        ("/api/v1/meetings?status=foo", "status", unknown),
        ("/api/v1/meetings?body=1", "body", wrong_type),
        ("/api/v1/events?limit=201", "limit", wrong_type),
        ("/api/v1/events?public=vielleicht", "public", wrong_type),
        ("/api/v1/offers?public=vielleicht", "public", wrong_type),
        (
            "/api/v1/offers?organisation_kind=club",
            "organisation_kind",
            unknown,
        ),
        ("/api/v1/bodies?deleted=maybe", "deleted", wrong_type),
        ("/api/v1/persons?limit=0", "limit", wrong_type),
        (
            "/api/v1/hsds/organizations?per_page=0",
            "per_page",
            wrong_type,
        ),
        ("/api/v1/hsds/services?page=eins", "page", wrong_type),
    ] {
        refused(&app, path, field, rule).await;
    }
    // The edges of the range are taken.
    for path in [
        "/api/v1/organisations?limit=1",
        "/api/v1/organisations?limit=500",
        "/api/v1/events?limit=200",
        "/api/v1/hsds/organizations?per_page=500",
    ] {
        assert_eq!(app.get(path).await.status(), 200, "GET {path}");
    }
}

async fn repeated_and_typed_filters_still_filter(app: TestApp) {
    app.sign_in("staff").await;
    for (name, kind) in [
        ("Kulturverein Anatolien", "mso"),
        ("Caritas Lindenau", "welfare"),
        ("Jobcenter Lindenau", "public_body"),
    ] {
        app.created(
            "/api/v1/organisations",
            serde_json::json!({"name": name, "kind": kind}),
        )
        .await;
    }
    let names = |v: serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = app
        .get_json("/api/v1/organisations?kind=mso&kind=welfare")
        .await;
    assert_eq!(
        names(list),
        ["Caritas Lindenau", "Kulturverein Anatolien"],
        "two kinds"
    );
    let list = app.get_json("/api/v1/organisations?kind=public_body").await;
    assert_eq!(names(list), ["Jobcenter Lindenau"]);
    // An empty filter filters nothing; `deleted=false` is not deleted.
    let list = app
        .get_json("/api/v1/organisations?kind=&deleted=false&unchecked=0")
        .await;
    assert_eq!(list["total"], 3);
    let list = app.get_json("/api/v1/organisations?deleted=true").await;
    assert_eq!(list["total"], 0);
    // A page of one, and the cursor to the next.
    let first = app
        .get_json("/api/v1/organisations?limit=1&sort=name_desc")
        .await;
    assert_eq!(names(first.clone()), ["Kulturverein Anatolien"]);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get_json(&format!(
            "/api/v1/organisations?limit=1&sort=name_desc&cursor={cursor}"
        ))
        .await;
    assert_eq!(names(second), ["Jobcenter Lindenau"]);
    // Repeated and typed filters of the other lists are taken.
    for path in [
        "/api/v1/interactions?status=planned&status=held&kind=visit&kind=phone&from=2026-01-01&to=2026-12-31&order=asc",
        "/api/v1/needs?status=open&status=in_progress&source=portal&raised_from=2026-01-01&deleted=false",
        "/api/v1/meetings?status=planned&status=held&from=2026-01-01&order=desc&limit=10",
        "/api/v1/offers?status=active&status=paused&organisation_kind=mso&public=true&from=2026-01-01",
        "/api/v1/events?status=planned&public=false&from=2026-01-01&order=asc",
        "/api/v1/tasks?view=open&limit=5",
        "/api/v1/bodies?deleted=false",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
    }
}

async fn the_document_declares_types_ranges_and_codes(app: TestApp) {
    let doc = app.get_json("/api/v1/openapi.json").await;
    let param = |path: &str, name: &str| -> serde_json::Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{path} has parameters"))
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} has {name}"))
            .clone()
    };
    let limit = param("/api/v1/organisations", "limit");
    assert_eq!(limit["in"], "query");
    assert_eq!(limit["schema"]["minimum"], 1, "{limit}");
    assert_eq!(limit["schema"]["maximum"], 500, "{limit}");
    assert!(
        limit["schema"]["type"].to_string().contains("integer"),
        "{limit}"
    );
    let kind = param("/api/v1/organisations", "kind");
    assert!(
        kind["schema"]["type"].to_string().contains("array"),
        "{kind}"
    );
    // The codes, or a blank value (which filters nothing).
    let items = &kind["schema"]["items"];
    let kinds = items["enum"]
        .as_array()
        .or_else(|| items.pointer("/anyOf/0/enum").and_then(|e| e.as_array()))
        .expect("kind codes");
    assert!(kinds.contains(&serde_json::json!("welfare")), "{kind}");
    let deleted = param("/api/v1/organisations", "deleted");
    // A boolean, or its text as a form sends it (empty: no).
    assert_eq!(
        deleted["schema"]["anyOf"][0]["type"], "boolean",
        "{deleted}"
    );
    assert!(
        deleted["schema"]["anyOf"][1]["pattern"]
            .as_str()
            .is_some_and(|p| p.contains("true|false")),
        "{deleted}"
    );
    let from = param("/api/v1/interactions", "from");
    assert_eq!(from["schema"]["format"], "date", "{from}");
    let status = param("/api/v1/needs", "status");
    assert!(
        status["schema"]["items"]
            .pointer("/anyOf/0/enum")
            .or_else(|| status["schema"]["items"].get("enum"))
            .and_then(|e| e.as_array())
            .expect("status codes")
            .contains(&serde_json::json!("cannot_be_met")),
        "{status}"
    );
    let organisation = param("/api/v1/needs", "organisation");
    assert_eq!(organisation["schema"]["format"], "uuid", "{organisation}");
    let view = param("/api/v1/tasks", "view");
    assert_eq!(
        view["schema"]["anyOf"][0]["enum"],
        serde_json::json!(["mine", "overdue", "open", "done"]),
        "{view}"
    );
    let per_page = param("/api/v1/hsds/organizations", "per_page");
    assert_eq!(per_page["schema"]["maximum"], 500, "{per_page}");
    let events = param("/api/v1/events", "limit");
    assert_eq!(events["schema"]["maximum"], 200, "{events}");
}
