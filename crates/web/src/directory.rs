//! The public directory's own pages: search with facets, results list and
//! map (`/{lang}/search`), an organisation's page
//! (`/{lang}/organisations/{id}`) and the event calendar (`/{lang}/events`).
//!
//! Every page works without JavaScript: the filters are a plain GET form,
//! the list is the primary view. The map is an enhancement drawn by
//! Leaflet from the results' public coordinates.

use crate::AppState;
use crate::error::WebError;
use crate::page::{PageContext, encode_query, render};
use crate::public::{language, office_name};
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use msohub_domain::Language;
use msohub_service::directory::{
    DirectoryHit, DirectoryQuery, DirectoryResults, MAX_QUERY_CHARS, PublicOrganisation,
};
use msohub_service::events::PublicEvent;
use std::collections::HashMap;

pub fn routes(r: Routes) -> Routes {
    r.get("/{lang}/search", search)
        .get("/{lang}/organisations/{id}", organisation)
        .get("/{lang}/events", calendar)
}

/// Taxonomy labels in the page's language: the office's own labels (German
/// and English always, the other four where entered on the admin page);
/// where none was entered, the translation shipped for a built-in term,
/// else the German label.
pub struct Labels {
    lang: Language,
    terms: HashMap<(String, String), msohub_service::organisations::Term>,
}

impl Labels {
    pub async fn load(state: &AppState, lang: Language) -> Result<Labels, WebError> {
        let mut terms = HashMap::new();
        for vocabulary in ["topic", "target_group", "offer_category", "need_category"] {
            for t in state.services.terms(vocabulary).await? {
                terms.insert((vocabulary.to_owned(), t.code.clone()), t);
            }
        }
        Ok(Labels { lang, terms })
    }

    pub fn term(&self, vocabulary: &str, code: &str) -> String {
        let Some(term) = self.terms.get(&(vocabulary.to_owned(), code.to_owned())) else {
            return code.to_owned();
        };
        term.stored_label(self.lang)
            .map(str::to_owned)
            .or_else(|| crate::pages::admin_taxonomies::shipped_label(vocabulary, code, self.lang))
            .unwrap_or_else(|| term.label_de.clone())
    }

    pub fn language(&self, code: &str) -> String {
        msohub_domain::offers::endonym(code).to_owned()
    }
}

/// One selectable value of a facet.
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub checked: bool,
    /// A language name written right to left.
    pub rtl: bool,
}

/// A facet as the form shows it.
pub struct FacetGroup {
    /// The query parameter.
    pub name: &'static str,
    pub legend: String,
    pub values: Vec<FacetValue>,
}

/// Values a facet lists at most (the selected ones always).
const FACET_VALUES_SHOWN: usize = 15;

/// A marker on the map.
#[derive(serde::Serialize)]
struct Marker<'a> {
    lat: f64,
    lon: f64,
    title: &'a str,
    url: String,
}

fn markers_json(lang: Language, items: &[&DirectoryHit]) -> String {
    let markers: Vec<Marker> = items
        .iter()
        .filter_map(|h| {
            let (lat, lon) = h.position?;
            Some(Marker {
                lat,
                lon,
                title: &h.title,
                url: hit_url(lang, h),
            })
        })
        .collect();
    // "</script>" cannot end the element early.
    serde_json::to_string(&markers)
        .unwrap_or_else(|_| "[]".into())
        .replace('<', "\\u003c")
}

fn hit_url(lang: Language, h: &DirectoryHit) -> String {
    match h.entity {
        "offer" => format!("/{}/offers/{}", lang.code(), h.id),
        _ => format!("/{}/organisations/{}", lang.code(), h.id),
    }
}

/// The map's settings as `data-` attributes need them, and the CSP that
/// lets the browser load the tiles.
struct MapConfig {
    tiles: String,
    attribution: String,
    csp: Option<String>,
}

async fn map_config(state: &AppState) -> Result<MapConfig, WebError> {
    let settings = state.services.map_settings().await?;
    let csp = settings.tile_origin().map(|origin| {
        format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {origin}; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
frame-ancestors 'none'"
        )
    });
    Ok(MapConfig {
        tiles: settings.tile_url,
        attribution: settings.attribution,
        csp,
    })
}

