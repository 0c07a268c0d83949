//! The access matrix: for every route of the application, which roles may
//! use it (anonymous included). The list of routes comes from the app's own
//! route table, so adding a route without deciding here who may use it
//! fails `every_route_is_in_the_matrix`.

use crate::helpers::{TestApp, new_client};
use crate::on_both_databases;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Staff area readers: admin, staff, auditor.
    StaffArea,
    /// Staff area writers: admin, staff.
    Write,
    /// Admins only.
    Admin,
    /// The audit log: admins and auditors.
    Audit,
    /// The portal: representatives of an organisation only.
    Representative,
    /// Staff area readers, and representatives for their own organisations'
    /// records (the list answers only those).
    ReadOwn,
    /// Record writes that a representative makes as a proposal for their
    /// own organisations (202 while it waits for review): staff writers
    /// and representatives.
    Propose,
}

const ROLES: [&str; 5] = ["anonymous", "admin", "staff", "representative", "auditor"];

fn allowed(access: Access, role: &str) -> bool {
    match access {
        Access::Public => true,
        Access::SignedIn => role != "anonymous",
        Access::StaffArea => matches!(role, "admin" | "staff" | "auditor"),
        Access::Write => matches!(role, "admin" | "staff"),
        Access::Admin => role == "admin",
        Access::Audit => matches!(role, "admin" | "auditor"),
        Access::Representative => role == "representative",
        Access::ReadOwn => role != "anonymous",
        Access::Propose => matches!(role, "admin" | "staff" | "representative"),
    }
}

