//! Invitations into the portal: staff invite a person of an organisation by
//! e-mail; the one-time link (14 days) lets the person set a password (or
//! choose sign-in links only), accept the terms, and become a
//! `representative` account tied to that person.
//!
//! Invariants: only the token's hash is stored; a link works once; the
//! person needs an e-mail address and a current affiliation with the
//! organisation when invited; without SMTP the link is handed to the staff
//! member once (in the answer), and never stored in clear.

use super::{current, mails, portal_language};
use crate::interactions::Ref;
use crate::secrets::{digest, hash_password, random_password, random_token};
use crate::{Actor, Error, Services, audit};
use chrono::{DateTime, Duration, Utc};
use msohub_domain::{NewPassword, Permission, Role};
use msohub_store::portal::{self as store, InvitationRow};
use msohub_store::users::{self, UserRow};
use serde::Serialize;
use uuid::Uuid;

/// How long an invitation link works.
pub const VALID_DAYS: i64 = 14;

/// An invitation as staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub id: Uuid,
    pub person: Ref,
    pub organisation: Ref,
    pub email: String,
    pub language: String,
    /// pending, accepted, expired, revoked
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// A new (or resent) invitation; `link` only when no mail server is set up,
/// so staff can pass it on by hand (it is not shown again).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewInvitation {
    pub id: Uuid,
    pub invitation: Invitation,
    pub link: Option<String>,
}

/// What the person following the link sees.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvitationView {
    pub organisation: String,
    pub given_name: String,
    pub email: String,
    pub language: String,
    /// pending (the form is shown), accepted, expired, revoked
    pub status: String,
    pub office: String,
}

fn status_of(r: &InvitationRow, now: DateTime<Utc>) -> &'static str {
    if r.revoked_at.is_some() {
        "revoked"
    } else if r.accepted_at.is_some() {
        "accepted"
    } else if r.expires_at <= now {
        "expired"
    } else {
        "pending"
    }
}

impl Services {
    fn invitation_link(&self, lang: &str, token: &str) -> String {
        format!("{}/portal/{lang}/invitation/{token}", self.public_url())
    }

    async fn assemble_invitations(
        &self,
        rows: Vec<InvitationRow>,
    ) -> Result<Vec<Invitation>, Error> {
        let conn = self.store.conn();
        let people: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
        let orgs: Vec<Uuid> = rows.iter().map(|r| r.organisation_id).collect();
        let people = msohub_store::people::names(conn, &people).await?;
        let orgs = msohub_store::organisations::names(conn, &orgs).await?;
        let now = Utc::now();
        Ok(rows
            .into_iter()
            .map(|r| Invitation {
                id: r.id,
                person: Ref {
                    id: r.person_id,
                    name: people.get(&r.person_id).cloned().unwrap_or_default(),
                },
                organisation: Ref {
                    id: r.organisation_id,
                    name: orgs.get(&r.organisation_id).cloned().unwrap_or_default(),
                },
                status: status_of(&r, now).to_owned(),
                email: r.email,
                language: r.language,
                created_at: r.created_at,
                expires_at: r.expires_at,
                sent_at: r.sent_at,
                accepted_at: r.accepted_at,
                version: r.version,
            })
            .collect())
    }

