//! Answering without an account: a personal link per survey and
//! organisation, and the e-mails that carry it (the invitation and up to
//! `reminder_limit` reminders to those who have not answered).
//!
//! A link is the survey's and the organisation's ids with a keyed hash of
//! both and the link's generation (HMAC-SHA-256 under a random key of the
//! instance, kept in the settings; CiviCRM's checksum links are the
//! model). Nothing per link is stored, so every e-mail of a survey — the
//! invitation and each reminder — carries the same link; staff replace a
//! link that reached the wrong hands by raising its generation (the old
//! one stops working at once). A link works while the survey is open; it
//! shows nothing of the organisation's answer once the survey closed.
//!
//! Who gets the e-mail: the organisation's representatives with a portal
//! account get a link to the survey in the portal (they sign in; no secret
//! in the mail). An organisation without one gets its personal link at its
//! own address and at the addresses of its current people who gave the
//! `contact` consent. The e-mail is in the person's first portal language
//! (German for the organisation's address).

use super::answers::{OrganisationSurvey, SurveyAnswer, SurveyAnswerInput};
use super::{Survey, SurveyState};
use crate::interactions::Ref;
use crate::mail::Delivery;
use crate::{Actor, Error, Services, audit};
use base64::Engine;
use hmac::{Hmac, Mac};
use msohub_domain::{Permission, Role};
use msohub_store::surveys as store;
use serde::Serialize;
use sha2::Sha256;
use uuid::Uuid;

/// The settings key of the links' key.
const LINK_KEY: &str = "survey_link_key";
/// Bytes of the hash a link carries (128 bits).
const MAC_BYTES: usize = 16;

/// A personal link, as staff see it to pass it on by hand.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SurveyLink {
    pub organisation: Ref,
    /// The link, in German (the page offers the other languages).
    pub url: String,
    /// Replaced this many times.
    pub generation: i32,
}

/// One organisation's personal link, as the list of all links gives it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrganisationLink {
    pub organisation_id: Uuid,
    pub organisation: String,
    /// The link, in German (the page offers the other languages).
    pub link: String,
}

/// What an invitation or reminder run queued.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct SurveyMailing {
    /// E-mails queued.
    pub queued: usize,
    /// Organisations reached.
    pub organisations: usize,
    /// Organisations with no address to write to (no representative, no
    /// address of their own, nobody with the contact consent).
    pub without_address: Vec<Ref>,
}

/// An organisation a survey went to, with how far it got.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SurveyRecipient {
    pub organisation: Ref,
    /// When it last answered (none: not yet).
    pub answered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the invitation was e-mailed (none: not by e-mail).
    pub mailed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Reminders sent.
    pub reminded: i32,
    /// How often its personal link was replaced.
    pub link_generation: i32,
}

/// One e-mail to send: to whom, in which language, through which door.
struct Recipient {
    address: String,
    language: &'static str,
    portal: bool,
}

fn encode(survey: Uuid, organisation: Uuid, mac: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(32 + MAC_BYTES);
    bytes.extend_from_slice(survey.as_bytes());
    bytes.extend_from_slice(organisation.as_bytes());
    bytes.extend_from_slice(&mac[..MAC_BYTES]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The link's token under `key` (read the key once for many links).
fn token(key: &[u8], survey: Uuid, organisation: Uuid, generation: i32) -> String {
    let mac = mac_of(key, survey, organisation, generation)
        .finalize()
        .into_bytes();
    encode(survey, organisation, &mac)
}

fn decode(token: &str) -> Option<(Uuid, Uuid, Vec<u8>)> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim())
        .ok()?;
    if bytes.len() != 32 + MAC_BYTES {
        return None;
    }
    let survey = Uuid::from_slice(&bytes[..16]).ok()?;
    let organisation = Uuid::from_slice(&bytes[16..32]).ok()?;
    Some((survey, organisation, bytes[32..].to_vec()))
}

#[allow(clippy::expect_used, reason = "HMAC takes keys of any length")]
fn mac_of(key: &[u8], survey: Uuid, organisation: Uuid, generation: i32) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"msohub survey link v1\0");
    mac.update(survey.as_bytes());
    mac.update(organisation.as_bytes());
    mac.update(&generation.to_be_bytes());
    mac
}

impl Services {
    /// The instance's key for links, made on first use (the first of two
    /// nodes making it at once wins; both then read the same).
    pub(crate) async fn link_key(&self) -> Result<Vec<u8>, Error> {
        let read = |v: Option<serde_json::Value>| {
            v.and_then(|v| v.as_str().map(str::to_owned))
                .and_then(|s| {
                    base64::engine::general_purpose::URL_SAFE_NO_PAD
                        .decode(s)
                        .ok()
                })
                .filter(|k| k.len() >= 32)
        };
        if let Some(key) = read(self.store.get_setting(LINK_KEY).await?) {
            return Ok(key);
        }
        let fresh = serde_json::Value::from(crate::secrets::random_token(32));
        msohub_store::settings::replace_if(self.store.conn(), LINK_KEY, None, &fresh).await?;
        read(self.store.get_setting(LINK_KEY).await?)
            .ok_or_else(|| Error::Internal("the survey link key cannot be read".into()))
    }