/// (method, route template, who may use it)
const MATRIX: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", Access::Public),
    ("GET", "/metrics", Access::Admin),
    ("GET", "/static/{*path}", Access::Public),
    ("GET", "/", Access::Public),
    ("GET", "/lang/{code}", Access::Public),
    ("GET", "/{lang}", Access::Public),
    ("GET", "/{lang}/", Access::Public),
    ("GET", "/{lang}/about", Access::Public),
    ("GET", "/{lang}/accessibility", Access::Public),
    ("GET", "/{lang}/api", Access::Public),
    ("GET", "/api/v1/openapi.json", Access::Public),
    ("GET", "/login", Access::Public),
    ("POST", "/login", Access::Public),
    ("GET", "/login/totp", Access::Public),
    ("POST", "/login/totp", Access::Public),
    ("GET", "/app", Access::Public),
    ("GET", "/app/", Access::StaffArea),
    ("GET", "/app/account", Access::SignedIn),
    ("GET", "/app/account/password", Access::SignedIn),
    ("POST", "/app/account/password", Access::SignedIn),
    ("GET", "/app/account/totp", Access::SignedIn),
    ("POST", "/app/account/totp", Access::SignedIn),
    ("POST", "/app/account/totp/disable", Access::SignedIn),
    ("POST", "/app/account/tokens", Access::SignedIn),
    ("POST", "/app/account/tokens/{id}/revoke", Access::SignedIn),
    ("GET", "/app/admin/users", Access::Admin),
    ("POST", "/app/admin/users", Access::Admin),
    ("GET", "/app/admin/users/new", Access::Admin),
    ("GET", "/app/admin/users/{id}", Access::Admin),
    ("POST", "/app/admin/users/{id}", Access::Admin),
    ("POST", "/app/admin/users/{id}/disable", Access::Admin),
    ("POST", "/app/admin/users/{id}/enable", Access::Admin),
    (
        "POST",
        "/app/admin/users/{id}/reset-password",
        Access::Admin,
    ),
    ("POST", "/app/admin/users/{id}/reset-totp", Access::Admin),
    ("GET", "/app/audit", Access::Audit),
    ("GET", "/app/organisations", Access::StaffArea),
    ("POST", "/app/organisations", Access::Write),
    ("GET", "/app/organisations.csv", Access::StaffArea),
    ("GET", "/app/organisations.xlsx", Access::StaffArea),
    ("GET", "/app/organisations/new", Access::Write),
    ("GET", "/app/organisations/{id}", Access::StaffArea),
    ("POST", "/app/organisations/{id}", Access::Write),
    ("GET", "/app/organisations/{id}/edit", Access::Write),
    ("GET", "/app/organisations/{id}/merge", Access::Write),
    ("POST", "/app/organisations/{id}/merge", Access::Write),
    ("POST", "/api/v1/organisations/{id}/merge", Access::Write),
    ("POST", "/app/organisations/{id}/delete", Access::Write),
    ("POST", "/app/organisations/{id}/restore", Access::Write),
    ("POST", "/app/organisations/{id}/checked", Access::Write),
    ("GET", "/app/organisations/{id}/logo", Access::StaffArea),
    ("POST", "/app/organisations/{id}/geocode", Access::Write),
    ("POST", "/api/v1/organisations/{id}/geocode", Access::Write),
    ("GET", "/calendar/{secret}", Access::Public),
    ("POST", "/app/account/calendar", Access::StaffArea),
    ("POST", "/app/account/calendar/revoke", Access::SignedIn),
    ("GET", "/app/interactions", Access::StaffArea),
    ("GET", "/app/interactions/new", Access::Write),
    ("POST", "/app/interactions/{id}/held", Access::Write),
    ("GET", "/app/interactions/{id}", Access::StaffArea),
    ("GET", "/app/interactions/{id}/edit", Access::Write),
    ("POST", "/app/interactions", Access::Write),
    ("POST", "/app/interactions/{id}", Access::Write),
    ("POST", "/app/interactions/{id}/attachments", Access::Write),
    ("POST", "/app/interactions/{id}/delete", Access::Write),
    ("POST", "/app/interactions/{id}/restore", Access::Write),
    ("GET", "/app/attachments/{id}", Access::StaffArea),
    ("POST", "/app/attachments/{id}/delete", Access::Write),
    ("GET", "/app/needs", Access::StaffArea),
    ("GET", "/app/needs/new", Access::Write),
    ("GET", "/app/needs/{id}", Access::StaffArea),
    ("GET", "/app/needs/{id}/edit", Access::Write),
    ("POST", "/app/needs", Access::Write),
    ("POST", "/app/needs/{id}", Access::Write),
    ("POST", "/app/needs/{id}/delete", Access::Write),
    ("GET", "/app/tasks", Access::StaffArea),
    ("GET", "/app/tasks/new", Access::Write),
    ("GET", "/app/tasks/{id}", Access::StaffArea),
    ("POST", "/app/tasks", Access::Write),
    ("POST", "/app/tasks/{id}", Access::Write),
    ("POST", "/app/tasks/{id}/done", Access::Write),
    ("POST", "/app/tasks/{id}/reopen", Access::Write),
    ("POST", "/app/tasks/{id}/delete", Access::Write),
    ("GET", "/api/v1/interactions", Access::StaffArea),
    ("POST", "/api/v1/interactions", Access::Write),
    ("GET", "/api/v1/interactions/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/interactions/{id}", Access::Write),
    ("DELETE", "/api/v1/interactions/{id}", Access::Write),
    (
        "POST",
        "/api/v1/interactions/{id}/attachments",
        Access::Write,
    ),
    ("GET", "/api/v1/attachments/{id}", Access::StaffArea),
    ("DELETE", "/api/v1/attachments/{id}", Access::Write),
    ("GET", "/api/v1/needs", Access::StaffArea),
    ("POST", "/api/v1/needs", Access::Propose),
    ("GET", "/api/v1/needs/overview", Access::StaffArea),
    ("GET", "/api/v1/needs/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/needs/{id}", Access::Write),
    ("DELETE", "/api/v1/needs/{id}", Access::Write),
    ("GET", "/api/v1/tasks", Access::StaffArea),
    ("POST", "/api/v1/tasks", Access::Write),
    ("GET", "/api/v1/tasks/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/tasks/{id}", Access::Write),
    ("DELETE", "/api/v1/tasks/{id}", Access::Write),
    ("GET", "/app/bodies", Access::StaffArea),
    ("GET", "/app/targets", Access::StaffArea),
    ("GET", "/app/periods", Access::StaffArea),
    ("GET", "/app/search", Access::StaffArea),
    ("POST", "/app/periods", Access::Write),
    ("GET", "/app/periods/{id}", Access::StaffArea),
    ("POST", "/app/periods/{id}", Access::Write),
    ("POST", "/app/periods/{id}/delete", Access::Write),
    ("GET", "/app/targets/new", Access::Write),
    ("POST", "/app/targets", Access::Write),
    ("GET", "/app/targets/{id}", Access::StaffArea),
    ("POST", "/app/targets/{id}", Access::Write),
    ("POST", "/app/targets/{id}/delete", Access::Write),
    ("GET", "/api/v1/periods", Access::StaffArea),
    ("GET", "/api/v1/periods/{id}/report", Access::StaffArea),
    (
        "GET",
        "/api/v1/periods/{id}/report/texts",
        Access::StaffArea,
    ),
    ("PUT", "/api/v1/periods/{id}/report/texts", Access::Write),
    ("GET", "/app/periods/{id}/report", Access::StaffArea),
    ("GET", "/app/periods/{id}/report/edit", Access::Write),
    ("POST", "/app/periods/{id}/report/edit", Access::Write),
    (
        "POST",
        "/api/v1/periods/{id}/report/versions",
        Access::Write,
    ),
    (
        "GET",
        "/api/v1/periods/{id}/report/versions",
        Access::StaffArea,
    ),
    (
        "GET",
        "/api/v1/periods/{id}/report/versions/{number}",
        Access::StaffArea,
    ),
    ("GET", "/api/v1/periods/{id}/report/diff", Access::StaffArea),
    ("GET", "/api/v1/events", Access::StaffArea),
    ("POST", "/api/v1/events", Access::Propose),
    ("GET", "/api/v1/events/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/events/{id}", Access::Propose),
    ("DELETE", "/api/v1/events/{id}", Access::Write),
    ("GET", "/app/events", Access::StaffArea),
    ("GET", "/app/events/new", Access::Write),
    ("POST", "/app/events", Access::Write),
    ("GET", "/app/events/{id}", Access::StaffArea),
    ("GET", "/app/events/{id}/edit", Access::Write),
    ("POST", "/app/events/{id}", Access::Write),
    ("POST", "/app/events/{id}/delete", Access::Write),
    ("POST", "/app/periods/{id}/report/versions", Access::Write),
    (
        "GET",
        "/app/periods/{id}/report/versions/{number}",
        Access::StaffArea,
    ),
    ("GET", "/app/periods/{id}/report/diff", Access::StaffArea),
    ("GET", "/api/v1/periods/{id}/beyond", Access::StaffArea),
    ("POST", "/api/v1/periods/{id}/beyond", Access::Write),
    ("PATCH", "/api/v1/periods/{id}/beyond/{item}", Access::Write),
    (
        "DELETE",
        "/api/v1/periods/{id}/beyond/{item}",
        Access::Write,
    ),
    ("GET", "/app/periods/{id}/beyond", Access::StaffArea),
    ("POST", "/app/periods/{id}/beyond", Access::Write),
    ("GET", "/app/periods/{id}/beyond/{item}/edit", Access::Write),
    (
        "POST",
        "/app/periods/{id}/beyond/{item}/edit",
        Access::Write,
    ),
    (
        "POST",
        "/app/periods/{id}/beyond/{item}/move",
        Access::Write,
    ),
    (
        "POST",
        "/app/periods/{id}/beyond/{item}/hide",
        Access::Write,
    ),
    (
        "POST",
        "/app/periods/{id}/beyond/{item}/delete",
        Access::Write,
    ),
    ("POST", "/api/v1/periods", Access::Write),
    ("GET", "/api/v1/periods/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/periods/{id}", Access::Write),
    ("DELETE", "/api/v1/periods/{id}", Access::Write),
    ("POST", "/api/v1/targets", Access::Write),
    ("GET", "/api/v1/targets/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/targets/{id}", Access::Write),
    ("DELETE", "/api/v1/targets/{id}", Access::Write),
    ("GET", "/api/v1/projects", Access::StaffArea),
    ("POST", "/api/v1/projects", Access::Write),
    ("GET", "/api/v1/projects/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/projects/{id}", Access::Write),
    ("DELETE", "/api/v1/projects/{id}", Access::Write),
    ("GET", "/app/projects", Access::StaffArea),
    ("GET", "/app/projects/new", Access::Write),
    ("POST", "/app/projects", Access::Write),
    ("GET", "/app/projects/{id}/edit", Access::Write),
    ("POST", "/app/projects/{id}", Access::Write),
    ("POST", "/app/projects/{id}/delete", Access::Write),
    ("POST", "/app/account/form-of-address", Access::StaffArea),
    ("POST", "/app/organisations/{id}/own-office", Access::Admin),
    ("POST", "/app/bodies/oparl", Access::Write),
    ("GET", "/api/v1/oparl", Access::StaffArea),
    ("POST", "/api/v1/oparl/sync", Access::Write),
    ("POST", "/app/bodies/{id}/feed", Access::Write),
    ("GET", "/calendar/bodies/{id}", Access::Public),
    ("GET", "/feeds/events.ics", Access::Public),
    ("GET", "/{lang}/events/{id}", Access::Public),
    ("GET", "/{lang}/offers/{id}", Access::Public),
    ("GET", "/{lang}/search", Access::Public),
    ("GET", "/api/v1/export/{entity}", Access::StaffArea),
    ("GET", "/app/export", Access::StaffArea),
    ("GET", "/app/export/{entity}", Access::StaffArea),
    ("GET", "/app/offers/export", Access::StaffArea),
    ("GET", "/app/events/export", Access::StaffArea),
    ("GET", "/app/interactions/export", Access::StaffArea),
    ("GET", "/app/persons/export", Access::StaffArea),
    ("POST", "/api/v1/import/{entity}", Access::Write),
    ("GET", "/api/v1/import/{entity}/fields", Access::StaffArea),
    ("GET", "/api/v1/import/{entity}/profiles", Access::StaffArea),
    (
        "PUT",
        "/api/v1/import/{entity}/profiles/{name}",
        Access::Write,
    ),
    (
        "DELETE",
        "/api/v1/import/{entity}/profiles/{name}",
        Access::Write,
    ),
    ("GET", "/api/v1/persons/{id}/subject-access", Access::Write),
    ("POST", "/api/v1/persons/{id}/erase", Access::Admin),
    ("GET", "/api/v1/privacy/retention", Access::Write),
    ("POST", "/api/v1/privacy/reminders", Access::Write),
    ("GET", "/app/persons/{id}/privacy", Access::Write),
    (
        "GET",
        "/app/persons/{id}/privacy/export.json",
        Access::Write,
    ),
    ("GET", "/app/persons/{id}/privacy/export.pdf", Access::Write),
    ("POST", "/app/persons/{id}/erase", Access::Admin),
    ("GET", "/app/privacy", Access::Write),
    ("POST", "/app/privacy/reminders", Access::Write),
    ("GET", "/app/import", Access::Write),
    ("POST", "/app/import", Access::Write),
    ("GET", "/app/import/{id}", Access::Write),
    ("POST", "/app/import/{id}/commit", Access::Write),
    ("POST", "/app/import/{id}/profile", Access::Write),
    ("POST", "/app/import/{id}/discard", Access::Write),
    (
        "POST",
        "/app/import/profiles/{entity}/{name}/delete",
        Access::Write,
    ),
    ("GET", "/{lang}/organisations/{id}", Access::Public),
    ("GET", "/{lang}/events", Access::Public),
    ("GET", "/sitemap.xml", Access::Public),
    ("GET", "/api/v1/hsds/organizations", Access::Public),
    ("GET", "/api/v1/hsds/services", Access::Public),
    (
        "GET",
        "/feeds/organisations/{id}/events.ics",
        Access::Public,
    ),
    ("GET", "/feeds/categories/{code}/events.ics", Access::Public),
    ("GET", "/calendar/bodies/s/{secret}", Access::Public),
    ("POST", "/app/bodies", Access::Write),
    ("GET", "/app/bodies/new", Access::Write),
    ("GET", "/app/bodies/{id}", Access::StaffArea),
    ("POST", "/app/bodies/{id}", Access::Write),
    ("GET", "/app/bodies/{id}/edit", Access::Write),
    ("POST", "/app/bodies/{id}/members", Access::Write),
    ("POST", "/app/memberships/{id}/end", Access::Write),
    (
        "POST",
        "/app/bodies/{id}/members/{mid}/delete",
        Access::Write,
    ),
    ("GET", "/app/meetings", Access::StaffArea),
    ("POST", "/app/meetings", Access::Write),
    ("GET", "/app/meetings/new", Access::Write),
    ("GET", "/app/meetings/{id}", Access::StaffArea),
    ("POST", "/app/meetings/{id}", Access::Write),
    ("GET", "/app/meetings/{id}/edit", Access::Write),
    ("POST", "/app/meetings/{id}/delete", Access::Write),
    ("GET", "/app/meetings/{id}/attendance", Access::Write),
    ("POST", "/app/meetings/{id}/attendance", Access::Write),
    ("POST", "/app/meetings/{id}/invite", Access::Write),
    ("GET", "/api/v1/bodies", Access::StaffArea),
    ("POST", "/api/v1/bodies", Access::Write),
    ("GET", "/api/v1/bodies/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/bodies/{id}", Access::Write),
    ("DELETE", "/api/v1/bodies/{id}", Access::Write),
    ("POST", "/api/v1/bodies/{id}/members", Access::Write),
    ("GET", "/api/v1/bodies/{id}/attendance", Access::StaffArea),
    ("DELETE", "/api/v1/memberships/{id}", Access::Write),
    ("DELETE", "/api/v1/bodies/{id}/members/{mid}", Access::Write),
    ("GET", "/api/v1/meetings", Access::StaffArea),
    ("POST", "/api/v1/meetings", Access::Write),
    ("GET", "/api/v1/meetings/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/meetings/{id}", Access::Write),
    ("DELETE", "/api/v1/meetings/{id}", Access::Write),
    ("GET", "/api/v1/meetings/{id}/attendance", Access::StaffArea),
    ("PUT", "/api/v1/meetings/{id}/attendance", Access::Write),
    (
        "GET",
        "/api/v1/meetings/{id}/invitations",
        Access::StaffArea,
    ),
    ("POST", "/api/v1/meetings/{id}/invitations", Access::Write),
    ("GET", "/app/admin/settings", Access::Admin),
    ("GET", "/app/admin/taxonomies", Access::Admin),
    (
        "GET",
        "/app/admin/taxonomies/{vocabulary}/new",
        Access::Admin,
    ),
    ("POST", "/app/admin/taxonomies/{vocabulary}", Access::Admin),
    (
        "GET",
        "/app/admin/taxonomies/{vocabulary}/{code}",
        Access::Admin,
    ),
    (
        "POST",
        "/app/admin/taxonomies/{vocabulary}/{code}",
        Access::Admin,
    ),
    ("GET", "/api/v1/taxonomies/{vocabulary}", Access::StaffArea),
    ("POST", "/api/v1/taxonomies/{vocabulary}", Access::Admin),
    (
        "PATCH",
        "/api/v1/taxonomies/{vocabulary}/{code}",
        Access::Admin,
    ),
    ("POST", "/app/admin/settings", Access::Admin),
    ("GET", "/api/v1/settings", Access::Admin),
    ("PUT", "/api/v1/settings", Access::Admin),
    ("POST", "/app/organisations/{id}/logo", Access::Write),
    ("POST", "/app/organisations/{id}/logo/delete", Access::Write),
    ("GET", "/api/v1/organisations/{id}/logo", Access::StaffArea),
    ("PUT", "/api/v1/organisations/{id}/logo", Access::Write),
    ("DELETE", "/api/v1/organisations/{id}/logo", Access::Write),
    ("GET", "/app/persons", Access::StaffArea),
    ("POST", "/app/persons", Access::Write),
    ("GET", "/app/persons/new", Access::Write),
    ("GET", "/app/persons/{id}", Access::StaffArea),
    ("POST", "/app/persons/{id}", Access::Write),
    ("GET", "/app/persons/{id}/edit", Access::Write),
    ("POST", "/app/persons/{id}/delete", Access::Write),
    ("POST", "/app/persons/{id}/consents", Access::Write),
    ("POST", "/app/consents/{id}/withdraw", Access::Write),
    ("POST", "/app/organisations/{id}/people", Access::Write),
    ("POST", "/app/affiliations/{id}/remove", Access::Write),
    ("GET", "/api/v1/persons", Access::StaffArea),
    ("POST", "/api/v1/persons", Access::Write),
    ("GET", "/api/v1/persons/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/persons/{id}", Access::Propose),
    ("DELETE", "/api/v1/persons/{id}", Access::Write),
    ("POST", "/api/v1/persons/{id}/affiliations", Access::Write),
    ("POST", "/api/v1/persons/{id}/consents", Access::Write),
    ("GET", "/api/v1/organisations", Access::StaffArea),
    ("POST", "/api/v1/organisations", Access::Write),
    ("GET", "/api/v1/organisations/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/organisations/{id}", Access::Propose),
    ("DELETE", "/api/v1/organisations/{id}", Access::Write),
    ("GET", "/api/v1/me", Access::SignedIn),
    ("POST", "/api/v1/account/password", Access::SignedIn),
    ("GET", "/api/v1/users", Access::Admin),
    ("POST", "/api/v1/users", Access::Admin),
    ("GET", "/api/v1/users/{id}", Access::Admin),
    ("PATCH", "/api/v1/users/{id}", Access::Admin),
    ("GET", "/api/v1/tokens", Access::SignedIn),
    ("POST", "/api/v1/tokens", Access::SignedIn),
    ("DELETE", "/api/v1/tokens/{id}", Access::SignedIn),
    ("GET", "/api/v1/audit-log", Access::Audit),
    ("GET", "/app/offers", Access::StaffArea),
    ("POST", "/app/offers", Access::Write),
    ("GET", "/app/offers/new", Access::Write),
    ("GET", "/app/offers/{id}", Access::StaffArea),
    ("POST", "/app/offers/{id}", Access::Write),
    ("POST", "/app/offers/{id}/delete", Access::Write),
    ("GET", "/api/v1/offers", Access::StaffArea),
    ("POST", "/api/v1/offers", Access::Propose),
    ("GET", "/api/v1/offers/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/offers/{id}", Access::Propose),
    ("DELETE", "/api/v1/offers/{id}", Access::Write),
    // Last: signing out ends the session the other rows need.
    // The portal. Its doors are public; everything behind them is for
    // representatives (others get the portal's 403 page, the anonymous
    // its sign-in page).
    ("GET", "/portal", Access::Public),
    ("GET", "/portal/", Access::Public),
    ("GET", "/portal/{lang}/login", Access::Public),
    ("POST", "/portal/{lang}/login", Access::Public),
    ("POST", "/portal/{lang}/link", Access::Public),
    ("GET", "/portal/{lang}/link/{token}", Access::Public),
    ("GET", "/portal/{lang}/invitation/{token}", Access::Public),
    ("POST", "/portal/{lang}/invitation/{token}", Access::Public),
    // A survey's personal link: the token is the credential.
    ("GET", "/portal/{lang}/survey-link/{token}", Access::Public),
    ("POST", "/portal/{lang}/survey-link/{token}", Access::Public),
    ("GET", "/api/v1/survey-links/{token}", Access::Public),
    ("PUT", "/api/v1/survey-links/{token}", Access::Public),
    // A mailing's unsubscribe link: the token is the credential (RFC 8058:
    // the mail client's one-click POST carries nothing else).
    ("GET", "/portal/{lang}/unsubscribe/{token}", Access::Public),
    ("POST", "/portal/{lang}/unsubscribe/{token}", Access::Public),
    ("GET", "/api/v1/unsubscribe/{token}", Access::Public),
    ("POST", "/api/v1/unsubscribe/{token}", Access::Public),
    ("GET", "/portal/{lang}", Access::Representative),
    ("GET", "/portal/{lang}/", Access::Representative),
    ("GET", "/portal/{lang}/entry", Access::Representative),
    ("GET", "/portal/{lang}/entry/{id}", Access::Representative),
    ("POST", "/portal/{lang}/entry/{id}", Access::Representative),
    (
        "GET",
        "/portal/{lang}/entry/{id}/events/new",
        Access::Representative,
    ),
    (
        "POST",
        "/portal/{lang}/entry/{id}/events",
        Access::Representative,
    ),
    (
        "GET",
        "/portal/{lang}/entry/{id}/offers/new",
        Access::Representative,
    ),
    (
        "POST",
        "/portal/{lang}/entry/{id}/offers",
        Access::Representative,
    ),
    ("GET", "/portal/{lang}/events/{id}", Access::Representative),
    ("POST", "/portal/{lang}/events/{id}", Access::Representative),
    (
        "POST",
        "/portal/{lang}/events/{id}/cancel",
        Access::Representative,
    ),
    ("GET", "/portal/{lang}/offers/{id}", Access::Representative),
    ("POST", "/portal/{lang}/offers/{id}", Access::Representative),
    (
        "POST",
        "/portal/{lang}/offers/{id}/end",
        Access::Representative,
    ),
    (
        "POST",
        "/portal/{lang}/organisations/{id}/confirm",
        Access::Representative,
    ),
    ("GET", "/portal/{lang}/needs", Access::Representative),
    ("POST", "/portal/{lang}/needs", Access::Representative),
    ("GET", "/portal/{lang}/ideas", Access::Representative),
    ("POST", "/portal/{lang}/ideas", Access::Representative),
    ("GET", "/portal/{lang}/surveys", Access::Representative),
    (
        "GET",
        "/portal/{lang}/surveys/{id}/{organisation}",
        Access::Representative,
    ),
    (
        "POST",
        "/portal/{lang}/surveys/{id}/{organisation}",
        Access::Representative,
    ),
    ("GET", "/portal/{lang}/meetings", Access::Representative),
    (
        "GET",
        "/portal/{lang}/meetings/{id}",
        Access::Representative,
    ),
    (
        "POST",
        "/portal/{lang}/meetings/{id}",
        Access::Representative,
    ),
    (
        "GET",
        "/portal/{lang}/meetings/{id}/minutes.md",
        Access::Representative,
    ),
    ("GET", "/portal/{lang}/me", Access::Representative),
    ("POST", "/portal/{lang}/me", Access::Representative),
    ("GET", "/portal/{lang}/me/data.json", Access::Representative),
    ("POST", "/portal/{lang}/me/consents", Access::Representative),
    ("GET", "/api/v1/portal", Access::Representative),
    (
        "GET",
        "/api/v1/portal/organisations/{id}",
        Access::Representative,
    ),
    (
        "POST",
        "/api/v1/portal/organisations/{id}/confirm",
        Access::Representative,
    ),
    ("GET", "/api/v1/portal/meetings", Access::Representative),
    (
        "GET",
        "/api/v1/portal/meetings/{id}",
        Access::Representative,
    ),
    (
        "POST",
        "/api/v1/portal/meetings/{id}/answer",
        Access::Representative,
    ),
    ("GET", "/api/v1/portal/me", Access::Representative),
    (
        "PUT",
        "/api/v1/portal/me/consents/{purpose}",
        Access::Representative,
    ),
    ("GET", "/api/v1/portal/needs", Access::Representative),
    ("GET", "/api/v1/portal/ideas", Access::Representative),
    ("GET", "/api/v1/portal/surveys", Access::Representative),
    ("GET", "/api/v1/surveys", Access::StaffArea),
    ("POST", "/api/v1/surveys", Access::Write),
    ("GET", "/api/v1/surveys/{id}", Access::StaffArea),
    ("PUT", "/api/v1/surveys/{id}", Access::Write),
    ("DELETE", "/api/v1/surveys/{id}", Access::Write),
    ("POST", "/api/v1/surveys/{id}/send", Access::Write),
    ("GET", "/api/v1/surveys/{id}/results", Access::StaffArea),
    (
        "GET",
        "/api/v1/surveys/{id}/export/{format}",
        Access::StaffArea,
    ),
    (
        "GET",
        "/api/v1/surveys/{id}/answers/{organisation}",
        Access::ReadOwn,
    ),
    (
        "PUT",
        "/api/v1/surveys/{id}/answers/{organisation}",
        Access::Propose,
    ),
    (
        "POST",
        "/api/v1/surveys/{id}/answers/{organisation}/needs",
        Access::Write,
    ),
    ("GET", "/api/v1/surveys/{id}/links", Access::Write),
    (
        "GET",
        "/api/v1/surveys/{id}/links/{organisation}",
        Access::Write,
    ),
    (
        "POST",
        "/api/v1/surveys/{id}/links/{organisation}/renew",
        Access::Write,
    ),
    ("POST", "/api/v1/surveys/{id}/invite", Access::Write),
    ("POST", "/api/v1/surveys/{id}/remind", Access::Write),
    ("GET", "/api/v1/surveys/{id}/deliveries", Access::StaffArea),
    ("GET", "/api/v1/surveys/{id}/recipients", Access::StaffArea),
    ("GET", "/api/v1/mailings", Access::StaffArea),
    ("POST", "/api/v1/mailings", Access::Write),
    ("GET", "/api/v1/mailings/{id}", Access::StaffArea),
    ("PUT", "/api/v1/mailings/{id}", Access::Write),
    ("DELETE", "/api/v1/mailings/{id}", Access::Write),
    ("GET", "/api/v1/mailings/{id}/audience", Access::StaffArea),
    ("POST", "/api/v1/mailings/{id}/test", Access::Write),
    ("POST", "/api/v1/mailings/{id}/send", Access::Write),
    ("POST", "/api/v1/mailings/{id}/attachments", Access::Write),
    // The office's side of the portal: invitations, the review of
    // proposals, ideas, the members' answers, trusted organisations.
    ("GET", "/api/v1/invitations", Access::StaffArea),
    ("POST", "/api/v1/invitations", Access::Write),
    ("POST", "/api/v1/invitations/{id}/resend", Access::Write),
    ("POST", "/api/v1/invitations/{id}/revoke", Access::Write),
    ("GET", "/api/v1/proposals", Access::ReadOwn),
    ("GET", "/api/v1/proposals/{id}", Access::ReadOwn),
    ("POST", "/api/v1/proposals/{id}/accept", Access::Write),
    ("POST", "/api/v1/proposals/{id}/reject", Access::Write),
    ("GET", "/api/v1/ideas", Access::StaffArea),
    ("POST", "/api/v1/ideas", Access::Propose),
    ("GET", "/api/v1/ideas/{id}", Access::StaffArea),
    ("PATCH", "/api/v1/ideas/{id}", Access::Write),
    ("DELETE", "/api/v1/ideas/{id}", Access::Write),
    ("GET", "/api/v1/meetings/{id}/answers", Access::StaffArea),
    ("PUT", "/api/v1/organisations/{id}/trusted", Access::Write),
    ("POST", "/app/organisations/{id}/trusted", Access::Write),
    ("POST", "/app/persons/{id}/invitations", Access::Write),
    ("POST", "/app/invitations/{id}/resend", Access::Write),
    ("POST", "/app/invitations/{id}/revoke", Access::Write),
    ("GET", "/app/review", Access::StaffArea),
    ("GET", "/app/review/{id}", Access::StaffArea),
    ("POST", "/app/review/{id}/accept", Access::Write),
    ("POST", "/app/review/{id}/reject", Access::Write),
    ("GET", "/app/ideas", Access::StaffArea),
    ("GET", "/app/ideas/new", Access::Write),
    ("GET", "/app/ideas/{id}", Access::StaffArea),
    ("GET", "/app/ideas/{id}/edit", Access::Write),
    ("POST", "/app/ideas", Access::Write),
    ("POST", "/app/ideas/{id}", Access::Write),
    ("POST", "/app/ideas/{id}/delete", Access::Write),
    ("GET", "/app/mailings", Access::StaffArea),
    ("GET", "/app/mailings/new", Access::Write),
    ("GET", "/app/mailings/{id}", Access::StaffArea),
    ("GET", "/app/mailings/{id}/edit", Access::Write),
    ("POST", "/app/mailings", Access::Write),
    ("POST", "/app/mailings/{id}", Access::Write),
    ("POST", "/app/mailings/{id}/delete", Access::Write),
    ("POST", "/app/mailings/{id}/test", Access::Write),
    ("POST", "/app/mailings/{id}/send", Access::Write),
    ("POST", "/app/mailings/{id}/attachments", Access::Write),
    ("GET", "/app/surveys", Access::StaffArea),
    ("GET", "/app/surveys/new", Access::Write),
    ("GET", "/app/surveys/{id}", Access::StaffArea),
    ("GET", "/app/surveys/{id}/edit", Access::Write),
    ("POST", "/app/surveys", Access::Write),
    ("POST", "/app/surveys/{id}", Access::Write),
    ("POST", "/app/surveys/{id}/send", Access::Write),
    ("POST", "/app/surveys/{id}/delete", Access::Write),
    ("POST", "/app/surveys/{id}/invite", Access::Write),
    ("POST", "/app/surveys/{id}/remind", Access::Write),
    ("POST", "/app/surveys/{id}/needs", Access::Write),
    (
        "POST",
        "/app/surveys/{id}/links/{organisation}",
        Access::Write,
    ),
    (
        "POST",
        "/app/surveys/{id}/links/{organisation}/renew",
        Access::Write,
    ),
    ("POST", "/logout", Access::Public),
];