    /// Invites a person of an organisation into the portal.
    pub async fn invite_representative(
        &self,
        actor: &Actor,
        person_id: Uuid,
        organisation_id: Uuid,
    ) -> Result<NewInvitation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let person = msohub_store::people::find_person(conn, person_id)
            .await?
            .filter(|p| p.deleted_at.is_none())
            .ok_or(Error::NotFound)?;
        let organisation = msohub_store::organisations::find(conn, organisation_id)
            .await?
            .filter(|o| o.deleted_at.is_none())
            .ok_or(Error::NotFound)?;
        let email = person
            .email
            .clone()
            .filter(|e| !e.trim().is_empty())
            .ok_or_else(|| Error::field("person_id", "person-email-required"))?;
        let today = crate::time::today();
        let affiliated = msohub_store::people::affiliations_of_person(conn, person_id)
            .await?
            .iter()
            .any(|a| {
                a.organisation_id == organisation_id && current(a.from_date, a.to_date, today)
            });
        if !affiliated {
            return Err(Error::field("organisation_id", "affiliation-required"));
        }
        if let Some(existing) =
            users::find_user_by_email(conn, &email.trim().to_lowercase()).await?
        {
            return Err(Error::field(
                "person_id",
                if existing.person_id == Some(person_id) {
                    "person-has-account"
                } else {
                    "email-has-account"
                },
            ));
        }
        let languages: Vec<String> = serde_json::from_str(&person.languages).unwrap_or_default();
        let language = portal_language(&languages).to_owned();
        let token = random_token(32);
        let now = Utc::now();
        let row = InvitationRow {
            id: Uuid::now_v7(),
            person_id,
            organisation_id,
            email: email.trim().to_lowercase(),
            language,
            token_hash: digest(&token),
            created_by: actor.user_id,
            created_at: now,
            expires_at: now + Duration::days(VALID_DAYS),
            sent_at: None,
            accepted_at: None,
            revoked_at: None,
            user_id: None,
            version: 1,
        };
        let name = person.given_name.clone();
        self.send_invitation(actor, row, &token, &organisation.name, &name, "invite")
            .await
    }

    /// Queues the e-mail (when SMTP is set up) and stores the invitation;
    /// the link comes back only when no mail goes out.
    async fn send_invitation(
        &self,
        actor: &Actor,
        mut row: InvitationRow,
        token: &str,
        organisation: &str,
        given_name: &str,
        action: &str,
    ) -> Result<NewInvitation, Error> {
        let link = self.invitation_link(&row.language, token);
        let mailed = self.smtp_settings().await?.configured();
        let tx = self.store.begin().await?;
        if mailed {
            let office = self.office().await?.name;
            let (subject, text) =
                mails::invitation(&row.language, &office, organisation, given_name, &link);
            self.enqueue_mail(&tx, &row.email, &subject, &text).await?;
            row.sent_at = Some(Utc::now());
        }
        let row = if action == "invite" {
            store::insert_invitation(&tx, row).await?
        } else {
            store::update_invitation(&tx, row).await?
        };
        audit::record(
            &tx,
            actor,
            "invitation",
            row.id,
            action,
            None,
            Some(serde_json::json!({
                "person_id": row.person_id, "organisation_id": row.organisation_id,
                "email": row.email, "mailed": mailed, "expires_at": row.expires_at,
            })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        let invitation = self.assemble_invitations(vec![row]).await?.remove(0);
        Ok(NewInvitation {
            id: invitation.id,
            invitation,
            link: (!mailed).then_some(link),
        })
    }

    /// Invitations, newest first; of one person or organisation.
    pub async fn list_invitations(
        &self,
        actor: &Actor,
        person: Option<Uuid>,
        organisation: Option<Uuid>,
    ) -> Result<Vec<Invitation>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let rows = store::list_invitations(self.store.conn(), person, organisation, 500).await?;
        self.assemble_invitations(rows).await
    }

    /// One invitation.
    pub async fn get_invitation(&self, actor: &Actor, id: Uuid) -> Result<Invitation, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find_invitation(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(self.assemble_invitations(vec![row]).await?.remove(0))
    }

    /// Sends an invitation again with a new link (the old one stops
    /// working) and a new expiry.
    pub async fn resend_invitation(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<NewInvitation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let mut row = store::find_invitation(conn, id)
            .await?
            .ok_or(Error::NotFound)?;
        if row.version != version {
            return Err(Error::stale());
        }
        if row.accepted_at.is_some() || row.revoked_at.is_some() {
            return Err(Error::field("id", "invitation-closed"));
        }
        let person = msohub_store::people::find_person(conn, row.person_id)
            .await?
            .ok_or(Error::NotFound)?;
        let organisation = msohub_store::organisations::find(conn, row.organisation_id)
            .await?
            .ok_or(Error::NotFound)?;
        let token = random_token(32);
        let now = Utc::now();
        row.token_hash = digest(&token);
        row.expires_at = now + Duration::days(VALID_DAYS);
        row.sent_at = None;
        self.send_invitation(
            actor,
            row,
            &token,
            &organisation.name,
            &person.given_name,
            "resend",
        )
        .await
    }

    /// Revokes an invitation that was not accepted yet.
    pub async fn revoke_invitation(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<Invitation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let tx = self.store.begin().await?;
        let mut row = store::find_invitation(&tx, id)
            .await?
            .ok_or(Error::NotFound)?;
        if row.version != version {
            return Err(Error::stale());
        }
        if row.accepted_at.is_some() {
            return Err(Error::field("id", "invitation-closed"));
        }
        row.revoked_at = Some(Utc::now());
        let row = store::update_invitation(&tx, row).await?;
        audit::record(&tx, actor, "invitation", id, "revoke", None, None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(self.assemble_invitations(vec![row]).await?.remove(0))
    }

    /// What the link shows; `NotFound` for a token that never existed.
    pub async fn invitation_by_token(&self, token: &str) -> Result<InvitationView, Error> {
        let conn = self.store.conn();
        let row = store::invitation_by_token(conn, &digest(token))
            .await?
            .ok_or(Error::NotFound)?;
        let person = msohub_store::people::find_person(conn, row.person_id)
            .await?
            .ok_or(Error::NotFound)?;
        let organisation = msohub_store::organisations::find(conn, row.organisation_id)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(InvitationView {
            organisation: organisation.name,
            given_name: person.given_name,
            email: row.email.clone(),
            language: row.language.clone(),
            status: status_of(&row, Utc::now()).to_owned(),
            office: self.office().await?.name,
        })
    }

    /// Accepts an invitation: a `representative` account tied to the
    /// person, with the password given, or with none (sign-in links only).
    /// The terms and the privacy notice must be accepted. The person is
    /// signed in at once (the new session is in the outcome). `language`
    /// is the one the page was read in (it becomes the account's, for
    /// e-mails and sign-in links); `None` keeps the invitation's.
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: Option<&str>,
        accept_terms: bool,
        language: Option<&str>,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<(crate::User, crate::accounts::LoginOutcome), Error> {
        let now = Utc::now();
        let conn = self.store.conn();
        let mut row = store::invitation_by_token(conn, &digest(token))
            .await?
            .ok_or(Error::NotFound)?;
        match status_of(&row, now) {
            "pending" => {}
            other => return Err(Error::field("token", &format!("invitation-{other}"))),
        }
        let mut errors = Vec::new();
        if !accept_terms {
            errors.push(crate::FieldError::new("accept", "terms-required"));
        }
        let password = match password.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => match NewPassword::parse(p) {
                Ok(p) => Some(p),
                Err(e) => {
                    errors.push(crate::FieldError::new("password", e.rule));
                    None
                }
            },
            None => None,
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let person = msohub_store::people::find_person(conn, row.person_id)
            .await?
            .filter(|p| p.deleted_at.is_none())
            .ok_or(Error::NotFound)?;
        // Without a password the account signs in by link only: its hash is
        // of a random secret nobody knows.
        let plain = password
            .as_ref()
            .map_or_else(|| random_password(32), |p| p.expose().to_owned());
        let hash = hash_password(plain).await?;
        let user = UserRow {
            id: Uuid::now_v7(),
            email: row.email.clone(),
            display_name: format!("{} {}", person.given_name, person.family_name),
            role: Role::Representative.as_str().to_owned(),
            organisation_id: Some(row.organisation_id),
            password_hash: hash,
            must_change_password: false,
            disabled_at: None,
            last_login_at: None,
            totp_secret: None,
            totp_enabled_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
            person_id: Some(person.id),
            language: language
                .filter(|l| l.parse::<msohub_domain::Language>().is_ok())
                .map_or_else(|| row.language.clone(), str::to_owned),
            form_of_address: String::new(),
        };
        let tx = self.store.begin().await?;
        let user = users::insert_user(&tx, user).await?;
        row.accepted_at = Some(now);
        row.user_id = Some(user.id);
        store::update_invitation(&tx, row.clone()).await?;
        let actor = Actor {
            user_id: Some(user.id),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: Role::Representative,
            organisation_id: user.organisation_id,
            must_change_password: false,
            ip: ip.clone(),
            via: crate::Via::Session,
            person_id: user.person_id,
            language: user.language.clone(),
        };
        audit::record(
            &tx,
            &actor,
            "invitation",
            row.id,
            "accept",
            None,
            Some(serde_json::json!({ "user_id": user.id, "terms_accepted_at": now, "password": password.is_some() })),
        )
        .await?;
        let outcome = self
            .open_session(&tx, &user, &actor, ip, user_agent, "invitation")
            .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok((crate::User::from(&user), outcome))
    }
}
