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
    /// Who lacks `permission` is refused before a byte of the body is read,
    /// so nobody without the right can make the server take in megabytes.
    pub fn upload<H, T>(
        self,
        method: &'static str,
        path: &'static str,
        handler: H,
        bytes: usize,
        permission: Permission,
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
            route
                .layer(axum::extract::DefaultBodyLimit::max(bytes))
                .layer(axum::middleware::from_fn(move |request, next| {
                    refuse_unless(permission, request, next)
                })),
        )
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteSpec>) {
        (self.router, self.list)
    }
}

/// Lets the request through only for an actor with `permission` (body
/// unread); otherwise the answer an API or a page gives to the anonymous
/// (sign in) or to the wrong role (403).
async fn refuse_unless(
    permission: Permission,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let actor = request
        .extensions()
        .get::<crate::auth::Auth>()
        .and_then(|a| a.actor.clone());
    if actor
        .as_ref()
        .is_some_and(|a| a.require(permission).is_ok())
    {
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