fn with_csp(mut response: Response, csp: Option<String>) -> Response {
    if let Some(v) = csp.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

// ---------------------------------------------------------------- search

#[derive(Template)]
#[template(path = "public/search.html")]
struct SearchTemplate {
    page: PageContext,
    results: DirectoryResults,
    query_text: String,
    facets: Vec<FacetGroup>,
    free_only: bool,
    online_only: bool,
    filtered: bool,
    labels: Labels,
    markers: String,
    has_markers: bool,
    map_tiles: String,
    map_attribution: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// For an empty result: the offer categories to browse, (code, label).
    categories: Vec<(String, String)>,
}

/// Text as HTML element content or attribute value.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl SearchTemplate {
    /// "Did you mean …?" with the suggestion as a link to its search, as
    /// HTML (the sentence is ours, the suggestion escaped).
    fn did_you_mean(&self) -> Option<String> {
        let suggestion = self.results.suggestion.as_deref()?;
        let link = format!(
            "<a class=\"kern-link\" id=\"did-you-mean\" href=\"/{}/search?q={}\">{}</a>",
            self.page.lang.code(),
            escape_html(&crate::page::encode_query(suggestion)),
            escape_html(suggestion)
        );
        Some(self.page.tr.t1("search-did-you-mean", "suggestion", link))
    }

    fn href(&self, h: &DirectoryHit) -> String {
        hit_url(self.page.lang, h)
    }

    fn kind_label(&self, h: &DirectoryHit) -> String {
        match h.entity {
            "offer" => self.labels.term("offer_category", &h.kind),
            _ => self.page.t(&format!("kind-{}", h.kind)),
        }
    }
}

/// Parses the query string by hand: repeated keys (`language=tr&language=ar`)
/// are how a GET form sends several checked boxes.
fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .take(200)
            .collect()
    })
    .unwrap_or_default()
}

fn directory_query(pairs: &[(String, String)]) -> DirectoryQuery {
    let all = |key: &str| -> Vec<String> {
        let mut v: Vec<String> = pairs
            .iter()
            .filter(|(k, v)| k == key && !v.is_empty() && v.len() <= 100)
            .map(|(_, v)| v.clone())
            .collect();
        v.sort();
        v.dedup();
        v.truncate(20);
        v
    };
    let one = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    DirectoryQuery {
        // Bounded before anything else sees it; the service cuts to 200.
        text: one("q")
            .unwrap_or("")
            .chars()
            .take(MAX_QUERY_CHARS + 1)
            .collect(),
        entities: all("type"),
        categories: all("category"),
        languages: all("language"),
        districts: all("district"),
        target_groups: all("target_group"),
        free_only: one("free").is_some_and(|v| v == "1"),
        online_only: one("online").is_some_and(|v| v == "1"),
        page: one("page").and_then(|p| p.parse().ok()).unwrap_or(1),
    }
}

/// The same search on another page.
fn page_href(lang: Language, pairs: &[(String, String)], page: usize) -> String {
    let mut parts: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k != "page")
        .map(|(k, v)| format!("{}={}", encode_query(k), encode_query(v)))
        .collect();
    parts.push(format!("page={page}"));
    format!("/{}/search?{}", lang.code(), parts.join("&"))
}

fn facet_group(
    name: &'static str,
    legend: String,
    counts: &[(String, u64)],
    selected: &[String],
    label: impl Fn(&str) -> String,
    rtl: impl Fn(&str) -> bool,
) -> FacetGroup {
    let mut values: Vec<FacetValue> = counts
        .iter()
        .take(FACET_VALUES_SHOWN)
        .map(|(v, n)| FacetValue {
            label: label(v),
            checked: selected.contains(v),
            rtl: rtl(v),
            value: v.clone(),
            count: *n,
        })
        .collect();
    for s in selected {
        if !values.iter().any(|v| &v.value == s) {
            let count = counts.iter().find(|(v, _)| v == s).map_or(0, |(_, n)| *n);
            values.push(FacetValue {
                label: label(s),
                checked: true,
                rtl: rtl(s),
                value: s.clone(),
                count,
            });
        }
    }
    FacetGroup {
        name,
        legend,
        values,
    }
}

