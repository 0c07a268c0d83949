//! "Rundschreiben abbestellen": the page a mailing's unsubscribe link
//! opens, in the link's language (the language switch offers the others).
//! No account: the link is the key. The page shows the address and a
//! button (a plain form POST, no script); a mail client's one-click POST
//! (RFC 8058, body `List-Unsubscribe=One-Click`) reaches the same handler.
//! Either way the answer is the page itself, never a redirect (RFC 8058
//! forbids one).

use super::{language, private};
use crate::AppState;
use crate::auth::ClientIp;
use crate::error::WebError;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use msohub_service::Error;
use msohub_service::mailings::Subscription;

pub fn routes(r: Routes) -> Routes {
    r.get("/portal/{lang}/unsubscribe/{token}", page)
        .post("/portal/{lang}/unsubscribe/{token}", submit)
}

#[derive(Template)]
#[template(path = "portal/unsubscribe.html")]
struct UnsubscribeTemplate {
    page: PageContext,
    token: String,
    subscription: Subscription,
    /// Just unsubscribed by this request.
    done: bool,
}

impl UnsubscribeTemplate {
    fn state_text(&self) -> String {
        let args = [
            ("address", self.subscription.address.as_str()),
            ("office", self.subscription.office.as_str()),
        ];
        let key = if self.subscription.subscribed {
            "portal-unsubscribe-active"
        } else if self.done {
            "portal-unsubscribe-done"
        } else {
            "portal-unsubscribe-already"
        };
        self.page.tr.tn(key, &args)
    }
}

async fn page(
    State(state): State<AppState>,
    Path((code, token)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let found = state.services.subscription(&token).await;
    show(&state, lang, token, found, false).await
}

async fn submit(
    State(state): State<AppState>,
    Path((code, token)): Path<(String, String)>,
    parts: Parts,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let ip = parts.extensions.get::<ClientIp>().and_then(|c| c.0.clone());
    let done = state.services.unsubscribe(&token, ip).await;
    show(&state, lang, token, done, true).await
}

async fn show(
    state: &AppState,
    lang: msohub_domain::Language,
    token: String,
    found: Result<Subscription, Error>,
    done: bool,
) -> Result<Response, WebError> {
    let rest = format!("/unsubscribe/{token}");
    let page = super::auth::page_for(state, lang, &rest, "portal-unsubscribe-title").await;
    let subscription = match found {
        Ok(s) => s,
        Err(Error::NotFound) => {
            let tr = page.tr;
            return Ok(private(render(
                StatusCode::NOT_FOUND,
                &super::auth::MessageTemplate {
                    heading: tr.t("portal-unsubscribe-title"),
                    text: tr.t("portal-unsubscribe-invalid"),
                    link: None,
                    page,
                },
            )));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(private(render(
        StatusCode::OK,
        &UnsubscribeTemplate {
            page,
            token,
            subscription,
            done,
        },
    )))
}
