//! What every HTML page shares: language, translator, navigation, the
//! office's name, and the links that switch language on the same page.
//!
//! Templates receive a [`PageContext`] as `page` and render the layout from it;
//! [`render`] turns any askama template into a response (or a 500 that is
//! logged, never a half-written page).

use crate::assets::asset_url;
use crate::i18n::Tr;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use msohub_domain::{Language, Permission};
use msohub_service::Actor;

/// One entry of a navigation bar.
pub struct NavItem {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// A link to the same page in another language.
pub struct LangLink {
    pub href: String,
    pub code: &'static str,
    pub name: &'static str,
    pub current: bool,
}

/// The signed-in user, as the page header shows them.
pub struct UserBox {
    pub name: String,
    pub role_label: String,
}

/// Context shared by all page templates.
pub struct PageContext {
    pub lang: Language,
    pub tr: Tr,
    /// Page title (without the site name).
    pub title: String,
    pub office_name: String,
    pub nav: Vec<NavItem>,
    pub languages: Vec<LangLink>,
    pub user: Option<UserBox>,
    /// Where the brand link leads (public home or staff start page).
    pub home: String,
    /// This page's path (for "back here" links).
    pub path: String,
    /// The staff area's search box in the header.
    pub search: bool,
}

impl PageContext {
    /// A public page at `/{lang}{rest}`; `rest` starts with `/`.
    pub fn public(lang: Language, rest: &str, title_key: &str, office_name: String) -> Self {
        let tr = Tr::new(lang);
        let nav = [
            ("/", "nav-home"),
            ("/search", "nav-search"),
            ("/events", "nav-calendar"),
            ("/about", "nav-about"),
            ("/accessibility", "nav-accessibility"),
        ]
        .into_iter()
        .map(|(path, key)| NavItem {
            href: format!("/{}{}", lang.code(), path),
            label: tr.t(key),
            current: path == rest,
        })
        // Through the language switch, so the staff area (outside /{lang}/)
        // opens in the language the visitor was reading.
        .chain(std::iter::once(NavItem {
            href: format!("/lang/{}?next=/app/", lang.code()),
            label: tr.t("nav-staff"),
            current: false,
        }))
        .collect();
        PageContext {
            lang,
            tr,
            title: tr.t(title_key),
            office_name,
            nav,
            languages: language_links(Language::ALL, lang, |code| format!("/{code}{rest}")),
            user: None,
            search: false,
            home: format!("/{}/", lang.code()),
            path: format!("/{}{}", lang.code(), rest),
        }
    }

    /// A page of the staff area: navigation by the user's permissions.
    /// (A period's own page lists its targets: "Ziele"; the projects the
    /// targets belong to are "Projekte"; its report pages and the list of
    /// periods are "Sachberichte".)
    pub fn staff(
        lang: Language,
        path: &str,
        title: String,
        office_name: String,
        actor: &Actor,
    ) -> Self {
        let mut page = PageContext::plain(lang, path, title, office_name);
        let tr = page.tr;
        let mut items: Vec<(&str, &str)> = Vec::new();
        if actor.can(Permission::ReadStaffArea) {
            items.push(("/app/", "nav-dashboard"));
            items.push(("/app/organisations", "nav-organisations"));
            items.push(("/app/persons", "nav-persons"));
            items.push(("/app/interactions", "nav-interactions"));
            items.push(("/app/needs", "nav-needs"));
            items.push(("/app/ideas", "nav-ideas"));
            items.push(("/app/surveys", "nav-surveys"));
            items.push(("/app/mailings", "nav-mailings"));
            items.push(("/app/review", "nav-review"));
            items.push(("/app/tasks", "nav-tasks"));
            items.push(("/app/bodies", "nav-bodies"));
            items.push(("/app/offers", "offer-nav"));
            items.push(("/app/events", "nav-events"));
            items.push(("/app/targets", "nav-targets"));
            items.push(("/app/projects", "nav-projects"));
            items.push(("/app/periods", "nav-reports"));
            items.push(("/app/export", "nav-export"));
        }
        if actor.can(Permission::WriteStaffArea) {
            items.push(("/app/import", "nav-import"));
            items.push(("/app/privacy", "nav-privacy"));
        }
        if actor.can(Permission::ManageUsers) {
            items.push(("/app/admin/users", "nav-users"));
            items.push(("/app/admin/taxonomies", "nav-taxonomies"));
            items.push(("/app/admin/settings", "nav-settings"));
        }
        if actor.can(Permission::ReadAuditLog) {
            items.push(("/app/audit", "nav-audit"));
        }
        items.push(("/app/account", "nav-account"));
        page.nav = items
            .into_iter()
            .map(|(href, key)| NavItem {
                href: href.to_owned(),
                label: tr.t(key),
                current: nav_current(href, path),
            })
            .collect();
        page.user = Some(UserBox {
            name: actor.display_name.clone(),
            role_label: tr.t(&format!("role-{}", actor.role)),
        });
        page.search = actor.can(Permission::ReadStaffArea);
        page.home = if actor.can(Permission::ReadStaffArea) {
            "/app/"
        } else {
            "/app/account"
        }
        .to_owned();
        page
    }