async fn search(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let pairs = parse_query(raw.as_deref());
    let q = directory_query(&pairs);
    let results = state.services.search_directory(&q, lang.code()).await?;
    let labels = Labels::load(&state, lang).await?;
    let mut page = PageContext::public(lang, "/search", "search-title", office_name(&state).await);
    if !results.text.is_empty() {
        page.title = format!("{} – {}", results.text, page.title);
    }
    let facet = |key: &str| results.facets.get(key).cloned().unwrap_or_default();
    let tr = page.tr;
    let facets = vec![
        facet_group(
            "type",
            tr.t("facet-entity"),
            &facet("entity"),
            &q.entities,
            |v| tr.t(&format!("entity-{v}")),
            |_| false,
        ),
        facet_group(
            "category",
            tr.t("facet-category"),
            &facet("category"),
            &q.categories,
            |v| labels.term("offer_category", v),
            |_| false,
        ),
        facet_group(
            "language",
            tr.t("facet-offer-language"),
            &facet("language"),
            &q.languages,
            |v| labels.language(v),
            msohub_domain::offers::is_rtl,
        ),
        facet_group(
            "district",
            tr.t("facet-area"),
            &facet("district"),
            &q.districts,
            str::to_owned,
            |_| false,
        ),
        facet_group(
            "target_group",
            tr.t("facet-target-group"),
            &facet("target_group"),
            &q.target_groups,
            |v| labels.term("target_group", v),
            |_| false,
        ),
    ];
    // Nothing found: the categories to browse instead (with a calendar
    // link and, where one finds something, a corrected spelling).
    let mut categories = Vec::new();
    if results.hits.is_empty() {
        for term in state.services.terms("offer_category").await? {
            if !term.retired {
                categories.push((term.code.clone(), labels.term("offer_category", &term.code)));
            }
        }
    }
    let located: Vec<&DirectoryHit> = results.hits.iter().collect();
    let markers = markers_json(lang, &located);
    let map = map_config(&state).await?;
    let filtered = !(q.entities.is_empty()
        && q.categories.is_empty()
        && q.languages.is_empty()
        && q.districts.is_empty()
        && q.target_groups.is_empty()
        && !q.free_only
        && !q.online_only);
    let template = SearchTemplate {
        prev_href: (results.page > 1).then(|| page_href(lang, &pairs, results.page - 1)),
        next_href: (results.page < results.pages)
            .then(|| page_href(lang, &pairs, results.page + 1)),
        has_markers: results.hits.iter().any(|h| h.position.is_some()),
        query_text: results.text.clone(),
        free_only: q.free_only,
        online_only: q.online_only,
        filtered,
        facets,
        categories,
        labels,
        markers,
        map_tiles: map.tiles,
        map_attribution: map.attribution,
        page,
        results,
    };
    Ok(with_csp(render(StatusCode::OK, &template), map.csp))
}

// ---------------------------------------------------------- organisation

#[derive(Template)]
#[template(path = "public/organisation.html")]
struct OrganisationTemplate {
    page: PageContext,
    org: PublicOrganisation,
    description_html: String,
    json_ld: String,
    labels: Labels,
    markers: String,
    map_tiles: String,
    map_attribution: String,
}

impl OrganisationTemplate {
    fn offer_href(&self, h: &DirectoryHit) -> String {
        hit_url(self.page.lang, h)
    }

    /// A phone number as a `tel:` link wants it.
    fn tel(&self, number: &str) -> String {
        number
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

/// schema.org `Organization`, with only the public parts; safe inside a
/// `<script>` element.
fn organisation_json_ld(o: &PublicOrganisation, base: &str, lang: Language) -> String {
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": format!("{base}/{}/organisations/{}", lang.code(), o.id),
        "name": o.name,
        "url": format!("{base}/{}/organisations/{}", lang.code(), o.id),
    });
    if !o.alternate_names.is_empty() {
        v["alternateName"] = serde_json::json!(o.alternate_names);
    }
    if !o.description.is_empty() {
        v["description"] = serde_json::json!(o.description);
    }
    if o.city.is_some() {
        v["address"] = serde_json::json!({
            "@type": "PostalAddress",
            "streetAddress": o.street,
            "postalCode": o.postcode,
            "addressLocality": o.city,
            "addressCountry": "DE",
        });
    }
    if let Some((lat, lon)) = o.position {
        v["geo"] =
            serde_json::json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
    }
    if let Some(e) = &o.email {
        v["email"] = serde_json::json!(e);
    }
    if let Some(p) = &o.phone {
        v["telephone"] = serde_json::json!(p);
    }
    if let Some(w) = &o.website {
        v["sameAs"] = serde_json::json!(w);
    }
    if let Some(y) = o.founding_year {
        v["foundingDate"] = serde_json::json!(y.to_string());
    }
    if !o.languages.is_empty() {
        v["knowsLanguage"] = serde_json::json!(o.languages);
    }
    if !o.offers.is_empty() {
        v["makesOffer"] = o
            .offers
            .iter()
            .map(|h| {
                serde_json::json!({
                    "@type": "Offer",
                    "itemOffered": {
                        "@type": "Service",
                        "name": h.title,
                        "url": format!("{base}/{}/offers/{}", lang.code(), h.id),
                    },
                })
            })
            .collect();
    }
    v.to_string().replace('<', "\\u003c")
}