    fn link_url(&self, lang: &str, token: &str) -> String {
        format!("{}/portal/{lang}/survey-link/{token}", self.public_url())
    }

    async fn token_for(
        &self,
        survey: Uuid,
        organisation: Uuid,
        generation: i32,
    ) -> Result<String, Error> {
        Ok(token(
            &self.link_key().await?,
            survey,
            organisation,
            generation,
        ))
    }

    /// An organisation's personal link to a sent survey (staff, to pass it
    /// on by hand; in the audit log, as it lets whoever holds it answer).
    pub async fn survey_link(
        &self,
        actor: &Actor,
        survey: Uuid,
        organisation: Uuid,
    ) -> Result<SurveyLink, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let (_, org) = self.sent_to(survey, organisation).await?;
        let recipient = store::find_recipient(self.store.conn(), survey, organisation)
            .await?
            .ok_or(Error::NotFound)?;
        let token = self
            .token_for(survey, organisation, recipient.link_generation)
            .await?;
        audit::record(
            self.store.conn(),
            actor,
            "survey",
            survey,
            "link",
            None,
            Some(serde_json::json!({
                "organisation_id": organisation, "generation": recipient.link_generation,
            })),
        )
        .await?;
        Ok(SurveyLink {
            organisation: org,
            url: self.link_url("de", &token),
            generation: recipient.link_generation,
        })
    }

    /// Every organisation's personal link to a sent survey, by name (for
    /// offices that pass links on by hand); recorded in the audit log.
    pub async fn survey_links(
        &self,
        actor: &Actor,
        survey: Uuid,
    ) -> Result<Vec<OrganisationLink>, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        self.sent_survey(survey).await?;
        let rows = store::recipients(conn, survey).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.organisation_id).collect();
        let names = msohub_store::organisations::names(conn, &ids).await?;
        let key = self.link_key().await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let token = token(&key, survey, r.organisation_id, r.link_generation);
            out.push(OrganisationLink {
                organisation_id: r.organisation_id,
                organisation: names.get(&r.organisation_id).cloned().unwrap_or_default(),
                link: self.link_url("de", &token),
            });
        }
        out.sort_by_cached_key(|l| msohub_domain::organisation::fold(&l.organisation));
        audit::record(
            conn,
            actor,
            "survey",
            survey,
            "links",
            None,
            Some(serde_json::json!({ "organisations": out.len() })),
        )
        .await?;
        Ok(out)
    }

    /// Replaces an organisation's personal link: the earlier one stops
    /// working at once. Returns the new link.
    pub async fn renew_survey_link(
        &self,
        actor: &Actor,
        survey: Uuid,
        organisation: Uuid,
    ) -> Result<SurveyLink, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let (_, org) = self.sent_to(survey, organisation).await?;
        let tx = self.store.begin().await?;
        let generation = store::next_link_generation(&tx, survey, organisation)
            .await?
            .ok_or(Error::NotFound)?;
        audit::record(
            &tx,
            actor,
            "survey",
            survey,
            "renew_link",
            Some(serde_json::json!({ "organisation_id": organisation, "generation": generation - 1 })),
            Some(serde_json::json!({ "organisation_id": organisation, "generation": generation })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        let token = self.token_for(survey, organisation, generation).await?;
        Ok(SurveyLink {
            organisation: org,
            url: self.link_url("de", &token),
            generation,
        })
    }

    /// The survey and organisation a link stands for; `NotFound` for a
    /// link that is malformed, replaced, or of a survey deleted or not
    /// (or no longer) sent to the organisation.
    async fn linked(&self, token: &str) -> Result<(Survey, Ref), Error> {
        let (survey, organisation, given) = decode(token).ok_or(Error::NotFound)?;
        let recipient = store::find_recipient(self.store.conn(), survey, organisation)
            .await?
            .ok_or(Error::NotFound)?;
        let key = self.link_key().await?;
        mac_of(&key, survey, organisation, recipient.link_generation)
            .verify_truncated_left(&given)
            .map_err(|_| Error::NotFound)?;
        self.sent_to(survey, organisation).await
    }

    /// The survey as the link's organisation sees it. Once the survey has
    /// closed, without the answer: the link no longer opens it.
    pub async fn survey_by_link(&self, token: &str) -> Result<OrganisationSurvey, Error> {
        let (survey, org) = self.linked(token).await?;
        let mut seen = self.as_seen_by(survey, org).await?;
        if seen.state == SurveyState::Closed {
            seen.answer = None;
        }
        Ok(seen)
    }

    /// Stores the answer given through a personal link (the audit log names
    /// the link, not a person).
    pub async fn answer_by_link(
        &self,
        token: &str,
        input: &SurveyAnswerInput,
        ip: Option<String>,
    ) -> Result<SurveyAnswer, Error> {
        let (survey, org) = self.linked(token).await?;
        // Passed to `store_answer` only, which asks for no permission.
        let actor = Actor::by_link(
            format!("Persönlicher Link ({})", org.name),
            org.name.clone(),
            Some(org.id),
            None,
            ip,
        );
        self.store_answer(&actor, &survey, org.id, None, input)
            .await
    }

    /// Who gets the e-mails for `organisation` (see the module
    /// documentation).
    async fn survey_recipients(
        &self,
        organisation: &msohub_store::organisations::OrganisationRow,
        representatives: &[msohub_store::users::UserRow],
    ) -> Result<Vec<Recipient>, Error> {
        let conn = self.store.conn();
        let today = crate::time::today();
        let people: Vec<Uuid> =
            msohub_store::people::affiliations_of_organisation(conn, organisation.id)
                .await?
                .into_iter()
                .filter(|a| crate::portal::current(a.from_date, a.to_date, today))
                .map(|a| a.person_id)
                .collect();
        let mut out: Vec<Recipient> = representatives
            .iter()
            .filter(|u| u.person_id.is_some_and(|p| people.contains(&p)))
            .map(|u| Recipient {
                address: u.email.clone(),
                language: crate::portal::portal_language(std::slice::from_ref(&u.language)),
                portal: true,
            })
            .collect();
        if out.is_empty() {
            if let Some(email) = organisation.email.as_deref().filter(|e| !e.is_empty()) {
                out.push(Recipient {
                    address: email.to_owned(),
                    language: "de",
                    portal: false,
                });
            }
            for person in msohub_store::people::find_persons(conn, &people).await? {
                let Some(email) = person.email.as_deref().filter(|e| !e.is_empty()) else {
                    continue;
                };
                if person.deleted_at.is_some() {
                    continue;
                }
                let consents = msohub_store::people::consents_of(conn, person.id).await?;
                let agreed = consents
                    .iter()
                    .any(|c| c.purpose == "contact" && crate::people::consent_covers(c, today));
                if agreed {
                    let languages: Vec<String> =
                        serde_json::from_str(&person.languages).unwrap_or_default();
                    out.push(Recipient {
                        address: email.to_owned(),
                        language: crate::portal::portal_language(&languages),
                        portal: false,
                    });
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|r| seen.insert(r.address.to_lowercase()));
        Ok(out)
    }

    /// E-mails the survey's invitation to every organisation it went to
    /// that was not written to yet (`reminder: false`), or a reminder to
    /// every organisation that has not answered and was reminded fewer
    /// times than the survey allows (`reminder: true`). Needs a mail
    /// server and an open survey.
    pub async fn mail_survey(
        &self,
        actor: &Actor,
        id: Uuid,
        reminder: bool,
    ) -> Result<SurveyMailing, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let row = self.live_survey(id).await?;
        match super::state_of(&row, crate::time::today()) {
            SurveyState::Open => {}
            SurveyState::Closed => return Err(Error::field("survey", "survey-closed")),
            _ => return Err(Error::field("survey", "survey-not-open")),
        }
        if !self.smtp_settings().await?.configured() {
            return Err(Error::field("smtp", "smtp-off"));
        }
        if reminder && row.reminder_limit == 0 {
            return Err(Error::field("reminder_limit", "reminders-off"));
        }
        let survey = self.assemble_survey(&row).await?;
        let answered: std::collections::HashSet<Uuid> = store::answers(conn, id)
            .await?
            .into_iter()
            .map(|a| a.organisation_id)
            .collect();
        let due: Vec<store::RecipientRow> = store::recipients(conn, id)
            .await?
            .into_iter()
            .filter(|r| {
                if reminder {
                    r.mailed_at.is_some()
                        && !answered.contains(&r.organisation_id)
                        && r.reminded < row.reminder_limit
                } else {
                    r.mailed_at.is_none()
                }
            })
            .collect();
        if due.is_empty() {
            return Err(Error::field(
                "recipients",
                if reminder {
                    "nobody-to-remind"
                } else {
                    "everyone-invited"
                },
            ));
        }
        let representatives: Vec<msohub_store::users::UserRow> =
            msohub_store::users::list_users(conn)
                .await?
                .into_iter()
                .filter(|u| u.disabled_at.is_none() && u.role == Role::Representative.as_str())
                .collect();
        let office = self.office().await?.name;
        let ids: Vec<Uuid> = due.iter().map(|r| r.organisation_id).collect();
        let organisations = msohub_store::organisations::find_many(conn, &ids).await?;
        let key = self.link_key().await?;
        let mut report = SurveyMailing::default();
        let mut mails = Vec::new();
        for r in &due {
            let Some(org) = organisations.iter().find(|o| o.id == r.organisation_id) else {
                continue;
            };
            let recipients = self.survey_recipients(org, &representatives).await?;
            if recipients.is_empty() {
                report.without_address.push(Ref {
                    id: org.id,
                    name: org.name.clone(),
                });
                continue;
            }
            let token = token(&key, id, org.id, r.link_generation);
            for to in recipients {
                let link = if to.portal {
                    format!(
                        "{}/portal/{}/surveys/{id}/{}",
                        self.public_url(),
                        to.language,
                        org.id
                    )
                } else {
                    self.link_url(to.language, &token)
                };
                let title = Survey::text(&survey.title, to.language).0;
                let (subject, text) = crate::portal::mails::survey(
                    to.language,
                    &office,
                    &org.name,
                    title,
                    row.closes_on,
                    &link,
                    reminder,
                    to.portal,
                );
                mails.push((org.id, to.address, subject, text));
            }
            report.organisations += 1;
        }
        report.without_address.sort_by(|a, b| a.name.cmp(&b.name));
        let tx = self.store.begin().await?;
        let mut marked = std::collections::HashSet::new();
        for (org, to, subject, text) in &mails {
            self.enqueue_mail_about(&tx, to, subject, text, Some(id))
                .await?;
            if marked.insert(*org) {
                store::mark_mailed(&tx, id, *org, reminder).await?;
            }
        }
        report.queued = mails.len();
        audit::record(
            &tx,
            actor,
            "survey",
            id,
            if reminder { "remind" } else { "invite" },
            None,
            Some(serde_json::json!({
                "organisations": report.organisations, "emails": report.queued,
                "without_address": report.without_address.len(),
            })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(report)
    }

    /// The organisations a survey went to, by name, with their answer's
    /// date and the e-mails sent to them.
    pub async fn survey_recipients_of(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Vec<SurveyRecipient>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let conn = self.store.conn();
        self.live_survey(id).await?;
        let rows = store::recipients(conn, id).await?;
        let answered: std::collections::HashMap<Uuid, chrono::DateTime<chrono::Utc>> =
            store::answers(conn, id)
                .await?
                .into_iter()
                .map(|a| (a.organisation_id, a.updated_at))
                .collect();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.organisation_id).collect();
        let names = msohub_store::organisations::names(conn, &ids).await?;
        let mut out: Vec<SurveyRecipient> = rows
            .into_iter()
            .map(|r| SurveyRecipient {
                organisation: Ref {
                    id: r.organisation_id,
                    name: names.get(&r.organisation_id).cloned().unwrap_or_default(),
                },
                answered_at: answered.get(&r.organisation_id).copied(),
                mailed_at: r.mailed_at,
                reminded: r.reminded,
                link_generation: r.link_generation,
            })
            .collect();
        // As people sort names: "Äthiopische …" among the A.
        out.sort_by_cached_key(|r| msohub_domain::organisation::fold(&r.organisation.name));
        Ok(out)
    }

    /// The delivery log of a survey's e-mails.
    pub async fn survey_deliveries(&self, actor: &Actor, id: Uuid) -> Result<Vec<Delivery>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        Ok(
            msohub_store::bodies::messages_of_survey(self.store.conn(), id)
                .await?
                .into_iter()
                .map(Delivery::from)
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_carries_its_ids_and_a_truncated_hash() {
        let (s, o) = (Uuid::now_v7(), Uuid::now_v7());
        let mac = mac_of(b"0123456789abcdef0123456789abcdef", s, o, 0)
            .finalize()
            .into_bytes();
        let token = encode(s, o, &mac);
        assert_eq!(token.len(), 64);
        let (s2, o2, given) = decode(&token).unwrap();
        assert_eq!((s2, o2), (s, o));
        assert!(
            mac_of(b"0123456789abcdef0123456789abcdef", s, o, 0)
                .verify_truncated_left(&given)
                .is_ok()
        );
        // Another generation, key or organisation does not verify.
        assert!(
            mac_of(b"0123456789abcdef0123456789abcdef", s, o, 1)
                .verify_truncated_left(&given)
                .is_err()
        );
        assert!(
            mac_of(b"fedcba9876543210fedcba9876543210", s, o, 0)
                .verify_truncated_left(&given)
                .is_err()
        );
        assert!(decode("short").is_none());
        assert!(decode(&format!("{token}AA")).is_none());
    }
}
