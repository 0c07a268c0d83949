//! The route table: every route of the application is registered through
//! [`Routes`], which records it in a list besides adding it to the router.
//! The access-matrix test compares that list with its own table, so a new
//! route without a decision about who may use it fails the test suite.

use crate::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, delete, get, patch, post, put};
use msohub_domain::Permission;

/// One registered route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
}

pub struct Routes {
    router: Router<AppState>,
    list: Vec<RouteSpec>,
}

macro_rules! method {
    ($name:ident, $verb:literal, $routing:ident) => {
        pub fn $name<H, T>(self, path: &'static str, handler: H) -> Routes
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.add($verb, path, $routing(handler))
        }
    };
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            list: Vec::new(),
        }
    }

    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: MethodRouter<AppState>,
    ) -> Routes {
        self.list.push(RouteSpec { method, path });
        // Writes are guarded before any extractor runs: someone who may not
        // write learns nothing from a validation message and makes the
        // server read no body.
        let route = match write_rule(method, path) {
            WriteRule::Anyone => route,
            rule => route.layer(axum::middleware::from_fn(move |request, next| {
                refuse_unless(rule, request, next)
            })),
        };
        self.router = self.router.route(path, route);
        self
    }

    method!(get, "GET", get);
    method!(post, "POST", post);
    method!(put, "PUT", put);
    method!(patch, "PATCH", patch);
    method!(delete, "DELETE", delete);

    /// A POST/PUT route whose body may be up to `bytes` long (uploads); the
    /// default limit elsewhere is 2 MiB. Within the limit a too-large file
    /// is read and refused with a message instead of a reset connection.
    /// Like every write route, it refuses those who may not write before a
    /// byte of the body is read (see [`write_rule`]).
    pub fn upload<H, T>(
        self,
        method: &'static str,
        path: &'static str,
        handler: H,
        bytes: usize,
    ) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let route = match method {
            "PUT" => put(handler),
            _ => post(handler),
        };
        self.add(
            method,
            path,
            route.layer(axum::extract::DefaultBodyLimit::max(bytes)),
        )
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteSpec>) {
        (self.router, self.list)
    }
}

/// Who may send a request that changes something to a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteRule {
    /// Reading routes, and signing in and out.
    Anyone,
    /// One's own account (password, second factor, tokens, calendar).
    SignedIn,
    /// An actor with this permission.
    Needs(Permission),
    /// Staff writing, or a representative proposing (the service decides
    /// what becomes of it).
    StaffOrRepresentative,
}

/// The one place that says who may write where; the services check their
/// own permissions again, this keeps everyone else out before a request's
/// body is read or checked.
pub fn write_rule(method: &str, path: &str) -> WriteRule {
    let portal_door = matches!(
        path,
        "/portal/{lang}/login"
            | "/portal/{lang}/link"
            | "/portal/{lang}/invitation/{token}"
            | "/portal/{lang}/survey-link/{token}"
            | "/api/v1/survey-links/{token}"
            | "/portal/{lang}/unsubscribe/{token}"
            | "/api/v1/unsubscribe/{token}"
    );
    if method == "GET" || portal_door || matches!(path, "/login" | "/login/totp" | "/logout") {
        return WriteRule::Anyone;
    }
    if path.starts_with("/portal/") || path.starts_with("/api/v1/portal/") {
        return WriteRule::Needs(Permission::ActForOwnOrganisation);
    }
    // The record endpoints through which representatives propose changes.
    let proposable = matches!(
        (method, path),
        ("PATCH", "/api/v1/organisations/{id}")
            | ("POST", "/api/v1/offers")
            | ("PATCH", "/api/v1/offers/{id}")
            | ("POST", "/api/v1/events")
            | ("PATCH", "/api/v1/events/{id}")
            | ("PATCH", "/api/v1/persons/{id}")
            | ("POST", "/api/v1/needs")
            | ("POST", "/api/v1/ideas")
            | ("PUT", "/api/v1/surveys/{id}/answers/{organisation}")
    );
    if proposable {
        return WriteRule::StaffOrRepresentative;
    }
    let own_account = path.starts_with("/app/account")
        || path == "/api/v1/account/password"
        || path.starts_with("/api/v1/tokens");
    if own_account {
        return WriteRule::SignedIn;
    }
    let admin = path.starts_with("/app/admin/")
        || path.starts_with("/api/v1/users")
        || path == "/api/v1/settings"
        || path.starts_with("/api/v1/taxonomies")
        || path.ends_with("/erase");
    if admin {
        WriteRule::Needs(Permission::ManageUsers)
    } else {
        WriteRule::Needs(Permission::WriteStaffArea)
    }
}

/// Lets the request through only for an actor the rule admits (body
/// unread); otherwise the answer an API or a page gives to the anonymous
/// (sign in) or to the wrong role (403).
async fn refuse_unless(
    rule: WriteRule,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let actor = request
        .extensions()
        .get::<crate::auth::Auth>()
        .and_then(|a| a.actor.clone());
    let admitted = match (rule, &actor) {
        (WriteRule::Anyone, _) | (WriteRule::SignedIn, Some(_)) => true,
        (WriteRule::Needs(p), Some(a)) => a.require(p).is_ok(),
        (WriteRule::StaffOrRepresentative, Some(a)) => {
            a.require(Permission::WriteStaffArea).is_ok()
                || a.require(Permission::ActForOwnOrganisation).is_ok()
        }
        (_, None) => false,
    };
    if admitted {
        return next.run(request).await;
    }
    let api = request.uri().path().starts_with("/api/");
    match (actor, api) {
        (None, true) => crate::api_error::ApiError::unauthorized(
            "sign in, or send an API token as Authorization: Bearer …",
        )
        .into_response(),
        (Some(_), true) => {
            crate::api_error::ApiError::from(msohub_service::Error::Forbidden).into_response()
        }
        (None, false) => axum::response::Redirect::to(&format!(
            "/login?next={}",
            crate::page::encode_query(request.uri().path())
        ))
        .into_response(),
        (Some(_), false) => crate::WebError::Forbidden.into_response(),
    }
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}