async fn organisation(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let id = id.parse::<uuid::Uuid>().map_err(|_| WebError::NotFound)?;
    let org = state
        .services
        .public_organisation(id, lang.code())
        .await?
        .ok_or(WebError::NotFound)?;
    let mut page = PageContext::public(
        lang,
        &format!("/organisations/{id}"),
        "org-public-title",
        office_name(&state).await,
    );
    page.title = org.name.clone();
    let map = map_config(&state).await?;
    let located = DirectoryHit {
        entity: "organisation",
        id: org.id,
        title: org.name.clone(),
        summary: String::new(),
        untranslated: false,
        organisation: None,
        kind: org.kind.clone(),
        district: None,
        address: None,
        languages: Vec::new(),
        free: false,
        online: false,
        position: org.position,
    };
    let template = OrganisationTemplate {
        description_html: msohub_docs::markdown_to_html(&org.description),
        json_ld: organisation_json_ld(&org, &state.config.public_url, lang),
        labels: Labels::load(&state, lang).await?,
        markers: markers_json(lang, &[&located]),
        map_tiles: map.tiles,
        map_attribution: map.attribution,
        page,
        org,
    };
    Ok(with_csp(render(StatusCode::OK, &template), map.csp))
}

// --------------------------------------------------------------- calendar

/// One day cell of the month grid.
pub struct Day {
    pub date: NaiveDate,
    pub in_month: bool,
    pub today: bool,
    pub events: Vec<PublicEvent>,
}

#[derive(Template)]
#[template(path = "public/calendar.html")]
struct CalendarTemplate {
    page: PageContext,
    month_label: String,
    weeks: Vec<Vec<Day>>,
    events: Vec<PublicEvent>,
    prev_href: String,
    next_href: String,
}

/// `YYYY-MM` within 2000–2100; anything else is `None`.
fn parse_month(raw: &str) -> Option<NaiveDate> {
    let (y, m) = raw.split_once('-')?;
    let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    if !(2000..=2100).contains(&y) || y.to_string().len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn month_param(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

async fn calendar(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let pairs = parse_query(raw.as_deref());
    let today = msohub_service::time::today();
    let this_month = today.with_day(1).unwrap_or(today);
    // A malformed month shows the current one rather than an error: the
    // parameter only ever comes from our own links or a hand-edited URL.
    let first = pairs
        .iter()
        .find(|(k, _)| k == "month")
        .and_then(|(_, v)| parse_month(v))
        .unwrap_or(this_month);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let prev = first
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(first);
    let last = next.pred_opt().unwrap_or(first);
    let events = state
        .services
        .public_events_between(lang.code(), first, last)
        .await?;
    let mut page = PageContext::public(
        lang,
        "/events",
        "events-calendar-title",
        office_name(&state).await,
    );
    let month_label = format!(
        "{} {}",
        page.t(&format!("month-{}", first.month())),
        first.year()
    );
    page.title = format!("{} – {}", page.t("events-calendar-title"), month_label);

    // Weeks from Monday; days outside the month are shown, greyed, empty.
    let start = first - chrono::Days::new(u64::from(first.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    let mut day = start;
    while day <= last {
        let mut week = Vec::with_capacity(7);
        for _ in 0..7 {
            let on_day: Vec<PublicEvent> = events
                .iter()
                .filter(|e| {
                    e.starts_at
                        .with_timezone(&chrono_tz::Europe::Berlin)
                        .date_naive()
                        == day
                })
                .cloned()
                .collect();
            week.push(Day {
                date: day,
                in_month: day.month() == first.month(),
                today: day == today,
                events: on_day,
            });
            day = day.succ_opt().unwrap_or(day);
        }
        weeks.push(week);
    }
    let href = |d: NaiveDate| format!("/{}/events?month={}", lang.code(), month_param(d));
    Ok(render(
        StatusCode::OK,
        &CalendarTemplate {
            prev_href: href(prev),
            next_href: href(next),
            month_label,
            weeks,
            events,
            page,
        },
    ))
}

/// For templates: the local time of day of an event.
pub fn time_of_day(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Berlin)
        .format("%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_within_range_only() {
        assert_eq!(parse_month("2026-12"), NaiveDate::from_ymd_opt(2026, 12, 1));
        for bad in [
            "", "2026", "2026-13", "1999-01", "99999-01", "2026-0x", "x-y",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn repeated_parameters_become_lists_and_odd_text_is_bounded() {
        let long = "\"a\" OR b* ".repeat(600);
        let raw = format!(
            "q={}&language=tr&language=ar&language=tr&free=1&page=x",
            encode_query(&long)
        );
        let q = directory_query(&parse_query(Some(&raw)));
        assert_eq!(q.languages, vec!["ar", "tr"]);
        assert!(q.free_only && !q.online_only);
        assert_eq!(q.page, 1);
        assert_eq!(q.text.chars().count(), MAX_QUERY_CHARS + 1);
    }
}
