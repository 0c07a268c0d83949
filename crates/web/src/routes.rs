//! The route table: every route of the application is registered through
//! [`Routes`], which records it in a list besides adding it to the router.
//! The access-matrix test compares that list with its own table, so a new
//! route without a decision about who may use it fails the test suite.

use crate::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, delete, get, patch, post, put};

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

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}