#[test]
fn every_route_is_in_the_matrix() {
    let routes: BTreeSet<(String, String)> = msohub_web::route_list()
        .into_iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    let matrix: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let missing: Vec<_> = routes.difference(&matrix).collect();
    let stale: Vec<_> = matrix.difference(&routes).collect();
    assert!(
        missing.is_empty(),
        "routes without an access decision in tests/api/access.rs: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix rows for routes that do not exist: {stale:?}"
    );
}

/// A concrete path for a route template.
fn concrete(template: &str, user_id: &str) -> String {
    let unknown = uuid::Uuid::now_v7().to_string();
    template
        .replace("{*path}", "msohub.css")
        .replace("{code}", "en")
        .replace("{lang}", "de")
        .replace("/users/{id}", &format!("/users/{user_id}"))
        .replace("{secret}", &"ab".repeat(24))
        .replace("{token}", &"ab".repeat(24))
        .replace("{purpose}", "directory")
        .replace("{vocabulary}", "topic")
        .replace("{number}", "1")
        .replace("{entity}", "organisations")
        .replace("{name}", "Profil")
        .replace("{code}", "culture")
        .replace("{item}", &unknown)
        .replace("{organisation}", &unknown)
        .replace("{format}", "xlsx")
        .replace("{id}", &unknown)
}

