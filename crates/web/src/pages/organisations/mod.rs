//! The registry in the staff area (`/app/organisations`): list with search,
//! facets, sorting, pagination and CSV export; detail page with history;
//! create and edit forms (a stale save shows what changed and overwrites
//! nothing); soft delete and restore; "checked today".
//!
//! Each page has a file of its name: `list` (the list and its query),
//! `export` (CSV and XLSX of the list), `show` (the detail page and its
//! one-button changes), `forms` (create and edit) and `merge` (merging a
//! duplicate). This file holds the routes and the query-string helpers
//! other pages use too.

mod export;
mod forms;
mod list;
mod merge;
mod show;

pub use list::query_from;

use super::staff_page;
use export::{export_csv, export_xlsx};
use forms::{create, edit_form, new_form, update};
use list::list;
use merge::{merge, merge_confirm};
use show::{checked, delete, geocode, restore, show};

use crate::i18n::Tr;
use crate::routes::Routes;
use msohub_service::organisations::Term;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/organisations", list)
        .post("/app/organisations", create)
        .get("/app/organisations.csv", export_csv)
        .get("/app/organisations.xlsx", export_xlsx)
        .get("/app/organisations/new", new_form)
        .get("/app/organisations/{id}", show)
        .post("/app/organisations/{id}", update)
        .get("/app/organisations/{id}/edit", edit_form)
        .post("/app/organisations/{id}/delete", delete)
        .post("/app/organisations/{id}/restore", restore)
        .post("/app/organisations/{id}/checked", checked)
        .post("/app/organisations/{id}/geocode", geocode)
        .post("/app/organisations/{id}/trusted", show::set_trusted)
        .post("/app/organisations/{id}/own-office", show::set_own_office)
        .get("/app/organisations/{id}/merge", merge_confirm)
        .post("/app/organisations/{id}/merge", merge)
}

/// Query string pairs (repeated keys for multi-valued filters).
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| {
        q.split('&')
            .filter_map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                Some((decode(k)?, decode(v)?))
            })
            .collect()
    })
    .unwrap_or_default()
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// One parameter of a query string.
pub fn query_param(raw: Option<&str>, name: &str) -> Option<String> {
    pairs(raw)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

pub(super) fn term_label(tr: &Tr, terms: &[Term], code: &str) -> String {
    terms.iter().find(|t| t.code == code).map_or_else(
        || code.to_owned(),
        |t| {
            if tr.lang == msohub_domain::Language::En {
                t.label_en.clone()
            } else {
                t.label_de.clone()
            }
        },
    )
}