    /// A page outside the `/{lang}/` tree (staff area, error pages): the
    /// language switch goes through `/lang/{code}?next=…`.
    pub fn plain(lang: Language, path: &str, title: String, office_name: String) -> Self {
        let tr = Tr::new(lang);
        PageContext {
            lang,
            tr,
            title,
            office_name,
            nav: Vec::new(),
            languages: language_links(Language::STAFF, lang, |code| {
                format!("/lang/{code}?next={}", encode_query(path))
            }),
            user: None,
            search: false,
            home: format!("/{}/", lang.code()),
            path: path.to_owned(),
        }
    }

    pub fn asset(&self, path: &str) -> String {
        asset_url(path)
    }

    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.tr.t1(key, name, value)
    }

    /// The label of a role in the page's language.
    pub fn role(&self, role: &msohub_domain::Role) -> String {
        self.tr.t(&format!("role-{role}"))
    }

    /// A date (local to Berlin) as the office reads it.
    pub fn date(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        let local = at.with_timezone(&chrono_tz::Europe::Berlin);
        match self.lang {
            Language::En => local.format("%Y-%m-%d").to_string(),
            Language::Ar => local.format("%d/%m/%Y").to_string(),
            _ => local.format("%d.%m.%Y").to_string(),
        }
    }

    /// A date and time (Berlin) as the office reads it: "08.12.2026, 14:05".
    pub fn date_time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        let local = at.with_timezone(&chrono_tz::Europe::Berlin);
        format!("{}, {}", self.date(at), local.format("%H:%M"))
    }

    /// A calendar day as the office reads it.
    /// Languages by their names ("Arabisch, Deutsch"), never codes.
    pub fn language_names(&self, codes: &[String]) -> String {
        crate::i18n::language_names(self.tr, codes)
    }

    pub fn day(&self, d: &chrono::NaiveDate) -> String {
        match self.lang {
            Language::En => d.format("%Y-%m-%d").to_string(),
            Language::Ar => d.format("%d/%m/%Y").to_string(),
            _ => d.format("%d.%m.%Y").to_string(),
        }
    }

    /// A point in time as the office reads it: local time in Berlin.
    pub fn datetime(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        let local = at.with_timezone(&chrono_tz::Europe::Berlin);
        match self.lang {
            Language::En => local.format("%Y-%m-%d %H:%M").to_string(),
            Language::Ar => local.format("%d/%m/%Y %H:%M").to_string(),
            _ => local.format("%d.%m.%Y %H:%M").to_string(),
        }
    }

    /// A target's figure as the report words it, in the page's language
    /// ("1 von 3 Sitzungen (33 %)", "0 von 6 Besuchen").
    pub fn target_figure(&self, t: &msohub_service::targets::Target) -> String {
        let lang = msohub_service::report::Lang::parse(self.lang.code());
        msohub_service::report::figure_text(t, lang)
    }

    pub fn dir(&self) -> &'static str {
        self.lang.direction().as_str()
    }
}

fn language_links(
    offered: &[Language],
    current: Language,
    href: impl Fn(&str) -> String,
) -> Vec<LangLink> {
    offered
        .iter()
        .map(|l| LangLink {
            href: href(l.code()),
            code: l.code(),
            name: l.native_name(),
            current: *l == current,
        })
        .collect()
}

/// Percent-encodes a value for a query string (RFC 3986 unreserved kept).
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Renders a template with a status code; a rendering failure is logged and
/// becomes a plain 500.
pub fn render<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "rendering a template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
        }
    }
}

/// Whether the navigation entry `href` is the one the page at `path` belongs to.
fn nav_current(href: &str, path: &str) -> bool {
    let report = path == "/app/periods"
        || (path.starts_with("/app/periods/")
            && (path.contains("/report") || path.contains("/beyond")));
    match href {
        "/app/" => path == "/app/",
        "/app/periods" => report,
        "/app/targets" => path.starts_with(href) || (path.starts_with("/app/periods/") && !report),
        _ => path.starts_with(href),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_encoding_keeps_paths_readable_and_escapes_the_rest() {
        assert_eq!(encode_query("/app/"), "/app/");
        assert_eq!(encode_query("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
        assert_eq!(encode_query("ü"), "%C3%BC");
    }

    #[test]
    fn public_context_marks_the_current_page_and_links_languages() {
        let page = PageContext::public(Language::En, "/about", "nav-about", "KI".into());
        assert!(page.nav.iter().any(|n| n.current && n.href == "/en/about"));
        let de = page.languages.iter().find(|l| l.code == "de").unwrap();
        assert_eq!(de.href, "/de/about");
        assert!(page.languages.iter().any(|l| l.current && l.code == "en"));
    }

    #[test]
    fn the_navigation_marks_where_a_page_belongs() {
        let p = "/app/periods/0193/";
        for (path, reports, targets) in [
            (format!("{p}report"), true, false),
            (format!("{p}report/edit"), true, false),
            (format!("{p}beyond"), true, false),
            (format!("{p}beyond/1/edit"), true, false),
            (p.trim_end_matches('/').to_owned(), false, true),
        ] {
            assert_eq!(nav_current("/app/periods", &path), reports, "{path}");
            assert_eq!(nav_current("/app/targets", &path), targets, "{path}");
        }
    }
}