/// Whether a response says "you may not": 403, an API 401, or a page that
/// sends the visitor to sign in.
fn denied(response: &reqwest::Response) -> bool {
    let status = response.status().as_u16();
    let to_login = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.starts_with("/login?next=") || l.starts_with("/portal/de/login?next="));
    status == 403
        || (status == 401 && response.headers().contains_key("www-authenticate"))
        || (status == 303 && to_login)
}

on_both_databases!(each_role_gets_exactly_its_routes);

async fn each_role_gets_exactly_its_routes(app: TestApp) {
    let target = app.create_user("staff").await;
    let target_id = app
        .services
        .find_user_by_email(&msohub_service::Actor::cli(), &target)
        .await
        .unwrap()
        .id
        .to_string();
    // Everyone signs in first: the routes below include the sign-in forms,
    // whose attempts count against this client address.
    let mut clients = Vec::new();
    for role in ROLES {
        clients.push(match role {
            "anonymous" => new_client(),
            // A real representative: a person of an organisation who
            // accepted an invitation (an account of the role alone is not
            // let into the portal).
            "representative" => app.representative("Matrix e.V.").await.client,
            _ => app.signed_in(role).await.0,
        });
    }
    let mut failures = Vec::new();
    for (role, client) in ROLES.into_iter().zip(clients) {
        for (method, template, access) in MATRIX {
            let path = concrete(template, &target_id);
            let request = client.request(method.parse().unwrap(), app.url(&path));
            let request = match (*method, path.starts_with("/api/")) {
                ("POST", true) if path.ends_with("/users") => request.json(&serde_json::json!({
                    "email": format!("matrix-{}@ki-test.example", uuid::Uuid::now_v7().simple()),
                    "display_name": "Matrix",
                    "role": "staff"
                })),
                ("POST", true) => request.json(&serde_json::json!({ "name": "matrix" })),
                ("PATCH", true) => request.json(&serde_json::json!({ "version": 0 })),
                ("POST", false) => request.form(&[("x", "")]),
                _ => request,
            };
            let response = request.send().await.unwrap();
            let expected = allowed(*access, role);
            if denied(&response) == expected {
                failures.push(format!(
                    "{role} {method} {path}: expected {}, got {}",
                    if expected { "allowed" } else { "denied" },
                    response.status()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix violations:\n{}",
        failures.join("\n")
    );
}
